from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trygg.partners.access import may_read_audit_log, municipalities_for, standing_of


def partnership(request: HttpRequest) -> dict[str, Any]:
    """Template context: the user's standing and whether any data shown is demo data."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"standing": None, "shows_demo_data": False, "reads_audit_log": False}
    municipalities = municipalities_for(user)
    return {
        "standing": standing_of(user),
        "shows_demo_data": any(m.is_demo for m in municipalities),
        "reads_audit_log": may_read_audit_log(user),
    }
