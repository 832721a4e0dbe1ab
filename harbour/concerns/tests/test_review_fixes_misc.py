"""Fixes from the security review of issues 12 and 13 (findings 3, 5 and 10).

3. Escalating a cyberbullying concern as abuse between children keeps the members of staff it
   names: the new concern goes the same route and the named deputy neither opens it nor hears of
   it (INC-CYB-04, INC-STAFF-05). A monitoring alert about a member of staff names them too,
   whatever category the concern is given.
5. The technician a concern names (or who is a parent of a learner in it) does not see, nor
   complete, the block-and-isolate task for it (INC-YPSI-05, REP-20).
10. Ids too big for the database answer 400 with problem details, never 500, and store nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from harbour.concerns import imagery, links, selectors, services
from harbour.concerns.models import (
    Concern,
    ConcernLink,
    ConcernStaffSubject,
    Decision,
    Notification,
    Referral,
    TechnicianTask,
)
from harbour.core.tests import factories as f
from harbour.monitoring import alert_actions
from harbour.monitoring.models import Alert

pytestmark = pytest.mark.django_db

TOO_BIG = 10**20


def staff_of(membership):
    existing = membership.user.staff_records.filter(school=membership.school).first()
    return existing or f.StaffMemberFactory(school=membership.school, user=membership.user)


def report(world, *, category="cyberbullying", about=(), actor="teacher", **extra):
    return services.concern_report(
        actor=world.persona(actor),
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Messages in a group chat",
        description="Unkind messages were posted about a pupil in a class chat.",
        involvements=[services.Involvement(learner_id=world.learner.pk)],
        subject_staff_ids=[staff_of(m).pk for m in about],
        **extra,
    )


def api(world, name):
    client = APIClient()
    client.force_login(world.persona(name).user)
    return client


def detail(concern):
    return reverse("concerns:detail", args=[concern.school.slug, concern.pk])


def api_detail(concern):
    return reverse("api-concern-detail", args=[concern.school.slug, concern.pk])


# --- finding 3: escalation keeps the named staff -----------------------------------------------


def test_escalated_concern_keeps_the_named_deputy_out(world, client_for, django_capture_on_commit_callbacks):
    """INC-CYB-04 with INC-STAFF-05: the peer-on-peer concern names the same staff and goes to the head."""
    first = report(world, about=[world.deputy])
    assert first.routed_to == "head"
    with django_capture_on_commit_callbacks(execute=True):
        escalated = links.concern_escalate_as_abuse(
            actor=world.head,
            concern=selectors.concern_get(actor=world.head, pk=first.pk),
            reason="Repeated sexualised messages to one pupil.",
        )
    assert escalated.category == links.ESCALATES_TO
    assert set(escalated.subject_staff.all()) == {staff_of(world.deputy)}
    assert escalated.routed_to == "head"
    assert ConcernLink.objects.filter(from_concern=first, to_concern=escalated).exists()

    deputy = client_for("deputy")
    assert deputy.get(detail(escalated)).status_code == 404
    assert api(world, "deputy").get(api_detail(escalated)).status_code == 404
    assert not Notification.objects.filter(user=world.deputy.user, concern=escalated).exists()
    assert not Notification.objects.filter(user=world.deputy.user, text__contains=escalated.reference).exists()
    assert client_for("head").get(detail(escalated)).status_code == 200


def test_escalating_a_concern_naming_nobody_still_goes_to_the_team(world):
    first = report(world)
    escalated = links.concern_escalate_as_abuse(
        actor=world.dsl, concern=selectors.concern_get(actor=world.dsl, pk=first.pk), reason="Abuse between pupils."
    )
    assert not escalated.subject_staff.exists()
    assert selectors.concern_list(actor=world.deputy).filter(pk=escalated.pk).exists()


def test_alert_about_a_member_of_staff_names_them_whatever_the_category(world):
    """A staff alert converted under a safeguarding category still names the member of staff."""
    now = timezone.now()
    alert = Alert.objects.create(
        school=world.school,
        staff=staff_of(world.deputy),
        person_key=f"staff:{staff_of(world.deputy).pk}",
        person_label="deputy",
        kind="category",
        category="extremism",
        severity="high",
        first_seen=now - timedelta(hours=2),
        last_seen=now - timedelta(hours=1),
        count=3,
    )
    concern = alert_actions.alert_convert(
        actor=world.dsl, alert=alert, category="radicalisation_extremism", summary="Extremist sites", description="x"
    )
    assert set(concern.subject_staff.all()) == {staff_of(world.deputy)}
    assert not selectors.concern_list(actor=world.deputy).filter(pk=concern.pk).exists()


# --- finding 5: the named technician and the block-and-isolate task ------------------------------


def _imagery_concern(world, **extra):
    return report(
        world,
        category="youth_produced_sexual_imagery",
        equipment=Concern.Equipment.SCHOOL,
        **extra,
    )


def test_named_technician_neither_sees_nor_completes_the_task(world, client_for):
    concern = _imagery_concern(world, about=[world.technician])
    task = TechnicianTask.objects.get(concern=concern)
    tech = world.technician

    assert not imagery.technician_task_list(actor=tech).filter(pk=task.pk).exists()
    with pytest.raises(Http404):
        imagery.technician_task_get(actor=tech, pk=task.pk)
    with pytest.raises(Http404):
        imagery.technician_task_complete(actor=tech, task=task, confirmed_not_opened=True)

    client = client_for("technician")
    page = client.get(reverse("concerns:tech_tasks", args=["alpha"]))
    assert page.status_code == 200
    assert f"Task {task.pk}" not in page.content.decode()
    done = client.post(reverse("concerns:tech_task_done", args=["alpha", task.pk]), {"confirmed_not_opened": "on"})
    assert done.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None

    # Another technician still gets the work done.
    other = f.MembershipFactory(school=world.school, role=tech.role)
    assert imagery.technician_task_list(actor=other).filter(pk=task.pk).exists()
    imagery.technician_task_complete(actor=other, task=task, confirmed_not_opened=True)


def test_technician_who_is_a_parent_of_a_learner_in_it_does_not_see_the_task(world):
    parent = f.ParentFactory(school=world.school, email=world.technician.user.email)
    f.ParentLinkFactory(parent=parent, learner=world.learner)
    concern = _imagery_concern(world)
    task = TechnicianTask.objects.get(concern=concern)
    assert not imagery.technician_task_list(actor=world.technician).filter(pk=task.pk).exists()
    with pytest.raises(Http404):
        imagery.technician_task_complete(actor=world.technician, task=task, confirmed_not_opened=True)


def test_technician_not_named_still_sees_and_completes_the_task(world):
    concern = _imagery_concern(world)
    task = TechnicianTask.objects.get(concern=concern)
    assert imagery.technician_task_list(actor=world.technician).filter(pk=task.pk).exists()
    done = imagery.technician_task_complete(actor=world.technician, task=task, confirmed_not_opened=True)
    assert done.done_by == world.technician.user


# --- finding 10: ids too big for the database ---------------------------------------------------


def _body(world, **overrides):
    return {
        "category": "cyberbullying",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "summary": "Messages",
        "description": "Unkind messages in a chat.",
        **overrides,
    }


def _is_problem(response, field):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject_staff": [TOO_BIG]}, "subject_staff"),
        ({"subject_staff": TOO_BIG}, "subject_staff"),
        ({"learners": [{"learner": TOO_BIG, "part": "affected"}]}, "learners"),
        ({"learners": [{"learner": 2**63, "part": "affected"}]}, "learners"),
    ],
    ids=["staff-list", "staff-single", "learner", "learner-just-over"],
)
def test_huge_ids_on_report_are_a_400_problem(world, overrides, field):
    response = api(world, "teacher").post(
        reverse("api-concern-list", args=["alpha"]), _body(world, **overrides), format="json"
    )
    _is_problem(response, field)
    assert not Concern.objects.exists()


def test_huge_ids_when_naming_staff_are_a_400_problem(world):
    concern = report(world)
    target = reverse("api-concern-subject-staff", args=["alpha", concern.pk])
    for body, field in (
        ({"subject_staff": [TOO_BIG], "reason": "x", "version": concern.version}, "subject_staff"),
        ({"subject_staff": [staff_of(world.slt).pk], "reason": "x", "version": TOO_BIG}, "version"),
    ):
        _is_problem(api(world, "dsl").post(target, body, format="json"), field)
    assert not ConcernStaffSubject.objects.filter(concern=concern).exists()


def test_huge_ids_on_triage_are_a_400_problem(world):
    concern = report(world)
    dsl = api(world, "dsl")
    decision = dsl.post(
        reverse("api-concern-decision-list", args=["alpha", concern.pk]),
        {"kind": "behaviour", "reasons": "x", "sanction": "x", "sanctioned_learners": [TOO_BIG]},
        format="json",
    )
    _is_problem(decision, "sanctioned_learners")
    referral = dsl.post(
        reverse("api-concern-referral-list", args=["alpha", concern.pk]),
        {"agency": Referral.Agency.choices[0][0], "made_at": timezone.now().isoformat(), "decision": TOO_BIG},
        format="json",
    )
    _is_problem(referral, "decision")
    assert not Decision.objects.exists()
    assert not Referral.objects.exists()
