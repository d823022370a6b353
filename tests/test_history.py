"""The guarantee between two states over time: overlaps, gaps, succession, bars, founding data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session

from db.errors import NotFound
from timeline.dates import PartialDate
from timeline.history import (
    BLOCK,
    EMPTY,
    GAP,
    Period,
    StrengthHistory,
    axis,
    bar,
    binding_spans,
    history,
    load_history,
)
from timeline.records import PartyRecord, StateRef, TreatyRecord

TODAY = date(2026, 1, 1)

RUS = StateRef(1, "Russian Federation", "Russia", "RUS", 365, 1, "Russia")
SUN = StateRef(2, "Union of Soviet Socialist Republics", "USSR", "SUN", None, 1, "Russia")
PRK = StateRef(
    3, "Democratic People's Republic of Korea", "North Korea", "PRK", 731, 3, "North Korea"
)
CHN = StateRef(4, "People's Republic of China", "China", "CHN", 710, 4, "China")

_ids = iter(range(1, 1000))


def day(text: str | None) -> PartialDate | None:
    return PartialDate.from_iso(text) if text else None


def treaty(
    slug: str,
    signed: str | None,
    ended: str | None = None,
    *,
    strength: int | None = 4,
    in_force: str | None = None,
    in_force_uncertain: bool = False,
    parties: tuple[StateRef, ...] = (RUS, PRK),
    roles: tuple[str, ...] | None = None,
    members: tuple[PartyRecord, ...] | None = None,
) -> TreatyRecord:
    roles = roles or ("party",) * len(parties)
    if members is None:
        members = tuple(PartyRecord(state=s, role=r) for s, r in zip(parties, roles, strict=True))
    return TreatyRecord(
        id=next(_ids),
        slug=slug,
        title=slug,
        signed=day(signed),
        in_force=day(in_force),
        in_force_uncertain=in_force_uncertain,
        ended=day(ended),
        strength=strength,
        parties=members,
    )


def member(state: StateRef, joined: str | None = None, left: str | None = None) -> PartyRecord:
    """A party with its own entry and exit, as ATOP's member-level data give them."""
    return PartyRecord(state=state, joined=day(joined), left=day(left))


def rows(result: StrengthHistory) -> list[tuple[str, str | None, int | None, str | None]]:
    return [
        (
            p.start.iso(),
            p.end.iso() if p.end else None,
            p.strength,
            p.treaty.slug if p.treaty else None,
        )
        for p in result.periods
    ]


def others(result: StrengthHistory) -> list[list[str]]:
    return [[t.slug for t in p.others] for p in result.periods]


# -- the sweep -----------------------------------------------------------------------------------


def test_stronger_overlapping_treaty_governs_and_the_weaker_is_listed() -> None:
    weak = treaty("weak", "1950-01-01", "1990-01-01", strength=2)
    strong = treaty("strong", "1960-01-01", "1970-01-01", strength=4)
    result = history(RUS, PRK, [weak, strong], today=TODAY)
    assert rows(result) == [
        ("1950-01-01", "1960-01-01", 2, "weak"),
        ("1960-01-01", "1970-01-01", 4, "strong"),
        ("1970-01-01", "1990-01-01", 2, "weak"),
    ]
    assert others(result) == [[], ["weak"], []]
    # The weak treaty takes over again because the strong one ended, not because it began.
    assert [p.start_basis for p in result.periods] == ["signed", "signed", "ended"]
    assert result.summary == "2 -> 4 -> 2"


def test_equal_strength_goes_to_the_later_treaty() -> None:
    old = treaty("old", "1950-01-01", "1980-01-01", strength=3)
    new = treaty("new", "1960-01-01", strength=3)
    result = history(RUS, PRK, [new, old], today=TODAY)
    assert rows(result) == [
        ("1950-01-01", "1960-01-01", 3, "old"),
        ("1960-01-01", "1980-01-01", 3, "new"),
        ("1980-01-01", None, 3, "new"),
    ]
    assert others(result) == [[], ["old"], []]
    assert result.summary == "3"


def test_gap_between_treaties() -> None:
    first = treaty("first", "1961-07-06", "1996-09-10", strength=4)
    second = treaty("second", "2000-02-09", strength=2)
    result = history(RUS, PRK, [second, first], today=TODAY)
    assert rows(result) == [
        ("1961-07-06", "1996-09-10", 4, "first"),
        ("1996-09-10", "2000-02-09", None, None),
        ("2000-02-09", None, 2, "second"),
    ]
    assert [p.is_gap for p in result.periods] == [False, True, False]
    assert result.summary == "4 -> gap -> 2"


def test_treaty_starting_the_day_another_ends_leaves_no_gap() -> None:
    old = treaty("old", "2000-02-09", "2024-12-04", strength=2)
    new = treaty("new", "2024-06-19", in_force="2024-12-04", strength=4)
    result = history(RUS, PRK, [old, new], today=TODAY)
    assert rows(result) == [
        ("2000-02-09", "2024-12-04", 2, "old"),
        ("2024-12-04", None, 4, "new"),
    ]
    assert result.periods[1].start_basis == "in force"


def test_uncoded_treaty_makes_a_period_not_a_gap_and_ranks_below_level_0() -> None:
    uncoded = treaty("uncoded", "1950-01-01", "1990-01-01", strength=None)
    friendship = treaty("friendship", "1970-01-01", "1980-01-01", strength=0)
    result = history(RUS, PRK, [uncoded, friendship], today=TODAY)
    assert rows(result) == [
        ("1950-01-01", "1970-01-01", None, "uncoded"),
        ("1970-01-01", "1980-01-01", 0, "friendship"),
        ("1980-01-01", "1990-01-01", None, "uncoded"),
    ]
    assert not any(p.is_gap for p in result.periods)
    assert result.summary == "not coded -> 0 -> not coded"
    assert result.to_dict()["periods"][0]["strength_name"] == "not coded"


def test_undated_treaty_is_skipped_and_listed() -> None:
    undated = treaty("undated", None)
    dated = treaty("dated", "1961-07-06")
    result = history(RUS, PRK, [undated, dated], today=TODAY)
    assert rows(result) == [("1961-07-06", None, 4, "dated")]
    assert [t.slug for t in result.undated] == ["undated"]


def test_only_undated_treaties_give_no_periods() -> None:
    result = history(RUS, PRK, [treaty("undated", None)], today=TODAY)
    assert result.periods == ()
    assert result.summary == "no treaty"
    assert axis(result, TODAY) == (TODAY, TODAY)


def test_predecessor_state_treaty_counts_for_the_continuing_state() -> None:
    soviet = treaty("soviet", "1961-07-06", "1996-09-10", parties=(SUN, PRK))
    assert rows(history(RUS, PRK, [soviet], today=TODAY)) == [
        ("1961-07-06", "1996-09-10", 4, "soviet")
    ]
    # and the other way round, asked about the USSR for a treaty Russia signed
    russian = treaty("russian", "2000-02-09", parties=(RUS, PRK))
    assert rows(history(PRK, SUN, [russian], today=TODAY)) == [("2000-02-09", None, 4, "russian")]


def test_treaties_with_a_third_state_do_not_count() -> None:
    elsewhere = treaty("elsewhere", "1950-02-14", parties=(SUN, CHN))
    assert history(RUS, PRK, [elsewhere], today=TODAY).periods == ()


@pytest.mark.parametrize("role", ["signatory", "observer"])
def test_a_state_that_is_not_a_party_is_not_bound(role: str) -> None:
    signed_only = treaty("signed-only", "1990-01-01", parties=(RUS, PRK), roles=("party", role))
    assert history(RUS, PRK, [signed_only], today=TODAY).periods == ()


def test_multilateral_treaty_binds_any_two_of_its_parties() -> None:
    pact = treaty("pact", "1955-05-14", parties=(SUN, CHN, PRK))
    assert rows(history(CHN, PRK, [pact], today=TODAY)) == [("1955-05-14", None, 4, "pact")]


def test_uncertain_entry_into_force_counts_from_signature_with_a_note() -> None:
    t = treaty("t", "1961-07-06", in_force="1961-09-10", in_force_uncertain=True)
    result = history(RUS, PRK, [t], today=TODAY)
    assert result.periods[0].start.iso() == "1961-07-06"
    assert result.periods[0].start_basis == "signed"
    assert any("uncertain" in note and "6 July 1961" in note for note in result.notes)


def test_known_entry_into_force_counts_rather_than_signature() -> None:
    t = treaty("t", "2024-06-19", in_force="2024-12-04")
    result = history(RUS, PRK, [t], today=TODAY)
    assert (result.periods[0].start.iso(), result.periods[0].start_basis) == (
        "2024-12-04",
        "in force",
    )
    assert any("19 June 2024" in note for note in result.notes)


def test_uncertain_entry_into_force_is_used_when_there_is_no_signature() -> None:
    t = treaty("t", None, in_force="1961-09-10", in_force_uncertain=True)
    result = history(RUS, PRK, [t], today=TODAY)
    assert result.periods[0].start_basis == "in force"
    assert result.undated == ()


def test_coarse_dates_bound_at_their_first_day_but_keep_their_precision() -> None:
    first = treaty("first", "1961", "1970-03")
    second = treaty("second", "1970-03-01", strength=2)
    result = history(RUS, PRK, [first, second], today=TODAY)
    assert rows(result) == [("1961", "1970-03", 4, "first"), ("1970-03-01", None, 2, "second")]
    assert result.periods[0].start.display() == "1961"
    assert result.periods[0].duration_text() == "about 9 years"


def test_treaty_ending_before_it_starts_is_left_out_with_a_note() -> None:
    broken = treaty("broken", "1990-01-01", "1980-01-01")
    result = history(RUS, PRK, [broken], today=TODAY)
    assert result.periods == ()
    assert any("left out" in note for note in result.notes)


def test_same_continuing_state_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="are the same state"):
        history(RUS, SUN, [], today=TODAY)


def test_durations_of_closed_and_open_periods() -> None:
    closed = treaty("closed", "1961-07-06", "1996-09-10")
    open_ = treaty("open", "2024-12-04")
    result = history(RUS, PRK, [closed, open_], today=TODAY)
    assert result.periods[0].duration_text(TODAY) == "35 years, 2 months, 4 days"
    assert result.periods[-1].duration_text(date(2025, 12, 4)) == "1 year"
    assert result.periods[-1].duration_text(date(2024, 1, 1)) == "not yet begun"


def test_to_dict_is_json_with_iso_dates_cut_to_precision() -> None:
    weak = treaty("weak", "1950", "1990-01-01", strength=2)
    strong = treaty("strong", "1960-05", strength=4)
    data = json.loads(json.dumps(history(RUS, PRK, [weak, strong], today=TODAY).to_dict()))
    assert data["states"][0]["iso3"] == "RUS"
    assert data["states"][1]["name"] == "North Korea"
    assert data["summary"] == "2 -> 4"
    assert data["periods"][0] == {
        "start": "1950",
        "start_basis": "signed",
        "end": "1960-05",
        "gap": False,
        "strength": 2,
        "strength_name": "consultation",
        "treaty": "weak",
        "others": [],
    }
    assert data["periods"][1]["others"] == ["weak"]
    assert data["periods"][-1]["end"] is None


# -- members' own dates --------------------------------------------------------------------------


def amity(*members: PartyRecord, ended: str | None = None) -> TreatyRecord:
    """A multilateral pact of 1976 that states joined later, like ATOP 3755."""
    return treaty("amity", "1976-02-24", ended, strength=1, members=members)


def test_a_late_member_counts_from_its_accession() -> None:
    pact = amity(member(CHN, "2003-10-08"), member(RUS, "2004-11-29"), member(PRK, "2008-07-24"))
    result = history(RUS, PRK, [pact], today=TODAY)
    assert rows(result) == [("2008-07-24", None, 1, "amity")]
    assert result.periods[0].start_basis == "joined"
    assert (
        "amity: counted from North Korea's accession on 24 July 2008, not from the treaty's "
        "signature on 24 February 1976."
    ) in result.notes
    # For another pair the later accession is the other state's.
    china = history(CHN, RUS, [pact], today=TODAY)
    assert rows(china) == [("2004-11-29", None, 1, "amity")]
    assert any("Russia's accession on 29 November 2004" in note for note in china.notes)


def test_a_founding_member_and_a_late_one_count_from_the_accession() -> None:
    pact = amity(member(RUS), member(PRK, "2008-07-24"))
    assert rows(history(RUS, PRK, [pact], today=TODAY)) == [("2008-07-24", None, 1, "amity")]


def test_a_member_that_left_ends_the_period_before_the_treaty_does() -> None:
    pact = amity(member(RUS), member(PRK, left="1990-01-01"), ended="2000-01-01")
    later = treaty("later", "1995-01-01", strength=2)
    result = history(RUS, PRK, [pact, later], today=TODAY)
    assert rows(result) == [
        ("1976-02-24", "1990-01-01", 1, "amity"),
        ("1990-01-01", "1995-01-01", None, None),
        ("1995-01-01", None, 2, "later"),
    ]
    assert result.periods[1].start_basis == "ended"
    assert (
        "amity: counted until North Korea's exit on 1 January 1990; the treaty itself ended on "
        "1 January 2000."
    ) in result.notes


def test_the_treaty_s_own_dates_bound_a_member_s_dates() -> None:
    pact = amity(member(RUS, "1970-01-01"), member(PRK, left="2010-01-01"), ended="2005-01-01")
    result = history(RUS, PRK, [pact], today=TODAY)
    assert rows(result) == [("1976-02-24", "2005-01-01", 1, "amity")]
    assert result.periods[0].start_basis == "signed"
    assert not any("accession" in note or "exit" in note for note in result.notes)


def test_member_dates_keep_their_precision() -> None:
    pact = amity(member(RUS), member(PRK, "1983-03", left="1990"))
    result = history(RUS, PRK, [pact], today=TODAY)
    assert rows(result) == [("1983-03", "1990", 1, "amity")]
    assert result.periods[0].start.described() == "March 1983 (month)"
    assert (
        "amity: North Korea's accession is known only to the month (March 1983), so it is "
        "placed on the first day of that month."
    ) in result.notes
    assert any(
        note.startswith("amity: North Korea's exit is known only to the year")
        for note in result.notes
    )
    # An entry in the month the treaty was signed (February 1976) does not start it earlier.
    same_month = amity(member(RUS), member(PRK, "1976-02"))
    assert rows(history(RUS, PRK, [same_month], today=TODAY)) == [("1976-02-24", None, 1, "amity")]


def test_a_predecessor_s_membership_continues_in_its_successor() -> None:
    pact = amity(
        member(SUN, left="1991-12-26"), member(RUS, "1991-12-26"), member(PRK, "1980-05-01")
    )
    result = history(RUS, PRK, [pact], today=TODAY)
    assert rows(result) == [("1980-05-01", None, 1, "amity")]
    assert not any("exit" in note for note in result.notes)
    assert binding_spans(pact, PRK, SUN) == [(date(1980, 5, 1), None)]


def test_states_never_members_at_the_same_time_are_not_bound() -> None:
    pact = amity(member(RUS, left="1990-01-01"), member(PRK, "1995-01-01"))
    result = history(RUS, PRK, [pact], today=TODAY)
    assert result.periods == ()
    assert (
        "amity: left out, because Russia and North Korea were never members of it at the same time."
    ) in result.notes
    assert binding_spans(pact, RUS, PRK) == []


def test_crosscheck_counts_the_same_days_as_the_history() -> None:
    pact = amity(member(RUS, "2004-11-29"), member(PRK, "2008-07-24", left="2020-06"))
    (period,) = history(RUS, PRK, [pact], today=TODAY).periods
    assert period.end is not None
    assert binding_spans(pact, RUS, PRK) == [(period.start.first_day, period.end.first_day)]
    assert binding_spans(pact, RUS, CHN) == []
    assert binding_spans(treaty("undated", None), RUS, PRK) == []


# -- bars ----------------------------------------------------------------------------------------


def _period(start: str, end: str | None, slug: str | None = "t") -> Period:
    t = treaty(slug, start) if slug else None
    strength = 4 if t else None
    return Period(PartialDate.from_iso(start), "signed", day(end), strength, t, ())


def test_bar_draws_the_period_in_proportion_on_the_axis() -> None:
    # a 100-year axis on 10 characters: 1950-1970 is the third and fourth character
    line = bar(_period("1950-01-01", "1970-01-01"), date(1930, 1, 1), date(2030, 1, 1), 10)
    assert line == EMPTY * 2 + BLOCK * 2 + EMPTY * 6


def test_gap_is_drawn_differently_from_a_treaty() -> None:
    line = bar(_period("1996-09-10", "2000-02-09", None), date(1961, 7, 6), date(2026, 1, 1), 60)
    assert len(line) == 60
    assert BLOCK not in line and GAP in line


def test_consecutive_bars_meet_without_overlap() -> None:
    first = treaty("first", "1961-07-06", "1996-09-10")
    second = treaty("second", "2000-02-09", "2024-12-04", strength=2)
    third = treaty("third", "2024-12-04")
    result = history(RUS, PRK, [first, second, third], today=TODAY)
    start, end = axis(result, TODAY)
    lines = [bar(p, start, end, 50) for p in result.periods]
    assert all(len(line) == 50 for line in lines)
    # Every column is drawn by exactly one period.
    for column in range(50):
        assert sum(line[column] != EMPTY for line in lines) == 1
    assert lines[0].startswith(BLOCK) and lines[-1].endswith(BLOCK)


def test_short_period_still_gets_one_character() -> None:
    line = bar(_period("2024-12-04", "2024-12-05"), date(1900, 1, 1), date(2026, 1, 1), 20)
    assert line.count(BLOCK) == 1


def test_bar_outside_the_axis_is_empty_and_width_must_be_positive() -> None:
    period = _period("1900-01-01", "1910-01-01")
    assert bar(period, date(1950, 1, 1), date(2000, 1, 1), 8) == EMPTY * 8
    with pytest.raises(ValueError):
        bar(period, date(1950, 1, 1), date(2000, 1, 1), 0)


def test_axis_runs_to_the_last_end_or_to_today_when_still_open() -> None:
    closed = history(RUS, PRK, [treaty("t", "1950-02-14", "1980-04-11")], today=TODAY)
    assert axis(closed, TODAY) == (date(1950, 2, 14), date(1980, 4, 11))
    still_open = history(RUS, PRK, [treaty("t", "1961-07-11")], today=TODAY)
    assert axis(still_open, TODAY) == (date(1961, 7, 11), TODAY)


# -- the founding data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"), [("RUS", "PRK"), ("USSR", "North Korea"), ("365", "731")]
)
def test_russia_and_the_dprk(seeded_session: Session, first: str, second: str) -> None:
    result = load_history(seeded_session, first, second, today=TODAY)
    assert [(p.start.iso(), p.end.iso() if p.end else None) for p in result.periods] == [
        ("1961-07-06", "1996-09-10"),
        ("1996-09-10", "2000-02-09"),
        ("2000-02-09", "2024-12-04"),
        ("2024-12-04", None),
    ]
    assert [p.start_basis for p in result.periods] == ["signed", "ended", "signed", "in force"]
    assert [p.strength for p in result.periods] == [4, None, 2, 4]
    assert [p.treaty.slug if p.treaty else None for p in result.periods] == [
        "ussr-dprk-1961",
        None,
        "russia-dprk-2000",
        "russia-dprk-2024",
    ]
    assert result.summary == "4 -> gap -> 2 -> 4"
    assert result.a.continuity_name == "Russia" and result.b.iso3 == "PRK"
    assert any("1961" in note and "uncertain" in note for note in result.notes)


def test_china_and_the_dprk(seeded_session: Session) -> None:
    result = load_history(seeded_session, "CHN", "PRK", today=TODAY)
    assert rows(result) == [("1961-07-11", None, 4, "prc-dprk-1961")]
    assert result.periods[0].start_basis == "signed"


def test_russia_and_china(seeded_session: Session) -> None:
    result = load_history(seeded_session, "RUS", "CHN", today=TODAY)
    assert rows(result) == [("1950-02-14", "1980-04-11", 3, "sino-soviet-1950")]
    assert result.summary == "3"


def test_unknown_state_raises_not_found(seeded_session: Session) -> None:
    with pytest.raises(NotFound):
        load_history(seeded_session, "RUS", "Atlantis")


def test_the_ussr_and_russia_are_refused_as_one_state(seeded_session: Session) -> None:
    with pytest.raises(ValueError, match="are the same state"):
        load_history(seeded_session, "USSR", "RUS")
