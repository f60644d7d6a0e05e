"""GET /healthz: the process is up and serving Django. For load balancers and uptime checks.

It touches no database on purpose: a health check that fails when the
database is slow makes a balancer drop every instance at once. It is also
the trivial view the API benchmark measures against.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
