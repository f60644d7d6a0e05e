"""Back office for categories, and a read-only view of reports.

Reports are written only through trygg.reports.actions (validation, masking,
area assignment); the admin may look but never add, change or delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trygg.reports.models import Category, Report


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

    def get_readonly_fields(self, request: HttpRequest, obj: Report | None = None) -> Any:
        return [f.name for f in Report._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False
