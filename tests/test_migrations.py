"""The schema is made and upgraded by the shipped migrations, without losing a record."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from db.engine import database_url, make_engine
from db.errors import DatabaseError, SchemaTooNew
from db.schema import SCHEMA_HEAD, alembic_config, ensure_schema, known_revisions
from db.search import SEARCH_TABLES
from tests.db_dump import dump_database
from timeline.database import open_database


def _engine(target: str | Path) -> Engine:
    return make_engine(database_url(target))


def test_schema_head_constant_names_the_newest_migration() -> None:
    with make_engine("sqlite://").connect() as connection:
        script = ScriptDirectory.from_config(alembic_config(connection))
    assert script.get_current_head() == SCHEMA_HEAD


def _made_per_engine(dialect: str):  # type: ignore[no-untyped-def]
    """Leave out of the comparison what migration 0005 makes for each engine outside the
    models: the full-text index, and PostgreSQL's NULLS FIRST timeline index (tests/test_search.py
    checks that queries use it)."""

    def include(obj, name, kind, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
        if kind == "table" and name in SEARCH_TABLES:
            return False
        if kind == "index" and name == "ix_treaty_search":
            return False
        return not (kind == "index" and name == "ix_treaty_timeline" and dialect != "sqlite")

    return include


def test_migrations_build_exactly_the_models(empty_engine: Engine) -> None:
    with empty_engine.connect() as connection:
        include = _made_per_engine(connection.dialect.name)
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def _upgrade_to(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


# Rows written with the first schema: a treaty with a party, a provision, a citation, an
# event tied to a state, and a second treaty that replaces the first.
FIRST_SCHEMA_ROWS = """
INSERT INTO state (id, name, short_name, iso3, cow_code) VALUES
  (1, 'Union of Soviet Socialist Republics', 'USSR', 'SUN', 365),
  (2, 'Democratic People''s Republic of Korea', 'North Korea', 'PRK', 731);
INSERT INTO treaty (id, slug, title, kind, signed_on, signed_precision, signed_uncertain,
  in_force_uncertain, ended_uncertain, indefinite, strength, ended_on, ended_precision)
  VALUES (1, 'ussr-dprk-1961', 'Treaty of 1961', 'alliance', '1961-07-06', 'day', FALSE, FALSE,
          FALSE, FALSE, 4, '1996-09-10', 'day'),
         (2, 'later', 'A later treaty', 'friendship', '2000-02-01', 'month', FALSE, FALSE,
          FALSE, FALSE, 2, NULL, NULL);
UPDATE treaty SET replaces_id = 1 WHERE id = 2;
INSERT INTO treaty_party (id, treaty_id, state_id, role)
  VALUES (1, 1, 1, 'party'), (2, 1, 2, 'party');
INSERT INTO provision (id, treaty_id, position, article, obligation, security, text)
  VALUES (1, 1, 1, '1', 'defence', TRUE, 'Should either of the Contracting Parties ...');
INSERT INTO source (id, key, title) VALUES (1, 'unts-6045', 'UNTS No. 6045');
INSERT INTO citation (id, source_id, treaty_id, supports, agrees)
  VALUES (1, 1, 1, 'signed', TRUE);
INSERT INTO citation (id, source_id, provision_id, supports, agrees)
  VALUES (2, 1, 1, 'text', TRUE);
INSERT INTO event (id, key, happened_on, happened_precision, happened_uncertain, kind, title,
  treaty_id) VALUES (1, 'notice-1995', '1995-01-01', 'year', FALSE, 'notice', 'Notice', 1);
INSERT INTO event_state (event_id, state_id) VALUES (1, 1);
"""

TABLES = (
    "state",
    "treaty",
    "treaty_party",
    "provision",
    "source",
    "citation",
    "event",
    "event_state",
)


def _dump(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            ]
            for table in TABLES
        }


def _with_first_schema_rows(target: str) -> Engine:
    """A database at the first migration holding FIRST_SCHEMA_ROWS."""
    engine = _engine(target)
    _upgrade_to(engine, "0001")
    with engine.begin() as connection:
        for statement in FIRST_SCHEMA_ROWS.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    return engine


def test_upgrade_from_the_first_migration_keeps_every_record(new_db: str) -> None:
    engine = _with_first_schema_rows(new_db)
    before = _dump(engine)

    change = ensure_schema(engine)

    assert (change.before, change.after, change.upgraded) == ("0001", SCHEMA_HEAD, True)
    after = _dump(engine)
    for table in TABLES:
        assert len(after[table]) == len(before[table]), table
        # Old columns keep their values; new columns are appended.
        for old_row, new_row in zip(before[table], after[table], strict=True):
            assert new_row[: len(old_row)] == old_row, table
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version FROM treaty")).scalars().all()
        replaced = connection.execute(text("SELECT replaces_id FROM treaty WHERE id = 2")).scalar()
    assert versions == [1, 1]
    assert replaced == 1
    # The upgraded file then opens as any current database would, without seeding over it.
    database = open_database(new_db)
    assert database.seeded is None
    assert _dump(database.engine)["treaty"] == after["treaty"]


def test_every_known_revision_is_on_one_line_of_history() -> None:
    assert known_revisions()[0] == SCHEMA_HEAD
    assert known_revisions()[-1] == "0001"


def test_a_database_newer_than_the_program_is_refused(new_db: str) -> None:
    engine = _engine(new_db)
    ensure_schema(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    before = dump_database(engine)
    with pytest.raises(SchemaTooNew, match="newer than this treaty-timeline"):
        ensure_schema(engine)
    assert dump_database(engine) == before


@pytest.mark.sqlite_only(reason="a file that is not a SQLite database")
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a treaty-timeline database"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_database_of_another_program_is_refused(new_db: str) -> None:
    engine = _engine(new_db)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"))
    with pytest.raises(DatabaseError, match="not created by treaty-timeline"):
        open_database(new_db)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 0


# The search index as the previous release's migration 0005 made it.
SEARCH_INDEX_OF_0005 = """
CREATE VIRTUAL TABLE treaty_search USING fts5(
    title, short_title, slug, content='', tokenize='unicode61 remove_diacritics 2',
    prefix='1 2 3 4 5 6')
"""


@pytest.mark.sqlite_only(reason="PostgreSQL's search index is not rebuilt")
def test_upgrade_rebuilds_the_search_index_with_longer_prefixes(new_db: str) -> None:
    from sqlmodel import Session

    from db.paging import TreatyFilter, treaty_rows
    from db.search import drop_search_index

    engine = _with_first_schema_rows(new_db)
    _upgrade_to(engine, "0005")
    with engine.begin() as connection:
        drop_search_index(connection)
        connection.execute(text(SEARCH_INDEX_OF_0005))
        connection.execute(
            text("INSERT INTO treaty_search(rowid, title, short_title, slug)"
                 " SELECT id, title, short_title, slug FROM treaty")
        )  # fmt: skip

    assert ensure_schema(engine).after == SCHEMA_HEAD

    with engine.connect() as connection:
        ddl = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'treaty_search'")
        ).scalar_one()
    assert "prefix='1 2 3 4 5 6 7 8 9 10 11 12'" in ddl and "columnsize=0" in ddl
    with Session(engine) as session:
        # Found through the rebuilt index, with its triggers back in place.
        assert [r.slug for r in treaty_rows(session, TreatyFilter(text="treaty 1961"), 0, 5)] == [
            "ussr-dprk-1961"
        ]
        session.execute(text("UPDATE treaty SET title = 'Renamed Accord' WHERE id = 2"))
        session.commit()
        assert [r.slug for r in treaty_rows(session, TreatyFilter(text="renamed"), 0, 5)] == [
            "later"
        ]
