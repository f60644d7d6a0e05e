"""Writes to partners data: API tokens, organisation keys and second-factor devices."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.partners.models import (
    TOKEN_MAX_DAYS,
    ApiToken,
    Organisation,
    OrganisationKey,
    check_token_lifetime,
)


@transaction.atomic
def create_api_token(
    *, user: Any, name: str, valid_days: int = TOKEN_MAX_DAYS
) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is never stored and cannot be shown again.

    ValidationError unless `valid_days` is within TOKEN_MIN_DAYS..TOKEN_MAX_DAYS.
    """
    check_token_lifetime(valid_days)
    raw = ApiToken.new_secret()
    token = ApiToken(user=user, name=name.strip()[:100] or "API")
    token.set_secret(raw)
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


@transaction.atomic
def create_organisation_key(
    *, organisation: Organisation, by: Any, name: str, valid_days: int = TOKEN_MAX_DAYS
) -> tuple[OrganisationKey, str]:
    """A new key of `organisation` and its secret, which is never stored and cannot be shown again.

    The caller has checked through `access.key_organisations_for` that `by` may.
    """
    check_token_lifetime(valid_days)
    raw = OrganisationKey.PREFIX + secrets.token_urlsafe(32)
    key = OrganisationKey(
        organisation=organisation, name=name.strip()[:100] or "API", created_by=by
    )
    key.set_secret(raw)
    key.expires_at = timezone.now() + timedelta(days=valid_days)
    key.save()
    return key, raw


@transaction.atomic
def revoke_organisation_key(*, key: OrganisationKey) -> OrganisationKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def authenticate_organisation_key(raw: str) -> OrganisationKey | None:
    """The active key matching `raw`, its last-used time refreshed at most once a minute."""
    key = OrganisationKey.objects.matching(raw).select_related("organisation").first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        OrganisationKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


RECOVERY_CODE_COUNT = 10


@transaction.atomic
def start_totp_enrolment(*, user: Any) -> TOTPDevice:
    """An unconfirmed TOTP device for `user`: it counts only once a code from it is accepted.

    An earlier unconfirmed device is replaced, so a half-finished enrolment
    leaves no second secret behind.
    """
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Trygg", confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirm `device` with a code from the app; returns new recovery codes, or [] if refused.

    On success the device becomes the user's only TOTP device, the session is
    marked verified and fresh recovery codes replace any old ones.
    """
    if not device.verify_token(code.strip()):
        return []
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return replace_recovery_codes(user=device.user)


@transaction.atomic
def replace_recovery_codes(*, user: Any) -> list[str]:
    """Ten new single-use recovery codes for `user`; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def verify_second_factor(*, request: HttpRequest, code: str) -> bool:
    """Accept a TOTP code or an unused recovery code for the session's user.

    Each device throttles its own failures (django-otp doubles the wait after
    every miss), so guessing six digits is as slow as guessing a password.
    """
    cleaned = "".join(code.split()).lower()
    for device in devices_for_user(request.user, confirmed=True):
        if verify_token(request.user, device.persistent_id, cleaned):
            otp_login(request, device)
            return True
    return False
