"""The wheel carries everything it needs: installed in a fresh virtual environment, away from
the checkout, it creates, migrates and seeds a database in the user's data directory."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    # Always an explicit environment: readline, loaded by pytest, can leave COLUMNS=80 in the
    # C-level environment that a child would otherwise inherit.
    env = dict(os.environ) if env is None else env
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project installed from its wheel; returns the venv's bin dir."""
    work = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "-q", "-w", work / "dist", REPO, cwd=work,
    )  # fmt: skip
    (wheel,) = (work / "dist").glob("treaty_timeline-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=work)
    bin_dir = venv / "bin"
    _run(bin_dir / "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=work)
    # The dependencies come from the test environment (no network); the project itself
    # comes only from the wheel, since .pth lines do not pull in the editable checkout.
    site = Path(_run(bin_dir / "python", "-c", "import site; print(site.getsitepackages()[0])",
                     cwd=work).strip())  # fmt: skip
    (site / "test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return bin_dir


@pytest.mark.sqlite_only(reason="the default database is a SQLite file in the user data dir")
def test_installed_command_seeds_the_default_data_dir(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "TREATY_TIMELINE"))}
    env["HOME"] = str(home)
    out = _run(installed / "treaty-timeline", cwd=tmp_path, env=env)
    assert "seeded with the founding records" in out
    assert "ussr-dprk-1961" in out and "russia-dprk-2024" in out
    database = home / ".local" / "share" / "treaty-timeline" / "treaties.db"
    assert database.is_file()
    # Second run: the same file, nothing seeded again.
    again = _run(installed / "treaty-timeline", cwd=tmp_path, env=env)
    assert "seeded" not in again
    assert str(database) in again


def test_installed_package_runs_as_a_module_from_its_own_files(
    installed: Path, tmp_path: Path, new_db: str
) -> None:
    where = _run(
        installed / "python", "-c", "import timeline, db; print(timeline.__file__, db.__file__)",
        cwd=tmp_path,
    )  # fmt: skip
    assert str(REPO) not in where
    # Its own migrations make the schema, on SQLite or on a PostgreSQL server.
    out = _run(installed / "python", "-m", "timeline", "--db", new_db, cwd=tmp_path)
    assert "6 July 1961" in out


def test_wheel_contents(installed: Path) -> None:
    wheel = next((installed.parent.parent / "dist").glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "db/migrations/env.py" in names
    assert "db/migrations/versions/0001_initial_schema.py" in names
    assert "timeline/fixtures/founding.json" in names
    assert "timeline/fixtures/states.json" in names
