"""The full-text index of treaty titles, and the condition that searches it.

A search is a list of words; a treaty matches when each word starts a word of its title, short
title or slug, in any case ("mutual assist" finds "Treaty of Mutual Assistance"). SQLite keeps
an FTS5 table in step with `treaty` by triggers, folding case and accents; PostgreSQL has a GIN
index over a tsvector of the same text. Whatever the user types is reduced to words here, so no
search can carry FTS or tsquery syntax into the database. Text with no words, and words the index
cannot fold, are looked for as substrings (`contains`)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, column, func, literal_column, table, text

SEARCH_TABLE = "treaty_search"
# The tables FTS5 keeps beside the virtual table; they belong to the index, not to the models.
SEARCH_TABLES = frozenset(
    {SEARCH_TABLE, *(f"{SEARCH_TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))}
)
_WORD = re.compile(r"[^\W_]+")

# PostgreSQL: the indexed expression; a query must spell it the same way to use the index.
PG_DOCUMENT = (
    "to_tsvector('simple'::regconfig,"
    " coalesce(title, '') || ' ' || coalesce(short_title, '') || ' ' || coalesce(slug, ''))"
)

# SQLite: the index's rowid is the treaty's place on the timeline, not its id: the day of
# signature (0 when undated) above the id's 26 bits. FTS5 hands back matches in rowid order,
# so the first page of a search, the next page after a key, or the last page are read straight
# off the index however many treaties match, with no sort. A contentless table (content='')
# keeps only the index; the triggers hand it the old values it needs to remove a treaty.
# Prefixes of up to PREFIXES letters are indexed, so each keystroke of a word up to that length
# is one lazy walk of one index entry. A longer word is a merge, in memory, of every word that
# starts so: for a word in every one of a million titles, 50 ms and 13 MB, against 0.2 ms with
# its prefix indexed. Twelve letters cover all but the longest words (the index grows by about
# a sixth over six letters). No per-row token counts are kept (columnsize=0): nothing ranks.
ID_BITS = 26
ID_MASK = (1 << ID_BITS) - 1
MAX_TREATY_ID = ID_MASK
PREFIXES = 12


def _sqlite_key(row: str) -> str:
    day = f"coalesce(CAST(julianday({row}.signed_on) AS INTEGER), 0)"
    return f"(({day} << {ID_BITS}) | {row}.id)"


_SQLITE_COLUMNS = "title, short_title, slug"
_SQLITE_DDL = (
    f"""CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(
        {_SQLITE_COLUMNS}, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2',
        prefix='{" ".join(str(n) for n in range(1, PREFIXES + 1))}')""",
    f"""CREATE TRIGGER {SEARCH_TABLE}_insert AFTER INSERT ON treaty BEGIN
        SELECT RAISE(ABORT, 'treaty ids above {MAX_TREATY_ID} do not fit the search index')
        WHERE new.id > {MAX_TREATY_ID};
        INSERT INTO {SEARCH_TABLE}(rowid, {_SQLITE_COLUMNS})
        VALUES ({_sqlite_key("new")}, new.title, new.short_title, new.slug);
    END""",
    f"""CREATE TRIGGER {SEARCH_TABLE}_delete AFTER DELETE ON treaty BEGIN
        INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, {_SQLITE_COLUMNS})
        VALUES ('delete', {_sqlite_key("old")}, old.title, old.short_title, old.slug);
    END""",
    f"""CREATE TRIGGER {SEARCH_TABLE}_update
    AFTER UPDATE OF id, title, short_title, slug, signed_on ON treaty BEGIN
        INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, {_SQLITE_COLUMNS})
        VALUES ('delete', {_sqlite_key("old")}, old.title, old.short_title, old.slug);
        INSERT INTO {SEARCH_TABLE}(rowid, {_SQLITE_COLUMNS})
        VALUES ({_sqlite_key("new")}, new.title, new.short_title, new.slug);
    END""",
    f"""INSERT INTO {SEARCH_TABLE}(rowid, {_SQLITE_COLUMNS})
        SELECT {_sqlite_key("treaty")}, title, short_title, slug FROM treaty""",
)
_PG_DDL = (f"CREATE INDEX ix_treaty_search ON treaty USING gin ({PG_DOCUMENT})",)


def create_search_index(connection: Connection) -> None:
    """Create the index and fill it from the treaties already there.

    On SQLite a migration that rebuilds the treaty table (Alembic's batch mode) drops the
    triggers with the old table, so such a migration must drop and create the index again."""
    for statement in _ddl(connection):
        connection.execute(text(statement))


def drop_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for suffix in ("insert", "delete", "update"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {SEARCH_TABLE}_{suffix}"))
        connection.execute(text(f"DROP TABLE IF EXISTS {SEARCH_TABLE}"))
    elif connection.dialect.name == "postgresql":
        connection.execute(text("DROP INDEX IF EXISTS ix_treaty_search"))


def _ddl(connection: Connection) -> tuple[str, ...]:
    if connection.dialect.name == "sqlite":
        return _SQLITE_DDL
    if connection.dialect.name == "postgresql":
        return _PG_DDL
    return ()


def search_words(typed: str) -> list[str]:
    """The words of a search, folded to lower case: letters and digits only."""
    return _WORD.findall(unicodedata.normalize("NFC", typed).casefold())


def sqlite_match(words: list[str]) -> str:
    """An FTS5 query: every word, as a prefix. Words hold letters and digits only, and each is
    quoted anyway, so nothing typed is read as FTS syntax."""
    return " ".join(f'"{word}"*' for word in words)


def pg_tsquery(words: list[str]) -> str:
    return " & ".join(f"'{word}':*" for word in words)


def timeline_key(signed_on: datetime.date | None, treaty_id: int) -> int:
    """The search index's rowid for a treaty (SQLite): the same number the triggers compute."""
    # julianday() of a date at midnight ends in .5; CAST drops it: the ordinal plus 1721424.
    day = signed_on.toordinal() + 1_721_424 if signed_on is not None else 0
    return (day << ID_BITS) | treaty_id


def timeline_key_parts(key: int) -> tuple[datetime.date | None, int]:
    """timeline_key's signature date and treaty id, back from the rowid."""
    day = key >> ID_BITS
    return (datetime.date.fromordinal(day - 1_721_424) if day else None), key & ID_MASK


_SEARCH_INDEX = table(SEARCH_TABLE, column("rowid", Integer))


def search_table() -> Any:
    """The SQLite index as a table to select from: its rowid is the timeline key."""
    return _SEARCH_INDEX


def sqlite_matches(words: list[str]) -> Any:
    """The MATCH condition on the SQLite index."""
    query = bindparam("search", sqlite_match(words), unique=True)
    return literal_column(SEARCH_TABLE).op("MATCH")(query)


def pg_title_search(words: list[str]) -> Any:
    """A condition on the treaty table (PostgreSQL): its titles hold every one of `words`
    (non-empty, and ASCII: a C-locale database folds only ASCII letters; callers look for the
    other words by a scan)."""
    query = text("to_tsquery('simple'::regconfig, :search)").bindparams(search=pg_tsquery(words))
    return literal_column(PG_DOCUMENT).op("@@")(query)


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (% and _ escaped with backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def contains(column: Any, text: str) -> Any:
    """`column` holds `text`, in any case. The database's lower() may change only ASCII letters
    (SQLite's always does, PostgreSQL's in a database with the C locale), so the upper-case
    forms of the other letters of `text` are lowered with replace(), which every engine has."""
    lowered = func.lower(column)
    for letter in sorted({c for c in text.lower() if not c.isascii()}):
        for upper in sorted({letter.upper(), letter.title()} - {letter}):
            if len(upper) == 1 and upper.lower() == letter:
                lowered = func.replace(lowered, upper, letter)
    return lowered.like(like_pattern(text), escape="\\")
