"""Our records for a pair of states beside the COW and ATOP dyad-year alliance data, year by
year, to find where they disagree.

Our side is counted as timeline/history.py counts it: the treaties binding both states (through
state succession: a USSR treaty counts for Russia), from entry into force (or signature) to
their end, and only while both were members where the member-level dates say a state joined
later or left earlier. A treaty's obligations are those of its security provisions; where none
names one, its strength stands in (3-5 defence, 2 consultation, 1 non-aggression). The data
sets' flags are read in our words: COW Type I defence, IIa neutrality, IIb non-aggression, III
entente (consultation); ATOP defense, offense, neutral, nonagg, consul. A data set is compared
only over the years it covers, and COW, which has no offence type, is compared without our
offence clauses."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from timeline.history import binding_spans, binds, is_undated
from timeline.records import StateIndex, StateRef, TreatyRecord, treaties_of_states

ORDER = ("defence", "offence", "neutrality", "non-aggression", "consultation")
STRENGTH_STANDS_FOR = {
    5: "defence",
    4: "defence",
    3: "defence",
    2: "consultation",
    1: "non-aggression",
}


class CrosscheckError(ValueError):
    """A data file that cannot be read; str() names the file and line."""


@dataclass(frozen=True)
class DataSetKind:
    name: str
    columns: Mapping[str, str]  # the file's flag column -> our obligation


COW = DataSetKind(
    "COW v4.1",
    {
        "cow_defense": "defence",
        "cow_neutral": "neutrality",
        "cow_nonagg": "non-aggression",
        "cow_entente": "consultation",
    },
)
ATOP_DDY = DataSetKind(
    "ATOP 5.1",
    {
        "atop_defense": "defence",
        "atop_offense": "offence",
        "atop_neutral": "neutrality",
        "atop_nonagg": "non-aggression",
        "atop_consul": "consultation",
    },
)


@dataclass(frozen=True)
class DyadYears:
    name: str
    path: str
    codes: frozenset[str]  # the obligations it can record
    first_year: int  # the years the file covers, for any pair
    last_year: int
    years: Mapping[int, frozenset[str]]  # the pair's obligations, in years with any

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def on(self, year: int) -> frozenset[str] | None:
        return self.years.get(year, frozenset()) if self.covers(year) else None


def read_dyad_years(
    path: Path, kind: DataSetKind, codes_a: Iterable[int], codes_b: Iterable[int]
) -> DyadYears:
    """The pair's flags per year from a dyad-year file (either direction of the dyad)."""
    a, b = set(codes_a), set(codes_b)
    years: dict[int, set[str]] = {}
    first, last = None, None
    needed = ("ccode1", "ccode2", "year", *kind.columns)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in needed if c not in header]
            if missing:
                raise CrosscheckError(
                    f"{path}: not a {kind.name} dyad-year file (no column {', '.join(missing)})"
                )
            at = [header.index(c) for c in needed]
            for cells in reader:
                if not cells:
                    continue
                try:
                    c1, c2, year, *flags = (int(cells[i]) for i in at)
                except (ValueError, IndexError):
                    raise CrosscheckError(
                        f"{path}, line {reader.line_num}: expected whole numbers in"
                        f" {', '.join(needed)}"
                    ) from None
                first = year if first is None else min(first, year)
                last = year if last is None else max(last, year)
                if (c1 in a and c2 in b) or (c1 in b and c2 in a):
                    named = zip(kind.columns.values(), flags, strict=True)
                    years.setdefault(year, set()).update(ours for ours, flag in named if flag)
    except OSError as error:
        raise CrosscheckError(f"cannot read {path}: {error.strerror}") from error
    except csv.Error as error:
        raise CrosscheckError(f"{path}: broken CSV ({error})") from None
    except UnicodeDecodeError as error:
        raise CrosscheckError(f"{path}: not UTF-8 text ({error.reason})") from None
    if first is None or last is None:
        raise CrosscheckError(f"{path}: no rows")
    return DyadYears(
        kind.name,
        str(path),
        frozenset(kind.columns.values()),
        first,
        last,
        {y: frozenset(v) for y, v in years.items() if v},
    )


def obligations(treaty: TreatyRecord) -> frozenset[str]:
    """What the treaty obliges, in the data sets' terms."""
    named = {p.obligation for p in treaty.security_provisions if p.obligation in ORDER}
    if named:
        return frozenset(named)
    held = STRENGTH_STANDS_FOR.get(treaty.strength) if treaty.strength is not None else None
    return frozenset({held}) if held else frozenset()


@dataclass(frozen=True)
class YearRow:
    year: int
    ours: frozenset[str]
    treaties: tuple[str, ...]  # slugs of our treaties in force in that year
    theirs: tuple[frozenset[str] | None, ...]  # per data set; None: a year it does not cover
    disagree: tuple[bool, ...]  # per data set

    @property
    def compared(self) -> bool:
        return any(t is not None for t in self.theirs)

    @property
    def agrees(self) -> bool:
        return self.compared and not any(self.disagree)


@dataclass(frozen=True)
class Crosscheck:
    a: StateRef
    b: StateRef
    datasets: tuple[DyadYears, ...]
    rows: tuple[YearRow, ...]
    undated: tuple[str, ...] = ()

    @property
    def compared(self) -> int:
        return sum(r.compared for r in self.rows)

    @property
    def agreeing(self) -> int:
        return sum(r.agrees for r in self.rows)

    def summary(self) -> str:
        if not self.rows:
            return "no years to compare"
        span = f"{self.rows[0].year}-{self.rows[-1].year}"
        text = f"{self.compared} years compared ({span}), {self.agreeing} agreeing"
        against = [
            f"{d.name} in {sum(r.disagree[i] for r in self.rows)}"
            for i, d in enumerate(self.datasets)
        ]
        return text + "; disagreeing with " + ", ".join(against)

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": [_state(self.a), _state(self.b)],
            "datasets": [
                {
                    "name": d.name,
                    "path": d.path,
                    "first_year": d.first_year,
                    "last_year": d.last_year,
                }
                for d in self.datasets
            ],
            "years_compared": self.compared,
            "years_agreeing": self.agreeing,
            "years": [
                {
                    "year": r.year,
                    "ours": ordered(r.ours),
                    "treaties": list(r.treaties),
                    **{
                        d.name: None if t is None else ordered(t)
                        for d, t in zip(self.datasets, r.theirs, strict=True)
                    },
                    "disagree": [
                        d.name for d, x in zip(self.datasets, r.disagree, strict=True) if x
                    ],
                }
                for r in self.rows
            ],
            "undated": list(self.undated),
        }


def _state(s: StateRef) -> dict[str, Any]:
    return {"name": s.short_name, "iso3": s.iso3, "cow_code": s.cow_code}


def ordered(flags: Iterable[str]) -> list[str]:
    return sorted(flags, key=ORDER.index)


def pair_codes(session: Session, text_a: str, text_b: str) -> tuple[set[int], set[int]]:
    """The COW codes of each state's lineage (Germany with the German Federal Republic)."""
    states = StateIndex(session)
    found = []
    for text in (text_a, text_b):
        state = states.find(text)
        codes = {s.cow_code for s in states.lineage(state) if s.cow_code is not None}
        if not codes:
            raise ValueError(f"{state.label} has no COW code to look up in the data sets")
        found.append(codes)
    return found[0], found[1]


def _our_years(
    treaties: Sequence[TreatyRecord], a: StateRef, b: StateRef, this_year: int
) -> dict[int, tuple[frozenset[str], tuple[str, ...]]]:
    """Per year, the obligations of the treaties binding both states at some time in it."""
    years: dict[int, tuple[set[str], set[str]]] = {}
    for treaty in treaties:
        for first, last in binding_spans(treaty, a, b):
            final = (last - timedelta(days=1)).year if last else this_year
            for year in range(first.year, final + 1):
                held, slugs = years.setdefault(year, (set(), set()))
                held.update(obligations(treaty))
                slugs.add(treaty.slug)
    return {y: (frozenset(h), tuple(sorted(s))) for y, (h, s) in years.items()}


def crosscheck(
    session: Session,
    text_a: str,
    text_b: str,
    datasets: Sequence[DyadYears],
    *,
    first: int | None = None,
    last: int | None = None,
    today: date | None = None,
) -> Crosscheck:
    if not datasets:
        raise ValueError("give at least one data set to compare with")
    states = StateIndex(session)
    a, b = states.find(text_a), states.find(text_b)
    if a.same_continuing_state(b):
        raise ValueError(f"{a.label} and {b.label} are the same state; choose two different states")
    lineage = {s.id for s in states.lineage(a) + states.lineage(b)}
    treaties = treaties_of_states(session, lineage)
    ours = _our_years(treaties, a, b, (today or date.today()).year)
    undated = [t.slug for t in treaties if is_undated(t) and binds(t, a, b)]
    if first is None or last is None:
        active = set(ours) | {y for d in datasets for y in d.years}
        covered_from = min(d.first_year for d in datasets)
        covered_to = max(d.last_year for d in datasets)
        first = first if first is not None else max(min(active, default=covered_from), covered_from)
        last = last if last is not None else min(max(active, default=covered_to), covered_to)
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    rows = []
    for year in range(first, last + 1):
        held, slugs = ours.get(year, (frozenset(), ()))
        theirs = tuple(d.on(year) for d in datasets)
        disagree = tuple(
            t is not None and (held & d.codes) != t for d, t in zip(datasets, theirs, strict=True)
        )
        rows.append(YearRow(year, held, slugs, theirs, disagree))
    return Crosscheck(a, b, tuple(datasets), tuple(rows), tuple(undated))


@dataclass(frozen=True)
class Run:
    """Consecutive years that read the same, shown as one line."""

    first: int
    last: int
    row: YearRow

    @property
    def years(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


def runs(rows: Sequence[YearRow], *, only_disagreeing: bool) -> list[Run]:
    found: list[Run] = []
    for row in rows:
        if only_disagreeing and not any(row.disagree):
            continue
        key = (row.ours, row.treaties, row.theirs, row.disagree)
        previous = found[-1] if found else None
        if (
            previous is not None
            and previous.last == row.year - 1
            and (
                previous.row.ours,
                previous.row.treaties,
                previous.row.theirs,
                previous.row.disagree,
            )
            == key
        ):
            found[-1] = Run(previous.first, row.year, previous.row)
        else:
            found.append(Run(row.year, row.year, row))
    return found
