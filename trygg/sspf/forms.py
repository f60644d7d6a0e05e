"""Shape of the SSPF coordinator's HTML input. The rules live in actions.py and access.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from trygg.sspf.models import (
    NOTE_MAX_LENGTH,
    PLAN_TEXT_MAX_LENGTH,
    AgeBand,
    Concern,
    Meeting,
    OrganisationKind,
    Outcome,
    PlanItem,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCOPE_ROWS = 6


class CaseForm(forms.Form):
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    school_unit = forms.CharField(label=_("School unit"), max_length=120)
    concern = forms.ChoiceField(label=_("Concern"), choices=Concern.choices)
    name = forms.CharField(
        label=_("Name (optional)"), max_length=150, required=False,
        help_text=_("Only if your municipality needs it. Stored encrypted and shown only to "
                    "the coordinator and the participants named in the consent."),
    )  # fmt: skip


class ConsentForm(forms.Form):
    by_guardian_1 = forms.BooleanField(label=_("Guardian 1 consented"), required=False)
    by_guardian_2 = forms.BooleanField(label=_("Guardian 2 consented"), required=False)
    sole_custody = forms.BooleanField(label=_("Guardian 1 has sole custody"), required=False)
    by_young_person = forms.BooleanField(label=_("The young person consented"), required=False)
    given_on = forms.DateField(label=_("Date of consent"), widget=DATE)
    expires_on = forms.DateField(label=_("Valid until"), widget=DATE)
    document_reference = forms.CharField(
        label=_("Document reference"), max_length=100,
        help_text=_("Where the signed consent is kept, e.g. a registration number. "
                    "Write no names. Stored encrypted."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [("", "—"), *OrganisationKind.choices]
        for row in range(1, SCOPE_ROWS + 1):
            self.fields[f"kind_{row}"] = forms.ChoiceField(
                label=_("Organisation %(n)d") % {"n": row}, choices=kinds, required=False
            )
            self.fields[f"organisation_{row}"] = forms.CharField(
                label=_("Name of organisation %(n)d") % {"n": row}, max_length=150,
                required=False, help_text=_("The organisation or unit; write no names."),
            )  # fmt: skip
            self.fields[f"person_{row}"] = forms.CharField(
                label=_("Person %(n)d (user name)") % {"n": row}, max_length=150, required=False
            )

    def scope_rows(self) -> list[tuple[Any, Any, Any]]:
        """(kind, organisation name, person) field triples, for the template's table."""
        return [
            (self[f"kind_{n}"], self[f"organisation_{n}"], self[f"person_{n}"])
            for n in range(1, SCOPE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope = []
        users = get_user_model().objects.filter(is_active=True)
        for row in range(1, SCOPE_ROWS + 1):
            kind, person = data.get(f"kind_{row}"), (data.get(f"person_{row}") or "").strip()
            if not kind:
                if person:
                    self.add_error(f"kind_{row}", _("Choose the person's organisation."))
                continue
            user = users.filter(username=person).first() if person else None
            if person and user is None:
                self.add_error(f"person_{row}", _("No active user has this user name."))
            scope.append((kind, data.get(f"organisation_{row}", ""), user))
        data["scope"] = scope
        return data


class ParticipantForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("Person named in the consent"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = choices


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (value, label)
            for value, label in Outcome.choices
            if value not in (Outcome.CONSENT_WITHDRAWN, Outcome.CONSENT_EXPIRED, Outcome.NO_CONSENT)
        ],
    )


class GrantForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)

    def clean_username(self) -> Any:
        user = (
            get_user_model()
            .objects.filter(username=self.cleaned_data["username"].strip(), is_active=True)
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user


def participant_label(participant: Any) -> str:
    user = participant.user
    return (
        f"{user.get_full_name() or user.username} ({participant.get_organisation_kind_display()})"
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    attendees = forms.TypedMultipleChoiceField(
        label=_("Participants attending"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    guardians_present = forms.BooleanField(label=_("Guardians attend"), required=False)
    young_person_present = forms.BooleanField(label=_("The young person attends"), required=False)

    def __init__(self, *args: Any, participants: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {p.pk: p for p in participants}
        self.fields["attendees"].choices = [(p.pk, participant_label(p)) for p in participants]

    def clean_attendees(self) -> list[Any]:
        return [self.participants[pk] for pk in self.cleaned_data["attendees"]]


class PlanItemForm(forms.Form):
    goal = forms.CharField(label=_("Goal"), max_length=PLAN_TEXT_MAX_LENGTH)
    action = forms.CharField(label=_("Action"), max_length=PLAN_TEXT_MAX_LENGTH)
    owner_kind = forms.ChoiceField(
        label=_("Responsible organisation"), choices=OrganisationKind.choices
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE, required=False)


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanItem.Status.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Logistics only, at most 500 characters. No names, and nothing about the "
                    "young person's situation: that belongs in your own journal."),
    )  # fmt: skip


class RetentionForm(forms.Form):
    purge_after_months = forms.IntegerField(
        label=_("Delete closed cases after (months)"), min_value=1, max_value=120
    )
    audit_months = forms.IntegerField(
        label=_("Keep the access log of deleted cases (months)"), min_value=1, max_value=120
    )
