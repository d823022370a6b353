"""Errors the database layer raises with a message fit to show a user as it is."""


class DatabaseError(Exception):
    """The database cannot be opened or used; str() is a one-line message for the user."""


class SchemaTooNew(DatabaseError):
    """The database was written by a newer version of the program."""


class NotFound(LookupError):
    """A record asked for by a key that does not exist."""
