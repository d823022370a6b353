"""The app's first frame must not wait for the database layer: what the command line and the
first screen import is checked here, in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

# Importing these costs longer than Textual itself; the app imports them in a worker, after
# its first frame is on the screen.
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "db.models", "pydantic")


def test_the_first_screen_imports_no_database_layer() -> None:
    code = (
        "import sys\n"
        "import timeline.cli\n"
        "args = timeline.cli._app_only(['--db', 'x.db'])\n"
        "assert args is not None and args.db == 'x.db'\n"
        "import timeline.tui.app\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in"
        f" {sorted({h.split('.')[0] for h in HEAVY})!r} or m in {list(HEAVY)!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
