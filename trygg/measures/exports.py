"""Files of measures: the board as CSV and XLSX, the åtgärdsplan of a period as PDF and XLSX.

The tables reuse the lägesbild's writers (trygg.situation.exports: Swedish
Excel CSV, formula-safe XLSX). No file ever carries internal notes, whoever
downloads it: files travel further than pages.

The åtgärdsplan has Brå's columns (cause or problem, measure, operational
goal, when, who, follow-up and colour): the action plan Lag 2023:196 asks
every municipality to decide. It holds the decided, ongoing and done
measures whose time overlaps the period (proposed and cancelled ones are not
part of a plan).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from trygg.measures import access
from trygg.measures.models import Measure
from trygg.measures.pages import light_text
from trygg.partners.models import Municipality
from trygg.situation.exports import Table
from trygg.situation.pdf import LocalOnlyFetcher, css_string
from trygg.situation.periods import Period

IN_A_PLAN = (Measure.Status.DECIDED, Measure.Status.ONGOING, Measure.Status.DONE)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def board_table(measures: list[Measure], today: date) -> Table:
    """One row per measure of the board, in the board's order."""
    headers = [
        _("Id"), _("What is done"), _("Status"), _("Type"), _("Responsible organisation"),
        _("Responsible person"), _("Area"), _("Categories"), _("Operational goal"), _("Start"),
        _("Deadline"), _("Follow-up date"), _("Traffic light"), _("Comment"), _("Overdue"),
        _("Cost (SEK)"), _("Outcome"), _("Reason for cancelling"), _("Partners"),
    ]  # fmt: skip
    rows = [
        [m.pk, m.title, str(m.get_status_display()), str(m.get_kind_display()), m.responsible.name,
         m.responsible_person, m.area.name if m.area_id else "",
         ", ".join(c.name for c in m.categories.all()), m.goal, _day(m.starts_on),
         _day(m.deadline), _day(m.follow_up_on), light_text(m.light), m.light_comment,
         _("yes") if m.is_overdue(today) else _("no"), m.cost_sek, m.outcome, m.cancel_reason,
         ", ".join(sorted(o.name for o in m.partners.all()))]
        for m in measures
    ]  # fmt: skip
    return Table(_("Measures"), headers, rows)


def plan_measures(user: Any, municipality: Municipality, period: Period) -> QuerySet[Measure]:
    """The measures of the åtgärdsplan of `period` that `user` may see."""
    begins = Q(starts_on__lte=period.last_day) | Q(
        starts_on__isnull=True, created_at__date__lte=period.last_day
    )
    lasts = (
        Q(deadline__gte=period.start)
        | Q(deadline__isnull=True, status__in=Measure.OPEN)
        | Q(deadline__isnull=True, follow_up_on__gte=period.start)
    )
    return (
        access.visible_measures(user)
        .filter(municipality=municipality, status__in=IN_A_PLAN)
        .filter(begins & lasts)
        .select_related("responsible", "area")
        .defer("area__geometry")
        .prefetch_related("categories", "partners")
        .order_by("deadline", "pk")
    )


def plan_row(measure: Measure) -> dict[str, str]:
    """Brå's columns of one measure, as text."""
    problem = [measure.area.name if measure.area_id else ""]
    problem.append(", ".join(c.name for c in measure.categories.all()))
    who = [measure.responsible.name, measure.responsible_person]
    who.append(", ".join(p.name for p in measure.partners.all()))
    follow = [str(measure.get_status_display()), light_text(measure.light)]
    if measure.follow_up_on:
        follow.append(_("follow-up %(day)s") % {"day": measure.follow_up_on.isoformat()})
    return {
        "cause": " – ".join(p for p in [measure.cause, " · ".join(x for x in problem if x)] if p),
        "measure": measure.title,
        "goal": measure.goal,
        "when": " – ".join(p for p in (_day(measure.starts_on), _day(measure.deadline)) if p),
        "who": " · ".join(p for p in who if p),
        "follow_up": " · ".join(follow),
        "light": measure.light,
    }


PLAN_KEYS = ("cause", "measure", "goal", "when", "who", "follow_up")


def plan_headers() -> list[str]:
    return [
        _("Cause or problem"), _("Measure"), _("Operational goal"), _("When"), _("Who"),
        _("Follow-up and colour"),
    ]  # fmt: skip


def plan_table(rows: list[dict[str, str]]) -> Table:
    return Table(_("Action plan"), plan_headers(), [[r[k] for k in PLAN_KEYS] for r in rows])


def plan_pdf(municipality: Municipality, period: Period, rows: list[dict[str, str]]) -> bytes:
    """The åtgärdsplan as a PDF document (A4 landscape)."""
    context = {
        "municipality": municipality,
        "period": period,
        "headers": plan_headers(),
        "rows": rows,
        "generated": timezone.localtime(),
        "footer": css_string(f"Trygg · {municipality.name} · {period.key}"),
        "page_word": css_string(_("Page")),
    }
    html = render_to_string("measures/plan_pdf.html", context)
    document = HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher())
    return bytes(document.write_pdf())
