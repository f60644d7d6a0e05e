"""The public reads of the rollup go through the index that leads with sharing.

Public rows are a small share of the rollup; the index (municipality, day, …)
would scan every row of the period to keep those. These tests ask each
database for its plan of the very queries the public pages send.
"""

from datetime import date, timedelta

from django.db import connection
from django.test import TestCase

from tests.world import build_world
from trygg.promises import public
from trygg.reports.models import Category, DailyCount, Report
from trygg.situation import queries

FIRST, UNTIL = date(2021, 1, 1), date(2026, 1, 1)


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner chooses by the table's statistics: ANALYZE them, and
            # keep it from a scan of the whole table, which a test's few
            # thousand rows would make cheap.
            cursor.execute("ANALYZE reports_dailycount")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


class PublicRollupIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        """Five years of rollup rows in which, as in real data, few are shared in public."""
        world = build_world()
        cls.municipality = world.ostersund.pk
        categories = list(Category.objects.filter(group__isnull=False)[:3])
        cls.ids = tuple(c.pk for c in categories)
        rows, sharing = [], Report.Sharing
        for n in range((UNTIL - FIRST).days):
            day = FIRST + timedelta(days=n)
            levels = [sharing.ORGANISATION, sharing.PARTNERSHIP]
            if n % 10 == 0:
                levels.append(sharing.PUBLIC)
            rows += [
                DailyCount(municipality_id=cls.municipality, day=day, area_key=area,
                           category=category, sharing=level, n=1)
                for category in categories for area in (0, 1) for level in levels
            ]  # fmt: skip
        DailyCount.objects.bulk_create(rows, batch_size=2000)

    def test_the_promise_page_reads_public_quarters_through_the_public_cover(self):
        plan = plan_of(public.quarters_query(self.municipality, FIRST, UNTIL, self.ids))
        self.assertIn("dailycount_public_cover", plan)

    def test_the_open_lagesbild_reads_public_windows_through_the_public_cover(self):
        rows = queries._rollup(self.municipality, FIRST, UNTIL, list(self.ids), public_only=True)
        windows = rows.values_list("area_key", "category_id")
        self.assertIn("dailycount_public_cover", plan_of(windows))
        days = rows.values_list("day", "category_id")
        self.assertIn("dailycount_public_cover", plan_of(days))

    def test_the_partnership_lagesbild_keeps_the_day_first_cover(self):
        rows = queries._rollup(self.municipality, FIRST, UNTIL, list(self.ids), public_only=False)
        plan = plan_of(rows.values_list("area_key", "category_id"))
        self.assertNotIn("dailycount_public_cover", plan)
