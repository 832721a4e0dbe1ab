"""GET /api/v1/schools/{slug}/learners/{id}/chronology/: same rules as the page (issue 4 item 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import chronology, services


@pytest.fixture
def concern(world):
    return services.concern_report(
        actor=world.teacher,
        category="cyberbullying",
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Unkind messages",
        description="Ada showed me the messages.",
        involvements=[services.Involvement(world.learner.pk, "witness")],
    )


def url(world, learner=None):
    return f"/api/v1/schools/{world.school.slug}/learners/{(learner or world.learner).pk}/chronology/"


def test_dsl_gets_the_events_paginated_and_the_call_is_audited(world, concern, client_for):
    services.concern_acknowledge(actor=world.dsl, concern=concern)
    response = client_for("dsl").get(url(world))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["kind"] == "reported"
    assert first["title"] == "Concern reported: Unkind messages"
    assert first["concern_reference"] == concern.reference
    assert first["learner_part"] == "Witness"
    assert first["pinned"] is False
    assert body["results"][1]["kind"] == "acknowledged"
    assert AuditEvent.objects.filter(action=chronology.VIEW_ACTION, actor=world.dsl.user).count() == 1


def test_kind_filter_repeats(world, concern, client_for):
    services.concern_acknowledge(actor=world.dsl, concern=concern)
    client = client_for("head")
    assert client.get(url(world), {"kind": "acknowledged"}).json()["count"] == 1
    assert client.get(url(world) + "?kind=acknowledged&kind=reported").json()["count"] == 2


@pytest.mark.parametrize(
    "params",
    [{"kind": "not_a_kind"}, {"date_from": "yesterday"}, {"date_from": "2026-05-02", "date_to": "2026-05-01"}],
)
def test_bad_filters_are_a_clear_400(world, concern, client_for, params):
    response = client_for("dsl").get(url(world), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]
    assert not AuditEvent.objects.filter(action=chronology.VIEW_ACTION).exists()


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "outsider", "governor"])
def test_everyone_outside_the_team_gets_404(world, concern, client_for, persona):
    response = client_for(persona).get(url(world))
    assert response.status_code == 404
    assert concern.reference not in response.content.decode()


def test_learner_of_another_school_is_404(world, client_for):
    assert client_for("dsl").get(url(world, world.other_learner)).status_code == 404


def test_chronology_is_in_the_openapi_schema(world, client_for):
    schema = client_for("dsl").get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/schools/{school_slug}/learners/{id}/chronology/" in schema
