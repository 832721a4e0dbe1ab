"""Reads of concern work that name no record are private to their actor (issue 12, finding 7,
INC-STAFF-05, REP-07).

The chair's queue view carried a count: shown to the head, it told them an allegation about them
existed. Such events are shown only to whoever made them and to the trust auditor.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from harbour.accounts.roles import Role
from harbour.audit.services import record
from harbour.audit.tests.test_need_to_know import api_client, browser_ids, chair, csv_text, trust_user  # noqa: F401

LIST = reverse("audit:event_list", args=["alpha"])
API = reverse("api-audit-event-list", args=["alpha"])


@pytest.fixture
def chair_reads(world, chair):  # noqa: F811
    return {
        "queue": record(action="concern.queue_view", actor=chair, changes={"items": [None, 1]}),
        "list": record(action="concern.list", actor=chair, changes={"filters": {"status": "open"}}),
        "chronology": record(action="learner.chronology_view", actor=chair, changes={"events": 4}),
    }


def _api_ids(client) -> set[int]:
    response = client.get(API)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_head_sees_no_objectless_concern_reads_of_the_chair(world, client_for, chair_reads):
    hidden = {event.pk for event in chair_reads.values()}
    head = client_for("head")
    assert not hidden & browser_ids(head)
    assert not hidden & _api_ids(api_client(world, "head"))
    text = csv_text(head)
    assert "concern.queue_view" not in text
    assert "concern.list" not in text
    assert "learner.chronology_view" not in text


def test_dsl_does_not_see_them_either_but_sees_their_own(world, client_for, chair_reads):
    own = record(action="concern.queue_view", actor=world.dsl, changes={"items": [None, 3]})
    seen = browser_ids(client_for("dsl"))
    assert own.pk in seen
    assert not {event.pk for event in chair_reads.values()} & seen


def test_chair_sees_their_own_reads(world, client_for, chair_reads):
    assert {event.pk for event in chair_reads.values()} <= browser_ids(client_for("governor"))


def test_trust_auditor_sees_every_read(world, trust_user, chair_reads):  # noqa: F811
    assert {event.pk for event in chair_reads.values()} <= _api_ids(trust_user(Role.TRUST_AUDITOR))


def test_objectless_events_of_other_apps_stay_on_the_whole_trail(world, client_for):
    settings_event = record(action="school.settings_change", actor=world.dsl, changes={"x": [1, 2]})
    assert settings_event.pk in browser_ids(client_for("head"))
