"""`trygg restore PATH --yes`: replace the whole database with a backup from `trygg backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.operations import backup


class Command(BaseCommand):
    help = (
        "Replace everything in the database with the backup at PATH. Without --yes "
        "it only says what it would replace. Stop the server first on PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a file written by `trygg backup`")
        parser.add_argument("--yes", action="store_true", help="replace the database")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            backup.check_restorable(path)
            target = f"{backup.describe_database()} ({backup.contents()})"
            if not options["yes"]:
                self.stdout.write(f"This would replace {target}\nwith the backup {path}.")
                raise CommandError("nothing restored: run again with --yes to replace it")
            backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored {path} into {backup.describe_database()}: {backup.contents()}")
