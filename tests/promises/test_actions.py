"""Promises change only through their actions; a published one keeps every version it had."""

from datetime import date

from tests.promises.helpers import build_promise
from tests.world import TryggTestCase
from trygg.measures.actions import change_status, create_measure
from trygg.measures.models import Measure
from trygg.promises import actions
from trygg.promises.actions import PromiseRefused
from trygg.promises.models import Activity, FollowUp, Owner, Promise, PromiseVersion
from trygg.promises.versions import snapshot


class PromiseActionTests(TryggTestCase):
    def setUp(self):
        self.p = build_promise(self.w)

    def publish(self):
        return actions.publish_promise(promise=self.p.promise, by=self.w.anna)

    def test_a_new_promise_is_a_draft_without_versions(self):
        self.assertEqual(self.p.promise.status, Promise.Status.DRAFT)
        self.assertFalse(PromiseVersion.objects.exists())

    def test_publishing_keeps_what_was_published_as_version_one(self):
        promise = self.publish()
        version = promise.versions.get()
        self.assertEqual((promise.status, promise.revision, version.number), ("published", 1, 1))
        self.assertEqual(version.snapshot, snapshot(promise))
        self.assertEqual(version.changes, [])

    def test_a_revision_keeps_the_old_version_intact_and_says_what_changed(self):
        self.publish()
        published = PromiseVersion.objects.get(number=1).snapshot
        actions.update_part(
            part=self.p.commitment, by=self.w.petra, text="Vi ska arbeta med EST i hela staden.",
            note="Utökat till hela staden",
        )  # fmt: skip
        actions.remove_part(part=self.p.activity, by=self.w.petra)
        self.assertEqual(PromiseVersion.objects.get(number=1).snapshot, published)
        self.assertEqual(published["commitments"][0]["text"], "Vi ska arbeta med EST i centrum.")
        second, third = PromiseVersion.objects.filter(number__in=(2, 3)).order_by("number")
        self.assertEqual(second.note, "Utökat till hela staden")
        self.assertEqual(
            second.changes,
            [{"part": "commitments", "id": self.p.commitment.pk,
              "label": "Vi ska arbeta med EST i hela staden.", "change": "changed",
              "fields": [["text", "Vi ska arbeta med EST i centrum.",
                          "Vi ska arbeta med EST i hela staden."]]}],
        )  # fmt: skip
        self.assertEqual(
            [(c["part"], c["change"]) for c in third.changes], [("activities", "removed")]
        )
        self.assertEqual(Promise.objects.get().revision, 3)

    def test_versions_refuse_to_be_changed_or_deleted(self):
        self.publish()
        version = PromiseVersion.objects.get()
        version.note = "ändrad"
        with self.assertRaises(ValueError):
            version.save()
        with self.assertRaises(ValueError):
            version.delete()

    def test_a_change_that_changes_nothing_writes_no_version(self):
        self.publish()
        actions.update_promise(promise=self.p.promise, by=self.w.anna, title=self.p.promise.title)
        self.assertEqual(PromiseVersion.objects.count(), 1)

    def test_follow_up_values_are_frozen_at_the_time_of_follow_up(self):
        self.publish()
        actions.enter_indicator_value(
            indicator=self.p.survey, by=self.w.anna, period="2023", value="64", source="Enkät 2023"
        )
        first = actions.write_follow_up(
            promise=self.p.promise, by=self.w.anna, narrative="Det går åt rätt håll.",
            made_on=date(2024, 1, 20),
        )  # fmt: skip
        actions.enter_indicator_value(indicator=self.p.survey, by=self.w.anna, period="2023",
                                      value="58")  # fmt: skip
        actions.set_activity_status(activity=self.p.activity, by=self.w.anna, status="done")
        frozen = FollowUp.objects.get(pk=first.pk).snapshot
        survey = next(i for i in frozen["indicators"] if i["id"] == self.p.survey.pk)
        self.assertEqual(survey["latest"], {"period": "2023", "value": 64.0})
        self.assertEqual(survey["light"], "yellow")  # above the baseline 60, below the target 70
        self.assertEqual(frozen["activities"][0]["status"], "planned")
        later = actions.write_follow_up(promise=self.p.promise, by=self.w.anna,
                                        narrative="Sämre i år.")  # fmt: skip
        survey = next(i for i in later.snapshot["indicators"] if i["id"] == self.p.survey.pk)
        self.assertEqual((survey["latest"]["value"], survey["light"]), (58.0, "red"))
        self.assertEqual(later.snapshot["activities"][0]["status"], "done")

    def test_a_draft_is_not_followed_up(self):
        with self.assertRaises(PromiseRefused) as refused:
            actions.write_follow_up(promise=self.p.promise, by=self.w.anna, narrative="Hur går det")
        self.assertEqual(refused.exception.field, "narrative")

    def test_an_activity_that_is_a_measure_follows_the_measure(self):
        measure = create_measure(
            by=self.w.anna, municipality=self.w.ostersund, title="Belysning",
            kind=Measure.Kind.SITUATIONAL, responsible=self.w.orgs["kommun"],
            status=Measure.Status.DECIDED,
        )  # fmt: skip
        activity = actions.add_activity(
            commitment=self.p.commitment, by=self.w.anna, what="Belysning i gångtunneln",
            responsible=self.w.orgs["kommun"], measure=measure,
        )  # fmt: skip
        change_status(measure=measure, by=self.w.anna, to=Measure.Status.ONGOING)
        self.publish()
        follow_up = actions.write_follow_up(promise=self.p.promise, by=self.w.anna,
                                            narrative="Belysningen byggs.")  # fmt: skip
        row = next(a for a in follow_up.snapshot["activities"] if a["id"] == activity.pk)
        self.assertEqual((row["status"], row["measure"]["status"]), ("ongoing", "ongoing"))
        with self.assertRaises(PromiseRefused):
            actions.set_activity_status(activity=activity, by=self.w.anna, status="done")

    def test_it_refuses_parts_of_another_municipality(self):
        elsewhere = self.w.orgs["elsewhere"]
        with self.assertRaises(PromiseRefused) as refused:
            actions.add_activity(commitment=self.p.commitment, by=self.w.anna, what="Något",
                                 responsible=elsewhere)  # fmt: skip
        self.assertEqual(refused.exception.field, "responsible")

    def test_it_refuses_a_period_backwards_or_too_long(self):
        for start, end in ((2024, 2023), (2023, 2026)):
            with self.assertRaises(PromiseRefused) as refused:
                actions.create_promise(by=self.w.anna, municipality=self.w.ostersund,
                                       title="Löfte", start_year=start, end_year=end)  # fmt: skip
            self.assertEqual(refused.exception.field, "end_year")

    def test_it_refuses_a_second_published_promise_for_the_same_years(self):
        self.publish()
        other = build_promise(self.w, start_year=2024, end_year=2025)
        with self.assertRaises(PromiseRefused):
            actions.publish_promise(promise=other.promise, by=self.w.anna)
        actions.archive_promise(promise=self.p.promise, by=self.w.anna)
        actions.publish_promise(promise=other.promise, by=self.w.anna)

    def test_an_archived_promise_is_not_changed(self):
        self.publish()
        actions.archive_promise(promise=self.p.promise, by=self.w.anna)
        with self.assertRaises(PromiseRefused):
            actions.add_commitment(promise=self.p.promise, by=self.w.anna, owner=Owner.POLICE,
                                   text="Mer")  # fmt: skip

    def test_manual_values_need_a_period_of_the_indicator_within_the_promise(self):
        for period in ("2023-Q1", "2022", "tjugo"):
            with self.assertRaises(PromiseRefused) as refused:
                actions.enter_indicator_value(indicator=self.p.survey, by=self.w.anna,
                                              period=period, value="1")  # fmt: skip
            self.assertEqual(refused.exception.field, "period")
        with self.assertRaises(PromiseRefused):
            actions.enter_indicator_value(indicator=self.p.counted, by=self.w.anna,
                                          period="2023", value="1")  # fmt: skip

    def test_a_time_band_needs_two_different_hours(self):
        for band in ((22, None), (3, 3), (0, 25)):
            with self.assertRaises(PromiseRefused) as refused:
                actions.add_indicator(
                    promise=self.p.promise, by=self.w.anna, name="Nattliv", kind="computed",
                    baseline_year=2022, target_value=1, direction="lower",
                    hour_from=band[0], hour_to=band[1],
                )  # fmt: skip
            self.assertEqual(refused.exception.field, "hour_to")

    def test_activity_status_is_one_of_the_four(self):
        with self.assertRaises(PromiseRefused):
            actions.set_activity_status(activity=self.p.activity, by=self.w.anna, status="klar")
        self.assertEqual(Activity.objects.get(pk=self.p.activity.pk).status, "planned")


class InitiativeActionTests(TryggTestCase):
    def test_an_initiative_keeps_programme_figures_per_year(self):
        hej = actions.create_initiative(
            by=self.w.anna, municipality=self.w.ostersund, name="Hej Främling!",
            owner=self.w.orgs["kommun"], contact="Föreningen", starts_on=date(2023, 1, 1),
        )  # fmt: skip
        actions.set_initiative_figures(initiative=hej, by=self.w.anna, year=2023, sessions=12,
                                       participants=140)  # fmt: skip
        actions.set_initiative_figures(initiative=hej, by=self.w.anna, year=2023, sessions=13)
        figure = hej.figures.get()
        self.assertEqual((figure.sessions, figure.participants), (13, None))

    def test_an_initiative_an_activity_points_to_is_not_deleted(self):
        p = build_promise(self.w)
        flag = actions.create_initiative(
            by=self.w.anna, municipality=self.w.ostersund, name="Purple Flag",
            owner=self.w.orgs["kommun"],
        )  # fmt: skip
        actions.update_part(part=p.activity, by=self.w.anna, initiative=flag)
        with self.assertRaises(PromiseRefused):
            actions.delete_initiative(initiative=flag, by=self.w.anna)

    def test_it_refuses_an_owner_of_another_municipality(self):
        with self.assertRaises(PromiseRefused) as refused:
            actions.create_initiative(by=self.w.anna, municipality=self.w.ostersund,
                                      name="Hej", owner=self.w.orgs["elsewhere"])  # fmt: skip
        self.assertEqual(refused.exception.field, "owner")
