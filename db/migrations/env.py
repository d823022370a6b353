"""Alembic environment: runs on the connection the program hands over, or on a URL for
developers generating a revision (`alembic -x db=PATH_OR_URL revision --autogenerate`)."""

from alembic import context
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.engine import database_url, make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = make_engine(database_url(context.get_x_argument(as_dictionary=True).get("db")))
    with engine.connect() as conn:
        run_migrations(conn)
