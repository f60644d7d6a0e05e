"""`trygg rollup --rebuild [--municipality CODE]`: recompute the daily counts from the reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.partners.models import Municipality
from trygg.reports import rollup


class Command(BaseCommand):
    help = "Recompute the daily rollup of report counts that the situational picture reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute from the reports")
        parser.add_argument("--municipality", help="only this municipality code")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["rebuild"]:
            raise CommandError("nothing to do: pass --rebuild")
        municipality_id = None
        if options["municipality"]:
            found = Municipality.objects.filter(code=options["municipality"]).first()
            if found is None:
                raise CommandError(f"no municipality with code {options['municipality']}")
            municipality_id = found.pk
        rows = rollup.rebuild(municipality_id)
        self.stdout.write(f"rollup rebuilt: {rows} rows")
