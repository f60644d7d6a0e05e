"""`trygg measure_reminders`: the daily job emailing measure owners (its systemd timer runs it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from trygg.measures.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email each responsible organisation's members about measures with a deadline within "
        "7 days, overdue, or with a follow-up due; each reminder once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD; default today")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_reminders(today=options["today"] or timezone.localdate())
        self.stdout.write(f"emails: {counts['emails']}, reminders: {counts['reminders']}")
