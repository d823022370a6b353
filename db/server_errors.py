"""PostgreSQL's reasons for refusing a connection or a write, each said in one line a user can
act on (the SQLite file errors are in db/schema.py's explain())."""

from __future__ import annotations

import re

UNREACHABLE = (
    "connection refused",
    "no such file or directory",
    "timeout expired",
    "network is unreachable",
    "no route to host",
)
LOGIN_REFUSED = ("authentication failed", "no password supplied", "pg_hba.conf")
HOW_TO_CREATE = "CREATE DATABASE ... OWNER ..., see the README"


def _address(message: str) -> str:
    found = re.search(r'server (?:at "([^"]+)", port (\d+)|on socket "([^"]+)")', message)
    if not found:
        return ""
    return f" at {found[1]}:{found[2]}" if found[1] else f" on socket {found[3]}"


def explain_server(message: str) -> str | None:
    """The line for a server's error message; None for a message that is not one of these."""
    lowered = message.lower()
    at = _address(message)
    # libpq puts "FATAL:  <reason>" after the address it tried.
    reason = re.split(r"FATAL:\s+", message)[-1].strip()
    if missing := re.search(r'database "([^"]+)" does not exist', message):
        return f"there is no database {missing[1]} on the server{at}; create it ({HOW_TO_CREATE})"
    if any(w in lowered for w in LOGIN_REFUSED) or re.search(r'role "[^"]+" does not', message):
        return (
            f"the server{at} refused the login ({reason}): check the user and password in the URL"
        )
    if host := re.search(r"(?:resolve host|translate host name) [\"']([^\"']+)", message):
        return f"cannot find the database server {host[1]}: check the host name in the URL"
    if at and any(w in lowered for w in UNREACHABLE):
        return (
            f"cannot reach the database server{at}: check that it is running and the host and"
            " port in the URL"
        )
    if "permission denied for" in lowered:
        return f"the database user lacks a right ({reason}); make it the owner ({HOW_TO_CREATE})"
    if "no space left on device" in lowered or "could not extend file" in lowered:
        return "the database server's disk is full: nothing was changed; tell its administrator"
    if "read-only transaction" in lowered:
        return "the database server takes no writes (it is read-only, perhaps a standby)"
    return None
