"""Everyone not named in a case's consent gets a 404 on every SSPF route, and no output leaks it.

The routes come from the URL resolver (namespace sspf), so a route added later
is checked without anyone listing it. The people: every role of the test
partnership (tests/world.py), the other SSPF coordinator, a teacher the
consent does not name, and bo, who takes part in another case.
"""

from __future__ import annotations

from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, get_resolver, reverse

from tests import test_access_table as table
from tests.sspf.world import SCHOOL, SOCIAL, TEST_KEY, SspfTestCase, person
from tests.world import PEOPLE, sign_in
from trygg.api import api
from trygg.partners.models import Municipality
from trygg.sspf import actions
from trygg.sspf.actions import Covered
from trygg.sspf.models import Case, CoordinatorGrant

# Distinctive strings of one case: none may appear anywhere but that case's own pages.
CANARY = {
    "name": "Kanarie Zetterqvist",
    "school_unit": "Kanarieskolan QX7",
    "document": "KANARIE-DNR-4471",
    "organisation": "Kanariegården Väst",
    "goal": "Kanariemålet närvaro",
    "note": "Kanarieanteckning om mötet",
}


def sspf_routes() -> list[URLPattern]:
    """Every route of the sspf namespace, read from the resolver."""
    _prefix, resolver = get_resolver().namespace_dict["sspf"]
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


def canary_case(coordinator, named) -> Case:
    """An open case full of CANARY strings; `named` (a user) takes part for the school."""
    ostersund = Municipality.objects.get(code="2380")
    case = actions.open_case(by=coordinator, municipality=ostersund, age_band="12-14",
                             school_unit=CANARY["school_unit"], concern="school",
                             name=CANARY["name"])  # fmt: skip
    today = case.opened_on
    actions.record_consent(
        by=coordinator, case=case, given_on=today, expires_on=today.replace(year=today.year + 1),
        document_reference=CANARY["document"], by_guardian_1=True, by_guardian_2=True,
        scope=[Covered(SCHOOL, CANARY["organisation"], named)],
    )  # fmt: skip
    actions.add_participant(by=coordinator, case=case, user=named, organisation_kind=SCHOOL)
    actions.add_plan_item(by=coordinator, case=case, goal=CANARY["goal"], action="Mentor",
                          owner_kind=SCHOOL)  # fmt: skip
    actions.add_note(by=coordinator, case=case, text=CANARY["note"])
    return case


def canaries_of(case: Case) -> list[str]:
    """The clear strings, the pseudonym and the ciphertexts of `case`."""
    consent = case.consents.get()
    tokens = [case.name_token, consent.document_reference]
    tokens += [e.organisation_name for e in consent.scope.all()]
    return [*CANARY.values(), case.pseudonym, *tokens]


@override_settings(SSPF_KEYS=[TEST_KEY])
class SspfAccessMatrixTests(SspfTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.w
        cls.case = canary_case(w.sofia, w.lars)
        # A second case, sven's, with its own participant bo.
        w.bo = person("bo")
        cls.other = actions.open_case(by=w.sven, municipality=w.ostersund, age_band="15-17",
                                      school_unit="Norra", concern="crime")  # fmt: skip
        cls.consent(cls, cls.other, by=w.sven, by_young_person=True,
                    scope=[Covered(SOCIAL, "Soc", w.bo)])  # fmt: skip
        actions.add_participant(by=w.sven, case=cls.other, user=w.bo, organisation_kind=SOCIAL)
        actions.add_plan_item(by=w.sven, case=cls.other, goal="Mål", action="Gör",
                              owner_kind=SOCIAL)  # fmt: skip

    def path(self, pattern: URLPattern, case: Case, kwargs: dict | None = None) -> str:
        values = {"case_id": case.pk, "item_id": case.plan.first().pk,
                  "code": self.w.ostersund.code,
                  "grant_id": CoordinatorGrant.objects.first().pk}  # fmt: skip
        wanted = {k: values[k] for k in pattern.pattern.converters}
        return reverse(f"sspf:{pattern.name}", kwargs=kwargs or wanted)

    def answer(self, user, method: str, path: str):
        with transaction.atomic():
            sign_in(self.client, user)
            response = (self.client.post if method == "POST" else self.client.get)(path)
            self.client.logout()
            transaction.set_rollback(True)  # one request's writes never reach the next
        return response

    def outsiders_of(self, case: Case) -> list:
        w = self.w
        everyone = [getattr(w, name) for name in PEOPLE] + [w.otto, w.sven, w.ulla, w.bo]
        if case == self.other:
            everyone = [w.sofia, w.lars, w.maria, w.per, w.ulla, w.adam, w.anna]
        return everyone

    def test_the_route_list_really_is_read_from_the_resolver(self):
        names = {p.name for p in sspf_routes()}
        assert {"case", "name", "note", "plan_status", "history", "purge"} <= names
        assert sum("case_id" in p.pattern.converters for p in sspf_routes()) >= 12

    def test_everyone_not_named_in_the_consent_gets_404_on_every_case_route(self):
        for case in (self.case, self.other):
            for pattern in sspf_routes():
                if "case_id" not in pattern.pattern.converters:
                    continue
                path = self.path(pattern, case)
                missing = self.path(pattern, case, {
                    k: 999999 for k in pattern.pattern.converters})  # fmt: skip
                for user in self.outsiders_of(case):
                    for method in ("GET", "POST"):
                        with self.subTest(route=pattern.name, user=user.username, method=method):
                            got = self.answer(user, method, path).status_code
                            # A POST-only route answers a GET 405 before it looks at the
                            # case: the same as for a case that does not exist.
                            same = self.answer(user, method, missing).status_code
                            assert got == 404 or (got == 405 == same), got

    def test_no_other_sspf_answer_to_an_outsider_holds_the_case(self):
        canaries = canaries_of(self.case)
        for pattern in sspf_routes():
            if "case_id" in pattern.pattern.converters:
                continue
            for user in self.outsiders_of(self.case):
                for method in ("GET", "POST"):
                    body = self.answer(user, method, self.path(pattern, self.case)).content
                    found = [c for c in canaries if c in body.decode(errors="replace")]
                    assert found == [], (pattern.name, user.username, method)

    def test_the_participant_and_coordinator_do_see_it(self):
        # Guards the test above against a case nobody could see.
        for user in (self.w.sofia, self.w.lars):
            page = self.answer(user, "GET", f"/sspf/{self.case.pk}/")
            assert page.status_code == 200 and CANARY["school_unit"] in page.content.decode()

    def test_the_api_schema_has_no_sspf_path(self):
        paths = api.get_openapi_schema()["paths"]
        assert [p for p in paths if "sspf" in p.lower()] == []
        body = self.client.get("/api/v1/openapi.json").content.decode().lower()
        assert "sspf" not in body and "/samtycke" not in body


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@override_settings(SSPF_KEYS=[TEST_KEY])
class CanaryCrawlTests(table.AccessTableTests):
    """Every GET route of the access table, crawled as a coordinator and an administrator.

    Exports, the lägesbild, Open311, the API and search: the canary case's
    strings, clear or encrypted, appear in none of them.
    """

    # The table's own tests run in tests/test_access_table.py; only the crawl runs here.
    test_every_route_has_a_decision = None
    test_every_api_operation_is_in_the_table = None
    test_each_role_gets_what_the_table_says_on_every_route = None
    test_every_answer_to_a_logged_in_coordinator_or_a_token_is_no_store = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.canary = canary_case(cls.case.coordinator, cls.w.greta)

    def test_no_page_export_or_feed_holds_the_canary_case(self):
        canaries = canaries_of(self.canary)
        for role in ("anna", "adam"):
            for name, (method, template, _expected) in table.ROUTES.items():
                if method != "GET":
                    continue
                with self.subTest(route=name, role=role), transaction.atomic():
                    path = self.path_of(template)
                    if path.startswith("/api/"):
                        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
                        response = self.client.get(path, headers=headers)
                    else:
                        sign_in(self.client, getattr(self.w, role))
                        response = self.client.get(path)
                    body = body_of(response)
                    self.client.logout()
                    transaction.set_rollback(True)
                    assert [c for c in canaries if c in body] == [], response.status_code
