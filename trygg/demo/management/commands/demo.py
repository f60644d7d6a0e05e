"""`trygg demo`: load demo Östersund with logins and two years of synthetic reports."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from trygg.demo.build import DEFAULT_REPORTS, SEED, DemoRefused, build_demo
from trygg.demo.people import ORGANISATIONS, PASSWORD, USERS
from trygg.demo.places import DemoDataMissing


class Command(BaseCommand):
    help = "Load the Östersund demo (idempotent): areas, partners, logins and synthetic reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reports",
            type=int,
            default=DEFAULT_REPORTS,
            help="approximate number of incident reports (weekly check-ins come on top)",
        )
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args: Any, reports: int, seed: int, **options: Any) -> None:
        try:
            result = build_demo(reports=reports, seed=seed, now=timezone.now())
        except (DemoDataMissing, DemoRefused) as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"Demo {result.municipality}: {result.areas} areas, "
            f"{result.reports_created} reports created, {result.reports_existing} already there, "
            f"{result.measures_created} measures created, "
            f"{result.police_events} police notices (context)."
        )
        self.print_logins()

    def print_logins(self) -> None:
        rows = [("username", "role", "organisation", "password")]
        rows += [
            (u, str(role.label), ORGANISATIONS[org][0], PASSWORD)
            for u, (org, role) in USERS.items()
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"\nOpen http://127.0.0.1:{port}/ and log in as one of them.")
