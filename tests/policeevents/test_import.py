"""Importing the police's events feed: the real sample, once by id, updates, unmapped types.

Expected counts come from the sample itself (collections.Counter over the
JSON), not from the importer.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.policeevents.common import OSTERSUND, SAMPLE, notice, sample_items
from tests.world import TryggTestCase, sign_in
from trygg.policeevents.actions import import_events, map_event_type
from trygg.policeevents.feed import parse_file, parse_json
from trygg.policeevents.models import PoliceEvent, PoliceEventType
from trygg.reports.models import Category, Report

NOW = datetime(2026, 8, 22, 18, 0, tzinfo=UTC)
LATER = datetime(2026, 8, 22, 19, 0, tzinfo=UTC)


def run(*args: str) -> str:
    out = StringIO()
    call_command("police_events", *args, stdout=out)
    return out.getvalue()


def import_items(items: list[dict], now: datetime = NOW):
    return import_events(events=parse_json(json.dumps(items)), now=now)


class SampleImportTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.output = run("import", str(SAMPLE))

    def test_the_real_sample_is_stored_with_the_expected_count_per_type(self):
        expected = Counter(item["type"] for item in sample_items())
        stored = Counter(PoliceEvent.objects.values_list("event_type__name", flat=True))
        self.assertEqual(stored, expected)
        self.assertEqual(PoliceEvent.objects.count(), 250)
        self.assertIn("250 new, 0 changed, 0 unchanged", self.output)

    def test_each_notice_is_kept_at_the_level_of_the_area_it_names(self):
        levels = Counter(PoliceEvent.objects.values_list("level", flat=True))
        names = [item["location"]["name"] for item in sample_items()]
        self.assertEqual(levels["county"], sum(name.endswith(" län") for name in names))
        self.assertEqual(levels["municipality"], sum(not name.endswith(" län") for name in names))
        self.assertEqual(levels["unknown"], 0)
        jamtland = PoliceEvent.objects.filter(location_name="Jämtlands län").first()
        self.assertEqual((jamtland.level, jamtland.county_code), ("county", "23"))
        self.assertEqual(jamtland.municipality_code, "")

    def test_no_notice_becomes_a_report_or_a_point_on_the_map(self):
        self.assertEqual(Report.objects.count(), 0)
        fields = {f.name for f in PoliceEvent._meta.get_fields()}
        self.assertFalse(fields & {"lat", "lon", "gps", "location", "point", "geometry"})
        sign_in(self.client, self.w.anna)
        features = self.client.get("/rapporter/karta.geojson").json()["features"]
        self.assertEqual(features, [])

    def test_importing_the_same_file_again_adds_and_changes_nothing(self):
        before = list(PoliceEvent.objects.order_by("feed_id").values_list("feed_id", "name"))
        output = run("import", str(SAMPLE))
        self.assertIn("0 new, 0 changed, 250 unchanged", output)
        after = list(PoliceEvent.objects.order_by("feed_id").values_list("feed_id", "name"))
        self.assertEqual(after, before)
        self.assertFalse(PoliceEvent.objects.exclude(changed_at=None).exists())

    def test_a_changed_notice_is_updated_in_place(self):
        first = sample_items()[0]
        seen = PoliceEvent.objects.get(feed_id=first["id"]).first_seen
        changed = notice(summary="Två personer gripna.", type="Mordbrand")
        result = import_items([changed], now=LATER)
        self.assertEqual((result.created, result.updated), (0, 1))
        event = PoliceEvent.objects.get(feed_id=first["id"])
        self.assertEqual(event.summary, "Två personer gripna.")
        self.assertEqual(event.event_type.name, "Mordbrand")
        self.assertEqual((event.changed_at, event.last_seen), (LATER, LATER))
        self.assertEqual(event.first_seen, seen)
        self.assertEqual(PoliceEvent.objects.count(), 250)

    def test_a_notice_moved_to_a_municipality_gets_that_level_and_code(self):
        import_items([notice(location={"name": "Östersund", "gps": "63.1792,14.6357"})], LATER)
        event = PoliceEvent.objects.get(feed_id=sample_items()[0]["id"])
        self.assertEqual((event.level, event.municipality_code, event.county_code),
                         ("municipality", "2380", "23"))  # fmt: skip

    def test_summaries_and_updates_are_kept_but_not_counted(self):
        summaries = PoliceEventType.objects.filter(name__startswith="Sammanfattning")
        self.assertTrue(summaries.exists())
        self.assertFalse(summaries.filter(counted=True).exists())
        import_items([notice(id=1, type="Uppdatering"), notice(id=2, type="Sammanfattning helg")])
        self.assertFalse(PoliceEventType.objects.get(name="Uppdatering").counted)
        in_sample = sum(i["type"].startswith("Sammanfattning") for i in sample_items())
        not_counted = PoliceEvent.objects.filter(event_type__counted=False).count()
        self.assertEqual(not_counted, in_sample + 2)

    def test_a_summary_cannot_be_made_counted(self):
        kind = PoliceEventType.objects.get(name="Sammanfattning natt")
        map_event_type(event_type=kind, group=None, counted=True)
        kind.refresh_from_db()
        self.assertFalse(kind.counted)

    def test_the_sample_brings_no_type_the_default_mapping_lacks(self):
        self.assertNotIn("Types to map", self.output)
        self.assertFalse(PoliceEventType.objects.needs_mapping().exists())
        self.assertEqual(PoliceEventType.objects.get(name="Misshandel").group.code, "violence")


class UnknownTypeTests(TryggTestCase):
    def setUp(self):
        self.root = User.objects.create_superuser("root", password="secret-pass-123")
        sign_in(self.client, self.root)

    def test_an_unknown_type_is_kept_and_listed_for_the_administrator(self):
        result = import_items([notice(id=900001, type="Drönarlarm")])
        self.assertEqual(result.new_types, ["Drönarlarm"])
        self.assertEqual(PoliceEvent.objects.get(feed_id=900001).event_type.name, "Drönarlarm")
        url = reverse("admin:policeevents_policeeventtype_changelist")
        listed = self.client.get(url, {"mapping": "needed"})
        self.assertEqual([t.name for t in listed.context["cl"].result_list], ["Drönarlarm"])
        events = self.client.get(
            reverse("admin:policeevents_policeevent_changelist"), {"mapping": "needed"}
        )
        self.assertEqual([e.feed_id for e in events.context["cl"].result_list], [900001])

    def test_mapping_it_in_the_admin_takes_it_off_the_list(self):
        import_items([notice(id=900001, type="Drönarlarm")])
        kind = PoliceEventType.objects.get(name="Drönarlarm")
        disorder = Category.objects.get(code="disorder")
        url = reverse("admin:policeevents_policeeventtype_change", args=[kind.pk])
        response = self.client.post(url, {"group": disorder.pk, "counted": "on"})
        self.assertEqual(response.status_code, 302)
        kind.refresh_from_db()
        self.assertEqual((kind.group, kind.counted, kind.reviewed), (disorder, True, True))
        self.assertFalse(PoliceEventType.objects.needs_mapping().exists())

    def test_the_import_command_names_the_types_to_map(self):
        with TemporaryDirectory() as folder:
            path = Path(folder) / "feed.json"
            path.write_text(json.dumps([notice(id=900002, type="Drönarlarm")]), encoding="utf-8")
            self.assertIn("Types to map in the admin (Police event types): Drönarlarm",
                          run("import", str(path)))  # fmt: skip


class FileFormatTests(TryggTestCase):
    def test_the_archive_csv_is_imported_with_its_first_seen_time(self):
        output = run("import", str(OSTERSUND))
        self.assertIn("1141 new", output)
        self.assertEqual(
            PoliceEvent.objects.filter(level="municipality", municipality_code="2380").count(),
            1141,
        )
        # The archive's first_seen_commit_time 1679810038 for its oldest notices: 2023-03-26.
        oldest = PoliceEvent.objects.order_by("published_at").first()
        self.assertEqual(oldest.first_seen, datetime(2023, 3, 26, 5, 53, 58, tzinfo=UTC))

    def test_a_notice_missing_its_type_is_refused_naming_the_field_and_nothing_is_stored(self):
        broken = notice(id=900003)
        del broken["type"]
        with TemporaryDirectory() as folder:
            path = Path(folder) / "feed.json"
            path.write_text(json.dumps([notice(id=900004), broken]), encoding="utf-8")
            with self.assertRaisesMessage(CommandError, "[1] type:"):
                run("import", str(path))
        self.assertEqual(PoliceEvent.objects.count(), 0)

    def test_feed_times_before_ten_have_one_hour_digit(self):
        events = parse_file(SAMPLE)
        early = next(e for e in events if e.feed_id == sample_items()[11]["id"])
        self.assertEqual(sample_items()[11]["datetime"], "2026-08-22 9:48:12 +02:00")
        self.assertEqual(early.published_at.isoformat(), "2026-08-22T09:48:12+02:00")
