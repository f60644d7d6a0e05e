"""Writes of citizen promises and initiatives: one named action per verb, each in one transaction.

Versioning: a draft changes freely. From publication on, every change to the
promise or its action plan writes a PromiseVersion in the same transaction
(the whole promise as it now stands, and what changed since the version
before), so every earlier version stays readable as it was. Progress that is
not part of the plan (indicator values, follow-ups) writes no version: a
follow-up keeps its own frozen copy.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.measures.models import Measure
from trygg.partners.models import Municipality, Organisation
from trygg.promises import followup, indicators, versions
from trygg.promises.models import (
    Activity,
    Commitment,
    FocusArea,
    FollowUp,
    Indicator,
    IndicatorValue,
    Initiative,
    InitiativeFigure,
    Owner,
    Promise,
    PromiseVersion,
    Signatory,
)

MAX_YEARS = 3  # a promise runs one or two years; three is the most we accept
PROMISE_FIELDS = ("title", "start_year", "end_year", "situation", "situation_sources",
                  "follow_up_months")  # fmt: skip
INITIATIVE_FIELDS = ("name", "description", "owner", "contact", "starts_on", "ends_on", "link")


class PromiseRefused(ValueError):
    """A change the rules do not allow; the message says why, for the person who tried."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.field = field


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _locked(promise: Promise) -> Promise:
    """The promise, locked for this transaction: versions are numbered one at a time."""
    return Promise.objects.select_for_update().get(pk=promise.pk)


def _editable(promise: Promise) -> Promise:
    promise = _locked(promise)
    if promise.status == Promise.Status.ARCHIVED:
        raise PromiseRefused(_("An archived promise is history and is not changed."))
    return promise


def _revised(promise: Promise, by: Any, note: str = "") -> PromiseVersion | None:
    """Mark the promise changed; once published, keep the change as a new version."""
    promise.updated_at = timezone.now()
    if promise.status == Promise.Status.DRAFT:
        promise.save(update_fields=["updated_at"])
        return None
    previous = promise.versions.order_by("-number").first()
    after = versions.snapshot(promise)
    before = previous.snapshot if previous else None
    changes = versions.diff(before, after)
    if previous is not None and not changes:
        promise.save(update_fields=["updated_at"])
        return None
    promise.revision += 1
    promise.save(update_fields=["updated_at", "revision"])
    return PromiseVersion.objects.create(
        promise=promise, number=promise.revision, by=_actor(by), note=note[:300],
        snapshot=after, changes=changes,
    )  # fmt: skip


def _check_years(start_year: int, end_year: int) -> None:
    if not 2000 <= start_year <= 2100:
        raise PromiseRefused(_("Give a year between 2000 and 2100."), "start_year")
    if end_year < start_year:
        raise PromiseRefused(_("The last year is before the first."), "end_year")
    if end_year - start_year >= MAX_YEARS:
        raise PromiseRefused(_("A promise runs for one to three years."), "end_year")


def _check_follow_up(months: int) -> None:
    if not 1 <= months <= 12:
        raise PromiseRefused(_("Follow up at least once a year (1–12 months)."),
                             "follow_up_months")  # fmt: skip


def _own(promise: Promise, organisation: Organisation | None, field: str) -> None:
    if organisation is not None and organisation.municipality_id != promise.municipality_id:
        raise PromiseRefused(_("The organisation is not in this municipality."), field)


@transaction.atomic
def create_promise(
    *,
    by: Any,
    municipality: Municipality,
    title: str,
    start_year: int,
    end_year: int,
    situation: str = "",
    situation_sources: str = "",
    follow_up_months: int = 12,
) -> Promise:
    """A new promise, as a draft: nobody outside the partnership sees it until it is published."""
    if not title.strip():
        raise PromiseRefused(_("Give the promise a title."), "title")
    _check_years(start_year, end_year)
    _check_follow_up(follow_up_months)
    return Promise.objects.create(
        municipality=municipality, title=title.strip(), start_year=start_year,
        end_year=end_year, situation=situation, situation_sources=situation_sources,
        follow_up_months=follow_up_months, created_by=_actor(by),
    )  # fmt: skip


@transaction.atomic
def update_promise(*, promise: Promise, by: Any, note: str = "", **changes: Any) -> Promise:
    """Revise the promise's own text and period; a published one keeps the earlier version."""
    unknown = set(changes) - set(PROMISE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    promise = _editable(promise)
    for field, value in changes.items():
        setattr(promise, field, value)
    if not promise.title.strip():
        raise PromiseRefused(_("Give the promise a title."), "title")
    _check_years(promise.start_year, promise.end_year)
    _check_follow_up(promise.follow_up_months)
    if promise.status == Promise.Status.PUBLISHED:
        _check_no_overlap(promise)
    promise.save(update_fields=[*changes])
    _revised(promise, by, note)
    return promise


def _check_no_overlap(promise: Promise) -> None:
    """Citizens read one current promise per municipality and year."""
    overlapping = Promise.objects.filter(
        municipality_id=promise.municipality_id,
        status=Promise.Status.PUBLISHED,
        start_year__lte=promise.end_year,
        end_year__gte=promise.start_year,
    ).exclude(pk=promise.pk)
    if overlapping.exists():
        raise PromiseRefused(
            _("Another published promise covers these years; archive it first."), "status"
        )


@transaction.atomic
def publish_promise(*, promise: Promise, by: Any, note: str = "") -> Promise:
    """Make the promise public; its first version is what was published."""
    promise = _locked(promise)
    if not promise.can_move_to(Promise.Status.PUBLISHED):
        raise PromiseRefused(_("Only a draft is published."), "status")
    if not promise.commitments.exists():
        raise PromiseRefused(_("Add at least one commitment before publishing."), "status")
    _check_no_overlap(promise)
    promise.status = Promise.Status.PUBLISHED
    promise.published_at = timezone.now()
    promise.save(update_fields=["status", "published_at"])
    _revised(promise, by, note or _("Published"))
    return promise


@transaction.atomic
def archive_promise(*, promise: Promise, by: Any, note: str = "") -> Promise:
    """Close a published promise: it stays public as a previous period, and no longer changes."""
    promise = _locked(promise)
    if not promise.can_move_to(Promise.Status.ARCHIVED):
        raise PromiseRefused(_("Only a published promise is archived."), "status")
    promise.status = Promise.Status.ARCHIVED
    promise.save(update_fields=["status"])
    _revised(promise, by, note or _("Archived"))
    return promise


@transaction.atomic
def add_focus_area(*, promise: Promise, by: Any, title: str, description: str = "") -> FocusArea:
    promise = _editable(promise)
    if not title.strip():
        raise PromiseRefused(_("Name the focus area."), "title")
    area = FocusArea.objects.create(
        promise=promise, title=title.strip(), description=description,
        position=promise.focus_areas.count(),
    )  # fmt: skip
    _revised(promise, by)
    return area


def _check_focus_area(promise: Promise, focus_area: FocusArea | None) -> None:
    if focus_area is not None and focus_area.promise_id != promise.pk:
        raise PromiseRefused(_("The focus area belongs to another promise."), "focus_area")


@transaction.atomic
def add_commitment(
    *, promise: Promise, by: Any, owner: str, text: str, focus_area: FocusArea | None = None
) -> Commitment:
    """ "This is what we will do": a commitment owned by the police, the municipality or both."""
    promise = _editable(promise)
    if owner not in Owner.values:
        raise PromiseRefused(_("Say who owns the commitment."), "owner")
    if not text.strip():
        raise PromiseRefused(_("Say what you will do."), "text")
    _check_focus_area(promise, focus_area)
    commitment = Commitment.objects.create(
        promise=promise, owner=owner, text=text.strip(), focus_area=focus_area,
        position=promise.commitments.count(),
    )  # fmt: skip
    _revised(promise, by)
    return commitment


def _check_activity(
    promise: Promise, responsible: Organisation, measure: Measure | None, initiative: Any
) -> None:
    _own(promise, responsible, "responsible")
    if measure is not None and measure.municipality_id != promise.municipality_id:
        raise PromiseRefused(_("The measure is not in this municipality."), "measure")
    if initiative is not None and initiative.municipality_id != promise.municipality_id:
        raise PromiseRefused(_("The initiative is not in this municipality."), "initiative")


@transaction.atomic
def add_activity(
    *,
    commitment: Commitment,
    by: Any,
    what: str,
    responsible: Organisation,
    responsible_person: str = "",
    when: str = "",
    status: str = Activity.Status.PLANNED,
    measure: Measure | None = None,
    initiative: Initiative | None = None,
) -> Activity:
    """One line of the action plan: what, who (organisation and person), when, how far."""
    promise = _editable(commitment.promise)
    if not what.strip():
        raise PromiseRefused(_("Say what will be done."), "what")
    if status not in Activity.Status.values:
        raise PromiseRefused(_("Choose a status."), "status")
    _check_activity(promise, responsible, measure, initiative)
    activity = Activity.objects.create(
        commitment=commitment, what=what.strip(), responsible=responsible,
        responsible_person=responsible_person, when=when, status=status, measure=measure,
        initiative=initiative, position=commitment.activities.count(),
    )  # fmt: skip
    _revised(promise, by)
    return activity


@transaction.atomic
def set_activity_status(*, activity: Activity, by: Any, status: str) -> Activity:
    """How far an activity has come; one that is a measure follows the measure instead."""
    promise = _editable(activity.commitment.promise)
    if status not in Activity.Status.values:
        raise PromiseRefused(_("Choose a status."), "status")
    if activity.measure_id is not None:
        raise PromiseRefused(
            _("This activity is a measure: change its status on the measure."), "status"
        )
    activity.status = status
    activity.save(update_fields=["status"])
    _revised(promise, by)
    return activity


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise PromiseRefused(_("Give a number."), field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise PromiseRefused(_("Give a number."), field)
    return number.quantize(Decimal("0.01"))


def _check_band(hour_from: int | None, hour_to: int | None) -> None:
    if (hour_from is None) != (hour_to is None):
        raise PromiseRefused(_("Give both hours of the time band, or neither."), "hour_to")
    if hour_from is None or hour_to is None:
        return
    if not (0 <= hour_from <= 23 and 1 <= hour_to <= 24) or hour_from == hour_to:
        raise PromiseRefused(
            _("Hours from 0–23 until 1–24, not the same hour (23 until 2 runs past midnight)."),
            "hour_to",
        )


def _check_indicator(promise: Promise, fields: dict[str, Any]) -> None:
    if not fields["name"].strip():
        raise PromiseRefused(_("Name the indicator."), "name")
    if fields["kind"] not in Indicator.Kind.values:
        raise PromiseRefused(_("Choose computed or entered by hand."), "kind")
    if fields["direction"] not in Indicator.Direction.values:
        raise PromiseRefused(_("Say whether lower or higher is better."), "direction")
    if fields["every"] not in Indicator.Every.values:
        raise PromiseRefused(_("Choose per quarter or per year."), "every")
    if not 2000 <= fields["baseline_year"] <= promise.end_year:
        raise PromiseRefused(_("The baseline year is at most the promise's last year."),
                             "baseline_year")  # fmt: skip
    if fields["target_value"] is None:
        raise PromiseRefused(_("Give the target."), "target_value")
    if fields["kind"] == Indicator.Kind.MANUAL:
        if fields["baseline_value"] is None:
            raise PromiseRefused(_("Give the baseline value."), "baseline_value")
        if not fields["source"].strip():
            raise PromiseRefused(_("Say where the numbers come from."), "source")
    else:
        _check_band(fields["hour_from"], fields["hour_to"])


@transaction.atomic
def add_indicator(
    *,
    promise: Promise,
    by: Any,
    name: str,
    kind: str,
    baseline_year: int,
    target_value: Any,
    direction: str,
    every: str = Indicator.Every.YEAR,
    baseline_value: Any = None,
    categories: Any = (),
    areas: Any = (),
    hour_from: int | None = None,
    hour_to: int | None = None,
    source: str = "",
    goal: str = "",
    unit: str = "",
    focus_area: FocusArea | None = None,
) -> Indicator:
    """ "This is what we will achieve together": an indicator with baseline, target and direction.

    A computed one counts reports of `categories` in `areas` (none: all of
    them), optionally only in hours [hour_from, hour_to); a manual one names
    its `source` and gets its values by `enter_indicator_value`.
    """
    promise = _editable(promise)
    fields = {
        "name": name, "kind": kind, "baseline_year": baseline_year, "direction": direction,
        "every": every, "source": source, "hour_from": hour_from, "hour_to": hour_to,
        "target_value": _decimal(target_value, "target_value"),
        "baseline_value": _decimal(baseline_value, "baseline_value"),
    }  # fmt: skip
    _check_indicator(promise, fields)
    _check_focus_area(promise, focus_area)
    areas = list(areas)
    if any(a.municipality_id != promise.municipality_id for a in areas):
        raise PromiseRefused(_("The area is not in this municipality."), "areas")
    computed = kind == Indicator.Kind.COMPUTED
    fields.update(name=name.strip(), source=source.strip())
    if not computed:
        fields.update(hour_from=None, hour_to=None)
    indicator = Indicator.objects.create(
        promise=promise, focus_area=focus_area, goal=goal, unit=unit,
        position=promise.indicators.count(), **fields,
    )  # fmt: skip
    if computed:
        indicator.categories.set(categories)
        indicator.areas.set(areas)
    _revised(promise, by)
    return indicator


@transaction.atomic
def enter_indicator_value(
    *, indicator: Indicator, by: Any, period: str, value: Any, source: str = ""
) -> IndicatorValue:
    """A manual indicator's value for one year or quarter; entering it again corrects it."""
    promise = _editable(indicator.promise)
    if indicator.kind != Indicator.Kind.MANUAL:
        raise PromiseRefused(_("A computed indicator is counted, not entered."), "value")
    period = period.strip()
    if not indicators.is_period_key(period, indicator.every):
        example = "2024" if indicator.every == Indicator.Every.YEAR else "2024-Q3"
        raise PromiseRefused(_("Write the period as %(example)s.") % {"example": example},
                             "period")  # fmt: skip
    if not promise.start_year <= int(period[:4]) <= promise.end_year:
        raise PromiseRefused(_("The period is outside the promise's years."), "period")
    number = _decimal(value, "value")
    if number is None:
        raise PromiseRefused(_("Give a number."), "value")
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator, period=period,
        defaults={"value": number, "source": source.strip() or indicator.source,
                  "entered_by": _actor(by), "entered_at": timezone.now()},
    )  # fmt: skip
    return row


@transaction.atomic
def add_signatory(
    *,
    promise: Promise,
    by: Any,
    name: str,
    role: str,
    organisation: Organisation | None = None,
    signed_on: date | None = None,
) -> Signatory:
    promise = _editable(promise)
    if not name.strip():
        raise PromiseRefused(_("Give the signatory's name."), "name")
    if not role.strip():
        raise PromiseRefused(_("Give the signatory's title."), "role")
    _own(promise, organisation, "organisation")
    signatory = Signatory.objects.create(
        promise=promise, name=name.strip(), role=role.strip(), organisation=organisation,
        signed_on=signed_on, position=promise.signatories.count(),
    )  # fmt: skip
    _revised(promise, by)
    return signatory


REMOVABLE = (FocusArea, Commitment, Activity, Indicator, Signatory)


@transaction.atomic
def remove_part(*, part: Model, by: Any, note: str = "") -> None:
    """Take a focus area, commitment, activity, indicator or signatory out of the promise.

    A published promise keeps it in its earlier versions, with "removed" in the new one.
    """
    if not isinstance(part, REMOVABLE):
        raise TypeError(f"not a part of a promise: {type(part).__name__}")
    promise = _editable(_promise_of(part))
    part.delete()
    _revised(promise, by, note)


# What `update_part` may change of each part; the rest is fixed once added.
PART_FIELDS: dict[type, tuple[str, ...]] = {
    FocusArea: ("title", "description"),
    Commitment: ("owner", "text", "focus_area"),
    Activity: ("what", "responsible", "responsible_person", "when", "measure", "initiative"),
    Indicator: ("name", "goal", "unit", "source", "target_value", "baseline_value", "direction"),
    Signatory: ("name", "role", "organisation", "signed_on"),
}
REQUIRED = ("title", "text", "what", "name", "role")


def _promise_of(part: Model) -> Promise:
    return part.commitment.promise if isinstance(part, Activity) else part.promise  # type: ignore[attr-defined]


def _check_part(promise: Promise, part: Model, changes: dict[str, Any]) -> None:
    for field in REQUIRED:
        if field in changes and not str(changes[field]).strip():
            raise PromiseRefused(_("This cannot be empty."), field)
    if "owner" in changes and changes["owner"] not in Owner.values:
        raise PromiseRefused(_("Say who owns the commitment."), "owner")
    if "direction" in changes and changes["direction"] not in Indicator.Direction.values:
        raise PromiseRefused(_("Say whether lower or higher is better."), "direction")
    for field in ("responsible", "organisation"):
        if field in changes:
            _own(promise, changes[field], field)
    if "focus_area" in changes:
        _check_focus_area(promise, changes["focus_area"])
    manual = isinstance(part, Indicator) and part.kind == Indicator.Kind.MANUAL
    if manual and "baseline_value" in changes and changes["baseline_value"] is None:
        raise PromiseRefused(_("Give the baseline value."), "baseline_value")
    if isinstance(part, Activity):
        responsible = changes.get("responsible", part.responsible)
        measure = changes.get("measure", part.measure)
        _check_activity(promise, responsible, measure, changes.get("initiative", part.initiative))


@transaction.atomic
def update_part(*, part: Model, by: Any, note: str = "", **changes: Any) -> Model:
    """Revise a focus area, commitment, activity, indicator or signatory of the promise."""
    allowed = PART_FIELDS.get(type(part))
    if allowed is None:
        raise TypeError(f"not a part of a promise: {type(part).__name__}")
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    promise = _editable(_promise_of(part))
    for field in ("target_value", "baseline_value"):
        if field in changes:
            changes[field] = _decimal(changes[field], field)
    if "target_value" in changes and changes["target_value"] is None:
        raise PromiseRefused(_("Give the target."), "target_value")
    _check_part(promise, part, changes)
    for field, value in changes.items():
        setattr(part, field, value.strip() if isinstance(value, str) else value)
    part.save()
    _revised(promise, by, note)
    return part


@transaction.atomic
def write_follow_up(
    *, promise: Promise, by: Any, narrative: str, made_on: date | None = None
) -> FollowUp:
    """A dated follow-up of a published promise, freezing every activity and indicator as now."""
    promise = _locked(promise)
    if promise.status == Promise.Status.DRAFT:
        raise PromiseRefused(_("Publish the promise before following it up."), "narrative")
    if not narrative.strip():
        raise PromiseRefused(_("Say how it goes."), "narrative")
    today = timezone.localdate()
    made_on = made_on or today
    if made_on > today:
        raise PromiseRefused(_("A follow-up is not dated in the future."), "made_on")
    return FollowUp.objects.create(
        promise=promise, made_on=made_on, by=_actor(by), narrative=narrative.strip(),
        revision=promise.revision, snapshot=followup.freeze(promise, made_on),
    )  # fmt: skip


# Initiatives ------------------------------------------------------------------------------


def _check_initiative(municipality_id: int, fields: dict[str, Any]) -> None:
    if "name" in fields and not fields["name"].strip():
        raise PromiseRefused(_("Name the initiative."), "name")
    owner = fields.get("owner")
    if owner is not None and owner.municipality_id != municipality_id:
        raise PromiseRefused(_("The organisation is not in this municipality."), "owner")
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends and ends < starts:
        raise PromiseRefused(_("The initiative ends before it starts."), "ends_on")


@transaction.atomic
def create_initiative(
    *, by: Any, municipality: Municipality, name: str, owner: Organisation, **fields: Any
) -> Initiative:
    """Register an initiative the partnership takes part in: programme level, never people."""
    unknown = set(fields) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    _check_initiative(municipality.pk, {**fields, "name": name, "owner": owner})
    return Initiative.objects.create(
        municipality=municipality, name=name.strip(), owner=owner, **fields
    )


@transaction.atomic
def update_initiative(*, initiative: Initiative, by: Any, **changes: Any) -> Initiative:
    unknown = set(changes) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    merged = {f: getattr(initiative, f) for f in INITIATIVE_FIELDS} | changes
    _check_initiative(initiative.municipality_id, merged)
    for field, value in changes.items():
        setattr(initiative, field, value)
    initiative.updated_at = timezone.now()
    initiative.save()
    return initiative


@transaction.atomic
def delete_initiative(*, initiative: Initiative, by: Any) -> None:
    """Remove an initiative no activity points to (one that does is part of a promise)."""
    if initiative.activities.exists():
        raise PromiseRefused(_("An activity of a promise points to this initiative."), "name")
    initiative.delete()


@transaction.atomic
def set_initiative_figures(
    *,
    initiative: Initiative,
    by: Any,
    year: int,
    sessions: int | None = None,
    participants: int | None = None,
    note: str = "",
) -> InitiativeFigure:
    """One year's sessions held and participants counted: numbers, never names."""
    if not 2000 <= year <= 2100:
        raise PromiseRefused(_("Give a year between 2000 and 2100."), "year")
    if sessions is None and participants is None:
        raise PromiseRefused(_("Give sessions held, participants counted or both."), "sessions")
    figure, _created = InitiativeFigure.objects.update_or_create(
        initiative=initiative, year=year,
        defaults={"sessions": sessions, "participants": participants, "note": note.strip()},
    )  # fmt: skip
    return figure
