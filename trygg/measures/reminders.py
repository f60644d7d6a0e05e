"""Reminders of measures: deadline within 7 days, overdue, follow-up due.

`send_reminders` (run daily by `trygg measure_reminders`) emails each
responsible organisation's members who have an address, one email per
organisation listing its measures and why. Each (measure, reason, date) is
recorded in MeasureReminder in the same transaction as the queued email, so a
rerun sends nothing twice, and a rolled-back run leaves neither. The email
carries titles, dates, statuses and links only: never internal notes, comments
or descriptions, which not every member may be meant to read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.core.links import absolute_url
from trygg.measures.models import Measure, MeasureReminder
from trygg.operations.actions import send_email
from trygg.partners.models import Organisation

SOON_DAYS = 7
R = MeasureReminder.Reason


@dataclass(frozen=True)
class Due:
    measure: Measure
    reason: str
    on: date


def due_reminders(today: date) -> list[Due]:
    """Every reminder due today that was not sent before."""
    measures = Measure.objects.select_related("responsible").only(
        "title", "status", "deadline", "follow_up_on", "responsible__name",
        "responsible__municipality_id",
    )  # fmt: skip
    found = [Due(m, R.DEADLINE_SOON, m.deadline) for m in measures.due_within(today, SOON_DAYS)]
    found += [Due(m, R.OVERDUE, m.deadline) for m in measures.overdue(today)]
    found += [Due(m, R.FOLLOW_UP, m.follow_up_on) for m in measures.follow_up_due(today)]
    sent = set(
        MeasureReminder.objects.filter(measure__in=[d.measure.pk for d in found]).values_list(
            "measure_id", "reason", "on"
        )
    )
    return [d for d in found if (d.measure.pk, d.reason, d.on) not in sent]


def recipients(organisation: Organisation) -> list[str]:
    """The addresses of the organisation's active members, in a stable order."""
    users = (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _line(due: Due) -> str:
    words = {
        R.DEADLINE_SOON: _("deadline %(day)s, within a week"),
        R.OVERDUE: _("overdue since %(day)s"),
        R.FOLLOW_UP: _("follow-up due %(day)s"),
    }
    link = absolute_url("measures:detail", due.measure.pk)
    return f"- {due.measure.title}: {words[due.reason] % {'day': due.on.isoformat()}}\n  {link}"


def _body(organisation: Organisation, items: list[Due]) -> str:
    intro = _("Measures that %(organisation)s is responsible for need attention:") % {
        "organisation": organisation.name
    }
    outro = _("Open them in Trygg under Measures to update the status or the traffic light.")
    return "\n".join([intro, "", *(_line(d) for d in items), "", outro, ""])


@transaction.atomic
def send_reminders(*, today: date) -> dict[str, int]:
    """Queue one email per organisation with reminders due; record each. Counts of what was sent."""
    by_organisation: dict[Organisation, list[Due]] = defaultdict(list)
    for due in due_reminders(today):
        by_organisation[due.measure.responsible].append(due)
    counts = {"emails": 0, "reminders": 0}
    with translation.override("sv"):
        for organisation, items in sorted(by_organisation.items(), key=lambda kv: kv[0].pk):
            to = recipients(organisation)
            if not to:
                continue  # kept due: a member who adds an address later still hears of it
            subject = _("Trygg: %(n)d measures need attention") % {"n": len(items)}
            email = send_email(kind="measures.reminder", to=to, subject=subject,
                               body=_body(organisation, items))  # fmt: skip
            MeasureReminder.objects.bulk_create(
                MeasureReminder(measure=d.measure, reason=d.reason, on=d.on, email=email)
                for d in items
            )
            counts["emails"] += 1
            counts["reminders"] += len(items)
    return counts
