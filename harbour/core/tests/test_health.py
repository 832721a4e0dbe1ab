"""/healthz: what monitoring polls. Open to anyone, says nothing personal, 503 when unhealthy."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from harbour.core.tasks import heartbeat


def _health(client: Client | None = None):
    response = (client or Client()).get("/healthz")
    return response, json.loads(response.content)


def test_healthy_with_a_fresh_heartbeat(world):
    heartbeat.call()
    response, body = _health()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert body["checks"]["worker"]["ok"] is True


def test_unhealthy_when_no_worker_has_ever_beaten(db):
    response, body = _health()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["last_heartbeat"] is None


def test_unhealthy_when_the_heartbeat_is_stale(db):
    heartbeat.call()
    stale_after = timedelta(seconds=settings.HARBOUR_HEARTBEAT_SECONDS * 3)
    with time_machine.travel(timezone.now() + stale_after - timedelta(seconds=5), tick=False):
        assert _health()[0].status_code == 200
    with time_machine.travel(timezone.now() + stale_after + timedelta(seconds=5), tick=False):
        response, body = _health()
    assert response.status_code == 503
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["age_seconds"] > stale_after.total_seconds()


@pytest.mark.parametrize("persona", ["dsl", "teacher", None])
def test_needs_no_login_and_tells_everyone_the_same(world, client_for, persona):
    """Monitoring has no account; a signed-in DSL (MFA role) is not diverted to two-step set-up either."""
    heartbeat.call()
    response, body = _health(client_for(persona) if persona else None)
    assert response.status_code == 200
    assert set(body) == {"status", "checks", "time"}


def test_reveals_no_personal_or_secret_data(world):
    heartbeat.call()
    text = _health()[0].content.decode()
    for secret in (
        settings.SECRET_KEY,
        str(settings.DATABASES["default"]["NAME"]),
        "alpha",
        "dsl@alpha.test",
        world.learner.last_name,
    ):
        assert secret not in text
