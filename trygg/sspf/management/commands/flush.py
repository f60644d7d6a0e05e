"""`flush` that also empties the SSPF audit log: Django's own, through the purge's door.

Emptying the whole database (an operator's reset, or a test's teardown) is
the one other way audit rows may go; the triggers of migration 0005 refuse
every other delete. An app's command of the same name replaces Django's.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from trygg.sspf.guard import purging_audit


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with purging_audit(options["database"], local=False):
            super().handle(**options)
