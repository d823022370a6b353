"""The app's first frame must not wait for the database layer: what the command line and the
first screen import is checked here, in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

# Importing these costs longer than Textual itself; the app imports them in a worker, after
# its first frame is on the screen.
HEAVY_PACKAGES = ("sqlalchemy", "sqlmodel", "alembic", "pydantic")
# The command line's parser and command modules are not needed to start the app either.
HEAVY_MODULES = (
    "db.models", "db.engine", "db.schema", "timeline.database", "timeline.cli", "argparse",
)  # fmt: skip


def test_the_first_screen_imports_no_database_layer() -> None:
    code = (
        "import sys\n"
        "import timeline.launch\n"
        "assert timeline.launch.app_database(['--db', 'x.db']) == (True, 'x.db')\n"
        "import timeline.tui.app\n"
        # What reads the first page before the database layer is imported.
        "import timeline.first_page\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in"
        f" {list(HEAVY_PACKAGES)!r} or m in {list(HEAVY_MODULES)!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
