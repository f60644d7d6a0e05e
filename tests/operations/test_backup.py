"""`trygg backup` and `trygg restore` on the suite's database, SQLite or PostgreSQL.

The tests run outside a transaction (transaction=True): SQLite's backup API
and pg_restore both need the database free of an open transaction, and the
database is flushed after each test anyway.
"""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from tests.world import INSIDE_LUGNVIK, build_world, report_data
from trygg.geo.models import Area
from trygg.partners.models import Municipality, Organisation
from trygg.reports.actions import submit_reports
from trygg.reports.models import DailyCount, Report

# serialized_rollback: the flush after a transactional test empties the migrated
# categories; this brings them back for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHECKED = [Report, Area, Organisation, Municipality, DailyCount]


def checksum() -> str:
    """sha256 over every row, in key order, of the tables a restore must bring back."""
    digest = hashlib.sha256()
    for model in CHECKED:
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.order_by("pk").values_list(*names):
            digest.update(repr((model.__name__, row)).encode())
    return digest.hexdigest()


def add_reports(world, n: int, *, prefix: str) -> None:
    now = timezone.now()
    lat, lon = INSIDE_LUGNVIK
    items = [
        report_data(client_id=f"{prefix}-{i}", occurred_at=now - timedelta(days=i % 40))
        if i % 2
        else report_data(category="broken_glass", lat=lat, lon=lon, client_id=f"{prefix}-{i}")
        for i in range(n)
    ]
    submit_reports(organisation=world.orgs["bostad"], by=world.karl, items=items)


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def world():
    world = build_world()
    add_reports(world, 30, prefix="before")
    return world


def test_it_restores_exactly_what_was_backed_up(world, tmp_path):
    original = checksum()
    run("backup", str(tmp_path / "trygg.backup"))
    Report.objects.filter(client_id__in=["before-1", "before-2", "before-3"]).delete()
    add_reports(world, 5, prefix="after")
    Organisation.objects.filter(pk=world.orgs["natt"].pk).update(name="Renamed")
    assert checksum() != original

    output = run("restore", str(tmp_path / "trygg.backup"), "--yes")

    assert checksum() == original
    assert "30 reports" in output
    assert Report.objects.filter(client_id="after-0").count() == 0


def test_it_refuses_to_restore_without_yes_and_says_what_it_would_replace(world, tmp_path):
    run("backup", str(tmp_path / "trygg.backup"))
    add_reports(world, 5, prefix="after")
    changed = checksum()
    out = io.StringIO()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "trygg.backup"), stdout=out)

    assert "This would replace" in out.getvalue()
    assert "35 reports" in out.getvalue()
    assert checksum() == changed


def test_it_names_a_file_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere.backup"
    with pytest.raises(CommandError, match=re.escape(f"{missing}: no such file")):
        run("restore", str(missing), "--yes")


def test_it_refuses_a_file_that_is_not_a_backup(world, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mötesanteckningar, inte en backup\n")
    before = checksum()

    with pytest.raises(CommandError, match=re.escape(f"{notes} is not a backup")):
        run("restore", str(notes), "--yes")
    assert checksum() == before


def test_it_refuses_an_sqlite_file_of_some_other_program(world, tmp_path):
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()

    with pytest.raises(CommandError, match=re.escape(f"{other} is a SQLite")):
        run("restore", str(other), "--yes")


def test_it_refuses_a_backup_of_the_other_database_kind(world, tmp_path):
    other = tmp_path / "other-kind.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(200))  # the head of a pg_dump custom archive
        expected = "is a PostgreSQL backup; this database is SQLite"
    else:
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY)")
        conn.close()
        expected = "is a SQLite backup; this database is PostgreSQL"
    before = checksum()

    with pytest.raises(CommandError, match=expected):
        run("restore", str(other), "--yes")
    assert checksum() == before


def test_it_leaves_no_partial_file_behind(world, tmp_path):
    output = run("backup", str(tmp_path / "trygg.backup"))

    assert sorted(p.name for p in tmp_path.iterdir()) == ["trygg.backup"]
    assert "30 reports" in output
