"""INC-YPSI-14: only the DSL records that a suspected image was viewed, with a compulsory
justification; a note by anyone else that says an image was viewed is flagged to the DSL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.audit.models import AuditEvent
from harbour.concerns import imagery, services
from harbour.concerns.models import Concern, ConcernEntry, ImageViewing, Notification


@pytest.fixture
def imagery_concern(make_concern) -> Concern:
    return make_concern(category="youth_produced_sexual_imagery", summary="Image passed round", description="Told.")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _post_viewing(client, concern: Concern, **fields):
    data = {"image_viewing-version": concern.version}
    data.update({f"image_viewing-{k}": v for k, v in fields.items()})
    return client.post(reverse("concerns:triage_image_viewing", args=["alpha", concern.pk]), data)


VALID = {"justification": "clear_need", "explanation": "Needed to confirm it was the same child for the police."}


def test_dsl_records_a_viewing_with_justification_logged_and_audited(world, imagery_concern, client_for):
    dsl = client_for("dsl")
    page = dsl.get(reverse("concerns:detail", args=["alpha", imagery_concern.pk])).content.decode()
    assert "Record that you viewed an image" in page
    response = _post_viewing(dsl, imagery_concern, viewed_at=_local(timezone.now() - timedelta(hours=1)), **VALID)
    assert response.status_code == 302
    viewing = ImageViewing.objects.get()
    assert (viewing.viewed_by, viewing.justification) == (world.dsl.user, "clear_need")
    entry = ConcernEntry.objects.get(concern=imagery_concern, kind=ConcernEntry.Kind.IMAGE_VIEWED)
    assert entry.data["justification"] == "clear_need"
    assert AuditEvent.objects.filter(action="concern.image_viewing", actor=world.dsl.user).exists()


@pytest.mark.parametrize("missing", ["justification", "explanation"])
def test_justification_is_compulsory(world, imagery_concern, client_for, missing):
    fields = {**VALID, "viewed_at": _local(timezone.now())}
    fields[missing] = ""
    assert _post_viewing(client_for("dsl"), imagery_concern, **fields).status_code == 400
    assert not ImageViewing.objects.exists()


@pytest.mark.parametrize("persona", ["deputy", "head", "teacher", "technician", "outsider"])
def test_nobody_but_the_dsl_records_a_viewing_on_the_page(world, imagery_concern, client_for, persona):
    client = client_for(persona)
    page = client.get(reverse("concerns:detail", args=["alpha", imagery_concern.pk]))
    assert "Record that you viewed an image" not in page.content.decode()
    response = _post_viewing(client, imagery_concern, viewed_at=_local(timezone.now()), **VALID)
    assert response.status_code == 404
    assert not ImageViewing.objects.exists()
    assert not ConcernEntry.objects.filter(kind=ConcernEntry.Kind.IMAGE_VIEWED).exists()


@pytest.mark.parametrize("persona", ["deputy", "head", "teacher", "outsider"])
def test_nobody_but_the_dsl_records_a_viewing_through_the_api(world, imagery_concern, persona):
    client = APIClient()
    client.force_login(world.persona(persona).user)
    url = reverse("api-concern-image-viewing-list", args=["alpha", imagery_concern.pk])
    response = client.post(url, {"viewed_at": timezone.now().isoformat(), **VALID}, format="json")
    assert response.status_code in (403, 404)
    assert response["Content-Type"].startswith("application/problem+json")
    assert not ImageViewing.objects.exists()


def test_dsl_records_through_the_api_and_bad_input_changes_nothing(world, imagery_concern):
    client = APIClient()
    client.force_login(world.dsl.user)
    url = reverse("api-concern-image-viewing-list", args=["alpha", imagery_concern.pk])
    bad = client.post(url, {"viewed_at": timezone.now().isoformat(), "justification": "curious"}, format="json")
    assert bad.status_code == 400
    assert not ImageViewing.objects.exists()
    ok = client.post(url, {"viewed_at": timezone.now().isoformat(), **VALID}, format="json")
    assert ok.status_code == 201, ok.content
    assert client.get(url).json()["results"][0]["justification"] == "clear_need"


def test_service_refuses_a_deputy(world, imagery_concern):
    with pytest.raises(PermissionDenied):
        imagery.image_viewing_record(actor=world.deputy, concern=imagery_concern, viewed_at=timezone.now(), **VALID)


# --- flagged notes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["I looked at the picture on his phone before taking it.", "She showed me and I saw the photo", "viewed the video"],
)
def test_wording_that_says_an_image_was_viewed_is_detected(text):
    assert imagery.says_image_viewed(text)


@pytest.mark.parametrize(
    "text",
    ["I did not look at the picture.", "I never opened the photos", "Phone locked away; nobody viewed the images"],
)
def test_wording_that_says_nobody_viewed_it_is_not_flagged(text):
    assert not imagery.says_image_viewed(text)


def test_teachers_report_saying_an_image_was_viewed_flags_it_to_the_dsl(
    world, make_concern, client_for, django_capture_on_commit_callbacks
):
    """A teacher cannot add notes to a sexual-imagery concern (it stays with the team), so their
    report is where they would say it: the report is kept as written and flagged."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern = make_concern(
            actor_name="teacher",
            category="youth_produced_sexual_imagery",
            summary="Image on a phone",
            description="I looked at the picture on his phone to see who it was, then took the phone.",
        )
    reported = ConcernEntry.objects.get(concern=concern, kind=ConcernEntry.Kind.REPORTED)
    assert reported.data["possible_viewing_breach"] == {"checkbox": False, "wording": True}
    assert AuditEvent.objects.filter(action="concern.possible_viewing_breach", actor=world.teacher.user).exists()
    flagged = Notification.objects.filter(concern=concern, text__contains="image-viewing policy")
    assert [n.user for n in flagged] == [world.dsl.user]
    flag_mail = [m for m in mail.outbox if "Please check a note" in m.subject]
    assert [m.to for m in flag_mail] == [[world.dsl.user.email]]
    assert "picture" not in flag_mail[0].body
    assert world.learner.first_name not in flag_mail[0].body
    page = client_for("dsl").get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    assert "Possible breach of the image-viewing policy" in page


def test_deputys_note_saying_an_image_was_viewed_is_flagged(world, imagery_concern, client_for):
    response = client_for("deputy").post(
        reverse("concerns:triage_note", args=["alpha", imagery_concern.pk]),
        {"note-version": imagery_concern.version, "note-text": "I opened the photos to check the date."},
    )
    assert response.status_code == 302
    entry = ConcernEntry.objects.get(concern=imagery_concern, kind=ConcernEntry.Kind.NOTE)
    assert entry.data["possible_viewing_breach"]["wording"] is True
    assert Notification.objects.filter(user=world.dsl.user, text__contains="image-viewing policy").exists()
    assert not Notification.objects.filter(user=world.deputy.user, text__contains="image-viewing policy").exists()


def test_the_note_checkbox_flags_it_even_without_the_wording(world, imagery_concern, client_for):
    client = client_for("head")
    page = client.get(reverse("concerns:detail", args=["alpha", imagery_concern.pk])).content.decode()
    assert 'name="note-viewed_image"' in page
    client.post(
        reverse("concerns:triage_note", args=["alpha", imagery_concern.pk]),
        {"note-version": imagery_concern.version, "note-text": "Spoke to Ada at lunch.", "note-viewed_image": "on"},
    )
    entry = ConcernEntry.objects.get(concern=imagery_concern, kind=ConcernEntry.Kind.NOTE)
    assert entry.data["possible_viewing_breach"]["checkbox"] is True


def test_deputy_note_via_the_api_is_flagged(world, imagery_concern):
    client = APIClient()
    client.force_login(world.deputy.user)
    url = reverse("api-concern-entry-list", args=["alpha", imagery_concern.pk])
    response = client.post(url, {"text": "Had to check it.", "viewed_image": True}, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["possible_viewing_breach"]["checkbox"] is True
    assert Notification.objects.filter(user=world.dsl.user, text__contains="image-viewing policy").exists()


def test_dsls_own_note_is_not_flagged_and_their_ticked_box_points_to_the_viewing_record(world, imagery_concern):
    entry = services.concern_add_note(actor=world.dsl, concern=imagery_concern, text="I looked at the picture.")
    assert "possible_viewing_breach" not in entry.data
    with pytest.raises(ValidationError):
        services.concern_add_note(actor=world.dsl, concern=imagery_concern, text="Viewed it", viewed_image=True)


def test_notes_on_other_categories_are_not_checked(world, make_concern):
    concern = make_concern(category="cyberbullying")
    entry = services.concern_add_note(actor=world.deputy, concern=concern, text="I looked at the screenshots.")
    assert "possible_viewing_breach" not in entry.data
