"""A year of the demo partnership's EST meetings, measures and report handling.

Everything goes through the meetings', measures' and reports' actions, as a
coordinator would. Closing a meeting queues the owners' emails, but the demo
logins have no addresses (and `make run` runs no worker), so none are sent.
The cycle is written once: if the municipality has meetings, it is left alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from trygg.demo.effects import seed_effect_measures
from trygg.measures.actions import change_status, create_measure, save_evaluation, set_light
from trygg.measures.effect import CannotEvaluate, Parameters, evaluate
from trygg.measures.models import Measure
from trygg.meetings.actions import (
    add_item,
    close_meeting,
    decide,
    plan_next_meeting,
    record_attendance,
)
from trygg.meetings.models import AgendaItem, Meeting
from trygg.partners.models import Municipality
from trygg.reports.access import visible_reports
from trygg.reports.actions import (
    change_report_status,
    comment_on_report,
    flag_for_discussion,
    link_to_measure,
)
from trygg.reports.models import Report

HELD = 25  # every other week for a year; the 26th is the next, planned one
ITEMS_PER_MEETING = 3
MEASURES_PER_ITEM = 2
PROPOSED = 10
HANDLED_REPORTS = 40
EVALUATED = 8
Status, Light = Measure.Status, Measure.Light

TITLES = [
    "Förbättrad belysning", "Nattvandring helger", "Polisiär närvaro kvällstid",
    "Klottersanering inom 24 timmar", "Trygghetsvandring med boende",
    "Fältsekreterare på plats", "Beskärning av buskage", "Informationsblad till boende",
    "Ordningsvakter vid resecentrum", "Tillsyn av serveringsställen", "Kameraövervakning utreds",
    "Låsbyte i cykelrum",
]  # fmt: skip
LIGHT_COMMENTS = {
    Light.YELLOW: "Leveransen av material är försenad.",
    Light.RED: "Saknar personal under perioden, behöver ny plan.",
}
CANCEL_REASONS = ["Ersatt av annan åtgärd.", "Budget saknas i år.", "Problemet har upphört."]
COMMENTS = ["Tack, vi tar upp detta på nästa EST-möte.", "Kontrollerat på plats, åtgärdat."]


def build_cycle(
    municipality: Municipality, orgs: dict[str, Any], users: dict[str, Any], *, seed: int,
    today: date,
) -> int:  # fmt: skip
    """The meetings, measures and handled reports; the number of measures created."""
    if Meeting.objects.filter(municipality=municipality).exists():
        return 0
    rng = random.Random(seed)
    by = users["samordnare"]
    # The last held meeting was four days ago; the next lies ten days ahead.
    day = today - timedelta(weeks=2 * HELD, days=4)
    created: list[Measure] = []
    for _n in range(HELD):
        meeting = plan_next_meeting(municipality=municipality, by=by, today=day)
        day = meeting.held_on
        created += hold_meeting(meeting, orgs, by, rng, today=today)
    plan_next_meeting(municipality=municipality, by=by, today=day)
    created += propose(municipality, orgs, by, rng, today=today)
    handle_reports(municipality, created, by, rng)
    save_evaluations(created, by, today=today)
    created += seed_effect_measures(municipality, orgs, users, today=today)
    return len(created)


def save_evaluations(measures: list[Measure], by: Any, *, today: date) -> None:
    """A saved effect evaluation on some finished measures with an area, as the follow-up shows."""
    done = Measure.objects.filter(
        pk__in=[m.pk for m in measures], status=Status.DONE, area__isnull=False
    ).order_by("pk")
    for measure in done[:EVALUATED]:
        try:
            effect = evaluate(measure, Parameters(), today=today)
        except CannotEvaluate:
            continue
        save_evaluation(measure=measure, by=by, effect=effect)


@transaction.atomic
def hold_meeting(
    meeting: Meeting, orgs: dict[str, Any], by: Any, rng: random.Random, *, today: date
) -> list[Measure]:
    """Attendance, decisions on the first agenda items, the measures' year since, closed."""
    others = [o for k, o in orgs.items() if k not in ("kommun", "polis")]
    present = [orgs["kommun"], orgs["polis"], *rng.sample(others, rng.randint(1, len(others)))]
    record_attendance(meeting=meeting, by=by, organisations=present)
    items = list(meeting.items.order_by("position")[:ITEMS_PER_MEETING])
    while len(items) < ITEMS_PER_MEETING:
        items.append(add_item(meeting=meeting, by=by, title=rng.choice(TITLES)))
    measures = []
    for item in items:
        specs = [spec(item, present, rng, meeting.held_on) for _ in range(MEASURES_PER_ITEM)]
        measures += decide(meeting=meeting, item=item, by=by, measures=specs)
    for measure in measures:
        follow_up(measure, by, rng, held_on=meeting.held_on, today=today)
    close_meeting(meeting=meeting, by=by)
    return measures


def spec(item: AgendaItem, present: list[Any], rng: random.Random, held_on: date) -> dict:
    starts_on = held_on + timedelta(days=rng.randint(1, 14))
    return {
        "title": rng.choice(TITLES),
        "kind": rng.choice(Measure.Kind.values),
        "responsible": rng.choice(present),
        "starts_on": starts_on,
        "deadline": starts_on + timedelta(weeks=rng.randint(4, 20)),
        "follow_up_on": starts_on + timedelta(weeks=rng.randint(2, 8)),
        "goal": "Färre anmälningar i området nästa period.",
    }


def follow_up(measure: Measure, by: Any, rng: random.Random, *, held_on: date, today: date) -> None:
    """Older measures are mostly done; some are cancelled, some still under way (and late)."""
    age = (today - held_on).days
    roll = rng.random()
    if roll < 0.1:
        change_status(
            measure=measure, by=by, to=Status.CANCELLED, comment=rng.choice(CANCEL_REASONS)
        )
        return
    if age < 30 and roll < 0.5:
        return  # recently decided, not started yet
    change_status(measure=measure, by=by, to=Status.ONGOING)
    if measure.deadline < today and roll < 0.75:
        change_status(measure=measure, by=by, to=Status.DONE)
        set_light(measure=measure, by=by, light=Light.GREEN, comment="")
        return
    light = rng.choice(Light.values)
    set_light(measure=measure, by=by, light=light, comment=LIGHT_COMMENTS.get(light, ""))


@transaction.atomic
def propose(
    municipality: Municipality, orgs: dict[str, Any], by: Any, rng: random.Random, *, today: date
) -> list[Measure]:
    """Measures proposed for the next meeting to decide."""
    owners = list(orgs.values())
    return [
        create_measure(
            by=by,
            municipality=municipality,
            title=rng.choice(TITLES),
            kind=rng.choice(Measure.Kind.values),
            responsible=rng.choice(owners),
            deadline=today + timedelta(weeks=rng.randint(4, 12)),
        )
        for _ in range(PROPOSED)
    ]


@transaction.atomic
def handle_reports(
    municipality: Municipality, measures: list[Measure], by: Any, rng: random.Random
) -> None:
    """Some reports reviewed, commented, flagged, closed or linked to an open measure."""
    # As the coordinator sees them (all of the municipality's), through the access rules.
    reports = list(
        visible_reports(by)
        .filter(municipality=municipality, status=Report.Status.RECEIVED)
        .order_by("-occurred_at", "client_id")[: HANDLED_REPORTS * 5]
    )
    open_measures = list(
        Measure.objects.filter(pk__in=[m.pk for m in measures], status__in=Measure.OPEN).order_by(
            "pk"
        )
    )
    if not reports:
        return
    for n, report in enumerate(rng.sample(reports, min(HANDLED_REPORTS, len(reports)))):
        step = n % 4
        if step == 0:
            change_report_status(report=report, by=by, to=Report.Status.REVIEWED,
                                 comment=rng.choice(COMMENTS))  # fmt: skip
        elif step == 1:
            comment_on_report(report=report, by=by, text=rng.choice(COMMENTS))
            flag_for_discussion(report=report, by=by, flagged=True)
        elif step == 2:
            change_report_status(report=report, by=by, to=Report.Status.CLOSED)
        elif open_measures:
            link_to_measure(report=report, by=by, measure=rng.choice(open_measures))
