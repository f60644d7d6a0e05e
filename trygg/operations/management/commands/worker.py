"""`trygg worker`: runs background tasks (email delivery, and later reminders and digests)."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


class Command(BaseCommand):
    help = (
        "Run queued background tasks until stopped (systemd keeps one running); "
        "--batch runs what is due now and exits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue"
        )

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        worker_options: dict[str, Any] = {
            "interval": interval,
            "reload": False,
            "startup_delay": False,
            "verbosity": options["verbosity"],
        }
        if batch:
            worker_options["batch"] = True
        # The worker takes over SIGINT and SIGTERM; give them back when it returns,
        # so a caller in the same process (a test, a shell) keeps its own handling.
        saved = {sig: signal.getsignal(sig) for sig in HANDLED}
        try:
            call_command("db_worker", **worker_options)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
