"""`trygg retention [--commit]`: remove free text and photos past each municipality's retention.

Without --commit it only reports what it would remove, as imports do; run it
with --commit from cron (daily is plenty).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.partners.models import Municipality
from trygg.reports.actions import remove_expired_details


class Command(BaseCommand):
    help = "Remove free text, addresses and photos from reports older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="remove; without it, count only")
        parser.add_argument("--municipality", help="only this municipality code")

    def handle(self, *args: Any, **options: Any) -> None:
        municipalities = Municipality.objects.order_by("code")
        if options["municipality"]:
            municipalities = municipalities.filter(code=options["municipality"])
            if not municipalities:
                raise CommandError(f"No municipality with code {options['municipality']}")
        verb = "removed from" if options["commit"] else "would be removed from"
        for municipality in municipalities:
            result = remove_expired_details(municipality=municipality, commit=options["commit"])
            self.stdout.write(
                f"{municipality.code} {municipality.name}: free text {verb} {result.reports} "
                f"reports ({result.photos} photos) reported before {result.cutoff:%Y-%m-%d} "
                f"({municipality.retention_months} months)"
            )
        if not options["commit"]:
            self.stdout.write("Nothing was changed. Run again with --commit to remove.")
