"""Comparing treaties: word differences, alignment of clauses and parties, the verdict, and the
founding question: does the 2024 Russia-DPRK treaty give the guarantee of the 1961 one?"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from sqlmodel import Session

from timeline.compare import Comparison, compare, treaty_names, word_diff
from timeline.dates import PartialDate
from timeline.records import (
    PartyRecord,
    ProvisionRecord,
    StateIndex,
    StateRef,
    TreatyRecord,
    load_treaties,
    treaties_of_states,
)

TODAY = dt.date(2026, 1, 14)

# -- hand-built records --------------------------------------------------------------------------


def state(state_id: int, short_name: str, continues_as: StateRef | None = None) -> StateRef:
    return StateRef(
        id=state_id,
        name=short_name,
        short_name=short_name,
        iso3=None,
        cow_code=None,
        continuity_id=continues_as.id if continues_as else state_id,
        continuity_name=continues_as.short_name if continues_as else short_name,
    )


ALPHA = state(1, "Alphaland")
BETA = state(2, "Betaland")
GAMMA = state(3, "Gammaland")
DELTA = state(4, "Deltaland")
OLD_ALPHA = state(5, "Old Alphaland", continues_as=ALPHA)


def clause(
    position: int,
    obligation: str,
    text: str | None = None,
    *,
    security: bool = True,
) -> ProvisionRecord:
    return ProvisionRecord(
        position=position,
        article=str(position),
        obligation=obligation,
        security=security,
        text=text,
        text_status="verbatim" if text else None,
    )


def treaty(
    slug: str,
    signed: str | None = None,
    *,
    parties: tuple[StateRef, ...] = (ALPHA, BETA),
    provisions: tuple[ProvisionRecord, ...] = (),
    strength: int | None = None,
    **fields: object,
) -> TreatyRecord:
    base = TreatyRecord(
        id=sum(map(ord, slug)),
        slug=slug,
        title=f"Treaty {slug}",
        signed=PartialDate.from_iso(signed) if signed else None,
        parties=tuple(PartyRecord(state=s) for s in parties),
        provisions=provisions,
        strength=strength,
    )
    return replace(base, **fields)


DEFENCE_OLD = "Each party shall immediately assist the other with all its forces."
DEFENCE_NEW = "Each party shall assist the other, under the Charter."


def by_key(comparison: Comparison, key: str) -> tuple[str, ...]:
    return comparison.field(key).values


# -- word differences ----------------------------------------------------------------------------


def test_word_diff_ignores_case_and_trailing_punctuation_but_shows_the_words() -> None:
    diff = word_diff("The parties shall consult.", "the Parties shall consult immediately.")
    assert diff.added == ("immediately",)
    assert diff.removed == ()
    assert [s.op for s in diff.segments] == ["equal", "insert"]
    assert diff.segments[0].text == "the Parties shall consult"
    assert diff.segments[1].text == "immediately."
    assert diff.kept == 1.0


def test_a_replaced_run_is_a_deletion_followed_by_an_insertion() -> None:
    diff = word_diff("armed attack by any State or coalition", "armed attack by any country or")
    ops = [(s.op, s.text) for s in diff.segments]
    assert ops == [
        ("equal", "armed attack by any"),
        ("delete", "State"),
        ("insert", "country"),
        ("equal", "or"),
        ("delete", "coalition"),
    ]
    assert diff.removed == ("State", "coalition")
    assert diff.added == ("country",)
    assert diff.kept == pytest.approx(5 / 7)
    assert 0 < diff.similarity < 1


def test_unrelated_texts_share_nothing() -> None:
    diff = word_diff("alpha beta", "gamma delta")
    assert diff.similarity == 0.0
    assert diff.kept == 0.0
    assert diff.removed == ("alpha beta",) and diff.added == ("gamma delta",)


# -- clause alignment ----------------------------------------------------------------------------


def test_clauses_align_by_kind_in_the_order_of_obligations() -> None:
    first = treaty(
        "first",
        "1950",
        provisions=(clause(2, "consultation", "They consult."), clause(5, "defence", DEFENCE_OLD)),
    )
    second = treaty(
        "second",
        "1960",
        provisions=(clause(1, "defence", DEFENCE_NEW), clause(3, "neutrality", "Stay neutral.")),
    )
    rows = compare([first, second], today=TODAY).clauses

    assert [r.obligation for r in rows] == ["defence", "neutrality", "consultation"]
    defence, neutrality, consultation = rows
    assert [c.label for c in defence.cells if c] == ["Art. 5", "Art. 1"]
    assert defence.diffs[0] is None
    assert defence.diffs[1] is not None
    assert defence.diffs[1].added == ("under the Charter",)
    assert defence.diffs[1].removed == ("immediately", "with all its forces")
    assert neutrality.cells[0] is None and neutrality.diffs == (None, None)
    assert consultation.cells[1] is None


def test_several_clauses_of_one_kind_pair_in_order_on_rows_of_their_own() -> None:
    first = treaty(
        "first",
        "1950",
        provisions=(clause(1, "defence", "Attack on land."), clause(2, "defence", "At sea.")),
    )
    second = treaty("second", "1960", provisions=(clause(4, "defence", "Attack on land."),))
    rows = compare([first, second], today=TODAY).clauses
    assert [[c.label if c else None for c in r.cells] for r in rows] == [
        ["Art. 1", "Art. 4"],
        ["Art. 2", None],
    ]


def test_a_clause_is_compared_with_the_nearest_earlier_treaty_that_has_one() -> None:
    a = treaty("a", "1950", provisions=(clause(1, "defence", "Assist at once."),))
    b = treaty("b", "1960", provisions=(clause(1, "consultation", "Consult."),))
    c = treaty("c", "1970", provisions=(clause(2, "defence", "Assist at once, by all means."),))
    defence = compare([a, b, c], today=TODAY).clauses[0]
    assert defence.cells[1] is None and defence.diffs[1] is None
    assert defence.diffs[2] is not None and defence.diffs[2].added == ("by all means",)


def test_unflagged_clauses_count_when_none_is_flagged_but_other_never_does() -> None:
    first = treaty(
        "first",
        "1950",
        provisions=(
            clause(1, "other", "Trade.", security=False),
            clause(2, "non-aggression", "No attack.", security=False),
        ),
    )
    second = treaty("second", "1960", provisions=(clause(1, "non-aggression", "No attack."),))
    comparison = compare([first, second], today=TODAY)
    assert [r.obligation for r in comparison.clauses] == ["non-aggression"]
    assert any("repeats Art. 2 of the 1950 treaty word for word" in v for v in comparison.verdict)


# -- verdict on hand-built treaties --------------------------------------------------------------


def test_treaties_without_provisions_still_get_a_verdict() -> None:
    first = treaty("first", "1950", strength=3)
    second = treaty("second", "1970", strength=1)
    comparison = compare([first, second], today=TODAY)
    verdict = " ".join(comparison.verdict)

    assert comparison.clauses == ()
    assert "The 1970 treaty is weaker than the 1950 treaty" in verdict
    assert "conditional defence" in verdict and "non-aggression" in verdict
    assert "No clauses recorded for the 1950 treaty: the comparison rests on the coded" in verdict
    assert "No security clauses recorded." in comparison.to_markdown()


def test_uncoded_strength_is_said_plainly() -> None:
    first = treaty("first", "1950", strength=4, provisions=(clause(1, "defence", DEFENCE_OLD),))
    second = treaty("second", "1970")
    comparison = compare([first, second], today=TODAY)
    assert by_key(comparison, "strength") == ("4 automatic defence", "not coded")
    assert comparison.verdict[0].startswith("Strength not coded for the 1970 treaty")
    assert "strength 4 -> ?" in comparison.verdict[0]
    assert any("strength is not coded: nothing recorded" in v for v in comparison.verdict)


def test_three_treaties_keep_the_callers_order_and_the_verdict_follows_time() -> None:
    early = treaty("early", "1950-05", strength=4, signed_place="Capital")
    middle = treaty("middle", "1970", strength=2)
    late = treaty("late", "1990-03-01", strength=4)
    comparison = compare([late, early, middle], today=TODAY)

    assert [t.slug for t in comparison.treaties] == ["late", "early", "middle"]
    assert [t.slug for t in comparison.chronological] == ["early", "middle", "late"]
    assert by_key(comparison, "signed") == ("1 March 1990", "May 1950, Capital", "1970")
    assert comparison.verdict[0] == (
        "The 1990 treaty restores the automatic defence of the 1950 treaty after the 1970 treaty"
        " (consultation); strength 4 -> 2 -> 4"
    )


def test_equal_strength_with_no_dip_is_the_same_level() -> None:
    first = treaty("first", "1950", strength=2)
    second = treaty("second", "1960", strength=2)
    assert "the same level of guarantee" in compare([first, second], today=TODAY).verdict[0]


def test_unrelated_parties_are_set_apart() -> None:
    first = treaty("first", "1950", parties=(ALPHA, BETA))
    second = treaty("second", "1960", parties=(GAMMA, DELTA))
    comparison = compare([first, second], today=TODAY)

    aligned = [[s.short_name if s else None for s in r.states] for r in comparison.parties]
    assert aligned == [
        ["Alphaland", None],
        ["Betaland", None],
        [None, "Gammaland"],
        [None, "Deltaland"],
    ]
    assert comparison.succession_notes == ()
    assert any(
        v.startswith("The parties differ: no party in common; Alphaland only to the 1950 treaty")
        for v in comparison.verdict
    )


def test_a_predecessor_state_lines_up_with_its_continuing_state() -> None:
    first = treaty("first", "1950", parties=(OLD_ALPHA, BETA))
    second = treaty("second", "1990", parties=(BETA, ALPHA))
    comparison = compare([first, second], today=TODAY)

    row = next(r for r in comparison.parties if r.continuity_name == "Alphaland")
    assert [s.short_name for s in row.states if s] == ["Old Alphaland", "Alphaland"]
    assert comparison.succession_notes == (
        "Old Alphaland (1950) and Alphaland (1990) are the same continuing party: "
        "Alphaland continues Old Alphaland.",
    )
    assert any("same continuing parties" in v for v in comparison.verdict)


def test_terms_and_durations_are_described() -> None:
    fixed = treaty(
        "fixed",
        "1961-07-06",
        in_force=PartialDate.from_iso("1961-09-10"),
        ended=PartialDate.from_iso("1996-09-10"),
        end_reason="expired",
        term_months=120,
        renewal="automatic",
        renewal_months=60,
    )
    open_ended = treaty("open", "2024-06-19", indefinite=True)
    comparison = compare([fixed, open_ended], today=TODAY)

    assert by_key(comparison, "term") == (
        "10 years, renewed automatically for 5-year periods",
        "unlimited duration",
    )
    assert by_key(comparison, "ended") == ("10 September 1996 (expired)", "not ended")
    assert by_key(comparison, "duration") == (
        "35 years",
        "in force for 1 year, 6 months, 26 days from signature, as of 14 January 2026",
    )
    assert any(v.startswith("Fixed term against unlimited duration") for v in comparison.verdict)


def test_names_fall_back_from_years_to_short_titles_to_slugs() -> None:
    a = treaty("a-1961", "1961-07-06", short_title="A Treaty of 1961")
    b = treaty("b-1961", "1961-07-11", short_title="B Treaty of 1961")
    c = treaty("c-undated")
    assert treaty_names([a, b]) == {
        "a-1961": "the A Treaty of 1961",
        "b-1961": "the B Treaty of 1961",
    }
    assert treaty_names([a, c])["c-undated"] == "treaty c-undated"


def test_fewer_than_two_treaties_or_a_repeated_one_is_refused() -> None:
    one = treaty("one", "1950")
    with pytest.raises(ValueError, match="at least two treaties"):
        compare([one])
    with pytest.raises(ValueError, match="more than once: one"):
        compare([one, one])


# -- the founding treaties -----------------------------------------------------------------------


def context_for(session: Session, treaties: list[TreatyRecord]) -> list[TreatyRecord]:
    """Treaties binding exactly the compared treaties' continuing parties."""
    states = StateIndex(session)
    parties = {p.state.continuity_id for t in treaties for p in t.parties}
    lineage = [
        s.id for ref in states.by_id.values() if ref.id in parties for s in states.lineage(ref)
    ]
    return [
        t
        for t in treaties_of_states(session, lineage)
        if {p.state.continuity_id for p in t.parties} == parties
    ]


@pytest.fixture
def founding_question(seeded_session: Session) -> Comparison:
    treaties = load_treaties(seeded_session, ["ussr-dprk-1961", "russia-dprk-2024"])
    context = context_for(seeded_session, treaties)
    assert {t.slug for t in context} >= {"russia-dprk-2000"}
    return compare(treaties, context=context, today=TODAY)


def test_1961_and_2024_give_the_same_strength(founding_question: Comparison) -> None:
    assert by_key(founding_question, "strength") == (
        "4 automatic defence (Art. 1)",
        "4 automatic defence (Art. 4)",
    )
    assert [t.strength for t in founding_question.treaties] == [4, 4]


def test_2024_restores_the_automatic_defence_that_2000_lacked(
    founding_question: Comparison,
) -> None:
    headline = founding_question.verdict[0]
    assert "The 2024 treaty (its Art. 4) restores the automatic defence of the 1961 treaty" in (
        headline
    )
    assert "after the 2000 treaty (consultation)" in headline
    assert headline.endswith("strength 4 -> 2 -> 4")


def test_the_defence_clauses_align_and_2024_adds_the_article_51_qualification(
    founding_question: Comparison,
) -> None:
    defence = next(r for r in founding_question.clauses if r.obligation == "defence")
    assert [c.label for c in defence.cells if c] == ["Art. 1", "Art. 4"]
    diff = defence.diffs[1]
    assert diff is not None
    assert (
        "in accordance with Article 51 of the UN Charter and the laws of the Russian Federation"
        " and the DPRK" in diff.added
    )
    assert "Contracting Parties suffer" in diff.removed
    verdict = " ".join(founding_question.verdict)
    assert (
        "Art. 4 of the 2024 treaty keeps 63% of the words of Art. 1 of the 1961 treaty" in verdict
    )
    assert '"in accordance with Article 51 of the UN Charter' in verdict


def test_the_ussr_and_russia_are_one_continuing_party(founding_question: Comparison) -> None:
    rows = {r.continuity_name: r for r in founding_question.parties}
    assert set(rows) == {"Russia", "North Korea"}
    assert [s.short_name for s in rows["Russia"].states if s] == ["USSR", "Russia"]
    assert founding_question.succession_notes == (
        "The USSR (1961) and Russia (2024) are the same continuing party: "
        "Russia continues the USSR.",
    )
    assert any(v.startswith("The same continuing parties") for v in founding_question.verdict)


def test_the_term_changes_from_fixed_to_unlimited(founding_question: Comparison) -> None:
    assert by_key(founding_question, "in_force") == (
        "10 September 1961 (uncertain)",
        "4 December 2024",
    )
    assert by_key(founding_question, "duration")[0] == "35 years (uncertain)"
    assert founding_question.verdict[-1].startswith("Fixed term against unlimited duration")


def test_context_binding_other_parties_is_left_out(seeded_session: Session) -> None:
    everything = load_treaties(
        seeded_session,
        [
            "sino-soviet-1950",
            "ussr-dprk-1961",
            "prc-dprk-1961",
            "russia-dprk-2000",
            "russia-dprk-2024",
        ],
    )
    by_slug = {t.slug: t for t in everything}
    comparison = compare(
        [by_slug["ussr-dprk-1961"], by_slug["russia-dprk-2024"]], context=everything, today=TODAY
    )
    assert [t.slug for t in comparison.context] == ["russia-dprk-2000"]
    assert comparison.verdict[0].startswith("The 2024 treaty (its Art. 4) restores")
    assert comparison.verdict[0].endswith(
        "after the 2000 treaty (consultation); strength 4 -> 2 -> 4"
    )


def test_the_order_given_is_kept_but_the_verdict_reads_forward(seeded_session: Session) -> None:
    treaties = load_treaties(seeded_session, ["russia-dprk-2024", "ussr-dprk-1961"])
    comparison = compare(treaties, today=TODAY)
    assert by_key(comparison, "signed") == ("19 June 2024, Pyongyang", "6 July 1961, Moscow")
    assert comparison.verdict[0].startswith(
        "The 2024 treaty (its Art. 4) gives the same level of guarantee as the 1961 treaty"
    )


def test_2000_and_2024_consultation_clauses_align(seeded_session: Session) -> None:
    treaties = load_treaties(seeded_session, ["russia-dprk-2000", "russia-dprk-2024"])
    comparison = compare(treaties, today=TODAY)
    consultation = next(r for r in comparison.clauses if r.obligation == "consultation")
    assert [c.label for c in consultation.cells if c] == ["Art. 2", "Art. 3"]
    assert consultation.diffs[1] is not None
    assert comparison.verdict[0].startswith("The 2024 treaty (its Art. 4) is stronger than")
    assert any("a defence clause (Art. 4) with no counterpart" in v for v in comparison.verdict)


def test_markdown_report(founding_question: Comparison) -> None:
    report = founding_question.to_markdown()
    assert report.startswith("# Comparison: USSR-DPRK Treaty of 1961 and Russia-DPRK Treaty of")
    assert "| field | USSR-DPRK Treaty of 1961 | Russia-DPRK Treaty of 2024 |" in report
    assert (
        "| guarantee strength | 4 automatic defence (Art. 1) | 4 automatic defence (Art. 4) |"
        in (report)
    )
    assert "~~Should either~~ **In the event that one**" in report
    assert "**in accordance with Article 51 of the UN Charter" in report
    assert "- The USSR (1961) and Russia (2024) are the same continuing party" in report
    assert "- The 2024 treaty (its Art. 4) restores the automatic defence" in report


def test_dict_is_json_with_dates_cut_to_their_precision(founding_question: Comparison) -> None:
    data = json.loads(json.dumps(founding_question.to_dict()))
    assert data["as_of"] == "2026-01-14"
    assert [t["signed"] for t in data["treaties"]] == ["1961-07-06", "2024-06-19"]
    assert data["context"] == ["russia-dprk-2000"]
    defence = next(r for r in data["clauses"] if r["obligation"] == "defence")
    assert defence["diffs"][0] is None
    assert {"insert", "delete", "equal"} == {s["op"] for s in defence["diffs"][1]["segments"]}
    assert data["verdict"] == list(founding_question.verdict)
