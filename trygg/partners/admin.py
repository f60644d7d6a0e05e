"""Back office for partnerships: municipalities, organisations, memberships, API tokens.

Labels come from the models' verbose names. API tokens are created by their
owners (the secret is shown once); here they can only be inspected and revoked.

An administrator who is not a superuser manages people only within the rules of
trygg.partners.access (`may_manage_member`, `may_manage_membership`): never
their own account, never the superuser, staff, group or permission flags, and
no role above their own. The rules are checked when a form is cleaned, so a
hand-made POST is refused as surely as a greyed-out field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trygg.partners.access import may_manage_member, may_manage_membership
from trygg.partners.actions import revoke_api_token
from trygg.partners.forms import UserAddForm, UserEditForm
from trygg.partners.models import ApiToken, AuditEvent, Membership, Municipality, Organisation


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "meeting_cadence", "retention_months", "is_demo"]
    list_filter = ["meeting_cadence", "is_demo"]
    search_fields = ["name", "code"]


# Flags that make or unmake an administrator: only a superuser changes them.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def _is_superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


class MembershipForm(forms.ModelForm):
    """A membership as the acting user may set it; `actor` is bound per request by the admin."""

    actor: Any = None

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        before = self.instance if self.instance.pk else None
        if before is not None and not self.has_changed():
            return cleaned  # an untouched row of a page saved for another reason
        if before is not None and not _may_change(self.actor, before):
            raise ValidationError(_("You may not change this membership."))
        member, organisation, role = (cleaned.get(f) for f in ("user", "organisation", "role"))
        if member is None or organisation is None or not role:
            return cleaned
        if not may_manage_membership(
            self.actor, member=member, organisation=organisation, role=role
        ):
            raise ValidationError(_("You may not give this person this role here."))
        return cleaned


def _may_change(actor: Any, membership: Membership) -> bool:
    return may_manage_membership(
        actor,
        member=membership.user,
        organisation=membership.organisation,
        role=membership.role,
    )


class MembershipFormSet(BaseInlineFormSet):
    """Inline memberships: removing one is held to the same rule as changing it."""

    def clean(self) -> None:
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and not _may_change(self.form.actor, form.instance):
                raise ValidationError(_("You may not remove this membership."))


def _bound_form(form: type[forms.ModelForm], request: HttpRequest) -> type[forms.ModelForm]:
    return type(form.__name__, (form,), {"actor": request.user})


class BoundMembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"form": _bound_form(formset.form, request)})


class MembershipInline(BoundMembershipInline):
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        return _bound_form(super().get_form(request, obj, change, **kwargs), request)

    def has_change_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _may_change(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or _may_change(request.user, obj))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk deletion checks no row against the rules: one at a time, each checked.
        actions = super().get_actions(request)
        if not _is_superuser(request):
            actions.pop("delete_selected", None)
        return actions


class UserMembershipInline(BoundMembershipInline):
    extra = 0
    autocomplete_fields = ["organisation"]


# The stock user admin, with the user's memberships on the same page.
admin.site.unregister(User)


@admin.register(User)
class TryggUserAdmin(UserAdmin):
    inlines = [UserMembershipInline]
    # Look-alike usernames are refused here as on every other path (partners/usernames.py).
    form = UserEditForm
    add_form = UserAddForm

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        # A read-only field is left out of the form, so a posted value is ignored.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if _is_superuser(request) else [*fields, *SUPERUSER_ONLY_FIELDS]

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage_member(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_manage_member(request.user, obj))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not _is_superuser(request):
            actions.pop("delete_selected", None)
        return actions


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # The hash is left out on purpose: it is not the secret, but nothing here needs it.
    fields = ["name", "user", "hint", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    list_display = [
        "name",
        "user",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token's secret can be shown only at creation, which the owner does themselves.
        return False

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        active = list(queryset.filter(revoked_at__isnull=True))
        for token in active:
            revoke_api_token(token)
        message = ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", len(active))
        self.message_user(request, message % {"n": len(active)}, messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the system alone and never edited."""

    list_display = ["at", "actor_name", "action", "target", "municipality_id", "address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "target"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
