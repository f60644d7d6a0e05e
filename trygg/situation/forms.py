"""Shape of the lägesbild's HTML input: the coordinator's assessment of a period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.situation.periods import Period, PeriodError, parse_period

MAX_ASSESSMENT = 20_000  # the action keeps this much; say so before it cuts


class AssessmentForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput, max_length=30)
    text = forms.CharField(
        label=_("Assessment"),
        required=False,
        max_length=MAX_ASSESSMENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What the group should know about this period. Write about places and "
            "situations, never name people."
        ),
    )

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
