"""Shape of the measures' HTML input: a new or edited measure, a status change, a traffic light.

Forms only read and check what was typed; the rules (transitions, reasons,
who may do what) live in actions.py and access.py.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from trygg.geo.models import Area
from trygg.measures import polygon as polygons
from trygg.measures.models import Measure
from trygg.partners.models import Municipality, Organisation
from trygg.reports.access import reports_by_id
from trygg.reports.models import Category, Report

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
# The fields the form offers, in the form's order (`linked_reports` only when editing).
FIELD_ORDER = (
    "title", "kind", "responsible", "responsible_person", "partners", "area", "categories",
    "linked_reports", "reports", "cells", "cause", "description", "goal", "starts_on",
    "deadline", "follow_up_on", "ordinary_work", "cost_sek", "outcome", "internal_notes",
)  # fmt: skip
FIELD_ORDER += ("treated_polygon",)  # shown where declared: after the hot-spot cells


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("What is done"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Measure.Kind.choices)
    responsible = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=120, required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    reports = forms.CharField(
        label=_("Linked reports"), required=False, max_length=2000,
        help_text=_("Report ids, separated by spaces or commas."),
    )  # fmt: skip
    cells = forms.CharField(
        label=_("Hot-spot cells"), required=False, max_length=2000, widget=TEXT,
        help_text=_("One cell a line: west edge, south edge and side in SWEREF 99 TM metres."),
    )  # fmt: skip
    treated_polygon = forms.CharField(
        label=_("Treated area polygon"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("Tap the map to add corners, or write one corner a line: latitude, longitude "
                    "(or paste a GeoJSON Polygon). Leave empty to evaluate the area."),
    )  # fmt: skip
    cause = forms.CharField(label=_("Cause"), required=False, widget=TEXT)
    description = forms.CharField(label=_("Description"), required=False, widget=TEXT)
    goal = forms.CharField(label=_("Operational goal"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DATE)
    ordinary_work = forms.BooleanField(label=_("Ordinary work (not a one-off)"), required=False)
    cost_sek = forms.IntegerField(
        label=_("Cost (SEK)"), min_value=0, max_value=2**31 - 1, required=False
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=TEXT)
    internal_notes = forms.CharField(
        label=_("Internal notes"), required=False, widget=TEXT,
        help_text=_("Seen only by the coordinators and the responsible organisation."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        allowed: tuple[str, ...],
        linked: list[Report] | None = None,
        **kwargs: Any,
    ) -> None:
        """`linked`, when editing: the linked reports the person may see, to keep or untick."""
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.editing = linked is not None
        organisations = Organisation.objects.filter(municipality=municipality)
        self.fields["responsible"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["area"].queryset = Area.objects.filter(municipality=municipality).defer(
            "geometry"
        )
        # A retired category a measure already has stays on offer, or saving would drop it.
        current = self.initial.get("categories") or ()
        self.fields["categories"].queryset = Category.objects.filter(
            Q(is_active=True) | Q(pk__in=[getattr(c, "pk", c) for c in current])
        )
        if linked and "reports" in allowed:
            self._offer_linked(linked)
        for name in list(self.fields):
            if name not in allowed and name != "linked_reports":
                del self.fields[name]
        self.order_fields(FIELD_ORDER)

    def _offer_linked(self, linked: list[Report]) -> None:
        """Linked reports as ticked boxes (category and time: never their text)."""
        choices = [(str(r.pk), f"{r.category.name}, {_when(r.occurred_at)}") for r in linked]
        self.fields["linked_reports"] = forms.MultipleChoiceField(
            label=_("Linked reports"), choices=choices, required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Untick a report to unlink it."),
        )  # fmt: skip
        self.initial.setdefault("linked_reports", [c for c, _label in choices])
        self.fields["reports"].label = _("Link more reports")

    def clean_reports(self) -> list[Any]:
        raw = [p for p in re.split(r"[\s,;]+", self.cleaned_data["reports"]) if p]
        try:
            ids = {uuid.UUID(p) for p in raw}
        except ValueError:
            raise forms.ValidationError(_("A report id is 36 characters.")) from None
        if self.editing:
            return list(ids)  # the action decides which the person may link
        found = list(reports_by_id(self.municipality.pk, ids))
        if len(found) != len(ids):
            raise forms.ValidationError(_("No report of this municipality has that id."))
        return found

    def clean(self) -> dict[str, Any]:
        """When editing, the reports are the ticked linked ones and the ids added."""
        data = super().clean()
        kept = data.pop("linked_reports", None)
        if self.editing and kept is not None and "reports" in data:
            data["reports"] = [*kept, *data["reports"]]
        return data

    def clean_treated_polygon(self) -> dict[str, Any] | None:
        try:
            return polygons.parse_text(self.cleaned_data["treated_polygon"])
        except polygons.PolygonProblem as problem:
            raise forms.ValidationError(str(problem)) from None

    def map_outlines(self) -> dict[str, Any]:
        """The municipality and its areas for the drawing map (the template asks only if drawn)."""
        from trygg.reports.pages import outlines

        return outlines([self.municipality])

    def clean_cells(self) -> list[dict[str, float]]:
        cells = []
        for line in self.cleaned_data["cells"].splitlines():
            if not line.strip():
                continue
            parts = re.split(r"[\s,;]+", line.strip())
            try:
                x, y, size = (float(p) for p in parts)
            except ValueError:
                raise forms.ValidationError(_("Write three numbers a line.")) from None
            if size <= 0:
                raise forms.ValidationError(_("Write three numbers a line."))
            cells.append({"x": x, "y": y, "size": size})
        return cells


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def cells_text(cells: list[dict[str, Any]]) -> str:
    return "\n".join(f"{c['x']:g} {c['y']:g} {c['size']:g}" for c in cells)


def initial_of(measure: Measure) -> dict[str, Any]:
    """What the edit form shows of a stored measure (linked reports come as `linked`)."""
    skip = ("categories", "partners", "linked_reports", "reports")
    initial = {name: getattr(measure, name) for name in FIELD_ORDER if name not in skip}
    initial["categories"] = list(measure.categories.values_list("pk", flat=True))
    initial["partners"] = list(measure.partners.values_list("pk", flat=True))
    initial["area"] = measure.area_id
    initial["responsible"] = measure.responsible_id
    initial["cells"] = cells_text(measure.cells)
    initial["treated_polygon"] = polygons.as_lines(measure.treated_polygon)
    return initial


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=())
    comment = forms.CharField(
        label=_("Comment or reason"), required=False, max_length=2000, widget=TEXT,
        help_text=_("A cancelled measure needs a reason."),
    )  # fmt: skip

    def __init__(self, *args: Any, statuses: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, Measure.Status(s).label) for s in statuses]


class LightForm(forms.Form):
    light = forms.ChoiceField(
        label=_("Traffic light"), choices=Measure.Light.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=300, widget=TEXT,
        help_text=_("Yellow and red need a comment: what is behind it?"),
    )  # fmt: skip
