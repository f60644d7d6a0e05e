"""Forms of the coordinator's promise pages: they parse; the rules are in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.geo.models import Area
from trygg.measures.models import Measure
from trygg.partners.models import Municipality, Organisation
from trygg.promises.models import Activity, Indicator, Initiative, Owner, Promise
from trygg.reports.models import Category

YEAR = {"min_value": 2000, "max_value": 2100}


class PromiseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), **YEAR)
    end_year = forms.IntegerField(label=_("Final year"), **YEAR)
    situation = forms.CharField(
        label=_("The situation today"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    situation_sources = forms.CharField(
        label=_("Sources of the situation today"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the police's local survey, reported crime statistics, Trygg's reports."),
    )
    follow_up_months = forms.IntegerField(
        label=_("Follow up every (months)"), min_value=1, max_value=12, initial=12
    )


class RevisePromiseForm(PromiseForm):
    note = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=300,
        help_text=_("Kept with the new version when the promise is published."),
    )


class _OnThePromisePage(forms.Form):
    """A form shown beside others on the promise's page: its own ids, so none repeat."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class FocusAreaForm(_OnThePromisePage):
    id_prefix = "focus"
    title = forms.CharField(label=_("Focus area"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _focus_choice(promise: Promise) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Focus area"),
        queryset=promise.focus_areas.all(),
        required=False,
        empty_label=_("(none)"),
    )


class CommitmentForm(_OnThePromisePage):
    id_prefix = "commitment"
    owner = forms.ChoiceField(label=_("Owned by"), choices=Owner.choices)
    text = forms.CharField(
        label=_("We will"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, promise: Promise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus_area"] = _focus_choice(promise)


def _organisations(municipality_id: int) -> Any:
    return Organisation.objects.filter(municipality_id=municipality_id)


class ActivityForm(_OnThePromisePage):
    id_prefix = "activity"
    what = forms.CharField(label=_("What"), max_length=300)
    responsible = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=120, required=False
    )
    when = forms.CharField(
        label=_("When"), max_length=100, required=False, help_text=_("E.g. spring 2024.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    measure = forms.ModelChoiceField(
        label=_("It is the measure"),
        queryset=Measure.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("Its status then follows the measure."),
    )
    initiative = forms.ModelChoiceField(
        label=_("Part of the initiative"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )

    def __init__(self, *args: Any, promise: Promise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = promise.municipality_id
        self.fields["commitment"] = forms.ModelChoiceField(
            label=_("Commitment"), queryset=promise.commitments.all()
        )
        self.order_fields(["commitment"])
        self.fields["responsible"].queryset = _organisations(municipality_id)  # type: ignore[attr-defined]
        self.fields["measure"].queryset = Measure.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id
        ).order_by("title")
        self.fields["initiative"].queryset = Initiative.objects.filter(  # type: ignore[attr-defined]
            municipality_id=municipality_id
        )


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    goal = forms.CharField(
        label=_("Goal"),
        max_length=300,
        required=False,
        help_text=_("In words, e.g. no increase in reported assaults compared with 2018."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    every = forms.ChoiceField(label=_("Measured"), choices=Indicator.Every.choices)
    baseline_year = forms.IntegerField(label=_("Baseline year"), **YEAR)
    baseline_value = forms.DecimalField(
        label=_("Baseline value"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty for a computed indicator to count the baseline year."),
    )
    target_value = forms.DecimalField(label=_("Target value"), max_digits=12, decimal_places=2)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("For one entered by hand: e.g. reported crime statistics (BRÅ)."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories counted"),
        queryset=Category.objects.filter(is_incident=True, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: every incident."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas counted"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the whole municipality."),
    )
    hour_from = forms.IntegerField(label=_("From hour"), min_value=0, max_value=23, required=False)
    hour_to = forms.IntegerField(
        label=_("Until hour"),
        min_value=1,
        max_value=24,
        required=False,
        help_text=_("Only events that began in these hours; 23 until 2 runs past midnight."),
    )

    def __init__(self, *args: Any, promise: Promise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus_area"] = _focus_choice(promise)
        self.fields["areas"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            municipality_id=promise.municipality_id
        ).defer("geometry")


class ValueForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_("A year (2024) or a quarter (2024-Q3).")
    )
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class SignatoryForm(_OnThePromisePage):
    id_prefix = "signatory"
    name = forms.CharField(label=_("Name"), max_length=120)
    role = forms.CharField(label=_("Job title"), max_length=200)
    signed_on = forms.DateField(
        label=_("Signed"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, promise: Promise, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Organisation"),
            queryset=_organisations(promise.municipality_id),
            required=False,
            empty_label=_("(none)"),
        )


class FollowUpForm(forms.Form):
    made_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    narrative = forms.CharField(
        label=_("How it goes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In plain Swedish: citizens read it."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Why"), max_length=300, required=False)


class InitiativeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("What it is"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("A function or a role's address, e.g. the association's office."),
    )
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    link = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _organisations(municipality.pk)  # type: ignore[attr-defined]


class FigureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), **YEAR)
    sessions = forms.IntegerField(label=_("Sessions held"), min_value=0, required=False)
    participants = forms.IntegerField(label=_("Participants counted"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def part_form(
    model: type, promise: Promise, fields: tuple[str, ...], data: Any = None, initial: Any = None
) -> forms.ModelForm:
    """A form for revising one part of a promise: its editable fields, choices from its town.

    Built without the instance, so validating it never touches the row: the
    change itself is the action's (`update_part`), which keeps the version.
    """
    form_class = forms.modelform_factory(model, fields=fields)
    form = form_class(data, initial=initial)
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        names = {f.name for f in queryset.model._meta.get_fields()}
        if "promise" in names:
            field.queryset = queryset.filter(promise=promise)  # type: ignore[attr-defined]
        elif "municipality" in names:
            field.queryset = queryset.filter(  # type: ignore[attr-defined]
                municipality_id=promise.municipality_id
            )
    return form
