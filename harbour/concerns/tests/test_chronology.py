"""The learner chronology: who may open it, what it shows, its cost and its pins (issue 4 item 8, REP-07)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit.models import AuditEvent
from harbour.concerns import chronology, services
from harbour.concerns.models import ChronologyPin, ConcernEntry
from harbour.core.tests import factories as f
from harbour.people.models import StaffMember

T0 = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


def report(world, *, actor="teacher", category="cyberbullying", learners=None, **extra):
    learners = [(world.learner, "affected")] if learners is None else learners
    return services.concern_report(
        actor=world.persona(actor),
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary=extra.pop("summary", "Unkind messages in a group chat"),
        description=extra.pop("description", "Ada showed me messages calling her names."),
        involvements=[services.Involvement(learner.pk, part) for learner, part in learners],
        **extra,
    )


def log_decision(concern, author, kind="monitor", text="Watch closely for two weeks."):
    with transaction.atomic():
        return services.log_entry(
            concern=concern, kind=ConcernEntry.Kind.DECISION, author=author, text=text, data={"kind": kind}
        )


def page_url(world, learner=None):
    return reverse("concerns:chronology", args=[world.school.slug, (learner or world.learner).pk])


def pdf_url(world, learner=None):
    return reverse("concerns:chronology_pdf", args=[world.school.slug, (learner or world.learner).pk])


def api_url(world, learner=None):
    return f"/api/v1/schools/{world.school.slug}/learners/{(learner or world.learner).pk}/chronology/"


@pytest.fixture
def two_concerns(world):
    """Two concerns about world.learner, interleaved in time, and one about learner2 only."""
    with time_machine.travel(T0, tick=False):
        first = report(world, summary="First worry")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        second = report(world, actor="teacher2", category="online_hate", summary="Second worry")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        services.concern_acknowledge(actor=world.dsl, concern=first)
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        log_decision(first, world.dsl.user)
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        report(world, learners=[(world.learner2, "affected")], summary="Someone else's worry")
    return first, second


def trust_lead(world):
    user = f.UserFactory(mfa=True)
    f.TrustRoleFactory(user=user, organisation=world.school.organisation)
    client = Client()
    client.force_login(user)
    return client


def test_dsl_sees_both_concerns_merged_in_time_order(world, two_concerns):
    """Item 8: events of every concern about the learner, oldest first, decisions included."""
    first, second = two_concerns
    events = chronology.chronology_for_learner(actor=world.dsl, learner=world.learner)
    assert [(e.concern_reference, e.kind) for e in events] == [
        (first.reference, "reported"),
        (second.reference, "reported"),
        (first.reference, "acknowledged"),
        (first.reference, "decision"),
    ]
    assert events[0].title == "Concern reported: First worry"
    assert events[0].text == "Ada showed me messages calling her names."
    assert events[0].learner_part == "Affected or at risk"
    assert events[3].title == "Decision: Monitor in school"
    assert events[3].author == world.dsl.user.display_name
    assert all(e.can_pin for e in events)


def test_chronology_page_shows_the_events(world, two_concerns, client_for):
    response = client_for("dsl").get(page_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "First worry" in body
    assert "Second worry" in body
    assert "Decision: Monitor in school" in body
    assert "Someone else" not in body
    assert body.index("First worry") < body.index("Second worry")


def test_viewing_is_audited_with_the_concerns_covered(world, two_concerns):
    """REP-07: every view of concern records is logged, naming what it showed."""
    first, second = two_concerns
    chronology.chronology_for_learner(actor=world.deputy, learner=world.learner)
    event = AuditEvent.objects.get(action=chronology.VIEW_ACTION)
    assert event.actor == world.deputy.user
    assert event.object_id == str(world.learner.pk)
    assert event.changes["concerns"] == sorted([first.reference, second.reference])
    assert event.changes["events"] == 4


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "slt", "technician", "office", "governor", "outsider"])
def test_roles_outside_the_team_get_404_on_page_pdf_and_api(world, two_concerns, client_for, persona):
    """REP-07: the teacher of the learner's own class does not get the chronology either."""
    client = client_for(persona)
    assert client.get(page_url(world)).status_code == 404
    assert client.get(pdf_url(world)).status_code == 404
    assert client.get(api_url(world)).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="learner.chronology").exists()


def test_selector_refuses_a_teacher_even_when_called_directly(world, two_concerns):
    with pytest.raises(Http404):
        chronology.chronology_for_learner(actor=world.teacher, learner=world.learner)


def test_learner_of_another_school_is_404(world, client_for):
    assert client_for("dsl").get(page_url(world, world.other_learner)).status_code == 404
    assert client_for("outsider").get(page_url(world, world.learner)).status_code == 404


def test_allegation_about_staff_is_shown_to_head_not_dsl(world, two_concerns):
    """INC-STAFF-05: an allegation involving the learner reaches the head's chronology only."""
    subject = StaffMember.objects.get(user=world.teacher.user)
    allegation = report(
        world,
        actor="teacher2",
        category="staff_misuse_allegation",
        subject_staff_id=subject.pk,
        summary="Allegation about a colleague",
    )
    dsl_refs = {e.concern_reference for e in chronology.chronology_for_learner(actor=world.dsl, learner=world.learner)}
    head_refs = {
        e.concern_reference for e in chronology.chronology_for_learner(actor=world.head, learner=world.learner)
    }
    assert allegation.reference not in dsl_refs
    assert allegation.reference in head_refs


def test_trust_lead_reads_the_chronology_but_cannot_pin(world, two_concerns):
    client = trust_lead(world)
    response = client.get(page_url(world))
    assert response.status_code == 200
    assert "First worry" in response.content.decode()
    assert "Pin as key event" not in response.content.decode()
    entry = two_concerns[0].entries.first()
    posted = client.post(
        reverse("concerns:chronology_pin", args=[world.school.slug, world.learner.pk]),
        {"entry": entry.pk, "action": "pin"},
    )
    assert posted.status_code == 404
    assert not ChronologyPin.objects.exists()


def test_five_hundred_events_cost_a_bounded_number_of_queries(
    world, two_concerns, client_for, django_assert_max_num_queries
):
    """Performance: no query per event on the selector, the page or the API."""
    first, second = two_concerns
    ConcernEntry.objects.bulk_create(
        [
            ConcernEntry(
                concern=first if i % 2 else second, kind=ConcernEntry.Kind.NOTE, author=world.dsl.user, text=f"n{i}"
            )
            for i in range(500)
        ]
    )
    # 6: on PostgreSQL the chronology's audit event also takes its chain's advisory lock (audit.chain).
    with django_assert_max_num_queries(6):
        events = chronology.chronology_for_learner(actor=world.dsl, learner=world.learner)
    assert len(events) == 504
    client = client_for("dsl")
    client.get(page_url(world))  # warm the session and MFA checks so the count measures the page
    # 16 (18 on PostgreSQL): the page writes two audit events, each reading its chain's last digest
    # first and, on PostgreSQL, taking the chain's advisory lock (audit.chain).
    with django_assert_max_num_queries(18):
        assert client.get(page_url(world)).status_code == 200
    with django_assert_max_num_queries(18):
        response = client.get(api_url(world), {"page_size": 500})
    assert response.status_code == 200
    assert response.json()["count"] == 504


def test_filters_by_kind_and_dates(world, two_concerns):
    decisions = chronology.chronology_for_learner(actor=world.dsl, learner=world.learner, kinds=["decision"])
    assert [e.kind for e in decisions] == ["decision"]
    day = T0.date()
    assert len(chronology.chronology_for_learner(actor=world.dsl, learner=world.learner, date_from=day)) == 4
    assert chronology.chronology_for_learner(actor=world.dsl, learner=world.learner, date_to=day - timedelta(1)) == []


def test_page_filters_with_htmx_return_only_the_results(world, two_concerns, client_for):
    response = client_for("dsl").get(page_url(world), {"kind": "decision"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Decision: Monitor in school" in body
    assert "First worry" not in body


def test_bad_date_range_shows_a_clear_message(world, two_concerns, client_for):
    """Bad input: a clear message, and the invalid filter is not applied."""
    response = client_for("dsl").get(page_url(world), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 200
    assert "The end date is before the start date" in response.content.decode()
    pdf = client_for("dsl").get(pdf_url(world), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert pdf.status_code == 400
    assert not AuditEvent.objects.filter(action=chronology.EXPORT_ACTION).exists()


def test_web_addresses_are_hidden_for_categories_that_hide_them(world, client_for):
    """INC-FILT-09: the address of a filtering breach never appears on the chronology."""
    report(world, category="filtering_breach", description="Pupil reached https://bad.example.com/page via www.x.org")
    report(world, category="cyberbullying", description="Posted on https://social.example.com/u/1")
    events = chronology.chronology_for_learner(actor=world.dsl, learner=world.learner)
    texts = {e.concern_category: e.text for e in events}
    assert "bad.example.com" not in texts["Filtering breach"]
    assert "www.x.org" not in texts["Filtering breach"]
    assert chronology.ADDRESS_PLACEHOLDER in texts["Filtering breach"]
    assert "https://social.example.com/u/1" in texts["Cyberbullying"]
    body = client_for("dsl").get(page_url(world)).content.decode()
    assert "bad.example.com" not in body
    assert 'href="https://social.example.com' not in body  # inert text, never a link


def test_amendments_show_as_corrections(world, two_concerns):
    first, _ = two_concerns
    note = services.concern_add_note(actor=world.dsl, concern=first, text="Spoke to mum.")
    services.concern_amend_entry(actor=world.dsl, entry=note, text="Spoke to dad.", reason="Wrong parent")
    events = chronology.chronology_for_learner(actor=world.dsl, learner=world.learner, kinds=["note", "amendment"])
    assert [(e.kind, e.corrected) for e in events] == [("note", True), ("amendment", False)]
    assert "Reason for the correction: Wrong parent" in events[1].text
    assert events[1].amends_entry_id == note.pk


# --- pins -----------------------------------------------------------------------------------------


def pin_url(world):
    return reverse("concerns:chronology_pin", args=[world.school.slug, world.learner.pk])


def test_dsl_pins_and_unpins_a_key_event(world, two_concerns, client_for):
    first, _ = two_concerns
    entry = first.entries.get(kind="decision")
    client = client_for("dsl")
    response = client.post(pin_url(world), {"entry": entry.pk, "action": "pin", "return_query": "kind=decision"})
    assert response.status_code == 302
    assert response["Location"].endswith("?kind=decision")
    pinned = chronology.chronology_for_learner(actor=world.dsl, learner=world.learner, pinned_only=True)
    assert [e.entry_id for e in pinned] == [entry.pk]
    assert pinned[0].pinned
    assert AuditEvent.objects.filter(action="learner.chronology_pin", actor=world.dsl.user).exists()

    client.post(pin_url(world), {"entry": entry.pk, "action": "pin"})  # twice is harmless
    assert ChronologyPin.objects.filter(unpinned_at__isnull=True).count() == 1

    response = client.post(pin_url(world), {"entry": entry.pk, "action": "unpin"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Pin as key event" in response.content.decode()
    assert chronology.chronology_for_learner(actor=world.dsl, learner=world.learner, pinned_only=True) == []
    assert ChronologyPin.objects.get().unpinned_at is not None  # kept, dated
    assert AuditEvent.objects.filter(action="learner.chronology_unpin").exists()


def test_teacher_cannot_pin(world, two_concerns, client_for):
    entry = two_concerns[0].entries.first()
    response = client_for("teacher").post(pin_url(world), {"entry": entry.pk, "action": "pin"})
    assert response.status_code == 404
    assert not ChronologyPin.objects.exists()


def test_pin_is_refused_to_someone_who_reads_but_does_not_manage_the_concern(world, two_concerns):
    """Only the concern's managers pin: a trust lead reads every concern and manages none."""
    entry = two_concerns[0].entries.first()
    lead = Membership(user=f.UserFactory(), school=world.school, role=Role.TRUST_SAFEGUARDING_LEAD, is_active=True)
    with pytest.raises(PermissionDenied):
        chronology.chronology_pin(actor=lead, learner=world.learner, entry_id=entry.pk)
    assert not ChronologyPin.objects.exists()


def test_pin_of_a_hidden_or_unrelated_entry_is_404(world, two_concerns):
    subject = StaffMember.objects.get(user=world.teacher.user)
    allegation = report(world, actor="teacher2", category="staff_misuse_allegation", subject_staff_id=subject.pk)
    other = report(world, learners=[(world.learner2, "affected")])
    for entry in (allegation.entries.first(), other.entries.first()):
        with pytest.raises(Http404):
            chronology.chronology_pin(actor=world.dsl, learner=world.learner, entry_id=entry.pk)
    with pytest.raises(Http404):
        chronology.chronology_pin(actor=world.dsl, learner=world.learner, entry_id="not-a-number")
    assert not ChronologyPin.objects.exists()


def test_selector_refuses_a_learner_of_another_school(world):
    with pytest.raises(Http404):
        chronology.chronology_for_learner(actor=world.dsl, learner=world.other_learner)


def test_chronology_hides_addresses_with_the_shared_detector():
    """INC-IIOC-07: the chronology hides what the concern page hides, e.g. a defanged or .fr address."""
    from harbour.concerns import chronology

    hidden = chronology._hide_addresses("Found on hxxp://bad.example/x and site.fr/page.")
    assert "bad.example" not in hidden
    assert "site.fr" not in hidden
    assert hidden.count(chronology.ADDRESS_PLACEHOLDER) == 2
