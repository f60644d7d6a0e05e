"""Publishing as a coordinator meets it: preview, publish, the published state, withdrawing
for good; and what the public version may show (name order, demo label, an honest total)."""

from __future__ import annotations

import importlib
from datetime import date

from django.apps import apps

from tests.situation.test_picture import at, centrum, lugnvik
from tests.situation.test_public import previewed, submit
from tests.world import TryggTestCase, sign_in
from trygg.situation.actions import PublicationRefused, publish_period, unpublish_period
from trygg.situation.models import Publication
from trygg.situation.periods import parse_period

LATER = date(2027, 1, 2)
rebuild = importlib.import_module("trygg.situation.migrations.0004_public_snapshots_in_name_order")


def week47(world, centrum_count: int, lugnvik_count: int) -> None:
    """Public graffiti in Centrum and public noise in Lugnvik, Saturday of week 47."""
    when = at(2026, 47, 6, 2)
    items = [centrum("graffiti", when, sharing="public") for _ in range(centrum_count)]
    items += [lugnvik("noise", when, sharing="public") for _ in range(lugnvik_count)]
    submit(world, items)


class WithdrawnPeriodTests(TryggTestCase):
    """Publish W47, withdraw it, then try W46+2: W46's hidden counts would follow."""

    def act(self, key: str):
        return publish_period(
            municipality=self.w.ostersund, period=parse_period(key), by=self.w.anna, today=LATER
        )

    def test_a_withdrawn_period_blocks_every_later_overlap_through_the_action(self):
        self.act("2026-W47")
        unpublish_period(
            municipality=self.w.ostersund, period=parse_period("2026-W47"), by=self.w.anna
        )
        for key in ("2026-W46+2", "2026-W47", "2026-11", "2026-11-20..2026-11-21"):
            with self.subTest(key=key), self.assertRaises(PublicationRefused):
                self.act(key)
        row = Publication.objects.get(period_key="2026-W47")
        self.assertIsNotNone(row.withdrawn_at)
        self.assertEqual(row.withdrawn_by, self.w.anna)
        self.assertEqual(row.last_day, date(2026, 11, 22))
        self.assertEqual(self.act("2026-W46").period_key, "2026-W46")  # beside it: allowed

    def test_a_withdrawn_period_blocks_every_later_overlap_through_http(self):
        sign_in(self.client, self.w.anna)
        self.client.post(
            "/lagesbild/2380/publicera",
            {"period": "2026-W47", "digest": previewed(self.client, "2026-W47")},
        )
        self.assertEqual(self.client.get("/oppen/2380/2026-W47.json").status_code, 200)
        self.client.post("/lagesbild/2380/avpublicera", {"period": "2026-W47"})
        self.assertEqual(self.client.get("/oppen/2380/2026-W47.json").status_code, 404)
        preview = self.client.get("/lagesbild/2380/publicera/granska?period=2026-W46%2B2")
        self.assertContains(preview, "publicerades och sedan avpublicerades")
        self.assertNotContains(preview, 'name="digest"')  # no button that would be refused
        response = self.client.post(
            "/lagesbild/2380/publicera", {"period": "2026-W46+2", "digest": "x"}, follow=True
        )
        self.assertContains(response, "kan aldrig överlappas")
        self.assertEqual(self.client.get("/oppen/2380/2026-W46+2.json").status_code, 404)
        self.assertFalse(Publication.objects.filter(period_key="2026-W46+2").exists())
        self.assertEqual(self.client.get("/oppen/2380/").content.decode().count("2026-W47"), 0)

    def test_unpublishing_what_is_not_published_says_so(self):
        sign_in(self.client, self.w.anna)
        response = self.client.post(
            "/lagesbild/2380/avpublicera", {"period": "2026-W47"}, follow=True
        )
        self.assertContains(response, "Perioden 2026-W47 är inte publicerad.")
        confirm = self.client.get("/lagesbild/2380/avpublicera/bekrafta?period=2026-W47")
        self.assertEqual(confirm.status_code, 404)


class PreviewTests(TryggTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        week47(cls.w, centrum_count=6, lugnvik_count=2)
        when = at(2026, 47, 6, 2)
        submit(cls.w, [centrum("graffiti", when, sharing="partnership") for _ in range(3)])

    def test_the_preview_shows_exactly_the_numbers_then_published_and_why_they_differ(self):
        sign_in(self.client, self.w.anna)
        preview = self.client.get("/lagesbild/2380/publicera/granska?period=2026-W47")
        self.assertContains(preview, "Varför siffrorna skiljer sig från partnerskapets lägesbild")
        self.assertContains(preview, "offentlig sammanställning")
        self.assertContains(preview, '<th scope="row">Centrum</th><td>6</td><td>9</td>', html=False)
        self.assertContains(preview, "<td>7–10</td>", html=False)
        self.assertContains(preview, "aldrig publiceras igen")
        self.assertEqual(Publication.objects.count(), 0)  # looking publishes nothing
        digest = previewed(self.client, "2026-W47")
        self.client.post("/lagesbild/2380/publicera", {"period": "2026-W47", "digest": digest})
        public = self.client.get("/oppen/2380/2026-W47/")
        self.assertContains(public, '<th scope="row">Centrum</th><td>6</td>', html=False)
        self.assertContains(public, "<td>7–10</td>", html=False)

    def test_numbers_that_changed_since_the_preview_are_not_published(self):
        sign_in(self.client, self.w.anna)
        digest = previewed(self.client, "2026-W47")
        week47(self.w, centrum_count=1, lugnvik_count=0)
        response = self.client.post(
            "/lagesbild/2380/publicera", {"period": "2026-W47", "digest": digest}, follow=True
        )
        self.assertContains(response, "Siffrorna har ändrats sedan förhandsgranskningen")
        self.assertEqual(Publication.objects.count(), 0)


class PublishedStateTests(TryggTestCase):
    PAGE = "/lagesbild/2380/?period=2026-W47"

    def test_the_lagesbild_says_when_and_by_whom_a_period_was_published(self):
        sign_in(self.client, self.w.anna)
        page = self.client.get(self.PAGE)
        self.assertContains(page, "Inte publicerad.")
        self.assertContains(page, 'href="/lagesbild/2380/publicera/granska?period=2026-W47"')
        self.client.post(
            "/lagesbild/2380/publicera",
            {"period": "2026-W47", "digest": previewed(self.client, "2026-W47")},
        )
        page = self.client.get(self.PAGE)
        self.assertContains(page, "<strong>Publicerad</strong>", html=False)
        self.assertContains(page, " av anna.")
        self.assertContains(page, 'href="/oppen/2380/2026-W47/"')
        self.assertContains(page, 'href="/lagesbild/2380/avpublicera/bekrafta?period=2026-W47"')
        confirm = self.client.get("/lagesbild/2380/avpublicera/bekrafta?period=2026-W47")
        self.assertContains(confirm, "Avpublicera för gott")
        self.client.post("/lagesbild/2380/avpublicera", {"period": "2026-W47"})
        page = self.client.get(self.PAGE)
        self.assertContains(page, "<strong>Avpublicerad</strong>", html=False)
        self.assertContains(page, "En avpublicerad period kan aldrig publiceras igen")
        self.assertNotContains(page, "/publicera/granska")

    def test_other_members_see_the_state_but_no_buttons(self):
        publish_period(
            municipality=self.w.ostersund, period=parse_period("2026-W47"), by=self.w.anna
        )
        sign_in(self.client, self.w.sara)
        page = self.client.get(self.PAGE)
        self.assertContains(page, "<strong>Publicerad</strong>", html=False)
        self.assertNotContains(page, "avpublicera/bekrafta")


class PublicShapeTests(TryggTestCase):
    def publish(self):
        publish_period(
            municipality=self.w.ostersund, period=parse_period("2026-W47"), by=self.w.anna
        )

    def rows(self) -> list[tuple[str, int | None]]:
        data = self.client.get("/oppen/2380/2026-W47.json").json()
        return [(a["name"], a["count"]) for a in data["areas"]]

    def test_areas_come_in_name_order_whatever_their_counts(self):
        # Sorted by count, Lugnvik's 3 before Centrum's 1 would tell which hidden count is larger.
        week47(self.w, centrum_count=1, lugnvik_count=3)
        self.publish()
        self.assertEqual(self.rows(), [("Centrum", None), ("Lugnvik", None)])
        html = self.client.get("/oppen/2380/2026-W47/").content.decode()
        self.assertLess(html.index(">Centrum<"), html.index(">Lugnvik<"))

    def test_shown_counts_come_in_name_order_too(self):
        week47(self.w, centrum_count=5, lugnvik_count=9)
        self.publish()
        self.assertEqual(self.rows(), [("Centrum", 5), ("Lugnvik", 9)])

    def test_an_exact_total_is_a_number_when_nothing_is_hidden(self):
        week47(self.w, centrum_count=5, lugnvik_count=9)
        self.publish()
        total = self.client.get("/oppen/2380/2026-W47.json").json()["total"]
        self.assertEqual(total, {"count": 14, "suppressed": False, "min": 14, "max": 14})
        self.assertContains(self.client.get("/oppen/2380/2026-W47/"), "<td>14</td>", html=False)

    def test_demo_data_is_labelled_on_the_public_page_and_in_json(self):
        self.w.ostersund.is_demo = True
        self.w.ostersund.save(update_fields=["is_demo"])
        self.publish()
        data = self.client.get("/oppen/2380/2026-W47.json").json()
        self.assertIs(data["municipality"]["demo"], True)
        self.assertContains(self.client.get("/oppen/2380/2026-W47/"), "Demodata")
        self.assertContains(self.client.get("/oppen/2380/"), "Demodata")

    def test_real_data_carries_no_demo_label(self):
        self.publish()
        self.assertIs(
            self.client.get("/oppen/2380/2026-W47.json").json()["municipality"]["demo"], False
        )
        self.assertNotContains(self.client.get("/oppen/2380/2026-W47/"), "Demodata")


OLD_SNAPSHOT = {
    "municipality": {"code": "2380", "name": "Östersund"},
    "period": {"key": "2026-W47", "kind": "week", "first_day": "2026-11-16",
               "last_day": "2026-11-22", "days": 7},
    "total": "≥12",
    # As stored before: by count, then name, so Åre's 3 shows above Berg's 1.
    "areas": [{"name": "Ösby", "count": 12}, {"name": "Åre", "count": "<5"},
              {"name": "Berg", "count": "<5"}, {"name": "Lugnvik", "count": 0}],
}  # fmt: skip


class SnapshotRebuildTests(TryggTestCase):
    def test_it_sorts_old_snapshots_by_name_and_makes_counts_numbers(self):
        new = rebuild.rebuild_snapshot(OLD_SNAPSHOT, demo=True)
        self.assertEqual(
            new["areas"],
            [
                {"name": "Berg", "count": None, "suppressed": True},
                {"name": "Lugnvik", "count": 0, "suppressed": False},
                {"name": "Åre", "count": None, "suppressed": True},
                {"name": "Ösby", "count": 12, "suppressed": False},
            ],
        )
        self.assertEqual(new["total"], {"count": None, "suppressed": True, "min": 14, "max": 20})
        self.assertIs(new["municipality"]["demo"], True)
        self.assertEqual(rebuild.rebuild_snapshot(new, demo=True), new)  # idempotent

    def test_the_migration_rewrites_stored_snapshots(self):
        Publication.objects.create(
            municipality=self.w.ostersund, period_key="2026-W47", snapshot=OLD_SNAPSHOT
        )
        rebuild.forwards(apps, None)
        row = Publication.objects.get()
        self.assertEqual(
            [a["name"] for a in row.snapshot["areas"]], ["Berg", "Lugnvik", "Åre", "Ösby"]
        )
        self.assertEqual((row.first_day, row.last_day), (date(2026, 11, 16), date(2026, 11, 22)))
        self.assertIs(row.snapshot["municipality"]["demo"], False)
        data = self.client.get("/oppen/2380/2026-W47.json").json()
        self.assertEqual(data["areas"][0], {"name": "Berg", "count": None, "suppressed": True})
