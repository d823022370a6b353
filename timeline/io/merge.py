"""Imports of every format: match incoming treaties to the database by external id, merge them
three ways with what the user edited, and write it all in one transaction.

A format reader (ATOP, our JSON and CSV) turns its file into an ImportBatch of Incoming records,
each a raw mapping of the user-facing fields of timeline/forms.py. run_import validates every
record with validate_treaty, merges it and writes it; any error rolls back everything.

The merge works on a treaty flattened to keys: the scalar fields ("title", "signed", ...),
"parties" (the list of STATE:ROLE), one key per party attribute ("party SUN:party joined"),
"provisions" (the clauses as one list), "sources" (the treaty's citations) and, for a data set,
"source KEY" (its own citation). Per key, with the file's value, the database's and the value
the last import of this record wrote (its snapshot, table import_record):
- equal to the file's: nothing to do;
- the database still holds the snapshot's value: the file's new value is taken;
- never imported, and the database's value is empty: it is filled from the file;
- the file is silent (empty now and at the last import): the database's value stays;
- otherwise the user changed it: a conflict, reported, the user's value kept unless overwrite.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col, select

from db import audit
from db.changes import create_treaty, update_treaty
from db.engine import writer
from db.errors import DatabaseError
from db.models import Citation, ImportRecord, Provision, Source, Treaty, TreatyParty, utc_now
from db.schema import explain
from timeline.dates import DateError, PartialDate
from timeline.forms import (
    LABELS,
    PROVISION_FIELDS,
    InvalidInput,
    TreatyInput,
    editable_values,
    validate_treaty,
)
from timeline.records import StateIndex, StateRef, TreatyRecord, to_records

SCALARS: tuple[str, ...] = tuple(k for k in LABELS if k not in ("parties", "provisions"))
PARTY_ATTRS = ("signer", "signer_title", "ratified", "notes", "joined", "left", "sources")
PARTY_EXTRAS = ("joined", "left", "sources")  # carried beside the form's party fields
CITATION_FIELDS = ("source", "supports", "agrees", "claim", "note")
DATASET_CITATION = "source "  # prefix of the key of a data set's own citation
RECORD_CHUNK = 50

Progress = Callable[[int, int], None]


# -- where things are, and failures ----------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """A place in an input file; line None for the file as a whole."""

    file: str
    line: int | None = None

    def describe(self, column: str | None = None) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if column:
            parts.append(f"column {column}")
        return ", ".join(parts)


class ImportFailed(ValueError):
    """The import stopped and wrote nothing; str() says where (file, line, column) and why."""

    def __init__(self, where: Location, message: str, column: str | None = None) -> None:
        self.where = where
        self.column = column
        super().__init__(f"{where.describe(column)}: {message}")


# -- what a reader hands over ----------------------------------------------------------------


@dataclass
class Incoming:
    """One treaty as a file gives it.

    raw: user-facing fields (timeline/forms.py LABELS); a field left out is one the file does
    not speak for. A party may be "STATE[:ROLE]" or a mapping, which may also carry "joined",
    "left" and "sources"; provisions and the treaty may carry "sources" (citations as
    {source, supports, agrees, claim, note})."""

    external_id: str
    raw: dict[str, Any]
    where: Location
    # field -> the file's column (ATOP: "begyr"), for messages; default: the field's name
    columns: Mapping[str, str] = field(default_factory=dict)
    # field -> the line it is on, where that is not the record's first line (JSON)
    lines: Mapping[str, int] = field(default_factory=dict)
    # Fields made up for a new record (an ATOP title); never merged into an existing one.
    create_only: frozenset[str] = frozenset()
    # source key -> the data set's citations of this treaty
    citations: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    match_atop_id: int | None = None

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def at(self, name: str) -> Location:
        return Location(self.where.file, self.lines.get(name, self.where.line))

    def failed(self, name: str, message: str) -> ImportFailed:
        return ImportFailed(self.at(name), message, self.column(name))


@dataclass
class ImportBatch:
    dataset: str  # the import_record dataset, e.g. "atop-v4.01"
    label: str  # for messages, e.g. "ATOP v4.01"
    treaties: list[Incoming]
    # "atop_id": a record never imported matches a treaty with that ATOP id; "slug": by slug.
    match_by: str = "slug"
    # The source row a data set cites, created if missing: {"key", "title", ...}.
    dataset_source: Mapping[str, Any] | None = None
    # Extra steps in the same transaction (our JSON's sources before, events after).
    before: Callable[[Session, ImportReport, bool], None] | None = None
    after: Callable[[Session, ImportReport, bool], None] | None = None


@dataclass(frozen=True)
class Conflict:
    record: str  # the treaty's slug, or an event or source key
    field: str
    yours: Any
    theirs: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "field": self.field,
            "yours": self.yours,
            "file": self.theirs,
        }


@dataclass
class Tally:
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    def text(self, noun: str) -> str:
        """E.g. "745 treaties: 0 added, 0 changed, 745 left alone"; `noun` in the plural."""
        total = self.added + self.changed + self.unchanged
        return (
            f"{plural(total, noun)}: {self.added} added, {self.changed} changed,"
            f" {self.unchanged} left alone"
        )


def plural(n: int, noun: str) -> str:
    """ "1 treaty", "2 treaties": `noun` is given in the plural."""
    if n != 1:
        return f"{n} {noun}"
    return f"{n} " + (noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("s"))


@dataclass
class ImportReport:
    label: str
    dry_run: bool = False
    overwrite: bool = False
    treaties: Tally = field(default_factory=Tally)
    others: dict[str, Tally] = field(default_factory=dict)  # "sources", "events"
    conflicts: list[Conflict] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def tally(self, noun: str) -> Tally:
        return self.others.setdefault(noun, Tally())

    def summary(self) -> str:
        parts = [self.treaties.text("treaties")]
        parts += [tally.text(noun) for noun, tally in self.others.items()]
        text = "; ".join(parts)
        if self.conflicts:
            verb = "overwritten with the file's values" if self.overwrite else "kept your values"
            text += f"; {plural(len(self.conflicts), 'conflicts')} ({verb})"
        return text + (" (dry run: nothing written)" if self.dry_run else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.label,
            "dry_run": self.dry_run,
            "overwrite": self.overwrite,
            "treaties": vars(self.treaties),
            **{noun: vars(t) for noun, t in self.others.items()},
            "added": self.added,
            "changed": self.changed,
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


# -- comparing and merging values ------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == []


def _sorted(values: Sequence[Any]) -> list[Any]:
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True))


def _unordered(key: str) -> bool:
    # Party lists and citations are sets; provisions keep their order.
    return key == "parties" or key.endswith("sources") or key.startswith(DATASET_CITATION)


def same(key: str, a: Any, b: Any) -> bool:
    if is_empty(a) and is_empty(b):
        return True
    if _unordered(key) and isinstance(a, list) and isinstance(b, list):
        return _sorted(a) == _sorted(b)
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
    """The three-way merge of one record's keys (see the module docstring)."""
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
        flat["parties"] = [party_key(p["state"], p["role"]) for p in value]
        for p in value:
            member = party_key(p["state"], p["role"])
            for attr in PARTY_ATTRS:
                if attr in p:
                    flat[attr_key(member, attr)] = p[attr]
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


def _prune(flat: dict[str, Any]) -> dict[str, Any]:
    """Drop the attributes of parties that are no longer members."""
    members = set(flat.get("parties") or [])
    return {
        k: v for k, v in flat.items() if not k.startswith("party ") or k.split(" ")[1] in members
    }


# -- canonical values: from the database and from a validated file record --------------------


def _iso(value: PartialDate | None) -> str | None:
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
    return _sorted(
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
        entry["joined"] = _iso(party.joined)
        entry["left"] = _iso(party.left)
        entry["sources"] = _citations_of(party.citations)
    for entry, provision in zip(nested["provisions"], record.provisions, strict=True):
        entry["sources"] = _citations_of(provision.citations)
    nested["sources"] = _citations_of(record.citations)
    for key in dataset_sources:
        nested[DATASET_CITATION + key] = [c for c in nested["sources"] if c["source"] == key]
    return flatten(nested)


@dataclass
class _Prepared:
    """A file record split into what validate_treaty reads and what rides beside it."""

    form: dict[str, Any]
    party_extras: list[dict[str, Any]]  # aligned with form["parties"]
    party_spoken: list[tuple[str, ...]]  # attributes each party entry gives
    provision_sources: list[list[dict[str, Any]]] | None
    sources: list[dict[str, Any]] | None


def _citation_list(value: Any, what: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what}: sources must be a list")
    try:
        return _sorted([citation_dict(entry) for entry in value])
    except ValueError as error:
        raise ValueError(f"{what}: {error}") from None


def _partial_iso(value: Any, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return PartialDate.from_iso(str(value).strip()).iso()
    except DateError as error:
        raise ValueError(f"{what}: {error}") from None


def prepare(raw: Mapping[str, Any]) -> _Prepared:
    """Split the extras (party dates, citations) off a raw record; ValueError names the field
    as "parties", "provisions" or "sources" in its first word."""
    form = {k: v for k, v in raw.items() if k != "sources"}
    party_extras: list[dict[str, Any]] = []
    party_spoken: list[tuple[str, ...]] = []
    parties = raw.get("parties")
    if isinstance(parties, list):
        form["parties"] = []
        for index, entry in enumerate(parties, start=1):
            extras: dict[str, Any] = {}
            spoken: tuple[str, ...] = ()
            if isinstance(entry, Mapping):
                spoken = tuple(a for a in PARTY_ATTRS if a in entry)
                where = f"party {index}"
                try:
                    extras["joined"] = _partial_iso(entry.get("joined"), f"{where} joined")
                    extras["left"] = _partial_iso(entry.get("left"), f"{where} left")
                    extras["sources"] = _citation_list(entry.get("sources"), where)
                except ValueError as error:
                    raise ValueError(f"parties: {error}") from None
                entry = {k: v for k, v in entry.items() if k not in PARTY_EXTRAS}
            form["parties"].append(entry)
            party_extras.append(extras)
            party_spoken.append(spoken)
    provision_sources = None
    provisions = raw.get("provisions")
    if isinstance(provisions, list):
        form["provisions"] = []
        provision_sources = []
        for index, entry in enumerate(provisions, start=1):
            if isinstance(entry, Mapping):
                try:
                    provision_sources.append(
                        _citation_list(entry.get("sources"), f"provision {index}")
                    )
                except ValueError as error:
                    raise ValueError(f"provisions: {error}") from None
                entry = {k: v for k, v in entry.items() if k != "sources"}
            else:
                provision_sources.append([])
            form["provisions"].append(entry)
    sources = None
    if "sources" in raw:
        try:
            sources = _citation_list(raw["sources"], "treaty")
        except ValueError as error:
            raise ValueError(f"sources: {error}") from None
    return _Prepared(form, party_extras, party_spoken, provision_sources, sources)


def input_values(
    data: TreatyInput, prepared: _Prepared, states: StateIndex, spoken: set[str]
) -> dict[str, Any]:
    """The validated file record as flat keys, only for the fields it speaks for."""
    nested: dict[str, Any] = {}
    for name in SCALARS:
        if name not in spoken:
            continue
        if name in data.dates:
            nested[name] = _iso(data.dates[name])
        elif name == "replaces":
            nested[name] = data.replaces
        else:
            nested[name] = data.values.get(name)
    if "parties" in spoken:
        parties = []
        for party, extras, attrs in zip(
            data.parties, prepared.party_extras, prepared.party_spoken, strict=True
        ):
            ratified = (
                PartialDate.from_parts(party["ratified_on"], party["ratified_precision"])
                if party["ratified_on"]
                else None
            )
            full = {
                "signer": party["signer"],
                "signer_title": party["signer_title"],
                "ratified": _iso(ratified),
                "notes": party["notes"],
                **extras,
            }
            entry = {"state": state_ref(states[party["state_id"]]), "role": party["role"]}
            entry.update({a: full.get(a) for a in attrs})
            parties.append(entry)
        nested["parties"] = parties
    if "provisions" in spoken and prepared.provision_sources is not None:
        nested["provisions"] = [
            {**{f: p[f] for f in PROVISION_FIELDS}, "sources": s}
            for p, s in zip(data.provisions, prepared.provision_sources, strict=True)
        ]
    if "sources" in spoken and prepared.sources is not None:
        nested["sources"] = prepared.sources
    return flatten(nested)


def form_values(nested: Mapping[str, Any]) -> dict[str, Any]:
    """Nested canonical values back into the raw mapping validate_treaty reads."""
    raw = {k: nested.get(k) for k in SCALARS}
    raw["parties"] = [
        {k: v for k, v in p.items() if k not in PARTY_EXTRAS} for p in nested.get("parties") or []
    ]
    raw["provisions"] = [
        {k: v for k, v in p.items() if k != "sources"} for p in nested.get("provisions") or []
    ]
    return raw


# -- the run ---------------------------------------------------------------------------------


def run_import(
    engine: Engine,
    batch: ImportBatch,
    *,
    overwrite: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the batch in one transaction; ImportFailed (or DatabaseError) leaves the
    database as it was. A dry run does everything, reports, and rolls back."""
    report = ImportReport(batch.label, dry_run=dry_run, overwrite=overwrite)
    with Session(writer(engine)) as session:
        try:
            audit.begin(session, _description(batch))
            _Importer(session, batch, report, overwrite, progress).run()
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except IntegrityError as error:
            session.rollback()
            raise DatabaseError(f"the database refused the import: {error.orig}") from error
        except SQLAlchemyError as error:
            session.rollback()
            raise DatabaseError(explain(error)) from error
        except BaseException:
            session.rollback()
            raise
    return report


def _description(batch: ImportBatch) -> str:
    """The import's change set, e.g. "import ATOP v4.01 from atop-alliance-level.csv"."""
    files = {item.where.file for item in batch.treaties}
    return f"import {batch.label}" + (f" from {files.pop()}" if len(files) == 1 else "")


def _touches_parties(keys: set[str]) -> bool:
    return any(k == "parties" or k.startswith("party ") for k in keys)


class _Importer:
    def __init__(
        self,
        session: Session,
        batch: ImportBatch,
        report: ImportReport,
        overwrite: bool,
        progress: Progress | None,
    ) -> None:
        self.session = session
        self.batch = batch
        self.report = report
        self.overwrite = overwrite
        self.progress = progress
        self.slugs: set[str] = set()
        self.new_slugs: set[str] = set()
        self.source_ids: dict[str, int] = {}
        self.pending_replaces: list[tuple[int, str]] = []

    def run(self) -> None:
        if self.batch.dataset_source is not None:
            self._ensure_source(self.batch.dataset_source)
        if self.batch.before is not None:
            self.batch.before(self.session, self.report, self.overwrite)
        self.source_ids = dict(self.session.exec(select(Source.key, Source.id)).all())  # type: ignore[arg-type]
        self.states = StateIndex(self.session)
        self.slugs = set(self.session.exec(select(Treaty.slug)).all())
        matches = self._match()
        records = self._current_records(list(matches.values()))
        snapshots = {
            r.external_id: r
            for r in self.session.exec(
                select(ImportRecord).where(ImportRecord.dataset == self.batch.dataset)
            )
        }
        # Slugs this file creates, so that a treaty may replace one that comes later.
        self.new_slugs = {
            str(item.raw["slug"])
            for item in self.batch.treaties
            if item.external_id not in matches and item.raw.get("slug")
        }
        total = len(self.batch.treaties)
        for done, item in enumerate(self.batch.treaties, start=1):
            treaty_id = matches.get(item.external_id)
            current = records[treaty_id] if treaty_id is not None else None
            self._one(item, current, snapshots.get(item.external_id))
            if self.progress is not None:
                self.progress(done, total)
        for treaty_id, slug in self.pending_replaces:
            with audit.tracking(self.session, "treaty", treaty_id):
                treaty = self.session.get(Treaty, treaty_id)
                target = self.session.exec(select(Treaty.id).where(Treaty.slug == slug)).first()
                assert treaty is not None and target is not None
                treaty.replaces_id = target
                self.session.add(treaty)
        self.session.flush()
        if self.batch.after is not None:
            self.batch.after(self.session, self.report, self.overwrite)

    # -- matching ------------------------------------------------------------------------------
    def _ensure_source(self, record: Mapping[str, Any]) -> None:
        found = self.session.exec(select(Source.id).where(Source.key == record["key"])).first()
        if found is None:
            with audit.tracking(self.session, "source", record["key"]):
                self.session.add(Source(**record))

    def _match(self) -> dict[str, int]:
        """external id -> treaty id: by this data set's import records, then by ATOP id or
        slug among the treaties no other record of the data set has claimed."""
        known: dict[str, int] = {
            external_id: treaty_id
            for external_id, treaty_id in self.session.exec(
                select(ImportRecord.external_id, ImportRecord.treaty_id).where(
                    ImportRecord.dataset == self.batch.dataset
                )
            )
        }
        claimed = set(known.values())
        by_key: dict[Any, list[int]] = {}
        if self.batch.match_by == "atop_id":
            rows = self.session.exec(
                select(Treaty.atop_id, Treaty.id).where(col(Treaty.atop_id).is_not(None))
            )
        else:
            rows = self.session.exec(select(Treaty.slug, Treaty.id))  # type: ignore[assignment]
        for key, treaty_id in rows:
            by_key.setdefault(key, []).append(treaty_id)  # type: ignore[arg-type]
        matches: dict[str, int] = {}
        seen: dict[str, Location] = {}
        for item in self.batch.treaties:
            if item.external_id in seen:
                first = seen[item.external_id]
                raise ImportFailed(
                    item.where, f"{item.external_id} appears twice (first at {first.describe()})"
                )
            seen[item.external_id] = item.where
            if item.external_id in known:
                matches[item.external_id] = known[item.external_id]
                continue
            key = item.match_atop_id if self.batch.match_by == "atop_id" else item.external_id
            candidates = [i for i in by_key.get(key, []) if i not in claimed]
            if len(candidates) > 1:
                slugs = self.session.exec(select(Treaty.slug).where(col(Treaty.id).in_(candidates)))
                raise ImportFailed(
                    item.where,
                    f"ATOP id {key} is held by several treaties ({', '.join(sorted(slugs))});"
                    " keep it on one of them and import again",
                )
            if candidates:
                matches[item.external_id] = candidates[0]
                claimed.add(candidates[0])
        return matches

    def _current_records(self, treaty_ids: list[int]) -> dict[int, TreatyRecord]:
        found: dict[int, TreatyRecord] = {}
        # In chunks: to_records pairs every treaty with every party and clause it loaded.
        for start in range(0, len(treaty_ids), RECORD_CHUNK):
            chunk = treaty_ids[start : start + RECORD_CHUNK]
            rows = self.session.exec(select(Treaty).where(col(Treaty.id).in_(chunk))).all()
            found.update((r.id, r) for r in to_records(self.session, rows, self.states))
        return found

    # -- one treaty ----------------------------------------------------------------------------
    def _validate(
        self, item: Incoming, raw: Mapping[str, Any], current_slug: str | None, merged: bool
    ) -> TreatyInput:
        try:
            return validate_treaty(
                raw,
                self.states,
                slug_taken=lambda s: s in self.slugs,
                treaty_exists=lambda s: s in self.slugs or s in self.new_slugs,
                current_slug=current_slug,
            )
        except InvalidInput as error:
            (first, message), *rest = error.errors.items()
            said = "; ".join([message] + [f"column {item.column(n)}: {m}" for n, m in rest])
            if merged:
                said += " (after merging the file's values with those in the database)"
            raise item.failed(first, said) from None

    def _check_sources(self, item: Incoming, flat: Mapping[str, Any]) -> None:
        for key, value in flat.items():
            if key == "provisions":
                entries = [c for p in value or [] for c in p.get("sources") or []]
            elif key.endswith("sources"):
                entries = value or []
            else:
                continue
            for entry in entries:
                if entry["source"] not in self.source_ids:
                    name = "provisions" if key == "provisions" else "sources"
                    if key.startswith("party "):
                        name = "parties"
                    raise item.failed(
                        name, f'unknown source key {entry["source"]!r}: list it under "sources"'
                    )

    def _one(
        self, item: Incoming, current: TreatyRecord | None, snapshot: ImportRecord | None
    ) -> None:
        raw = dict(item.raw)
        if current is not None:
            # The file's fields over the stored record, so that a file giving only some fields
            # is checked whole; what is made up for a new record never speaks for this one.
            given = {k: v for k, v in raw.items() if k not in item.create_only}
            raw = {**editable_values(current), **given}
            spoken = set(given)
        else:
            if "slug" in item.create_only:
                raw["slug"] = self._free_slug(str(raw["slug"]))
            spoken = set(raw)
        try:
            prepared = prepare(raw)
        except ValueError as error:
            name, _, message = str(error).partition(": ")
            raise item.failed(name, message) from None
        data = self._validate(item, prepared.form, current.slug if current else None, False)
        incoming = input_values(data, prepared, self.states, spoken)
        for source_key, citations in item.citations.items():
            incoming[DATASET_CITATION + source_key] = _sorted(citations)
        self._check_sources(item, incoming)
        snapshot_values = {k: v for k, v in incoming.items() if k not in item.create_only}

        if current is None:
            treaty_id = self._create(data, unflatten(incoming))
            self._snapshot(item, snapshot, snapshot_values, treaty_id)
            return
        base = json.loads(snapshot.values) if snapshot is not None else None
        before = record_values(current, tuple(item.citations))
        merge = merge_fields(current.slug, before, incoming, base, overwrite=self.overwrite)
        self.report.conflicts.extend(merge.conflicts)
        final = _prune({**before, **merge.taken})
        changed = {k for k in set(final) | set(before) if not same(k, final.get(k), before.get(k))}
        if changed:
            nested = unflatten(final)
            merged = self._validate(item, form_values(nested), current.slug, True)
            self._update(current, merged, nested, changed)
            self.report.treaties.changed += 1
            self.report.changed.append(merged.values["slug"])
        else:
            self.report.treaties.unchanged += 1
        self._snapshot(item, snapshot, snapshot_values, current.id)

    def _free_slug(self, slug: str) -> str:
        candidate, n = slug, 2
        while candidate in self.slugs:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def _snapshot(
        self,
        item: Incoming,
        existing: ImportRecord | None,
        values: Mapping[str, Any],
        treaty_id: int,
    ) -> None:
        text = json.dumps(values, sort_keys=True, ensure_ascii=False)
        if existing is None:
            self.session.add(
                ImportRecord(
                    treaty_id=treaty_id,
                    dataset=self.batch.dataset,
                    external_id=item.external_id,
                    values=text,
                )
            )
        elif existing.values != text or existing.treaty_id != treaty_id:
            existing.values, existing.treaty_id = text, treaty_id
            existing.imported_at = utc_now()
            self.session.add(existing)
        # else: the same file again leaves even the time of the last import alone

    # -- writing -------------------------------------------------------------------------------
    def _link_now(self, treaty_id: int, replaces: str | None) -> str | None:
        """The slug to link now; a treaty this import creates later is linked at the end."""
        if replaces and replaces not in self.slugs:
            self.pending_replaces.append((treaty_id, replaces))
            return None
        return replaces

    def _create(self, data: TreatyInput, nested: Mapping[str, Any]) -> int:
        linked = data.replaces if data.replaces in self.slugs else None
        # One record of the treaty as created, with the party dates and citations below.
        with audit.tracking(self.session, "treaty", None):
            treaty = create_treaty(
                self.session,
                data.values,
                replaces=linked,
                parties=data.parties,
                provisions=data.provisions,
            )
            assert treaty.id is not None
            self._link_now(treaty.id, data.replaces)
            self.slugs.add(treaty.slug)
            self._write_details(treaty.id, data, nested, set(flatten(nested)), new=True)
        self.report.treaties.added += 1
        self.report.added.append(treaty.slug)
        return treaty.id

    def _update(
        self, current: TreatyRecord, data: TreatyInput, nested: Mapping[str, Any], changed: set[str]
    ) -> None:
        with audit.tracking(self.session, "treaty", current.id):
            update_treaty(
                self.session,
                current.slug,
                data.values,
                replaces=self._link_now(current.id, data.replaces),
                parties=data.parties if _touches_parties(changed) else None,
                provisions=data.provisions if "provisions" in changed else None,
            )
            self.slugs.discard(current.slug)
            self.slugs.add(data.values["slug"])
            self._write_details(current.id, data, nested, changed, new=False)

    def _cite(self, citations: Sequence[Mapping[str, Any]], **target: int) -> None:
        for c in citations:
            self.session.add(
                Citation(
                    source_id=self.source_ids[c["source"]],
                    supports=",".join(c.get("supports") or []),
                    agrees=c.get("agrees", True),
                    claim=c.get("claim"),
                    note=c.get("note"),
                    **target,
                )
            )

    def _write_details(
        self,
        treaty_id: int,
        data: TreatyInput,
        nested: Mapping[str, Any],
        changed: set[str],
        *,
        new: bool,
    ) -> None:
        """Party dates and citations: what the form's writes leave out."""
        entries = nested.get("parties") or []
        if _touches_parties(changed) and not (
            new and not any(e.get(a) for e in entries for a in PARTY_EXTRAS)
        ):
            rows = {
                (p.state_id, p.role): p
                for p in self.session.exec(
                    select(TreatyParty).where(TreatyParty.treaty_id == treaty_id)
                )
            }
            for party, entry in zip(data.parties, entries, strict=True):
                row = rows[(party["state_id"], party["role"])]
                for name in ("joined", "left"):
                    if name in entry:
                        when = PartialDate.from_iso(entry[name]) if entry[name] else None
                        setattr(row, f"{name}_on", when.value if when else None)
                        setattr(row, f"{name}_precision", when.precision.value if when else None)
                self.session.add(row)
                member = party_key(entry["state"], entry["role"])
                if "sources" in entry and (new or attr_key(member, "sources") in changed):
                    self.session.exec(delete(Citation).where(col(Citation.party_id) == row.id))
                    self._cite(entry["sources"], party_id=row.id)  # type: ignore[arg-type]
        clauses = nested.get("provisions") or []
        if "provisions" in changed and not (new and not any(c.get("sources") for c in clauses)):
            provisions = self.session.exec(
                select(Provision)
                .where(Provision.treaty_id == treaty_id)
                .order_by(col(Provision.position))
            ).all()
            for row_p, entry in zip(provisions, clauses, strict=True):
                if not new:
                    self.session.exec(
                        delete(Citation).where(col(Citation.provision_id) == row_p.id)
                    )
                self._cite(entry.get("sources") or [], provision_id=row_p.id)  # type: ignore[arg-type]
        if "sources" in changed:
            if not new:
                self.session.exec(delete(Citation).where(col(Citation.treaty_id) == treaty_id))
            self._cite(nested.get("sources") or [], treaty_id=treaty_id)
        for key in sorted(changed):
            if key.startswith(DATASET_CITATION):
                source_id = self.source_ids[key.removeprefix(DATASET_CITATION)]
                if not new:
                    self.session.exec(
                        delete(Citation).where(
                            col(Citation.treaty_id) == treaty_id,
                            col(Citation.source_id) == source_id,
                        )
                    )
                self._cite(nested.get(key) or [], treaty_id=treaty_id)
        self.session.flush()
