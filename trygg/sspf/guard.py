"""The database's own refusal to delete SSPF audit rows, and the one door through it.

Migration 0005 puts a BEFORE DELETE trigger on the audit table (and, on
PostgreSQL, a BEFORE TRUNCATE one). It lets a delete through only while the
deleting connection says it is the retention purge:

- PostgreSQL: the transaction-local setting `trygg.sspf_purge = 'on'`
  (`SET LOCAL`, gone when the transaction ends), set by `purging_audit`.
- SQLite: the trigger calls `trygg_sspf_purging()`, a function only Trygg's own
  connections define (registered on `connection_created`); it answers 1 only
  inside `purging_audit`. Any other client (the sqlite3 shell, another
  program) has no such function, so its DELETE fails too.

Someone who can drop the trigger can still delete: this stops a plain
`DELETE FROM`, an accident or a hurried cover-up, not the database's owner.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections

SETTING = "trygg.sspf_purge"
SQLITE_FUNCTION = "trygg_sspf_purging"


@contextmanager
def purging_audit(using: str = "default", *, local: bool = True) -> Iterator[None]:
    """Let this connection delete audit rows inside the block (the retention purge only).

    `local` False is for a whole-database flush, which PostgreSQL runs outside
    the caller's transaction: the setting then holds for the session until reset.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', %s)", [SETTING, local])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', %s)", [SETTING, local])
        return
    connection.sspf_purging = True
    try:
        yield
    finally:
        connection.sspf_purging = False


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created`: give Trygg's SQLite connections the purge's door."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_FUNCTION, 0, lambda: int(getattr(connection, "sspf_purging", False))
    )
