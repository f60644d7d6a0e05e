"""Hostile input straight into the write actions, below the API's pydantic layer.

What the web form, the API and future importers all rely on: a value is either
stored as given (after the documented stripping and masking) or the whole
call is refused with an error naming the field, and a refusal writes nothing,
not a report and not a rollup count. tests/reports/test_api_fuzz.py covers
the HTTP side; here values come in the Python types a form or importer hands
over (naive and aware datetimes, floats for integers, lone surrogates) that
JSON cannot carry.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from datetime import timezone as fixed_zone
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.reports.test_masking import licence_plates, personal_numbers, phone_numbers
from tests.world import EAST, NORTH, SOUTH, WEST, build_world
from trygg.core.errors import InputRejected
from trygg.reports.actions import submit_report, submit_reports
from trygg.reports.intake import CLOCK_SKEW, MAX_WINDOW
from trygg.reports.masking import mask_personal_data
from trygg.reports.models import DailyCount, Report

# Every example runs its own transaction; the shared world is built once per class.
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BATCH_FUZZ = settings(FUZZ, max_examples=50)

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "'; DROP TABLE reports_report; --",
    "' OR 1=1 --",
    "Robert'); DELETE FROM auth_user;--",
    "\u202eevil\u202c",
    "🙂" * 50,
    "e\u0301" * 20,
    "\x01\x07\x1b[31m\x7f",
    "\t\r\n  padded  \n",
    "ring 070-123 45 67, pnr 19811218-9876, bil ABC 123",
    "Pnr 850101–1234, 850101.1234, 850101/1234, ８５０１０１－１２３４",
    "ring (070) 123 45 67 eller 070.123.45.67, bil ABC-123",
    "ﬁ" * 200,
    "ABC 123 " * 25,
]
# Points surely inside (or outside) the world's square boundary, EDGE degrees from it: the
# square is straight in WGS84 but tested in SWEREF 99 TM, where its edges bend by metres.
EDGE = 0.002
inside_lat = st.floats(SOUTH + EDGE, NORTH - EDGE)
inside_lon = st.floats(WEST + EDGE, EAST - EDGE)
ZONES = [UTC, ZoneInfo("Europe/Stockholm"), fixed_zone(timedelta(hours=14)), None]


def _past(now: datetime):
    """Moments at least a minute old and well inside the 365-day limit, naive or aware."""
    return st.builds(
        lambda seconds, zone: _in_zone(now - timedelta(seconds=seconds), zone),
        st.integers(60, 360 * 86400),
        st.sampled_from(ZONES),
    )


def _in_zone(moment: datetime, zone):
    if zone is None:  # a naive time is local time, as a form or spreadsheet gives it
        return timezone.make_naive(moment, ZoneInfo(django_settings.TIME_ZONE))
    return moment.astimezone(zone)


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        return value.replace(tzinfo=ZoneInfo(django_settings.TIME_ZONE))
    return value


def good_values(now: datetime):
    """Per field, values the action must store."""
    text = st.one_of(
        st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=60),
        st.sampled_from(HOSTILE_TEXT),
    )
    return {
        "description": st.one_of(text, st.just("x" * 5000)),
        "address": st.one_of(text.map(lambda t: t[:200]), st.just("å" * 200)),
        "client_id": text.map(lambda t: t[:100]),
        "persons": st.one_of(st.integers(0, 1000), st.integers(0, 1000).map(float)),
        "damage_cost_sek": st.one_of(
            st.sampled_from([0, 100_000_000, "250"]), st.integers(0, 100_000_000)
        ),
        "lat": st.one_of(inside_lat, inside_lat.map(repr)),
        "lon": st.one_of(inside_lon, inside_lon.map(repr)),
        "occurred_at": st.one_of(_past(now), _past(now).map(lambda d: d.isoformat())),
        "sharing": st.sampled_from(list(Report.Sharing.values)),
        "place_type": st.sampled_from(list(Report.PlaceType.values)),
        "creates_insecurity": st.sampled_from(list(Report.Assessment.values)),
        "reported_to_police": st.booleans(),
    }


def bad_values(now: datetime):
    """Per field, values the action must refuse, naming the field(s) in the second place."""
    nonfinite = st.sampled_from([math.nan, math.inf, -math.inf, "nan", "inf", "1e400"])
    wrong_type = st.sampled_from([True, [], {}, b"63.1", object()])
    return {
        "description": st.one_of(
            st.just("x" * 5001),
            st.text(min_size=1, max_size=20).map(lambda t: t + "\x00" + t),
            st.just("lone \ud800 surrogate"),
            st.sampled_from([17, ["a"], {"a": 1}]),
        ),
        "address": st.one_of(st.just("a" * 201), st.just("\x00"), st.just("\udfff")),
        "client_id": st.one_of(st.just("c" * 101), st.just("id\x00"), st.just(42)),
        "persons": st.one_of(
            st.integers(max_value=-1),
            st.integers(min_value=1001),
            st.sampled_from([2.5, -0.5, "three", "1e3x"]),
            nonfinite,
            wrong_type,
        ),
        "damage_cost_sek": st.one_of(
            st.integers(max_value=-1),
            st.integers(min_value=100_000_001),
            st.floats(0, 1e6).filter(lambda f: not f.is_integer()),
            nonfinite,
            wrong_type,
        ),
        "lat": st.one_of(
            st.floats(min_value=90, exclude_min=True),
            st.floats(max_value=-90, exclude_max=True),
            st.floats(-90, SOUTH - EDGE),  # in range, surely south of the municipality
            nonfinite,
            wrong_type,
            st.just("63,16"),
        ),
        "lon": st.one_of(
            st.floats(min_value=180, exclude_min=True),
            st.floats(EAST + EDGE, 180),  # in range, surely east of the municipality
            nonfinite,
            wrong_type,
        ),
        "occurred_at": st.one_of(
            st.integers(3600, 10**9).map(lambda s: now + timedelta(seconds=s)),
            st.integers(367, 30_000).map(lambda d: now - timedelta(days=d)),
            st.sampled_from(
                [
                    "2026-02-30T10:00",
                    "0001-01-01T00:00:00+14:00",
                    "9999-12-31T23:59:59",
                    "yesterday",
                    datetime(1, 1, 1, tzinfo=fixed_zone(timedelta(hours=14))),
                    datetime.max,
                    20261120,
                    True,
                ]
            ),
        ),
        "sharing": st.sampled_from(["everyone", "PUBLIC", 1, ["public"]]),
        "place_type": st.sampled_from(["moon", " park", 0]),
        "creates_insecurity": st.sampled_from(["maybe", True]),
        "reported_to_police": st.sampled_from(["yes", 1, 0, "false"]),
        "category": st.sampled_from(["ufo", "GRAFFITI", 7, ["graffiti"], "graffiti\x00"]),
    }


# A bad latitude or longitude can also be refused as a position outside the municipality,
# which intake reports under "lat" (README: field "lat" for a point outside).
NAMED_AS = {"lat": {"lat"}, "lon": {"lon", "lat"}}


@st.composite
def reports(draw, now: datetime, *, bad: bool):
    """(data, fields that are bad) with a few fields from the good set and maybe one bad one."""
    good = good_values(now)
    data = {"category": "graffiti", "lat": draw(good["lat"]), "lon": draw(good["lon"])}
    for field in draw(st.sets(st.sampled_from(sorted(good)), max_size=6)):
        data[field] = draw(good[field])
    bad_fields: set[str] = set()
    if bad:
        field = draw(st.sampled_from(sorted(bad_values(now))))
        data[field] = draw(bad_values(now)[field])
        bad_fields.add(field)
    return data, bad_fields


def _window(now: datetime):
    """An occurred_at/occurred_to pair and whether it is valid (end after start, ≤ 14 days)."""
    return st.builds(
        lambda start_ago, length: (
            {"occurred_at": now - start_ago, "occurred_to": now - start_ago + length},
            timedelta(0) < length <= min(MAX_WINDOW, start_ago + CLOCK_SKEW),
        ),
        st.timedeltas(timedelta(minutes=10), timedelta(days=300)),
        st.timedeltas(timedelta(days=-3), timedelta(days=20)),
    )


def _distinct_client_id(index: int, data: dict, bad_fields: set[str]) -> dict:
    """The item with a client id of its own: a repeated one is (rightly) stored only once."""
    if "client_id" not in data or "client_id" in bad_fields:
        return data
    return {**data, "client_id": f"b{index}"}


def _rollup_total() -> int:
    return DailyCount.objects.aggregate(n=Sum("n"))["n"] or 0


class WriteFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        cls.org = cls.w.orgs["bostad"]

    def assert_stored_as_given(self, report: Report, data: dict) -> None:
        """The row in the database holds each given field after stripping and masking."""
        stored = Report.objects.select_related("category").get(pk=report.pk)
        self.assertEqual(stored.category.code, data["category"])
        self.assertEqual((stored.lat, stored.lon), (float(data["lat"]), float(data["lon"])))
        for field, limit in (("description", None), ("address", 200)):
            if data.get(field):
                masked = mask_personal_data(data[field].strip())[:limit]
                self.assertEqual(getattr(stored, field), masked)
        if data.get("client_id"):
            self.assertEqual(stored.client_id, data["client_id"].strip())
        for field in ("persons", "damage_cost_sek"):
            if field in data:
                self.assertEqual(getattr(stored, field), int(float(data[field])))
        for field in ("sharing", "place_type", "creates_insecurity", "reported_to_police"):
            if field in data:
                self.assertEqual(getattr(stored, field), data[field])
        for field in ("occurred_at", "occurred_to"):
            if field in data:
                # Timestamps, not ==: aware datetimes in a DST fold never compare equal
                # across zones (PEP 495), though they name the same instant.
                expected = _aware(data[field]).timestamp()
                self.assertEqual(getattr(stored, field).timestamp(), expected)
        self.assertEqual(stored.organisation, self.org)
        self.assertEqual(stored.municipality, self.w.ostersund)

    def assert_refused_naming(self, caught: InputRejected, allowed: set[str], before) -> None:
        fields = {e.field for e in caught.errors}
        self.assertTrue(fields, "a refusal names at least one field")
        self.assertLessEqual(fields, allowed, caught.errors)
        self.assertEqual((Report.objects.count(), _rollup_total()), before)

    def counts(self):
        return Report.objects.count(), _rollup_total()

    @FUZZ
    @given(data=st.data())
    def test_it_stores_a_good_report_as_given(self, data):
        now = timezone.now()
        report_in, _ = data.draw(reports(now, bad=False))
        before = self.counts()
        report, created = submit_report(organisation=self.org, by=self.w.karl, data=report_in)
        self.assertTrue(created)
        self.assert_stored_as_given(report, report_in)
        self.assertEqual(self.counts(), (before[0] + created, before[1] + created))

    @FUZZ
    @given(data=st.data())
    def test_it_refuses_a_bad_value_naming_its_field_and_writes_nothing(self, data):
        now = timezone.now()
        report_in, bad_fields = data.draw(reports(now, bad=True))
        (field,) = bad_fields
        before = self.counts()
        with self.assertRaises(InputRejected) as caught:
            submit_report(organisation=self.org, by=self.w.karl, data=report_in)
        self.assert_refused_naming(caught.exception, NAMED_AS.get(field, {field}), before)

    @FUZZ
    @given(data=st.data())
    def test_it_stores_a_window_only_when_it_is_ordered_and_short(self, data):
        now = timezone.now()
        window, valid = data.draw(_window(now))
        report_in = {"category": "graffiti", "lat": 63.16, "lon": 14.61, **window}
        before = self.counts()
        if valid:
            batch = submit_reports(organisation=self.org, by=None, items=[report_in], now=now)
            self.assert_stored_as_given(batch.reports[0], report_in)
            return
        with self.assertRaises(InputRejected) as caught:
            submit_reports(organisation=self.org, by=None, items=[report_in], now=now)
        self.assert_refused_naming(caught.exception, {"occurred_to"}, before)

    @BATCH_FUZZ
    @given(data=st.data())
    def test_a_batch_is_stored_whole_or_refused_listing_every_bad_item(self, data):
        now = timezone.now()
        items = data.draw(
            st.lists(st.one_of(reports(now, bad=False), reports(now, bad=True)), max_size=8)
        )
        payload = [_distinct_client_id(i, d, fields) for i, (d, fields) in enumerate(items)]
        bad = {i for i, (_, fields) in enumerate(items) if fields}
        before = self.counts()
        if not bad:
            batch = submit_reports(organisation=self.org, by=self.w.karl, items=payload, now=now)
            self.assertEqual(batch.created, len(payload))
            for report, report_in in zip(batch.reports, payload, strict=True):
                self.assert_stored_as_given(report, report_in)
            self.assertEqual(self.counts(), (before[0] + len(payload), before[1] + len(payload)))
            return
        with self.assertRaises(InputRejected) as caught:
            submit_reports(organisation=self.org, by=self.w.karl, items=payload, now=now)
        self.assertEqual({e.index for e in caught.exception.errors}, bad)
        self.assertEqual(self.counts(), before)

    @FUZZ
    @given(
        lat=st.one_of(st.sampled_from([SOUTH, NORTH, 63.175]), st.floats()),
        lon=st.one_of(st.sampled_from([WEST, EAST, (WEST + EAST) / 2]), st.floats()),
    )
    def test_it_stores_any_point_as_given_or_refuses_it_as_a_position(self, lat, lon):
        # On the boundary's edges and corners either answer is right: the edge is
        # straight in WGS84, the test is made in SWEREF 99 TM.
        report_in = {"category": "graffiti", "lat": lat, "lon": lon}
        before = self.counts()
        try:
            report, _ = submit_report(organisation=self.org, by=self.w.karl, data=report_in)
        except InputRejected as caught:
            self.assert_refused_naming(caught, {"lat", "lon"}, before)
        else:
            self.assertTrue(
                WEST - 1e-6 <= lon <= EAST + 1e-6 and SOUTH - 1e-6 <= lat <= NORTH + 1e-6
            )
            self.assert_stored_as_given(report, report_in)

    @FUZZ
    @given(
        number=st.one_of(personal_numbers(), phone_numbers(), licence_plates()),
        field=st.sampled_from(["description", "address"]),
    )
    def test_it_stores_no_personal_number_phone_or_plate_in_any_typed_variant(self, number, field):
        report_in = {"category": "graffiti", "lat": 63.16, "lon": 14.61}
        report_in[field] = f"Sågs vid porten: {number}. Kl 23.15, skada 1 500 kr."
        report, _ = submit_report(organisation=self.org, by=self.w.karl, data=report_in)
        stored = getattr(Report.objects.get(pk=report.pk), field)
        self.assertRegex(
            stored, r"^Sågs vid porten: \[(personnummer|telefonnummer|registreringsnummer)\]\."
        )
        self.assertTrue(stored.endswith(" Kl 23.15, skada 1 500 kr."), stored)

    def test_it_keeps_a_masked_address_within_its_column(self):
        # 200 characters of plates grow to 525 when masked: PostgreSQL refused the row.
        report_in = {"category": "graffiti", "lat": 63.16, "lon": 14.61, "address": "ABC 123 " * 25}
        report, _ = submit_report(organisation=self.org, by=self.w.karl, data=report_in)
        stored = Report.objects.get(pk=report.pk).address
        self.assertEqual(len(stored), 200)
        self.assertNotIn("123", stored)

    def test_it_keeps_a_repeated_client_id_once_in_a_batch_and_across_batches(self):
        item = {"category": "graffiti", "lat": 63.16, "lon": 14.61, "client_id": "x-1"}
        first = submit_reports(organisation=self.org, by=self.w.karl, items=[item, item])
        again = submit_reports(organisation=self.org, by=self.w.karl, items=[item])
        self.assertEqual((first.created, first.existing, again.created), (1, 1, 0))
        self.assertEqual(first.reports[0].pk, again.reports[0].pk)
        self.assertEqual(self.counts(), (1, 1))
