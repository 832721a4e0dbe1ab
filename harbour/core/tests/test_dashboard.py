import pytest
from django.urls import reverse

from conftest import PERSONAS


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "outsider"])
def test_every_member_sees_their_dashboard(world, client_for, persona):
    """ROL-01: every role of the school gets a dashboard."""
    response = client_for(persona).get(reverse("core:dashboard", args=["alpha"]))
    assert response.status_code == 200
    assert b"Alpha Primary School" in response.content


def test_outsider_gets_404_on_another_schools_dashboard(world, client_for):
    response = client_for("outsider").get(reverse("core:dashboard", args=["alpha"]))
    assert response.status_code == 404
    assert b"Alpha Primary" not in response.content


def test_dashboard_names_the_dsl(world, client_for):
    """ROL-03: the DSL is shown as the safeguarding contact."""
    response = client_for("teacher").get(reverse("core:dashboard", args=["alpha"]))
    assert world.dsl.user.display_name.encode() in response.content


def test_roles_page_is_generated_from_capability_map(world, client_for):
    response = client_for("teacher").get(reverse("core:roles", args=["alpha"]))
    assert response.status_code == 200
    assert b"Browse and export the audit trail" in response.content


def test_anonymous_is_sent_to_sign_in(db, client):
    response = client.get("/s/alpha/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dsl_is_named_before_deputies(world, client_for):
    """ROL-03: the DSL is the first safeguarding contact shown."""
    content = client_for("teacher").get(reverse("core:dashboard", args=["alpha"])).content.decode()
    assert content.index(world.dsl.user.display_name) < content.index(world.deputy.user.display_name)
