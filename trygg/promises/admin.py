"""Back office: promises, their versions and follow-ups, and initiatives, to look at only.

Every write goes through trygg.promises.actions, which keeps a version of each
revision of a published promise; an edit here would change a published promise
without it, so the admin may look but not add, change or delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trygg.promises.models import FollowUp, Initiative, Promise, PromiseVersion


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Promise)
class PromiseAdmin(_ReadOnly):
    list_display = ["title", "municipality", "start_year", "end_year", "status", "revision"]
    list_filter = ["status", "municipality"]


@admin.register(PromiseVersion)
class PromiseVersionAdmin(_ReadOnly):
    list_display = ["promise", "number", "created_at", "note"]
    list_select_related = ["promise"]


@admin.register(FollowUp)
class FollowUpAdmin(_ReadOnly):
    list_display = ["promise", "made_on", "revision"]
    list_select_related = ["promise"]


@admin.register(Initiative)
class InitiativeAdmin(_ReadOnly):
    list_display = ["name", "municipality", "owner", "starts_on", "ends_on"]
    list_filter = ["municipality"]
