"""Back office for partnerships: municipalities, organisations, memberships, API tokens.

Labels come from the models' verbose names. API tokens are created by their
owners (the secret is shown once); here they can only be inspected and revoked.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trygg.partners.actions import revoke_api_token
from trygg.partners.forms import UserAddForm, UserEditForm
from trygg.partners.models import ApiToken, AuditEvent, Membership, Municipality, Organisation


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "meeting_cadence", "retention_months", "is_demo"]
    list_filter = ["meeting_cadence", "is_demo"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
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
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


class UserMembershipInline(admin.TabularInline):
    model = Membership
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
