"""Records linked to a concern obey its door (issue 12, finding 6, INC-STAFF-05, INC-FILT-03).

A breach, alert or usage review that became a concern naming a member of staff must not stay
readable by that person, nor show them the concern's reference; the DSL still sees it all.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.concerns import services
from harbour.concerns.models import ConcernStaffSubject
from harbour.core.tests import factories as f
from harbour.filtering import breach_steps, breaches
from harbour.filtering.models import UsageReview
from harbour.monitoring.models import Alert


def staff_of(m):
    return m.user.staff_records.filter(school=m.school).first() or f.StaffMemberFactory(school=m.school, user=m.user)


@pytest.fixture
def named_breach(world):
    breach = breaches.breach_report(
        actor=world.teacher,
        occurred_at=timezone.now(),
        what_seen="Technician account browsing unsuitable pages",
        user_label="tech.account",
    )
    concern = breach_steps.breach_to_concern(
        actor=world.dsl,
        breach=breach,
        category="filtering_breach",
        summary="Staff account misuse",
        version=breach.version,
    )
    concern.refresh_from_db()
    services.concern_name_staff(
        actor=world.dsl,
        concern=concern,
        staff_ids=[staff_of(world.technician).pk],
        reason="The account is the technician's",
        version=concern.version,
    )
    concern.refresh_from_db()
    return breach, concern


def api_for(member) -> APIClient:
    client = APIClient()
    client.force_login(member.user)
    return client


def test_named_technician_gets_404_and_no_row_for_the_breach(world, client_for, named_breach):
    breach, concern = named_breach
    tech = client_for("technician")
    assert tech.get(reverse("filtering:breach_detail", args=["alpha", breach.pk])).status_code == 404
    listing = tech.get(reverse("filtering:breach_list", args=["alpha"]))
    assert listing.status_code == 200
    assert breach.reference not in listing.content.decode()
    assert concern.reference not in listing.content.decode()
    api = api_for(world.technician)
    assert api.get(reverse("api-filtering-breach-detail", args=["alpha", breach.pk])).status_code == 404
    rows = api.get(reverse("api-filtering-breach-list", args=["alpha"])).json()
    assert breach.reference not in str(rows)


def test_who_may_open_the_concern_still_sees_the_breach_and_its_reference(world, client_for, named_breach):
    """A concern naming staff goes to the head (INC-STAFF-05): the head keeps the breach and its
    reference; the DSL team, who may not open that concern, no longer see the breach either."""
    breach, concern = named_breach
    page = client_for("head").get(reverse("filtering:breach_detail", args=["alpha", breach.pk]))
    assert page.status_code == 200
    assert concern.reference in page.content.decode()
    row = api_for(world.head).get(reverse("api-filtering-breach-detail", args=["alpha", breach.pk])).json()
    assert row["concern_reference"] == concern.reference
    assert client_for("dsl").get(reverse("filtering:breach_detail", args=["alpha", breach.pk])).status_code == 404


def test_ordinary_breach_concern_stays_with_the_dsl(world, client_for):
    breach = breaches.breach_report(actor=world.teacher, occurred_at=timezone.now(), what_seen="Casino advert")
    concern = breach_steps.breach_to_concern(
        actor=world.dsl, breach=breach, category="filtering_breach", summary="Advert", version=breach.version
    )
    page = client_for("dsl").get(reverse("filtering:breach_detail", args=["alpha", breach.pk]))
    assert page.status_code == 200
    assert concern.reference in page.content.decode()


def test_reference_hidden_from_a_handler_who_may_not_open_the_concern(world, client_for):
    """A technician handles breaches but may not open an ordinary concern: no reference for them."""
    breach = breaches.breach_report(actor=world.teacher, occurred_at=timezone.now(), what_seen="Pop-up advert")
    concern = breach_steps.breach_to_concern(
        actor=world.dsl, breach=breach, category="filtering_breach", summary="Advert", version=breach.version
    )
    page = client_for("technician").get(reverse("filtering:breach_detail", args=["alpha", breach.pk]))
    assert page.status_code == 200
    assert concern.reference not in page.content.decode()
    row = api_for(world.technician).get(reverse("api-filtering-breach-detail", args=["alpha", breach.pk])).json()
    assert row["concern_reference"] is None
    assert row["concern"] is None


def test_usage_review_and_alert_close_to_the_named_person(world, client_for, make_concern_about):
    review_concern = make_concern_about(world.technician)
    review = UsageReview.objects.create(
        school=world.school,
        period_start=date.today() - timedelta(days=7),
        period_end=date.today(),
        scope="Staff laptops",
        findings="Technician account misuse",
        safeguarding_finding=True,
        concern=review_concern,
        reviewed_by=world.dsl.user,
    )
    url = reverse("filtering:usage_review_detail", args=["alpha", review.pk])
    assert client_for("technician").get(url).status_code == 404
    head_page = client_for("head").get(url)
    assert head_page.status_code == 200
    assert review_concern.reference in head_page.content.decode()

    alert_concern = make_concern_about(world.head)
    now = timezone.now()
    alert = Alert.objects.create(
        school=world.school,
        person_key="staff:head",
        person_label="head.account",
        kind=Alert.Kind.CATEGORY,
        category="gambling",
        severity="medium",
        first_seen=now - timedelta(hours=1),
        last_seen=now,
        count=2,
        hosts=["example-casino.test"],
        concern=alert_concern,
    )
    url = reverse("monitoring:alert_detail", args=["alpha", alert.pk])
    assert client_for("head").get(url).status_code == 404
    assert (
        alert.person_label
        not in client_for("head").get(reverse("monitoring:alert_list", args=["alpha"])).content.decode()
    )
    # The allegation about the head went to the chair: the DSL may not open it either.
    assert client_for("dsl").get(url).status_code == 404
    alert.concern = make_concern_about(world.technician)
    alert.status = Alert.Status.CONVERTED
    alert.save(update_fields=["concern", "status"])
    head_page = client_for("head").get(url)
    assert head_page.status_code == 200
    assert alert.concern.reference in head_page.content.decode()


@pytest.fixture
def make_concern_about(world):
    def make(member):
        breach = breaches.breach_report(actor=world.teacher, occurred_at=timezone.now(), what_seen="Seen on a laptop")
        concern = breach_steps.breach_to_concern(
            actor=world.dsl,
            breach=breach,
            category="filtering_breach",
            summary="Account misuse",
            version=breach.version,
        )
        ConcernStaffSubject.objects.create(concern=concern, staff=staff_of(member), added_by=world.dsl.user)
        return concern

    return make
