"""Background tasks, run by `trygg worker` (django-tasks with its database backend)."""

from __future__ import annotations

from django_tasks import task

from trygg.operations import actions


@task()
def deliver_email_task(email_id: int) -> str | None:
    """Try to deliver one queued email; the status it ended in."""
    email = actions.deliver_email(email_id=email_id)
    return None if email is None else email.status
