"""The coordinator's promise pages, through HTTP: create, add, publish, revise, follow up."""

from tests.promises.helpers import build_promise
from tests.world import TryggTestCase, sign_in
from trygg.promises import actions
from trygg.promises.models import Activity, Commitment, FollowUp, Indicator, Promise


class CoordinatorFlowTests(TryggTestCase):
    def setUp(self):
        sign_in(self.client, self.w.anna)

    def post(self, path, data, status=302):
        response = self.client.post(path, data)
        self.assertEqual(response.status_code, status, response.content[:2000])
        return response

    def test_a_coordinator_builds_publishes_revises_and_follows_up_a_promise(self):
        response = self.post("/loften/kommun/2380/nytt/", {
            "title": "Medborgarlöfte", "start_year": 2023, "end_year": 2024,
            "situation": "Otrygghet i centrum.", "follow_up_months": 12,
        })  # fmt: skip
        promise = Promise.objects.get()
        self.assertEqual(response["Location"], f"/loften/{promise.pk}/")
        base = f"/loften/{promise.pk}"
        self.post(f"{base}/fokusomraden/", {"title": "Trygghet"})
        self.post(f"{base}/ataganden/", {"owner": "both", "text": "Vi ska arbeta med EST."})
        commitment = Commitment.objects.get()
        self.post(f"{base}/aktiviteter/", {
            "commitment": commitment.pk, "what": "Trygghetsvandring", "status": "planned",
            "responsible": self.w.orgs["polis"].pk, "responsible_person": "Petra",
        })  # fmt: skip
        self.post(f"{base}/indikatorer/ny/", {
            "name": "Andel trygga", "kind": "manual", "every": "year", "baseline_year": 2022,
            "baseline_value": "60", "target_value": "70", "direction": "higher",
            "source": "Trygghetsmätningen",
        })  # fmt: skip
        indicator = Indicator.objects.get()
        self.post(f"{base}/indikatorer/{indicator.pk}/", {"period": "2023", "value": "66"})
        self.post(f"{base}/publicera/", {})
        self.assertEqual(Promise.objects.get().status, Promise.Status.PUBLISHED)
        self.post(f"{base}/andra/", {
            "title": "Medborgarlöfte Östersund", "start_year": 2023, "end_year": 2024,
            "situation": "Otrygghet i centrum.", "follow_up_months": 6,
            "note": "Tydligare rubrik",
        })  # fmt: skip
        versions = self.client.get(f"{base}/versioner/").content.decode()
        self.assertIn("Tydligare rubrik", versions)
        self.assertIn("<del>Medborgarlöfte</del> → <ins>Medborgarlöfte Östersund</ins>", versions)
        first = self.client.get(f"{base}/versioner/1/").content.decode()
        self.assertIn("<h2>Medborgarlöfte 2023–2024</h2>", first)
        response = self.post(f"{base}/uppfoljning/ny/", {
            "made_on": "2024-01-15", "narrative": "Vandringen är gjord.",
        })  # fmt: skip
        made = FollowUp.objects.get()
        self.assertEqual(made.snapshot["indicators"][0]["latest"]["value"], 66.0)
        page = self.client.get(response["Location"]).content.decode()
        self.assertIn("Vandringen är gjord.", page)
        self.assertIn("Gult: bättre än basvärdet, målet är inte nått", page)

    def test_a_refused_form_shows_the_promise_again_with_the_error(self):
        p = build_promise(self.w)
        response = self.post(f"/loften/{p.promise.pk}/indikatorer/ny/", {
            "name": "Andel trygga", "kind": "manual", "every": "year", "baseline_year": 2022,
            "baseline_value": "60", "target_value": "70", "direction": "higher",
        }, status=400)  # fmt: skip
        self.assertContains(response, "Ange var siffrorna kommer ifrån.", status_code=400)

    def test_an_activity_status_changes_from_the_promise_page(self):
        p = build_promise(self.w)
        self.post(f"/loften/{p.promise.pk}/aktiviteter/{p.activity.pk}/status/", {"status": "done"})
        self.assertEqual(Activity.objects.get(pk=p.activity.pk).status, "done")

    def test_removing_an_activity_of_a_published_promise_keeps_it_in_the_first_version(self):
        p = build_promise(self.w)
        actions.publish_promise(promise=p.promise, by=self.w.anna)
        self.post(f"/loften/{p.promise.pk}/ta-bort/aktivitet/{p.activity.pk}/", {"note": "Klar"})
        self.assertFalse(Activity.objects.exists())
        first = self.client.get(f"/loften/{p.promise.pk}/versioner/1/")
        self.assertContains(first, "Trygghetsvandring i centrum")
        self.assertContains(self.client.get(f"/loften/{p.promise.pk}/versioner/"), "Borttaget")

    def test_revising_a_commitment_of_a_published_promise_writes_a_version(self):
        p = build_promise(self.w)
        actions.publish_promise(promise=p.promise, by=self.w.anna)
        path = f"/loften/{p.promise.pk}/andra/atagande/{p.commitment.pk}/"
        self.assertContains(self.client.get(path), "Vi ska arbeta med EST i centrum.")
        self.post(path, {"owner": "police", "text": "Polisen ska arbeta med EST.",
                         "focus_area": p.focus.pk})  # fmt: skip
        version = p.promise.versions.get(number=2)
        self.assertEqual({f[0] for f in version.changes[0]["fields"]}, {"owner", "text"})
        self.assertEqual(Commitment.objects.get().text, "Polisen ska arbeta med EST.")


class WhoSeesWhatTests(TryggTestCase):
    def setUp(self):
        self.p = build_promise(self.w)

    def test_the_partnership_reads_a_draft_but_only_coordinators_change_it(self):
        sign_in(self.client, self.w.sara)
        self.assertContains(self.client.get(f"/loften/{self.p.promise.pk}/"), "Utkast")
        response = self.client.post(f"/loften/{self.p.promise.pk}/publicera/")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Promise.objects.get().status, Promise.Status.DRAFT)

    def test_a_reporter_does_not_see_a_draft_but_reads_it_once_published(self):
        sign_in(self.client, self.w.karl)
        path = f"/loften/{self.p.promise.pk}/"
        self.assertEqual(self.client.get(path).status_code, 404)
        actions.publish_promise(promise=self.p.promise, by=self.w.anna)
        response = self.client.get(path)
        self.assertContains(response, "Vi ska arbeta med EST i centrum.")
        self.assertNotContains(response, f'action="/loften/{self.p.promise.pk}/publicera/"')

    def test_the_menu_offers_promises_to_the_partnership_only(self):
        link = '<a href="/loften/">Medborgarlöften</a>'
        sign_in(self.client, self.w.sara)
        self.assertContains(self.client.get("/"), link)
        sign_in(self.client, self.w.karl)
        self.assertNotContains(self.client.get("/"), link)

    def test_a_coordinator_of_another_municipality_sees_no_draft(self):
        sign_in(self.client, self.w.erik)
        self.assertEqual(self.client.get(f"/loften/{self.p.promise.pk}/").status_code, 404)


class InitiativePageTests(TryggTestCase):
    def test_the_create_form_says_in_swedish_that_no_case_data_is_held(self):
        sign_in(self.client, self.w.anna)
        response = self.client.get("/loften/kommun/2380/insatser/ny/")
        self.assertContains(response, "Trygg har inga uppgifter om enskilda personer.")

    def test_a_coordinator_registers_an_initiative_and_its_figures(self):
        sign_in(self.client, self.w.anna)
        response = self.client.post("/loften/kommun/2380/insatser/ny/", {
            "name": "Hej Främling!", "owner": self.w.orgs["kommun"].pk, "contact": "Kansliet",
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        figures = response["Location"] + "siffror/"
        self.client.post(figures, {"year": 2024, "sessions": 12, "participants": 150})
        page = self.client.get(response["Location"])
        self.assertContains(page, "<td>2024</td><td>12</td><td>150</td>", html=False)


class AdminTests(TryggTestCase):
    def test_the_admin_shows_promises_but_does_not_change_them(self):
        from django.contrib.auth.models import User

        p = build_promise(self.w)
        sign_in(self.client, User.objects.create_superuser("root", password="secret-pass-123"))
        listing = self.client.get("/admin/promises/promise/")
        self.assertContains(listing, "Medborgarlöfte Östersund")
        self.assertEqual(self.client.get("/admin/promises/promise/add/").status_code, 403)
        change = self.client.get(f"/admin/promises/promise/{p.promise.pk}/change/")
        self.assertNotContains(change, 'name="title"')


class PublicNoticeTests(TryggTestCase):
    """The forms whose texts citizens will read say so before anything is written."""

    PROMISE = "Offentligt när löftet är publicerat."
    FOLLOW_UP = "Offentligt när den sparas."

    def setUp(self):
        sign_in(self.client, self.w.anna)

    def page(self, path):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_promise_forms_say_their_texts_are_public_once_published(self):
        p = build_promise(self.w)
        base = f"/loften/{p.promise.pk}"
        part = f"{base}/andra/atagande/{p.commitment.pk}/"
        for path in ("/loften/kommun/2380/nytt/", f"{base}/", f"{base}/andra/", part,
                     f"{base}/indikatorer/ny/"):  # fmt: skip
            page = self.page(path)
            self.assertIn(self.PROMISE, page, path)
            self.assertIn("visas för alla, utan inloggning", page, path)

    def test_the_follow_up_form_says_its_narrative_is_public(self):
        p = build_promise(self.w)
        actions.publish_promise(promise=p.promise, by=self.w.anna)
        page = self.page(f"/loften/{p.promise.pk}/uppfoljning/ny/")
        self.assertIn(self.FOLLOW_UP, page)
        self.assertIn("uppföljningens berättelse", page)
