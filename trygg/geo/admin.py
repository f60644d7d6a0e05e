"""Back office for areas, with an upload of GeoJSON files (one area per feature).

An area's change page shows its stored outline on a map (trygg/static/trygg/area_admin.js).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from trygg.geo.actions import import_areas
from trygg.geo.forms import AreaAdminForm, AreaUploadForm
from trygg.geo.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["name", "kind", "municipality", "priority", "deso_code", "updated_at"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name", "deso_code", "regso_code"]
    list_select_related = ["municipality"]
    change_list_template = "admin/geo/area/change_list.html"
    # Draws the stored outline on a map above the GeoJSON field (read-only).
    change_form_template = "admin/geo/area/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="geo_area_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        # An upload may replace existing areas' geometry, so it needs both permissions.
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = AreaUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            created, updated = import_areas(
                municipality=form.cleaned_data["municipality"],
                shapes=form.cleaned_data["shapes"],
                kind=form.cleaned_data["kind"],
            )
            message = _("%(created)d areas created, %(updated)d updated.")
            self.message_user(
                request, message % {"created": created, "updated": updated}, messages.SUCCESS
            )
            return redirect("admin:geo_area_changelist")
        return TemplateResponse(
            request, "admin/geo/area/upload.html", self.upload_context(request, form)
        )

    def upload_context(self, request: HttpRequest, form: AreaUploadForm) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Upload areas from GeoJSON"),
        }
