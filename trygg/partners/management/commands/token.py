"""API tokens from the shell: `trygg token create USERNAME`, `list USERNAME`, `revoke ID`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.partners.actions import create_api_token, revoke_api_token
from trygg.partners.models import TOKEN_MAX_DAYS, TOKEN_MIN_DAYS, ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token for USERNAME (shown once)")
        create.add_argument("username")
        create.add_argument("--name", default="API", help="what the token is for")
        create.add_argument(
            "--days",
            type=int,
            default=TOKEN_MAX_DAYS,
            help=f"valid for ({TOKEN_MIN_DAYS} to {TOKEN_MAX_DAYS} days)",
        )
        listing = sub.add_parser("list", help="tokens of USERNAME")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke token ID")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"no token with id {options['token_id']}")
            revoke_api_token(token)
            self.stdout.write(f"revoked token {token.pk} ({token.hint}…)")
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        if action == "create":
            days = options["days"]
            if not TOKEN_MIN_DAYS <= days <= TOKEN_MAX_DAYS:
                raise CommandError(
                    f"--days must be {TOKEN_MIN_DAYS} to {TOKEN_MAX_DAYS}, not {days}: "
                    "every token expires within a year"
                )
            _, raw = create_api_token(user=user, name=options["name"], valid_days=days)
            self.stdout.write(raw)
            return
        for token in ApiToken.objects.filter(user=user):
            state = "active" if token.is_active else "inactive"
            self.stdout.write(
                f"{token.pk}\t{token.hint}…\t{token.name}\t{state}\t{token.last_used_at}"
            )
