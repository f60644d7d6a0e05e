"""The start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trygg.home import home_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"home": home_for(request.user, timezone.localdate())})
