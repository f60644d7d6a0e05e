"""Read models of measures: the board, one measure with its history, the lägesbild's slot.

Everything goes through trygg.measures.access; internal notes appear only
where `shows_internal_notes` says so, and never in the slot or a reminder.
One JSON-ready shape (`measure_dict`) serves the API, the exports and the slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trygg.core.queries import narrowed
from trygg.geo.models import Area
from trygg.measures import access
from trygg.measures.models import Measure, MeasureEvent
from trygg.partners.models import Municipality, Organisation
from trygg.reports.models import Category

OVERDUE_LISTED = 10  # the slot lists this many overdue measures, the count says the rest
BOARD_LIMIT = 100  # rows on the board; the count, the filters and the export cover the rest


class BoardError(ValueError):
    """A filter of the board that cannot be read; `errors` maps the field to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class BoardFilter:
    status: str = ""  # a Status value, "open" or "" (all)
    owner: int | None = None
    area: int | None = None
    overdue: bool = False


def _int_or_error(raw: str, field: str, errors: dict[str, str]) -> int | None:
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors[field] = _("Choose one of the list.")
        return None
    if not 0 < value < 2**31:
        errors[field] = _("Choose one of the list.")
        return None
    return value


def parse_board_filter(query: Any) -> BoardFilter:
    """The board's filters from a query string (or the API's parameters); BoardError if bad."""
    errors: dict[str, str] = {}
    status = (query.get("status") or "").strip()
    if status and status != "open" and status not in Measure.Status.values:
        errors["status"] = _("Choose one of the list.")
    owner = _int_or_error((query.get("owner") or "").strip(), "owner", errors)
    area = _int_or_error((query.get("area") or "").strip(), "area", errors)
    overdue = str(query.get("overdue") or "").lower() in ("1", "true", "on", "yes", "ja")
    if errors:
        raise BoardError(errors)
    return BoardFilter(status=status, owner=owner, area=area, overdue=overdue)


def board_queryset(
    user: Any, municipality: Municipality | None, chosen: BoardFilter, today: date
) -> QuerySet[Measure]:
    """The measures `user` may see, filtered, overdue first, then by deadline."""
    queryset = access.visible_measures(user)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    if chosen.status == "open":
        queryset = queryset.open()
    elif chosen.status:
        queryset = queryset.filter(status=chosen.status)
    queryset = narrowed(queryset, responsible_id=chosen.owner, area_id=chosen.area)
    if chosen.overdue:
        queryset = queryset.overdue(today)
    late = Q(status__in=Measure.OPEN, deadline__lt=today)
    return (
        queryset.annotate(
            late=Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .select_related("responsible", "area")
        .defer("area__geometry")
        .order_by("late", "deadline", "pk")
    )


def board_rows(measures: list[Measure], today: date) -> list[dict[str, Any]]:
    """The board's lines, worded here once per label rather than per row in the template."""
    statuses = {value: str(label) for value, label in Measure.Status.choices}
    lights = {value: light_text(value) for value in ("", *Measure.Light.values)}
    return [
        {"id": m.pk, "url": reverse("measures:detail", args=[m.pk]), "title": m.title,
         "status": m.status, "status_label": statuses[m.status],
         "responsible": m.responsible.name, "area": m.area.name if m.area_id else "",
         "deadline": m.deadline, "light": m.light or "none", "light_label": lights[m.light],
         "overdue": m.is_overdue(today)}
        for m in measures
    ]  # fmt: skip


def status_counts(user: Any, municipality: Municipality, today: date) -> list[dict[str, Any]]:
    """Per status (and overdue), how many measures of the municipality `user` may see."""
    from django.db.models import Count

    visible = access.visible_measures(user).filter(municipality=municipality).order_by()
    counts = dict(visible.values_list("status").annotate(n=Count("pk")))
    rows = [{"status": "overdue", "label": _("Overdue"), "n": visible.overdue(today).count()}]
    rows += [{"status": value, "label": label, "n": counts.get(value, 0)}
             for value, label in Measure.Status.choices]  # fmt: skip
    return rows


def linked_reports(user: Any, measure: Measure) -> list[Any]:
    """The reports linked to `measure` that `user` may see (category and time only are shown)."""
    from trygg.reports.access import visible_reports

    return list(
        visible_reports(user).filter(measures=measure).select_related("category")
        .only("occurred_at", "category__name_sv", "category__name_en").order_by("-occurred_at")
    )  # fmt: skip


def effect_links(user: Any, measure: Measure) -> list[dict[str, str]]:
    """Links to the measure's effect pages that `user` may open (evaluate, the saved ones)."""

    links = []
    if access.may_evaluate(user, measure):
        links.append({"url": reverse("measures_effect:evaluate", args=[measure.pk]),
                      "text": _("Evaluate")})  # fmt: skip
    if access.may_read_evaluations(user, measure):
        links.append({"url": reverse("measures_effect:evaluations", args=[measure.pk]),
                      "text": _("Saved evaluations")})  # fmt: skip
    return links


def presence_url(user: Any, municipality: Municipality) -> str:
    """The link to Planera närvaro for those who may open it, "" for the rest."""
    if not access.may_plan_presence(user, municipality):
        return ""
    return reverse("measures_effect:presence", args=[municipality.code])


def minutes_url(user: Any, measure: Measure) -> str:
    """The minutes of the meeting that decided `measure`, if `user` may read them; else ""."""
    from trygg.meetings.access import visible_meetings

    if not measure.meeting_id or not visible_meetings(user).filter(pk=measure.meeting_id).exists():
        return ""
    return reverse("meetings:minutes", args=[measure.meeting_id])


def presence_coverage(measure: Measure, today: date) -> list[dict[str, Any]]:
    """A presence measure's planned slots with the Lugnt check-ins in each since its start."""
    from trygg.measures.presence import coverage

    return coverage(measure, today)


def reminders_of(measure: Measure) -> list[Any]:
    """The reminders sent about `measure`, newest first, with their email's delivery status."""
    return list(measure.reminders.select_related("email").order_by("-sent_at", "-pk"))


def light_text(light: str) -> str:
    """The traffic light in words: colour is never the only sign (WCAG 1.4.1)."""
    return str(Measure.Light(light).label) if light else _("No traffic light set")


def visible_report_ids(user: Any, measure: Measure) -> list[str]:
    """The ids of the reports linked to `measure` that `user` may see, sorted.

    The others are only counted (`reports_count`), as the history counts
    them: an id would name a report the reader was not shown.
    """
    from trygg.reports.access import visible_reports

    ids = visible_reports(user).filter(measures=measure).values_list("pk", flat=True)
    return sorted(str(pk) for pk in ids)


def measure_dict(measure: Measure, *, reader: Any, notes: bool, today: date) -> dict[str, Any]:
    """One measure as JSON-ready data for `reader`; `internal_notes` only when `notes`."""
    data = {
        "id": measure.pk,
        "municipality": measure.municipality.code,
        "title": measure.title,
        "description": measure.description,
        "cause": measure.cause,
        "kind": measure.kind,
        "goal": measure.goal,
        "area": {"id": measure.area_id, "name": measure.area.name} if measure.area_id else None,
        "categories": sorted(c.code for c in measure.categories.all()),
        "reports": visible_report_ids(reader, measure),
        "reports_count": measure.reports.count(),
        "cells": measure.cells,
        "treated_polygon": measure.treated_polygon,
        "responsible": {"id": measure.responsible_id, "name": measure.responsible.name},
        "responsible_person": measure.responsible_person,
        "partners": [{"id": o.pk, "name": o.name} for o in measure.partners.all()],
        "meeting": measure.meeting_id,
        "starts_on": _iso(measure.starts_on),
        "deadline": _iso(measure.deadline),
        "follow_up_on": _iso(measure.follow_up_on),
        "ordinary_work": measure.ordinary_work,
        "status": measure.status,
        "cancel_reason": measure.cancel_reason,
        "light": measure.light or None,
        "light_comment": measure.light_comment,
        "overdue": measure.is_overdue(today),
        "cost_sek": measure.cost_sek,
        "outcome": measure.outcome,
        "created_at": measure.created_at.isoformat(),
        "updated_at": measure.updated_at.isoformat(),
    }
    if notes:
        data["internal_notes"] = measure.internal_notes
    return data


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def summary_dict(measure: Measure, today: date) -> dict[str, Any]:
    """The board's and the slot's short line of a measure: nothing internal."""
    return {
        "id": measure.pk,
        "title": measure.title,
        "status": measure.status,
        "responsible": measure.responsible.name,
        "area": measure.area.name if measure.area_id else None,
        "deadline": _iso(measure.deadline),
        "light": measure.light or None,
        "overdue": measure.is_overdue(today),
    }


@dataclass(frozen=True)
class BoardChoices:
    owners: list[Organisation]
    areas: list[Area]
    statuses: list[tuple[str, str]]


def board_choices(municipality: Municipality) -> BoardChoices:
    owners = list(Organisation.objects.filter(municipality=municipality))
    areas = list(Area.objects.filter(municipality=municipality).defer("geometry"))
    statuses = [("open", _("Open")), *Measure.Status.choices]
    return BoardChoices(owners=owners, areas=areas, statuses=statuses)


PLAN_YEARS_BACK = 10  # the period chooser offers at most this many years before this one


def plan_periods(municipality: Municipality, today: date) -> list[dict[str, Any]]:
    """The åtgärdsplan's periods to choose from: each year, its halves and tertials.

    From the year of the municipality's first measure (at least last year) to
    next year; this year is chosen. Half-years are date ranges, the one kind
    of key trygg.situation.periods has for them.
    """
    from django.db.models import Min

    first = Measure.objects.filter(municipality=municipality).aggregate(
        first=Min("created_at")
    )["first"]  # fmt: skip
    oldest = min(first.year if first else today.year, today.year - 1)
    years = range(max(oldest, today.year - PLAN_YEARS_BACK), today.year + 2)
    return [period for year in years for period in _year_periods(year, today.year)]


def _year_periods(year: int, this_year: int) -> list[dict[str, Any]]:
    named = {"year": year}
    choices = [(str(year), _("%(year)s, whole year") % named),
               (f"{year}-01-01..{year}-06-30", _("%(year)s, first half") % named),
               (f"{year}-07-01..{year}-12-31", _("%(year)s, second half") % named)]  # fmt: skip
    choices += [(f"{year}-T{n}", _("%(year)s, tertial %(n)s") % {"year": year, "n": n})
                for n in (1, 2, 3)]  # fmt: skip
    return [{"key": key, "label": label, "chosen": key == str(this_year)}
            for key, label in choices]  # fmt: skip


def history_sentences(measure: Measure) -> list[dict[str, Any]]:
    """The history as Swedish sentences (in the active language), oldest first."""
    events = measure.history.select_related("actor").order_by("at", "pk")
    hidden = {"internal_notes"}  # the caller drops these for readers without the notes
    return [
        {"at": e.at, "who": e.actor.get_username() if e.actor else _("Trygg"),
         "field": e.field, "text": event_sentence(e), "comment": e.comment,
         "internal": e.field in hidden}
        for e in events
    ]  # fmt: skip


FIELD_NAMES = {name: Measure._meta.get_field(name).verbose_name for name in (
    "title", "description", "cause", "kind", "goal", "area", "cells", "responsible",
    "responsible_person", "starts_on", "deadline", "follow_up_on", "ordinary_work",
    "cost_sek", "outcome", "internal_notes",
)}  # fmt: skip


def event_sentence(event: MeasureEvent) -> str:
    """What one history entry says, as a sentence."""
    if event.field == "created":
        return _("Created as %(status)s.") % {"status": _status(event.new)}
    if event.field == "status":
        return _("Status changed from %(old)s to %(new)s.") % {
            "old": _status(event.old), "new": _status(event.new)
        }  # fmt: skip
    if event.field == "light":
        return _("Traffic light set to %(light)s.") % {"light": light_text(event.new)}
    if event.field == "treated_polygon":
        return _polygon_sentence(event)
    if event.field in LINKS:
        return LINKS[event.field](event)
    name = FIELD_NAMES.get(event.field, event.field)
    if event.field in BOOLEANS:
        return _("%(field)s changed from %(old)s to %(new)s.") % {
            "field": str(name).capitalize(), "old": _yes_no(event.old), "new": _yes_no(event.new)
        }  # fmt: skip
    if event.field in NAMED:
        old, new = (_name_of(NAMED[event.field], v) for v in (event.old, event.new))
        return _("%(field)s changed from “%(old)s” to “%(new)s”.") % {
            "field": str(name).capitalize(), "old": old, "new": new
        }  # fmt: skip
    if event.field in ("description", "cause", "outcome", "internal_notes", "cells"):
        return _("%(field)s changed.") % {"field": str(name).capitalize()}
    return _("%(field)s changed from “%(old)s” to “%(new)s”.") % {
        "field": str(name).capitalize(), "old": event.old or "–", "new": event.new or "–"
    }  # fmt: skip


NAMED: dict[str, Any] = {"area": Area, "responsible": Organisation}
BOOLEANS = ("ordinary_work",)


def _yes_no(stored: str) -> str:
    """A stored bool ("True"/"False") in words; never the raw Python value."""
    return _("yes") if stored == "True" else _("no")


def _evaluated(event: MeasureEvent) -> str:
    return _("The effect was evaluated and the evaluation saved.")


def _reports_sentence(event: MeasureEvent) -> str:
    """How many reports were linked and unlinked: never which, nor what they say."""
    added, removed = _count(event.new), _count(event.old)
    parts = []
    if added:
        parts.append(ngettext("%(count)d report linked.", "%(count)d reports linked.", added)
                     % {"count": added})  # fmt: skip
    if removed:
        parts.append(ngettext("%(count)d report unlinked.", "%(count)d reports unlinked.",
                              removed) % {"count": removed})  # fmt: skip
    return " ".join(parts)


def _count(value: str) -> int:
    """A count of reports; entries from before counting held the ids, space-separated."""
    return int(value) if value.isdigit() else len(value.split())


def event_values(event: MeasureEvent) -> tuple[str, str]:
    """An entry's `old` and `new` as the API gives them: for reports a count, never their ids."""
    if event.field != "reports":
        return event.old, event.new
    old, new = (str(_count(v)) if v else "" for v in (event.old, event.new))
    return old, new


def _link_sentence(event: MeasureEvent) -> str:
    """Which categories or partners were added and removed, by name."""
    added, removed = event.new, event.old
    if event.field == "categories":
        added, removed = _category_names(added), _category_names(removed)
        texts = (_("Categories added: %(names)s."), _("Categories removed: %(names)s."))
    else:
        texts = (_("Partners added: %(names)s."), _("Partners removed: %(names)s."))
    pairs = zip(texts, (added, removed), strict=True)
    parts = [text % {"names": names} for text, names in pairs if names]
    return " ".join(parts)


def _category_names(codes: str) -> str:
    """Category codes as the names of the active language; a code no longer known as itself."""
    wanted = codes.split()
    names = {c.code: c.name for c in Category.objects.filter(code__in=wanted)}
    return ", ".join(names.get(code, code) for code in wanted)


LINKS: dict[str, Any] = {
    "reports": _reports_sentence,
    "categories": _link_sentence,
    "partners": _link_sentence,
    "evaluation": _evaluated,
}


def _polygon_sentence(event: MeasureEvent) -> str:
    """The history says that the polygon was drawn, redrawn or removed, never where."""
    if not event.new:
        return _("The treated area polygon was removed.")
    if event.old:
        return _("The treated area polygon was redrawn.")
    return _("The treated area polygon was drawn.")


def _name_of(model: Any, pk: str) -> str:
    """The name of the area or organisation a history entry stored by id."""
    if not pk:
        return "–"
    found = model.objects.filter(pk=pk).values_list("name", flat=True).first()
    return found or pk


def _status(value: str) -> str:
    return Measure.Status(value).label if value in Measure.Status.values else value


def slot_for(municipality: Any, user: Any, today: date) -> dict[str, Any]:
    """The lägesbild's measures slot: open ones by light, the overdue ones, the board's link.

    Counts are of the measures `user` may see; no internal notes, no free text
    but the titles.
    """
    open_ = access.visible_measures(user).filter(municipality_id=municipality.pk).open()
    by_light = {light: 0 for light in ("green", "yellow", "red", "none")}
    for light, n in _light_counts(open_):
        by_light[light or "none"] += n
    overdue = open_.overdue(today).select_related("responsible", "area").defer("area__geometry")
    overdue_count = overdue.count()
    return {
        "open": sum(by_light.values()),
        "by_light": by_light,
        "overdue_count": overdue_count,
        "overdue": [summary_dict(m, today) for m in overdue.order_by("deadline", "pk")[
            :OVERDUE_LISTED]],
        "board": reverse("measures:board", args=[municipality.code]),
    }  # fmt: skip


def _light_counts(queryset: QuerySet[Measure]) -> list[tuple[str, int]]:
    from django.db.models import Count

    return list(queryset.order_by().values_list("light").annotate(n=Count("pk")))


def area_measures(user: Any, area: Area, today: date) -> list[dict[str, Any]]:
    """The measures of one area that `user` may see, open first, overdue first among them."""
    queryset = board_queryset(user, None, BoardFilter(area=area.pk), today)
    rows = [summary_dict(m, today) for m in queryset]
    return sorted(rows, key=lambda r: r["status"] not in Measure.OPEN)
