"""What citizens read of a municipality's promises: one dict for the page, the JSON and the PDF.

The public page (/medborgarloften/<kommunkod>/), its JSON twin
(/api/v1/promises) and the PDFs all show `municipality_page`,
`promise_dict` or `follow_up_dict`, so they cannot say different things.

Public is decided here, field by field, not by leaving things out of a template:
- only promises `access.public_promises` gives (published or archived, never a
  draft). A published promise's rows are its latest published version: every
  change to it writes a version at once (actions._revised), so there is no
  revised-but-unpublished state of a public promise. A revision being prepared
  is a new draft, which stays out.
- the promise's text, focus areas, commitments, indicators with their values,
  signatories (name and title: they sign a public document), follow-ups
  (date and narrative, and what they froze).
- an activity shows what, which organisation, when, status and the name of
  the initiative it is part of. Never the responsible person (a name the model
  does not mark public), the measure behind it (the EST board is the
  partnership's), the initiative's contact, a version's note or who wrote what.
- a computed indicator counts only public-aggregate reports (indicators.py),
  and a count from 1 to 4 is shown as "<5", as the open lägesbild shows it.

Computed indicators without a time band are read from the daily rollup in one
query for the whole promise, grouped by category, area and quarter
(`standings`); they equal indicators.standing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import CharField, ExpressionWrapper, IntegerField, Prefetch, Sum
from django.db.models.functions import Cast, ExtractQuarter, ExtractYear, Substr
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trygg.geo.models import Area
from trygg.partners.models import Municipality
from trygg.promises import cache, followup, indicators
from trygg.promises.access import public_promises
from trygg.promises.models import Activity, FollowUp, Indicator, Owner, Promise
from trygg.reports.models import DailyCount, Report
from trygg.situation import queries

SUPPRESS_BELOW = 5  # counts 1–4 are shown as "<5", as on the open lägesbild


def get_municipality(code: str) -> Municipality:
    try:
        return Municipality.objects.defer("boundary").get(code=code)
    except Municipality.DoesNotExist:
        raise Http404("No such municipality") from None


def get_public_promise(municipality: Municipality, promise_id: int) -> Promise:
    try:
        return public_promises(municipality).get(pk=promise_id)
    except Promise.DoesNotExist:
        raise Http404("No such promise") from None


def get_public_follow_up(municipality: Municipality, follow_up_id: int) -> FollowUp:
    try:
        return FollowUp.objects.select_related("promise").get(
            pk=follow_up_id, promise__in=public_promises(municipality)
        )
    except FollowUp.DoesNotExist:
        raise Http404("No such follow-up") from None


def current_and_previous(municipality: Municipality) -> tuple[Promise | None, list[Promise]]:
    """The published promise citizens read now (the latest), and every other public one."""
    public = list(public_promises(municipality).order_by("-start_year", "-pk"))
    current = next((p for p in public if p.status == Promise.Status.PUBLISHED), None)
    return current, [p for p in public if p is not current]


def municipality_page(municipality: Municipality, today: date) -> dict[str, Any]:
    """The public page of a municipality: the current promise in full, the others in brief."""
    current, previous = current_and_previous(municipality)
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "current": promise_dict(current, today) if current else None,
        "previous": [summary(p) for p in previous],
    }


def summary(promise: Promise) -> dict[str, Any]:
    return {
        "id": promise.pk,
        "title": promise.title,
        "period": promise.period_label,
        "start_year": promise.start_year,
        "end_year": promise.end_year,
        "status": promise.status,
    }


def promise_dict(promise: Promise, today: date) -> dict[str, Any]:
    """Everything public of one promise, as JSON-ready values."""
    areas = list(promise.focus_areas.all())
    focus = {f.pk: f.title for f in areas}
    activities = _activities(promise)
    published = promise.published_at
    return {
        **summary(promise),
        "published_on": timezone.localdate(published).isoformat() if published else None,
        "version": promise.revision,
        "situation": promise.situation,
        "situation_sources": promise.situation_sources,
        "focus_areas": [
            {"id": f.pk, "title": f.title, "description": f.description} for f in areas
        ],
        "commitments": _commitments(promise, focus, activities),
        "progress": progress(row for rows in activities.values() for row in rows),
        "indicators": _indicators(promise, focus, today),
        "signatories": [
            {
                "name": s.name,
                "role": s.role,
                "organisation": s.organisation.name if s.organisation else "",
                "signed_on": s.signed_on.isoformat() if s.signed_on else None,
            }
            for s in promise.signatories.select_related("organisation")
        ],
        "follow_ups": [
            {"id": f.pk, "made_on": f.made_on.isoformat(), "narrative": f.narrative}
            for f in promise.follow_ups.defer("snapshot")
        ],
    }


def _activities(promise: Promise) -> dict[int, list[dict[str, Any]]]:
    labels = dict(Activity.Status.choices)
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Activity.objects.filter(commitment__promise=promise)
        .select_related("responsible", "initiative", "measure")
        .only("commitment_id", "what", "when", "status", "responsible__name",
              "initiative__name", "measure__status")
        .order_by("commitment__position", "commitment_id", "position", "pk")
    )  # fmt: skip
    for a in rows:
        status = followup.activity_status(a)
        out[a.commitment_id].append(
            {
                "what": a.what,
                "responsible": a.responsible.name,
                "when": a.when,
                "status": status,
                "status_label": str(labels[status]),
                "initiative": a.initiative.name if a.initiative else "",
            }
        )
    return out


def _commitments(
    promise: Promise, focus: dict[int, str], activities: dict[int, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    owners = dict(Owner.choices)
    return [
        {
            "id": c.pk,
            "focus_area": focus.get(c.focus_area_id or 0, ""),
            "owner": c.owner,
            "owner_label": str(owners[c.owner]),
            "text": c.text,
            "activities": activities.get(c.pk, []),
        }
        for c in promise.commitments.all()
    ]


def progress(rows: Any) -> dict[str, int]:
    """How many activities are planned, ongoing, done and cancelled."""
    counted = {status: 0 for status in Activity.Status.values}
    for row in rows:
        counted[row["status"]] += 1
    return {"total": sum(counted.values()), **counted}


# Indicators ------------------------------------------------------------------------------


def _indicators(promise: Promise, focus: dict[int, str], today: date) -> list[dict[str, Any]]:
    rows = list(with_selection(promise.indicators.all()))
    found = standings(promise, rows, today)
    return [indicator_dict(i, found[i.pk], focus) for i in rows]


def with_selection(queryset: Any) -> Any:
    """Indicators with what they count and their values, in three reads (no area shapes)."""
    areas = Prefetch("areas", queryset=Area.objects.only("id", "name"))
    return queryset.prefetch_related("categories", areas, "values")


def indicator_dict(
    indicator: Indicator, standing: indicators.Standing, focus: dict[int, str]
) -> dict[str, Any]:
    computed = indicator.kind == Indicator.Kind.COMPUTED
    latest = standing.latest
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "goal": indicator.goal,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "every": indicator.every,
        "focus_area": focus.get(indicator.focus_area_id or 0, ""),
        "counts": what_is_counted(indicator) if computed else "",
        "source": indicator.source,
        "direction": indicator.direction,
        "direction_label": str(indicator.get_direction_display()),
        "baseline_year": indicator.baseline_year,
        "baseline": shown(standing.baseline, computed),
        "target": shown(standing.target, False),
        "latest": None if latest is None else {"period": latest.period,
                                               **shown(latest.value, computed)},
        "light": standing.light,
        "light_label": str(indicators.LIGHTS[standing.light]),
        "series": [
            {"period": p.period, "complete": p.complete, **shown(p.value, computed)}
            for p in standing.series
        ],
    }  # fmt: skip


def shown(value: Decimal | float | None, counted: bool) -> dict[str, Any]:
    """A value as citizens get it: a count of 1–4 withheld, the rest as a number and in words."""
    if value is None:
        return {"value": None, "text": "–", "suppressed": False}
    if counted and 0 < value < SUPPRESS_BELOW:
        return {"value": None, "text": f"<{SUPPRESS_BELOW}", "suppressed": True}
    number = float(value)
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    text = text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    return {"value": number, "text": text, "suppressed": False}


def what_is_counted(indicator: Indicator) -> str:
    """A computed indicator's selection in words: categories, areas and hours."""
    categories = ", ".join(c.name for c in indicator.categories.all()) or _("all incidents")
    areas = ", ".join(a.name for a in indicator.areas.all()) or _("the whole municipality")
    text = _("Reports of %(categories)s in %(areas)s") % {"categories": categories, "areas": areas}
    if indicator.has_time_band:
        text += ", " + _("hours %(start)02d–%(end)02d") % {
            "start": indicator.hour_from,
            "end": indicator.hour_to,
        }
    return text


def standings(
    promise: Promise, rows: list[Indicator], today: date
) -> dict[int, indicators.Standing]:
    """Each indicator's standing as indicators.standing gives it, in one rollup read.

    A time band is not in the rollup: such an indicator, and a manual one, go
    through indicators.standing (the manual one's values are prefetched).
    """
    plain = [i for i in rows if i.kind == Indicator.Kind.COMPUTED and not i.has_time_band]
    taxonomy = queries.Taxonomy.load() if plain else None
    wanted = {c for i in plain for c in _category_ids(i, taxonomy)}
    quarters = _rollup_quarters(promise, plain, wanted)
    out = {}
    for indicator in rows:
        if indicator in plain and taxonomy is not None:
            out[indicator.pk] = _from_quarters(indicator, promise, quarters, taxonomy, today)
        else:
            out[indicator.pk] = indicators.standing(indicator, today)
    return out


@dataclass(frozen=True)
class Quarters:
    """Public counts per quarter (coded year * 10 + quarter: 20243), kept and shared: read only.

    `by_category` sums every area (and reports outside all areas, area_key 0),
    for the indicators that count the whole municipality; `by_area` is per
    (category, area), for those that choose areas.
    """

    by_category: dict[int, tuple[tuple[int, int], ...]]
    by_area: dict[tuple[int, int], tuple[tuple[int, int], ...]]


def _category_ids(indicator: Indicator, taxonomy: Any) -> list[int]:
    return taxonomy.incident_ids(tuple(c.code for c in indicator.categories.all()))


def _rollup_quarters(promise: Promise, plain: list[Indicator], wanted: set[int]) -> Quarters:
    """The municipality's public counts per category, area and quarter, over every year needed.

    Kept while the rollup of those years stands (trygg.promises.cache): many read one page.
    """
    if not plain:
        return Quarters({}, {})
    first = date(min(min(i.baseline_year, promise.start_year) for i in plain), 1, 1)
    until = date(promise.end_year + 1, 1, 1)
    ids, place = tuple(sorted(wanted)), promise.municipality_id
    return cache.kept(place, until, ("quarters", first, ids),
                      lambda: _read_quarters(place, first, until, ids))  # fmt: skip


def _read_quarters(
    municipality_id: int, first: date, until: date, ids: tuple[int, ...]
) -> Quarters:
    """One grouped read of the rollup: a row per category, area and quarter with reports.

    Quarters, not months: every indicator is counted per quarter or year, and
    a third of the rows is a third of the time spent turning them into Python.
    The rows are fetched from the cursor as they come: this read is most of a
    cold page (see docs/promises.md, Speed).
    """
    sql, params = quarters_query(municipality_id, first, until, ids).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_category: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_area: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for category, area, quarter, n in rows:
        code, n = int(quarter), int(n)
        by_category[category][code] += n
        by_area[(category, area)].append((code, n))
    return Quarters(
        {c: tuple(q.items()) for c, q in by_category.items()},
        {key: tuple(q) for key, q in by_area.items()},
    )


def quarters_query(municipality_id: int, first: date, until: date, ids: tuple[int, ...]) -> Any:
    """The grouped rollup read of `_read_quarters`.

    Public rows only, by equality on `sharing`, so both databases read them
    through `dailycount_public_cover` (municipality, sharing, day, …) and skip
    the ~8 in 9 rollup rows not shared in public.
    """
    return (
        DailyCount.objects.filter(
            municipality_id=municipality_id,
            sharing=Report.Sharing.PUBLIC,
            day__gte=first,
            day__lt=until,
            category_id__in=ids,
        )
        .order_by()
        .annotate(quarter=_quarter_of_day())
        .values_list("category_id", "area_key", "quarter")
        .annotate(total=Sum("n"))
    )


def _quarter_of_day() -> ExpressionWrapper:
    """The rollup day's quarter as year * 10 + quarter, grouped on by the database.

    SQLite stores a date as "YYYY-MM-DD" text, and Django's ExtractYear there
    is a Python function called once a row (most of the page's time on five
    years of rollup); the text's digits are cut and cast in C instead.
    """
    if connection.vendor == "sqlite":
        text = Cast("day", CharField())
        year = Cast(Substr(text, 1, 4), IntegerField())
        month = Cast(Substr(text, 6, 2), IntegerField())
        return ExpressionWrapper(year * 10 + (month + 2) / 3, output_field=IntegerField())
    quarter = ExtractYear("day") * 10 + ExtractQuarter("day")
    return ExpressionWrapper(quarter, output_field=IntegerField())


def _from_quarters(
    indicator: Indicator, promise: Promise, quarters: Quarters, taxonomy: Any, today: date
) -> indicators.Standing:
    areas = [a.pk for a in indicator.areas.all()]
    counted: dict[int, int] = defaultdict(int)
    for category in _category_ids(indicator, taxonomy):
        if not areas:
            for code, n in quarters.by_category.get(category, ()):
                counted[code] += n
        for area in areas:
            for code, n in quarters.by_area.get((category, area), ()):
                counted[code] += n
    quarterly = indicator.every == Indicator.Every.QUARTER
    per_period: dict[str, int] = defaultdict(int)
    for code, n in counted.items():
        per_period[indicators.period_key(code // 10, code % 10 if quarterly else None)] += n
    keys = indicators.periods_of(indicator, promise, today)
    series = [
        indicators.Point(k, Decimal(per_period.get(k, 0)), indicators.period_bounds(k)[1] <= today)
        for k in keys
    ]
    baseline = indicator.baseline_value
    if baseline is None:
        in_year = sum(n for code, n in counted.items() if code // 10 == indicator.baseline_year)
        baseline = (Decimal(in_year) / (4 if quarterly else 1)).quantize(Decimal("0.01"))
    complete = [p for p in series if p.complete]
    latest = complete[-1] if complete else None
    light = indicators.light_of(
        latest.value if latest else None, baseline, indicator.target_value, indicator.direction
    )
    return indicators.Standing(series, baseline, indicator.target_value, latest, light)


# Follow-ups ------------------------------------------------------------------------------


def follow_up_dict(follow_up: FollowUp) -> dict[str, Any]:
    """A follow-up as it was written: the narrative, each activity and indicator as frozen then."""
    labels = dict(Activity.Status.choices)
    snap = follow_up.snapshot
    return {
        "id": follow_up.pk,
        "made_on": follow_up.made_on.isoformat(),
        "narrative": follow_up.narrative,
        "promise": summary(follow_up.promise),
        "activities": [
            {
                "what": a["what"],
                "responsible": a["responsible"],
                "status": a["status"],
                "status_label": str(labels.get(a["status"], a["status"])),
            }
            for a in snap.get("activities", [])
        ],
        "indicators": [_frozen_indicator(i) for i in snap.get("indicators", [])],
    }


def _frozen_indicator(row: dict[str, Any]) -> dict[str, Any]:
    computed = row.get("kind") == Indicator.Kind.COMPUTED
    latest = row.get("latest")
    directions = dict(Indicator.Direction.choices)
    return {
        "name": row["name"],
        "unit": row.get("unit", ""),
        "kind": row.get("kind", ""),
        "direction": row["direction"],
        "direction_label": str(directions.get(row["direction"], row["direction"])),
        "baseline_year": row["baseline_year"],
        "baseline": shown(row.get("baseline"), computed),
        "target": shown(row.get("target"), False),
        "latest": None if latest is None else {"period": latest["period"],
                                               **shown(latest["value"], computed)},
        "light": row["light"],
        "light_label": str(indicators.LIGHTS.get(row["light"], row["light"])),
        "series": [
            {"period": period, "complete": complete, **shown(value, computed)}
            for period, value, complete in row.get("series", [])
        ],
    }  # fmt: skip
