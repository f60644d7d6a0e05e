"""`trygg backup PATH`: the whole database to one file, safe while the server runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.operations import backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to PATH: SQLite's online backup, "
        "or pg_dump's custom format on PostgreSQL. Restore it with `trygg restore PATH`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            what = f"{backup.describe_database()} ({backup.contents()})"
            size = backup.backup(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backed up {what} to {path} ({size:,} bytes)")
