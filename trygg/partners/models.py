from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Municipality(models.Model):
    """A kommun: the scope of one partnership."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every other week")
        MONTHLY = "monthly", _("Every month")

    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    boundary = models.JSONField(
        _("boundary"), null=True, blank=True, help_text=_("GeoJSON Polygon or MultiPolygon, WGS84")
    )
    meeting_cadence = models.CharField(
        _("meeting cadence"), max_length=10, choices=Cadence.choices, default=Cadence.BIWEEKLY
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Caches of the outline's derived shapes (area index, analysis grid) key on this,
    # so a request need not load and compare the whole boundary to know it is unchanged.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    retention_months = models.PositiveSmallIntegerField(
        _("keep free text and photos (months)"),
        default=24,
        help_text=_(
            "Free text, address and photo are removed from reports older than this; "
            "the counts are kept."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A partial save still marks the change, or the caches keyed on it would not see it.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")
        PROPERTY_OWNER = "property_owner", _("Property owner")
        VOLUNTEER = "volunteer", _("Volunteers")
        BUSINESS = "business", _("Business")
        SCHOOL = "school", _("School")
        SOCIAL_SERVICES = "social_services", _("Social services")
        LEISURE = "leisure", _("Leisure")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name"
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Ordered from least to most: a higher role may do all a lower one may."""

    REPORTER = "reporter", _("Reporter")
    PARTNER = "partner", _("Partner")
    STEERING = "steering", _("Steering group")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def of(self, user: User) -> MembershipQuerySet:
        # Outlines are not needed to decide roles, and decoding them cost more than the query.
        return (
            self.filter(user=user)
            .select_related("organisation__municipality")
            .defer("organisation__municipality__boundary")
        )


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


def _hash_token(raw: str) -> str:
    # Tokens are 256-bit random, so a fast unsalted hash is enough to make a
    # leaked table useless; a slow KDF would only slow every API call down.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def matching(self, raw: str) -> ApiTokenQuerySet:
        return self.active().filter(key_hash=_hash_token(raw))


# A token lives at least a month (shorter is a chore that breeds copies) and at
# most a year (longer outlives the job it was made for); docs/security.md promises both.
TOKEN_MIN_DAYS = 30
TOKEN_MAX_DAYS = 365


def check_token_lifetime(valid_days: int | None) -> int:
    """`valid_days` if within TOKEN_MIN_DAYS..TOKEN_MAX_DAYS, else ValidationError."""
    if valid_days is None or not TOKEN_MIN_DAYS <= valid_days <= TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token is valid for %(min)d to %(max)d days."),
            code="token_lifetime",
            params={"min": TOKEN_MIN_DAYS, "max": TOKEN_MAX_DAYS},
        )
    return valid_days


class ApiToken(models.Model):
    """A personal API token; only its hash is stored, the token is shown once."""

    PREFIX = "trygg_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("starts with"), max_length=16)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every way a token is made (action, command, admin, shell) ends here.
        if self._state.adding:
            lifetime = None
            if self.expires_at is not None:
                lifetime = round((self.expires_at - timezone.now()).total_seconds() / 86400)
            check_token_lifetime(lifetime)
        super().save(*args, **kwargs)

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def set_secret(self, raw: str) -> None:
        self.key_hash = _hash_token(raw)
        self.hint = raw[: len(self.PREFIX) + 4]

    @property
    def is_active(self) -> bool:
        expired = self.expires_at is not None and self.expires_at <= timezone.now()
        return self.revoked_at is None and not expired


class OrganisationKeyQuerySet(models.QuerySet["OrganisationKey"]):
    def active(self) -> OrganisationKeyQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def matching(self, raw: str) -> OrganisationKeyQuerySet:
        return self.active().filter(key_hash=_hash_token(raw))


class OrganisationKey(models.Model):
    """An organisation's key for its systems (Open311's `api_key`), not a person's.

    Made and revoked by a coordinator of the municipality or an administrator
    of the organisation; only its hash is stored, the key is shown once, and it
    lives 30 to 365 days, as a personal token does.
    """

    PREFIX = "trygg_org_"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="keys", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("starts with"), max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = OrganisationKeyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "-created_at"]
        verbose_name = _("organisation key")
        verbose_name_plural = _("organisation keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            check_token_lifetime(round((self.expires_at - timezone.now()).total_seconds() / 86400))
        super().save(*args, **kwargs)

    def set_secret(self, raw: str) -> None:
        self.key_hash = _hash_token(raw)
        self.hint = raw[: len(self.PREFIX) + 4]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Append-only: rows are written once and never changed or removed from the app."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Who read, exported or changed what, when and from where. Never free text.

    The actor and municipality are plain numbers with the actor's name copied
    in, not foreign keys: deleting a user or an organisation must neither
    cascade into the log nor rewrite it. A database trigger refuses updates
    (migration 0003), so not even a raw UPDATE can edit history.
    """

    class Action(models.TextChoices):
        READ_DETAILS = "read_details", _("Read reports with free text")
        EXPORT = "export", _("Export")
        PERMISSION = "permission", _("Permission change")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    municipality_id = models.BigIntegerField(_("municipality id"), null=True, db_index=True)
    target = models.CharField(_("target"), max_length=200)
    detail = models.JSONField(_("detail"), default=dict)
    address = models.GenericIPAddressField(_("from address"), null=True)
    path = models.CharField(_("path"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["municipality_id", "-at"], name="audit_municipality_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")
