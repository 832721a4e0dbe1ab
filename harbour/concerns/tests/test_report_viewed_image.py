"""INC-YPSI-14 at report time: the staff report form and the report API ask "I viewed an image".

A member of staff other than the DSL who says, on a sexual-imagery report, that they viewed an
image is flagged to the DSL: a link-only notification and e-mail, and a warning on the concern.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Concern, ConcernEntry, Notification

SUMMARY = "Photo shared in a year group chat"
DESCRIPTION = "Ada told me a photo of her was being passed round. I took the phone and locked it away."
FLAG_TEXT = "image-viewing policy"


def _when() -> str:
    return (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


def _web_report(world, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "youth_produced_sexual_imagery",
        "summary": SUMMARY,
        "description": DESCRIPTION,
        "occurred_at": _when(),
        "location": "on_site",
        "equipment": "personal",
        "learner": [world.learner.pk],
        f"part_{world.learner.pk}": "affected",
        "send": "1",
    }
    data.update(overrides)
    return data


def _api_report(world, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "youth_produced_sexual_imagery",
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "summary": SUMMARY,
        "description": DESCRIPTION,
        "learners": [{"learner": world.learner.pk, "part": "affected"}],
        "equipment": "personal",
    }
    data.update(overrides)
    return data


def _api(world, persona: str) -> APIClient:
    client = APIClient()
    client.force_login(world.persona(persona).user)
    return client


def _reported(concern: Concern) -> ConcernEntry:
    return ConcernEntry.objects.get(concern=concern, kind=ConcernEntry.Kind.REPORTED)


def _assert_flagged_to_the_dsl_only(world, concern: Concern, client_for) -> None:
    assert _reported(concern).data["possible_viewing_breach"] == {"checkbox": True, "wording": False}
    assert AuditEvent.objects.filter(action="concern.possible_viewing_breach", actor=world.teacher.user).exists()
    flagged = Notification.objects.filter(concern=concern, text__contains=FLAG_TEXT)
    assert [n.user for n in flagged] == [world.dsl.user]
    flag_mail = [m for m in mail.outbox if "Please check a note" in m.subject]
    assert [m.to for m in flag_mail] == [[world.dsl.user.email]]
    # Link only: nothing of the report travels by e-mail (REP-20), in the flag or any other alert.
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for secret in (SUMMARY, "photo", world.learner.first_name, world.learner.last_name):
            assert secret not in text
    page = client_for("dsl").get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    assert "Possible breach of the image-viewing policy" in page


def _assert_not_flagged(concern: Concern) -> None:
    assert "possible_viewing_breach" not in _reported(concern).data
    assert not Notification.objects.filter(concern=concern, text__contains=FLAG_TEXT).exists()
    assert not AuditEvent.objects.filter(action="concern.possible_viewing_breach").exists()


# --- the staff report form ---------------------------------------------------------------------


def test_the_report_form_asks_whatever_the_category(world, client_for):
    page = client_for("teacher").get(reverse("concerns:report", args=["alpha"])).content.decode()
    assert 'name="viewed_image"' in page
    assert "I viewed an image or video connected with this concern" in page
    assert "Never look at, copy or forward" in page


def test_ticked_box_on_the_web_form_flags_the_report_to_the_dsl(world, client_for, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("teacher").post(
            reverse("concerns:report", args=["alpha"]), _web_report(world, viewed_image="on")
        )
    assert response.status_code == 302
    concern = Concern.objects.get(summary=SUMMARY)
    _assert_flagged_to_the_dsl_only(world, concern, client_for)


def test_unticked_box_and_neutral_wording_on_the_web_form_is_not_flagged(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("teacher").post(reverse("concerns:report", args=["alpha"]), _web_report(world))
    assert response.status_code == 302
    _assert_not_flagged(Concern.objects.get(summary=SUMMARY))


def test_ticked_box_on_a_category_without_the_image_rule_is_not_flagged(world, client_for):
    """Staff may see a bullying screenshot; only the sexual-imagery categories forbid viewing."""
    client_for("teacher").post(
        reverse("concerns:report", args=["alpha"]), _web_report(world, category="cyberbullying", viewed_image="on")
    )
    _assert_not_flagged(Concern.objects.get(summary=SUMMARY))


def test_the_tick_survives_a_picker_redraw(world, client_for):
    data = _web_report(world, viewed_image="on", find_learners="1", learner_q="Ada")
    data.pop("send")
    page = client_for("teacher").post(reverse("concerns:report", args=["alpha"]), data).content.decode()
    assert not Concern.objects.exists()
    start = page.rindex("<input", 0, page.index('name="viewed_image"'))
    assert "checked" in page[start : page.index(">", start)]


def test_the_dsls_own_ticked_report_stands_and_is_not_flagged(world, client_for):
    """The DSL records a viewing with its justification on the concern itself (decision 0012)."""
    response = client_for("dsl").post(reverse("concerns:report", args=["alpha"]), _web_report(world, viewed_image="on"))
    assert response.status_code == 302
    _assert_not_flagged(Concern.objects.get(summary=SUMMARY))


# --- the report API ----------------------------------------------------------------------------


def test_viewed_image_through_the_api_flags_the_report_to_the_dsl(
    world, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _api(world, "teacher").post(
            reverse("api-concern-list", args=["alpha"]), _api_report(world, viewed_image=True), format="json"
        )
    assert response.status_code == 201, response.content
    # The reporter gets a receipt, which says nothing of the flag.
    assert "possible_viewing_breach" not in response.content.decode()
    _assert_flagged_to_the_dsl_only(world, Concern.objects.get(pk=response.json()["id"]), client_for)


@pytest.mark.parametrize("extra", [{}, {"viewed_image": False}])
def test_api_report_without_the_flag_and_neutral_wording_is_not_flagged(world, extra):
    response = _api(world, "teacher").post(
        reverse("api-concern-list", args=["alpha"]), _api_report(world, **extra), format="json"
    )
    assert response.status_code == 201, response.content
    _assert_not_flagged(Concern.objects.get(pk=response.json()["id"]))


def test_api_viewed_image_must_be_a_boolean(world):
    response = _api(world, "teacher").post(
        reverse("api-concern-list", args=["alpha"]), _api_report(world, viewed_image="perhaps"), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Concern.objects.exists()


def test_api_schema_documents_viewed_image(world):
    schema = _api(world, "teacher").get(reverse("api-schema"), {"format": "json"}).json()
    request_body = schema["paths"]["/api/v1/schools/{school_slug}/concerns/"]["post"]["requestBody"]
    ref = request_body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][ref]["properties"]
    assert fields["viewed_image"]["type"] == "boolean"
    assert "INC-YPSI-14" in fields["viewed_image"]["description"]
