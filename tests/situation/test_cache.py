"""The picture cache: a repeated read is not recomputed, and a new report shows at once."""

import json
import threading
import time
from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

from django.db.models import F
from django.test import SimpleTestCase, override_settings
from django.utils import timezone

from tests.situation.test_picture import at, centrum
from tests.world import TryggTestCase, sign_in
from trygg.reports.actions import submit_reports
from trygg.reports.models import DailyCount
from trygg.situation import cache
from trygg.situation.periods import parse_period


def post(world, n, when=None):
    items = [centrum("graffiti", when or at(2026, 47, 6, 2)) for _ in range(n)]
    submit_reports(
        organisation=world.orgs["polis"], by=world.petra, items=items,
        now=at(2026, 50, 3, 12), max_age_days=800,
    )  # fmt: skip


class PictureCacheTests(TryggTestCase):
    def test_it_returns_the_same_picture_until_a_report_is_written(self):
        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        self.assertIs(cache.picture_for(self.w.ostersund, period), first)
        post(self.w, 3)
        fresh = cache.picture_for(self.w.ostersund, period)
        self.assertIsNot(fresh, first)
        self.assertEqual((first.total.current, fresh.total.current), (2, 5))

    def test_the_page_shows_a_report_written_right_after_a_read(self):
        post(self.w, 1)
        sign_in(self.client, self.w.anna)
        url = "/lagesbild/2380/data.json?period=2026-W47"
        before = self.client.get(url).json()
        post(self.w, 4)
        after = self.client.get(url).json()
        self.assertNotEqual(before, after)

    def test_a_report_after_the_period_leaves_its_picture_alone(self):
        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        post(self.w, 1, when=at(2026, 48, 1, 0))  # Monday 00:00 after: the next week's
        self.assertIs(cache.picture_for(self.w.ostersund, period), first)
        post(self.w, 1, when=at(2026, 47, 7, 23))  # Sunday 23:00: still the week's
        fresh = cache.picture_for(self.w.ostersund, period)
        self.assertEqual((first.total.current, fresh.total.current), (2, 3))

    def test_a_month_s_picture_counts_its_trend_s_last_week_to_the_sunday(self):
        november = parse_period("2026-11")  # ends Monday 30 Nov: its last trend week is W49
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, november)
        post(self.w, 1, when=at(2026, 50, 1, 12))  # the Monday after W49: counted nowhere
        self.assertIs(cache.picture_for(self.w.ostersund, november), first)
        post(self.w, 1, when=at(2026, 49, 4, 12))  # Thursday 3 December, in W49
        fresh = cache.picture_for(self.w.ostersund, november)
        self.assertIsNot(fresh, first)
        self.assertEqual((first.trend["damage"][-1], fresh.trend["damage"][-1]), (0, 1))

    def test_a_backdated_report_drops_the_pictures_whose_history_it_changes(self):
        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        post(self.w, 1, when=at(2026, 40, 3, 12))  # in the baseline and the trend
        fresh = cache.picture_for(self.w.ostersund, period)
        self.assertIsNot(fresh, first)
        self.assertEqual(sum(fresh.trend["damage"]), 3)

    def test_a_report_in_another_municipality_leaves_the_picture_alone(self):
        from trygg.reports import rollup

        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        since = rollup.generation()
        rollup._note({self.w.ostersund.pk + 1000: at(2026, 47, 1, 0).date()})
        self.assertIsNone(rollup.earliest_change_since(since, self.w.ostersund.pk))
        self.assertIs(cache.picture_for(self.w.ostersund, period), first)

    def test_when_the_change_log_no_longer_reaches_back_it_recomputes(self):
        from trygg.reports import rollup

        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        since = rollup.generation()
        for _ in range(rollup.LOG_LENGTH + 1):  # far-future days: none would count
            rollup._note({self.w.ostersund.pk: at(2030, 1, 1, 0).date()})
        self.assertEqual(rollup.earliest_change_since(since, self.w.ostersund.pk), date.min)
        self.assertIsNot(cache.picture_for(self.w.ostersund, period), first)

    def test_the_api_json_is_made_once_per_picture_and_per_assessment(self):
        from trygg.partners.actions import create_api_token
        from trygg.situation.models import Assessment

        post(self.w, 2)
        token = create_api_token(user=self.w.anna, name="t")[1]
        url = "/api/v1/situation?municipality=2380&period=2026-W47"

        def get():
            response = self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
            return response.content

        first = get()
        picture = cache.picture_for(self.w.ostersund, parse_period("2026-W47"))
        from trygg.measures.pages import slot_for
        from trygg.policeevents.pages import slot_for as police_slot_for
        from trygg.situation.api import cache_key

        key = cache_key(
            "",
            slot_for(self.w.ostersund, self.w.anna, timezone.localdate()),
            police_slot_for(self.w.ostersund, picture.period),
        )
        self.assertEqual(first, cache.rendered_for(
            self.w.ostersund, picture.period, (), key, lambda p: b"not made again"
        ))  # fmt: skip
        Assessment.objects.create(
            municipality=self.w.ostersund,
            period_key="2026-W47",
            text="Lugnare.",
            written_by=self.w.anna,
        )
        second = json.loads(get())
        self.assertEqual(second["assessment"], "Lugnare.")
        self.assertEqual({**json.loads(first), "assessment": "Lugnare."}, second)
        post(self.w, 1)
        self.assertEqual(json.loads(get())["total"]["current"], 3)

    def other_process_adds(self, day, n=5, ago=timedelta(0)):
        """What another server process's write leaves in the database: the rollup changed."""
        rows = DailyCount.objects.filter(municipality=self.w.ostersund, day=day)
        self.assertTrue(rows.update(n=F("n") + n, changed_at=timezone.now() - ago))

    @override_settings(SITUATION_CACHE_SECONDS=10)
    def test_another_process_s_report_shows_once_the_check_is_due(self):
        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        self.other_process_adds(at(2026, 47, 6, 2).date())
        self.assertIs(cache.picture_for(self.w.ostersund, period), first)  # not yet asked
        later = time.monotonic() + 11  # the check falls due however slow the database
        with mock.patch.object(cache, "_clock", lambda: later):
            fresh = cache.picture_for(self.w.ostersund, period)
        self.assertEqual((first.total.current, fresh.total.current), (2, 7))

    @override_settings(SITUATION_CACHE_SECONDS=0.05)
    def test_a_write_stamped_before_the_build_but_committed_after_it_is_seen(self):
        period = parse_period("2026-W47")
        post(self.w, 2)
        DailyCount.objects.update(changed_at=timezone.now() - timedelta(hours=1))
        first = cache.picture_for(self.w.ostersund, period)
        self.other_process_adds(at(2026, 47, 6, 2).date(), ago=timedelta(seconds=3))
        later = time.monotonic() + 11  # the check falls due: the clock moves, nobody sleeps
        with mock.patch.object(cache, "_clock", lambda: later):
            self.assertEqual(cache.picture_for(self.w.ostersund, period).total.current, 7)
        self.assertEqual(first.total.current, 2)

    @override_settings(SITUATION_CACHE_SECONDS=0.05)
    def test_another_process_s_report_after_the_period_keeps_the_picture(self):
        period = parse_period("2026-W47")
        post(self.w, 2, when=at(2026, 48, 2, 12))  # the next week's
        post(self.w, 2)
        DailyCount.objects.update(changed_at=timezone.now() - timedelta(hours=1))  # long ago
        first = cache.picture_for(self.w.ostersund, period)
        self.other_process_adds(at(2026, 48, 2, 12).date())
        later = time.monotonic() + 11
        with mock.patch.object(cache, "_clock", lambda: later):
            self.assertIs(cache.picture_for(self.w.ostersund, period), first)

    def test_a_picture_is_built_anew_after_its_maximum_age(self):
        period = parse_period("2026-W47")
        post(self.w, 2)
        first = cache.picture_for(self.w.ostersund, period)
        with mock.patch.object(cache, "MAX_AGE_SECONDS", 0.0):
            self.assertIsNot(cache.picture_for(self.w.ostersund, period), first)

    @override_settings(SITUATION_CACHE_SECONDS=0)
    def test_zero_turns_it_off(self):
        period = parse_period("2026-W47")
        self.assertIsNot(
            cache.picture_for(self.w.ostersund, period), cache.picture_for(self.w.ostersund, period)
        )


class SingleFlightTests(SimpleTestCase):
    def test_requests_missing_the_same_picture_at_once_build_it_once(self):
        built = []
        callers = 6
        arrived = threading.Semaphore(0)

        def stamp(municipality):
            arrived.release()  # this request has asked for the picture
            return (1,)

        def slow_build(municipality, period, categories):
            built.append(period.key)
            # The build lasts until every request has asked (no sleep, no race).
            for _ in range(callers):
                self.assertTrue(arrived.acquire(timeout=10))
            return object()

        municipality = SimpleNamespace(pk=1)
        period = parse_period("2026-W47")
        got = []
        with (
            mock.patch.object(cache, "_stamp", stamp),
            mock.patch.object(cache, "build_picture", slow_build),
        ):
            threads = [
                threading.Thread(target=lambda: got.append(cache.picture_for(municipality, period)))
                for _ in range(callers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        cache.clear()
        self.assertEqual(built, ["2026-W47"])
        self.assertEqual(len({id(picture) for picture in got}), 1)
        self.assertEqual(len(got), 6)


class PictureLanguageTests(TryggTestCase):
    def test_a_picture_built_in_swedish_is_not_served_in_english(self):
        from django.utils import translation

        post(self.w, 1)
        period = parse_period("2026-W47")
        with translation.override("sv"):
            swedish = {g.name for g in cache.picture_for(self.w.ostersund, period).groups}
        with translation.override("en"):
            english = {g.name for g in cache.picture_for(self.w.ostersund, period).groups}
        self.assertIn("Skadegörelse", swedish)
        self.assertIn("Criminal damage", english)
