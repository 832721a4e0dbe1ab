"""Breach and check API: the same doors as the pages, problem JSON for bad input (FLT-03, INC-FILT-03..10)."""

from __future__ import annotations

import pytest

from harbour.filtering.models import Breach, Check
from harbour.filtering.tests.helpers import check, report

pytestmark = pytest.mark.django_db
BASE = "/api/v1/schools/alpha/filtering"


def test_teacher_reports_through_the_api_and_gets_a_receipt(world, client_for):
    response = client_for("teacher").post(
        f"{BASE}/breaches/",
        {
            "occurred_at": "2026-01-05T10:00:00Z",
            "what_seen": "Pop-up",
            "address": "https://x.test/a",
            "category": "adult",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "Received"
    assert "provider_ticket" not in body
    assert Breach.objects.get().reported_by == world.teacher.user


def test_bad_breach_is_a_problem_and_stores_nothing(world, client_for):
    response = client_for("teacher").post(
        f"{BASE}/breaches/", {"occurred_at": "soon", "category": "nope"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert {"occurred_at", "what_seen", "category"} <= set(response.json()["errors"])
    assert not Breach.objects.exists()


def test_handlers_list_and_read_breaches_others_get_404(world, client_for):
    breach = report(world.teacher)
    listing = client_for("technician").get(f"{BASE}/breaches/", {"category": "gambling"})
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    detail = client_for("dsl").get(f"{BASE}/breaches/{breach.pk}/").json()
    assert detail["address"].startswith("hxxps[://]")
    for persona in ("teacher", "teacher2", "governor", "outsider"):
        assert client_for(persona).get(f"{BASE}/breaches/{breach.pk}/").status_code == 404
    assert client_for("teacher2").get(f"{BASE}/breaches/").status_code == 404


def test_checks_read_by_staff_written_by_keepers(world, client_for):
    check(world.technician)
    assert client_for("governor").get(f"{BASE}/checks/").json()["count"] == 1
    payload = {
        "checked_at": "2026-01-05T10:00:00Z",
        "system": "monitoring",
        "method": "alert",
        "test_detail": "test phrase",
        "device": "PC 2",
        "result": "pass",
    }
    assert client_for("teacher").post(f"{BASE}/checks/", payload, content_type="application/json").status_code == 404
    created = client_for("technician").post(f"{BASE}/checks/", payload, content_type="application/json")
    assert created.status_code == 201
    assert created["Location"].endswith(f"/checks/{created.json()['id']}/")
    bad = client_for("technician").post(
        f"{BASE}/checks/", {**payload, "result": "fail"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "follow_up" in bad.json()["errors"]
    assert Check.objects.count() == 2
    assert client_for("outsider").get(f"{BASE}/checks/{created.json()['id']}/").status_code == 404


def test_schema_lists_the_filtering_endpoints(world, client_for):
    schema = client_for("dsl").get("/api/v1/schema/").content.decode()
    assert "/filtering/breaches/" in schema
    assert "/filtering/checks/" in schema
