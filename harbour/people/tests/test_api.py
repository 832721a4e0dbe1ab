"""The people API: the same need-to-know and tenancy rules as the pages, tokens, filters (ROL-01)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from harbour.accounts.roles import Role
from harbour.accounts.services import api_token_create
from harbour.audit.models import AuditEvent
from harbour.core.tests import factories as f

VULNERABILITY_KEYS = {"send_status", "is_looked_after", "has_child_protection_plan", "vulnerability_flags"}


@pytest.fixture(autouse=True)
def distinct_names(world):
    """Random factory surnames could match a search meant for someone else."""
    for learner, surname in (
        (world.learner, "Quillfeather"),
        (world.learner2, "Marchbanks"),
        (world.other_learner, "Thistlewood"),
    ):
        learner.last_name = surname
        learner.save(update_fields=["last_name"])


def api_url(name: str, *args: object, school: str = "alpha") -> str:
    return reverse(f"api-{name}", args=[school, *args])


@pytest.fixture
def api_for(world):
    """``api_for("teacher")``: an API client signed in (by session) as that persona."""

    def make(name: str) -> APIClient:
        client = APIClient()
        client.force_login(world.persona(name).user)
        return client

    return make


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def every_people_endpoint(world) -> list[str]:
    return [
        api_url("learner-list"),
        api_url("learner-detail", world.learner.pk),
        api_url("staff-list"),
        api_url("staff-detail", world.class_a.teachers.get().pk),
        api_url("class-list"),
        api_url("class-detail", world.class_a.pk),
    ]


# --- Tenancy -------------------------------------------------------------------------------------


def test_outsider_gets_404_problem_on_every_alpha_endpoint(world, api_for):
    """ROL-01: another school's DSL gets not-found problem details, never the records."""
    client = api_for("outsider")
    for address in every_people_endpoint(world):
        response = client.get(address)
        assert response.status_code == 404, address
        assert response["Content-Type"] == "application/problem+json"
        assert world.learner.last_name not in response.content.decode()


def test_outsiders_own_endpoints_hold_nothing_of_alpha(world, api_for):
    client = api_for("outsider")
    learners = client.get(api_url("learner-list", school="beta"))
    assert ids(learners) == {world.other_learner.pk}
    classes = client.get(api_url("class-list", school="beta"))
    assert {row["name"] for row in classes.json()["results"]} == {"3 Elm"}
    assert client.get(api_url("learner-detail", world.learner.pk, school="beta")).status_code == 404
    assert client.get(api_url("class-detail", world.class_a.pk, school="beta")).status_code == 404


def test_anonymous_caller_is_refused(world):
    response = APIClient().get(api_url("learner-list"))
    assert response.status_code in {401, 403}
    assert response["Content-Type"] == "application/problem+json"


# --- Need-to-know --------------------------------------------------------------------------------


def test_teacher_lists_own_class_learners_only(world, api_for):
    """ROL-01: a teacher's API view of learners matches their classes."""
    response = api_for("teacher").get(api_url("learner-list"))
    assert response.status_code == 200
    assert ids(response) == {world.learner.pk}


def test_teacher_gets_404_on_teacher2s_learner(world, api_for):
    """ROL-01."""
    client = api_for("teacher")
    assert client.get(api_url("learner-detail", world.learner.pk)).status_code == 200
    response = client.get(api_url("learner-detail", world.learner2.pk))
    assert response.status_code == 404
    assert response.json()["status"] == 404


@pytest.mark.parametrize("persona", ["governor", "technician"])
def test_roles_without_learner_access_get_404(world, api_for, persona):
    """ROL-01: governors and technicians get no learners through the API either."""
    client = api_for(persona)
    assert client.get(api_url("learner-list")).status_code == 404
    assert client.get(api_url("learner-detail", world.learner.pk)).status_code == 404


def test_governor_gets_404_on_staff_and_classes(world, api_for):
    client = api_for("governor")
    assert client.get(api_url("staff-list")).status_code == 404
    assert client.get(api_url("class-list")).status_code == 404


# --- Vulnerability fields ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "office"])
def test_vulnerability_fields_absent_for_roles_without_clearance(world, api_for, persona):
    """ROL-01: SEND and looked-after status are need-to-know, in the API as on the page."""
    client = api_for(persona)
    detail = client.get(api_url("learner-detail", world.learner.pk)).json()
    assert not VULNERABILITY_KEYS & detail.keys()
    listing = client.get(api_url("learner-list")).json()["results"]
    assert all(not VULNERABILITY_KEYS & row.keys() for row in listing)


def test_dsl_gets_vulnerability_fields(world, api_for):
    client = api_for("dsl")
    detail = client.get(api_url("learner-detail", world.learner.pk)).json()
    assert detail["send_status"] == "K"
    assert detail["is_looked_after"] is True
    assert "SEN support" in detail["vulnerability_flags"]
    listing = client.get(api_url("learner-list")).json()["results"]
    assert all(row.keys() >= VULNERABILITY_KEYS for row in listing)


# --- Audit ---------------------------------------------------------------------------------------


def test_api_learner_detail_is_audited(world, api_for):
    """ROL-01: reading a learner through the API leaves the same trace as the page."""
    api_for("deputy").get(api_url("learner-detail", world.learner.pk))
    event = AuditEvent.objects.get(action="learner.view")
    assert event.actor == world.deputy.user
    assert event.object_id == str(world.learner.pk)


def test_api_learner_list_is_not_audited_per_learner(world, api_for):
    api_for("dsl").get(api_url("learner-list"))
    assert not AuditEvent.objects.filter(action="learner.view").exists()


# --- Tokens --------------------------------------------------------------------------------------


def test_token_authenticates(world):
    issued = api_token_create(user=world.teacher.user, school=world.school, name="MIS sync")
    client = APIClient()
    response = client.get(api_url("learner-list"), HTTP_AUTHORIZATION=f"Token {issued.raw_key}")
    assert response.status_code == 200
    assert ids(response) == {world.learner.pk}


def test_token_for_beta_gets_404_on_alpha_even_for_an_alpha_member(world):
    """A token acts only in the school it was issued for, whatever else its owner may open."""
    f.MembershipFactory(user=world.dsl.user, school=world.other_school, role=Role.TEACHER)
    issued = api_token_create(user=world.dsl.user, school=world.other_school, name="Beta only")
    client = APIClient()
    for address in every_people_endpoint(world):
        response = client.get(address, HTTP_AUTHORIZATION=f"Token {issued.raw_key}")
        assert response.status_code == 404, address


def test_revoked_looking_token_is_refused(world):
    response = APIClient().get(api_url("learner-list"), HTTP_AUTHORIZATION="Token hbr_not-a-real-token")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


# --- Pagination, filters, search, ordering -------------------------------------------------------


def test_learner_list_is_paginated(world, api_for):
    body = api_for("dsl").get(api_url("learner-list"), {"page_size": 1}).json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"] is not None
    assert body["previous"] is None


def test_learner_filters(world, api_for):
    leaver = f.LearnerFactory(school=world.school, school_class=world.class_a, left_on=datetime.date(2024, 7, 19))
    client = api_for("dsl")
    assert ids(client.get(api_url("learner-list"), {"year_group": "4"})) == {world.learner2.pk}
    assert ids(client.get(api_url("learner-list"), {"school_class": world.class_a.pk})) == {world.learner.pk, leaver.pk}
    assert ids(client.get(api_url("learner-list"), {"left": "true"})) == {leaver.pk}
    assert ids(client.get(api_url("learner-list"), {"left": "false"})) == {world.learner.pk, world.learner2.pk}


def test_learner_search_and_ordering(world, api_for):
    client = api_for("dsl")
    assert ids(client.get(api_url("learner-list"), {"search": world.learner.upn})) == {world.learner.pk}
    assert ids(client.get(api_url("learner-list"), {"search": "Marchbanks"})) == {world.learner2.pk}
    ordered = client.get(api_url("learner-list"), {"ordering": "-year_group"}).json()["results"]
    assert [row["id"] for row in ordered] == [world.learner2.pk, world.learner.pk]


def test_class_filter_on_another_schools_class_finds_nothing(world, api_for):
    """An id from another school is just an id: no error that would confirm it exists."""
    other_class = world.other_learner.school_class
    response = api_for("dsl").get(api_url("learner-list"), {"school_class": other_class.pk})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_bad_filter_value_is_a_400_problem(world, api_for):
    response = api_for("dsl").get(api_url("learner-list"), {"school_class": "oak"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "school_class" in response.json()["errors"]


def test_staff_filters_and_login_flag(world, api_for):
    no_login = f.StaffMemberFactory(school=world.school, job_title="Site manager")
    gone = f.StaffMemberFactory(school=world.school, left_on=datetime.date(2023, 8, 31))
    client = api_for("teacher")
    everyone = client.get(api_url("staff-list")).json()["results"]
    assert {row["id"] for row in everyone} >= {no_login.pk, gone.pk}
    with_login = ids(client.get(api_url("staff-list"), {"has_login": "true"}))
    assert no_login.pk not in with_login
    assert len(with_login) == 2
    assert ids(client.get(api_url("staff-list"), {"current": "false"})) == {gone.pk}
    assert gone.pk not in ids(client.get(api_url("staff-list"), {"current": "true"}))
    assert ids(client.get(api_url("staff-list"), {"search": "site manager"})) == {no_login.pk}
    detail = client.get(api_url("staff-detail", no_login.pk)).json()
    assert detail["has_login"] is False
    assert detail["job_title"] == "Site manager"


def test_class_list_and_detail(world, api_for):
    client = api_for("technician")
    body = client.get(api_url("class-list"), {"year_group": "3"}).json()
    assert [row["id"] for row in body["results"]] == [world.class_a.pk]
    detail = client.get(api_url("class-detail", world.class_a.pk)).json()
    assert detail["learners_on_roll"] == 1
    assert [t["full_name"] for t in detail["teachers"]] == [world.class_a.teachers.get().full_name]
    assert "learners" not in detail


def test_schema_describes_flags_as_optional(db):
    """The published schema must not promise vulnerability fields to every caller."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    learner = schema["components"]["schemas"]["Learner"]
    assert "send_status" in learner["properties"]
    assert "send_status" not in learner["required"]
    assert "upn" in learner["required"]


def test_learner_without_a_class_is_served_with_nulls(world, api_for):
    unplaced = f.LearnerFactory(school=world.school, school_class=None)
    body = api_for("dsl").get(api_url("learner-detail", unplaced.pk)).json()
    assert body["school_class"] is None
    assert body["school_class_name"] is None
