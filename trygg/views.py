"""The start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trygg.home import home_for
from trygg.partners.visits import previous_visit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    since = previous_visit(request)
    return render(
        request, "home.html", {"home": home_for(request.user, timezone.localdate(), since)}
    )
