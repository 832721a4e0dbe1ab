"""The notifications page: each user sees and clears only their own alerts (REP-01, REP-09)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import alerts, services
from harbour.concerns.models import Notification


@pytest.fixture
def concern(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.concern_report(
            actor=world.teacher,
            category="cyberbullying",
            occurred_at=timezone.now() - timedelta(hours=1),
            summary="Unkind messages",
            description="Messages in a group chat.",
            involvements=[services.Involvement(world.learner.pk)],
        )


def url(slug="alpha"):
    return f"/s/{slug}/notifications/"


def test_dsl_sees_their_notification_with_a_link_to_the_concern(world, concern, client_for):
    response = client_for("dsl").get(url())
    assert response.status_code == 200
    body = response.content.decode()
    assert concern.reference in body
    assert reverse("concerns:detail", kwargs={"school_slug": "alpha", "pk": concern.pk}) in body
    assert "1 unread" in body


def test_teacher_sees_no_one_elses_notifications(world, concern, client_for):
    response = client_for("teacher2").get(url())
    assert response.status_code == 200
    assert concern.reference not in response.content.decode()


def test_outsider_gets_404(world, client_for):
    assert client_for("outsider").get(url()).status_code == 404


def test_mark_one_as_read(world, concern, client_for):
    mine = Notification.objects.get(user=world.dsl.user)
    response = client_for("dsl").post(url(), {"notification": str(mine.pk)})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.get(user=world.deputy.user).read_at is None
    assert AuditEvent.objects.filter(action="notification.read", actor=world.dsl.user).exists()


def test_cannot_mark_someone_elses_notification(world, concern, client_for):
    """Another user's notification is a 404, and stays unread."""
    theirs = Notification.objects.get(user=world.deputy.user)
    response = client_for("dsl").post(url(), {"notification": str(theirs.pk)})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_bad_input_gives_a_message_and_changes_nothing(world, concern, client_for):
    response = client_for("dsl").post(url(), {"notification": "everything"}, follow=True)
    assert "Choose a notification" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_mark_all_as_read_and_unread_count(world, concern, client_for):
    alerts.notify(concern=concern, users=[world.dsl.user], text="Second alert")
    assert alerts.unread_count(user=world.dsl.user, school=world.school) == 2
    client_for("dsl").post(url(), {"notification": "all"})
    assert alerts.unread_count(user=world.dsl.user, school=world.school) == 0
    assert alerts.unread_count(user=world.deputy.user, school=world.school) == 1


def test_unread_count_is_per_school(world, concern):
    assert alerts.unread_count(user=world.dsl.user, school=world.other_school) == 0
