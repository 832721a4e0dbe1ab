"""Every sign-in and account page renders inside Harbour's layout, with labels, and with nothing
the Content-Security-Policy would block (script-src 'self', style-src 'self')."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harbour.accounts import services
from harbour.accounts.roles import Role
from harbour.accounts.tests.helpers import csp_violations, open_enrolment_link, totp_code
from harbour.core.tests import factories as f
from harbour.core.tests.factories import TEST_PASSWORD


def _assert_harbour_page(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "harbour/harbour.css" in html
    assert csp_violations(html) == []
    return html


def _sign_in_and_confirm(client: Client, email: str, mfa: bool) -> None:
    """A real sign-in, then the password again, as allauth wants before MFA changes."""
    client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})
    if mfa:
        client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_csp_header_is_sent_on_sign_in(db):
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy


def test_login_page(db):
    html = _assert_harbour_page(Client().get("/accounts/login/"))
    assert '<label for="id_login"' in html
    assert '<label for="id_password"' in html
    assert "sign up" not in html.lower()
    # The passkey button works through allauth's external scripts and a JSON data block.
    assert 'id="passkey_login"' in html
    assert "mfa/js/webauthn.js" in html


def test_login_error_is_shown_in_the_page(world):
    response = Client().post("/accounts/login/", {"login": "teacher@alpha.test", "password": "wrong-one-123"})
    html = _assert_harbour_page(response)
    assert 'role="alert"' in html


def test_mfa_authenticate_page(world, frozen):
    client = Client()
    client.post("/accounts/login/", {"login": "dsl@alpha.test", "password": TEST_PASSWORD})
    html = _assert_harbour_page(client.get("/accounts/2fa/authenticate/"))
    assert '<label for="id_code"' in html
    assert 'id="js_data" type="application/json"' in html


def test_totp_activation_recovery_codes_and_index_pages(world, frozen):
    new_dsl = f.MembershipFactory(user=f.UserFactory(email="new.dsl@alpha.test"), school=world.school, role=Role.DSL)
    client = Client()
    _sign_in_and_confirm(client, "new.dsl@alpha.test", mfa=False)
    # Without the emailed link, the set-up page is out of reach (issue #12 point 5).
    html = _assert_harbour_page(client.get(reverse("mfa_activate_totp"), follow=True))
    assert "Email me a set-up link" in html
    open_enrolment_link(client, new_dsl.user)
    html = _assert_harbour_page(client.get(reverse("mfa_activate_totp")))
    assert '<img src="data:image/svg+xml;base64,' in html
    assert '<label for="id_code"' in html
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)
    html = _assert_harbour_page(response)
    assert response.request["PATH_INFO"] == reverse("mfa_view_recovery_codes")
    assert "<textarea" in html
    assert "mfa/js/recovery_codes.js" in html
    html = _assert_harbour_page(client.get(reverse("mfa_index")))
    assert "Authenticator app" in html


@pytest.mark.parametrize("url_name", ["mfa_add_webauthn", "mfa_list_webauthn", "mfa_generate_recovery_codes"])
def test_webauthn_and_recovery_pages(world, frozen, url_name):
    client = Client()
    _sign_in_and_confirm(client, "dsl@alpha.test", mfa=True)
    html = _assert_harbour_page(client.get(reverse(url_name)))
    if url_name == "mfa_add_webauthn":
        assert "mfa/js/webauthn-json.js" in html
        assert 'data-allauth-onload="allauth.webauthn.forms.addForm" type="application/json"' in html


def test_reauthenticate_page(world, frozen):
    client = Client()
    client.post("/accounts/login/", {"login": "teacher@alpha.test", "password": TEST_PASSWORD})
    open_enrolment_link(client, world.teacher.user)
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    html = _assert_harbour_page(response)
    assert '<label for="id_password"' in html


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("teacher", "/mfa/set-up/"),
        ("dsl", "/me/tokens/"),
        ("head", "/s/alpha/members/"),
        ("head", "/s/alpha/members/invite/"),
        ("governor", "/me/tokens/"),
    ],
)
def test_harbour_account_pages(world, client_for, persona, path):
    _assert_harbour_page(client_for(persona).get(path))


def test_member_detail_page_for_a_governor(world, client_for):
    path = reverse("members:member_detail", args=["alpha", world.governor.pk])
    html = _assert_harbour_page(client_for("head").get(path))
    assert 'for="id_is_named_online_safety_governor"' in html


def test_token_page_after_creation(world, client_for):
    response = client_for("dsl").post("/me/tokens/", {"name": "Script", "school": world.school.pk})
    html = _assert_harbour_page(response)
    assert 'class="token-secret"' in html


def test_invitation_pages(world):
    issued = services.invitation_create(actor=world.head, email="new@alpha.test", role=Role.TEACHER)
    path = issued.link.removeprefix("http://127.0.0.1:8000")
    html = _assert_harbour_page(Client().get(path))
    assert '<label for="id_password1"' in html
    response = Client().get("/invitations/nope/")
    assert response.status_code == 404
    assert csp_violations(response.content.decode()) == []
