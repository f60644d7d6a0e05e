"""Outgoing email: queued in the caller's transaction, sent by the worker, retried with back-off.

`send_email` writes the email and its delivery task in the caller's
transaction. The task lives in the same database (django-tasks-db), so the
worker cannot see it before the transaction commits, and a rolled-back write
leaves neither: an email goes out only for what really happened.
`deliver_email` claims the row before talking to the mail server, so the
worker and the periodic sweep (`trygg send_due_email`) never send one twice
at the same moment; a crash during the SMTP conversation means one more
attempt later (at least once, never silently dropped).
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from trygg.operations.models import OutgoingEmail


class EmailRefused(ValueError):
    """An email that could never be delivered: no recipient, or a header with a line break."""


def send_email(*, kind: str, to: Sequence[str], subject: str, body: str) -> OutgoingEmail:
    """Queue an email for the worker; it goes out only if the caller's transaction commits."""
    recipients = [address.strip() for address in to if address.strip()]
    if not recipients:
        raise EmailRefused("an email needs at least one recipient")
    if any("\n" in value or "\r" in value for value in [subject, *recipients]):
        raise EmailRefused("subject and recipients must be one line each")
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            kind=kind, to=recipients, subject=subject, body=body, next_attempt_at=timezone.now()
        )
        from trygg.operations.tasks import deliver_email_task

        deliver_email_task.enqueue(email.pk)
    return email


def deliver_email(*, email_id: int, now: datetime | None = None) -> OutgoingEmail | None:
    """One delivery attempt, if the email is queued and due; the row as it is afterwards."""
    now = now or timezone.now()
    email = _claim(email_id, now)
    if email is None:
        return None
    message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        return _record_failure(email, error, now)
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    return email


def send_due_email(*, now: datetime | None = None) -> dict[str, int]:
    """Every queued email whose attempt is due, once each: the periodic sweep's counts."""
    now = now or timezone.now()
    counts = {status.value: 0 for status in OutgoingEmail.Status}
    for email_id in OutgoingEmail.objects.due(now).values_list("pk", flat=True):
        email = deliver_email(email_id=email_id, now=now)
        if email is not None:
            counts[email.status] += 1
    return counts


def _claim(email_id: int, now: datetime) -> OutgoingEmail | None:
    """Count the attempt and push the next one back before sending, so no one else takes it."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email not in OutgoingEmail.objects.due(now):
            return None
        email.attempts += 1
        delay = email.retry_delay_seconds()
        email.next_attempt_at = now + timedelta(seconds=delay if delay is not None else 3600)
        email.save(update_fields=["attempts", "next_attempt_at"])
    return email


def _record_failure(email: OutgoingEmail, error: Exception, now: datetime) -> OutgoingEmail:
    # The error names the server's refusal or the network fault, never the message text.
    email.last_error = f"{type(error).__name__}: {error}"[:500]
    delay = email.retry_delay_seconds()
    if delay is None:
        email.status = OutgoingEmail.Status.FAILED
        email.save(update_fields=["status", "last_error"])
        return email
    email.save(update_fields=["last_error"])
    from trygg.operations.tasks import deliver_email_task

    deliver_email_task.using(run_after=email.next_attempt_at).enqueue(email.pk)
    return email
