"""Processes saving the same treaty from the same version, on either engine: exactly one wins,
the others are told, and nothing is overwritten silently."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlmodel import Session

from db.engine import database_url, make_engine
from timeline.records import load_treaty

# Each process reads the treaty's version, says it is ready, waits for the signal, then saves.
SAVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sqlmodel import Session
    from db.engine import make_engine
    from db.changes import EditConflict
    from timeline.editing import edit_treaty
    from timeline.records import load_treaty

    url, name, strength, ready, go = sys.argv[1:]
    engine = make_engine(url)
    with Session(engine) as session:
        version = load_treaty(session, "prc-dprk-1961").version
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    try:
        edit_treaty(engine, "prc-dprk-1961", {"strength": strength, "notes": name},
                    expected_version=version)
        print("saved")
    except EditConflict as error:
        print("conflict:", error)
    """
)


@pytest.mark.parametrize("people", [2, 4])
def test_processes_racing_one_wins_the_others_are_refused(
    seeded_db: str, tmp_path: Path, people: int
) -> None:
    url = database_url(seeded_db)
    go = tmp_path / "go"
    runs = []
    for number in range(1, people + 1):
        name, strength, ready = f"person-{number}", str(number), tmp_path / f"ready-{number}"
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, url, name, strength, str(ready), str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        runs.append((name, strength, ready, process))
    deadline = time.monotonic() + 60
    while not all(ready.exists() for _, _, ready, _ in runs):
        assert time.monotonic() < deadline, "the processes did not start"
        time.sleep(0.01)
    go.touch()
    outcomes = {}
    for name, strength, _, process in runs:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        outcomes[name] = (out.strip(), strength)
    saved = [name for name, (out, _) in outcomes.items() if out == "saved"]
    refused = [name for name, (out, _) in outcomes.items() if out.startswith("conflict:")]
    print(f"{people} saves of one treaty at once: {len(saved)} saved, {len(refused)} conflicts")
    assert (len(saved), len(refused)) == (1, people - 1), outcomes
    for name in refused:
        assert "changed by someone else" in outcomes[name][0]
        assert "(version 1 -> 2); reload it" in outcomes[name][0]
    engine = make_engine(url)
    with Session(engine) as session:
        record = load_treaty(session, "prc-dprk-1961")
    engine.dispose()
    winner = saved[0]
    # The winner's save is whole; the others wrote nothing.
    assert record.notes == winner and str(record.strength) == outcomes[winner][1]
    assert record.version == 2
