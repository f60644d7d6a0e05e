"""One row per outgoing email: what was sent to whom, and whether it arrived at the mail server."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# Delivery attempts before an email is given up; the waits between them grow.
MAX_ATTEMPTS = 6
RETRY_SECONDS = (60, 300, 1800, 7200, 21600)


class OutgoingEmailQuerySet(models.QuerySet["OutgoingEmail"]):
    def due(self, now: datetime) -> OutgoingEmailQuerySet:
        """Emails waiting for an attempt whose time has come."""
        return self.filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)  # e.g. "measures.assigned"
    to = models.JSONField(_("recipients"))  # list of addresses
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {', '.join(self.to)} ({self.status})"

    def retry_delay_seconds(self) -> int | None:
        """Seconds to wait before the next attempt, or None when attempts are used up."""
        if self.attempts >= MAX_ATTEMPTS:
            return None
        return RETRY_SECONDS[min(self.attempts, len(RETRY_SECONDS)) - 1]
