"""The Core tables browsing and a treaty's detail read (db/tables.py) name columns the models
define, with the same types, so that the two cannot drift apart."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import SQLModel

import db.models  # noqa: F401  (defines the models' tables)
from db import tables

READ_TABLES = sorted(tables.metadata.tables)


def test_browsing_reads_the_tables_it_is_meant_to() -> None:
    assert READ_TABLES == [
        "citation", "event", "event_state", "provision", "source", "state", "state_succession",
        "treaty", "treaty_party",
    ]  # fmt: skip


@pytest.mark.parametrize("name", READ_TABLES)
def test_every_column_read_is_a_column_of_the_model(name: str) -> None:
    read = tables.metadata.tables[name]
    model = SQLModel.metadata.tables[name]
    for column in read.columns:
        assert column.name in model.columns, f"{name}.{column.name} is not in the model"
        defined = model.columns[column.name]
        assert _python_type(column.type) is _python_type(defined.type), f"{name}.{column.name}"
        assert getattr(column.type, "length", None) == getattr(defined.type, "length", None)
        assert column.primary_key == defined.primary_key, f"{name}.{column.name}"


def _python_type(sql_type: TypeEngine[Any]) -> type:
    # SQLModel's AutoString is a decorator over String that declares no Python type itself.
    if isinstance(sql_type, TypeDecorator):
        return _python_type(sql_type.impl_instance)
    return sql_type.python_type
