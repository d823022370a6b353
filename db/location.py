"""Where the database is, from what the user gave: plain Python, so the app can find its file
before the database layer is imported."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "TREATY_TIMELINE_DB"
APP_NAME = "treaty-timeline"
DB_FILENAME = "treaties.db"


def default_database_path() -> Path:
    # platformdirs knows each OS's convention (XDG on Linux, Application Support on macOS, ...).
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DB_FILENAME


def chosen_target(target: str | os.PathLike[str] | None = None) -> str:
    """--db, then the environment, then the default place."""
    if target is None or str(target) == "":
        return str(os.environ.get(ENV_VAR) or default_database_path())
    return str(target)


def sqlite_file(target: str | os.PathLike[str] | None = None) -> Path | None:
    """The SQLite file the user chose, or None for a server URL."""
    text = chosen_target(target)
    return None if "://" in text else Path(text).expanduser().resolve()
