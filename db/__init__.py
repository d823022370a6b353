"""The database layer: tables, engine setup, migrations and queries. Knows nothing of the UI."""
