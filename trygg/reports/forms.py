"""Shape of the report form's HTML input.

The form only collects: every rule about what a valid report is lives in
`trygg.reports.intake`, shared with the API and imports. Fields are therefore
loose (text in, text out) and `add_rejection` puts intake's errors back next
to the fields the person filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core.errors import InputRejected
from trygg.partners.models import Organisation
from trygg.reports.models import Category, Report, category_tree

ALL_CALM = "all_calm"

# Filled in the browser with a random UUID, so pressing "send" twice stores one report.
CLIENT_ID = forms.HiddenInput(attrs={"data-client-id": ""})

# The fields folded under "More information (optional)": a minimal report needs none of them.
OPTIONAL_FIELDS = (
    "when",
    "occurred_at",
    "occurred_from",
    "occurred_to",
    "address",
    "place_type",
    "persons",
    "creates_insecurity",
    "reported_to_police",
    "damage_cost_sek",
    "description",
    "photo",
    "sharing",
)

# Intake's field names where the form shows them under another field.
POSITION_FIELDS = {"lat": "position", "lon": "position"}
WINDOW_FIELDS = {"occurred_at": "occurred_from"}


def category_groups() -> list[tuple[Category, list[Category]]]:
    """Active top-level categories and their active children, in display order.

    "All calm" is left out: it has its own one-tap check-in button.
    """
    tree = category_tree(Category.objects.filter(is_active=True))
    return [(c, children) for c, children in tree if c.code != ALL_CALM]


def _blank(*choices: tuple[str, Any]) -> list[tuple[str, Any]]:
    return [("", _("Not stated")), *choices]


def _optional_count(label: Any) -> forms.CharField:
    """A whole number a person may leave out; checked by the intake, not here."""
    widget = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
    return forms.CharField(label=label, required=False, widget=widget)


def _optional_choice(label: Any, *choices: tuple[str, Any]) -> forms.ChoiceField:
    """One of `choices`, or 'Not stated'."""
    return forms.ChoiceField(label=label, choices=_blank(*choices), required=False)


class _OrganisationMixin:
    """An organisation choice, shown only to people in several organisations."""

    fields: dict[str, forms.Field]

    def _add_organisation(self, organisations: Sequence[Organisation]) -> None:
        self.several_organisations = len(organisations) > 1
        if self.several_organisations:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Organisation"),
                choices=[("", "—")] + [(o.pk, o.name) for o in organisations],
                coerce=int,
                required=True,
            )

    def organisation_id(self) -> int | None:
        return self.cleaned_data.get("organisation")  # type: ignore[attr-defined]


class ReportForm(_OrganisationMixin, forms.Form):
    WHEN = [("now", _("Now")), ("at", _("Pick a time")), ("window", _("During a period"))]

    group = forms.CharField(required=False)
    category = forms.CharField(required=False)
    when = forms.ChoiceField(choices=WHEN, initial="now", required=False)
    occurred_at = forms.CharField(required=False)
    occurred_from = forms.CharField(required=False)
    occurred_to = forms.CharField(required=False)
    lat = forms.CharField(required=False)
    lon = forms.CharField(required=False)
    address = forms.CharField(label=_("Address or place"), required=False, max_length=200)
    place_type = _optional_choice(_("Type of place"), *Report.PlaceType.choices)
    persons = _optional_count(_("Approximate number of persons"))
    creates_insecurity = _optional_choice(
        _("Does it create insecurity?"), *Report.Assessment.choices
    )
    reported_to_police = _optional_choice(
        _("Reported to the police?"), ("yes", _("Yes")), ("no", _("No"))
    )
    damage_cost_sek = _optional_count(_("Damage cost (SEK)"))
    description = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "note-warning"}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    sharing = forms.ChoiceField(
        label=_("Who may see the report"),
        choices=Report.Sharing.choices,
        initial=Report.Sharing.PARTNERSHIP,
    )
    client_id = forms.CharField(required=False, max_length=100, widget=CLIENT_ID)

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._add_organisation(organisations)

    def clean(self) -> dict[str, Any]:
        """A chosen kind of time needs its fields: an empty one would silently mean "now"."""
        data = super().clean()
        needed = {"at": ("occurred_at",), "window": ("occurred_from", "occurred_to")}
        for field in needed.get(data.get("when") or "now", ()):
            if not data.get(field):
                self.add_error(field, _("Choose a date and time."))
        return data

    def shows_more(self) -> bool:
        """Open the optional part when it holds an error or a time other than now."""
        if not self.is_bound:
            return False
        if any(field in self.errors for field in OPTIONAL_FIELDS):
            return True
        return (self.data.get("when") or "now") != "now"

    def _category_code(self) -> str:
        """The sub-category if one was chosen, else the group itself.

        A group alone is a complete answer: "drugs, type not said". It is stored
        as the group's own code, which intake accepts like any active category,
        the lägesbild counts under the group and the list's group filter finds.
        The taxonomy's "Annan …" sub-categories mean "none of the listed types",
        a different statement, so a bare group is never mapped onto them.
        """
        return self.cleaned_data["category"] or self.cleaned_data["group"] or ""

    def _times(self) -> dict[str, str]:
        data = self.cleaned_data
        if data["when"] == "at":
            return {"occurred_at": data["occurred_at"]}
        if data["when"] == "window":
            return {"occurred_at": data["occurred_from"], "occurred_to": data["occurred_to"]}
        return {}  # "now": intake stamps the time of receipt

    def report_data(self) -> dict[str, Any]:
        """The mapping `submit_report` validates, from the cleaned form."""
        data = self.cleaned_data
        police = {"yes": True, "no": False}.get(data["reported_to_police"])
        plain = ("lat", "lon", "address", "place_type", "persons", "creates_insecurity")
        return {
            "category": self._category_code(),
            **self._times(),
            **{field: data[field] for field in plain},
            "damage_cost_sek": data["damage_cost_sek"],
            "description": data["description"],
            "reported_to_police": police,
            "sharing": data["sharing"],
            "client_id": data["client_id"],
        }

    def add_rejection(self, rejected: InputRejected) -> None:
        """Each of intake's errors next to the field it concerns."""
        renamed = dict(POSITION_FIELDS)
        if self.cleaned_data.get("when") == "window":
            renamed |= WINDOW_FIELDS
        for error in rejected.errors:
            field = renamed.get(error.field, error.field)
            if field == "position":
                if error.message not in self.position_errors:
                    self.position_errors.append(error.message)
            elif field in self.fields and field not in self.errors:
                self.add_error(field, error.message)
            elif field not in self.fields:
                self.add_error(None, error.message)

    @property
    def position_errors(self) -> list[str]:
        if not hasattr(self, "_position_errors"):
            self._position_errors: list[str] = []
        return self._position_errors


class CheckInForm(_OrganisationMixin, forms.Form):
    """The one-tap "all calm" check-in."""

    client_id = forms.CharField(required=False, max_length=100, widget=CLIENT_ID)

    def __init__(self, *args: Any, organisations: Sequence[Organisation], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._add_organisation(organisations)


LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class CorrectionForm(forms.Form):
    """The reporter's correction of his own report: every field intake takes but the photo.

    Loose like ReportForm: intake judges the values, `add_rejection` shows why.
    """

    category = forms.ChoiceField(label=_("Category"))
    occurred_at = forms.CharField(
        label=_("When it happened"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    occurred_to = forms.CharField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    lat = forms.CharField(
        label=_("Latitude"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    lon = forms.CharField(
        label=_("Longitude"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    address = ReportForm.base_fields["address"]
    place_type = ReportForm.base_fields["place_type"]
    persons = ReportForm.base_fields["persons"]
    creates_insecurity = ReportForm.base_fields["creates_insecurity"]
    reported_to_police = ReportForm.base_fields["reported_to_police"]
    damage_cost_sek = ReportForm.base_fields["damage_cost_sek"]
    description = ReportForm.base_fields["description"]
    sharing = ReportForm.base_fields["sharing"]

    def __init__(self, *args: Any, report: Report, **kwargs: Any):
        super().__init__(*args, initial=_initial(report), **kwargs)
        self.report = report
        self.fields["category"].choices = [
            (c.code, c.name) for c in Category.objects.filter(is_active=True)
        ]

    def _moment(self, field: str) -> str | None:
        """The time as typed, or the stored one if the same minute (the input has no seconds)."""
        typed = self.cleaned_data[field] or None
        stored = getattr(self.report, field)
        if stored is not None and typed == _local_minute(stored):
            return stored.isoformat()
        return typed

    def report_data(self) -> dict[str, Any]:
        """The whole report as it should now read, for `correct_report` to validate."""
        data = self.cleaned_data
        plain = ("category", "lat", "lon", "address", "place_type", "persons",
                 "creates_insecurity", "damage_cost_sek", "description", "sharing")  # fmt: skip
        return {
            **{field: data[field] for field in plain},
            "occurred_at": self._moment("occurred_at"),
            "occurred_to": self._moment("occurred_to"),
            "reported_to_police": {"yes": True, "no": False}.get(data["reported_to_police"]),
        }

    def add_rejection(self, rejected: InputRejected) -> None:
        for error in rejected.errors:
            field = error.field if error.field in self.fields else None
            if field is None or field not in self.errors:
                self.add_error(field, error.message)


def _local_minute(moment: Any) -> str:
    from django.utils import timezone

    return str(timezone.localtime(moment).strftime(LOCAL_MINUTE))


def _initial(report: Report) -> dict[str, Any]:
    police = {True: "yes", False: "no"}.get(report.reported_to_police, "")  # type: ignore[arg-type]
    return {
        "category": report.category.code,
        "occurred_at": _local_minute(report.occurred_at),
        "occurred_to": _local_minute(report.occurred_to) if report.occurred_to else "",
        "lat": report.lat,
        "lon": report.lon,
        "address": report.address,
        "place_type": report.place_type,
        "persons": report.persons,
        "creates_insecurity": report.creates_insecurity,
        "reported_to_police": police,
        "damage_cost_sek": report.damage_cost_sek,
        "description": report.description,
        "sharing": report.sharing,
    }
