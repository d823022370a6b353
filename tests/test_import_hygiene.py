"""The core (db/ and the domain logic) never loads the terminal UI toolkit, and db/ never
depends on timeline/: data flows one way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORE = [
    "db.models", "db.engine", "db.schema", "db.queries", "db.changes",
    "timeline.dates", "timeline.strength", "timeline.records", "timeline.forms",
    "timeline.editing", "timeline.views", "timeline.seed", "timeline.database", "timeline.cli",
]  # fmt: skip


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_db_package_does_not_import_timeline() -> None:
    for path in (REPO / "db").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from timeline" not in text and "import timeline" not in text, path
