"""`trygg sspf_purge [--commit]`: close SSPF cases whose consent expired, delete what is due.

Deleted: cases whose consent was withdrawn or expired, and closed cases past
their municipality's months (SspfSettings); then the access log of cases
deleted longer ago than the legal period. Only the anonymous statistic rows
remain. Without --commit it only counts; the timer runs it with --commit daily.
On PostgreSQL it then VACUUMs the SSPF tables, so deleted rows leave the data files.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from trygg.sspf.actions import cases_due_for_purge, purge_due, vacuum_tables


class Command(BaseCommand):
    help = "Close SSPF cases whose consent expired and delete those due (statistics remain)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="delete; without it, count only")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["commit"]:
            due = cases_due_for_purge(timezone.localdate())
            self.stdout.write(f"{len(due)} SSPF cases would be deleted now (more once expired")
            self.stdout.write("consents are closed). Nothing was changed; run with --commit.")
            return
        result = purge_due()
        self.stdout.write(
            f"SSPF: {result['closed']} cases closed (consent expired), {result['purged']} "
            f"deleted, {result['audit']} access-log entries past the legal period removed."
        )
        # After the commit, outside any transaction: the deleted rows leave PostgreSQL's files.
        vacuumed = vacuum_tables()
        if vacuumed:
            self.stdout.write(f"SSPF: {vacuumed} tables vacuumed.")
