"""GET /api/v1/schools/{school}/policy/ask and /policy/vocabulary (issue 5 item 7, GOV-23).

Same JSON as the command; 400 with {"detail", "valid"} for unknown words; 404 for a school the caller
cannot see; the answer comes from the school's published configuration.
"""

from __future__ import annotations

import pytest
from django.test import Client

from harbour.policy import services
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS

from .rules_support import demo_config


@pytest.fixture
def joy_lane_world(world):
    """The test school runs Joy Lane's published policy."""
    world.school.policy_settings = demo_config("joy-lane")
    world.school.save(update_fields=["policy_settings"])
    return world


def ask_url(world, query: str) -> str:
    return f"/api/v1/schools/{world.school.slug}/policy/ask?{query}"


def test_member_gets_the_answer(joy_lane_world, client_for):
    """DEV-LRN-02 (Joy Lane 9.3 p2): learners hand phones in at the office."""
    response = client_for("teacher").get(ask_url(joy_lane_world, "actor=learner&action=bring_personal_phone_on_site"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"verdict", "conditions", "clauses", "explanation"}
    assert body["verdict"] == "conditional"
    assert body["clauses"] == ["9.3 p2"]


def test_repeated_where_parameters(joy_lane_world, client_for):
    """DEV-GEN-05 (Joy Lane 9.1 p4): a toilet is device-free, whatever the device."""
    response = client_for("governor").get(
        ask_url(
            joy_lane_world,
            "actor=visitor&action=use_personal_phone_on_site&where=location:toilet&where=device:smart_watch",
        )
    )
    assert response.status_code == 200
    assert response.json()["verdict"] == "forbidden"
    assert response.json()["clauses"] == ["9.1 p4"]


def test_trailing_slash_is_accepted(joy_lane_world, client_for):
    url = f"/api/v1/schools/{joy_lane_world.school.slug}/policy/ask/?actor=staff&action=send_abusive_message"
    assert client_for("teacher").get(url).status_code == 200


@pytest.mark.parametrize(
    ("query", "kind", "valid_sample"),
    [
        ("actor=janitor&action=send_abusive_message", "actor", "staff"),
        ("actor=staff&action=fly_drone", "action", "bring_personal_phone_on_site"),
        ("actor=staff&action=bring_personal_phone_on_site&where=location:hall", "context key", "reason"),
        ("actor=staff&action=use_personal_phone_on_site&where=location:moon", "context value", "classroom"),
        ("actor=staff&action=use_personal_phone_on_site&where=location", "parameter", "location"),
        ("action=send_abusive_message", "parameter", "learner"),
        ("actor=staff", "parameter", "send_abusive_message"),
    ],
)
def test_unknown_words_get_400_with_the_valid_ones(joy_lane_world, client_for, query, kind, valid_sample):
    """policy-questions.md §1: HTTP 400, detail and the list of valid words."""
    response = client_for("teacher").get(ask_url(joy_lane_world, query))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["kind"] == kind
    assert valid_sample in body["valid"]


def test_other_school_and_anonymous_get_nothing(joy_lane_world, client_for):
    """Tenancy: a member of another school gets 404; no login gets no answer."""
    url = ask_url(joy_lane_world, "actor=staff&action=send_abusive_message")
    assert client_for("outsider").get(url).status_code == 404
    assert Client().get(url).status_code in (401, 403)
    assert client_for("teacher").get(url.replace("/alpha/", "/nowhere/")).status_code == 404


def test_answer_follows_the_schools_own_configuration(world, client_for):
    """GOV-24: the same question differs by school only through its configuration."""
    world.school.policy_settings = demo_config("st-james")
    world.school.save(update_fields=["policy_settings"])
    body = client_for("head").get(ask_url(world, "actor=learner&action=bring_personal_phone_on_site")).json()
    assert body["clauses"] == ["6.3.2"]
    assert "Headteacher" in body["conditions"][0]


def test_vocabulary_lists_actors_actions_and_keys(joy_lane_world, client_for):
    response = client_for("support").get(f"/api/v1/schools/{joy_lane_world.school.slug}/policy/vocabulary")
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body["actors"]] == list(ACTORS)
    assert [a["id"] for a in body["actions"]] == list(ACTIONS)
    lesson = next(a for a in body["actions"] if a["id"] == "use_personal_phone_in_lesson")
    assert lesson["context_keys"] == ["reason", "device"]
    assert {k["id"] for k in body["context_keys"]} >= {"location", "device", "reason"}


def test_schema_documents_the_endpoints(db, client_for, world):
    schema = client_for("teacher").get("/api/v1/schema/").content.decode()
    assert "/policy/ask" in schema
    assert "/policy/vocabulary" in schema


def test_answer_comes_from_the_published_version_not_a_draft(world, client_for):
    """GOV-05/GOV-24: questions are answered from the version in force; an open draft changes nothing."""
    services.policy_version_adopt(
        school=world.school, config=demo_config("joy-lane"), note="Adopted for the test", approved_on=None
    )
    draft = demo_config("joy-lane")
    draft["learner_phone_rule"] = "switched_off_out_of_sight"
    services.policy_version_save_draft(actor=world.head, school=world.school, config=draft, note="Trying a change")
    body = client_for("teacher").get(ask_url(world, "actor=learner&action=keep_personal_phone_with_them")).json()
    assert body["verdict"] == "forbidden"
    assert body["clauses"] == ["9.3 p2"]
