"""Triage API sub-resources: same need-to-know as the page (REP-07), same guards (REP-16, REP-17,
INC-YPSI-10), append-only log (REP-08), hidden addresses (INC-IIOC-07), problem details on errors."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.audit.models import AuditEvent
from harbour.concerns import services, triage
from harbour.concerns.models import Concern, ConcernEntry, Decision, FollowUp

SUB_RESOURCES = ["decision-list", "referral-list", "consultation-list", "parent-decision-list", "entry-list"]


def url(name: str, concern: Concern, school: str = "alpha") -> str:
    return reverse(f"api-concern-{name}", args=[school, concern.pk])


@pytest.fixture
def api_for(world):
    def make(name: str) -> APIClient:
        client = APIClient()
        client.force_login(world.persona(name).user)
        return client

    return make


@pytest.fixture
def concern(make_concern) -> Concern:
    return make_concern()


@pytest.mark.parametrize("name", SUB_RESOURCES)
def test_dsl_reads_every_sub_resource_and_each_read_is_audited(world, concern, api_for, name):
    response = api_for("dsl").get(url(name, concern))
    assert response.status_code == 200
    assert "results" in response.json()
    assert AuditEvent.objects.filter(action="concern.view", actor=world.dsl.user, object_id=str(concern.pk)).exists()


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "technician", "governor", "outsider"])
def test_everyone_without_need_to_know_gets_404_on_read_and_write(concern, api_for, persona):
    client = api_for(persona)
    for name in SUB_RESOURCES:
        assert client.get(url(name, concern)).status_code == 404, name
        response = client.post(url(name, concern), {"text": "x", "kind": "nfa", "reasons": "x"}, format="json")
        assert response.status_code == 404, name
        assert response["Content-Type"] == "application/problem+json"
    assert client.post(url("external-share", concern), {}, format="json").status_code == 404
    assert not Decision.objects.exists()
    assert not ConcernEntry.objects.filter(kind=ConcernEntry.Kind.NOTE).exists()


def test_shared_colleague_reads_and_adds_notes_but_cannot_decide(world, concern, api_for):
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    client = api_for("teacher2")
    assert client.get(url("decision-list", concern)).status_code == 200
    decided = client.post(url("decision-list", concern), {"kind": "nfa", "reasons": "Fine"}, format="json")
    assert decided.status_code == 404
    noted = client.post(url("entry-list", concern), {"text": "Ada seemed happier today"}, format="json")
    assert noted.status_code == 201
    assert noted.json()["kind"] == "note"
    assert not Decision.objects.exists()


def test_decision_is_recorded_with_reasons(world, concern, api_for):
    response = api_for("dsl").post(
        url("decision-list", concern), {"kind": "monitor", "reasons": "Watch the group chat"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["kind_label"] == "Monitor in school"
    assert api_for("dsl").get(url("decision-list", concern)).json()["results"][0]["reasons"] == "Watch the group chat"


def test_sanction_on_a_harmed_learner_needs_confirmation_over_the_api(world, make_concern, api_for):
    concern = make_concern(category="youth_produced_sexual_imagery")
    body = {
        "kind": "behaviour",
        "reasons": "Sent an image",
        "sanction": "Detention",
        "support": "Counselling",
        "sanctioned_learners": [world.learner.pk],
    }
    refused = api_for("dsl").post(url("decision-list", concern), body, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert "confirm_affected_sanction" in refused.json()["errors"]
    assert not Decision.objects.exists()
    confirmed = {**body, "confirm_affected_sanction": True, "trauma_note": "Quietly, with the counsellor present"}
    assert api_for("dsl").post(url("decision-list", concern), confirmed, format="json").status_code == 201


def test_police_referral_over_the_api_needs_call_type_and_reference(concern, api_for):
    client = api_for("dsl")
    body = {"agency": "police", "made_at": timezone.now().isoformat()}
    refused = client.post(url("referral-list", concern), body, format="json")
    assert refused.status_code == 400
    assert {"police_call", "reference"} <= set(refused.json()["errors"])
    created = client.post(
        url("referral-list", concern), {**body, "police_call": "101", "reference": "CAD-9"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["police_call"] == "101"


def test_social_care_referral_over_the_api_opens_a_chase(concern, api_for):
    response = api_for("dsl").post(
        url("referral-list", concern),
        {"agency": "social_care", "made_at": timezone.now().isoformat(), "reference": "SCS-1"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["acknowledgement_due_at"] is not None
    assert FollowUp.objects.filter(kind=FollowUp.Kind.REFERRAL_CHASE, concern=concern).exists()
    ack = api_for("dsl").post(
        reverse("api-concern-referral-acknowledge", args=["alpha", concern.pk, response.json()["id"]]),
        {},
        format="json",
    )
    assert ack.status_code == 201
    assert ack.json()["acknowledged_at"] is not None


def test_external_sharing_over_the_api_waits_for_recorded_advice(make_concern, api_for):
    concern = make_concern(category="online_abuse_exploitation")
    client = api_for("dsl")
    share = {"recipient": "Beta Primary DSL", "what_was_shared": "Account name only", "reason": "Their pupils"}
    refused = client.post(url("external-share", concern), share, format="json")
    assert refused.status_code == 400
    assert "advice" in refused.json()["errors"][0]
    advice = {
        "consulted": "advice_service",
        "question": "May we tell Beta?",
        "advice": "Yes, DSL to DSL",
        "consulted_at": timezone.now().isoformat(),
    }
    assert client.post(url("consultation-list", concern), advice, format="json").status_code == 201
    assert client.post(url("external-share", concern), share, format="json").status_code == 201


def test_parent_decision_over_the_api(concern, api_for):
    response = api_for("dsl").post(
        url("parent-decision-list", concern),
        {"choice": "do_not_tell", "reason": "Police asked us to wait"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["choice"] == "do_not_tell"


def test_action_log_cannot_be_deleted_or_changed_over_the_api(world, concern, api_for):
    client = api_for("dsl")
    count = ConcernEntry.objects.filter(concern=concern).count()
    assert client.delete(url("entry-list", concern)).status_code == 405
    assert client.put(url("entry-list", concern), {"text": "x"}, format="json").status_code == 405
    assert ConcernEntry.objects.filter(concern=concern).count() == count


def test_corrections_point_at_the_entry_they_correct(world, concern, api_for):
    note = services.concern_add_note(actor=world.dsl, concern=concern, text="Met at 9")
    services.concern_amend_entry(actor=world.dsl, entry=note, text="Met at 10", reason="Wrong time")
    rows = api_for("dsl").get(url("entry-list", concern)).json()["results"]
    correction = next(row for row in rows if row["kind"] == "amendment")
    original = next(row for row in rows if row["id"] == note.pk)
    assert correction["amends"] == note.pk
    assert original["text"] == "Met at 9"


def test_addresses_are_hidden_in_the_api_until_a_manager_reveals_them(world, make_concern, api_for):
    breach = make_concern(category="filtering_breach")
    services.concern_add_note(actor=world.dsl, concern=breach, text="Reached http://bad.example.com/x")
    services.concern_share(actor=world.dsl, concern=breach, user=world.technician.user, reason="Filtering")

    def note_text(persona: str, **params: str) -> str:
        rows = api_for(persona).get(url("entry-list", breach), params).json()["results"]
        return next(row["text"] for row in rows if row["kind"] == "note")

    assert note_text("dsl") == "Reached [web address hidden]"
    assert note_text("technician", reveal="true") == "Reached [web address hidden]"
    assert not AuditEvent.objects.filter(action="concern.reveal_addresses").exists()
    assert note_text("dsl", reveal="true") == "Reached http://bad.example.com/x"
    assert AuditEvent.objects.filter(action="concern.reveal_addresses", actor=world.dsl.user).exists()


def test_reported_address_is_hidden_in_the_api_until_revealed(world, concern, api_for):
    triage.referral_record(
        actor=world.dsl, concern=concern, agency="iwf", made_at=timezone.now(), reported_address="http://x.example/a"
    )
    hidden = api_for("dsl").get(url("referral-list", concern)).json()["results"][0]
    shown = api_for("dsl").get(url("referral-list", concern), {"reveal": "1"}).json()["results"][0]
    assert hidden["reported_address"] == "[web address hidden]"
    assert shown["reported_address"] == "http://x.example/a"


def test_triage_endpoints_are_in_the_openapi_schema(api_for):
    schema = api_for("dsl").get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    for path in ("decisions/", "referrals/", "consultations/", "parent-decisions/", "entries/", "external-shares/"):
        assert f"/api/v1/schools/{{school_slug}}/concerns/{{id}}/{path}" in schema, path
