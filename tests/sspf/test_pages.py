"""The coordinator's pages through HTTP: open, consent, add, withdraw, close, delete, history."""

from datetime import timedelta

from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from tests.sspf.test_purge import rows_containing
from tests.sspf.world import SspfTestCase
from tests.world import sign_in
from trygg.sspf import actions
from trygg.sspf.actions import Covered
from trygg.sspf.models import Case, CoordinatorGrant, SspfAuditEvent, SspfSettings

KEY = Fernet.generate_key().decode()


def consent_form(**overrides):
    today = timezone.localdate()
    data = {
        "by_guardian_1": "on",
        "by_guardian_2": "on",
        "given_on": today.isoformat(),
        "expires_on": (today + timedelta(days=300)).isoformat(),
        "document_reference": "Dnr 2026/44",
        "kind_1": "school",
        "organisation_1": "Parkskolan",
        "person_1": "lars",
        "kind_2": "leisure",
        "organisation_2": "Fritidsgården",
    }
    data.update(overrides)
    return data


@override_settings(SSPF_KEYS=[KEY])
class CoordinatorPagesTests(SspfTestCase):
    def as_user(self, user):
        self.client.logout()
        sign_in(self.client, user)

    def test_the_coordinator_runs_a_case_from_opening_to_deletion(self):
        self.as_user(self.w.sofia)
        response = self.client.post("/sspf/kommun/2380/nytt/", {
            "age_band": "12-14", "school_unit": "Parkskolan", "concern": "school",
            "name": "Alva Andersson",
        })  # fmt: skip
        case = Case.objects.get()
        self.assertRedirects(response, f"/sspf/{case.pk}/", fetch_redirect_response=False)
        assert "Alva" not in case.name_token
        # Nobody can be added before the consent.
        page = self.client.get(f"/sspf/{case.pk}/")
        assert page.status_code == 200 and page.context["participant_form"] is None
        response = self.client.post(f"/sspf/{case.pk}/samtycke/", consent_form())
        assert response.status_code == 302, response.content
        entry = case.consents.get().scope.get(user=self.w.lars)
        response = self.client.post(f"/sspf/{case.pk}/deltagare/", {"entry": entry.pk})
        assert response.status_code == 302
        assert list(case.participants.values_list("user__username", flat=True)) == ["lars"]
        self.as_user(self.w.lars)
        assert self.client.get(f"/sspf/{case.pk}/").status_code == 200
        assert b"Alva Andersson" in self.client.get(f"/sspf/{case.pk}/namn/").content
        self.as_user(self.w.sofia)
        history = self.client.get(f"/sspf/{case.pk}/logg/?person={self.w.lars.pk}")
        read = [(e.action, e.target) for e in history.context["events"]]
        assert read[0] == ("read", "name")  # newest first
        targets = {"case", "consent", "participant", "meeting", "plan", "note", "name"}
        assert {t for _, t in read} == targets and {a for a, _ in read} == {"read"}
        assert self.client.post(f"/sspf/{case.pk}/aterkalla/").status_code == 302
        assert self.client.get(f"/sspf/{case.pk}/").status_code == 404
        pseudonym, token = case.pseudonym, Case.objects.get().name_token
        assert self.client.post(f"/sspf/{case.pk}/radera/").status_code == 302
        assert not Case.objects.exists()
        # Nothing of it in any table: sessions and flashed messages included.
        assert rows_containing(pseudonym, token, "Alva", "Dnr 2026/44") == []

    def test_an_error_report_would_not_show_the_name_or_the_school_unit(self):
        self.as_user(self.w.sofia)
        response = self.client.post("/sspf/kommun/2380/nytt/", {
            "age_band": "12-14", "school_unit": "Parkskolan", "concern": "school",
            "name": "Alva Andersson",
        })  # fmt: skip
        posted = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
        assert posted["name"] != "Alva Andersson" and posted["school_unit"] != "Parkskolan"
        assert posted["concern"] == "school"

    def test_an_incomplete_consent_is_shown_again_with_the_reason(self):
        case = self.open_case(age_band="15-17")
        self.as_user(self.w.sofia)
        response = self.client.post(f"/sspf/{case.pk}/samtycke/", consent_form())
        assert response.status_code == 400
        assert "15 år" in response.content.decode()
        assert not case.consents.exists()

    def test_a_person_outside_the_consent_cannot_be_posted_in(self):
        case = self.open_case()
        self.consent(case)
        self.as_user(self.w.sofia)
        outside = case.consents.get().scope.filter(user__isnull=True).get()
        response = self.client.post(f"/sspf/{case.pk}/deltagare/", {"entry": outside.pk})
        assert response.status_code == 400
        assert not case.participants.exists()

    def test_closing_asks_for_an_outcome_and_leaves_deletion(self):
        case = self.running_case()
        self.as_user(self.w.sofia)
        assert self.client.post(f"/sspf/{case.pk}/avsluta/", {}).status_code == 400
        response = self.client.post(f"/sspf/{case.pk}/avsluta/", {"outcome": "plan_completed"})
        assert response.status_code == 302
        assert Case.objects.get().status == "closed"
        assert self.client.get(f"/sspf/{case.pk}/radera/").status_code == 200
        self.as_user(self.w.lars)
        assert self.client.get(f"/sspf/{case.pk}/").status_code == 404

    def test_every_page_of_a_case_is_a_404_to_those_not_named(self):
        case = self.running_case()
        paths = ["", "namn/", "samtycke/", "aterkalla/", "avsluta/", "radera/", "logg/"]
        for user in (self.w.sven, self.w.ulla, self.w.per, self.w.anna, self.w.adam):
            self.as_user(user)
            for path in paths:
                with self.subTest(user=user.username, path=path):
                    assert self.client.get(f"/sspf/{case.pk}/{path}").status_code == 404
            assert self.client.post(f"/sspf/{case.pk}/deltagare/", {}).status_code == 404

    def test_a_participant_may_not_manage_or_read_the_history(self):
        case = self.running_case()
        self.as_user(self.w.lars)
        for path in ("samtycke/", "aterkalla/", "avsluta/", "radera/", "logg/"):
            assert self.client.get(f"/sspf/{case.pk}/{path}").status_code == 404, path

    def test_the_list_shows_each_their_own_cases_and_logs_each(self):
        case = self.running_case()
        self.as_user(self.w.maria)
        before = SspfAuditEvent.objects.count()
        response = self.client.get("/sspf/")
        assert [c.pk for c in response.context["cases"]] == [case.pk]
        assert SspfAuditEvent.objects.count() == before + 1
        self.as_user(self.w.sven)
        assert self.client.get("/sspf/").context["cases"] == []

    def test_a_participant_without_a_second_factor_is_sent_to_get_one_not_shown_the_case(self):
        # nora has no authenticator, so no other rule of Trygg asks her for one.
        nora = User.objects.create_user("nora", password="secret-pass-123")
        case = self.open_case()
        self.consent(case, scope=[Covered("leisure", "Fritidsgården", nora)])
        actions.add_participant(by=self.w.sofia, case=case, user=nora, organisation_kind="leisure")
        self.client.force_login(nora)
        response = self.client.get(f"/sspf/{case.pk}/")
        assert response.status_code == 302
        assert response["Location"].startswith("/tvafaktor/")
        assert not SspfAuditEvent.objects.filter(actor_id=nora.pk).exists()

    def test_the_steering_group_reads_the_statistics_page(self):
        case = self.running_case()
        actions.close_case(by=self.w.sofia, case=case, outcome="plan_completed")
        self.as_user(self.w.greta)
        response = self.client.get("/sspf/kommun/2380/statistik/")
        assert response.status_code == 200
        assert "–" in response.content.decode()  # one case: suppressed
        self.as_user(self.w.karl)
        assert self.client.get("/sspf/kommun/2380/statistik/").status_code == 404


class CasePageFormsTests(SspfTestCase):
    def test_the_coordinator_plans_and_the_participants_follow_up(self):
        case = self.running_case()
        lars = case.participants.get(user=self.w.lars)
        sign_in(self.client, self.w.sofia)
        response = self.client.post(f"/sspf/{case.pk}/moten/", {
            "kind": "network", "held_on": timezone.localdate().isoformat(),
            "attendees": [lars.pk], "guardians_present": "on",
        })  # fmt: skip
        assert response.status_code == 302
        assert list(case.meetings.get().attendees.all()) == [lars]
        for owner in ("school", "police"):
            response = self.client.post(f"/sspf/{case.pk}/plan/", {
                "goal": "Närvaro", "action": "Ring 070-1234567", "owner_kind": owner,
            })  # fmt: skip
            assert response.status_code == 302
        school, police = case.plan.order_by("pk")
        assert "070" not in school.action
        self.client.logout()
        sign_in(self.client, self.w.lars)
        page = self.client.get(f"/sspf/{case.pk}/")
        assert page.context["meeting_form"] is None and page.context["plan_form"] is None
        url = f"/sspf/{case.pk}/plan/{school.pk}/status/"
        assert self.client.post(url, {"status": "done"}).status_code == 302
        url = f"/sspf/{case.pk}/plan/{police.pk}/status/"
        assert self.client.post(url, {"status": "done"}).status_code == 404
        assert [i.status for i in case.plan.order_by("pk")] == ["done", "planned"]
        assert self.client.post(f"/sspf/{case.pk}/moten/", {}).status_code == 404
        response = self.client.post(f"/sspf/{case.pk}/anteckningar/", {"text": "Mentor bokad"})
        assert response.status_code == 302
        assert case.notes.get().author == self.w.lars

    def test_a_long_note_is_shown_again_with_the_reason(self):
        case = self.running_case()
        sign_in(self.client, self.w.maria)
        response = self.client.post(f"/sspf/{case.pk}/anteckningar/", {"text": "x" * 501})
        assert response.status_code == 400
        assert not case.notes.exists()


class GrantPagesTests(SspfTestCase):
    def test_an_administrator_grants_and_revokes_the_role_and_sees_no_case(self):
        case = self.running_case()
        sign_in(self.client, self.w.adam)
        page = self.client.get("/sspf/kommun/2380/samordnare/")
        assert {g.user.username for g in page.context["grants"]} == {"sofia", "sven"}
        response = self.client.post("/sspf/kommun/2380/samordnare/", {"username": "ulla"})
        assert response.status_code == 302
        grant = CoordinatorGrant.objects.active().get(user=self.w.ulla)
        assert self.client.get(f"/sspf/{case.pk}/").status_code == 404
        response = self.client.post(f"/sspf/kommun/2380/samordnare/{grant.pk}/aterkalla/")
        assert response.status_code == 302
        assert not CoordinatorGrant.objects.active().filter(user=self.w.ulla).exists()

    def test_a_user_without_a_second_factor_is_refused_the_role(self):
        sign_in(self.client, self.w.adam)
        response = self.client.post("/sspf/kommun/2380/samordnare/", {"username": "karl"})
        assert response.status_code == 400
        assert "andra faktor" in response.content.decode()

    def test_only_the_municipalitys_administrators_manage_the_role(self):
        grant = CoordinatorGrant.objects.get(user=self.w.sofia)
        for user in (self.w.anna, self.w.sofia, self.w.erik):
            self.client.logout()
            sign_in(self.client, user)
            assert self.client.get("/sspf/kommun/2380/samordnare/").status_code == 404
            url = f"/sspf/kommun/2380/samordnare/{grant.pk}/aterkalla/"
            assert self.client.post(url).status_code == 404
        assert CoordinatorGrant.objects.active().filter(user=self.w.sofia).exists()

    def test_an_administrator_sets_the_retention_within_bounds(self):
        sign_in(self.client, self.w.adam)
        page = self.client.get("/sspf/kommun/2380/samordnare/")
        assert page.context["retention_form"]["purge_after_months"].value() == 6
        data = {"purge_after_months": "3", "audit_months": "36"}
        assert self.client.post("/sspf/kommun/2380/gallring/", data).status_code == 302
        own = SspfSettings.objects.get(municipality=self.w.ostersund)
        assert (own.purge_after_months, own.audit_months) == (3, 36)
        data = {"purge_after_months": "48", "audit_months": "36"}
        assert self.client.post("/sspf/kommun/2380/gallring/", data).status_code == 400
        assert SspfSettings.objects.get().purge_after_months == 3
        self.client.logout()
        sign_in(self.client, self.w.sofia)
        assert self.client.post("/sspf/kommun/2380/gallring/", data).status_code == 404
