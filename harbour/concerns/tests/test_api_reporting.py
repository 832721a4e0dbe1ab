"""The reporting API: categories, creating and reading concerns, receipts (REP-01, REP-04, REP-07)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.audit.models import AuditEvent
from harbour.concerns import services
from harbour.concerns.models import Attachment, Concern
from harbour.core.tests import factories as f

CATEGORY_IDS = {
    "filtering_breach",
    "peer_on_peer_abuse",
    "cyberbullying",
    "youth_produced_sexual_imagery",
    "online_sexual_harassment",
    "online_abuse_exploitation",
    "indecent_images_of_children",
    "illegal_content",
    "online_hate",
    "radicalisation_extremism",
    "staff_misuse_allegation",
    "data_breach",
    "other",
}


def api_url(name: str, *args: object, school: str = "alpha") -> str:
    return reverse(f"api-{name}", args=[school, *args])


@pytest.fixture
def api_for(world):
    def make(name: str) -> APIClient:
        client = APIClient()
        client.force_login(world.persona(name).user)
        return client

    return make


def payload(world, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "cyberbullying",
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "summary": "Group chat name-calling",
        "description": "Messages calling Ada names were shared in a year group chat.",
        "learners": [
            {"learner": world.learner.pk, "part": "affected"},
            {"learner": world.learner2.pk, "part": "alleged"},
        ],
        "location": "off_site",
        "equipment": "personal",
        "childs_own_words": "everyone laughs at me",
    }
    data.update(overrides)
    return data


# --- categories --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "governor", "dsl"])
def test_category_list_is_complete_for_any_member(world, api_for, persona):
    """REP-04: the fixed list with labels, descriptions, the 4 Cs and the image refusal flag."""
    response = api_for(persona).get(api_url("concern-category-list"))

    rows = response.json()
    assert response.status_code == 200
    assert {row["id"] for row in rows} == CATEGORY_IDS
    assert len(rows) == 13
    imagery = next(row for row in rows if row["id"] == "youth_produced_sexual_imagery")
    assert imagery["refuses_images"] is True
    assert set(imagery["risk_areas"]) == {"conduct", "contact"}
    assert set(rows[0]) == {"id", "label", "description", "risk_areas", "refuses_images"}


def test_category_list_is_404_for_another_school(world, api_for):
    assert api_for("outsider").get(api_url("concern-category-list")).status_code == 404


# --- creating ----------------------------------------------------------------------------------


def test_teacher_creates_a_concern_and_gets_only_a_receipt(world, api_for):
    """REP-07: a reporter without need-to-know gets reference and status, never the record."""
    response = api_for("teacher").post(api_url("concern-list"), payload(world), format="json")

    concern = Concern.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert body["reference"] == concern.reference
    assert body["status"] == "Received"
    assert body["category"] == "cyberbullying"
    assert not {"entries", "risk", "involvements", "outcome"} & set(body)
    assert response["Location"] == api_url("concern-receipt-detail", concern.pk)
    assert {(i.learner_id, i.part) for i in concern.involvements.all()} == {
        (world.learner.pk, "affected"),
        (world.learner2.pk, "alleged"),
    }
    assert concern.entries.get().kind == "reported"
    assert AuditEvent.objects.filter(action="concern.create", object_id=str(concern.pk)).exists()


def test_dsl_creates_a_concern_and_gets_it_in_full(world, api_for):
    response = api_for("dsl").post(api_url("concern-list"), payload(world), format="json")

    body = response.json()
    assert response.status_code == 201
    assert response["Location"] == api_url("concern-detail", body["id"])
    assert [i["learner"] for i in body["involvements"]] == [world.learner.pk, world.learner2.pk]
    assert [e["kind"] for e in body["entries"]] == ["reported"]


def test_on_behalf_and_staff_allegation_via_api(world, api_for):
    subject = f.StaffMemberFactory(school=world.school)
    client = api_for("support")

    behalf = client.post(api_url("concern-list"), payload(world, on_behalf_of_learner=True), format="json")
    allegation = client.post(
        api_url("concern-list"),
        payload(world, category="staff_misuse_allegation", subject_staff=subject.pk, learners=[]),
        format="json",
    )

    assert behalf.status_code == allegation.status_code == 201
    assert Concern.objects.get(pk=behalf.json()["id"]).reporter_kind == Concern.ReporterKind.ON_BEHALF
    assert list(Concern.objects.get(pk=allegation.json()["id"]).subject_staff.all()) == [subject]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "made_up"}, "category"),
        ({"occurred_at": (timezone.now() + timedelta(days=2)).isoformat()}, "occurred_at"),
        ({"description": None}, "description"),
        ({"summary": ""}, "summary"),
        ({"learners": [{"learner": 0, "part": "affected"}]}, "learners"),
        ({"learners": [{"learner": 1, "part": "bystander"}]}, "learners"),
        ({"category": "staff_misuse_allegation"}, "subject_staff"),
    ],
    ids=["unknown-category", "future-date", "missing-description", "blank-summary", "bad-id", "bad-part", "no-staff"],
)
def test_bad_input_is_a_400_problem_and_stores_nothing(world, api_for, overrides, field):
    data = payload(world, **overrides)
    if overrides.get("description", "") is None:
        data.pop("description")

    response = api_for("teacher").post(api_url("concern-list"), data, format="json")

    body = response.json()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in body["errors"]
    assert not Concern.objects.exists()


def test_learner_of_another_school_is_refused_and_nothing_stored(world, api_for):
    data = payload(world, learners=[{"learner": world.other_learner.pk, "part": "affected"}])

    response = api_for("teacher").post(api_url("concern-list"), data, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["learners"] == ["One of the learners is not on this school's roll."]
    assert not Concern.objects.exists()


def test_a_governor_cannot_log_a_concern_through_the_api(world, api_for):
    response = api_for("governor").post(api_url("concern-list"), payload(world), format="json")

    assert response.status_code == 403
    assert not Concern.objects.exists()


def test_another_schools_dsl_cannot_post_here(world, api_for):
    response = api_for("outsider").post(api_url("concern-list"), payload(world), format="json")

    assert response.status_code == 404
    assert not Concern.objects.exists()


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "technician", "outsider"])
def test_concern_detail_is_404_without_need_to_know_even_for_the_reporter(world, api_for, make_concern, persona):
    """REP-07: the reporter has a receipt; the record itself is for the team and named colleagues."""
    concern = make_concern("teacher")
    school = "beta" if persona == "outsider" else "alpha"

    response = api_for(persona).get(api_url("concern-detail", concern.pk, school=school))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="concern.view").exists()


def test_dsl_reads_a_concern_with_involvements_and_log_and_it_is_audited(world, api_for, make_concern):
    concern = make_concern("teacher")
    services.concern_add_note(actor=world.dsl, concern=concern, text="Spoke to Ada")

    response = api_for("dsl").get(api_url("concern-detail", concern.pk))

    body = response.json()
    assert response.status_code == 200
    assert body["reference"] == concern.reference
    assert body["involvements"][0]["learner_name"] == world.learner.full_name
    assert [e["kind"] for e in body["entries"]] == ["reported", "note"]
    assert body["entries"][1]["text"] == "Spoke to Ada"
    assert AuditEvent.objects.filter(action="concern.view", object_id=str(concern.pk), actor=world.dsl.user).exists()


def test_detail_never_includes_withheld_or_destroyed_attachments(world, api_for, make_concern):
    concern = make_concern("teacher")
    common = {"concern": concern, "content_type": "application/pdf", "size": 10, "sha256": "0" * 64}
    common["uploaded_by"] = world.dsl.user
    Attachment.objects.create(original_name="visible.pdf", file="concerns/a.pdf", **common)
    Attachment.objects.create(original_name="withheld.pdf", file="concerns/b.pdf", withheld_at=timezone.now(), **common)
    Attachment.objects.create(original_name="gone.pdf", file="concerns/c.pdf", destroyed_at=timezone.now(), **common)

    body = api_for("dsl").get(api_url("concern-detail", concern.pk)).json()

    assert [a["original_name"] for a in body["attachments"]] == ["visible.pdf"]


def test_addresses_are_hidden_on_categories_that_hide_them(world, api_for, make_concern):
    concern = make_concern("technician", category="filtering_breach", learners=[], description="Reached bad.example/x")

    body = api_for("dsl").get(api_url("concern-detail", concern.pk)).json()

    assert "bad.example" not in str(body)
    assert "[web address hidden]" in body["description"]


def test_list_shows_the_team_what_it_may_see_filtered_searched_and_audited(world, api_for, make_concern):
    bullying = make_concern("teacher", summary="Game chat")
    hate = make_concern("teacher2", category="online_hate", summary="Hateful post")
    services.concern_set_risk(actor=world.dsl, concern=hate, risk="high", reason="Threats", version=hate.version)
    client = api_for("dsl")

    everything = client.get(api_url("concern-list")).json()
    by_category = client.get(api_url("concern-list"), {"category": "online_hate"}).json()
    by_risk = client.get(api_url("concern-list"), {"risk": "high"}).json()
    by_status = client.get(api_url("concern-list"), {"status": "closed"}).json()
    by_search = client.get(api_url("concern-list"), {"search": bullying.reference}).json()
    by_words = client.get(api_url("concern-list"), {"search": "hateful"}).json()

    assert everything["count"] == 2
    assert [r["id"] for r in by_category["results"]] == [hate.pk]
    assert [r["id"] for r in by_risk["results"]] == [hate.pk]
    assert by_status["count"] == 0
    assert [r["id"] for r in by_search["results"]] == [bullying.pk]
    assert [r["id"] for r in by_words["results"]] == [hate.pk]
    assert AuditEvent.objects.filter(action="concern.list", actor=world.dsl.user).exists()


def test_list_is_empty_for_a_reporter_and_refuses_unknown_filters(world, api_for, make_concern):
    make_concern("teacher")
    client = api_for("teacher")

    assert client.get(api_url("concern-list")).json()["count"] == 0
    assert client.get(api_url("concern-list"), {"category": "made_up"}).status_code == 400


def test_list_for_another_school_is_404(world, api_for, make_concern):
    make_concern("teacher")

    assert api_for("outsider").get(api_url("concern-list")).status_code == 404


# --- receipts ----------------------------------------------------------------------------------


def test_reporter_lists_and_opens_their_receipts_only(world, api_for, make_concern):
    mine = make_concern("teacher")
    theirs = make_concern("teacher2")
    services.concern_add_note(actor=world.dsl, concern=mine, text="SECRET-NOTE")
    client = api_for("teacher")

    listing = client.get(api_url("concern-receipt-list")).json()
    detail = client.get(api_url("concern-receipt-detail", mine.pk))
    other = client.get(api_url("concern-receipt-detail", theirs.pk))

    assert [r["reference"] for r in listing["results"]] == [mine.reference]
    assert detail.status_code == 200
    assert detail.json()["learners"] == [
        {"name": world.learner.full_name, "class_name": "3 Oak", "part": "Affected or at risk"}
    ]
    assert "SECRET" not in str(detail.json())
    assert other.status_code == 404


def test_api_schema_documents_the_reporting_endpoints(world, api_for):
    schema = api_for("teacher").get(reverse("api-schema"), {"format": "json"}).json()

    for path in ("concern-categories/", "concerns/", "concerns/{id}/", "concern-receipts/", "concern-receipts/{id}/"):
        assert f"/api/v1/schools/{{school_slug}}/{path}" in schema["paths"]
