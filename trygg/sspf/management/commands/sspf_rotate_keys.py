"""`trygg sspf_rotate_keys`: re-encrypt every encrypted SSPF value with the newest key.

The values: case names, consents' document references, the scope's organisation names.

Run after putting a new key first in SSPF_KEYS and restarting: old keys still
decrypt meanwhile, so nothing stops. Each value is re-encrypted in its own
short transaction; a second run is harmless. When it reports no value left
under an old key, the old key can be removed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trygg.sspf import crypto
from trygg.sspf.actions import rotate_secrets


class Command(BaseCommand):
    help = "Re-encrypt the SSPF names and other encrypted text with the newest key."

    def handle(self, *args: Any, **options: Any) -> None:
        if not crypto.has_key():
            raise CommandError("SSPF_KEYS is not set.")
        try:
            count = rotate_secrets()
        except crypto.UnreadableError as error:
            raise CommandError(
                f"{error}: keep every old key in SSPF_KEYS until this succeeds."
            ) from None
        self.stdout.write(f"{count} SSPF values re-encrypted with the newest key.")
