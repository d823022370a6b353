"""The treaties (and our JSON's events) an import creates, written in bulk.

Most of a large file is treaties the database does not hold yet. Rather than an ORM object, a
flush and a history snapshot read back per treaty, each is kept as the rows it becomes
(treaty, parties, clauses, citations, import record) and a batch is written with INSERTs of
many rows per table, handed straight to the driver (timeline/io/driver_insert.py). Its history
is built from those same rows with db/snapshots.py's parts, so it records exactly what a
snapshot read back would, written the same way (audit.change_rows). They are plain INSERTs:
the database's constraints and triggers see every row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Connection, Table, bindparam, select, update
from sqlmodel import Session

from db import audit, snapshots
from db.changes import PARTY_COLUMNS
from db.models import (
    Change,
    Citation,
    Event,
    EventState,
    ImportRecord,
    Provision,
    Treaty,
    TreatyParty,
    utc_now,
)
from db.search import timeline_key
from timeline.forms import PROVISION_FIELDS, TreatyInput
from timeline.io.driver_insert import (
    Prepared,
    Target,
    insert_dicts,
    insert_tuples,
    new_ids,
    prepared,
    run,
)
from timeline.io.write_behind import WriteBehind
from timeline.records import StateIndex

TREATY: Table = Treaty.__table__  # type: ignore[assignment]
PARTY: Table = TreatyParty.__table__  # type: ignore[assignment]
PROVISION: Table = Provision.__table__  # type: ignore[assignment]
CITATION: Table = Citation.__table__  # type: ignore[assignment]
IMPORT_RECORD: Table = ImportRecord.__table__  # type: ignore[assignment]
EVENT: Table = Event.__table__  # type: ignore[assignment]
EVENT_STATE: Table = EventState.__table__  # type: ignore[assignment]
CHANGE: Table = Change.__table__  # type: ignore[assignment]
BATCH = 2000  # new treaties held before they are written
CHUNK = 500  # keys in one IN (...) when ids are read back
CITATION_TARGETS = ("treaty_id", "party_id", "provision_id", "event_id", "state_id")
_PARTY_COLUMNS = ("state_id", *PARTY_COLUMNS)  # what the form gives of a party
_PARTY_DATES = (("joined", "joined_on", "joined_precision"), ("left", "left_on", "left_precision"))

Citations = Sequence[Mapping[str, Any]]


# -- helpers for any table -----------------------------------------------------------------------


def ids_by(
    reader: Target, key: Sequence[Column[Any]], column: Column[Any], values: Iterable[Any]
) -> dict[Any, int]:
    """Row ids by their key (one column's value, or a tuple of several), for the rows whose
    `column` holds one of `values`."""
    table_id = column.table.c.id
    wanted = list(dict.fromkeys(values))
    found: dict[Any, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for row_id, *parts in reader.execute(select(table_id, *key).where(column.in_(chunk))):
            found[parts[0] if len(parts) == 1 else tuple(parts)] = row_id
    return found


def citation_row(
    citation: Mapping[str, Any], source_ids: Mapping[str, int], **target: int
) -> dict[str, Any]:
    """A citation (as merge_values.citation_dict gives it) as its row, for `target`."""
    row = {name: target.get(name) for name in CITATION_TARGETS}
    row["source_id"] = source_ids[citation["source"]]
    row.update(_citation_fields(citation))
    return row


def _citation_fields(citation: Mapping[str, Any]) -> dict[str, Any]:
    """A citation's row's own columns: what it supports, and how."""
    return {
        "supports": ",".join(citation.get("supports") or []),
        "agrees": citation.get("agrees", True),
        "claim": citation.get("claim"),
        "note": citation.get("note"),
    }


def cited(citations: Citations) -> list[dict[str, Any]]:
    """The citations as the history names them, as read back from the rows they become."""
    if not citations:  # most parts
        return []
    return [snapshots.citation_values(c["source"], _citation_fields(c)) for c in citations]


class _BatchWriter:
    """What BulkWriter and EventWriter share: a batch is written in a second thread while
    the caller reads and checks the next (timeline/io/write_behind.py). wait() before any
    other use of the session (flush() waits), and close() at the end, also on failure.
    Batches are written one after another, so the history keeps the order of the file."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.behind = WriteBehind()
        self.wait, self.close = self.behind.wait, self.behind.close
        self._change_set: int | None = None

    def _history(self, records: list[audit.Recorded]) -> list[Prepared]:
        """The INSERTs of the records' history (as audit.record_many's rows), made while a
        batch may still be written: only the change set needs the session, once."""
        if self._change_set is None:
            self.wait()
            self._change_set = audit.open_change_set(self.session)
        rows = audit.change_rows(None, records, self._change_set)
        return prepared(self.session.get_bind().dialect, CHANGE, audit.CHANGE_COLUMNS, rows)


# -- new treaties --------------------------------------------------------------------------------


@dataclass
class NewTreaty:
    """A treaty to create: validated values, and the file's values (as
    merge_values.input_nested gives them) for what the form leaves out."""

    external_id: str
    data: TreatyInput
    nested: Mapping[str, Any]
    snapshot: str  # the import record's values, JSON
    replaces: str | None  # the slug linked at once (a treaty created later is linked after)
    # The keys of `nested` that hold a data set's own citations ("source KEY").
    dataset_keys: tuple[str, ...] = ()


@dataclass
class _Rows:
    """One new treaty's rows; each citation list beside the row it cites, as the file gives
    them."""

    new: NewTreaty
    treaty: dict[str, Any]
    parties: list[dict[str, Any]]
    provisions: list[dict[str, Any]]
    treaty_sources: Citations
    party_sources: list[Citations]
    provision_sources: list[Citations]


class BulkWriter(_BatchWriter):
    """Holds new treaties and writes them a batch at a time (_BatchWriter's rules)."""

    def __init__(
        self, session: Session, dataset: str, states: StateIndex, source_ids: Mapping[str, int]
    ) -> None:
        super().__init__(session)
        self.dataset = dataset
        self.states = states
        self.source_ids = source_ids
        self.pending: list[NewTreaty] = []
        self.state_keys: dict[int, str] = {}  # state id -> as the history names it

    def add(self, new: NewTreaty) -> None:
        self.pending.append(new)
        if len(self.pending) >= BATCH:
            self._write_behind()

    def flush(self) -> None:
        """Write every treaty held, and wait until written."""
        self._write_behind()
        self.wait()

    def _write_behind(self) -> None:
        """Start writing the held treaties, once the batch before them is written. Their
        rows and history are made first, while that batch may still be written: neither
        needs the database."""
        if not self.pending:
            self.wait()
            return
        batch, self.pending = self.pending, []
        rows = [_rows(new) for new in batch]
        history = [("treaty", None, {}, self._snapshot(r)) for r in rows]  # by slug
        changes = self._history(history)
        self.wait()
        # Earlier ORM writes go first: a slug one of them gave up may be taken here.
        self.session.flush()
        self.behind.start(self._write, self.session.connection(), rows, changes)

    def _write(self, connection: Connection, rows: list[_Rows], changes: list[Prepared]) -> None:
        self._write_treaties(connection, rows)
        self._write_parts(connection, rows)
        self._write_citations(connection, rows)
        now = utc_now()
        insert_dicts(
            connection,
            IMPORT_RECORD,
            [
                {
                    "treaty_id": r.treaty["id"],
                    "dataset": self.dataset,
                    "external_id": r.new.external_id,
                    "values": r.new.snapshot,
                    "imported_at": now,
                }
                for r in rows
            ],
        )
        run(connection, changes)

    def _write_treaties(self, connection: Connection, batch: list[_Rows]) -> None:
        """Insert the treaties and note their ids. A link to a treaty of the same batch is
        set once both have ids."""
        now = utc_now()
        links = [r.new.replaces for r in batch if r.new.replaces]
        targets = ids_by(connection, [TREATY.c.slug], TREATY.c.slug, links)
        for r in batch:
            r.treaty.update(
                replaces_id=targets.get(r.new.replaces),
                version=1,
                created_at=now,
                updated_at=now,
            )
        ids = _insert_new(connection, TREATY, [r.treaty for r in batch], "slug", _index_key)
        late = [
            {"row_id": ids[r.treaty["slug"]], "target": ids[r.new.replaces]}
            for r in batch
            if r.new.replaces and r.new.replaces not in targets
        ]
        if late:
            connection.execute(
                update(TREATY)
                .where(TREATY.c.id == bindparam("row_id"))
                .values(replaces_id=bindparam("target")),
                late,
            )
        for r in batch:
            r.treaty["id"] = ids[r.treaty["slug"]]
            for row in r.parties + r.provisions:
                row["treaty_id"] = r.treaty["id"]

    def _write_parts(self, connection: Connection, batch: list[_Rows]) -> None:
        insert_dicts(connection, PARTY, [p for r in batch for p in r.parties])
        insert_dicts(connection, PROVISION, [p for r in batch for p in r.provisions])
        # Ids are read back only for parts with citations to point at them.
        treaty_ids = [r.treaty["id"] for r in batch]
        if any(c for r in batch for c in r.party_sources):
            key = [PARTY.c.treaty_id, PARTY.c.state_id, PARTY.c.role]
            found = ids_by(connection, key, PARTY.c.treaty_id, treaty_ids)
            for r in batch:
                for party in r.parties:
                    party["id"] = found[_party_key(party)]
        if any(c for r in batch for c in r.provision_sources):
            key = [PROVISION.c.treaty_id, PROVISION.c.position]
            found = ids_by(connection, key, PROVISION.c.treaty_id, treaty_ids)
            for r in batch:
                for clause in r.provisions:
                    clause["id"] = found[_provision_key(clause)]

    def _write_citations(self, connection: Connection, batch: list[_Rows]) -> None:
        """Per treaty, its parties', its clauses' and its own, as the merge path writes them."""
        ids = self.source_ids
        rows: list[dict[str, Any]] = []
        for r in batch:
            for party, sources in zip(r.parties, r.party_sources, strict=True):
                rows.extend(citation_row(c, ids, party_id=party["id"]) for c in sources)
            for clause, sources in zip(r.provisions, r.provision_sources, strict=True):
                rows.extend(citation_row(c, ids, provision_id=clause["id"]) for c in sources)
            rows.extend(citation_row(c, ids, treaty_id=r.treaty["id"]) for c in r.treaty_sources)
        insert_dicts(connection, CITATION, rows)

    def _snapshot(self, r: _Rows) -> snapshots.Snapshot:
        """The treaty as snapshots.treaty would read it back."""
        snapshot: snapshots.Snapshot = {
            ("treaty", None): snapshots.treaty_part(
                r.treaty, r.new.replaces, cited(r.treaty_sources)
            )
        }
        for party, sources in zip(r.parties, r.party_sources, strict=True):
            name = self.state_keys.get(party["state_id"])
            if name is None:
                state = self.states[party["state_id"]]
                name = snapshots.state_key(state.iso3, state.cow_code, state.id)
                self.state_keys[state.id] = name
            key, values = snapshots.party_part(party, name, cited(sources))
            snapshot[key] = values
        for clause, sources in zip(r.provisions, r.provision_sources, strict=True):
            key, values = snapshots.provision_part(clause, cited(sources))
            snapshot[key] = values
        return snapshot


def _insert_new(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    key: str,
    order: Callable[[Mapping[str, Any]], Any] | None = None,
) -> dict[str, int]:
    """Insert new rows; their ids by `key`. Ids are given with the rows, in the batch's order,
    where the database allows (driver_insert.new_ids), and read back by `key` otherwise; given
    ids let the rows go in `order`."""
    ids = new_ids(connection, table, len(rows))
    if ids is None:
        insert_dicts(connection, table, rows)
        return ids_by(connection, [table.c[key]], table.c[key], [row[key] for row in rows])
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    insert_dicts(connection, table, sorted(rows, key=order) if order else rows)
    return {row[key]: row["id"] for row in rows}


def _index_key(row: Mapping[str, Any]) -> int:
    """Where the search index files a treaty (db/search.py's timeline_key): treaties inserted
    in this order cost its upkeep half what they did in id order."""
    return timeline_key(row["signed_on"], row["id"])


def _rows(new: NewTreaty) -> _Rows:
    """The rows create_treaty and the merge path's details would write for the treaty."""
    data, nested = new.data, new.nested
    entries = nested.get("parties") or [{} for _ in data.parties]
    parties = []
    for party, entry in zip(data.parties, entries, strict=True):
        row = dict(zip(_PARTY_COLUMNS, _party_values(party), strict=True))
        for name, on, precision in _PARTY_DATES:
            when = entry.get(name)
            if when is None:
                row[on] = row[precision] = None
            else:
                row.update(snapshots.date_columns(name, when))
        parties.append(row)
    clauses = nested.get("provisions") or [{} for _ in data.provisions]
    provisions = []
    for position, p in enumerate(data.provisions, start=1):
        row = {"position": position}
        row.update(zip(PROVISION_FIELDS, _provision_values(p), strict=True))
        provisions.append(row)
    # The treaty's own citations, then each data set's, as the merge path writes them.
    treaty_sources = list(nested.get("sources") or [])
    for key in sorted(new.dataset_keys):
        treaty_sources.extend(nested.get(key) or [])
    return _Rows(
        new,
        treaty=dict(data.values),
        parties=parties,
        provisions=provisions,
        treaty_sources=treaty_sources,
        party_sources=[e.get("sources") or [] for e in entries],
        provision_sources=[c.get("sources") or [] for c in clauses],
    )


_party_values = itemgetter(*_PARTY_COLUMNS)
_provision_values = itemgetter(*PROVISION_FIELDS)


def _party_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["treaty_id"], row["state_id"], row["role"])


def _provision_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["treaty_id"], row["position"])


# -- new events (our JSON's) ---------------------------------------------------------------------


@dataclass
class _NewEvent:
    key: str
    values: Mapping[str, Any]  # as the file gives them, canonical (exchange_import)
    row: dict[str, Any]
    state_ids: list[int]


class EventWriter(_BatchWriter):
    """Holds new events and writes them a batch at a time, as BulkWriter does treaties (the
    same rules: wait() before using the session, close() at the end); the treaties they
    belong to are written already."""

    def __init__(
        self,
        session: Session,
        states: StateIndex,
        source_ids: Mapping[str, int],
        treaty_ids: Mapping[str, int],
    ) -> None:
        super().__init__(session)
        self.states = states
        self.source_ids = source_ids
        self.treaty_ids = treaty_ids
        self.pending: list[_NewEvent] = []

    def add(self, key: str, values: Mapping[str, Any]) -> None:
        """A new event of these values; a field not given takes the table's default."""
        row = {
            "key": key,
            **snapshots.date_columns("on", values.get("on")),
            "happened_uncertain": bool(values.get("uncertain", False)),
            "kind": values.get("kind") or "other",
            "title": values.get("title") or "",
            "description": values.get("description"),
            "place": values.get("place"),
            "treaty_id": self.treaty_ids[values["treaty"]] if values.get("treaty") else None,
        }
        state_ids = [self.states.find(ref).id for ref in values.get("states") or []]
        self.pending.append(_NewEvent(key, values, row, state_ids))
        if len(self.pending) >= BATCH:
            self._write_behind()

    def flush(self) -> None:
        """Write every event held, and wait until written."""
        self._write_behind()
        self.wait()

    def _write_behind(self) -> None:
        if not self.pending:
            self.wait()
            return
        batch, self.pending = self.pending, []
        changes = self._history([("event", e.key, {}, self._snapshot(e)) for e in batch])
        self.wait()
        self.session.flush()
        self.behind.start(self._write, self.session.connection(), batch, changes)

    def _write(
        self, connection: Connection, batch: list[_NewEvent], changes: list[Prepared]
    ) -> None:
        ids = _insert_new(connection, EVENT, [e.row for e in batch], "key")
        links: list[tuple[int, int]] = []
        rows: list[dict[str, Any]] = []
        for e in batch:
            event_id = ids[e.key]
            links.extend((event_id, s) for s in e.state_ids)
            rows.extend(
                citation_row(c, self.source_ids, event_id=event_id)
                for c in e.values.get("sources") or []
            )
        insert_tuples(connection, EVENT_STATE, ("event_id", "state_id"), links)
        insert_dicts(connection, CITATION, rows)
        run(connection, changes)

    def _snapshot(self, e: _NewEvent) -> snapshots.Snapshot:
        """The event as snapshots.event would read it back."""
        names = []
        for state_id in e.state_ids:
            state = self.states[state_id]
            names.append(snapshots.state_key(state.iso3, state.cow_code, state.id))
        sources = cited(e.values.get("sources") or [])
        treaty = e.values.get("treaty") or None
        return {("event", None): snapshots.event_part(e.row, treaty, names, sources)}
