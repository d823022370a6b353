"""The values an import compares and the three-way rule that merges them.

A treaty is flattened to keys: the scalar fields ("title", "signed", ...), "parties" (the list
of STATE:ROLE), one key per party attribute ("party SUN:party joined"), "provisions" (the
clauses as one list), "sources" (the treaty's citations) and, for a data set, "source KEY" (its
own citation). Per key, with the file's value, the database's and the value the last import
of this record wrote (its snapshot, table import_record):
- equal to the file's: nothing to do;
- the database still holds the snapshot's value: the file's new value is taken;
- never imported, and the database's value is empty: it is filled from the file;
- the file is silent (empty now and at the last import): the database's value stays;
- otherwise the user changed it: a conflict, reported, the user's value kept unless overwrite.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlmodel import Session

from timeline.dates import DateError, PartialDate, Precision
from timeline.forms import LABELS, PROVISION_FIELDS, TreatyInput, editable_values
from timeline.io.merge_batch import Conflict
from timeline.records import StateIndex, StateRef, TreatyRecord

SCALARS: tuple[str, ...] = tuple(k for k in LABELS if k not in ("parties", "provisions"))
_SCALAR_SET = frozenset(SCALARS)
PARTY_ATTRS = ("signer", "signer_title", "ratified", "notes", "joined", "left", "sources")
PARTY_EXTRAS = ("joined", "left", "sources")  # carried beside the form's party fields
CITATION_FIELDS = ("source", "supports", "agrees", "claim", "note")
DATASET_CITATION = "source "  # prefix of the key of a data set's own citation
FORM_DATES = ("signed", "in_force", "ended")
# The shape PartialDate.from_iso reads; the general date parser reads it the same way.
_ISO_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")


# -- comparing and merging values ------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def sorted_values(values: Sequence[Any]) -> list[Any]:
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True))


def _unordered(key: str) -> bool:
    # Party lists and citations are sets; provisions keep their order.
    return key == "parties" or key.endswith("sources") or key.startswith(DATASET_CITATION)


def same(key: str, a: Any, b: Any) -> bool:
    if is_empty(a) and is_empty(b):
        return True
    if _unordered(key) and isinstance(a, list) and isinstance(b, list):
        return sorted_values(a) == sorted_values(b)
    return a == b


@dataclass
class FieldMerge:
    taken: dict[str, Any]  # keys whose file value is written
    conflicts: list[Conflict]


def merge_fields(
    record: str,
    current: Mapping[str, Any],
    incoming: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    *,
    overwrite: bool = False,
) -> FieldMerge:
    """The three-way merge of one record's keys (the rule in the module docstring)."""
    taken: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for key, theirs in incoming.items():
        yours = current.get(key)
        if same(key, yours, theirs):
            continue
        known = base is not None and key in base
        if known and same(key, yours, base[key]):  # type: ignore[index]
            taken[key] = theirs
        elif is_empty(theirs) and (not known or is_empty(base[key])):  # type: ignore[index]
            continue
        elif not known and is_empty(yours):
            taken[key] = theirs
        elif key.startswith(DATASET_CITATION):
            # The user's own citation of the same data set stands; it is a reference, not a fact.
            continue
        else:
            conflicts.append(Conflict(record, key, yours, theirs))
            if overwrite:
                taken[key] = theirs
    return FieldMerge(taken, conflicts)


# -- flat keys -------------------------------------------------------------------------------


def state_ref(state: StateRef) -> str:
    """A state as --party and the CSV name it: ISO alpha-3, else its COW code (as forms do)."""
    if state.iso3:
        return state.iso3
    return str(state.cow_code) if state.cow_code is not None else state.name


def party_key(ref: str, role: str) -> str:
    return f"{ref}:{role}"


def attr_key(member: str, attr: str) -> str:
    return f"party {member} {attr}"


def flatten(nested: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in nested.items():
        if key != "parties":
            flat[key] = value
            continue
        members = [party_key(p["state"], p["role"]) for p in value]
        flat["parties"] = members
        for member, p in zip(members, value, strict=True):
            for attr in PARTY_ATTRS:
                if attr in p:
                    flat[f"party {member} {attr}"] = p[attr]  # attr_key(member, attr)
    return flat


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    nested = {k: v for k, v in flat.items() if not k.startswith("party ")}
    parties = []
    for member in flat.get("parties") or []:
        ref, _, role = member.rpartition(":")
        party: dict[str, Any] = {"state": ref, "role": role}
        for attr in PARTY_ATTRS:
            if attr_key(member, attr) in flat:
                party[attr] = flat[attr_key(member, attr)]
        parties.append(party)
    nested["parties"] = parties
    return nested


def prune(flat: dict[str, Any]) -> dict[str, Any]:
    """Drop the attributes of parties that are no longer members."""
    members = set(flat.get("parties") or [])
    return {
        k: v for k, v in flat.items() if not k.startswith("party ") or k.split(" ")[1] in members
    }


# -- canonical values: from the database and from a validated file record --------------------


def iso(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def citation_dict(entry: Any) -> dict[str, Any]:
    """A citation as stored and compared: a source key alone, or a mapping of its fields."""
    if isinstance(entry, str):
        entry = {"source": entry}
    if not isinstance(entry, Mapping):
        raise ValueError(f"{entry!r} is not a citation (a source key or an object)")
    unknown = set(entry) - set(CITATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown citation field {sorted(unknown)[0]!r}")
    source, supports = entry.get("source"), entry.get("supports") or []
    if not isinstance(source, str) or not source.strip():
        raise ValueError("a citation needs a source key")
    if isinstance(supports, str):
        supports = [s.strip() for s in supports.split(",") if s.strip()]
    if not isinstance(supports, list) or not all(isinstance(s, str) for s in supports):
        raise ValueError("a citation's supports must be a list of field names")
    agrees = entry.get("agrees", True)
    if not isinstance(agrees, bool):
        raise ValueError("a citation's agrees must be true or false")
    for name in ("claim", "note"):
        if entry.get(name) is not None and not isinstance(entry.get(name), str):
            raise ValueError(f"a citation's {name} must be text")
    return {
        "source": source.strip(),
        "supports": list(supports),
        "agrees": True if agrees is None else agrees,
        "claim": entry.get("claim") or None,
        "note": entry.get("note") or None,
    }


def _citations_of(records: Sequence[Any]) -> list[dict[str, Any]]:
    # Sorted, as files' citations are, so that lists compare equal whatever their order.
    return sorted_values(
        [
            {
                "source": c.source_key,
                "supports": list(c.supports),
                "agrees": c.agrees,
                "claim": c.claim,
                "note": c.note,
            }
            for c in records
        ]
    )


def record_values(record: TreatyRecord, dataset_sources: Sequence[str] = ()) -> dict[str, Any]:
    """A stored treaty as flat keys."""
    nested = editable_values(record)
    for entry, party in zip(nested["parties"], record.parties, strict=True):
        entry["joined"] = iso(party.joined)
        entry["left"] = iso(party.left)
        entry["sources"] = _citations_of(party.citations)
    for entry, provision in zip(nested["provisions"], record.provisions, strict=True):
        entry["sources"] = _citations_of(provision.citations)
    nested["sources"] = _citations_of(record.citations)
    for key in dataset_sources:
        nested[DATASET_CITATION + key] = [c for c in nested["sources"] if c["source"] == key]
    return flatten(nested)


@dataclass
class Prepared:
    """A file record split into what validate_treaty reads and what rides beside it."""

    form: dict[str, Any]
    party_extras: list[dict[str, Any]]  # aligned with form["parties"]
    party_spoken: list[tuple[str, ...]]  # attributes each party entry gives
    provision_sources: list[list[dict[str, Any]]] | None
    sources: list[dict[str, Any]] | None


def _citation_list(value: Any, what: str) -> list[dict[str, Any]]:
    if value is None or value == []:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what}: sources must be a list")
    try:
        return sorted_values([citation_dict(entry) for entry in value])
    except ValueError as error:
        raise ValueError(f"{what}: {error}") from None


def read_date(value: Any) -> Any:
    """An ISO date ("1961-07-06", "1961-07", "1961") as the PartialDate validate_treaty would
    make of it, without its general parser (many times faster, on every date of a large file);
    anything else, an ISO date that does not exist included, is left for validate_treaty to
    read and explain."""
    if type(value) is not str or not _ISO_DATE.fullmatch(value):
        return value
    try:
        if len(value) == 10:
            day = dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
            return PartialDate(day, Precision.DAY)
        if len(value) == 7:
            return PartialDate(dt.date(int(value[:4]), int(value[5:7]), 1), Precision.MONTH)
        return PartialDate(dt.date(int(value), 1, 1), Precision.YEAR)
    except ValueError:  # no such day, month or year
        return value


def _partial_iso(value: Any, index: int, name: str) -> str | None:
    """A party's date of joining or leaving as ISO text; `index` and `name` for a message."""
    if value is None or value == "":
        return None
    try:
        return PartialDate.from_iso(str(value).strip()).iso()
    except DateError as error:
        raise ValueError(f"party {index} {name}: {error}") from None


def prepare(raw: Mapping[str, Any]) -> Prepared:
    """The record as validate_treaty reads it (its ISO dates read), and the extras that ride
    beside it (party dates, citations); ValueError names the field as "parties",
    "provisions" or "sources" in its first word."""
    form = dict(raw)
    form.pop("sources", None)
    for name in FORM_DATES:
        value = form.get(name)
        if type(value) is str:
            form[name] = read_date(value)
    party_extras: list[dict[str, Any]] = []
    party_spoken: list[tuple[str, ...]] = []
    parties = raw.get("parties")
    if isinstance(parties, list):
        entries = form["parties"] = []
        for index, entry in enumerate(parties, start=1):
            extras, spoken, entry = _party_extras(index, entry)
            entries.append(entry)
            party_extras.append(extras)
            party_spoken.append(spoken)
    provision_sources = None
    provisions = raw.get("provisions")
    if isinstance(provisions, list):
        form["provisions"] = list(provisions)  # validate_treaty reads a clause's sources as none
        provision_sources = []
        for index, entry in enumerate(provisions, start=1):
            if type(entry) is dict or isinstance(entry, Mapping):
                cited = entry.get("sources")
                if cited is None or cited == []:  # most clauses: no need to name this one
                    provision_sources.append([])
                    continue
                try:
                    provision_sources.append(_citation_list(cited, f"provision {index}"))
                except ValueError as error:
                    raise ValueError(f"provisions: {error}") from None
            else:
                provision_sources.append([])
    sources = None
    if "sources" in raw:
        try:
            sources = _citation_list(raw["sources"], "treaty")
        except ValueError as error:
            raise ValueError(f"sources: {error}") from None
    return Prepared(form, party_extras, party_spoken, provision_sources, sources)


def _party_extras(index: int, entry: Any) -> tuple[dict[str, Any], tuple[str, ...], Any]:
    """A party entry's extras, the attributes it gives, and the entry as validate_treaty reads
    it (without its dates of joining and leaving, its date of ratification read)."""
    if type(entry) is not dict and not isinstance(entry, Mapping):
        return {}, (), entry
    cited = entry.get("sources")
    try:
        extras = {
            "joined": _partial_iso(entry.get("joined"), index, "joined"),
            "left": _partial_iso(entry.get("left"), index, "left"),
            "sources": []
            if cited is None or cited == []
            else _citation_list(cited, f"party {index}"),
        }
    except ValueError as error:
        raise ValueError(f"parties: {error}") from None
    spoken = tuple([a for a in PARTY_ATTRS if a in entry])
    ratified = entry.get("ratified")
    if "joined" in entry or "left" in entry or isinstance(ratified, str):
        # validate_treaty passes over a party's sources, but refuses these two.
        entry = {k: v for k, v in entry.items() if k not in ("joined", "left")}
        if isinstance(ratified, str):
            entry["ratified"] = read_date(ratified)
    return extras, spoken, entry


def input_nested(
    data: TreatyInput, prepared: Prepared, states: StateIndex, spoken: Collection[str]
) -> dict[str, Any]:
    """The validated file record as canonical values (what unflatten gives), only for the
    fields it speaks for."""
    dates, values = data.dates, data.values
    if _SCALAR_SET.issubset(spoken):  # a record of every field, as our exports write them
        nested = {name: values.get(name) for name in SCALARS}
        for name, when in dates.items():
            if name in nested:
                nested[name] = iso(when)
        nested["replaces"] = data.replaces
    else:
        nested = {}
        for name in SCALARS:
            if name not in spoken:
                continue
            if name in dates:
                nested[name] = iso(dates[name])
            elif name == "replaces":
                nested[name] = data.replaces
            else:
                nested[name] = values.get(name)
    if "parties" in spoken:
        parties = []
        for party, extras, attrs in zip(
            data.parties, prepared.party_extras, prepared.party_spoken, strict=True
        ):
            entry = {"state": state_ref(states[party["state_id"]]), "role": party["role"]}
            if attrs:
                ratified = party["ratified_on"]
                full = {
                    "signer": party["signer"],
                    "signer_title": party["signer_title"],
                    "ratified": PartialDate.from_parts(ratified, party["ratified_precision"]).iso()
                    if ratified
                    else None,
                    "notes": party["notes"],
                    **extras,
                }
                for a in attrs:
                    entry[a] = full.get(a)
            parties.append(entry)
        nested["parties"] = parties
    if "provisions" in spoken and prepared.provision_sources is not None:
        clauses = nested["provisions"] = []
        for p, s in zip(data.provisions, prepared.provision_sources, strict=True):
            clause = dict(zip(PROVISION_FIELDS, _provision_values(p), strict=True))
            clause["sources"] = s
            clauses.append(clause)
    if "sources" in spoken and prepared.sources is not None:
        nested["sources"] = prepared.sources
    return nested


_provision_values = itemgetter(*PROVISION_FIELDS)


def form_values(nested: Mapping[str, Any]) -> dict[str, Any]:
    """Nested canonical values back into the raw mapping validate_treaty reads."""
    raw = {k: read_date(nested.get(k)) if k in FORM_DATES else nested.get(k) for k in SCALARS}
    raw["parties"] = [
        {k: read_date(v) if k == "ratified" else v for k, v in p.items() if k not in PARTY_EXTRAS}
        for p in nested.get("parties") or []
    ]
    raw["provisions"] = [
        {k: v for k, v in p.items() if k != "sources"} for p in nested.get("provisions") or []
    ]
    return raw


def touches_parties(keys: set[str]) -> bool:
    return any(k == "parties" or k.startswith("party ") for k in keys)


class CachedStates(StateIndex):
    """The states, each name looked up once: a file names the same states thousands of times,
    and a lookup compares the name with every state."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._found: dict[str, StateRef] = {}

    def find(self, text: str) -> StateRef:
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = super().find(text)
        return found
