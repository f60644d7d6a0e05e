"""Back office for categories, and a read-only view of reports.

Reports are written only through trygg.reports.actions (validation, masking,
area assignment); the admin may look but never add, change or delete. What it
shows is what trygg.reports.access shows on the site: only reports the viewer
may see, their free text only where `record_details_shown` allows, and audited there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from trygg.reports.access import record_details_shown, visible_reports
from trygg.reports.models import Category, Report
from trygg.reports.records import PRIVATE_FIELDS

# Where change_view leaves its decision for get_fields, which Django calls several times.
DETAILS_FLAG = "_trygg_report_details"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sv", "name_en", "colour", "is_active", "group", "sort_order"]
    list_editable = ["name_sv", "name_en", "colour", "is_active"]
    list_filter = ["is_active", "group"]
    search_fields = ["code", "name_sv", "name_en"]

    def get_readonly_fields(self, request: HttpRequest, obj: Category | None = None) -> Any:
        # Trends and imports compare by code: once created it must not change.
        return ["code"] if obj is not None else []


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "category", "area", "organisation", "source", "status"]
    list_filter = ["municipality", "source", "status", "category"]
    list_select_related = ["category", "area", "organisation"]
    # Counting a million rows on every page load is slow and tells nothing.
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return visible_reports(request.user).order_by("-occurred_at")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Decided (and audited) once per page, for exactly the report about to be shown.
        report = self.get_object(request, unquote(object_id))
        if report is not None:
            setattr(request, DETAILS_FLAG, record_details_shown(request.user, [report])[0])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fields(self, request: HttpRequest, obj: Report | None = None) -> Any:
        shown = getattr(request, DETAILS_FLAG, False)
        hidden = () if shown else PRIVATE_FIELDS
        return [f.name for f in Report._meta.fields if f.name not in hidden]

    def get_readonly_fields(self, request: HttpRequest, obj: Report | None = None) -> Any:
        return self.get_fields(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False
