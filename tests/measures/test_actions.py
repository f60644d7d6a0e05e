"""Measures change only through their actions, and every change leaves a history entry."""

from datetime import date

from tests.world import TryggTestCase
from trygg.measures.actions import (
    MeasureRefused,
    change_status,
    create_measure,
    set_light,
    update_measure,
)
from trygg.measures.models import Measure, MeasureEvent

S = Measure.Status


class MeasureActionTests(TryggTestCase):
    def new(self, **overrides):
        fields = {
            "by": self.w.anna,
            "municipality": self.w.ostersund,
            "title": "Bättre belysning vid gångtunneln",
            "kind": Measure.Kind.SITUATIONAL,
            "responsible": self.w.orgs["kommun"],
        }
        fields.update(overrides)
        return create_measure(**fields)

    def test_it_creates_a_proposed_measure_with_its_first_history_entry(self):
        measure = self.new()
        self.assertEqual(measure.status, S.PROPOSED)
        event = measure.history.get()
        self.assertEqual(
            (event.field, event.new, event.actor), ("created", "proposed", self.w.anna)
        )

    def test_it_allows_exactly_the_transitions_of_the_model(self):
        for start, allowed in Measure.TRANSITIONS.items():
            for to in S.values:
                measure = self.new()
                Measure.objects.filter(pk=measure.pk).update(status=start)
                comment = "Fastighetsägaren gör det själv" if to == S.CANCELLED else ""
                if to in allowed:
                    changed = change_status(measure=measure, by=self.w.anna, to=to, comment=comment)
                    self.assertEqual(changed.status, to)
                    last = changed.history.last()
                    self.assertEqual((last.field, last.old, last.new), ("status", start, to))
                else:
                    with self.assertRaises(MeasureRefused, msg=f"{start} → {to}"):
                        change_status(measure=measure, by=self.w.anna, to=to, comment=comment)
                    self.assertEqual(Measure.objects.get(pk=measure.pk).status, start)

    def test_cancelling_needs_a_reason(self):
        measure = self.new()
        with self.assertRaises(MeasureRefused) as refused:
            change_status(measure=measure, by=self.w.anna, to=S.CANCELLED)
        self.assertEqual(refused.exception.field, "comment")
        change_status(measure=measure, by=self.w.anna, to=S.CANCELLED, comment="Dubblett")
        self.assertEqual(Measure.objects.get(pk=measure.pk).cancel_reason, "Dubblett")

    def test_a_yellow_light_needs_a_comment_and_is_recorded(self):
        measure = self.new()
        with self.assertRaises(MeasureRefused):
            set_light(measure=measure, by=self.w.anna, light="yellow", comment=" ")
        set_light(measure=measure, by=self.w.anna, light="yellow", comment="Leverans försenad")
        event = measure.history.last()
        self.assertEqual((event.field, event.new, event.comment),
                         ("light", "yellow", "Leverans försenad"))  # fmt: skip

    def test_an_update_records_each_changed_field_once(self):
        measure = self.new(deadline=date(2026, 12, 31))
        update_measure(measure=measure, by=self.w.anna, deadline=date(2027, 1, 15),
                       title="Bättre belysning vid gångtunneln")  # fmt: skip
        fields = list(measure.history.values_list("field", "old", "new"))
        self.assertEqual(fields, [("created", "", "proposed"),
                                  ("deadline", "2026-12-31", "2027-01-15")])  # fmt: skip

    def test_it_refuses_a_deadline_before_the_start_and_another_municipality_s_owner(self):
        with self.assertRaises(MeasureRefused):
            self.new(starts_on=date(2027, 1, 2), deadline=date(2027, 1, 1))
        with self.assertRaises(MeasureRefused):
            self.new(responsible=self.w.orgs["elsewhere"])
        self.assertFalse(Measure.objects.exists())

    def test_history_cannot_be_changed_or_removed(self):
        event = self.new().history.get()
        event.new = "done"
        with self.assertRaises(ValueError):
            event.save()
        with self.assertRaises(ValueError):
            event.delete()
        self.assertEqual(MeasureEvent.objects.get().new, "proposed")
