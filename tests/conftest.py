from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from db.engine import make_engine
from db.schema import ensure_schema
from timeline.database import open_database

REPO = Path(__file__).resolve().parent.parent
# The shared research data sets live beside the checkout; tests read them in place.
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded database file per test session; tests get their own copy."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    database = open_database(path)
    database.engine.dispose()
    return path


@pytest.fixture
def seeded_path(seeded_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "treaties.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def seeded_engine(seeded_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{seeded_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_session(seeded_engine: Engine) -> Iterator[Session]:
    with Session(seeded_engine) as session:
        yield session


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    """A database with the current schema and no records."""
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    ensure_schema(engine)
    yield engine
    engine.dispose()
