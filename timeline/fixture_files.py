"""Where the fixture files are: inside the installed package, or beside it in a checkout."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def fixtures_dir() -> Path:
    # The wheel carries fixtures/ as timeline/fixtures (see pyproject.toml).
    packaged = _HERE / "fixtures"
    return packaged if packaged.is_dir() else _HERE.parent / "fixtures"


def fixture_path(name: str) -> Path:
    return fixtures_dir() / name
