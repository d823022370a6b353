"""Fixtures. The tests run on SQLite files by default; with TREATY_TIMELINE_TEST_PG set to a
PostgreSQL server URL (postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql), each
test gets a fresh database on that server instead, and `seeded_db` and friends hand out its URL
where they hand out a file path on SQLite. Tests about SQLite files themselves are marked
`sqlite_only`; tests that need a server, `postgres_only`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from db.engine import database_url, make_engine
from db.schema import ensure_schema
from tests.pg_server import SERVER_ENV, TestServer, server_url
from timeline.database import open_database

REPO = Path(__file__).resolve().parent.parent
# The shared research data sets live beside the checkout; tests read them in place.
SHARED_DATA = REPO.parent / "shared" / "data"

ON_POSTGRES = server_url() is not None
NOT_A_FILE = "reads or copies the SQLite file itself (seeded_db runs on both engines)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): about SQLite files themselves")
    config.addinivalue_line("markers", "postgres_only: needs a PostgreSQL server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        only_sqlite = item.get_closest_marker("sqlite_only")
        if ON_POSTGRES and only_sqlite:
            reason = only_sqlite.kwargs.get("reason") or " ".join(only_sqlite.args)
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        if not ON_POSTGRES and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason=f"needs a PostgreSQL server ({SERVER_ENV})"))


# -- SQLite --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded SQLite file per session, whatever engine the tests run on."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    database = open_database(path)
    database.engine.dispose()
    return path


@pytest.fixture(scope="session")
def seeded_template(sqlite_template: Path) -> Path:
    """The seeded SQLite file that tests copy; tests that copy files run on SQLite only."""
    if ON_POSTGRES:
        pytest.skip(NOT_A_FILE)
    return sqlite_template


# -- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TestServer]:
    url = server_url()
    if url is None:
        pytest.skip(f"needs a PostgreSQL server ({SERVER_ENV})")
    server = TestServer(url)
    yield server
    server.close()


@pytest.fixture(scope="session")
def pg_templates(pg_server: TestServer) -> dict[str, str]:
    """Template databases by kind: "seeded", and "empty" (the schema alone)."""
    seeded = pg_server.create()
    open_database(pg_server.url_of(seeded)).engine.dispose()
    empty = pg_server.create()
    engine = make_engine(pg_server.url_of(empty))
    ensure_schema(engine)
    engine.dispose()
    return {"seeded": seeded, "empty": empty}


def _pg_database(request: pytest.FixtureRequest, template: str | None) -> Iterator[str]:
    """A database of the test's own, dropped after it: empty, or a copy of a template."""
    server: TestServer = request.getfixturevalue("pg_server")
    if template is None:
        name = server.create()
    else:
        name = server.copy_of(request.getfixturevalue("pg_templates")[template])
    yield server.url_of(name)
    server.discard(name)


# -- what tests use ------------------------------------------------------------------------------


@pytest.fixture
def seeded_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own holding the founding records: what --db takes (a SQLite
    file's path, or a PostgreSQL URL)."""
    if ON_POSTGRES:
        yield from _pg_database(request, "seeded")
        return
    path = tmp_path / "treaties.db"
    shutil.copy(request.getfixturevalue("seeded_template"), path)
    yield str(path)


@pytest.fixture
def seeded_path(request: pytest.FixtureRequest) -> Path:
    """The seeded SQLite file itself, for tests that read or lock the file."""
    if ON_POSTGRES:
        pytest.skip(NOT_A_FILE)
    return Path(request.getfixturevalue("seeded_db"))


@pytest.fixture
def seeded_engine(seeded_db: str) -> Iterator[Engine]:
    engine = make_engine(database_url(seeded_db))
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_session(seeded_engine: Engine) -> Iterator[Session]:
    with Session(seeded_engine) as session:
        yield session


@pytest.fixture
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with the current schema and no records."""
    if ON_POSTGRES:
        yield from _pg_database(request, "empty")
        return
    path = tmp_path / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    engine.dispose()
    yield str(path)


@pytest.fixture
def empty_engine(empty_db: str) -> Iterator[Engine]:
    engine = make_engine(database_url(empty_db))
    yield engine
    engine.dispose()


@pytest.fixture
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where no treaty-timeline database is yet: a SQLite path in a folder still to be made,
    or an empty database on the server (a team's administrator creates that one)."""
    if ON_POSTGRES:
        yield from _pg_database(request, None)
        return
    yield str(tmp_path / "new" / "treaties.db")
