"""A team's PostgreSQL server: every refusal to connect is one line a user can act on, the app
needs no more than to own its database, and programs opening a new one at once take turns."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from db.engine import make_engine
from db.models import State, Treaty
from db.server_errors import explain_server
from tests.pg_server import TestServer
from timeline.cli import main
from timeline.database import open_database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  '
            'password authentication failed for user "team"',
            "the server at 10.0.0.5:5432 refused the login (password authentication failed for"
            ' user "team"): check the user and password in the URL',
        ),
        (
            'connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  no'
            ' pg_hba.conf entry for host "10.0.0.9", user "team", database "treaties"',
            "refused the login",
        ),
        (
            'connection failed: connection to server at "127.0.0.1", port 5433 failed:'
            " Connection refused",
            "cannot reach the database server at 127.0.0.1:5433: check that it is running",
        ),
        (
            "failed to resolve host 'db.example': [Errno -2] Name or service not known",
            "cannot find the database server db.example: check the host name in the URL",
        ),
        (
            'connection failed: connection to server on socket "/run/pg/.s.PGSQL.5432" failed:'
            ' FATAL:  database "treaties" does not exist',
            "there is no database treaties on the server on socket /run/pg/.s.PGSQL.5432;"
            " create it",
        ),
        ("permission denied for schema public", "make it the owner"),
        ("cannot execute INSERT in a read-only transaction", "takes no writes"),
        ("file is not a database", None),
    ],
)
def test_server_refusals_are_explained(message: str, expected: str | None) -> None:
    explained = explain_server(message)
    if expected is None:
        assert explained is None
    else:
        assert explained is not None and expected in explained and "\n" not in explained


def test_a_server_that_is_not_there_gets_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"postgresql+psycopg://team:secret@/treaties?host={tmp_path}"
    code, out, err = run(capsys, "list", "--db", url)
    assert (code, out) == (1, "")
    assert err.startswith("treaty-timeline: error: cannot reach the database server on socket")
    assert err.count("\n") == 1 and "secret" not in err


def test_where_hides_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "where", "--db", "postgresql+psycopg://team:secret@db/treaties")
    assert code == 0 and out == "postgresql+psycopg://team:***@db/treaties\n"


# -- on a server ---------------------------------------------------------------------------------

TEAM_PASSWORD = secrets.token_hex(8)


@pytest.fixture
def team_role(pg_server: TestServer) -> Iterator[str]:
    """A role as a team's administrator makes one: it may log in, and nothing more."""
    role = f"tt_team_{secrets.token_hex(3)}"
    pg_server.execute(
        f"CREATE ROLE {role} LOGIN PASSWORD '{TEAM_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE"
    )
    yield role
    pg_server.execute(f"DROP ROLE {role}")


@pytest.mark.postgres_only
def test_the_owner_of_a_database_needs_no_more_rights(
    capsys: pytest.CaptureFixture[str], pg_server: TestServer, team_role: str
) -> None:
    names = [pg_server.create(owner=team_role) for _ in range(2)]
    first, second = (
        pg_server.url.set(username=team_role, password=TEAM_PASSWORD, database=n) for n in names
    )
    try:
        url = first.render_as_string(hide_password=False)
        database = open_database(url)
        assert database.seeded is not None and database.seeded.added["treaties"] == 5
        database.engine.dispose()
        code, _, err = run(
            capsys, "add", "--db", url, "--slug", "team-pact-2025", "--title", "Team Pact",
            "--signed", "2025", "--party", "USA", "--party", "CAN",
        )  # fmt: skip
        assert code == 0, err
        to = second.render_as_string(hide_password=False)
        code, _, err = run(capsys, "copy", "--db", url, "--to", to)
        assert code == 0, err
    finally:
        for name in names:
            pg_server.drop(name)


@pytest.mark.postgres_only
def test_missing_database_and_unknown_user_get_one_line(
    capsys: pytest.CaptureFixture[str], pg_server: TestServer
) -> None:
    missing = pg_server.url_of(f"{pg_server.prefix}_missing")
    code, _, err = run(capsys, "list", "--db", missing)
    assert code == 1 and err.count("\n") == 1
    assert f"there is no database {pg_server.prefix}_missing on the server" in err
    stranger = pg_server.url.set(username="nobody_at_all").render_as_string(hide_password=False)
    code, _, err = run(capsys, "list", "--db", stranger)
    assert code == 1 and err.count("\n") == 1
    assert 'refused the login (role "nobody_at_all" does not exist)' in err


@pytest.mark.postgres_only
def test_two_programs_opening_a_new_database_at_once_seed_it_once(new_db: str) -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "timeline", "overview", "--db", new_db],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    results = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], results
    assert sum("seeded with the founding records" in out for out, _ in results) == 1
    engine = make_engine(new_db)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Treaty)).one() == 5
        assert session.exec(select(func.count()).select_from(State)).one() == 218
    engine.dispose()
