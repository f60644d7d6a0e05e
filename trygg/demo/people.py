"""Demo organisations and logins of the Östersund partnership (password `demo`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission, User
from django.db import models

from trygg.partners.models import Membership, Municipality, Organisation, Role

PASSWORD = "demo"
Kind = Organisation.Kind

# key: (name, kind). Companies that are not public bodies are named as demo.
ORGANISATIONS = {
    "polis": ("Polisen LPO Östersund", Kind.POLICE),
    "kommun": ("Östersunds kommun", Kind.MUNICIPALITY),
    "bostad": ("Östersundshem (demo)", Kind.PROPERTY_OWNER),
    "bostad2": ("Bostadsbolaget Demo", Kind.PROPERTY_OWNER),
    "vakt": ("Vaktbolaget Demo", Kind.BUSINESS),
    "natt": ("Nattvandring Östersund", Kind.VOLUNTEER),
}

# username: (organisation key, role)
USERS = {
    "samordnare": ("kommun", Role.COORDINATOR),
    "polis": ("polis", Role.COORDINATOR),
    "fastighet": ("bostad", Role.REPORTER),
    "fastighet2": ("bostad2", Role.REPORTER),
    "nattvandrare": ("natt", Role.REPORTER),
    "partner": ("vakt", Role.PARTNER),
    "admin": ("kommun", Role.ADMIN),
}
# Who files each organisation's synthetic reports.
REPORTER_OF = {
    "polis": "polis",
    "kommun": "samordnare",
    "bostad": "fastighet",
    "bostad2": "fastighet2",
    "natt": "nattvandrare",
    "vakt": "partner",
}
# The back-office administrator may manage these, and nothing else (not superuser).
ADMIN_MODELS = [
    ("partners", "municipality"),
    ("partners", "organisation"),
    ("partners", "membership"),
    ("auth", "user"),
    ("geo", "area"),
    ("reports", "category"),
    ("policeevents", "policeeventtype"),
    ("policeevents", "policeevent"),
]


def sync(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set and save only the fields that differ, so a second run changes nothing."""
    changed = [f for f, v in values.items() if getattr(instance, f) != v]
    for field in changed:
        setattr(instance, field, values[field])
    if changed:
        # update_fields skips auto_now fields unless named; the area index
        # notices changed areas by their updated_at.
        stamps = [f.name for f in instance._meta.fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=changed + stamps)
    return bool(changed)


def ensure_organisations(municipality: Municipality) -> dict[str, Organisation]:
    orgs = {}
    for key, (name, kind) in ORGANISATIONS.items():
        org, _ = Organisation.objects.get_or_create(
            municipality=municipality, name=name, defaults={"kind": kind}
        )
        sync(org, {"kind": kind})
        orgs[key] = org
    return orgs


def ensure_user(username: str, organisation: Organisation, role: str) -> User:
    user, created = User.objects.get_or_create(username=username)
    # Checking costs a password hash per user, but resets a demo login someone changed.
    if created or not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    sync(membership, {"role": role})
    return user


def grant_admin(user: User) -> None:
    """Staff access to the back office with model permissions for the admin's models."""
    sync(user, {"is_staff": True, "is_superuser": False})
    wanted = models.Q()
    for app_label, model in ADMIN_MODELS:
        wanted |= models.Q(content_type__app_label=app_label, content_type__model=model)
    user.user_permissions.add(*Permission.objects.filter(wanted))


def ensure_people(municipality: Municipality) -> tuple[dict[str, Organisation], dict[str, User]]:
    orgs = ensure_organisations(municipality)
    users = {
        username: ensure_user(username, orgs[org], role) for username, (org, role) in USERS.items()
    }
    grant_admin(users["admin"])
    return orgs, users
