"""ATOP v4.01 (Alliance Treaty Obligations and Provisions) as an import: one treaty per
alliance of atop-alliance-level.csv, its members from atop-member-level.csv beside it.

Only what the data set codes is entered: ATOP's begin date as the signature, its end, its
obligations as summary provisions, length and automatic renewal, the COW id, and the strength
the project's ATOP rule gives (timeline/strength.py). Unknown months and days (0 or blank)
become a coarser precision, never a made-up day. Codes the data set's notes do not explain are
kept as they are in the citation's note rather than read into a field."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from db.models import State
from timeline.dates import PartialDate, Precision
from timeline.io.merge import ImportBatch, ImportFailed, Incoming, Location, state_ref
from timeline.records import StateIndex, StateRef
from timeline.strength import strength_from_atop

ALLIANCE_FILE = "atop-alliance-level.csv"
MEMBER_FILE = "atop-member-level.csv"
DATASET = "atop-v4.01"
LABEL = "ATOP v4.01"
# The source row the founding fixtures already hold; created only where it is missing.
SOURCE = {
    "key": DATASET,
    "title": "Alliance Treaty Obligations and Provisions (ATOP) v4.01, codebook and data"
    " (Leeds et al.)",
    "dataset": "ATOP v4.01 alliance-level and member-level data"
    " (atop-alliance-level.csv, atop-member-level.csv)",
    "publisher": "ATOP project (Brett Ashley Leeds et al.)",
}

FLAGS = ("defense", "offense", "neutral", "nonagg", "consul")


@dataclass(frozen=True)
class Obligation:
    flag: str  # ATOP's column
    kind: str  # our obligation vocabulary (db/vocab.py)
    article: str  # "a" or "an", for the generated text
    condition: str | None  # ATOP's column marking this obligation conditional
    details: str | None  # prefix of the member-level columns detailing the condition


OBLIGATIONS = (
    Obligation("defense", "defence", "a", "defcon", "defco"),
    Obligation("offense", "offence", "an", "offcon", "offco"),
    Obligation("neutral", "neutrality", "a", "neucon", "neuco"),
    Obligation("nonagg", "non-aggression", "a", None, None),
    Obligation("consul", "consultation", "a", "concon", "conco"),
)
EXPLAINED = {"consul": " (consul=1: consultation in a crisis)"}
KIND_WORDS = {
    "alliance": "Alliance",
    "non-aggression": "Non-aggression pact",
    "neutrality": "Neutrality pact",
    "consultation": "Consultation pact",
    "other": "Agreement",
}
# Members ATOP codes outside the COW state list: code -> (COW code recorded, party note).
EXTRA_CODES: dict[int, tuple[int, str]] = {
    8152: (
        816,
        "ATOP member code 8152 (Annam, 1874-1883), outside the COW state list;"
        " recorded as Viet Nam (COW 816)",
    ),
}
ALLIANCE_COLUMNS = (
    "atopid", "cow4id", "begyr", "begmo", "begday", "endyr", "endmo", "endday",
    "speclgth", "length", "proren", "renewlgt", *FLAGS, "conditio",
    "defcon", "offcon", "neucon", "concon", "specthrt", "statthr1", "statthr2", "milinst",
)  # fmt: skip
MEMBER_COLUMNS = ("atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit")
COLUMN_OF_FIELD = {
    "signed": "begyr",
    "ended": "endyr",
    "term_months": "length",
    "renewal": "proren",
    "renewal_months": "renewlgt",
    "atop_id": "atopid",
    "cow_id": "cow4id",
    "kind": "defense",
    "strength": "defense",
    "provisions": "defense",
    "parties": "mem1",
}


def locate(path: Path) -> tuple[Path, Path]:
    """The alliance-level and member-level files, from the folder or the alliance file."""
    alliances = path / ALLIANCE_FILE if path.is_dir() else path
    if not alliances.is_file():
        raise ImportFailed(Location(str(path)), f"no {ALLIANCE_FILE} in this folder")
    members = alliances.parent / MEMBER_FILE
    if not members.is_file():
        raise ImportFailed(
            Location(str(alliances)), f"the member-level file {MEMBER_FILE} is not beside it"
        )
    return alliances, members


@dataclass
class Row:
    values: dict[str, str]
    where: Location

    def text(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def int(self, column: str, *, blank: int | None = 0) -> int | None:
        text = self.text(column)
        if text == "" or text.upper() == "NA":
            return blank
        try:
            return int(text)
        except ValueError:
            raise ImportFailed(self.where, f"{text!r} is not a whole number", column) from None

    def flag(self, column: str) -> bool:
        value = self.int(column)
        if value not in (0, 1):
            raise ImportFailed(self.where, f"{value} is not 0 or 1", column)
        return value == 1

    def date(self, year: str, month: str, day: str, *, required: bool) -> PartialDate | None:
        """A date of three columns; 0 or blank for an unknown month or day, year 0 for none."""
        y, m, d = self.int(year), self.int(month), self.int(day)
        if not y:
            if required:
                raise ImportFailed(self.where, "no year given", year)
            return None
        if not 1 <= y <= 9999:
            raise ImportFailed(self.where, f"there is no year {y}", year)
        if not m:
            return PartialDate(dt.date(y, 1, 1), Precision.YEAR)
        if not 1 <= m <= 12:
            raise ImportFailed(self.where, f"there is no month {m}", month)
        if not d:
            return PartialDate(dt.date(y, m, 1), Precision.MONTH)
        try:
            return PartialDate(dt.date(y, m, d), Precision.DAY)
        except ValueError:
            raise ImportFailed(self.where, f"{y}-{m:02d} has no day {d}", day) from None


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[Row]:
    name = path.name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ImportFailed(Location(str(path)), f"cannot read it: {error.strerror}") from error
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise ImportFailed(
                    Location(name, 1),
                    f"not an ATOP file: no column {', '.join(missing)} in the header",
                )
            while True:
                line = reader.line_num + 1
                cells = next(reader, None)
                if cells is None:
                    return
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    raise ImportFailed(
                        Location(name, line),
                        f"{len(cells)} fields where the header names {len(header)}"
                        " (is the file cut short?)",
                    )
                yield Row(dict(zip(header, cells, strict=True)), Location(name, line))
        except csv.Error as error:
            raise ImportFailed(Location(name, reader.line_num), f"broken CSV: {error}") from None
        except UnicodeDecodeError as error:
            raise ImportFailed(Location(name), f"not UTF-8 text ({error.reason})") from None


class StateMap:
    """COW codes to states. A code shared by several states (365: the USSR and the Russian
    Federation) goes to the one that existed on the day, the shorter-lived one first."""

    def __init__(self, states: StateIndex) -> None:
        self.by_code: dict[int, list[StateRef]] = {}
        for s in states.by_id.values():
            if s.cow_code is not None:
                self.by_code.setdefault(s.cow_code, []).append(s)

    def find(self, code: int, on: dt.date) -> tuple[StateRef | None, str | None]:
        note = None
        if code not in self.by_code and code in EXTRA_CODES:
            code, note = EXTRA_CODES[code]
        found = self.by_code.get(code, [])
        if len(found) <= 1:
            return (found[0] if found else None), note
        existing = [s for s in found if _existed(s, on)]
        if existing:
            return max(existing, key=lambda s: s.began.first_day if s.began else dt.date.min), note
        return next((s for s in found if s.ended is None), found[0]), note


def _existed(state: StateRef, on: dt.date) -> bool:
    began = state.began.first_day if state.began else dt.date.min
    ended = state.ended.last_day if state.ended else dt.date.max
    return began <= on <= ended


@dataclass
class Membership:
    state: StateRef
    order: tuple[int, dt.date]
    entries: list[PartialDate] = field(default_factory=list)
    exits: list[PartialDate | None] = field(default_factory=list)
    note: str | None = None

    def party(self, begin: PartialDate, end: PartialDate | None) -> dict[str, Any]:
        """The party, with its own entry and exit where they differ from the alliance's."""
        joined = min(self.entries)
        left = None if None in self.exits else max(e for e in self.exits if e is not None)
        entry: dict[str, Any] = {
            "state": state_ref(self.state),
            "role": "party",
            "joined": joined.iso() if joined != begin else None,
            "left": left.iso() if left is not None and left != end else None,
        }
        if self.note:
            entry["notes"] = self.note
        return entry


def read_atop(path: Path, session: Session) -> ImportBatch:
    """The batch to import; ImportFailed names the file, line and column of a bad value."""
    alliance_file, member_file = locate(path)
    alliances = list(read_rows(alliance_file, ALLIANCE_COLUMNS))
    by_id: dict[int, Row] = {}
    for row in alliances:
        atopid = row.int("atopid", blank=None)
        if atopid is None or atopid <= 0:
            raise ImportFailed(row.where, "no ATOP id", "atopid")
        by_id[atopid] = row
    member_rows = list(read_rows(member_file, MEMBER_COLUMNS))
    codes = StateMap(StateIndex(session))
    # COW abbreviations for states without an ISO code, unless one is another state's ISO
    # code (COW's CZE is Czechoslovakia, ISO's CZE is Czechia).
    rows = session.exec(select(State.id, State.iso3, State.cow_abbrev)).all()
    iso_codes = {iso3 for _, iso3, _ in rows if iso3}
    abbreviations = {i: abbrev for i, _, abbrev in rows if abbrev and abbrev not in iso_codes}
    memberships = _memberships(member_rows, by_id, codes)
    member_details = _condition_details(member_rows)
    treaties = []
    for atopid, row in by_id.items():
        if atopid not in memberships:
            raise ImportFailed(row.where, f"ATOP {atopid} has no members in {MEMBER_FILE}")
        threat = _threat(row, row.date("begyr", "begmo", "begday", required=True), codes)
        details = member_details.get(atopid, set())
        slug = _slug(atopid, row, memberships[atopid], abbreviations)
        treaties.append(_incoming(atopid, row, memberships[atopid], details, threat, slug))
    return ImportBatch(
        dataset=DATASET,
        label=LABEL,
        treaties=treaties,
        match_by="atop_id",
        dataset_source=SOURCE,
    )


def _memberships(
    rows: list[Row], alliances: Mapping[int, Row], codes: StateMap
) -> dict[int, list[Membership]]:
    found: dict[int, dict[int, Membership]] = {}
    unknown: dict[int, list[int]] = {}
    listed = {atopid: _members_in_order(row) for atopid, row in alliances.items()}
    for row in rows:
        atopid = row.int("atopid", blank=None)
        if atopid not in alliances:
            raise ImportFailed(row.where, f"ATOP id {atopid} is not in {ALLIANCE_FILE}", "atopid")
        code = row.int("member", blank=None)
        if code is None:
            raise ImportFailed(row.where, "no member code", "member")
        entry = row.date("yrent", "moent", "dayent", required=True)
        leaves = row.date("yrexit", "moexit", "dayexit", required=False)
        assert entry is not None
        state, note = codes.find(code, entry.first_day)
        if state is None:
            unknown.setdefault(code, []).append(row.where.line or 0)
            continue
        members = listed[atopid]
        order = (members.index(code) if code in members else len(members), entry.first_day)
        membership = found.setdefault(atopid, {}).setdefault(
            state.id, Membership(state, order, note=note)
        )
        membership.order = min(membership.order, order)
        membership.entries.append(entry)
        membership.exits.append(leaves)
    if unknown:
        named = ", ".join(
            f"{code} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines[:5]))}"
            + (", ..." if len(lines) > 5 else "")
            + ")"
            for code, lines in sorted(unknown.items())
        )
        raise ImportFailed(
            Location(MEMBER_FILE),
            f"member codes that match no state in the database's state list: {named}",
            "member",
        )
    return {a: sorted(m.values(), key=lambda m: m.order) for a, m in found.items()}


def _members_in_order(row: Row) -> list[int]:
    codes = []
    for n in range(1, 60):
        code = row.int(f"mem{n}", blank=0)
        if code:
            codes.append(code)
    return codes


def _condition_details(rows: list[Row]) -> dict[int, set[str]]:
    """Per alliance, the member-level condition columns (defcoadv, ...) coded 1 for a member."""
    found: dict[int, set[str]] = {}
    for row in rows:
        for column, value in row.values.items():
            if column[:5] in ("defco", "offco", "neuco", "conco") and len(column) > 6:
                if value.strip() == "1":
                    found.setdefault(row.int("atopid") or 0, set()).add(column)
    return found


def _threat(row: Row, begin: PartialDate | None, codes: StateMap) -> str | None:
    specthrt = row.int("specthrt")
    if not specthrt or begin is None:
        return None
    on = begin.first_day
    named = []
    for column in ("statthr1", "statthr2"):
        code = row.int(column)
        if code:
            state, _ = codes.find(code, on)
            named.append(f"{state.short_name} ({column}={code})" if state else f"{column}={code}")
    return f"specific threat coded (specthrt={specthrt})" + (
        ": " + ", ".join(named) if named else ", no state named"
    )


def _provisions(
    row: Row, flags: Mapping[str, bool], threat: str | None, details: set[str]
) -> list[dict[str, Any]]:
    conditional = row.flag("conditio")
    provisions = []
    for o in OBLIGATIONS:
        if not flags[o.flag]:
            continue
        parts = []
        if o.condition and row.flag(o.condition):
            parts.append(f"ATOP codes this obligation as conditional ({o.condition}=1)")
            coded = sorted(d for d in details if o.details and d.startswith(o.details))
            if coded:
                parts.append("member-level condition codes set: " + ", ".join(coded))
            if threat:
                parts.append(threat)
        elif o.condition and conditional and o.kind in ("defence", "offence"):
            parts.append(
                f"ATOP codes the alliance as conditional (conditio=1), though not this"
                f" obligation itself ({o.condition}=0)"
            )
        provisions.append(
            {
                "article": None,
                "obligation": o.kind,
                "security": True,
                "conditions": "; ".join(parts) or None,
                "text": f"ATOP v4.01 codes {o.article} {o.kind} obligation"
                + EXPLAINED.get(o.flag, f" ({o.flag}=1)")
                + ".",
                "text_status": "summary",
            }
        )
    return provisions


def _kind(flags: Mapping[str, bool]) -> str:
    if flags["defense"] or flags["offense"]:
        return "alliance"
    for flag, kind in (("consul", "consultation"), ("neutral", "neutrality")):
        if flags[flag]:
            return kind
    return "non-aggression" if flags["nonagg"] else "other"


def _names(parties: list[Membership]) -> str:
    names = [m.state.short_name for m in parties]
    if len(names) > 4:
        return f"{', '.join(names[:3])} and {len(names) - 3} others"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _slug(atopid: int, row: Row, parties: list[Membership], abbrevs: Mapping[int, str]) -> str:
    """E.g. usa-can-1940-atop3455: the first two members (ISO or COW code), year, ATOP id."""
    codes = [m.state.iso3 or abbrevs.get(m.state.id) or str(m.state.cow_code) for m in parties]
    year = row.int("begyr")
    return "-".join([c.lower() for c in codes[:2]] + [str(year), f"atop{atopid}"])


def _incoming(
    atopid: int,
    row: Row,
    parties: list[Membership],
    details: set[str],
    threat: str | None,
    slug: str,
) -> Incoming:
    begin = row.date("begyr", "begmo", "begday", required=True)
    end = row.date("endyr", "endmo", "endday", required=False)
    assert begin is not None
    flags = {f: row.flag(f) for f in FLAGS}
    milinst = row.int("milinst", blank=None)
    strength = strength_from_atop(
        defense=flags["defense"],
        offense=flags["offense"],
        neutral=flags["neutral"],
        nonagg=flags["nonagg"],
        consul=flags["consul"],
        conditio=row.flag("conditio"),
        milinst=milinst,
    )
    speclgth, length = row.int("speclgth", blank=None), row.int("length")
    proren, renewlgt = row.int("proren", blank=None), row.int("renewlgt")
    cow_id = row.int("cow4id", blank=None) or None
    kind = _kind(flags)
    raw: dict[str, Any] = {
        "slug": slug,
        "title": f"{KIND_WORDS[kind]} of {_names(parties)}, {begin.value.year} (ATOP {atopid})",
        "kind": kind,
        "signed": begin.iso(),
        "ended": end.iso() if end else None,
        # Only what ATOP's notes explain: speclgth 1 = a specific length, proren 2 = automatic
        # renewal; other codes stay in the citation's note.
        "term_months": length if speclgth == 1 and length and length > 0 else None,
        "renewal": "automatic" if proren == 2 else None,
        "renewal_months": renewlgt if proren == 2 and renewlgt and renewlgt > 0 else None,
        "strength": strength,
        "atop_id": atopid,
        "cow_id": cow_id,
        "parties": [m.party(begin, end) for m in parties],
        "provisions": _provisions(row, flags, threat, details),
    }
    supports = (
        [
            name
            for name in ("signed", "ended", "kind", "term_months", "renewal", "renewal_months")
            if raw[name]
        ]
        + ["strength", "atop_id"]
        + (["cow_id"] if cow_id else [])
    )
    return Incoming(
        external_id=str(atopid),
        raw=raw,
        where=row.where,
        columns=COLUMN_OF_FIELD,
        create_only=frozenset({"slug", "title"}),
        citations={
            DATASET: [_citation(atopid, row, begin, end, flags, milinst, strength, supports)]
        },
        match_atop_id=atopid,
    )


def _citation(
    atopid: int,
    row: Row,
    begin: PartialDate,
    end: PartialDate | None,
    flags: Mapping[str, bool],
    milinst: int | None,
    strength: int,
    supports: list[str],
) -> dict[str, Any]:
    codes = ", ".join(f"{f}={int(v)}" for f, v in flags.items())
    raw_codes = ", ".join(
        f"{c}={row.text(c) or 'blank'}" for c in ("speclgth", "length", "proren", "renewlgt")
    )
    cow4id = row.text("cow4id")
    note = (
        f"atopid {atopid}"
        + (f", cow4id {cow4id}" if cow4id else "")
        + f": begins {begin.iso()}, "
        + (f"ends {end.iso()}" if end else "still in effect (endyr 0)")
        + f"; {codes}, conditio={int(row.flag('conditio'))},"
        + f" milinst={'blank' if milinst is None else milinst}"
        + f" -> strength {strength} by the project's ATOP rule; {raw_codes}"
    )
    specthrt = row.int("specthrt")
    if specthrt:
        note += f"; specthrt={specthrt}, statthr1={row.text('statthr1')}"
        note += f", statthr2={row.text('statthr2')}"
    return {
        "source": DATASET,
        "supports": supports,
        "agrees": True,
        "claim": None,
        "note": note + ".",
    }
