"""Sign-in guards: MFA for the safeguarding roles, the real allauth login with a second step,
login throttling and the idle timeout (ROL-01, ACC-09, ACC-10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harbour.accounts import services
from harbour.accounts.roles import Role
from harbour.accounts.tests.helpers import open_enrolment_link, totp_code
from harbour.audit.models import AuditEvent
from harbour.core.tests import factories as f
from harbour.core.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET

LOGIN = "/accounts/login/"
MFA_AUTHENTICATE = "/accounts/2fa/authenticate/"
MFA_ROLES = [Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_SAFEGUARDING_LEAD]
SCHOOL_PAGES = ["/s/alpha/", "/s/alpha/roles/", "/s/alpha/members/"]
MEMBERS_API = "/api/v1/schools/alpha/memberships/"


def _user_without_mfa(world, role: str):
    user = f.UserFactory(email=f"{role}-no-mfa@alpha.test")
    if role == Role.TRUST_SAFEGUARDING_LEAD:
        f.TrustRoleFactory(user=user, organisation=world.school.organisation)
    else:
        f.MembershipFactory(user=user, school=world.school, role=role)
    return user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- MFA enforcement -----------------------------------------------------------------------


@pytest.mark.parametrize("role", MFA_ROLES)
@pytest.mark.parametrize("path", SCHOOL_PAGES)
def test_safeguarding_role_without_mfa_is_sent_to_set_up_by_emailed_link(world, role, path):
    """ROL-01: DSLs, deputies, heads, administrators and trust leads must set up MFA first; a
    password-only session is sent to ask for the emailed set-up link (issue #12 point 5)."""
    client = _signed_in(_user_without_mfa(world, role))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_setup_needed")


@pytest.mark.parametrize("role", MFA_ROLES)
def test_safeguarding_role_without_mfa_gets_403_problem_from_api(world, role):
    client = _signed_in(_user_without_mfa(world, role))
    response = client.get(MEMBERS_API)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Multi-factor authentication required"


@pytest.mark.parametrize("role", MFA_ROLES)
def test_safeguarding_role_with_mfa_passes(world, role):
    user = _user_without_mfa(world, role)
    TOTP.activate(user, TEST_TOTP_SECRET)
    client = _signed_in(user)
    assert client.get("/s/alpha/").status_code == 200
    assert client.get(MEMBERS_API).status_code == 200


def test_dsl_without_mfa_can_set_it_up_and_then_reach_the_school(world):
    """The guard leaves the way out open: sign in, open the emailed link, confirm the password,
    scan, type a code, done."""
    user = _user_without_mfa(world, Role.DSL)
    client = Client()
    with time_machine.travel(timezone.now(), tick=False):
        client.post(LOGIN, {"login": "dsl-no-mfa@alpha.test", "password": TEST_PASSWORD})
        open_enrolment_link(client, user)
        response = client.get("/s/alpha/", follow=True)
        # allauth asks for the password again before any change to the second factor.
        assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
        response = client.post(response.redirect_chain[-1][0], {"password": TEST_PASSWORD}, follow=True)
        assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")
        assert b'src="data:image/svg+xml;base64,' in response.content
        secret = client.session["mfa.totp.secret"]
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
        assert response.status_code == 302
        assert client.get("/s/alpha/").status_code == 200


def test_teacher_without_mfa_is_not_forced(world, client_for):
    assert not world.teacher.user.authenticator_set.exists()
    client = client_for("teacher")
    assert client.get("/s/alpha/").status_code == 200
    assert client.get("/s/alpha/roles/").status_code == 200


def test_teacher_promoted_to_dsl_is_asked_for_mfa_within_a_minute(world, client_for):
    """The MFA requirement is cached briefly per session, never for the whole session."""
    client = client_for("teacher")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get("/s/alpha/").status_code == 200
        services.membership_change_role(actor=world.head, membership=world.teacher, role=Role.DSL)
        traveller.shift(timedelta(seconds=61))
        response = client.get("/s/alpha/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mfa_setup_needed")


# --- The real login flow through allauth ---------------------------------------------------


def test_login_with_password_then_totp_code_signs_in(world):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False):
        response = client.post(LOGIN, {"login": "dsl@alpha.test", "password": TEST_PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == MFA_AUTHENTICATE
        assert not _is_signed_in(client)
        response = client.post(MFA_AUTHENTICATE, {"code": totp_code()})
    assert response.status_code == 302
    assert _is_signed_in(client)
    assert int(client.session[SESSION_KEY]) == world.dsl.user.pk
    assert client.get("/s/alpha/").status_code == 200


def test_login_with_wrong_totp_code_is_refused(world):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False):
        client.post(LOGIN, {"login": "dsl@alpha.test", "password": TEST_PASSWORD})
        right = totp_code()
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        response = client.post(MFA_AUTHENTICATE, {"code": wrong})
    assert response.status_code == 200
    assert not _is_signed_in(client)
    assert b"Incorrect code" in response.content
    assert client.get("/s/alpha/").status_code == 302


def test_login_is_audited(world):
    client = Client()
    client.post(LOGIN, {"login": "teacher@alpha.test", "password": TEST_PASSWORD})
    assert _is_signed_in(client)
    assert AuditEvent.objects.filter(action="auth.login", actor=world.teacher.user).exists()


def test_failed_login_is_audited(world):
    Client().post(LOGIN, {"login": "teacher@alpha.test", "password": "not-the-password"})
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()


# --- Throttling ----------------------------------------------------------------------------


def test_right_password_waits_after_five_failures_but_is_never_locked_out(world):
    """ACC-10, issue #12 point 7: after the free failures the account is slowed down, not locked:
    the right password is refused only until the delay has passed."""
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            response = client.post(LOGIN, {"login": "teacher@alpha.test", "password": "wrong-password-123"})
            assert response.status_code == 200
            assert not _is_signed_in(client)
        response = client.post(LOGIN, {"login": "teacher@alpha.test", "password": TEST_PASSWORD})
        assert not _is_signed_in(client)
        assert b"slowed down for its protection" in response.content
        traveller.shift(timedelta(seconds=2))
        client.post(LOGIN, {"login": "teacher@alpha.test", "password": TEST_PASSWORD})
    assert _is_signed_in(client)


def test_right_password_works_below_the_limit(world):
    client = Client()
    for _ in range(4):
        client.post(LOGIN, {"login": "teacher@alpha.test", "password": "wrong-password-123"})
    client.post(LOGIN, {"login": "teacher@alpha.test", "password": TEST_PASSWORD})
    assert _is_signed_in(client)


def test_failures_for_one_account_from_many_addresses_still_slow_it(world):
    """The slow-down is per account, so spreading attempts over addresses does not help."""
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(8):
            Client(REMOTE_ADDR=f"10.0.0.{n + 1}").post(
                LOGIN, {"login": "teacher@alpha.test", "password": "wrong-password-123"}
            )
        client = Client(REMOTE_ADDR="10.0.0.99")
        response = client.post(LOGIN, {"login": "teacher@alpha.test", "password": TEST_PASSWORD})
    assert not _is_signed_in(client)
    assert b"slowed down for its protection" in response.content


# --- Idle timeout ---------------------------------------------------------------------------


def test_dsl_is_signed_out_after_31_idle_minutes(world, client_for):
    """ACC-09: an unattended safeguarding session ends."""
    client = client_for("dsl")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get("/s/alpha/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/s/alpha/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert not _is_signed_in(client)
        assert client.get("/s/alpha/").status_code == 302


def test_dsl_active_every_29_minutes_stays_signed_in(world, client_for):
    client = client_for("dsl")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            assert client.get("/s/alpha/").status_code == 200
            traveller.shift(timedelta(minutes=29))
        assert client.get("/s/alpha/").status_code == 200


def test_idle_dsl_gets_401_problem_from_api(world, client_for):
    client = client_for("dsl")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get(MEMBERS_API).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(MEMBERS_API)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_idle_htmx_request_is_redirected_by_header(world, client_for):
    client = client_for("dsl")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get("/s/alpha/")
        traveller.shift(timedelta(minutes=31))
        response = client.get("/s/alpha/members/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == LOGIN


def test_teacher_is_not_signed_out_after_31_idle_minutes(world, client_for):
    client = client_for("teacher")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get("/s/alpha/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/s/alpha/").status_code == 200
