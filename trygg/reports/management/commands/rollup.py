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
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare with the reports and fail if they disagree (writes nothing)",
        )
        parser.add_argument("--municipality", help="only this municipality code")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"] == options["check"]:
            raise CommandError("pass either --rebuild or --check")
        municipality_id = None
        if options["municipality"]:
            found = Municipality.objects.filter(code=options["municipality"]).first()
            if found is None:
                raise CommandError(f"no municipality with code {options['municipality']}")
            municipality_id = found.pk
        if options["check"]:
            self._check(municipality_id)
            return
        rows = rollup.rebuild(municipality_id)
        self.stdout.write(f"rollup rebuilt: {rows} rows")

    def _check(self, municipality_id: int | None) -> None:
        wrong = rollup.disagreements(municipality_id)
        if wrong:
            for (muni, day, area, category, sharing), (stored, fresh) in sorted(wrong.items())[:20]:
                self.stderr.write(
                    f"municipality {muni} {day} area {area} category {category} {sharing}: "
                    f"rollup {stored}, reports {fresh}"
                )
            raise CommandError(
                f"the rollup disagrees with the reports in {len(wrong)} cells: "
                "run `trygg rollup --rebuild`"
            )
        self.stdout.write("rollup agrees with the reports")
