"""Throwaway databases on the PostgreSQL server named by TREATY_TIMELINE_TEST_PG.

Templates are built once per session (migrated, and seeded); each test then gets its own copy
with CREATE DATABASE ... TEMPLATE, and it is dropped after. Copies are made, and dropped, on a
thread of their own while the tests run, so a test seldom waits for one."""

from __future__ import annotations

import itertools
import os
import secrets
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

SERVER_ENV = "TREATY_TIMELINE_TEST_PG"


def server_url() -> str | None:
    return os.environ.get(SERVER_ENV) or None


class TestServer:
    """Creates and drops databases on the server; every name it makes starts with its prefix."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        # CREATE and DROP DATABASE cannot run inside a transaction.
        self.admin: Engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"tt_{os.getpid()}_{secrets.token_hex(3)}"
        self.numbers = itertools.count(1)
        self.made: list[str] = []
        with self.admin.connect() as connection:
            version = int(connection.exec_driver_sql("SHOW server_version_num").scalar_one())
        # From PostgreSQL 15 a copy is WAL-logged block by block unless told to copy the files,
        # which is several times faster for a small template.
        self.strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
        self.background = ThreadPoolExecutor(max_workers=1)
        self.next_copy: dict[str, Future[str]] = {}

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None, owner: str | None = None) -> str:
        """A new database (empty, or a copy of `template`); returns its name."""
        name = f"{self.prefix}_{next(self.numbers)}"
        options = (f" TEMPLATE {template}{self.strategy}" if template else "") + (
            f' OWNER "{owner}"' if owner else ""
        )
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}{options}")
        self.made.append(name)
        return name

    def copy_of(self, template: str) -> str:
        """A new copy of `template`, most often made while the previous test ran; the next one
        is started at once."""
        pending = self.next_copy.pop(template, None)
        name = pending.result() if pending else self.create(template)
        self.next_copy[template] = self.background.submit(self.create, template)
        return name

    def discard(self, name: str) -> None:
        """Drop the database on the background thread (close() drops whatever is left)."""
        self.background.submit(self.drop, name)

    def drop(self, name: str) -> None:
        # FORCE ends the connections an engine left open in the pool (PostgreSQL 13 and later).
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.made.remove(name)

    def execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(statement))

    def close(self) -> None:
        self.background.shutdown(wait=True)
        for name in reversed(list(self.made)):
            self.drop(name)
        self.admin.dispose()
