"""Invitations: the only way in. An emailed one-time link to join a school in a role (ROL-01)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harbour.accounts import services
from harbour.accounts.models import Invitation, Membership, User
from harbour.accounts.roles import Role
from harbour.audit.models import AuditEvent
from harbour.core.tests.factories import TEST_PASSWORD

NEW_PASSWORD = "tidal-lantern-orchard-42"
INVITE_URL = "/s/alpha/members/invite/"


def _invite(client: Client, capture, email: str = "new.teacher@alpha.test", role: str = Role.TEACHER):
    with capture(execute=True):
        response = client.post(INVITE_URL, {"email": email, "role": role, "job_title": "Year 5 teacher"})
    return response


def _link_path() -> str:
    match = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return urlparse(match.group(0)).path


def _accept(client: Client, path: str, password: str = NEW_PASSWORD, **extra: str):
    data = {"full_name": "Nia Newcomer", "password1": password, "password2": password, **extra}
    return client.post(path, data)


@pytest.mark.parametrize("persona", ["head", "admin"])
def test_manager_invites_by_email_with_a_link_and_no_pupil_detail(
    world, client_for, persona, django_capture_on_commit_callbacks
):
    response = _invite(client_for(persona), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.teacher@alpha.test"]
    assert "/invitations/" in message.body
    text = f"{message.subject}\n{message.body}"
    for learner in (world.learner, world.learner2, world.other_learner):
        assert learner.first_name not in text
        assert learner.last_name not in text
    for word in ("concern", "disclosure", "incident", "pupil", "learner"):
        assert word not in text.lower()
    assert Invitation.objects.get(email="new.teacher@alpha.test").role == Role.TEACHER


def test_invitation_is_audited(world, client_for, django_capture_on_commit_callbacks):
    _invite(client_for("head"), django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(action="invitation.create")
    assert event.actor == world.head.user
    assert event.school == world.school


def test_only_a_hash_of_the_link_is_stored(world, client_for, django_capture_on_commit_callbacks):
    _invite(client_for("head"), django_capture_on_commit_callbacks)
    raw = _link_path().rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == Invitation.hash_token(raw)
    assert raw not in invitation.token_hash


def test_link_creates_login_and_membership_and_signs_in(world, client_for, django_capture_on_commit_callbacks):
    _invite(client_for("head"), django_capture_on_commit_callbacks)
    path = _link_path()
    invitee = Client()
    page = invitee.get(path)
    assert page.status_code == 200
    assert b"new.teacher@alpha.test" in page.content
    response = _accept(invitee, path)
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@alpha.test")
    assert user.full_name == "Nia Newcomer"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user, school=world.school)
    assert membership.role == Role.TEACHER
    assert membership.job_title == "Year 5 teacher"
    assert int(invitee.session[SESSION_KEY]) == user.pk
    assert invitee.get(response["Location"], follow=True).status_code == 200
    assert invitee.get("/s/alpha/").status_code == 200
    assert AuditEvent.objects.filter(action="invitation.accept", actor=user).exists()


def test_link_works_only_once(world, client_for, django_capture_on_commit_callbacks):
    _invite(client_for("head"), django_capture_on_commit_callbacks)
    path = _link_path()
    _accept(Client(), path)
    again = Client()
    response = again.get(path)
    assert response.status_code == 404
    assert b"This invitation link does not work" in response.content
    assert _accept(again, path, password="another-long-password-7").status_code == 404
    assert Membership.objects.filter(user__email="new.teacher@alpha.test").count() == 1


def test_expired_link_is_404(world, client_for, django_capture_on_commit_callbacks):
    _invite(client_for("head"), django_capture_on_commit_callbacks)
    path = _link_path()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = Client().get(path)
        assert response.status_code == 404
        assert b"expired" in response.content
        assert _accept(Client(), path).status_code == 404
    assert not User.objects.filter(email="new.teacher@alpha.test").exists()


def test_withdrawn_link_is_404(world, client_for, django_capture_on_commit_callbacks):
    head = client_for("head")
    _invite(head, django_capture_on_commit_callbacks)
    path = _link_path()
    invitation = Invitation.objects.get()
    response = head.post(reverse("members:invitation_revoke", args=["alpha", invitation.pk]))
    assert response.status_code == 302
    assert Client().get(path).status_code == 404
    assert AuditEvent.objects.filter(action="invitation.revoke").exists()


def test_made_up_link_is_404(world):
    assert Client().get("/invitations/not-a-real-token/").status_code == 404


def test_mismatched_or_weak_password_is_refused_and_link_stays_open(
    world, client_for, django_capture_on_commit_callbacks
):
    _invite(client_for("head"), django_capture_on_commit_callbacks)
    path = _link_path()
    client = Client()
    response = client.post(
        path, {"full_name": "Nia Newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert response.status_code == 200
    assert b"The two passwords are not the same." in response.content
    response = _accept(client, path, password="password")
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not User.objects.filter(email="new.teacher@alpha.test").exists()
    assert Invitation.objects.get().is_open


def test_existing_login_must_sign_in_to_accept_and_keeps_its_password(world, django_capture_on_commit_callbacks):
    """The link alone never opens an account that already exists (it may be protected by MFA)."""
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=world.head, email="dsl@beta.test", role=Role.GOVERNOR)
    path = _link_path()
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert b"Sign in to accept" in page.content
    assert _accept(anonymous, path).status_code == 200  # the password form is not offered
    assert SESSION_KEY not in anonymous.session
    outsider = Client()
    outsider.force_login(world.outsider.user)
    response = outsider.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(user=world.outsider.user, school=world.school).role == Role.GOVERNOR
    world.outsider.user.refresh_from_db()
    assert world.outsider.user.check_password(TEST_PASSWORD)


def test_someone_signed_in_as_another_user_cannot_accept(world, client_for, django_capture_on_commit_callbacks):
    head = client_for("head")
    _invite(head, django_capture_on_commit_callbacks)
    path = _link_path()
    response = _accept(head, path)
    assert response.status_code == 200
    assert b"another email address" in response.content
    assert not User.objects.filter(email="new.teacher@alpha.test").exists()


def test_leaver_can_be_invited_back_and_chooses_a_new_password(world, client_for, django_capture_on_commit_callbacks):
    services.membership_deactivate(actor=world.head, membership=world.teacher2, reason="Left in July")
    _invite(client_for("head"), django_capture_on_commit_callbacks, email="teacher2@alpha.test")
    assert Invitation.objects.filter(email="teacher2@alpha.test").exists()
    client = Client()
    response = _accept(client, _link_path())
    assert response.status_code == 302
    world.teacher2.refresh_from_db()
    assert world.teacher2.is_active
    assert world.teacher2.user.pk == User.objects.get(email="teacher2@alpha.test").pk
    assert client.get("/s/alpha/").status_code == 200


def test_inviting_a_current_member_is_refused(world, client_for, django_capture_on_commit_callbacks):
    response = _invite(client_for("head"), django_capture_on_commit_callbacks, email="teacher@alpha.test")
    assert response.status_code == 200
    assert b"already has a role" in response.content
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_trust_lead_role_cannot_be_given_by_invitation(world, client_for, django_capture_on_commit_callbacks):
    response = _invite(client_for("head"), django_capture_on_commit_callbacks, role=Role.TRUST_SAFEGUARDING_LEAD)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "dsl", "deputy", "slt", "governor", "office", "outsider"])
def test_non_managers_get_404_on_invite(world, client_for, persona, django_capture_on_commit_callbacks):
    client = client_for(persona)
    assert client.get(INVITE_URL).status_code == 404
    assert _invite(client, django_capture_on_commit_callbacks).status_code == 404
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["teacher", "dsl", "outsider"])
def test_non_managers_get_404_on_withdrawing_an_invitation(world, client_for, persona):
    issued = services.invitation_create(actor=world.head, email="someone@alpha.test", role=Role.TEACHER)
    response = client_for(persona).post(reverse("members:invitation_revoke", args=["alpha", issued.invitation.pk]))
    assert response.status_code == 404
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is None


def test_head_cannot_withdraw_another_schools_invitation(world, client_for):
    other_head = services.membership_create(
        actor=None, school=world.other_school, user=world.head.user, role=Role.HEADTEACHER
    )
    issued = services.invitation_create(actor=other_head, email="someone@beta.test", role=Role.TEACHER)
    response = client_for("head").post(reverse("members:invitation_revoke", args=["alpha", issued.invitation.pk]))
    assert response.status_code == 404
    issued.invitation.refresh_from_db()
    assert issued.invitation.revoked_at is None


def test_the_same_invitation_cannot_be_accepted_twice_even_from_a_stale_copy(world):
    """Two browsers submitting the same link at once: the second finds it already used."""
    issued = services.invitation_create(actor=world.head, email="new@alpha.test", role=Role.TEACHER)
    stale = Invitation.objects.get(pk=issued.invitation.pk)
    services.invitation_accept(invitation=issued.invitation, full_name="First", password=NEW_PASSWORD)
    assert stale.is_open  # the in-memory copy still looks open
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=stale, full_name="Second", password=NEW_PASSWORD)
    assert User.objects.get(email="new@alpha.test").full_name == "First"


def test_invitation_without_a_chosen_role_is_refused(world, client_for, django_capture_on_commit_callbacks):
    """No role is preselected, so nobody is invited as DSL by accident."""
    response = _invite(client_for("head"), django_capture_on_commit_callbacks, role="")
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not Invitation.objects.exists()
