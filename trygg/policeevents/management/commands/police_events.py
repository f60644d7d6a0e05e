"""`trygg police_events import FILE` and `trygg police_events poll` (its systemd timer polls)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from trygg.core.errors import InputRejected
from trygg.policeevents.actions import ImportResult, import_events, poll_feed
from trygg.policeevents.feed import parse_file


class Command(BaseCommand):
    help = (
        "The police's public events feed as context: import a file (the feed's JSON or the "
        "archive's CSV, optionally gzipped) or poll the feed (at most once per 5 minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        importing = commands.add_parser("import", help="import a feed JSON or archive CSV file")
        importing.add_argument("file", type=Path)
        polling = commands.add_parser("poll", help="poll POLICE_FEED_URL once, if it is due")
        polling.add_argument("--url", default=None, help="default: the POLICE_FEED_URL setting")

    def handle(self, *args: Any, command: str, **options: Any) -> None:
        if command == "import":
            self.import_file(options["file"])
        else:
            self.poll(options["url"] or settings.POLICE_FEED_URL)

    def import_file(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = import_events(events=parse_file(path), now=timezone.now())
        except InputRejected as e:
            raise CommandError(f"{path}: {e}") from e
        self.report(result)

    def poll(self, url: str) -> None:
        outcome = poll_feed(url=url, user_agent=settings.POLICE_FEED_USER_AGENT, now=timezone.now())
        self.stdout.write(f"{outcome.outcome}: {outcome.message}")
        if outcome.imported is not None:
            self.report(outcome.imported)
        if outcome.outcome == "failed":
            raise CommandError(f"The police feed could not be read: {outcome.message}")

    def report(self, result: ImportResult) -> None:
        self.stdout.write(
            f"{result.created} new, {result.updated} changed, {result.unchanged} unchanged, "
            f"{result.unresolved} with a location that is no municipality or county."
        )
        if result.new_types:
            self.stdout.write(
                "Types to map in the admin (Police event types): " + ", ".join(result.new_types)
            )
