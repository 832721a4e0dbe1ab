"""Read and acknowledge (ROL-09): requests, answers, chases and the report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Notification
from harbour.policy import acknowledgements, selectors, services, tasks
from harbour.policy.models import Acknowledgement
from harbour.policy.tests.helpers import base_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    version = services.policy_version_adopt(
        school=world.school, config=base_config(), note="", approved_on=date(2025, 9, 1)
    )
    version.acknowledgement_roles = acknowledgements.roles_for_groups(["staff"])
    version.save(update_fields=["acknowledgement_roles"])
    acknowledgements.acknowledgement_request_all(actor=None, version=version)
    return version


def _ack(world, persona, version):
    return Acknowledgement.objects.get(version=version, user=world.persona(persona).user)


def test_requests_go_to_staff_with_no_detail(world, published):
    """ROL-09: every staff login is asked once; the message says only that there is a policy to read."""
    asked = Acknowledgement.objects.filter(version=published)
    assert asked.count() == 10  # dsl, deputy, head, slt, teacher, teacher2, support, technician, office, admin
    assert not asked.filter(user=world.governor.user).exists()
    texts = set(Notification.objects.values_list("text", flat=True))
    assert texts == {acknowledgements.REQUEST_TEXT}
    acknowledgements.acknowledgement_request_all(actor=None, version=published)
    assert Acknowledgement.objects.filter(version=published).count() == 10


def test_staff_acknowledge_their_own_request_only(world, published):
    """ROL-09: a teacher confirms their own request; someone else's is refused and unchanged."""
    mine = _ack(world, "teacher", published)
    acknowledgements.acknowledgement_record(actor=world.teacher, acknowledgement=mine)
    mine.refresh_from_db()
    assert mine.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="policy_ack.acknowledge", object_id=str(mine.pk)).exists()
    theirs = _ack(world, "teacher2", published)
    with pytest.raises(PermissionDenied):
        acknowledgements.acknowledgement_record(actor=world.teacher, acknowledgement=theirs)
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None
    with pytest.raises(Http404):
        selectors.my_acknowledgement_get(actor=world.teacher, pk=theirs.pk)


def test_report_says_who_has_and_has_not(world, published):
    """ROL-09: the report lists both, with a percentage."""
    acknowledgements.acknowledgement_record(actor=world.teacher, acknowledgement=_ack(world, "teacher", published))
    report = selectors.acknowledgement_report(actor=world.governor, version=published)
    assert [a.user for a in report.done] == [world.teacher.user]
    assert len(report.pending) == 9
    assert report.percent == 10
    with pytest.raises(Http404):
        selectors.acknowledgement_report(actor=world.outsider, version=published)


def test_weekly_chase_reminds_only_those_waiting(world, published, django_capture_on_commit_callbacks):
    """ROL-09: after a week, those who have not confirmed are reminded; again only a week later."""
    acknowledgements.acknowledgement_record(actor=world.teacher, acknowledgement=_ack(world, "teacher", published))
    Notification.objects.all().delete()
    now = timezone.now()
    assert tasks.policy_chase_acknowledgements(now=now + timedelta(days=1)) == {}
    with django_capture_on_commit_callbacks(execute=True):
        chased = tasks.policy_chase_acknowledgements(now=now + timedelta(days=8))
    assert chased == {"alpha": 9}
    reminded = set(Notification.objects.values_list("user__email", flat=True))
    assert "teacher@alpha.test" not in reminded
    assert "teacher2@alpha.test" in reminded
    assert all("sign in" in m.body.lower() for m in mail.outbox)
    assert tasks.policy_chase_acknowledgements(now=now + timedelta(days=10)) == {}
    assert tasks.policy_chase_acknowledgements(now=now + timedelta(days=16)) == {"alpha": 9}
    assert _ack(world, "teacher2", published).chase_count == 2


def test_chase_button_and_its_permissions(world, published):
    """ROL-09: the DSL chases now; a teacher cannot; a double click sends once."""
    assert acknowledgements.acknowledgement_chase(actor=world.dsl, version=published) == 10
    assert acknowledgements.acknowledgement_chase(actor=world.dsl, version=published) == 0
    with pytest.raises(PermissionDenied):
        acknowledgements.acknowledgement_chase(actor=world.teacher, version=published)
    assert AuditEvent.objects.filter(action="policy_ack.chase").count() == 1


def test_newcomers_are_asked_by_the_daily_job(world, published):
    """ROL-09: someone who joins after publication is asked too."""
    from conftest import make_member

    newcomer = make_member(world.school, "teacher", "new@alpha.test")
    tasks.policy_chase_acknowledgements()
    assert Acknowledgement.objects.filter(version=published, user=newcomer.user).exists()


def test_everyone_is_asked_again_each_year(world, published):
    """ROL-09 "each year": a version in force for a year is sent to everyone again; the report follows."""
    for ack in Acknowledgement.objects.filter(version=published):
        acknowledgements.acknowledgement_record(actor=ack.membership, acknowledgement=ack)
    Notification.objects.all().delete()
    a_year_on = timezone.now() + timedelta(days=366)
    tasks.policy_chase_acknowledgements(now=a_year_on)
    second = Acknowledgement.objects.filter(version=published, cycle=2)
    assert second.count() == 10
    assert set(Notification.objects.values_list("text", flat=True)) == {acknowledgements.ANNUAL_TEXT}
    report = selectors.acknowledgement_report(actor=world.dsl, version=published)
    assert report.cycle == 2
    assert len(report.pending) == 10
    assert selectors.acknowledgement_report(actor=world.dsl, version=published, cycle=1).percent == 100
    assert selectors.acknowledgement_counts(school=world.school)[published.number] == (0, 10)
    tasks.policy_chase_acknowledgements(now=a_year_on + timedelta(days=1))
    assert Acknowledgement.objects.filter(version=published).count() == 20
