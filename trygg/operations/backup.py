"""Backup and restore of the whole database: `trygg backup PATH`, `trygg restore PATH`.

SQLite: the online backup API (sqlite3.Connection.backup) copies a
consistent snapshot page by page, so a backup is safe while the server
writes. PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore
--clean --if-exists` in a single transaction, so a failed restore changes
nothing. A backup file says which kind it is by its first bytes; restore
refuses the other kind, and anything that is not a Trygg database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connections

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}
# Debian's postgresql-client puts wrappers on PATH; the server package has these.
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Every migrated Trygg database has this table; a backup without it is not one of ours.
MARKER_TABLE = "django_migrations"


class BackupError(Exception):
    """Something the person running the command can read and act on."""


# --- what a file and a database are ------------------------------------------


def kind_of_file(path: Path) -> str:
    """SQLITE or POSTGRESQL, from the file's first bytes; BackupError if neither."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as f:
        head = f.read(16)
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    raise BackupError(f"{path} is not a backup (neither SQLite nor pg_dump custom format)")


def kind_of_database(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in NAMES:
        raise BackupError(f"cannot back up a {vendor} database")
    return vendor


def describe_database(alias: str = "default") -> str:
    """Which database a command would touch, in words: kind, name and server."""
    db = connections[alias].settings_dict
    if kind_of_database(alias) == SQLITE:
        return f"SQLite database {db['NAME']}"
    server = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"PostgreSQL database {db['NAME']!r} on {server}"


def contents(alias: str = "default") -> str:
    """What the database holds now, e.g. '120 reports, 3 areas, 7 organisations'."""
    from django.contrib.auth.models import User

    from trygg.geo.models import Area
    from trygg.partners.models import Municipality, Organisation
    from trygg.reports.models import Report

    models = [
        ("reports", Report),
        ("areas", Area),
        ("organisations", Organisation),
        ("municipalities", Municipality),
        ("users", User),
    ]
    try:
        return ", ".join(f"{m.objects.using(alias).count()} {name}" for name, m in models)
    except DatabaseError:
        return "no Trygg tables"


def check_restorable(path: Path, alias: str = "default") -> str:
    """The kind of `path` if it can be restored into `alias`; BackupError saying why not."""
    kind, target = kind_of_file(path), kind_of_database(alias)
    if kind != target:
        raise BackupError(
            f"{path} is a {NAMES[kind]} backup; this database is {NAMES[target]}. "
            "Restore it into a database of its own kind."
        )
    tables = _sqlite_tables(path) if kind == SQLITE else _pg_dump_tables(path)
    if MARKER_TABLE not in tables:
        raise BackupError(f"{path} is a {NAMES[kind]} file but not a backup of a Trygg database")
    return kind


# --- backup and restore ----------------------------------------------------------


def backup(path: Path, alias: str = "default") -> int:
    """Write a backup of database `alias` to `path`; the bytes written.

    Written beside `path` first and renamed into place, so `path` is never
    a half-written backup, even if the machine stops midway.
    """
    kind = kind_of_database(alias)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if kind == SQLITE:
            _sqlite_backup(alias, partial)
        else:
            _pg_dump(connections[alias].settings_dict, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def restore(path: Path, alias: str = "default") -> None:
    """Replace everything in database `alias` with the backup at `path`."""
    kind = check_restorable(path, alias)
    if kind == SQLITE:
        _sqlite_restore(path, alias)
    else:
        # Our own idle connection must hold no locks while pg_restore drops tables.
        connections[alias].close()
        _pg_restore(connections[alias].settings_dict, path)


# --- SQLite ------------------------------------------------------------------------


def _raw_sqlite(alias: str) -> sqlite3.Connection:
    """Django's own connection: it works for a file and for `:memory:` alike."""
    connection = connections[alias]
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    return raw


def _sqlite_backup(alias: str, destination: Path) -> None:
    target = sqlite3.connect(destination)
    try:
        _raw_sqlite(alias).backup(target)
    finally:
        target.close()


def _sqlite_restore(path: Path, alias: str) -> None:
    source = _open_read_only(path)
    try:
        source.backup(_raw_sqlite(alias))
    finally:
        source.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _sqlite_tables(path: Path) -> set[str]:
    try:
        conn = _open_read_only(path)
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite backup: {error}") from None
    return {row[0] for row in rows}


# --- PostgreSQL ----------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if (PG_BIN / name).is_file():
        return str(PG_BIN / name)
    raise BackupError(
        f"{name} not found on PATH or in {PG_BIN} (apt-get install postgresql-client)"
    )


def _pg_connection(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment that reach database `db` (a DATABASES entry)."""
    args = [f"--dbname={db['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{option}={db[key]}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line: ps shows it
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def _pg_dump(db: dict[str, Any], destination: Path) -> None:
    args, env = _pg_connection(db)
    command = [_pg_tool("pg_dump"), "--format=custom", f"--file={destination}", *args]
    _run(command, env, "pg_dump")


def _pg_restore(db: dict[str, Any], path: Path) -> None:
    args, env = _pg_connection(db)
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _run([_pg_tool("pg_restore"), *options, *args, str(path)], env, f"pg_restore of {path}")


def _pg_dump_tables(path: Path) -> set[str]:
    """Names of the tables whose data the dump holds, from its table of contents."""
    listing = _run([_pg_tool("pg_restore"), "--list", str(path)], dict(os.environ), str(path))
    # A TOC line: "215; 0 16390 TABLE DATA public django_migrations postgres".
    return {
        line.split()[6]
        for line in listing.splitlines()
        if " TABLE DATA " in line and len(line.split()) > 6
    }
