"""The concern list and concern page: who sees what (REP-07, INC-STAFF-05), audit of every view,
inert web addresses (INC-IIOC-07, INC-FILT-09), filters, and a bounded number of queries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.tests.helpers import csp_violations
from harbour.audit.models import AuditEvent
from harbour.concerns import services, triage
from harbour.concerns.models import Concern, Referral
from harbour.concerns.tests.conftest import make_chair
from harbour.core.tests import factories as f

NO_NEED_TO_KNOW = ("teacher2", "technician", "governor", "slt", "office", "support", "admin")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "concerns"


def list_url(school: str = "alpha") -> str:
    return reverse("concerns:list", args=[school])


def detail_url(concern: Concern, school: str = "alpha") -> str:
    return reverse("concerns:detail", args=[school, concern.pk])


@pytest.fixture
def concern(make_concern) -> Concern:
    return make_concern()


# --- REP-07: need-to-know ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["dsl", "deputy", "head"])
def test_safeguarding_team_sees_the_concern_in_the_list_and_opens_it(persona, concern, client_for):
    client = client_for(persona)
    listing = client.get(list_url())
    assert listing.status_code == 200
    assert concern.reference in listing.content.decode()
    assert client.get(detail_url(concern)).status_code == 200


@pytest.mark.parametrize("persona", NO_NEED_TO_KNOW)
def test_colleague_without_need_to_know_gets_404_on_list_and_concern(persona, concern, client_for):
    client = client_for(persona)
    assert client.get(list_url()).status_code == 404
    assert client.get(detail_url(concern)).status_code == 404


def test_outsider_gets_404_in_either_school(concern, client_for):
    client = client_for("outsider")
    assert client.get(list_url()).status_code == 404
    assert client.get(detail_url(concern)).status_code == 404
    assert client.get(detail_url(concern, school="beta")).status_code == 404
    assert concern.reference not in client.get(list_url("beta")).content.decode()


def test_reporter_gets_404_on_the_concern_page(concern, client_for):
    """REP-07: the teacher who reported it gets a receipt, never the DSL's workspace."""
    client = client_for("teacher")
    assert client.get(detail_url(concern)).status_code == 404
    assert client.get(list_url()).status_code == 404


def test_shared_colleague_reads_it_without_the_action_panels(world, concern, client_for):
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    client = client_for("teacher2")
    listing = client.get(list_url())
    assert listing.status_code == 200
    assert concern.reference in listing.content.decode()
    page = client.get(detail_url(concern)).content.decode()
    assert "Add a note" in page
    assert "Work on this concern" not in page
    assert reverse("concerns:triage_risk", args=["alpha", concern.pk]) not in page


def test_shared_colleague_is_refused_a_manager_action_with_404(world, concern, client_for):
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    response = client_for("teacher2").post(
        reverse("concerns:triage_risk", args=["alpha", concern.pk]),
        {"risk-version": concern.version, "risk-risk": "low", "risk-reason": "Seems minor"},
    )
    assert response.status_code == 404
    concern.refresh_from_db()
    assert concern.risk == ""


def test_revoked_share_means_404_again(world, concern, client_for):
    share = services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    services.concern_unshare(actor=world.dsl, share=share)
    assert client_for("teacher2").get(detail_url(concern)).status_code == 404


def test_trust_lead_reads_but_gets_no_panels_and_no_note(world, concern):
    from django.test import Client

    lead = f.TrustRoleFactory(organisation=world.school.organisation, user=f.UserFactory(mfa=True))
    client = Client()
    client.force_login(lead.user)
    page = client.get(detail_url(concern))
    assert page.status_code == 200
    assert "Work on this concern" not in page.content.decode()
    assert "Add a note" not in page.content.decode()


# --- INC-STAFF-05: allegations -----------------------------------------------------------------


def _allegation(world, subject_user, reporter):
    subject = subject_user.staff_records.filter(school=world.school).first() or f.StaffMemberFactory(
        school=world.school, user=subject_user
    )
    return services.concern_report(
        actor=reporter,
        category="staff_misuse_allegation",
        occurred_at=timezone.now(),
        summary="Messages to a pupil on a personal account",
        description="A pupil showed me messages from a member of staff's personal account.",
        subject_staff_id=subject.pk,
    )


def test_allegation_about_a_teacher_goes_to_the_head_only(world, client_for):
    allegation = _allegation(world, world.teacher.user, world.teacher2)
    assert client_for("head").get(detail_url(allegation)).status_code == 200
    for persona in ("dsl", "deputy", "teacher", "teacher2"):
        assert client_for(persona).get(detail_url(allegation)).status_code == 404, persona
    assert allegation.reference not in client_for("dsl").get(list_url()).content.decode()


def test_allegation_about_the_head_goes_to_the_chair_of_governors(world, client_for):
    make_chair(world.governor)
    allegation = _allegation(world, world.head.user, world.deputy)
    chair = client_for("governor")
    page = chair.get(detail_url(allegation))
    assert page.status_code == 200
    assert "Work on this concern" in page.content.decode()
    assert allegation.reference in chair.get(list_url()).content.decode()
    for persona in ("head", "dsl", "deputy"):
        assert client_for(persona).get(detail_url(allegation)).status_code == 404, persona


# --- audit -------------------------------------------------------------------------------------


def test_opening_the_concern_page_is_audited(world, concern, client_for):
    client_for("deputy").get(detail_url(concern))
    assert AuditEvent.objects.filter(action="concern.view", actor=world.deputy.user, object_id=str(concern.pk)).exists()


def test_listing_concerns_is_audited_with_the_filters(world, concern, client_for):
    client_for("dsl").get(list_url(), {"status": "new"})
    event = AuditEvent.objects.filter(action="concern.list", actor=world.dsl.user).get()
    assert event.changes == {"filters": {"status": "new"}}


# --- INC-IIOC-07, INC-FILT-09: inert web addresses ---------------------------------------------

ADDRESS = "http://bad.example.com/page?id=7"


def _no_link_to(html: str, host: str) -> bool:
    return re.search(rf"href=[\"'][^\"']*{re.escape(host)}", html) is None


def test_addresses_are_hidden_until_the_dsl_reveals_them(world, make_concern, client_for):
    breach = make_concern(category="filtering_breach", description=f"The filter let {ADDRESS} through.")
    client = client_for("dsl")
    hidden = client.get(detail_url(breach)).content.decode()
    assert "bad.example.com" not in hidden
    assert "[web address hidden]" in hidden
    assert not AuditEvent.objects.filter(action="concern.reveal_addresses").exists()

    shown = client.get(detail_url(breach), {"reveal": "1"}).content.decode()
    assert '<code class="inert-address">http://bad.example.com/page?id=7</code>' in shown
    assert _no_link_to(shown, "bad.example.com")
    assert AuditEvent.objects.filter(
        action="concern.reveal_addresses", actor=world.dsl.user, object_id=str(breach.pk)
    ).exists()


def test_a_shared_colleague_cannot_reveal_hidden_addresses(world, make_concern, client_for):
    breach = make_concern(category="filtering_breach", description=f"The filter let {ADDRESS} through.")
    services.concern_share(actor=world.dsl, concern=breach, user=world.technician.user, reason="Filtering")
    page = client_for("technician").get(detail_url(breach), {"reveal": "1"}).content.decode()
    assert "bad.example.com" not in page
    assert not AuditEvent.objects.filter(action="concern.reveal_addresses").exists()


def test_addresses_are_never_links_on_other_categories(make_concern, client_for):
    bullying = make_concern(description="Posts on www.example.org/abc and https://chat.example.net/r/1.")
    page = client_for("dsl").get(detail_url(bullying)).content.decode()
    assert '<code class="inert-address">www.example.org/abc</code>' in page
    assert _no_link_to(page, "example.org")
    assert _no_link_to(page, "example.net")


def test_notes_and_corrections_hide_addresses_too(world, make_concern, client_for):
    breach = make_concern(category="filtering_breach")
    note = services.concern_add_note(actor=world.dsl, concern=breach, text=f"Checked {ADDRESS}")
    services.concern_amend_entry(actor=world.dsl, entry=note, text="Checked evil.example.org", reason="Wrong site")
    page = client_for("dsl").get(detail_url(breach)).content.decode()
    assert "example" not in page.split('id="log-h"')[1].split("Follow-ups")[0]


def test_reported_address_of_an_iwf_report_is_hidden_until_revealed(world, concern, client_for):
    triage.referral_record(
        actor=world.dsl,
        concern=concern,
        agency=Referral.Agency.IWF,
        made_at=timezone.now(),
        reported_address="https://images.example.com/x",
    )
    client = client_for("dsl")
    assert "images.example.com" not in client.get(detail_url(concern)).content.decode()
    shown = client.get(detail_url(concern), {"reveal": "1"}).content.decode()
    assert '<code class="inert-address">https://images.example.com/x</code>' in shown
    assert _no_link_to(shown, "images.example.com")


def test_no_concern_template_applies_urlize():
    for template in TEMPLATES.rglob("*.html"):
        assert "|urlize" not in template.read_text(), template


def test_summary_in_the_list_hides_addresses_on_hiding_categories(make_concern, client_for):
    make_concern(category="filtering_breach", summary="Reached bad.example.com in ICT")
    page = client_for("dsl").get(list_url()).content.decode()
    assert "bad.example.com" not in page
    assert "[web address hidden]" in page


# --- the list ----------------------------------------------------------------------------------


def test_list_filters_by_status_category_risk_text_and_date(world, make_concern, client_for):
    bullying = make_concern(summary="Group chat names")
    breach = make_concern(category="filtering_breach", summary="Game site reached")
    services.concern_set_risk(actor=world.dsl, concern=breach, risk="high", reason="Repeated", version=breach.version)
    client = client_for("dsl")

    def refs(**params: str) -> set[str]:
        body = client.get(list_url(), params).content.decode()
        return {ref for ref in (bullying.reference, breach.reference) if ref in body}

    assert refs(category="filtering_breach") == {breach.reference}
    assert refs(risk="high") == {breach.reference}
    assert refs(risk="none") == {bullying.reference}
    assert refs(q="chat") == {bullying.reference}
    assert refs(q=breach.reference) == {breach.reference}
    assert refs(status="closed") == set()
    today = timezone.localdate().isoformat()
    assert refs(reported_from=today, reported_to=today) == {bullying.reference, breach.reference}
    assert refs(reported_to="2000-01-01") == set()


def test_a_reversed_date_range_is_explained(concern, client_for):
    body = client_for("dsl").get(list_url(), {"reported_from": "2025-02-01", "reported_to": "2025-01-01"}).content
    assert b"The end date is before the start date." in body


def test_htmx_filtering_returns_only_the_results(concern, client_for):
    response = client_for("dsl").get(list_url(), {"q": concern.reference}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert concern.reference in body
    assert "HX-Request" in response["Vary"]


def test_list_links_each_concern_to_its_page(concern, client_for):
    body = client_for("dsl").get(list_url()).content.decode()
    assert f'href="{detail_url(concern)}"' in body


# --- the page ----------------------------------------------------------------------------------


def test_page_shows_learners_with_their_part_and_the_childs_own_words(world, make_concern, client_for):
    concern = make_concern(
        learners=[(world.learner, "affected"), (world.learner2, "alleged")],
        childs_own_words="He said he would share it with everyone.",
    )
    page = client_for("dsl").get(detail_url(concern)).content.decode()
    assert reverse("people:learner_detail", args=["alpha", world.learner.pk]) in page
    assert "Alleged to have caused harm" in page
    assert "He said he would share it with everyone." in page


def test_concern_page_passes_the_content_security_policy(concern, client_for):
    assert csp_violations(client_for("dsl").get(detail_url(concern)).content.decode()) == []
    assert csp_violations(client_for("dsl").get(list_url()).content.decode()) == []


def _add_history(world, concern: Concern, n: int) -> None:
    for i in range(n):
        note = services.concern_add_note(actor=world.dsl, concern=concern, text=f"Note {i}")
        services.concern_amend_entry(actor=world.deputy, entry=note, text=f"Note {i}, corrected", reason="Typo")
        triage.decision_record(actor=world.dsl, concern=concern, kind="monitor", reasons=f"Watch {i}")
        triage.referral_record(
            actor=world.dsl, concern=concern, agency="social_care", made_at=timezone.now(), reference=f"R{i}"
        )
        triage.consultation_record(
            actor=world.dsl,
            concern=concern,
            consulted="advice_service",
            question="What next?",
            advice="Monitor",
            consulted_at=timezone.now(),
        )
        triage.parent_decision_record(actor=world.dsl, concern=concern, choice="not_yet", reason="Waiting")


def _queries_for_page(client, concern: Concern) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(detail_url(concern)).status_code == 200
    return len(captured)


def test_concern_page_runs_a_fixed_number_of_queries_however_long_its_history(world, make_concern, client_for):
    short, long = make_concern(), make_concern()
    _add_history(world, short, 1)
    _add_history(world, long, 12)
    client = client_for("dsl")
    _queries_for_page(client, short)  # warm the session and caches
    assert _queries_for_page(client, long) == _queries_for_page(client, short)
