"""A small partnership with named people of every role, for tests.

Östersund-like municipality 2380 with a square boundary and three areas:
Centrum (west half, with a hole: the park), Lugnvik (east half) and the
park inside Centrum's hole, which belongs to no area on purpose.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.test import TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.geo.models import Area
from trygg.partners.access import must_use_two_factor
from trygg.partners.models import Membership, Municipality, Organisation, Role

# Square boundary around central Östersund (lon 14.60–14.70, lat 63.15–63.20).
WEST, EAST, SOUTH, NORTH = 14.60, 14.70, 63.15, 63.20
MID = 14.65


def square(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


BOUNDARY = {"type": "Polygon", "coordinates": [square(WEST, SOUTH, EAST, NORTH)]}
CENTRUM = {
    "type": "Polygon",
    "coordinates": [square(WEST, SOUTH, MID, NORTH), square(14.62, 63.17, 14.63, 63.18)[::-1]],
}
LUGNVIK = {"type": "Polygon", "coordinates": [square(MID, SOUTH, EAST, NORTH)]}
INSIDE_CENTRUM = (63.16, 14.61)  # lat, lon
INSIDE_LUGNVIK = (63.16, 14.68)
IN_THE_HOLE = (63.175, 14.625)
OUTSIDE = (63.30, 14.65)

PEOPLE = {
    # username: (organisation key, role)
    "anna": ("kommun", Role.COORDINATOR),  # municipal safety coordinator
    "petra": ("polis", Role.COORDINATOR),  # police analyst
    "karl": ("bostad", Role.REPORTER),  # property-company caretaker
    "kim": ("bostad2", Role.REPORTER),  # caretaker at the other housing company
    "nils": ("natt", Role.REPORTER),  # night-walk volunteer
    "sara": ("vakt", Role.PARTNER),  # security company partner
    "greta": ("kommun", Role.STEERING),  # steering group manager
    "adam": ("kommun", Role.ADMIN),  # system administrator
    "erik": ("elsewhere", Role.COORDINATOR),  # coordinator in another municipality
}


def build_world() -> SimpleNamespace:
    world = SimpleNamespace()
    world.ostersund = Municipality.objects.create(code="2380", name="Östersund", boundary=BOUNDARY)
    world.krokom = Municipality.objects.create(code="2309", name="Krokom")
    orgs = {
        "kommun": (world.ostersund, "Östersunds kommun", Organisation.Kind.MUNICIPALITY),
        "polis": (world.ostersund, "Polisen LPO Östersund", Organisation.Kind.POLICE),
        "bostad": (world.ostersund, "Bostaden", Organisation.Kind.PROPERTY_OWNER),
        "bostad2": (world.ostersund, "Hyresbolaget", Organisation.Kind.PROPERTY_OWNER),
        "natt": (world.ostersund, "Nattvandring Östersund", Organisation.Kind.VOLUNTEER),
        "vakt": (world.ostersund, "Vaktbolaget", Organisation.Kind.BUSINESS),
        "elsewhere": (world.krokom, "Krokoms kommun", Organisation.Kind.MUNICIPALITY),
    }
    world.orgs = {
        key: Organisation.objects.create(municipality=m, name=name, kind=kind)
        for key, (m, name, kind) in orgs.items()
    }
    world.centrum = Area.objects.create(
        municipality=world.ostersund, name="Centrum", kind="centrum", geometry=CENTRUM
    )
    world.lugnvik = Area.objects.create(
        municipality=world.ostersund, name="Lugnvik", kind="residential", geometry=LUGNVIK
    )
    for username, (org, role) in PEOPLE.items():
        user = User.objects.create_user(username, password="secret-pass-123")
        Membership.objects.create(user=user, organisation=world.orgs[org], role=role)
        setattr(world, username, user)
    world.otto = User.objects.create_user("otto", password="secret-pass-123")  # outsider
    return world


def report_data(**overrides: Any) -> dict[str, Any]:
    lat, lon = INSIDE_CENTRUM
    data: dict[str, Any] = {"category": "graffiti", "lat": lat, "lon": lon}
    data.update(overrides)
    return data


def authenticator_of(user: User) -> TOTPDevice:
    """The user's phone app, as a confirmed TOTP device (made on first use)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="phone", defaults={"confirmed": True}
    )
    return device


def code_from(device: TOTPDevice) -> str:
    """The six digits the phone app shows right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Any, user: User) -> None:
    """Log `user` in as a finished login would: password, and the second factor where needed."""
    client.force_login(user)
    if must_use_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
        session.save()


class TryggTestCase(TestCase):
    """Sets up the world once per class; each test sees it as self.w."""

    w: SimpleNamespace

    @classmethod
    def setUpTestData(cls) -> None:
        cls.w = build_world()
