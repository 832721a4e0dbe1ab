"""/api/v1/schools/<slug>/memberships/: the member register, read-only (ROL-01)."""

from __future__ import annotations

import pytest
from django.test import Client

from harbour.accounts import services
from harbour.accounts.roles import Role

URL = "/api/v1/schools/alpha/memberships/"


def _emails(response) -> set[str]:
    return {row["email"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", ["dsl", "deputy", "head", "admin"])
def test_register_roles_list_members_of_their_school_only(world, client_for, persona):
    response = client_for(persona).get(URL)
    assert response.status_code == 200
    emails = _emails(response)
    assert "teacher@alpha.test" in emails
    assert "dsl@beta.test" not in emails


def test_filter_by_role(world, client_for):
    response = client_for("dsl").get(URL, {"role": Role.GOVERNOR})
    rows = response.json()["results"]
    assert [r["email"] for r in rows] == ["governor@alpha.test"]
    assert rows[0]["is_named_online_safety_governor"] is True
    assert rows[0]["role_label"] == "Governor"


def test_filter_by_is_active(world, client_for):
    services.membership_deactivate(actor=world.head, membership=world.teacher2, reason="Left")
    client = client_for("dsl")
    assert _emails(client.get(URL, {"is_active": "false"})) == {"teacher2@alpha.test"}
    assert "teacher2@alpha.test" not in _emails(client.get(URL, {"is_active": "true"}))


def test_bad_role_filter_is_a_400_problem(world, client_for):
    response = client_for("dsl").get(URL, {"role": "wizard"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("persona", ["teacher", "governor", "office", "outsider"])
def test_others_get_404_problem(world, client_for, persona):
    response = client_for(persona).get(URL)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert b"alpha.test" not in response.content


def test_anonymous_is_refused_with_problem(db):
    response = Client().get(URL)
    assert response.status_code in {401, 403}
    assert response["Content-Type"] == "application/problem+json"


def test_read_only(world, client_for):
    response = client_for("head").post(URL, {"email": "x@alpha.test", "role": "dsl"}, content_type="application/json")
    assert response.status_code == 405
