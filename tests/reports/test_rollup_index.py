"""The public reads of the rollup go through the index that leads with sharing.

Public rows are a small share of the rollup; the index (municipality, day, …)
would scan every row of the period to keep those. These tests ask each
database for its plan of the very queries the public pages send.
"""

from datetime import date

from django.db import connection
from django.test import TestCase

from trygg.promises import public
from trygg.situation import queries

FIRST, UNTIL, IDS = date(2021, 1, 1), date(2026, 1, 1), (1, 2, 3)


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An empty test table is one page, read whole more cheaply than by
            # any index; with rows (VACUUM ANALYZE'd bench data) the planner
            # picks the index on its own. Here it is asked which index it prefers.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


class PublicRollupIndexTests(TestCase):
    def test_the_promise_page_reads_public_quarters_through_the_public_cover(self):
        plan = plan_of(public.quarters_query(1, FIRST, UNTIL, IDS))
        self.assertIn("dailycount_public_cover", plan)

    def test_the_open_lagesbild_reads_public_windows_through_the_public_cover(self):
        rows = queries._rollup(1, FIRST, UNTIL, list(IDS), public_only=True)
        windows = rows.values_list("area_key", "category_id")
        self.assertIn("dailycount_public_cover", plan_of(windows))
        days = rows.values_list("day", "category_id")
        self.assertIn("dailycount_public_cover", plan_of(days))

    def test_the_partnership_lagesbild_keeps_the_day_first_cover(self):
        rows = queries._rollup(1, FIRST, UNTIL, list(IDS), public_only=False)
        plan = plan_of(rows.values_list("area_key", "category_id"))
        self.assertNotIn("dailycount_public_cover", plan)
