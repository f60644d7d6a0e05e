"""`trygg report_digest`: queue the weekly digest of measures to each opted-in organisation.

Run weekly (deploy/systemd/trygg-report-digest.timer); `trygg worker` delivers.
A second run within the week queues nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trygg.reports.actions import send_report_digests


class Command(BaseCommand):
    help = "Queue the weekly digest of measures to every organisation that opted in."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = send_report_digests()
        self.stdout.write(f"{queued} digests queued")
