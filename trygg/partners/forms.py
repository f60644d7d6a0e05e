"""Shape of HTML input: the profile page, the second factor, the admin's user forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from trygg.partners.models import TOKEN_MAX_DAYS, AuditEvent, check_token_lifetime
from trygg.partners.usernames import check_username


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the property system's export."),
    )
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year"))],
        initial=TOKEN_MAX_DAYS,
    )

    def clean_valid_days(self) -> int:
        # The same rule as the model's, should the choices ever widen.
        return check_token_lifetime(self.cleaned_data["valid_days"])


class OrganisationKeyForm(ApiTokenForm):
    """A new organisation key: whose, what for, for how long; the organisations the user manages."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    field_order = ["organisation", "name", "valid_days"]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["name"].help_text = _("The system that uses it, e.g. the fault-report app.")


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Six digits from the authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class _ChecksUsername:
    """The admin's user forms refuse a look-alike username as a form error, not a crash."""

    instance: Any
    cleaned_data: dict[str, Any]

    def clean_username(self) -> str | None:
        inherited = getattr(super(), "clean_username", None)
        username = inherited() if inherited else self.cleaned_data.get("username")
        if username:
            check_username(username, user_pk=self.instance.pk)
        return username


class UserAddForm(_ChecksUsername, AdminUserCreationForm):
    pass


class UserEditForm(_ChecksUsername, UserChangeForm):
    pass


class AuditFilterForm(forms.Form):
    """The audit log's filters, read from the query string (GET), so a view can be bookmarked."""

    person = forms.ChoiceField(label=_("Person"), required=False)
    action = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *AuditEvent.Action.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Everyone")), *people]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return cleaned
