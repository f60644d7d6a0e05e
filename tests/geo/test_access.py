"""Which areas a user may open: those of the municipalities they are a member of."""

from __future__ import annotations

from django.http import Http404

from tests.world import TryggTestCase
from trygg.geo.access import get_area_for


class GetAreaForTests(TryggTestCase):
    def test_a_member_gets_an_area_of_their_municipality(self):
        area = get_area_for(self.w.karl, self.w.centrum.pk)
        self.assertEqual(area, self.w.centrum)
        self.assertEqual(area.municipality, self.w.ostersund)

    def test_a_coordinator_elsewhere_gets_a_404_not_the_area(self):
        with self.assertRaises(Http404):
            get_area_for(self.w.erik, self.w.centrum.pk)

    def test_someone_without_membership_gets_a_404(self):
        with self.assertRaises(Http404):
            get_area_for(self.w.otto, self.w.lugnvik.pk)
