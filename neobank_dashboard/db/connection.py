"""Which database a URL names, and why a connection to it failed, in words an operator can
act on. A URL may carry a password: nothing here ever prints it (the user, host, port and
database name only; no query string either, where drivers accept a password too)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

SETTING = "REFLEX_DB_URL"
_MISSING_DATABASE = re.compile(r'database "[^"]*" does not exist')
_MISSING_ROLE = re.compile(r'role "[^"]*" does not exist')


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (absolute), ``None`` for an in-memory database."""
    database = make_url(url).database
    return Path(database).resolve() if database and database != ":memory:" else None


def describe_database(url: str) -> str:
    """``SQLite file /…/neobank.db`` or ``postgresql neobank@db.internal:5432/neobank``."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return f"SQLite file {path}" if path else "SQLite in memory"
    user = f"{parsed.username}@" if parsed.username else ""
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.get_backend_name()} {user}{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


def connection_problem(url: str, error: sa.exc.SQLAlchemyError) -> str:
    """What went wrong reaching the database of ``url``, and what to do about it."""
    original = getattr(error, "orig", None) or error
    text = str(original)
    sqlstate = getattr(original, "sqlstate", None)
    parsed = make_url(url)
    first_line = text.strip().splitlines()[0] if text.strip() else type(original).__name__
    if parsed.get_backend_name() == "sqlite":
        if "unable to open" in text:
            return f"the {describe_database(url)} cannot be opened: check the path in {SETTING}"
        return f"the {describe_database(url)} answered: {first_line}"
    host, port, user = parsed.host or "localhost", parsed.port or 5432, parsed.username or "postgres"
    server = f"the PostgreSQL server {host}:{port}"
    if sqlstate == "3D000" or _MISSING_DATABASE.search(text):
        return (
            f'the database "{parsed.database}" does not exist on {server} ({SETTING}): create it '
            f"(createdb -h {host} -p {port} -U {user} {parsed.database}) or correct its name in {SETTING}"
        )
    refused = "password authentication failed" in text or _MISSING_ROLE.search(text)
    if sqlstate in {"28000", "28P01"} or refused:
        return f'{server} refused the login of user "{user}": check the user and password in {SETTING}'
    if "Connection refused" in text:
        reason = "connection refused"
    elif "resolve host" in text or "Name or service not known" in text:
        reason = "host name not found"
    elif "timeout" in text.lower() or "timed out" in text.lower():
        reason = "no answer in time"
    elif "connection" in text.lower() or isinstance(original, sa.exc.DisconnectionError):
        reason = first_line
    else:  # connected, then an operational failure (a lock, a cancelled statement...)
        return f"the PostgreSQL database {describe_database(url)} answered: {first_line}"
    return (
        f"{server} named in {SETTING} is unreachable ({reason}): check the host and port, "
        "and that the server is running"
    )
