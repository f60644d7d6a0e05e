"""The mapping of police event types to our groups (editable), and the notices (read only).

A type the feed brings that nobody has mapped is listed under the filter
"Needs mapping"; saving a type marks it mapped.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from trygg.policeevents.actions import map_event_type
from trygg.policeevents.models import PoliceEvent, PoliceEventType


class NeedsMappingFilter(admin.SimpleListFilter):
    title = _("mapping")
    parameter_name = "mapping"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("needed", _("Needs mapping")), ("done", _("Mapped"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "needed":
            return queryset.needs_mapping()
        if self.value() == "done":
            return queryset.filter(reviewed=True)
        return queryset


@admin.register(PoliceEventType)
class PoliceEventTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "counted", "reviewed", "event_count"]
    list_filter = [NeedsMappingFilter, "counted", "group"]
    search_fields = ["name"]
    fields = ["name", "group", "counted", "reviewed", "first_seen"]
    readonly_fields = ["name", "reviewed", "first_seen"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PoliceEventType]:
        return super().get_queryset(request).annotate(n=Count("events")).select_related("group")

    @admin.display(description=_("notices"), ordering="n")
    def event_count(self, obj: PoliceEventType) -> int:
        return obj.n  # type: ignore[attr-defined,no-any-return]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # types come from the feed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: PoliceEventType, form: Any, change: bool
    ) -> None:
        map_event_type(event_type=obj, group=obj.group, counted=obj.counted)


class TypeNeedsMappingFilter(NeedsMappingFilter):
    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in {"needed", "done"}:
            return queryset.filter(event_type__reviewed=self.value() == "done")
        return queryset


@admin.register(PoliceEvent)
class PoliceEventAdmin(admin.ModelAdmin):
    """Read only: the feed is the source, and an import or poll brings any change."""

    list_display = ["published_at", "name", "event_type", "location_name", "level"]
    list_filter = [TypeNeedsMappingFilter, "level", "event_type__counted", "event_type"]
    list_select_related = ["event_type"]
    search_fields = ["name", "location_name", "municipality_code"]
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
