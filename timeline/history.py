"""The guarantee between two states over time, as a sequence of periods.

Each treaty binding the pair covers a span of days; at every moment the strongest treaty in force
governs and the others are listed beside it. State succession is followed, so a treaty of the
USSR counts for Russia. A treaty binds the pair only while both are members: where a member's own
entry or exit is recorded (a state that acceded to a treaty already in force, or left it before
its end), the span runs from the later accession to the earlier exit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from timeline.dates import PartialDate, Precision, describe_duration
from timeline.records import PartyRecord, StateIndex, StateRef, TreatyRecord, treaties_of_states
from timeline.strength import level_name

IN_FORCE = "in force"
SIGNED = "signed"
# A period that begins because the later of the two states joined a treaty already in force.
JOINED = "joined"
# A period that begins because a treaty ended, or stopped binding the pair because one of them
# left it: every gap, and a weaker treaty taking over.
ENDED = "ended"
_BASIS_WORDS = {IN_FORCE: "entry into force", SIGNED: "signature"}

BLOCK = "█"
GAP = "░"
EMPTY = "·"

_FINENESS = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2}


@dataclass(frozen=True)
class Period:
    start: PartialDate
    start_basis: str
    end: PartialDate | None  # None: still in force
    strength: int | None
    treaty: TreatyRecord | None  # None: a gap, no treaty binds the pair
    others: tuple[TreatyRecord, ...] = ()

    @property
    def is_gap(self) -> bool:
        return self.treaty is None

    @property
    def is_open(self) -> bool:
        return self.end is None

    def duration_text(self, today: date | None = None) -> str:
        if self.end is not None:
            return describe_duration(self.start, self.end)
        today = today or date.today()
        if today < self.start.first_day:
            return "not yet begun"
        return describe_duration(self.start, today)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.iso(),
            "start_basis": self.start_basis,
            "end": self.end.iso() if self.end else None,
            "gap": self.is_gap,
            "strength": self.strength,
            "strength_name": None if self.is_gap else level_name(self.strength),
            "treaty": self.treaty.slug if self.treaty else None,
            "others": [t.slug for t in self.others],
        }


@dataclass(frozen=True)
class StrengthHistory:
    a: StateRef
    b: StateRef
    periods: tuple[Period, ...]
    undated: tuple[TreatyRecord, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The strength over time, e.g. "4 -> gap -> 2 -> 4"; repeats are shown once."""
        steps: list[str] = []
        for period in self.periods:
            step = _step(period)
            if not steps or steps[-1] != step:
                steps.append(step)
        return " -> ".join(steps) or "no treaty"

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": [_state_dict(self.a), _state_dict(self.b)],
            "summary": self.summary,
            "periods": [p.to_dict() for p in self.periods],
            "undated": [t.slug for t in self.undated],
            "notes": list(self.notes),
        }


def _step(period: Period) -> str:
    if period.is_gap:
        return "gap"
    return "not coded" if period.strength is None else str(period.strength)


def _state_dict(state: StateRef) -> dict[str, Any]:
    return {"name": state.short_name, "full_name": state.name, "iso3": state.iso3}


# -- spans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    treaty: TreatyRecord
    start: PartialDate
    basis: str
    end: PartialDate | None
    # The member whose own entry (exit) bounds the span, where that is not the treaty's date.
    joiner: PartyRecord | None = None
    leaver: PartyRecord | None = None

    @property
    def first(self) -> date:
        return self.start.first_day

    @property
    def last(self) -> date | None:
        return self.end.first_day if self.end else None

    def covers(self, day: date) -> bool:
        return self.first <= day and (self.last is None or day < self.last)


def _rank(span: _Span) -> tuple[int, date, int]:
    # Uncoded counts below 0; a tie goes to the later start.
    strength = -1 if span.treaty.strength is None else span.treaty.strength
    return strength, span.first, span.treaty.id


def binds(treaty: TreatyRecord, a: StateRef, b: StateRef) -> bool:
    """Whether both states (or states they continue) are parties to the treaty."""
    lineages = {p.state.continuity_id for p in treaty.parties if p.role == "party"}
    return a.continuity_id in lineages and b.continuity_id in lineages


def _start(treaty: TreatyRecord) -> tuple[PartialDate, str] | None:
    if treaty.in_force is not None and not treaty.in_force_uncertain:
        return treaty.in_force, IN_FORCE
    if treaty.signed is not None:
        return treaty.signed, SIGNED
    if treaty.in_force is not None:
        return treaty.in_force, IN_FORCE
    return None


def _span(treaty: TreatyRecord) -> _Span | None:
    """The treaty's own span, from its start to its end, whoever the members."""
    start = _start(treaty)
    if start is None:
        return None
    return _Span(treaty, start[0], start[1], treaty.ended)


def _membership(span: _Span, party: PartyRecord) -> _Span | None:
    """The part of the treaty's span in which `party` was a member, narrowed by its own entry
    and exit where they fall inside it; None if it was never a member while in force."""
    member = span
    if party.joined is not None and party.joined.first_day > span.first:
        member = replace(member, start=party.joined, basis=JOINED, joiner=party)
    if party.left is not None and (span.last is None or party.left.first_day < span.last):
        member = replace(member, end=party.left, leaver=party)
    return member if member.last is None or member.last > member.first else None


def _memberships(span: _Span, continuity_id: int) -> list[_Span]:
    """When a continuing state was a member, in time order: the memberships of every state of
    its lineage (the USSR's, then Russia's) joined where they overlap or meet."""
    parts = [
        member
        for p in span.treaty.parties
        if p.role == "party" and p.state.continuity_id == continuity_id
        if (member := _membership(span, p)) is not None
    ]
    merged: list[_Span] = []
    for part in sorted(parts, key=lambda m: m.first):
        last = merged[-1] if merged else None
        if last is None or (last.last is not None and part.first > last.last):
            merged.append(part)
        elif last.last is not None and (part.last is None or part.last > last.last):
            merged[-1] = replace(last, end=part.end, leaver=part.leaver)
    return merged


def _both_members(x: _Span, y: _Span) -> _Span | None:
    """Where two memberships overlap: from the later start to the earlier end; on a tie, the
    treaty's own date is the basis rather than a member's."""
    start = max((x, y), key=lambda s: (s.first, s.joiner is None))
    ends = [s for s in (x, y) if s.last is not None]
    end = min(ends, key=lambda s: (s.last, s.leaver is not None)) if ends else None
    both = replace(
        start,
        end=end.end if end else None,
        leaver=end.leaver if end else None,
    )
    return both if both.last is None or both.last > both.first else None


def _pair_spans(span: _Span, a: StateRef, b: StateRef) -> list[_Span]:
    """The parts of the treaty's span in which both states were members."""
    return [
        both
        for x in _memberships(span, a.continuity_id)
        for y in _memberships(span, b.continuity_id)
        if (both := _both_members(x, y)) is not None
    ]


def binding_spans(treaty: TreatyRecord, a: StateRef, b: StateRef) -> list[tuple[date, date | None]]:
    """The days on which `treaty` binds both states, as (first day, day after the last) pairs,
    the second None while it still binds them; none for a treaty without a date."""
    span = _span(treaty) if binds(treaty, a, b) else None
    if span is None or (span.last is not None and span.last <= span.first):
        return []
    return [(s.first, s.last) for s in _pair_spans(span, a, b)]


def is_undated(treaty: TreatyRecord) -> bool:
    """Whether the treaty has no date to count from (no signature, no entry into force)."""
    return _start(treaty) is None


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _bound_name(own: str, member: str, party: PartyRecord | None) -> str:
    """What a span's start or end is: the treaty's own, or a member's accession or exit."""
    return f"its {own}" if party is None else f"{_possessive(party.state.short_name)} {member}"


def _accession_note(span: _Span) -> str:
    assert span.joiner is not None
    own = _span(span.treaty)
    assert own is not None
    return (
        f"{span.treaty.name}: counted from {_bound_name('', 'accession', span.joiner)} "
        f"on {span.start.display()}, not from the treaty's "
        f"{_BASIS_WORDS[own.basis]} on {own.start.display()}."
    )


def _exit_note(span: _Span) -> str:
    assert span.leaver is not None and span.end is not None
    ended = span.treaty.ended
    treaty = f"ended on {ended.display()}" if ended else "is still in force"
    return (
        f"{span.treaty.name}: counted until {_bound_name('', 'exit', span.leaver)} "
        f"on {span.end.display()}; the treaty itself {treaty}."
    )


def _basis_note(span: _Span) -> str | None:
    t, name = span.treaty, span.treaty.name
    if span.joiner is not None:
        return _accession_note(span)
    if span.basis == SIGNED and t.in_force is not None:
        return (
            f"{name}: counted from its signature on {span.start.display()}, because its entry "
            f"into force ({t.in_force.display()}) is uncertain."
        )
    if span.basis == SIGNED:
        return (
            f"{name}: counted from its signature on {span.start.display()}; "
            "its entry into force is not recorded."
        )
    if t.in_force_uncertain:
        return (
            f"{name}: counted from its entry into force on {span.start.display()}, which is "
            "uncertain; its signature is not recorded."
        )
    if t.signed is not None and t.signed.first_day < span.first:
        return (
            f"{name}: counted from its entry into force on {span.start.display()}, "
            f"not from its signature on {t.signed.display()}."
        )
    return None


def _notes(span: _Span, today: date) -> list[str]:
    t, name = span.treaty, span.treaty.name
    notes = [note for note in [_basis_note(span)] if note]
    if span.basis == SIGNED and t.signed_uncertain:
        notes.append(f"{name}: the date of signature ({span.start.display()}) is uncertain.")
    if span.leaver is not None:
        notes.append(_exit_note(span))
    elif span.end is not None and t.ended_uncertain:
        notes.append(f"{name}: the end date ({span.end.display()}) is uncertain.")
    for what, moment in (
        (_bound_name("start", "accession", span.joiner), span.start),
        (_bound_name("end", "exit", span.leaver), span.end),
    ):
        if moment is not None and moment.precision is not Precision.DAY:
            notes.append(
                f"{name}: {what} is known only to the {moment.precision.value} "
                f"({moment.display()}), so it is placed on the first day of that "
                f"{moment.precision.value}."
            )
    if span.first > today:
        notes.append(f"{name}: it only takes effect on {span.start.display()}, after today.")
    return notes


def _refuse_same_state(a: StateRef, b: StateRef) -> None:
    if a.same_continuing_state(b):
        raise ValueError(f"{a.label} and {b.label} are the same state; choose two different states")


# -- the sweep -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Interval:
    start: date
    end: date | None
    covering: tuple[_Span, ...]  # strongest first

    @property
    def key(self) -> tuple[TreatyRecord, ...]:
        return tuple(s.treaty for s in self.covering)


def _intervals(spans: Sequence[_Span]) -> list[_Interval]:
    """Elementary intervals between successive boundaries, each with the spans covering it."""
    days = sorted({s.first for s in spans} | {s.last for s in spans if s.last is not None})
    intervals = []
    for i, day in enumerate(days):
        following = days[i + 1] if i + 1 < len(days) else None
        covering = tuple(sorted((s for s in spans if s.covers(day)), key=_rank, reverse=True))
        if following is None and not covering:
            break  # after the last end
        intervals.append(_Interval(day, following, covering))
    return intervals


def _merged(intervals: Sequence[_Interval]) -> list[_Interval]:
    merged: list[_Interval] = []
    for interval in intervals:
        if merged and merged[-1].key == interval.key:
            merged[-1] = _Interval(merged[-1].start, interval.end, interval.covering)
        else:
            merged.append(interval)
    return merged


def _finest(moments: Sequence[PartialDate]) -> PartialDate:
    return min(moments, key=lambda m: _FINENESS[m.precision])


def _opening(day: date, governing: _Span | None, spans: Sequence[_Span]) -> tuple[PartialDate, str]:
    """The date a period starts, and what happened on it."""
    if governing is not None and governing.first == day:
        return governing.start, governing.basis
    starting = [s for s in spans if s.first == day]
    if starting:
        best = max(starting, key=_rank)
        return best.start, best.basis
    return _finest([s.end for s in spans if s.end is not None and s.last == day]), ENDED


def _closing(day: date, covering: Sequence[_Span], spans: Sequence[_Span]) -> PartialDate:
    """The date a period ends: preferably the end of a treaty it covers."""
    ending = [s.end for s in covering if s.end is not None and s.last == day]
    if ending:
        return _finest(ending)
    return max((s for s in spans if s.first == day), key=_rank).start


def _period(interval: _Interval, spans: Sequence[_Span]) -> Period:
    governing = interval.covering[0] if interval.covering else None
    start, basis = _opening(interval.start, governing, spans)
    end = None if interval.end is None else _closing(interval.end, interval.covering, spans)
    return Period(
        start=start,
        start_basis=basis,
        end=end,
        strength=governing.treaty.strength if governing else None,
        treaty=governing.treaty if governing else None,
        others=tuple(s.treaty for s in interval.covering[1:]),
    )


def history(
    a: StateRef, b: StateRef, treaties: Sequence[TreatyRecord], *, today: date | None = None
) -> StrengthHistory:
    """The periods of guarantee between `a` and `b` under `treaties` (others are ignored)."""
    _refuse_same_state(a, b)
    today = today or date.today()
    spans: list[_Span] = []
    undated: list[TreatyRecord] = []
    skipped: list[str] = []
    for treaty in (t for t in treaties if binds(t, a, b)):
        span = _span(treaty)
        if span is None:
            undated.append(treaty)
        elif span.last is not None and span.last <= span.first:
            skipped.append(
                f"{treaty.name}: left out, because it ends ({treaty.ended.display()}) "
                f"no later than it starts ({span.start.display()})."
            )
        elif pair := _pair_spans(span, a, b):
            spans.extend(pair)
        else:
            skipped.append(
                f"{treaty.name}: left out, because {a.short_name} and {b.short_name} were "
                "never members of it at the same time."
            )
    spans.sort(key=lambda s: (s.first, s.treaty.id))
    # A treaty a state left and rejoined has several spans; each note is given once.
    notes = list(dict.fromkeys(note for span in spans for note in _notes(span, today)))
    notes += skipped
    periods = tuple(_period(i, spans) for i in _merged(_intervals(spans)))
    return StrengthHistory(a, b, periods, tuple(undated), tuple(notes))


def load_history(
    session: Session, text_a: str, text_b: str, *, today: date | None = None
) -> StrengthHistory:
    """The history between two states named as a user types them (ISO, COW code or name).

    Raises NotFound for a state that cannot be identified, ValueError for the same state twice."""
    states = StateIndex(session)
    a, b = states.find(text_a), states.find(text_b)
    _refuse_same_state(a, b)
    ids = {s.id for s in states.lineage(a) + states.lineage(b)}
    return history(a, b, treaties_of_states(session, ids), today=today)


# -- text bars -----------------------------------------------------------------------------------


def axis(history: StrengthHistory, today: date | None = None) -> tuple[date, date]:
    """The span a timeline of `history` covers: first start to last end, or to today if open."""
    today = today or date.today()
    if not history.periods:
        return today, today
    first, last = history.periods[0], history.periods[-1]
    if last.end is not None:
        return first.start.first_day, last.end.first_day
    return first.start.first_day, max(today, last.start.first_day)


def _column(day: date, axis_start: date, axis_end: date, width: int) -> int:
    total = max((axis_end - axis_start).days, 1)
    return min(max(round((day - axis_start).days * width / total), 0), width)


def bar(period: Period, axis_start: date, axis_end: date, width: int) -> str:
    """`width` characters with the period drawn where it falls between axis_start and axis_end.

    Bars of consecutive periods meet without overlapping; a period too short to fill a
    character still gets one."""
    if width < 1:
        raise ValueError(f"a bar needs a width of at least 1, not {width}")
    start = period.start.first_day
    end = period.end.first_day if period.end is not None else max(axis_end, start)
    if end < axis_start or start > axis_end:
        return EMPTY * width
    lo = _column(start, axis_start, axis_end, width)
    hi = _column(end, axis_start, axis_end, width)
    if hi <= lo:
        lo = min(lo, width - 1)
        hi = lo + 1
    block = GAP if period.is_gap else BLOCK
    return EMPTY * lo + block * (hi - lo) + EMPTY * (width - hi)
