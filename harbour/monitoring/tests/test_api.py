"""The monitoring API: alerts for the DSL team only, upload status for uploaders (FLT-08)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from harbour.audit.models import AuditEvent
from harbour.monitoring.models import Alert
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def upload(world, known_learner, ingest_file, tmp_path):
    return ingest_file(grouped_log(tmp_path / "access.log"))


def api(name: str, *args: object, slug: str = "alpha") -> str:
    return reverse(name, args=[slug, *args])


def test_dsl_lists_and_opens_alerts(world, client_for, upload):
    client = client_for("dsl")
    body = client.get(api("api-monitoring-alert-list"), {"severity": "medium"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["category"], row["count"], row["learner"]["id"], row["status"]) == (
        "gambling",
        3,
        world.learner.pk,
        "open",
    )
    assert "sample_urls" not in row  # the list carries no addresses
    detail = client.get(api("api-monitoring-alert-detail", row["id"])).json()
    assert detail["hosts"][0] == "example-casino.test"
    assert AuditEvent.objects.filter(action="monitoring.alert_view", object_id=str(row["id"])).count() == 1
    searched = client.get(api("api-monitoring-alert-list"), {"q": world.learner.last_name}).json()
    assert searched["count"] == 2


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "governor", "technician", "outsider"])
def test_others_get_problem_404_on_alerts(world, client_for, upload, persona):
    alert = Alert.objects.first()
    client = client_for(persona)
    for path in (api("api-monitoring-alert-list"), api("api-monitoring-alert-detail", alert.pk)):
        response = client.get(path)
        assert response.status_code == 404, (persona, path)
        assert response["Content-Type"].startswith(PROBLEM)


def test_upload_status_for_the_technician(world, client_for, upload):
    client = client_for("technician")
    body = client.get(api("api-monitoring-upload-detail", upload.pk)).json()
    assert (body["status"], body["percent"], body["requests"], body["alerts_created"]) == ("done", 100, 6, 2)
    assert client.get(api("api-monitoring-upload-list")).json()["count"] == 1
    for persona in ("teacher", "outsider"):
        response = client_for(persona).get(api("api-monitoring-upload-detail", upload.pk))
        assert response.status_code == 404
    anonymous = client_for("dsl").__class__().get(api("api-monitoring-upload-list"))
    assert anonymous.status_code in (401, 403)
