"""File downloads every app's exports answer with: content types, the attachment, its language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

LANGUAGES = ("sv", "en")
TABLE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
GEOJSON = "application/geo+json"


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    """`content` as a file to save under `name`, never kept by a shared cache."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # A partnership's counts or reports: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def export_language(request: HttpRequest) -> str:
    """The language an export's words are in: `?lang=en`, else Swedish."""
    lang = request.GET.get("lang", "sv")
    return lang if lang in LANGUAGES else "sv"
