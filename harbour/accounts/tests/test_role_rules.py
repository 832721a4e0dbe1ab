"""Who may give which role, and how a new DSL sets up MFA (issue #12 point 5; ROL-01, ROL-02).

Nobody changes their own role or gives a role above their own; only the head (or the trust
safeguarding lead) appoints or removes a DSL or deputy, and that is audited; the member page and
the API go through one service. Someone newly given an MFA role sets up their authenticator only
through a one-time emailed link: a password sign-in alone cannot enrol one.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_member
from harbour.accounts import mfa_enrolment, services
from harbour.accounts.models import Membership, MfaEnrolmentLink
from harbour.accounts.roles import ROLE_RANK, Role, grantable_roles
from harbour.accounts.tests.helpers import totp_code
from harbour.audit.models import AuditEvent
from harbour.core.tests import factories as f
from harbour.core.tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"
ACTIVATE_TOTP = "/accounts/2fa/totp/activate/"
ADD_WEBAUTHN = "/accounts/2fa/webauthn/add/"


def _detail(membership: Membership) -> str:
    return reverse("members:member_detail", args=[membership.school.slug, membership.pk])


def _change_role(client: Client, membership: Membership, role: str):
    return client.post(_detail(membership), {"action": "change_role", "role": role})


def _api(membership: Membership) -> str:
    return f"/api/v1/schools/{membership.school.slug}/memberships/{membership.pk}/"


def _patch(client: Client, membership: Membership, role: str):
    return client.patch(_api(membership), {"role": role}, content_type="application/json")


def _role(membership: Membership) -> str:
    membership.refresh_from_db()
    return membership.role


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/mfa/enrol/[^\s]+/)", body)
    assert match, body
    return match.group(1)


# --- The rank of roles ------------------------------------------------------------------------


def test_every_role_has_a_rank_and_the_admin_ranks_below_the_safeguarding_team():
    assert set(ROLE_RANK) == set(Role)
    assert ROLE_RANK[Role.SCHOOL_ADMIN] < ROLE_RANK[Role.DEPUTY_DSL] < ROLE_RANK[Role.DSL] < ROLE_RANK[Role.HEADTEACHER]


def test_what_each_manager_may_grant():
    assert Role.DSL not in grantable_roles(Role.SCHOOL_ADMIN)
    assert Role.DEPUTY_DSL not in grantable_roles(Role.SCHOOL_ADMIN)
    assert Role.HEADTEACHER not in grantable_roles(Role.SCHOOL_ADMIN)
    assert Role.OFFICE in grantable_roles(Role.SCHOOL_ADMIN)
    assert {Role.DSL, Role.DEPUTY_DSL} <= set(grantable_roles(Role.HEADTEACHER))
    assert set(grantable_roles(Role.TRUST_SAFEGUARDING_LEAD)) == {Role.DSL, Role.DEPUTY_DSL}
    assert grantable_roles(Role.DSL) == []


# --- Own role ---------------------------------------------------------------------------------


def test_admin_cannot_make_themselves_dsl_on_the_member_page(world, client_for):
    """The reported attack: a school_admin changed its own role to DSL and read every concern."""
    response = _change_role(client_for("admin"), world.admin, Role.DSL)
    assert response.status_code == 403
    assert b"Nobody can change their own role" in response.content
    assert _role(world.admin) == Role.SCHOOL_ADMIN
    refused = AuditEvent.objects.get(action="membership.change_role_refused")
    assert refused.actor == world.admin.user
    assert refused.changes["role"] == [Role.SCHOOL_ADMIN, Role.DSL]
    assert not AuditEvent.objects.filter(action="membership.change_role").exists()


def test_own_page_offers_no_role_form(world, client_for):
    page = client_for("head").get(_detail(world.head))
    assert b'value="change_role"' not in page.content
    assert b"Nobody can change their own role" in page.content


@pytest.mark.parametrize("persona", ["admin", "head"])
def test_own_role_change_through_the_api_is_a_403_problem(world, client_for, persona):
    me = world.persona(persona)
    response = _patch(client_for(persona), me, Role.DSL)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "own role" in response.json()["detail"]
    assert _role(me) == world.persona(persona).role


# --- Above one's own --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER])
def test_admin_cannot_grant_a_role_above_their_own_web(world, client_for, role):
    response = _change_role(client_for("admin"), world.teacher, role)
    assert response.status_code == 403
    assert _role(world.teacher) == Role.TEACHER
    assert AuditEvent.objects.filter(action="membership.change_role_refused").exists()


@pytest.mark.parametrize("role", [Role.DSL, Role.HEADTEACHER])
def test_admin_cannot_grant_a_role_above_their_own_api(world, client_for, role):
    response = _patch(client_for("admin"), world.teacher, role)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert _role(world.teacher) == Role.TEACHER


def test_admin_cannot_remove_the_dsl_or_the_head_either(world, client_for):
    make_member(world.school, Role.DSL, "dsl2@alpha.test")
    client = client_for("admin")
    assert _change_role(client, world.dsl, Role.TEACHER).status_code == 403
    assert _patch(client, world.head, Role.TEACHER).status_code == 403
    assert _role(world.dsl) == Role.DSL
    assert _role(world.head) == Role.HEADTEACHER


def test_admin_cannot_end_the_access_of_the_dsl_or_the_head(world, client_for):
    make_member(world.school, Role.DSL, "dsl2@alpha.test")
    client = client_for("admin")
    assert b"End access" not in client.get(_detail(world.dsl)).content
    for member in (world.dsl, world.head):
        response = client.post(_detail(member), {"action": "deactivate", "reason": "Spite"})
        assert response.status_code == 200
        assert b"Access was not ended" in response.content
        member.refresh_from_db()
        assert member.is_active
    assert AuditEvent.objects.filter(action="membership.deactivate_refused").count() == 2


def test_admin_is_not_offered_roles_above_their_own(world, client_for):
    html = client_for("admin").get(_detail(world.teacher)).content.decode()
    form = html[html.index('value="change_role"') :]
    assert 'value="office"' in form
    assert 'value="dsl"' not in form
    assert 'value="headteacher"' not in form


def test_admin_can_still_manage_ordinary_roles(world, client_for):
    assert _patch(client_for("admin"), world.teacher, Role.OFFICE).status_code == 200
    assert _role(world.teacher) == Role.OFFICE


def test_admin_cannot_invite_a_dsl(world, client_for):
    response = client_for("admin").post(
        "/s/alpha/members/invite/", {"email": "new@alpha.test", "role": Role.DSL, "job_title": ""}
    )
    assert response.status_code == 200
    assert b"Only the headteacher" in response.content
    assert not world.school.invitations.exists()


def test_service_refuses_the_same_for_every_caller(world):
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=world.admin, membership=world.teacher, role=Role.DSL)
    with pytest.raises(PermissionDenied):
        services.membership_create(actor=world.admin, school=world.school, user=f.UserFactory(), role=Role.DEPUTY_DSL)


# --- The head appoints, audited, and the new DSL is emailed a set-up link -------------------


def test_head_appoints_a_dsl_audited_and_emailed_a_link_only(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _change_role(client_for("head"), world.teacher, Role.DSL)
    assert response.status_code == 302
    assert _role(world.teacher) == Role.DSL
    appointed = AuditEvent.objects.get(action="membership.appoint_safeguarding_lead")
    assert appointed.actor == world.head.user
    assert appointed.school == world.school
    assert appointed.changes == {"role": [Role.TEACHER, Role.DSL]}
    assert AuditEvent.objects.filter(action="mfa.enrolment_link_sent", school=world.school).exists()
    [message] = [m for m in mail.outbox if m.to == ["teacher@alpha.test"]]
    assert "/mfa/enrol/" in message.body
    # Link only: no role, no pupil, no concern.
    assert "safeguarding lead" not in message.body.lower()
    assert "dsl" not in message.body.lower()
    # Only a hash of the link is stored.
    raw = _link_path(message.body).rstrip("/").rsplit("/", 1)[1]
    assert not MfaEnrolmentLink.objects.filter(token_hash=raw).exists()


def test_head_appoints_a_deputy_through_the_api(world, client_for):
    response = _patch(client_for("head"), world.teacher, Role.DEPUTY_DSL)
    assert response.status_code == 200
    assert response.json()["role"] == Role.DEPUTY_DSL
    assert AuditEvent.objects.filter(action="membership.appoint_safeguarding_lead").exists()


def test_trust_lead_may_appoint_a_dsl_but_not_other_roles(world):
    lead = f.TrustRoleFactory(user=f.UserFactory(mfa=True), organisation=world.school.organisation)
    client = Client()
    client.force_login(lead.user)
    assert _patch(client, world.teacher, Role.DSL).status_code == 200
    assert _role(world.teacher) == Role.DSL
    assert _patch(client, world.teacher2, Role.SLT).status_code == 403
    assert _role(world.teacher2) == Role.TEACHER


def test_trust_lead_appoints_a_dsl_on_the_member_page(world):
    lead = f.TrustRoleFactory(user=f.UserFactory(mfa=True), organisation=world.school.organisation)
    client = Client()
    client.force_login(lead.user)
    html = client.get(_detail(world.teacher)).content.decode()
    form = html[html.index('value="change_role"') :]
    assert 'value="dsl"' in form
    assert 'value="slt"' not in form
    assert _change_role(client, world.teacher, Role.DEPUTY_DSL).status_code == 302
    assert _role(world.teacher) == Role.DEPUTY_DSL
    event = AuditEvent.objects.get(action="membership.appoint_safeguarding_lead")
    assert event.actor == lead.user


def test_admin_sees_no_role_form_for_the_dsl(world, client_for):
    assert b'value="change_role"' not in client_for("admin").get(_detail(world.dsl)).content


@pytest.mark.parametrize("persona", ["dsl", "teacher", "office"])
def test_roles_that_change_no_roles_get_404_from_the_api(world, client_for, persona):
    response = _patch(client_for(persona), world.teacher2, Role.SLT)
    assert response.status_code == 404
    assert _role(world.teacher2) == Role.TEACHER


def test_rol02_still_holds_through_the_api(world, client_for):
    response = _patch(client_for("head"), world.dsl, Role.TEACHER)
    assert response.status_code == 400
    assert _role(world.dsl) == Role.DSL


# --- Promoted DSL: no enrolment by password alone --------------------------------------------


@pytest.fixture
def promoted(world, django_capture_on_commit_callbacks):
    """The teacher, promoted to DSL by the head; returns the path of the emailed set-up link."""
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_change_role(actor=world.head, membership=world.teacher, role=Role.DSL)
    [message] = [m for m in mail.outbox if m.to == ["teacher@alpha.test"]]
    return _link_path(message.body)


def _password_sign_in(email: str = "teacher@alpha.test") -> Client:
    client = Client()
    client.post(LOGIN, {"login": email, "password": TEST_PASSWORD})
    assert SESSION_KEY in client.session
    return client


def test_password_alone_cannot_set_up_an_authenticator_after_promotion(world, promoted):
    """Issue #12 point 5: whoever knows the new DSL's password cannot enrol their own phone."""
    with time_machine.travel(timezone.now(), tick=False):
        client = _password_sign_in()
        for path in (ACTIVATE_TOTP, ADD_WEBAUTHN, "/accounts/2fa/recovery-codes/generate/"):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"] == reverse("accounts:mfa_setup_needed")
        # Posting a code for a secret of one's own choosing changes nothing either.
        response = client.post(ACTIVATE_TOTP, {"code": totp_code()})
        assert response.status_code == 302
        assert not world.teacher.user.authenticator_set.exists()
        assert client.get("/s/alpha/")["Location"] == reverse("accounts:mfa_setup_needed")


def test_the_emailed_link_lets_its_holder_set_up_mfa(world, promoted):
    with time_machine.travel(timezone.now(), tick=False):
        client = _password_sign_in()
        page = client.get(promoted)  # opening the link spends nothing (mail scanners follow links)
        assert page.status_code == 200
        assert MfaEnrolmentLink.objects.get(user=world.teacher.user).used_at is None
        response = client.post(promoted)
        assert response["Location"] == reverse("mfa_activate_totp")
        client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
        assert client.get(ACTIVATE_TOTP).status_code == 200
        secret = client.session["mfa.totp.secret"]
        assert client.post(ACTIVATE_TOTP, {"code": totp_code(secret)}).status_code == 302
        assert client.get("/s/alpha/").status_code == 200
    assert world.teacher.user.authenticator_set.exists()
    assert AuditEvent.objects.filter(action="mfa.enrolment_link_used", school=world.school).exists()


def test_the_link_needs_the_password_too(world, promoted):
    response = Client().get(promoted)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_link_works_once(world, promoted):
    client = _password_sign_in()
    assert client.post(promoted).status_code == 302
    second = _password_sign_in()
    assert second.post(promoted).status_code == 404
    assert second.get(ACTIVATE_TOTP)["Location"] == reverse("accounts:mfa_setup_needed")


def test_an_expired_link_is_refused(world, promoted):
    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=False):
        client = _password_sign_in()
        response = client.post(promoted)
    assert response.status_code == 404
    assert b"does not work" in response.content


def test_a_link_is_no_use_to_another_account(world, promoted, client_for):
    response = client_for("teacher2").post(promoted)
    assert response.status_code == 404
    assert MfaEnrolmentLink.objects.get(user=world.teacher.user).used_at is None


def test_a_newer_link_replaces_the_older_one(world, promoted, django_capture_on_commit_callbacks):
    client = _password_sign_in()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:mfa_setup_needed"))
    assert client.post(promoted).status_code == 404
    newest = _link_path(mail.outbox[-1].body)
    assert client.post(newest).status_code == 302


def test_asking_for_links_is_limited(world, promoted):
    client = _password_sign_in()
    client.post(reverse("accounts:mfa_setup_needed"))
    client.post(reverse("accounts:mfa_setup_needed"))
    assert MfaEnrolmentLink.objects.filter(user=world.teacher.user).count() == 2  # promotion + one request


def test_the_grant_expires(world, promoted):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = _password_sign_in()
        client.post(promoted)
        traveller.shift(timedelta(minutes=20))
        assert client.get(ACTIVATE_TOTP).status_code in {200, 302}  # keeps the session from idling out
        traveller.shift(timedelta(minutes=mfa_enrolment.GRANT_MINUTES - 19))
        assert client.get(ACTIVATE_TOTP)["Location"] == reverse("accounts:mfa_setup_needed")


# --- Invitations into MFA roles ---------------------------------------------------------------


def test_invited_dsl_sets_up_mfa_in_the_session_that_accepted(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.invitation_create(actor=world.head, email="newdsl@alpha.test", role=Role.DSL)
    client = Client()
    path = issued.link.split("://", 1)[1].split("/", 1)[1]
    client.post(
        "/" + path,
        {"full_name": "Nia Newcombe", "password1": "a long new passphrase 42", "password2": "a long new passphrase 42"},
    )
    assert SESSION_KEY in client.session
    assert client.get("/s/alpha/")["Location"] == reverse("mfa_activate_totp")
    # A later password-only sign-in does not get that chance.
    later = Client()
    later.post(LOGIN, {"login": "newdsl@alpha.test", "password": "a long new passphrase 42"})
    assert later.get(ACTIVATE_TOTP)["Location"] == reverse("accounts:mfa_setup_needed")


# --- Second factor failures are on the school's trail -----------------------------------------


def test_failed_second_factor_is_audited_against_the_school(world):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False):
        client.post(LOGIN, {"login": "dsl@alpha.test", "password": TEST_PASSWORD})
        right = totp_code()
        client.post("/accounts/2fa/authenticate/", {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    event = AuditEvent.objects.get(action="auth.mfa_failed")
    assert event.school == world.school
    assert event.actor == world.dsl.user


def test_a_new_authenticator_is_audited_against_each_school(world):
    """allauth announces a new authenticator after the commit; each of the user's schools sees it."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.signals import authenticator_added

    services.membership_create(actor=None, school=world.other_school, user=world.teacher.user, role=Role.TEACHER)
    authenticator = Authenticator(user=world.teacher.user, type=Authenticator.Type.TOTP)
    authenticator_added.send(sender=Authenticator, request=None, user=world.teacher.user, authenticator=authenticator)
    schools = set(
        AuditEvent.objects.filter(action="auth.mfa_enrolled", actor=world.teacher.user).values_list("school", flat=True)
    )
    assert schools == {world.school.pk, world.other_school.pk}


def test_a_password_alone_cannot_redirect_the_accounts_email(world, promoted):
    """Otherwise a password thief adds their own address, makes it primary, and receives the
    set-up link (and password resets) meant for the new DSL."""
    client = _password_sign_in()
    assert client.get("/accounts/email/").status_code == 200
    response = client.post("/accounts/email/", {"action_add": "1", "email": "evil@example.test"})
    assert response.status_code == 403
    client.post("/accounts/email/", {"action_primary": "1", "email": "evil@example.test"})
    world.teacher.user.refresh_from_db()
    assert world.teacher.user.email == "teacher@alpha.test"
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.filter(email="evil@example.test").exists()
