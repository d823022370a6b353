"""The founding records, checked against the project's fact sheet (dates, precisions, parties,
strength, lineage), and seeding that can be repeated without changing anything."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from db.models import Citation, Event, Source, State, StateSuccession, Treaty
from db.queries import treaty_by_slug
from tests.db_dump import dump_database
from timeline import views
from timeline.records import partial
from timeline.seed import read_fixture, seed

# slug: (signed, signed precision, place, in force, ended, end reason, strength, parties ISO)
FOUNDING = {
    "ussr-dprk-1961": ("1961-07-06", "day", "Moscow", "1961-09-10", "1996-09-10", "expired", 4,
                       {"SUN", "PRK"}),
    "russia-dprk-2000": ("2000-02-09", "day", "Pyongyang", None, "2024-12-04", "replaced", 2,
                         {"RUS", "PRK"}),
    "russia-dprk-2024": ("2024-06-19", "day", "Pyongyang", "2024-12-04", None, None, 4,
                         {"RUS", "PRK"}),
    "prc-dprk-1961": ("1961-07-11", "day", "Beijing", None, None, None, 4, {"CHN", "PRK"}),
    "sino-soviet-1950": ("1950-02-14", "day", "Moscow", None, "1980-04-11", "expired", 3,
                         {"SUN", "CHN"}),
}  # fmt: skip


@pytest.mark.parametrize("slug", FOUNDING)
def test_founding_treaty_facts(seeded_session: Session, slug: str) -> None:
    signed, precision, place, in_force, ended, reason, strength, parties = FOUNDING[slug]
    treaty = treaty_by_slug(seeded_session, slug)
    assert views.iso(partial(treaty.signed_on, treaty.signed_precision)) == signed
    assert treaty.signed_precision == precision
    assert treaty.signed_place == place
    assert views.iso(partial(treaty.in_force_on, treaty.in_force_precision)) == in_force
    assert views.iso(partial(treaty.ended_on, treaty.ended_precision)) == ended
    assert treaty.end_reason == reason
    assert treaty.strength == strength
    assert {p.state.iso3 for p in treaty.parties} == parties


def test_external_identifiers(seeded_session: Session) -> None:
    ids = {t.slug: (t.atop_id, t.cow_id) for t in seeded_session.exec(select(Treaty)).all()}
    assert ids["ussr-dprk-1961"] == (3440, 264)
    assert ids["russia-dprk-2000"] == (4940, 397)
    assert ids["prc-dprk-1961"] == (3445, 265)
    assert ids["sino-soviet-1950"][0] == 3200
    assert treaty_by_slug(seeded_session, "ussr-dprk-1961").unts_number == "6045"


def test_1961_entry_into_force_is_marked_uncertain(seeded_session: Session) -> None:
    treaty = treaty_by_slug(seeded_session, "ussr-dprk-1961")
    assert treaty.in_force_uncertain
    assert views.shown(partial(treaty.in_force_on, treaty.in_force_precision), True) == (
        "10 September 1961 (uncertain)"
    )


def test_lineage_2000_to_2024(seeded_session: Session) -> None:
    old = treaty_by_slug(seeded_session, "russia-dprk-2000")
    new = treaty_by_slug(seeded_session, "russia-dprk-2024")
    assert new.replaces_id == old.id
    assert old.end_reason == "replaced"
    assert old.ended_on == new.in_force_on == dt.date(2024, 12, 4)
    assert new.indefinite


def test_signatories_and_ratifications(seeded_session: Session) -> None:
    by_state = {p.state.iso3: p for p in treaty_by_slug(seeded_session, "ussr-dprk-1961").parties}
    assert "Khrushchev" in by_state["SUN"].signer
    assert "Kim Il Sung" in by_state["PRK"].signer
    ratified = {
        p.state.iso3: views.iso(partial(p.ratified_on, p.ratified_precision))
        for p in treaty_by_slug(seeded_session, "russia-dprk-2024").parties
    }
    assert ratified == {"RUS": "2024-11-09", "PRK": "2024-11-11"}


def test_security_clauses_carry_their_text(seeded_session: Session) -> None:
    def clause(slug: str, article: str):  # type: ignore[no-untyped-def]
        treaty = treaty_by_slug(seeded_session, slug)
        return next(p for p in treaty.provisions if p.article == article)

    art1 = clause("ussr-dprk-1961", "1")
    assert art1.obligation == "defence" and art1.security
    assert art1.text.startswith("Should either of the Contracting Parties suffer armed attack")
    assert art1.text_status == "verbatim"
    art4 = clause("russia-dprk-2024", "4")
    assert art4.obligation == "defence"
    assert "in accordance with Article 51 of the UN Charter" in art4.text
    art2 = clause("russia-dprk-2000", "2")
    assert art2.obligation == "consultation"
    assert art2.text_status == "paraphrase"


def test_disagreements_between_sources_are_kept(seeded_session: Session) -> None:
    dissent = seeded_session.exec(select(Citation).where(Citation.agrees.is_(False))).all()  # type: ignore[attr-defined]
    claims = {c.claim for c in dissent}
    assert "1995-09-07" in claims  # COW v4.1's end of the 1961 treaty
    assert any(c.claim and "18" in c.claim for c in dissent)  # "signed 18 June 2024"


# Treaty fields that are facts and therefore need a source.
FACT_FIELDS = (
    "title", "signed", "signed_place", "in_force", "ended", "end_reason", "term_months",
    "renewal", "renewal_months", "strength", "summary", "atop_id", "cow_id", "unts_number",
    "replaces", "kind",
)  # fmt: skip


FOUNDING_RECORDS = read_fixture("founding.json")["treaties"]


@pytest.mark.parametrize("record", FOUNDING_RECORDS, ids=lambda r: r["slug"])
def test_every_treaty_fact_has_a_source(record: dict) -> None:
    supported = {
        field
        for entry in record["sources"]
        if entry.get("agrees", True)
        for field in entry["supports"]
    }
    given = {f for f in FACT_FIELDS if record.get(f) not in (None, False)}
    assert given - supported == set()


def test_every_provision_party_and_event_has_a_source() -> None:
    founding = read_fixture("founding.json")
    for treaty in founding["treaties"]:
        for clause in treaty["provisions"]:
            assert clause["sources"], (treaty["slug"], clause["article"])
        for party in treaty["parties"]:
            if party.get("signer") or party.get("ratified"):
                assert party["sources"], (treaty["slug"], party["state"])
    for event in founding["events"]:
        assert event["sources"], event["key"]
    keys = {s["key"] for s in founding["sources"]}
    assert len(keys) == len(founding["sources"])


def test_events_keep_their_precision(seeded_session: Session) -> None:
    events = {e.key: e for e in seeded_session.exec(select(Event)).all()}
    shown = {views.shown(partial(e.happened_on, e.happened_precision)) for e in events.values()}
    assert "28 March 2024" in shown  # the Security Council veto
    assert "19 June 2024" in shown  # the visit and signing
    assert "June 2024" in shown  # China's statement: a month, never "1 June 2024"
    assert "1 June 2024" not in shown
    assert "1995" in shown  # Russia's notice of non-renewal: a year
    month_events = [e for e in events.values() if e.happened_precision == "month"]
    assert month_events and all(e.happened_on.day == 1 for e in month_events)


def test_states_from_cow_plus_the_ussr(seeded_session: Session) -> None:
    states = seeded_session.exec(select(State)).all()
    cow_codes = {s.cow_code for s in states if s.iso3 != "SUN"}
    assert len(cow_codes) == len(states) - 1  # one record per COW code, plus the USSR
    by_iso = {s.iso3: s for s in states if s.iso3}
    assert by_iso["PRK"].cow_code == 731 and by_iso["CHN"].cow_code == 710
    assert by_iso["RUS"].cow_code == 365 and by_iso["SUN"].cow_code == 365
    assert by_iso["SUN"].ended_on == dt.date(1991, 12, 26)
    succession = seeded_session.exec(
        select(StateSuccession).where(StateSuccession.predecessor_id == by_iso["SUN"].id)
    ).one()
    assert succession.successor_id == by_iso["RUS"].id
    assert succession.kind == "continuation"


def test_seeding_twice_changes_nothing(seeded_engine: Engine) -> None:
    before = dump_database(seeded_engine)
    with Session(seeded_engine) as session:
        report = seed(session)
        session.commit()
    assert not report.changed
    assert dump_database(seeded_engine) == before


def test_seeding_adds_back_only_what_is_missing(seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session:
        edited = session.exec(select(Treaty).where(Treaty.slug == "prc-dprk-1961")).one()
        edited.summary = "my own summary"
        session.delete(session.exec(select(Treaty).where(Treaty.slug == "sino-soviet-1950")).one())
        session.commit()
        report = seed(session)
        session.commit()
        assert report.added["treaties"] == 1
        assert treaty_by_slug(session, "sino-soviet-1950").strength == 3
        # A user's edit is never overwritten by seeding.
        assert treaty_by_slug(session, "prc-dprk-1961").summary == "my own summary"
        assert session.exec(select(Source)).all()
