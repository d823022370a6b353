"""What a format reader hands to an import (an ImportBatch of Incoming records, each with its
place in the file), how an import fails (ImportFailed, naming the file, line and column), and
what it reports (ImportReport)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

Progress = Callable[[int, int], None]
# The line of a record and of each of its fields, found only when a message needs them.
Placer = Callable[[], tuple[int, Mapping[str, int]]]


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
    # The file, and the record's first line unless `placer` finds it.
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
    # Finds the record's line and its fields' lines on first need (a JSON file's lines cost a
    # second reading of the file, worth it only for a message).
    placer: Placer | None = None

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def place(self) -> Location:
        """The record's first line."""
        if self.placer is not None:
            line, self.lines = self.placer()
            self.where, self.placer = Location(self.where.file, line), None
        return self.where

    def at(self, name: str) -> Location:
        where = self.place()
        return Location(where.file, self.lines.get(name, where.line))

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


# -- what an import reports ------------------------------------------------------------------


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
