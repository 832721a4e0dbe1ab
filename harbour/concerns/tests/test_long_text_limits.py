"""Long free text is refused with a clear message and nothing is stored (security finding 4).

Descriptions, notes and what-was-seen accept up to 20,000 characters, web and API alike, so a long
first-hand account fits but nobody can post megabytes for every page to scan for addresses.
"""

from __future__ import annotations

import pytest

from harbour.audit.models import AuditEvent
from harbour.concerns.forms_triage import NoteForm
from harbour.concerns.models import Concern, ConcernEntry
from harbour.concerns.tests import test_api_reporting as api_reporting
from harbour.concerns.tests import test_reporting as staff_reporting
from harbour.concerns.tests import test_reporting_public as public_reporting
from harbour.core.text_limits import LONG_TEXT_MAX
from harbour.filtering.models import Breach

pytestmark = pytest.mark.django_db

TOO_LONG = "a[dot]" * (LONG_TEXT_MAX // 6 + 1)
LONGEST = "x" * LONG_TEXT_MAX


def test_the_longest_allowed_description_is_accepted(world, client_for):
    response = client_for("teacher").post(
        staff_reporting.url("report"), staff_reporting.report_data(world, description=LONGEST)
    )

    assert response.status_code == 302
    assert Concern.objects.get().description == LONGEST


@pytest.mark.parametrize("field", ["description", "childs_own_words", "immediate_actions"])
def test_staff_form_refuses_too_long_text_and_stores_nothing(world, client_for, field):
    response = client_for("teacher").post(
        staff_reporting.url("report"), staff_reporting.report_data(world, **{field: TOO_LONG})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "keep it to 20,000 characters or fewer" in page
    assert not Concern.objects.exists()
    assert not AuditEvent.objects.filter(action="concern.create").exists()


def test_public_form_refuses_a_too_long_description_and_stores_nothing(world):
    from django.test import Client

    response = Client().post(public_reporting.url(), public_reporting.public_data(description=TOO_LONG))

    assert response.status_code == 200
    assert "keep it to 20,000 characters or fewer" in response.content.decode()
    assert not Concern.objects.exists()


@pytest.mark.parametrize("field", ["description", "childs_own_words", "immediate_actions"])
def test_api_refuses_too_long_text_as_a_problem_and_stores_nothing(world, client_for, field):
    response = client_for("teacher").post(
        api_reporting.api_url("concern-list"),
        api_reporting.payload(world, **{field: TOO_LONG}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert not Concern.objects.exists()


def test_api_note_too_long_is_refused(world, client_for, make_concern):
    from django.urls import reverse

    concern = make_concern()
    response = client_for("dsl").post(
        reverse("api-concern-entry-list", args=["alpha", concern.pk]),
        {"text": TOO_LONG},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert not ConcernEntry.objects.filter(concern=concern, kind=ConcernEntry.Kind.NOTE).exists()


def test_web_note_form_refuses_too_long_text():
    field = NoteForm.base_fields["text"]

    assert field.max_length == LONG_TEXT_MAX
    assert "20,000" in field.error_messages["max_length"]


def test_breach_web_form_and_api_refuse_too_long_what_seen(world, client_for):
    from django.urls import reverse

    web = client_for("teacher").post(
        reverse("filtering:breach_report", args=["alpha"]),
        {
            "occurred_at": "2026-01-05T10:00",
            "category": "adult",
            "what_seen": TOO_LONG,
            "device_group": "laptop",
            "location": "classroom",
        },
    )
    api = client_for("teacher").post(
        "/api/v1/schools/alpha/filtering/breaches/",
        {"occurred_at": "2026-01-05T10:00:00Z", "what_seen": TOO_LONG, "category": "adult"},
        content_type="application/json",
    )

    assert web.status_code == 400
    assert "keep it to 20,000 characters or fewer" in web.content.decode()
    assert api.status_code == 400
    assert "what_seen" in api.json()["errors"]
    assert not Breach.objects.exists()
