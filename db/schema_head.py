"""The newest migration: tests/test_migrations.py checks it against the scripts. Its own module
so that the app can check a file's schema before the database layer is imported."""

SCHEMA_HEAD = "0006"
