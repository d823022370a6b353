"""export --format markdown: a document a reader can follow, with dates at their precision."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from db.models import Citation, Source, Treaty, TreatyParty
from timeline.cli import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str):  # type: ignore[no-untyped-def]
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def markdown(cli, *filters: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = cli("export", "--format", "markdown", *filters)
    assert code == 0, err
    return out


def section(document: str, heading: str) -> str:
    """The text of the `## heading` section."""
    start = document.index(f"## {heading}\n")
    following = document.find("\n## ", start + 1)
    return document[start : following if following != -1 else None]


def test_a_section_a_treaty_in_order(cli) -> None:  # type: ignore[no-untyped-def]
    out = markdown(cli)
    assert out.startswith("# Treaties\n")
    headings = re.findall(r"^## (.+)$", out, flags=re.MULTILINE)
    assert headings == [
        "Sino-Soviet Treaty of 1950", "USSR-DPRK Treaty of 1961", "PRC-DPRK Treaty of 1961",
        "Russia-DPRK Treaty of 2000", "Russia-DPRK Treaty of 2024", "Other events",
    ]  # fmt: skip
    # Events tied to no treaty come last, when nothing is filtered.
    assert "Panel of Experts" in section(out, "Other events")


def test_the_1961_treaty_reads_completely(cli) -> None:  # type: ignore[no-untyped-def]
    text = section(markdown(cli), "USSR-DPRK Treaty of 1961")
    assert "- **Signed:** 6 July 1961, Moscow (to the day)" in text
    assert "- **In force:** 10 September 1961 (uncertain) (to the day)" in text
    assert "- **Ended:** 10 September 1996 (expired) (to the day)" in text
    assert "- **Term:** 10 years, renewed automatically for 5-year periods" in text
    assert "- **Strength:** 4 automatic defence, resting on Art. 1" in text
    assert "- USSR (SUN), continued by Russia: party; signed by N. S. Khrushchev" in text
    # The security clause is quoted in full; the other clauses are not security provisions.
    assert "> Should either of the Contracting Parties suffer armed attack" in text
    assert "unification of Korea" not in text.split("### Security provisions")[1]
    assert "- 23 January 1962: The USSR registers the 1961 USSR-DPRK treaty" in text
    assert "- 1995 (to the year): Russia gives notice" in text
    # The source that disagrees is marked, with the end date it gives.
    (line,) = [ln for ln in text.splitlines() if ln.startswith("- **Disagrees:**")]
    assert "Correlates of War" in line and "gives 1995-09-07 for ended" in line


def test_lineage_both_ways(cli) -> None:  # type: ignore[no-untyped-def]
    out = markdown(cli)
    older, newer = (section(out, f"Russia-DPRK Treaty of {year}") for year in (2000, 2024))
    assert "- **Lineage:** replaced by russia-dprk-2024" in older
    assert "- **Lineage:** replaces russia-dprk-2000" in newer


def test_a_month_stays_a_month(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("add", "--slug", "test-pact-1999", "--title", "Test Pact",
                       "--signed", "June 1999", "--ended", "2001", "--party", "USA",
                       "--party", "CAN")  # fmt: skip
    assert code == 0, err
    text = section(markdown(cli, "--search", "test-pact"), "Test Pact")
    assert "- **Signed:** June 1999 (to the month)" in text
    assert "- **Ended:** 2001 (to the year)" in text
    assert "1 June 1999" not in text

    events = section(markdown(cli, "--party", "PRK"), "Russia-DPRK Treaty of 2024")
    assert "- June 2024 (to the month): China's foreign ministry" in events
    assert "1 June 2024" not in events


def test_the_title_says_the_selection_and_markup_is_escaped(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("add", "--slug", "star-pact", "--title", "The *Star* Pact [draft]",
                       "--party", "USA", "--party", "CAN")  # fmt: skip
    assert code == 0, err
    out = markdown(cli, "--search", "star")
    assert out.startswith('# Treaties: mentioning "star"\n')
    assert "## The \\*Star\\* Pact \\[draft\\]" in out
    assert "1 treaty, in order of signature" in out


def test_a_source_disagreeing_on_a_party_is_shown_under_it(  # type: ignore[no-untyped-def]
    cli, seeded_engine: Engine
) -> None:
    with Session(seeded_engine) as session:
        party = session.exec(
            select(TreatyParty)
            .join(Treaty)
            .where(Treaty.slug == "russia-dprk-2024", TreatyParty.role == "party")
        ).first()
        source = session.exec(select(Source).where(Source.key == "korea-herald-2024-06-20")).one()
        assert party is not None
        session.add(
            Citation(
                source_id=source.id,
                party_id=party.id,
                supports="ratified",
                agrees=False,
                claim="2024-11-08",
            )
        )
        session.commit()
    lines = section(markdown(cli), "Russia-DPRK Treaty of 2024").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("- Russia (RUS): party"))
    assert lines[at + 1].startswith("  - **Disagrees:** The Korea Herald")
    assert lines[at + 1].endswith("gives 2024-11-08 for ratified")
