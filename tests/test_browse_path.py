"""Browsing the timeline reads with SQLAlchemy Core alone: the ORM, SQLModel and pydantic
(a third of the app's memory) are not imported to open a database and page through it. Checked
in a fresh interpreter, as tests/test_start_path.py checks the first screen."""

from __future__ import annotations

import json
import subprocess
import sys

ORM_PACKAGES = ("sqlalchemy.orm", "sqlmodel", "pydantic")

BROWSE = """
import json, sys
from timeline.browse import apply_filter, count_exactly, fetch_page, position_of
from timeline.database import open_database
from timeline.timeline_rows import BrowseFilter

engine = open_database(sys.argv[1]).engine
wanted = BrowseFilter(
    party="PRK", period="1950..1990", min_strength="2", text="mutual"
)
state = apply_filter(engine, wanted)
page = fetch_page(engine, state.filter, 0, state.count)
print(json.dumps({
    "slugs": [row.slug for row in page],
    "same_page": list(state.first_page) == page,
    "count": count_exactly(engine, state).count,
    "position": position_of(engine, state.filter, "prc-dprk-1961"),
    "modules": sorted(sys.modules),
}))
"""


def test_browsing_an_existing_database_imports_no_orm(seeded_db: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", BROWSE, seeded_db], capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout)
    # The filter did its work: a party, a period, a strength and a word, on the founding data.
    assert found["slugs"] == ["ussr-dprk-1961", "prc-dprk-1961"]
    assert found["same_page"] and found["count"] == 2 and found["position"] == 1
    assert [m for m in found["modules"] if _in_orm_packages(m)] == []


def _in_orm_packages(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in ORM_PACKAGES)
