"""The public form for parents, carers and visitors (REP-03): no login, throttled, honeypot, CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Concern
from harbour.concerns.views_reporting import PUBLIC_LIMIT


def url(slug: str = "alpha") -> str:
    return reverse("concerns_public:report", args=[slug])


def public_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "website": "",
        "reporter_kind": "parent",
        "reporter_name": "Pat Parent",
        "reporter_contact": "07700 900123",
        "category": "online_abuse_exploitation",
        "summary": "An adult messaging my son",
        "description": "Someone he met in a game keeps asking him to move to a private app.",
        "occurred_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def test_public_form_works_without_login_and_lands_in_the_dsl_queue(world):
    """REP-03: stored as a new, unacknowledged concern with no staff reporter."""
    client = Client()

    form = client.get(url())
    response = client.post(url(), public_data())

    assert form.status_code == 200
    assert response.status_code == 302
    assert response.url == reverse("concerns_public:thanks", args=["alpha"])
    concern = Concern.objects.get()
    assert concern.school == world.school
    assert concern.status == Concern.Status.NEW
    assert concern.reported_by is None
    assert (concern.reporter_kind, concern.reporter_name, concern.reporter_contact) == (
        "parent",
        "Pat Parent",
        "07700 900123",
    )
    assert AuditEvent.objects.filter(action="concern.create", object_id=str(concern.pk)).exists()


def test_thank_you_page_gives_no_reference_but_says_where_to_get_help(world):
    client = Client()
    page = client.post(url(), public_data(), follow=True).content.decode()

    assert Concern.objects.get().reference not in page
    assert "C-" not in page
    for text in ("999", "Childline", "NSPCC", "What happens next"):
        assert text in page


def test_honeypot_gets_a_fake_success_and_stores_nothing(world):
    response = Client().post(url(), public_data(website="http://spam.example"))

    assert response.status_code == 302
    assert response.url == reverse("concerns_public:thanks", args=["alpha"])
    assert not Concern.objects.exists()


def test_honeypot_is_hidden_from_people(world):
    page = Client().get(url()).content.decode()
    tag = page.split('name="website"')[0].rsplit("<input", 1)[1] + page.split('name="website"')[1].split(">", 1)[0]

    for attribute in ('class="visually-hidden"', 'aria-hidden="true"', 'tabindex="-1"', 'autocomplete="off"'):
        assert attribute in tag


def test_throttle_stops_a_flood_from_one_address(world):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(PUBLIC_LIMIT):
        assert client.post(url(), public_data()).status_code == 302

    blocked = client.post(url(), public_data(summary="One too many"))
    other_address = Client(REMOTE_ADDR="203.0.113.10").post(url(), public_data())

    assert blocked.status_code == 429
    assert "has not been sent" in blocked.content.decode()
    assert "One too many" in blocked.content.decode()  # what they typed is kept
    assert not Concern.objects.filter(summary="One too many").exists()
    assert Concern.objects.count() == PUBLIC_LIMIT + 1
    assert other_address.status_code == 302


def test_honeypot_hits_count_towards_the_throttle(world):
    client = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(PUBLIC_LIMIT):
        client.post(url(), public_data(website="bot"))

    assert client.post(url(), public_data()).status_code == 429
    assert not Concern.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-school", "beta-closed"])
def test_unknown_or_inactive_school_is_404(world, slug):
    if slug == "beta-closed":
        world.other_school.slug, world.other_school.is_active = slug, False
        world.other_school.save(update_fields=["slug", "is_active"])
    client = Client()

    assert client.get(url(slug)).status_code == 404
    assert client.post(url(slug), public_data()).status_code == 404
    assert client.get(reverse("concerns_public:thanks", args=[slug])).status_code == 404
    assert not Concern.objects.exists()


def test_public_form_needs_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(url(), public_data())

    assert response.status_code == 403
    assert not Concern.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurred_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")}, "in the future"),
        ({"category": "filtering_breach"}, "Select a valid choice"),
        ({"category": "staff_misuse_allegation"}, "Select a valid choice"),
        ({"reporter_name": ""}, "Give your name"),
        ({"reporter_contact": ""}, "phone number or email address"),
        ({"description": ""}, "Tell the school what happened"),
    ],
    ids=["future", "staff-only-category", "staff-allegation", "no-name", "no-contact", "no-description"],
)
def test_bad_public_report_is_refused_clearly_and_stores_nothing(world, overrides, message):
    response = Client().post(url(), public_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Concern.objects.exists()


def test_public_form_points_staff_worries_to_the_head_and_has_no_upload(world):
    page = Client().get(url()).content.decode()

    assert "Worried about a member of staff?" in page
    assert "staff_misuse_allegation" not in page
    assert 'type="file"' not in page
    assert "multipart/form-data" not in page
    assert "If a child is in immediate danger, call 999 now." in page


def test_public_help_page_needs_no_login_and_names_the_dsl(world, client):
    """REP-24: learners and families see who to tell and where else to get help, without signing in."""
    from harbour.concerns.models import Agency

    Agency.objects.create(school=world.school, kind="helpline", name="Walk Helpline", for_parents=True)
    Agency.objects.create(school=world.school, kind="police", name="Staff-only desk", for_staff=True)
    response = client.get("/report/alpha/help/")
    body = response.content.decode()
    assert response.status_code == 200
    assert escape(world.dsl.user.display_name) in body
    assert "Walk Helpline" in body
    assert "Staff-only desk" not in body
    assert client.get("/report/no-such-school/help/").status_code == 404
