"""The batch insert's hand-made reports equal what Django's bulk_create makes of the same rows."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

from tests.world import TryggTestCase, report_data
from trygg.reports.fast_insert import NewReports
from trygg.reports.intake import context_for, validate_items
from trygg.reports.models import Report


class FastInsertTests(TryggTestCase):
    def rows(self):
        """Validated rows as submit_reports stores them: one full, one with only the required."""
        now = timezone.now()
        full = report_data(
            description="Klotter på garaget",
            address="Storgatan 1",
            occurred_at=(now - timedelta(hours=3)).isoformat(),
            occurred_to=(now - timedelta(hours=1)).isoformat(),
            client_id="fast-1",
        )
        bare = report_data()
        return validate_items([full, bare], context_for(self.w.ostersund, now=now)), now

    def made_both_ways(self):
        rows, now = self.rows()
        organisation, by = self.w.orgs["bostad"], self.w.karl
        fresh = NewReports(organisation=organisation, by=by, source=Report.Source.WEB, now=now)
        fast = [fresh.add(dict(row)) for row in rows]
        fresh.write()
        common = {
            "municipality_id": organisation.municipality_id,
            "organisation": organisation,
            "reporter": by,
            "source": Report.Source.WEB,
            "reported_at": now,
        }
        # bulk_create checks client_id uniqueness like the fast path: a reference copy gets its own.
        reference = [
            Report(**{**row, **common, "client_id": row.get("client_id", "") and "ref-1"})
            for row in rows
        ]
        Report.objects.bulk_create(reference)
        return fast, reference

    def differences(self, fast: dict, reference: dict) -> dict:
        skip = {Report._meta.pk.attname, "client_id"}
        return {
            name: (fast[name], reference[name])
            for name in reference
            if name not in skip and fast[name] != reference[name]
        }

    def test_its_instances_hold_every_field_as_bulk_create_leaves_them(self):
        fast, reference = self.made_both_ways()
        for made, expected in zip(fast, reference, strict=True):
            values = {f.attname: getattr(made, f.attname) for f in Report._meta.concrete_fields}
            wanted = {f.attname: getattr(expected, f.attname) for f in Report._meta.concrete_fields}
            self.assertEqual(self.differences(values, wanted), {})
            self.assertIsNotNone(made.pk)
            self.assertFalse(made._state.adding)
            self.assertEqual(made._state.db, expected._state.db)
            self.assertIs(made.organisation, self.w.orgs["bostad"])
            self.assertIs(made.reporter, self.w.karl)

    def test_its_stored_rows_equal_those_bulk_create_stores(self):
        fast, reference = self.made_both_ways()
        for made, expected in zip(fast, reference, strict=True):
            stored = Report.objects.values().get(pk=made.pk)
            wanted = Report.objects.values().get(pk=expected.pk)
            self.assertEqual(self.differences(stored, wanted), {})

    def test_every_field_default_is_in_a_bare_row(self):
        """A field with a default that a row leaves out still gets it, as bulk_create gives it."""
        fast, _reference = self.made_both_ways()
        bare = fast[1]
        for field in Report._meta.concrete_fields:
            if field.has_default() and not isinstance(field, models.UUIDField):
                with self.subTest(field=field.name):
                    self.assertEqual(getattr(bare, field.attname), field.get_default())
