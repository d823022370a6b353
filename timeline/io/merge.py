"""Imports of every format: match incoming treaties to the database by external id, merge them
three ways with what the user edited, and write it all in one transaction.

A format reader (ATOP, our JSON and CSV) turns its file into an ImportBatch of Incoming records
(timeline/io/merge_batch.py), each a raw mapping of the user-facing fields of
timeline/forms.py. run_import validates every record with validate_treaty (a well-formed one
on its fast path, timeline/io/merge_quick.py), merges it with the treaty it matches (the
rule: timeline/io/merge_values.py) and writes it; any error rolls back everything. Treaties
the database does not hold yet, most of a large file, are written in batches with their
history (timeline/io/merge_bulk.py); a matched treaty that changes goes through the same
writes as an edit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col, select

from db import audit
from db.changes import update_treaty
from db.engine import writer
from db.errors import DatabaseError
from db.models import Citation, ImportRecord, Provision, Source, Treaty, TreatyParty, utc_now
from db.schema import explain
from timeline.dates import PartialDate
from timeline.forms import InvalidInput, TreatyInput, editable_values, validate_treaty
from timeline.io.gc_pause import gc_paused
from timeline.io.merge_batch import (
    Conflict,
    ImportBatch,
    ImportFailed,
    ImportReport,
    Incoming,
    Location,
    Progress,
    Tally,
    plural,
)
from timeline.io.merge_bulk import BulkWriter, NewTreaty
from timeline.io.merge_quick import quick_treaty
from timeline.io.merge_values import (
    DATASET_CITATION,
    CachedStates,
    FieldMerge,
    attr_key,
    citation_dict,
    flatten,
    form_values,
    input_nested,
    is_empty,
    merge_fields,
    party_key,
    prepare,
    prune,
    record_values,
    same,
    sorted_values,
    state_ref,
    touches_parties,
    unflatten,
)
from timeline.records import TreatyRecord, to_records

__all__ = [
    "DATASET_CITATION",
    "Conflict",
    "FieldMerge",
    "ImportBatch",
    "ImportFailed",
    "ImportReport",
    "Incoming",
    "Location",
    "Tally",
    "citation_dict",
    "import_text",
    "is_empty",
    "merge_fields",
    "plural",
    "record_values",
    "run_import",
    "same",
    "state_ref",
]

RECORD_CHUNK = 50


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
    with gc_paused(), Session(writer(engine)) as session:
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
        # (slug of a treaty, slug it replaces): links to treaties the file creates later
        self.pending_replaces: list[tuple[str, str]] = []

    def run(self) -> None:
        if self.batch.dataset_source is not None:
            self._ensure_source(self.batch.dataset_source)
        if self.batch.before is not None:
            self.batch.before(self.session, self.report, self.overwrite)
        self.source_ids = dict(self.session.exec(select(Source.key, Source.id)).all())  # type: ignore[arg-type]
        self.states = CachedStates(self.session)
        self.bulk = BulkWriter(self.session, self.batch.dataset, self.states, self.source_ids)
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
        try:
            for done, item in enumerate(self.batch.treaties, start=1):
                treaty_id = matches.get(item.external_id)
                current = records[treaty_id] if treaty_id is not None else None
                if current is not None:
                    self.bulk.wait()  # the merge reads and writes through the session
                self._one(item, current, snapshots.get(item.external_id))
                if self.progress is not None:
                    self.progress(done, total)
            self.bulk.flush()
        finally:
            # A batch still being written fails first if it fails: it comes earlier in the file.
            self.bulk.close()
        self._link_pending()
        self.session.flush()
        if self.batch.after is not None:
            self.batch.after(self.session, self.report, self.overwrite)

    def _link_pending(self) -> None:
        """Links to treaties created after the treaty that replaces them, recorded as edits."""
        for slug, target_slug in self.pending_replaces:
            treaty = self.session.exec(select(Treaty).where(Treaty.slug == slug)).one()
            target = self.session.exec(select(Treaty.id).where(Treaty.slug == target_slug)).one()
            with audit.tracking(self.session, "treaty", treaty.id):
                treaty.replaces_id = target
                self.session.add(treaty)

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
        seen: dict[str, Incoming] = {}
        for item in self.batch.treaties:
            if item.external_id in seen:
                first = seen[item.external_id].place()
                raise ImportFailed(
                    item.place(),
                    f"{item.external_id} appears twice (first at {first.describe()})",
                )
            seen[item.external_id] = item
            if item.external_id in known:
                matches[item.external_id] = known[item.external_id]
                continue
            key = item.match_atop_id if self.batch.match_by == "atop_id" else item.external_id
            candidates = [i for i in by_key.get(key, []) if i not in claimed]
            if len(candidates) > 1:
                slugs = self.session.exec(select(Treaty.slug).where(col(Treaty.id).in_(candidates)))
                raise ImportFailed(
                    item.place(),
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
        checks: dict[str, Any] = {
            "slug_taken": self.slugs.__contains__,
            "treaty_exists": lambda s: s in self.slugs or s in self.new_slugs,
            "current_slug": current_slug,
        }
        quick = quick_treaty(raw, self.states, **checks)
        if quick is not None:
            return quick
        try:
            return validate_treaty(raw, self.states, **checks)
        except InvalidInput as error:
            (first, message), *rest = error.errors.items()
            said = "; ".join([message] + [f"column {item.column(n)}: {m}" for n, m in rest])
            if merged:
                said += " (after merging the file's values with those in the database)"
            raise item.failed(first, said) from None

    def _check_sources(self, item: Incoming, flat: Mapping[str, Any]) -> None:
        for key, value in flat.items():
            if not value:  # most fields: empty, no citations to look at
                continue
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
        raw = item.raw
        if current is not None:
            # The file's fields over the stored record, so that a file giving only some fields
            # is checked whole; what is made up for a new record never speaks for this one.
            given = {k: v for k, v in raw.items() if k not in item.create_only}
            raw = {**editable_values(current), **given}
            spoken = given.keys()
        else:
            if "slug" in item.create_only:
                raw = {**raw, "slug": self._free_slug(str(raw["slug"]))}
            spoken = raw.keys()
        try:
            prepared = prepare(raw)
        except ValueError as error:
            name, _, message = str(error).partition(": ")
            raise item.failed(name, message) from None
        data = self._validate(item, prepared.form, current.slug if current else None, False)
        nested = input_nested(data, prepared, self.states, spoken)
        for source_key, citations in item.citations.items():
            nested[DATASET_CITATION + source_key] = sorted_values(citations)
        incoming = flatten(nested)
        self._check_sources(item, incoming)
        snapshot_values = incoming
        if item.create_only:
            snapshot_values = {k: v for k, v in incoming.items() if k not in item.create_only}

        if current is None:
            self._create(item, data, nested, snapshot_values)
            return
        base = json.loads(snapshot.values) if snapshot is not None else None
        before = record_values(current, tuple(item.citations))
        merge = merge_fields(current.slug, before, incoming, base, overwrite=self.overwrite)
        self.report.conflicts.extend(merge.conflicts)
        final = prune({**before, **merge.taken})
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
        text = import_text(values)
        if existing is None:
            self.session.add(
                ImportRecord(
                    treaty_id=treaty_id,
                    dataset=self.batch.dataset,
                    external_id=item.external_id,
                    values=text,
                )
            )
        elif existing.treaty_id != treaty_id or (
            existing.values != text and json.loads(existing.values) != json.loads(text)
        ):
            existing.values, existing.treaty_id = text, treaty_id
            existing.imported_at = utc_now()
            self.session.add(existing)
        # else: the same file again leaves even the time of the last import alone

    # -- writing -------------------------------------------------------------------------------
    def _link_now(self, slug: str, replaces: str | None) -> str | None:
        """The slug to link now; a treaty this import creates later is linked at the end."""
        if replaces and replaces not in self.slugs:
            self.pending_replaces.append((slug, replaces))
            return None
        return replaces

    def _create(
        self,
        item: Incoming,
        data: TreatyInput,
        nested: Mapping[str, Any],
        snapshot_values: Mapping[str, Any],
    ) -> None:
        slug = data.values["slug"]
        linked = self._link_now(slug, data.replaces)
        self.slugs.add(slug)
        text = import_text(snapshot_values)
        keys = tuple(DATASET_CITATION + key for key in item.citations)
        self.bulk.add(NewTreaty(item.external_id, data, nested, text, linked, keys))
        self.report.treaties.added += 1
        self.report.added.append(slug)

    def _update(
        self, current: TreatyRecord, data: TreatyInput, nested: Mapping[str, Any], changed: set[str]
    ) -> None:
        # The new treaties before it first: it may link to one, and the history keeps the
        # order of the file.
        self.bulk.flush()
        slug = data.values["slug"]
        with audit.tracking(self.session, "treaty", current.id):
            update_treaty(
                self.session,
                current.slug,
                data.values,
                replaces=self._link_now(slug, data.replaces),
                parties=data.parties if touches_parties(changed) else None,
                provisions=data.provisions if "provisions" in changed else None,
            )
            self.slugs.discard(current.slug)
            self.slugs.add(slug)
            self._write_details(current.id, data, nested, changed)

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
        self, treaty_id: int, data: TreatyInput, nested: Mapping[str, Any], changed: set[str]
    ) -> None:
        """Party dates and citations of a changed treaty: what the form's writes leave out."""
        if touches_parties(changed):
            self._write_party_details(treaty_id, data, nested.get("parties") or [], changed)
        if "provisions" in changed:
            provisions = self.session.exec(
                select(Provision)
                .where(Provision.treaty_id == treaty_id)
                .order_by(col(Provision.position))
            ).all()
            for row, entry in zip(provisions, nested.get("provisions") or [], strict=True):
                self.session.exec(delete(Citation).where(col(Citation.provision_id) == row.id))
                self._cite(entry.get("sources") or [], provision_id=row.id)  # type: ignore[arg-type]
        if "sources" in changed:
            self.session.exec(delete(Citation).where(col(Citation.treaty_id) == treaty_id))
            self._cite(nested.get("sources") or [], treaty_id=treaty_id)
        for key in sorted(changed):
            if key.startswith(DATASET_CITATION):
                source_id = self.source_ids[key.removeprefix(DATASET_CITATION)]
                self.session.exec(
                    delete(Citation).where(
                        col(Citation.treaty_id) == treaty_id,
                        col(Citation.source_id) == source_id,
                    )
                )
                self._cite(nested.get(key) or [], treaty_id=treaty_id)
        self.session.flush()

    def _write_party_details(
        self,
        treaty_id: int,
        data: TreatyInput,
        entries: Sequence[Mapping[str, Any]],
        changed: set[str],
    ) -> None:
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
            if "sources" in entry and attr_key(member, "sources") in changed:
                self.session.exec(delete(Citation).where(col(Citation.party_id) == row.id))
                self._cite(entry["sources"], party_id=row.id)  # type: ignore[arg-type]


def import_text(values: Mapping[str, Any]) -> str:
    """An import record's values as stored: keys sorted, so that equal values have equal
    text. orjson's compact spelling; a record written before it has the json module's spaces
    (_snapshot compares such a text by its values)."""
    return orjson.dumps(values, option=orjson.OPT_SORT_KEYS).decode()
