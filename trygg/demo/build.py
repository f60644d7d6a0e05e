"""Writes the demo into the database: municipality, areas, people and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from trygg.demo.cycle import build_cycle
from trygg.demo.people import REPORTER_OF, ensure_people, sync
from trygg.demo.places import DemoGeography, build_geography
from trygg.demo.promise import build_promise
from trygg.demo.synth import DAYS, generate, scene
from trygg.geo.models import Area
from trygg.partners.models import Municipality
from trygg.policeevents.actions import import_events
from trygg.policeevents.feed import parse_file
from trygg.reports.actions import submit_reports
from trygg.reports.models import Report

CODE, NAME = "2380", "Östersund"
POLICE_EVENTS = Path(__file__).parent / "data" / "polisen_events_ostersund.csv"
DEFAULT_REPORTS = 20_000
SEED = 2380
BATCH = 5000
# Overnight windows may start half a day before the first day of the period.
MAX_AGE_DAYS = DAYS + 30


class DemoRefused(Exception):
    """The database holds a real municipality with the demo's code."""


@dataclass(frozen=True)
class DemoResult:
    municipality: Municipality
    areas: int
    reports_created: int
    reports_existing: int
    measures_created: int = 0
    police_events: int = 0


def ensure_municipality(geo: DemoGeography) -> Municipality:
    existing = Municipality.objects.filter(code=CODE).first()
    if existing is not None and not existing.is_demo:
        raise DemoRefused(
            f"Municipality {CODE} exists and is not demo data; the demo will not touch it."
        )
    municipality = existing or Municipality(code=CODE, is_demo=True)
    values = {
        "name": NAME,
        "boundary": geo.outline,
        "is_demo": True,
        "meeting_cadence": Municipality.Cadence.BIWEEKLY,
    }
    if municipality.pk is None:
        for field, value in values.items():
            setattr(municipality, field, value)
        municipality.save()
    else:
        sync(municipality, values)
    return municipality


def ensure_areas(municipality: Municipality, geo: DemoGeography) -> int:
    for demo in geo.areas:
        area, created = Area.objects.get_or_create(
            municipality=municipality,
            name=demo.name,
            defaults={"kind": demo.kind, "priority": demo.priority, "geometry": demo.geometry},
        )
        if not created:
            sync(area, {"kind": demo.kind, "priority": demo.priority, "geometry": demo.geometry})
    return len(geo.areas)


def store_reports(
    orgs: dict[str, Any], users: dict[str, Any], items: dict[str, list[Any]], *, now: datetime
) -> tuple[int, int]:
    """Every organisation's reports through the intake, in batches; (created, existing)."""
    created = existing = 0
    for key, reports in items.items():
        for start in range(0, len(reports), BATCH):
            result = submit_reports(
                organisation=orgs[key],
                by=users[REPORTER_OF[key]],
                items=reports[start : start + BATCH],
                source=Report.Source.IMPORT,
                now=now,
                max_age_days=MAX_AGE_DAYS,
            )
            created, existing = created + result.created, existing + result.existing
    return created, existing


def build_demo(*, reports: int = DEFAULT_REPORTS, seed: int = SEED, now: datetime) -> DemoResult:
    """Create or bring up to date the demo; a second run with the same arguments adds nothing."""
    geo = build_geography()
    with transaction.atomic():
        municipality = ensure_municipality(geo)
        areas = ensure_areas(municipality, geo)
        orgs, users = ensure_people(municipality)
    sc = scene(geo.places, geo.outline_sweref, now=now, tz=ZoneInfo(settings.TIME_ZONE))
    items = generate(sc, total=reports, seed=seed)
    created, existing = store_reports(orgs, users, items, now=now)
    local_today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    measures = build_cycle(municipality, orgs, users, seed=seed, today=local_today)
    build_promise(municipality, orgs, users, today=local_today)
    police = load_police_events(now=now)
    return DemoResult(municipality, areas, created, existing, measures, police)


def load_police_events(*, now: datetime) -> int:
    """Östersund's real notices from the police's events feed, Sept 2022 – Aug 2026 (context)."""
    result = import_events(events=parse_file(POLICE_EVENTS), now=now)
    return result.seen
