"""A promise for Östersund 2023–2024 with a focus area, a commitment, an activity and two
indicators (one counted from reports, one entered by hand), built through the actions."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from trygg.promises import actions
from trygg.promises.models import Indicator, Owner
from trygg.reports.models import Category


def build_promise(w: Any, **overrides: Any) -> SimpleNamespace:
    p = SimpleNamespace()
    fields = {
        "by": w.anna,
        "municipality": w.ostersund,
        "title": "Medborgarlöfte Östersund",
        "start_year": 2023,
        "end_year": 2024,
        "situation": "Otrygghet i centrum kvällstid.",
        "situation_sources": "Polisens medborgarundersökning 2022",
    }
    fields.update(overrides)
    p.promise = actions.create_promise(**fields)
    p.focus = actions.add_focus_area(promise=p.promise, by=w.anna, title="Trygghet")
    p.commitment = actions.add_commitment(
        promise=p.promise, by=w.anna, owner=Owner.BOTH, focus_area=p.focus,
        text="Vi ska arbeta med EST i centrum.",
    )  # fmt: skip
    p.activity = actions.add_activity(
        commitment=p.commitment, by=w.anna, what="Trygghetsvandring i centrum",
        responsible=w.orgs["kommun"], responsible_person="Anna", when="Våren 2023",
    )  # fmt: skip
    p.counted = actions.add_indicator(
        promise=p.promise, by=w.anna, name="Anmäld skadegörelse i centrum",
        kind=Indicator.Kind.COMPUTED, baseline_year=2022, target_value="10",
        direction=Indicator.Direction.LOWER, categories=[Category.objects.get(code="graffiti")],
        areas=[w.centrum],
    )  # fmt: skip
    p.survey = actions.add_indicator(
        promise=p.promise, by=w.anna, name="Andel som känner sig trygga i centrum",
        kind=Indicator.Kind.MANUAL, baseline_year=2022, baseline_value="60", target_value="70",
        direction=Indicator.Direction.HIGHER, source="Kommunens trygghetsmätning", unit="%",
    )  # fmt: skip
    return p
