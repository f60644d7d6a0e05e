"""The minutes as a PDF: WeasyPrint from the same read model the minutes page shows."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from trygg.meetings.minutes import Minutes
from trygg.situation.pdf import LocalOnlyFetcher, css_string


def render_minutes_pdf(minutes: Minutes) -> bytes:
    meeting = minutes.meeting
    context = {
        "minutes": minutes,
        "generated": timezone.localtime(),
        "footer": css_string(
            f"Trygg · {meeting.municipality.name} · {meeting.held_on.isoformat()}"
        ),
        "page_word": css_string(_("Page")),
    }
    html = render_to_string("meetings/minutes_pdf.html", context)
    # Never the network: LocalOnlyFetcher refuses every URL but data: and Trygg's static files.
    document = HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher())
    return bytes(document.write_pdf())
