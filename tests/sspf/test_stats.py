"""Steering-group statistics: counts by year, age band, concern and outcome, small cells hidden."""

import pytest
from django.http import Http404

from tests.sspf.world import SspfTestCase
from trygg.sspf import stats
from trygg.sspf.models import AgeBand, CaseStatistic, Concern, Outcome


def test_cells_under_five_are_suppressed():
    assert stats.suppress({"a": 7, "b": 5, "c": 4}, total_shown=False) == {
        "a": 7,
        "b": 5,
        "c": None,
    }


def test_a_lone_suppressed_cell_takes_the_next_smallest_with_it_when_the_total_is_shown():
    # Total 16 shown: with only "c" hidden, 16 - 7 - 5 would give it away.
    assert stats.suppress({"a": 7, "b": 5, "c": 4}, total_shown=True) == {
        "a": 7,
        "b": None,
        "c": None,
    }
    assert stats.suppress({"a": 7, "b": 3, "c": 4}, total_shown=True) == {
        "a": 7,
        "b": None,
        "c": None,
    }


class StatisticsTests(SspfTestCase):
    def rows(self, n, **fields):
        values = {
            "year": 2026,
            "municipality": self.w.ostersund,
            "age_band": AgeBand.FROM_12,
            "concern": Concern.SCHOOL,
            "duration_days": 120,
            "outcome": Outcome.PLAN_COMPLETED,
        }
        values.update(fields)
        CaseStatistic.objects.bulk_create(CaseStatistic(**values) for _ in range(n))

    def test_the_figures_count_by_year_and_each_dimension(self):
        self.rows(6)
        self.rows(5, age_band=AgeBand.FROM_15, concern=Concern.CRIME)
        self.rows(2, year=2025)
        year_2026, year_2025 = stats.statistics_for(self.w.sofia, self.w.ostersund.pk)
        assert year_2026.total == 11
        assert year_2026.cells["age_band"] == {AgeBand.FROM_12: 6, AgeBand.FROM_15: 5}
        assert year_2026.cells["concern"] == {Concern.SCHOOL: 6, Concern.CRIME: 5}
        assert year_2026.cells["outcome"] == {Outcome.PLAN_COMPLETED: 11}
        assert (year_2025.year, year_2025.total) == (2025, None)
        assert year_2025.cells["outcome"] == {Outcome.PLAN_COMPLETED: None}

    def test_the_steering_group_reads_them_and_others_get_a_404(self):
        self.rows(5)
        assert stats.statistics_for(self.w.greta, self.w.ostersund.pk)[0].total == 5
        for user in (self.w.karl, self.w.sara, self.w.lars, self.w.erik):
            with pytest.raises(Http404):
                stats.statistics_for(user, self.w.ostersund.pk)
