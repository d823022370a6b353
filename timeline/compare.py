"""Treaties side by side: their fields, their parties by continuing state, their security clauses
with word-level differences, and a verdict in words built from the records alone.

It answers questions such as "does the later treaty give the same guarantee as the earlier one?"
Everything here is plain values; the command line and the screens render them."""

from __future__ import annotations

import datetime as dt
import difflib
import string
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from timeline.dates import PartialDate
from timeline.record_types import ProvisionRecord, TreatyRecord
from timeline.states import StateRef
from timeline.strength import label as strength_label
from timeline.strength import level_name
from timeline.views import ended_text, in_force_text, shown, signed_text, term_text

__all__ = [
    "OBLIGATION_ORDER",
    "ClauseRow",
    "Comparison",
    "FieldRow",
    "PartyRow",
    "Segment",
    "WordDiff",
    "align_clauses",
    "align_parties",
    "clause_diff",
    "compare",
    "main_clause",
    "security_clauses",
    "treaty_names",
    "word_diff",
]

OBLIGATION_ORDER = ("defence", "offence", "neutrality", "non-aggression", "consultation", "other")
# The clause a guarantee rests on when the record names none: the kinds in the order of the
# strength scale, where crisis consultation ranks above non-aggression and neutrality.
_MAIN_RANK = ("defence", "offence", "consultation", "non-aggression", "neutrality", "other")
_TRAILING = string.punctuation + "\u2019\u201d\u00bb\u2026"
_PHRASE_END = ".,;:"
_MAX_PHRASES = 3
_NOT_VERBATIM = ("paraphrase", "summary")
# Words that make a state's short name take "the" ("the United Kingdom"); so do acronyms.
_ARTICLE_WORDS = frozenset(
    {"Republic", "Kingdom", "Union", "Federation", "States", "Islands", "Emirates", "Netherlands"}
)

Op = Literal["equal", "insert", "delete"]


# -- word differences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True)
class WordDiff:
    """How a later text differs from an earlier one, word by word.

    `segments` spell the change in reading order (equal runs show the later text's words);
    `added` and `removed` are the inserted and deleted runs as phrases; `similarity` is the
    difflib ratio of the two word sequences."""

    segments: tuple[Segment, ...]
    similarity: float
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def kept(self) -> float:
        """The share (0..1) of the earlier text's words that the later text keeps."""
        kept = _words_in(self.segments, "equal")
        earlier = kept + _words_in(self.segments, "delete")
        return kept / earlier if earlier else 0.0

    @property
    def identical(self) -> bool:
        return not self.added and not self.removed


def _words_in(segments: Iterable[Segment], op: Op) -> int:
    return sum(len(s.text.split()) for s in segments if s.op == op)


def _key(word: str) -> str:
    return word.lower().rstrip(_TRAILING) or word.lower()


def _phrase(words: Sequence[str]) -> str:
    text = " ".join(words)
    return text.rstrip(_PHRASE_END) or text


def word_diff(earlier: str, later: str) -> WordDiff:
    """Compare two texts word by word, ignoring case and trailing punctuation."""
    old, new = earlier.split(), later.split()
    matcher = difflib.SequenceMatcher(
        None, [_key(w) for w in old], [_key(w) for w in new], autojunk=False
    )
    segments: list[Segment] = []
    added: list[str] = []
    removed: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", " ".join(old[i1:i2])))
            removed.append(_phrase(old[i1:i2]))
        if j2 > j1:
            segments.append(Segment("insert", " ".join(new[j1:j2])))
            added.append(_phrase(new[j1:j2]))
    return WordDiff(tuple(segments), matcher.ratio(), tuple(added), tuple(removed))


# -- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One field across the treaties; `same` when every displayed value is identical."""

    key: str
    label: str
    values: tuple[str, ...]
    same: bool


@dataclass(frozen=True)
class PartyRow:
    """One continuing state, and the state that stands for it in each treaty (None: not a party)."""

    continuity_name: str
    states: tuple[StateRef | None, ...]

    @property
    def distinct(self) -> tuple[StateRef, ...]:
        """The different states in the row, in the order they appear (the USSR, then Russia)."""
        seen: dict[int, StateRef] = {}
        for state in self.states:
            if state is not None:
                seen.setdefault(state.id, state)
        return tuple(seen.values())

    @property
    def shown(self) -> str:
        return "/".join(s.short_name for s in self.distinct)


@dataclass(frozen=True)
class ClauseRow:
    """Clauses of one obligation kind, one cell per treaty.

    `diffs[i]` compares cell i with the nearest earlier cell of the row that holds a clause; None
    for the first clause, and where either text is missing."""

    obligation: str
    cells: tuple[ProvisionRecord | None, ...]
    diffs: tuple[WordDiff | None, ...]


def security_clauses(treaty: TreatyRecord) -> tuple[ProvisionRecord, ...]:
    """The clauses flagged as security clauses, else every clause with a specific obligation."""
    flagged = treaty.security_provisions
    if flagged:
        return flagged
    return tuple(p for p in treaty.provisions if p.obligation != "other")


def _kind_rank(kind: str, order: Sequence[str]) -> tuple[int, str]:
    return (order.index(kind), "") if kind in order else (len(order), kind)


def _text(clause: ProvisionRecord | None) -> str | None:
    if clause is None or not clause.text or not clause.text.strip():
        return None
    return clause.text


def _has_text(clause: ProvisionRecord | None) -> bool:
    return _text(clause) is not None


def clause_diff(earlier: ProvisionRecord | None, later: ProvisionRecord | None) -> WordDiff | None:
    """The word difference of two clauses; None unless both have a text."""
    old, new = _text(earlier), _text(later)
    return word_diff(old, new) if old is not None and new is not None else None


def _row_diffs(cells: Sequence[ProvisionRecord | None]) -> tuple[WordDiff | None, ...]:
    diffs: list[WordDiff | None] = []
    previous: ProvisionRecord | None = None
    for cell in cells:
        diffs.append(None if cell is None else clause_diff(previous, cell))
        previous = cell or previous
    return tuple(diffs)


def align_clauses(treaties: Sequence[TreatyRecord]) -> tuple[ClauseRow, ...]:
    """Security clauses aligned by obligation kind; a treaty's second clause of a kind pairs
    with the other treaties' second clause of that kind, on a row of its own."""
    by_treaty = [security_clauses(t) for t in treaties]
    kinds = sorted(
        {p.obligation for clauses in by_treaty for p in clauses},
        key=lambda k: _kind_rank(k, OBLIGATION_ORDER),
    )
    rows = []
    for kind in kinds:
        columns = [[p for p in clauses if p.obligation == kind] for clauses in by_treaty]
        for n in range(max(len(c) for c in columns)):
            cells = tuple(c[n] if n < len(c) else None for c in columns)
            rows.append(ClauseRow(kind, cells, _row_diffs(cells)))
    return tuple(rows)


def main_clause(treaty: TreatyRecord) -> ProvisionRecord | None:
    """The clause the guarantee rests on: the one the strength names, else the strongest kind."""
    clauses = security_clauses(treaty)
    named = [p for p in clauses if treaty.strength_clause and p.label == treaty.strength_clause]
    if named:
        return named[0]
    ranked = sorted(clauses, key=lambda p: _kind_rank(p.obligation, _MAIN_RANK))
    return ranked[0] if ranked else None


def align_parties(treaties: Sequence[TreatyRecord]) -> tuple[PartyRow, ...]:
    """One row per continuing state, in the order the states first appear."""
    names: dict[int, str] = {}
    for treaty in treaties:
        for party in treaty.parties:
            names.setdefault(party.state.continuity_id, party.state.continuity_name)
    return tuple(
        PartyRow(name, tuple(_state_in(t, continuity_id) for t in treaties))
        for continuity_id, name in names.items()
    )


def _state_in(treaty: TreatyRecord, continuity_id: int) -> StateRef | None:
    return next((p.state for p in treaty.parties if p.state.continuity_id == continuity_id), None)


# -- naming --------------------------------------------------------------------------------------


def _signed_year(treaty: TreatyRecord) -> int | None:
    return treaty.signed.value.year if treaty.signed else None


def _with_the(title: str) -> str:
    return "the " + (title[4:] if title.lower().startswith("the ") else title)


def _naming(treaties: Sequence[TreatyRecord]) -> tuple[dict[str, str], dict[str, str]]:
    """(names, tags) by slug: "the 1961 treaty" and "1961" when the signing years are all known
    and differ; else the short title where it is present and unique; else the slug."""
    years = [_signed_year(t) for t in treaties]
    if None not in years and len(set(years)) == len(years):
        return (
            {t.slug: f"the {y} treaty" for t, y in zip(treaties, years, strict=True)},
            {t.slug: str(y) for t, y in zip(treaties, years, strict=True)},
        )
    titles = Counter(t.short_title for t in treaties if t.short_title)
    names, tags = {}, {}
    for t in treaties:
        if t.short_title and titles[t.short_title] == 1:
            names[t.slug], tags[t.slug] = _with_the(t.short_title), t.short_title
        else:
            names[t.slug], tags[t.slug] = f"treaty {t.slug}", t.slug
    return names, tags


def treaty_names(treaties: Sequence[TreatyRecord]) -> dict[str, str]:
    """How prose refers to each treaty, by slug, telling apart every treaty given."""
    return _naming(treaties)[0]


def _the(state_name: str) -> str:
    letters = state_name.replace(".", "").replace(" ", "")
    if (len(letters) > 1 and letters.isalpha() and letters.isupper()) or (
        _ARTICLE_WORDS & set(state_name.split())
    ):
        return f"the {state_name}"
    return state_name


def _and(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _a(word: str) -> str:
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- fields --------------------------------------------------------------------------------------


def _term_kind(t: TreatyRecord) -> str:
    if t.indefinite:
        return "unlimited"
    return "fixed" if t.term_months else "unknown"


def _strength(t: TreatyRecord) -> str:
    if t.strength is None:
        return "not coded"
    text = strength_label(t.strength)
    return f"{text} ({t.strength_clause})" if t.strength_clause else text


def _external_ids(t: TreatyRecord) -> str:
    ids = [
        f"{name} {value}"
        for name, value in (
            ("ATOP", t.atop_id),
            ("COW", t.cow_id),
            ("UNTS", t.unts_number),
            ("Wikidata", t.wikidata_id),
        )
        if value is not None
    ]
    return ", ".join(ids) or "none"


def _parties(t: TreatyRecord) -> str:
    return ", ".join(p.state.short_name for p in t.parties) or "none recorded"


def _fields(treaties: Sequence[TreatyRecord], today: dt.date) -> tuple[FieldRow, ...]:
    columns: tuple[tuple[str, str, Callable[[TreatyRecord], str]], ...] = (
        ("title", "title", lambda t: t.title),
        ("kind", "kind", lambda t: t.kind),
        ("parties", "parties", _parties),
        ("signed", "signed", signed_text),
        ("in_force", "in force", lambda t: shown(t.in_force, t.in_force_uncertain)),
        ("ended", "ended", ended_text),
        ("term", "term and renewal", term_text),
        ("duration", "duration in force", lambda t: in_force_text(t, today)),
        ("strength", "guarantee strength", _strength),
        ("external_ids", "external ids", _external_ids),
    )
    rows = []
    for key, label, value in columns:
        values = tuple(value(t) for t in treaties)
        rows.append(FieldRow(key, label, values, len(set(values)) == 1))
    return tuple(rows)


# -- succession notes ----------------------------------------------------------------------------


def _succession_note(
    row: PartyRow, treaties: Sequence[TreatyRecord], tags: dict[str, str]
) -> str | None:
    distinct = row.distinct
    predecessors = [s for s in distinct if s.id != s.continuity_id]
    if not predecessors:
        return None

    def named(state: StateRef) -> str:
        where = [tags[t.slug] for t, s in zip(treaties, row.states, strict=True) if s == state]
        return f"{_the(state.short_name)} ({', '.join(where)})"

    continuing = _the(row.continuity_name)
    if len(distinct) == 1:
        return _sentence(f"{named(distinct[0])} continues as {continuing}.")
    earlier = _and(_the(s.short_name) for s in predecessors)
    return _sentence(
        f"{_and(named(s) for s in distinct)} are the same continuing party: "
        f"{continuing} continues {earlier}."
    )


# -- verdict -------------------------------------------------------------------------------------


def _when(t: TreatyRecord) -> dt.date:
    start = t.signed or t.in_force
    return start.first_day if start else dt.date.max


def _chronological(treaties: Iterable[TreatyRecord]) -> tuple[TreatyRecord, ...]:
    return tuple(sorted(treaties, key=_when))


def _between(
    context: Sequence[TreatyRecord], first: TreatyRecord, last: TreatyRecord
) -> tuple[TreatyRecord, ...]:
    if dt.date.max in (_when(first), _when(last)):
        return ()
    return tuple(t for t in context if _when(first) < _when(t) < _when(last))


class _Verdict:
    """Builds the verdict lines for treaties in chronological order."""

    def __init__(
        self,
        chrono: Sequence[TreatyRecord],
        between: Sequence[TreatyRecord],
        names: dict[str, str],
    ) -> None:
        self.chrono = tuple(chrono)
        self.first, self.last = chrono[0], chrono[-1]
        self.chain = _chronological([*chrono, *between])
        self.names = names

    def name(self, t: TreatyRecord) -> str:
        return self.names[t.slug]

    def lines(self) -> tuple[str, ...]:
        found = [
            *self.strength(),
            *self.missing_clauses(),
            *self.clauses(),
            *self.kinds(),
            *self.parties(),
            self.term(),
        ]
        return tuple(_sentence(line) for line in found)

    # strength

    def strength(self) -> list[str]:
        path = "strength " + " -> ".join(
            "?" if t.strength is None else str(t.strength) for t in self.chain
        )
        uncoded = [t for t in self.chrono if t.strength is None]
        if self.first.strength is None or self.last.strength is None:
            missing = _and(self.name(t) for t in uncoded)
            return [f"strength not coded for {missing}: the guarantees cannot be ranked ({path})"]
        lines = [f"{self.change()}; {path}"]
        if uncoded:
            lines.append(f"strength not coded for {_and(self.name(t) for t in uncoded)}")
        return lines

    def change(self) -> str:
        first, last = self.first, self.last
        a, b = first.strength, last.strength
        assert a is not None and b is not None
        later = self.name(last) + (f" (its {last.strength_clause})" if last.strength_clause else "")
        earlier = self.name(first) + (
            f" ({first.strength_clause})" if first.strength_clause else ""
        )
        if b != a:
            word = "stronger" if b > a else "weaker"
            return f"{later} is {word} than {earlier}: {level_name(b)} against {level_name(a)}"
        between = self.chain[1:-1]
        levels = [t.strength for t in between if t.strength is not None]
        listed = _and(f"{self.name(t)} ({level_name(t.strength)})" for t in between)
        if any(s < a for s in levels):
            return f"{later} restores the {level_name(a)} of {earlier} after {listed}"
        if any(s > a for s in levels):
            return (
                f"{later} returns to the level of {earlier} ({level_name(a)}) "
                f"after a stronger guarantee in {listed}"
            )
        return f"{later} gives the same level of guarantee as {earlier}: {strength_label(a)}"

    # clauses

    def missing_clauses(self) -> list[str]:
        lines = []
        for t in self.chrono:
            if security_clauses(t):
                continue
            what = "clauses" if not t.provisions else "security clauses"
            if t.strength is None:
                lines.append(
                    f"no {what} recorded for {self.name(t)} and its strength is not coded: "
                    "nothing recorded shows what it guarantees"
                )
            else:
                lines.append(
                    f"no {what} recorded for {self.name(t)}: "
                    "the comparison rests on the coded strength alone"
                )
        return lines

    def ref(self, clause: ProvisionRecord, t: TreatyRecord) -> str:
        return f"{clause.label} of {self.name(t)}"

    def clauses(self) -> list[str]:
        old, new = main_clause(self.first), main_clause(self.last)
        if old is None or new is None:
            return []
        if old.obligation == new.obligation:
            return self.closeness(old, new)
        # Different kinds share wording by chance only: give the overlap, and the changes of
        # the later clause of the earlier one's kind, if there is one.
        lines = self.closeness(old, new, changes=False)
        same_kind = [p for p in security_clauses(self.last) if p.obligation == old.obligation]
        if same_kind:
            lines += self.closeness(old, same_kind[0])
        return lines

    def closeness(
        self, old: ProvisionRecord, new: ProvisionRecord, changes: bool = True
    ) -> list[str]:
        old_ref, new_ref = self.ref(old, self.first), self.ref(new, self.last)
        diff = clause_diff(old, new)
        if diff is None:
            missing = [r for r, p in ((old_ref, old), (new_ref, new)) if not _has_text(p)]
            return [f"no text recorded for {_and(missing)}: the clauses are compared by kind only"]
        loose = [r for r, p in ((old_ref, old), (new_ref, new)) if p.text_status in _NOT_VERBATIM]
        if old.obligation != new.obligation:
            old_ref += f" ({_a(old.obligation)} clause)"
            new_ref += f" ({_a(new.obligation)} clause)"
        line = f"{new_ref} keeps {round(diff.kept * 100)}% of the words of {old_ref}"
        if loose:
            verb = "is" if len(loose) == 1 else "are"
            line += f"; {_and(loose)} {verb} not recorded verbatim, so the overlap is indicative"
        return [line, self.changes(diff, old_ref, new_ref)] if changes else [line]

    @staticmethod
    def changes(diff: WordDiff, old_ref: str, new_ref: str) -> str:
        if diff.identical:
            return f"{new_ref} repeats {old_ref} word for word"
        parts = []
        if diff.added:
            parts.append("adds " + _quoted(diff.added))
        if diff.removed:
            parts.append("drops " + _quoted(diff.removed))
        return f"{new_ref} " + "; it ".join(parts)

    def kinds(self) -> list[str]:
        old, new = security_clauses(self.first), security_clauses(self.last)
        if not old or not new:
            return []
        lines = []
        for t, own, other, other_t in (
            (self.last, new, old, self.first),
            (self.first, old, new, self.last),
        ):
            kinds = {p.obligation for p in other}
            alone = [
                f"{_a(p.obligation)} clause ({p.label})" for p in own if p.obligation not in kinds
            ]
            if alone:
                lines.append(
                    f"{self.name(t)} has {_and(alone)} with no counterpart among "
                    f"the security clauses of {self.name(other_t)}"
                )
        return lines

    # parties

    def parties(self) -> list[str]:
        lines = []
        bare = [t for t in self.chrono if not t.parties]
        if bare:
            lines.append(f"no parties recorded for {_and(self.name(t) for t in bare)}")
        with_parties = [t for t in self.chrono if t.parties]
        if len(with_parties) < 2:
            return lines
        rows = align_parties(with_parties)
        common = [r for r in rows if all(r.states)]
        if len(common) == len(rows):
            lines.append(self.same_parties(rows, with_parties))
        else:
            lines.append(self.different_parties(rows, common, with_parties))
        return lines

    def same_parties(self, rows: Sequence[PartyRow], treaties: Sequence[TreatyRecord]) -> str:
        changed = [r for r in rows if len(r.distinct) > 1]
        if not changed:
            return f"the same parties: {_and(_the(r.shown) for r in rows)}"
        notes = []
        for row in changed:
            for state in row.distinct:
                if state.id == state.continuity_id:
                    continue
                where = [t for t, s in zip(treaties, row.states, strict=True) if s == state]
                notes.append(
                    f"{_the(state.short_name)}, party to {_and(self.name(t) for t in where)}, "
                    f"is continued by {_the(row.continuity_name)}"
                )
        continuing = _and(_the(r.continuity_name) for r in rows)
        return f"the same continuing parties, {continuing}: {'; '.join(notes)}"

    def different_parties(
        self, rows: Sequence[PartyRow], common: Sequence[PartyRow], treaties: Sequence[TreatyRecord]
    ) -> str:
        everyone = "both" if len(treaties) == 2 else "all"
        parts = []
        if common:
            verb = "is" if len(common) == 1 else "are"
            parts.append(f"{_and(_the(r.shown) for r in common)} {verb} party to {everyone}")
        else:
            parts.append("no party in common")
        for row in rows:
            if row in common:
                continue
            where = [t for t, s in zip(treaties, row.states, strict=True) if s is not None]
            parts.append(f"{_the(row.shown)} only to {_and(self.name(t) for t in where)}")
        return "the parties differ: " + "; ".join(parts)

    # term

    def term(self) -> str:
        kinds = {_term_kind(t) for t in self.chrono}
        terms = {term_text(t) for t in self.chrono}
        if {"fixed", "unlimited"} <= kinds:
            lead = "fixed term against unlimited duration"
        elif len(terms) == 1 and kinds != {"unknown"}:
            lead = "the same term"
        elif kinds == {"unknown"}:
            lead = "no term recorded"
        else:
            lead = "different terms"
        return f"{lead}: " + "; ".join(self.term_of(t) for t in self.chrono)

    def term_of(self, t: TreatyRecord) -> str:
        ended = t.ended is not None
        kind = _term_kind(t)
        if kind == "unlimited":
            held = f"{'was' if ended else 'is'} of unlimited duration"
        elif kind == "fixed":
            held = f"{'had' if ended else 'has'} a fixed term of {term_text(t)}"
        else:
            held = "has no recorded term"
        joined = ", and" if "," in held else " and"
        if not ended:
            return f"{self.name(t)} {held}{joined} has not ended"
        how = f" ({t.end_reason})" if t.end_reason else ""
        return f"{self.name(t)} {held}{joined} ended on {shown(t.ended, t.ended_uncertain)}{how}"


def _quoted(phrases: Sequence[str]) -> str:
    """The longest phrases, quoted in reading order, and a count of those left out."""
    chosen = sorted(range(len(phrases)), key=lambda i: -len(phrases[i].split()))[:_MAX_PHRASES]
    text = ", ".join(f'"{phrases[i]}"' for i in sorted(chosen))
    rest = len(phrases) - len(chosen)
    if rest:
        text += f" (and {rest} more)"
    return text


# -- the comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Treaties compared side by side; every value is plain and display-ready.

    `treaties` keep the caller's order, and every row has one value or cell per treaty in that
    order. `context` holds the context treaties that bind the parties the compared treaties
    share, oldest first."""

    treaties: tuple[TreatyRecord, ...]
    fields: tuple[FieldRow, ...]
    parties: tuple[PartyRow, ...]
    succession_notes: tuple[str, ...]
    clauses: tuple[ClauseRow, ...]
    verdict: tuple[str, ...]
    context: tuple[TreatyRecord, ...]
    today: dt.date

    @property
    def chronological(self) -> tuple[TreatyRecord, ...]:
        """The compared treaties by date of signature (entry into force if that is unknown)."""
        return _chronological(self.treaties)

    def field(self, key: str) -> FieldRow:
        for row in self.fields:
            if row.key == key:
                return row
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict. Dates are ISO text cut to their precision; lists of values,
        cells and diffs follow the order of "treaties"; a missing cell or diff is null.

        {"as_of": "2025-01-31",
         "treaties": [{"slug", "title", "short_title", "kind", "signed", "signed_precision",
                       "signed_uncertain", "in_force", "in_force_uncertain", "ended",
                       "end_reason", "strength", "strength_name", "strength_clause"}],
         "chronological": [slug], "context": [slug],
         "fields": [{"key", "label", "values": [str], "same": bool}],
         "parties": [{"continuity_name", "states": [{"id", "name", "short_name", "iso3",
                      "cow_code", "continuity_id", "continuity_name"} | null]}],
         "succession_notes": [str],
         "clauses": [{"obligation",
                      "cells": [{"position", "article", "label", "obligation", "security",
                                 "conditions", "text", "text_status", "language"} | null],
                      "diffs": [{"similarity", "kept", "added": [str], "removed": [str],
                                 "segments": [{"op", "text"}]} | null]}],
         "verdict": [str]}
        """
        return {
            "as_of": self.today.isoformat(),
            "treaties": [_treaty_dict(t) for t in self.treaties],
            "chronological": [t.slug for t in self.chronological],
            "context": [t.slug for t in self.context],
            "fields": [
                {"key": r.key, "label": r.label, "values": list(r.values), "same": r.same}
                for r in self.fields
            ],
            "parties": [
                {
                    "continuity_name": r.continuity_name,
                    "states": [_state_dict(s) if s else None for s in r.states],
                }
                for r in self.parties
            ],
            "succession_notes": list(self.succession_notes),
            "clauses": [
                {
                    "obligation": r.obligation,
                    "cells": [_clause_dict(c) if c else None for c in r.cells],
                    "diffs": [_diff_dict(d) if d else None for d in r.diffs],
                }
                for r in self.clauses
            ],
            "verdict": list(self.verdict),
        }

    def to_markdown(self) -> str:
        """A Markdown report: field table, parties, clause pairs with their differences, verdict."""
        return _markdown(self)


def compare(
    treaties: Sequence[TreatyRecord],
    *,
    context: Sequence[TreatyRecord] = (),
    today: dt.date | None = None,
) -> Comparison:
    """Compare two or more treaties.

    `context` holds other treaties binding the same continuing parties; those that bind every
    party the compared treaties share are kept, and the verdict uses the ones signed between the
    compared treaties to tell what lay in between. `today` ends the duration in force of treaties
    that have not ended (default: the current date)."""
    compared = tuple(treaties)
    _check(compared)
    today = today or dt.date.today()
    related = _related(compared, context)
    chrono = _chronological(compared)
    between = _between(related, chrono[0], chrono[-1])
    names, tags = _naming([*compared, *between])
    parties = align_parties(compared)
    notes = (_succession_note(row, compared, tags) for row in parties)
    return Comparison(
        treaties=compared,
        fields=_fields(compared, today),
        parties=parties,
        succession_notes=tuple(n for n in notes if n),
        clauses=align_clauses(compared),
        verdict=_Verdict(chrono, between, names).lines(),
        context=_chronological(related),
        today=today,
    )


def _continuing(treaty: TreatyRecord) -> set[int]:
    return {p.state.continuity_id for p in treaty.parties}


def _related(
    compared: Sequence[TreatyRecord], context: Sequence[TreatyRecord]
) -> tuple[TreatyRecord, ...]:
    """Context treaties, once each, that are not compared and bind every shared party."""
    shared = set.intersection(*(_continuing(t) for t in compared))
    slugs = {t.slug for t in compared}
    if not shared:
        return ()
    found = {t.slug: t for t in context if t.slug not in slugs and shared <= _continuing(t)}
    return tuple(found.values())


def _check(treaties: Sequence[TreatyRecord]) -> None:
    if len(treaties) < 2:
        raise ValueError(f"a comparison needs at least two treaties, got {len(treaties)}")
    repeated = sorted(s for s, n in Counter(t.slug for t in treaties).items() if n > 1)
    if repeated:
        raise ValueError(
            "each treaty can be compared only once; given more than once: " + ", ".join(repeated)
        )


# -- plain dicts ---------------------------------------------------------------------------------


def _iso(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _treaty_dict(t: TreatyRecord) -> dict[str, Any]:
    return {
        "slug": t.slug,
        "title": t.title,
        "short_title": t.short_title,
        "kind": t.kind,
        "signed": _iso(t.signed),
        "signed_precision": t.signed.precision.value if t.signed else None,
        "signed_uncertain": t.signed_uncertain,
        "in_force": _iso(t.in_force),
        "in_force_uncertain": t.in_force_uncertain,
        "ended": _iso(t.ended),
        "end_reason": t.end_reason,
        "strength": t.strength,
        "strength_name": level_name(t.strength),
        "strength_clause": t.strength_clause,
    }


def _state_dict(s: StateRef) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "short_name": s.short_name,
        "iso3": s.iso3,
        "cow_code": s.cow_code,
        "continuity_id": s.continuity_id,
        "continuity_name": s.continuity_name,
    }


def _clause_dict(p: ProvisionRecord) -> dict[str, Any]:
    return {"position": p.position, "label": p.label, **p.fields()}


def _diff_dict(d: WordDiff) -> dict[str, Any]:
    return {
        "similarity": round(d.similarity, 4),
        "kept": round(d.kept, 4),
        "added": list(d.added),
        "removed": list(d.removed),
        "segments": [{"op": s.op, "text": s.text} for s in d.segments],
    }


# -- Markdown ------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text made safe for Markdown: markup characters escaped, kept on one line."""
    escaped = "".join(f"\\{c}" if c in "\\`*_~|[]<" else c for c in text)
    return " ".join(escaped.split())


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _diff_markdown(diff: WordDiff) -> str:
    marks = {"equal": "", "delete": "~~", "insert": "**"}
    return " ".join(f"{marks[s.op]}{_md(s.text)}{marks[s.op]}" for s in diff.segments)


def _clause_markdown(clause: ProvisionRecord | None, treaty: TreatyRecord, kind: str) -> list[str]:
    if clause is None:
        return [f"**{_md(treaty.name)}**: no {kind} clause", ""]
    status = f" ({clause.text_status})" if clause.text_status else ""
    lines = [f"**{_md(treaty.name)}, {clause.label}**{status}", ""]
    if clause.conditions:
        lines += [f"Conditions: {_md(clause.conditions)}", ""]
    text = _md(clause.text) if _has_text(clause) else "*no text recorded*"
    return [*lines, f"> {text}", ""]


def _clause_row_markdown(row: ClauseRow, treaties: Sequence[TreatyRecord]) -> list[str]:
    lines = [f"### {_sentence(row.obligation)}", ""]
    for clause, treaty in zip(row.cells, treaties, strict=True):
        lines += _clause_markdown(clause, treaty, row.obligation)
    earlier: tuple[ProvisionRecord, TreatyRecord] | None = None
    for clause, treaty, diff in zip(row.cells, treaties, row.diffs, strict=True):
        if clause is None:
            continue
        if diff is not None and earlier is not None:
            old, old_treaty = earlier
            lines += [
                f"Changes from {old.label} ({_md(old_treaty.name)}) to {clause.label} "
                f"({_md(treaty.name)}), {round(diff.kept * 100)}% of the words kept:",
                "",
                f"> {_diff_markdown(diff)}",
                "",
            ]
        earlier = (clause, treaty)
    return lines


def _markdown(c: Comparison) -> str:
    names = [_md(t.name) for t in c.treaties]
    lines = [f"# Comparison: {_and(names)}", ""]
    lines += [f"As of {PartialDate.from_parts(c.today, 'day').display()}.", ""]
    lines += _table(["field", *names], ([r.label, *map(_md, r.values)] for r in c.fields))
    lines += ["", "## Parties", ""]
    lines += _table(
        ["continuing state", *names],
        (
            [_md(r.continuity_name), *(_md(s.short_name) if s else "-" for s in r.states)]
            for r in c.parties
        ),
    )
    lines += [""] + [f"- {_md(note)}" for note in c.succession_notes]
    lines += ["", "## Security clauses", ""]
    if not c.clauses:
        lines += ["No security clauses recorded.", ""]
    for row in c.clauses:
        lines += _clause_row_markdown(row, c.treaties)
    lines += ["## Verdict", ""] + [f"- {_md(line)}" for line in c.verdict]
    return "\n".join(lines) + "\n"
