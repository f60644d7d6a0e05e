"""Who reads which promise: the partnership reads drafts; everyone else only published ones."""

from tests.promises.helpers import build_promise
from tests.world import TryggTestCase
from trygg.promises import access, actions


class PromiseAccessTests(TryggTestCase):
    def setUp(self):
        self.draft = build_promise(self.w).promise
        published = build_promise(self.w, start_year=2025, end_year=2026).promise
        self.published = actions.publish_promise(promise=published, by=self.w.anna)

    def visible(self, user):
        return set(access.visible_promises(user))

    def test_the_public_never_gets_a_draft(self):
        self.assertEqual(set(access.public_promises(self.w.ostersund)), {self.published})
        self.assertEqual(set(access.public_promises(self.w.krokom)), set())

    def test_the_partnership_reads_drafts_of_its_own_municipality(self):
        for name in ("sara", "greta", "anna", "adam", "petra"):
            with self.subTest(name):
                self.assertEqual(self.visible(getattr(self.w, name)), {self.draft, self.published})

    def test_others_read_only_what_is_published(self):
        for name in ("karl", "erik", "otto"):
            with self.subTest(name):
                self.assertEqual(self.visible(getattr(self.w, name)), {self.published})

    def test_only_coordinators_of_the_municipality_change_promises(self):
        municipality = self.w.ostersund.pk
        editors = {n for n in ("anna", "petra", "sara", "greta", "adam", "karl", "erik")
                   if access.may_edit(getattr(self.w, n), municipality)}  # fmt: skip
        self.assertEqual(editors, {"anna", "petra"})

    def test_an_archived_promise_stays_public(self):
        actions.archive_promise(promise=self.published, by=self.w.anna)
        self.assertEqual(set(access.public_promises(self.w.ostersund)), {self.published})
