"""A public promise and a follow-up as PDF: WeasyPrint from the same dict the page shows.

The lägesbild's helpers are reused: nothing is fetched but data URIs and
Trygg's own static files (LocalOnlyFetcher), and the footer text is escaped
for CSS (css_string).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from trygg.partners.models import Municipality
from trygg.situation.pdf import LocalOnlyFetcher, css_string


def _render(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, context)
    document = HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher())
    return bytes(document.write_pdf())


def promise_pdf(municipality: Municipality, promise: dict[str, Any]) -> bytes:
    """The promise `promise` (public.promise_dict with charts) as PDF bytes."""
    footer = f"{_('Citizen promise')} · {municipality.name} · {promise['period']}"
    return _render("promises/public_pdf.html", {
        "municipality": municipality, "promise": promise, "document": True,
        "footer": css_string(footer), "page_word": css_string(_("Page")),
        "generated": timezone.localtime(),
    })  # fmt: skip


def follow_up_pdf(municipality: Municipality, follow_up: dict[str, Any]) -> bytes:
    """The follow-up `follow_up` (public.follow_up_dict with charts) as PDF bytes."""
    footer = f"{_('Follow-up')} · {municipality.name} · {follow_up['made_on']}"
    return _render("promises/public_follow_up_pdf.html", {
        "municipality": municipality, "follow_up": follow_up, "document": True,
        "footer": css_string(footer), "page_word": css_string(_("Page")),
        "generated": timezone.localtime(),
    })  # fmt: skip
