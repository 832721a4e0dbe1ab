"""Personal API tokens: created in the page or on the command line, shown once, stored as a
hash, revocable (ROL-01: access follows the role, also through the API)."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from harbour.accounts import services
from harbour.accounts.models import ApiToken
from harbour.audit.models import AuditEvent

TOKENS_URL = "/me/tokens/"
MEMBERS_API = "/api/v1/schools/alpha/memberships/"
RAW_TOKEN = re.compile(rb"hbr_[A-Za-z0-9_-]{20,}")


def _api(raw: str, path: str = MEMBERS_API):
    return Client().get(path, headers={"Authorization": f"Token {raw}"})


def _create(client: Client, school_pk: int, name: str = "MIS sync"):
    return client.post(TOKENS_URL, {"name": name, "school": school_pk})


def test_token_is_shown_once_and_only_its_hash_is_stored(world, client_for):
    client = client_for("dsl")
    response = _create(client, world.school.pk)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = RAW_TOKEN.search(response.content)
    assert match
    raw = match.group(0).decode()
    token = ApiToken.objects.get(user=world.dsl.user)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(getattr(token, field.attname)) for field in ApiToken._meta.concrete_fields]
    assert raw not in stored
    listing = client.get(TOKENS_URL)
    assert b"MIS sync" in listing.content
    assert raw.encode() not in listing.content
    assert _api(raw).status_code == 200


def test_token_creation_is_audited(world, client_for):
    _create(client_for("dsl"), world.school.pk)
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == world.dsl.user
    assert event.school == world.school


def test_revoked_token_gets_401_problem(world, client_for):
    client = client_for("dsl")
    raw = RAW_TOKEN.search(_create(client, world.school.pk).content).group(0).decode()
    token = ApiToken.objects.get()
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 302
    response = _api(raw)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_revoke_needs_post(world, client_for):
    issued = services.api_token_create(user=world.dsl.user, school=world.school, name="x")
    assert client_for("dsl").get(f"/me/tokens/{issued.token.pk}/revoke/").status_code == 405
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_nobody_can_revoke_someone_elses_token(world, client_for):
    issued = services.api_token_create(user=world.dsl.user, school=world.school, name="x")
    assert client_for("teacher").post(f"/me/tokens/{issued.token.pk}/revoke/").status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_tokens_of_others_are_not_listed(world, client_for):
    services.api_token_create(user=world.dsl.user, school=world.school, name="DSL private script")
    assert b"DSL private script" not in client_for("teacher").get(TOKENS_URL).content


def test_token_for_a_school_without_a_role_there_is_refused(world, client_for):
    response = _create(client_for("teacher"), world.other_school.pk)
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not ApiToken.objects.exists()


def test_governor_cannot_create_a_token(world, client_for):
    """Governors' role has no API use: the page says so and a forged post changes nothing."""
    client = client_for("governor")
    assert b"cannot create a token" in client.get(TOKENS_URL).content
    _create(client, world.school.pk)
    assert not ApiToken.objects.exists()


def test_token_without_a_name_is_refused(world, client_for):
    response = _create(client_for("teacher"), world.school.pk, name="  ")
    assert b"errorlist" in response.content
    assert not ApiToken.objects.exists()


def test_token_acts_only_in_its_own_school(world):
    services.membership_create(actor=None, school=world.other_school, user=world.dsl.user, role="dsl")
    raw = services.api_token_create(user=world.dsl.user, school=world.school, name="alpha only").raw_key
    assert _api(raw, "/api/v1/schools/beta/memberships/").status_code == 404


def test_anonymous_is_sent_to_sign_in_from_tokens_page(db):
    response = Client().get(TOKENS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- manage.py harbour_token ---------------------------------------------------------------


def test_command_prints_only_a_working_token(world):
    out = StringIO()
    call_command("harbour_token", "DSL@alpha.test", school="alpha", name="Nightly export", stdout=out)
    raw = out.getvalue().strip()
    assert RAW_TOKEN.fullmatch(raw.encode())
    assert ApiToken.objects.get().name == "Nightly export"
    assert _api(raw).status_code == 200


@pytest.mark.parametrize(
    ("email", "school", "message"),
    [
        ("dsl@alpha.test", "beta", "no active role"),
        ("dsl@alpha.test", "nowhere", "no active role"),
        ("governor@alpha.test", "alpha", "does not include the API"),
        ("nobody@alpha.test", "alpha", "No active user"),
    ],
)
def test_command_refuses_without_a_role_that_uses_the_api(world, email, school, message):
    with pytest.raises(CommandError, match=message):
        call_command("harbour_token", email, school=school, stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_command_refuses_a_leaver(world):
    services.membership_deactivate(actor=world.head, membership=world.teacher, reason="Left")
    with pytest.raises(CommandError):
        call_command("harbour_token", "teacher@alpha.test", school="alpha", stdout=StringIO())


def test_token_of_dsl_who_turned_mfa_off_is_refused(world):
    """A token cannot be used to bypass the MFA that the DSL role requires."""
    from allauth.mfa.models import Authenticator
    from rest_framework.test import APIClient

    from harbour.accounts.services import api_token_create

    issued = api_token_create(user=world.dsl.user, school=world.school, name="sync")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.raw_key}")
    assert client.get("/api/v1/schools/alpha/learners/").status_code == 200
    Authenticator.objects.filter(user=world.dsl.user).delete()
    response = client.get("/api/v1/schools/alpha/learners/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
