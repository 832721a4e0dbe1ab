"""The member register: roles, the named online-safety governor, leavers and the rule that a
school always keeps a DSL (ROL-01, ROL-02, GOV-18)."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from conftest import make_member
from harbour.accounts import services
from harbour.accounts.models import Membership, User
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.audit.models import AuditEvent
from harbour.core.tests import factories as f
from harbour.core.tests.factories import TEST_PASSWORD


def _detail(membership: Membership) -> str:
    return reverse("members:member_detail", args=[membership.school.slug, membership.pk])


def _change_role(client: Client, membership: Membership, role: str, **extra: str):
    return client.post(_detail(membership), {"action": "change_role", "role": role, **extra})


def _deactivate(client: Client, membership: Membership, reason: str = "Left the school in July"):
    return client.post(_detail(membership), {"action": "deactivate", "reason": reason})


# --- Seeing the register -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["dsl", "deputy", "head", "admin"])
def test_register_roles_see_the_member_list(world, client_for, persona):
    response = client_for(persona).get("/s/alpha/members/")
    assert response.status_code == 200
    assert b"teacher@alpha.test" in response.content
    assert b"dsl@beta.test" not in response.content


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "support", "technician", "office", "slt", "governor"])
def test_colleagues_without_need_to_know_get_404_on_member_pages(world, client_for, persona):
    client = client_for(persona)
    assert client.get("/s/alpha/members/").status_code == 404
    assert client.get(_detail(world.dsl)).status_code == 404
    assert _change_role(client, world.dsl, Role.TEACHER).status_code == 404
    world.dsl.refresh_from_db()
    assert world.dsl.role == Role.DSL


def test_outsider_gets_404_on_member_pages(world, client_for):
    client = client_for("outsider")
    assert client.get("/s/alpha/members/").status_code == 404
    assert client.get(_detail(world.teacher)).status_code == 404
    assert _deactivate(client, world.teacher).status_code == 404
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


def test_head_gets_404_on_another_schools_member_through_own_school_url(world, client_for):
    url = reverse("members:member_detail", args=["alpha", world.outsider.pk])
    assert client_for("head").get(url).status_code == 404


def test_dsl_sees_but_cannot_change_roles(world, client_for):
    client = client_for("dsl")
    page = client.get(_detail(world.teacher))
    assert page.status_code == 200
    assert b"Change role" not in page.content
    assert _change_role(client, world.teacher, Role.SLT).status_code == 404
    world.teacher.refresh_from_db()
    assert world.teacher.role == Role.TEACHER


def test_member_list_filters_by_role_and_answers_htmx_with_the_results_only(world, client_for):
    response = client_for("head").get("/s/alpha/members/?role=governor", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"governor@alpha.test" in response.content
    assert b"teacher@alpha.test" not in response.content
    assert b"<html" not in response.content


def test_member_list_shows_leavers_only_when_asked(world, client_for):
    services.membership_deactivate(actor=world.head, membership=world.teacher2, reason="Moved away")
    client = client_for("head")
    assert b"teacher2@alpha.test" not in client.get("/s/alpha/members/").content
    assert b"teacher2@alpha.test" in client.get("/s/alpha/members/?status=left").content


# --- ROL-02: never without a DSL ----------------------------------------------------------


def test_changing_the_only_dsls_role_is_refused_and_changes_nothing(world, client_for):
    """ROL-02: the school would be left with no active DSL."""
    response = _change_role(client_for("head"), world.dsl, Role.TEACHER)
    assert response.status_code == 200
    assert b"without an active designated safeguarding lead" in response.content
    world.dsl.refresh_from_db()
    assert world.dsl.role == Role.DSL
    assert not AuditEvent.objects.filter(action="membership.change_role").exists()


def test_deactivating_the_only_dsl_is_refused_and_changes_nothing(world, client_for):
    """ROL-02. (The head: an administrator may not end a DSL's access at all, issue #12.5.)"""
    response = _deactivate(client_for("head"), world.dsl)
    assert response.status_code == 200
    assert b"without an active designated safeguarding lead" in response.content
    world.dsl.refresh_from_db()
    assert world.dsl.is_active
    assert world.dsl.user.is_active
    assert not AuditEvent.objects.filter(action="membership.deactivate").exists()


def test_with_a_second_dsl_the_first_can_change_role(world, client_for):
    make_member(world.school, Role.DSL, "dsl2@alpha.test")
    response = _change_role(client_for("head"), world.dsl, Role.DEPUTY_DSL)
    assert response.status_code == 302
    world.dsl.refresh_from_db()
    assert world.dsl.role == Role.DEPUTY_DSL
    event = AuditEvent.objects.get(action="membership.change_role")
    assert event.actor == world.head.user
    assert event.changes["role"] == [Role.DSL, Role.DEPUTY_DSL]


def test_with_a_second_dsl_the_first_can_leave(world, client_for):
    make_member(world.school, Role.DSL, "dsl2@alpha.test")
    assert _deactivate(client_for("head"), world.dsl).status_code == 302
    world.dsl.refresh_from_db()
    assert not world.dsl.is_active


def test_a_dsl_whose_login_is_closed_does_not_count(world):
    """ROL-02: a second DSL only counts while their login is active."""
    second = make_member(world.school, Role.DSL, "dsl2@alpha.test")
    User.objects.filter(pk=second.user.pk).update(is_active=False)
    with pytest.raises(Exception, match="without an active designated safeguarding lead"):
        services.membership_change_role(actor=world.head, membership=world.dsl, role=Role.TEACHER)


# --- Roles and the named governor ----------------------------------------------------------


def test_head_changes_a_role_and_it_is_audited(world, client_for):
    response = _change_role(client_for("head"), world.teacher, Role.SLT)
    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.role == Role.SLT
    event = AuditEvent.objects.get(action="membership.change_role")
    assert event.object_id == str(world.teacher.pk)
    assert event.changes == {"role": [Role.TEACHER, Role.SLT]}


def test_named_governor_toggle_is_offered_only_for_governors(world, client_for):
    client = client_for("head")
    assert b"is_named_online_safety_governor" in client.get(_detail(world.governor)).content
    assert b"is_named_online_safety_governor" not in client.get(_detail(world.teacher)).content


def test_head_clears_and_sets_the_named_governor_flag(world, client_for):
    """GOV-18."""
    client = client_for("head")
    assert _change_role(client, world.governor, Role.GOVERNOR).status_code == 302
    world.governor.refresh_from_db()
    assert not world.governor.is_named_online_safety_governor
    _change_role(client, world.governor, Role.GOVERNOR, is_named_online_safety_governor="on")
    world.governor.refresh_from_db()
    assert world.governor.is_named_online_safety_governor
    changes = [e.changes for e in AuditEvent.objects.filter(action="membership.change_role").order_by("id")]
    assert changes[0] == {"is_named_online_safety_governor": [True, False]}
    assert changes[1] == {"is_named_online_safety_governor": [False, True]}


def test_the_flag_cannot_be_set_on_someone_who_is_not_a_governor(world, client_for):
    _change_role(client_for("head"), world.teacher, Role.TEACHER, is_named_online_safety_governor="on")
    world.teacher.refresh_from_db()
    assert not world.teacher.is_named_online_safety_governor


def test_unknown_role_is_refused(world, client_for):
    response = _change_role(client_for("head"), world.teacher, "superuser")
    assert response.status_code == 200
    assert b"errorlist" in response.content
    world.teacher.refresh_from_db()
    assert world.teacher.role == Role.TEACHER


# --- Leavers -------------------------------------------------------------------------------


def test_leaver_keeps_user_row_and_audit_events_and_tokens_are_revoked(world, client_for):
    """ROL-01: a leaver is deactivated, never deleted; everything they did keeps their name."""
    teacher = world.teacher
    audit.record(action="learner.view", actor=teacher, obj=world.learner)
    token = services.api_token_create(user=teacher.user, school=world.school, name="Script").token
    response = _deactivate(client_for("head"), teacher, reason="Retired")
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert teacher.ended_reason == "Retired"
    assert teacher.ended_on is not None
    assert User.objects.filter(pk=teacher.user.pk).exists()
    assert AuditEvent.objects.filter(actor=teacher.user, action="learner.view").exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="membership.deactivate")
    assert event.changes["reason"] == [None, "Retired"]


def test_leaver_gets_404_at_that_school_but_keeps_their_other_school(world, client_for):
    services.membership_create(actor=None, school=world.other_school, user=world.teacher.user, role=Role.TEACHER)
    beta_token = services.api_token_create(user=world.teacher.user, school=world.other_school, name="Beta").token
    client = client_for("teacher")
    assert client.get("/s/alpha/").status_code == 200
    _deactivate(client_for("head"), world.teacher)
    assert client.get("/s/alpha/").status_code == 404
    assert client.get("/s/beta/").status_code == 200
    beta_token.refresh_from_db()
    assert beta_token.revoked_at is None


def test_leaver_with_no_other_school_can_no_longer_sign_in(world, client_for):
    _deactivate(client_for("head"), world.teacher2)
    client = Client()
    client.post("/accounts/login/", {"login": "teacher2@alpha.test", "password": TEST_PASSWORD})
    assert SESSION_KEY not in client.session
    assert client.get("/s/alpha/").status_code == 302


def test_deactivating_without_a_reason_is_refused(world, client_for):
    response = _deactivate(client_for("head"), world.teacher, reason="   ")
    assert response.status_code == 200
    assert b"errorlist" in response.content
    world.teacher.refresh_from_db()
    assert world.teacher.is_active


def test_a_leaver_has_no_manage_forms(world, client_for):
    services.membership_deactivate(actor=world.head, membership=world.teacher, reason="Left")
    client = client_for("head")
    page = client.get(_detail(world.teacher))
    assert page.status_code == 200
    assert b"End access" not in page.content
    assert _change_role(client, world.teacher, Role.SLT).status_code == 404


def test_unknown_action_is_a_bad_request(world, client_for):
    response = client_for("head").post(_detail(world.teacher), {"action": "delete"})
    assert response.status_code == 400
    assert Membership.objects.filter(pk=world.teacher.pk, is_active=True).exists()


def test_trust_lead_sees_register_but_cannot_manage(world):
    lead = f.TrustRoleFactory(user=f.UserFactory(mfa=True), organisation=world.school.organisation)
    client = Client()
    client.force_login(lead.user)
    assert client.get("/s/alpha/members/").status_code == 200
    assert client.get("/s/alpha/members/invite/").status_code == 404
    assert _deactivate(client, world.teacher).status_code == 404
