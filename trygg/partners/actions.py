"""Writes to partners data: API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from trygg.partners.models import ApiToken


@transaction.atomic
def create_api_token(*, user: Any, name: str, valid_days: int | None = 365) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is never stored and cannot be shown again."""
    raw = ApiToken.new_secret()
    token = ApiToken(user=user, name=name.strip()[:100] or "API")
    token.set_secret(raw)
    if valid_days:
        token.expires_at = timezone.now() + timedelta(days=valid_days)
    token.save()
    return token, raw


@transaction.atomic
def revoke_api_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    """The active token matching `raw`, its last-used time refreshed at most once a minute."""
    token = ApiToken.objects.matching(raw).select_related("user").first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
