"""`trygg send_due_email`: the periodic sweep that retries every queued email that is due.

The worker already retries with back-off; this sweep (a systemd timer) is the
safety net for an email whose task was lost, e.g. in a restore.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trygg.operations.actions import send_due_email


class Command(BaseCommand):
    help = "Try every queued email whose next attempt is due, once."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due_email()
        self.stdout.write(", ".join(f"{status}: {n}" for status, n in counts.items()))
