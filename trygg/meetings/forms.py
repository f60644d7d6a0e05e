"""Shape of a meeting's HTML input: notes, attendance, an item of one's own, a decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.measures.models import Measure
from trygg.partners.models import Municipality, Organisation

DECISION_ROWS = 2  # measures one decision form offers; decide again for more


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Partners read the minutes: write about places and situations, never name people."
        ),
    )


class AddItemForm(forms.Form):
    title = forms.CharField(label=_("New agenda item"), max_length=300)


class AttendanceForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Attending organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        field.queryset = Organisation.objects.filter(municipality=municipality).order_by("name")  # type: ignore[attr-defined]


class MeasureForm(forms.Form):
    """One measure a decision creates: what, which type, who, by when."""

    title = forms.CharField(label=_("What is done"), max_length=200)
    # No type chosen beforehand: an untouched second row must read as empty, not as a measure.
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "---------"), *Measure.Kind.choices])
    responsible = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=120, required=False
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        field.queryset = Organisation.objects.filter(municipality=municipality).order_by("name")  # type: ignore[attr-defined]


class BaseDecisionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if not any(form.cleaned_data for form in self.forms if form.is_valid()):
            raise forms.ValidationError(_("Fill in at least one measure."))

    def measures(self) -> list[dict[str, Any]]:
        """The filled rows as keyword arguments of create_measure."""
        return [dict(form.cleaned_data) for form in self.forms if form.cleaned_data]


DecisionFormSet = forms.formset_factory(
    MeasureForm, formset=BaseDecisionFormSet, extra=DECISION_ROWS, max_num=10, absolute_max=10
)


def decision_formset(item_id: int, municipality: Municipality, data: Any = None) -> Any:
    return DecisionFormSet(
        data, prefix=f"item{item_id}", form_kwargs={"municipality": municipality}
    )
