"""Alerts on a new concern: who hears, and what they are told (REP-01, REP-20, ROL-02, INC-YPSI-03, INC-STAFF-05)."""

import smtplib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import alerts, services
from harbour.concerns.categories import BY_ID
from harbour.concerns.models import Concern, Notification
from harbour.core.tests import factories as f
from harbour.people.models import Parent, StaffMember

SUMMARY = "Pressured to send a photo"
DESCRIPTION = "She said an older boy kept messaging her at night."
OWN_WORDS = "He said he would tell everyone if I did not send it."


@pytest.fixture
def report(world, django_capture_on_commit_callbacks):
    """Log a concern as a persona and run the after-commit alert, as a real request would."""

    def make(actor="teacher", category="youth_produced_sexual_imagery", learners=None, **extra):
        learners = [world.learner] if learners is None else learners
        with django_capture_on_commit_callbacks(execute=True):
            return services.concern_report(
                actor=world.persona(actor),
                category=category,
                occurred_at=timezone.now() - timedelta(hours=1),
                summary=SUMMARY,
                description=DESCRIPTION,
                childs_own_words=OWN_WORDS,
                involvements=[services.Involvement(learner.pk) for learner in learners],
                **extra,
            )

    return make


def notified(concern):
    return set(Notification.objects.filter(concern=concern).values_list("user__email", flat=True))


def emailed():
    return sorted(address for message in mail.outbox for address in message.to)


def staff_record(world, persona):
    user = world.persona(persona).user
    return StaffMember.objects.filter(school=world.school, user=user).first() or f.StaffMemberFactory(
        school=world.school, user=user
    )


def test_teacher_report_alerts_dsl_and_deputy_in_app_and_by_email(world, report):
    """REP-01, INC-YPSI-03: the DSL and deputy hear at once; the reporter and other staff do not."""
    concern = report()
    assert notified(concern) == {"dsl@alpha.test", "deputy@alpha.test"}
    assert emailed() == ["deputy@alpha.test", "dsl@alpha.test"]
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees who else was told


def test_alert_email_names_nobody_and_describes_nothing(world, report):
    """REP-20, INC-YPSI-03: the email holds the school's name and a link, and no detail at all."""
    concern = report(learners=[world.learner, world.learner2])
    link = settings.SITE_URL + reverse("concerns:detail", kwargs={"school_slug": "alpha", "pk": concern.pk})
    forbidden = [
        world.learner.first_name,
        world.learner.last_name,
        world.learner2.first_name,
        world.learner2.last_name,
        world.teacher.user.full_name,
        SUMMARY,
        DESCRIPTION,
        OWN_WORDS,
        BY_ID[concern.category].label,
        "image",
        "sexual",
        concern.reference,
    ]
    assert mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert "Alpha Primary School" in text
        assert link in message.body
        for word in forbidden:
            assert word.lower() not in text.lower(), word
        assert not message.attachments
        assert not getattr(message, "alternatives", [])


def test_in_app_notification_gives_only_the_reference(world, report):
    concern = report()
    for text in Notification.objects.filter(concern=concern).values_list("text", flat=True):
        assert concern.reference in text
        for word in (world.learner.first_name, world.learner.last_name, SUMMARY, BY_ID[concern.category].label):
            assert word.lower() not in text.lower()


def test_head_is_alerted_too_when_the_school_asks(world, report):
    """REP-01: the school may add the head to every first alert."""
    world.school.policy_settings = {"alert_head_on_new_concern": True}
    world.school.save()
    assert notified(report()) == {"dsl@alpha.test", "deputy@alpha.test", "head@alpha.test"}


def test_head_is_not_alerted_by_default(world, report):
    assert "head@alpha.test" not in notified(report())


def test_nothing_is_sent_before_the_report_commits(world, django_capture_on_commit_callbacks):
    """A report that is rolled back must never have told anyone: the alert waits for the commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        concern = services.concern_report(
            actor=world.teacher,
            category="cyberbullying",
            occurred_at=timezone.now(),
            summary=SUMMARY,
            description=DESCRIPTION,
        )
    assert not Notification.objects.exists()
    assert not mail.outbox
    for callback in callbacks:
        callback()
    assert notified(concern) == {"dsl@alpha.test", "deputy@alpha.test"}


def test_alert_is_audited_with_who_was_told(world, report):
    concern = report()
    event = AuditEvent.objects.get(action="concern.alert", object_id=str(concern.pk))
    assert sorted(event.changes["alerted"][1]) == ["deputy@alpha.test", "dsl@alpha.test"]


def test_the_reporter_is_not_alerted_about_their_own_report(world, report):
    concern = report(actor="dsl")
    assert notified(concern) == {"deputy@alpha.test"}


# --- REP-20: never parents, never anyone named ---------------------------------------------------


def test_no_email_ever_goes_to_a_parent_of_an_involved_learner(world, report):
    """REP-20: parents and carers of the learners in the concern are never messaged automatically."""
    parent_addresses = set(
        Parent.objects.filter(links__learner__in=[world.learner, world.learner2]).values_list("email", flat=True)
    )
    assert parent_addresses
    report(learners=[world.learner, world.learner2])
    assert not parent_addresses & set(emailed())


def test_staff_member_who_is_a_parent_of_the_learner_is_not_alerted(world, report):
    """REP-20: even on the DSL team, a parent of an involved learner hears nothing automatically."""
    parent = f.ParentFactory(school=world.school, email="Deputy@Alpha.test")
    f.ParentLinkFactory(parent=parent, learner=world.learner)
    concern = report()
    assert notified(concern) == {"dsl@alpha.test"}
    assert emailed() == ["dsl@alpha.test"]


def test_public_reporter_is_never_emailed(world, django_capture_on_commit_callbacks):
    """REP-03, REP-20: a parent's own report lands with the DSL; nothing goes back to them automatically."""
    world.dsl.user.email = "Worried.Mum@example.org"  # same person holds both roles
    world.dsl.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_report_public(
            school=world.school,
            reporter_kind=Concern.ReporterKind.PARENT,
            reporter_name="A parent",
            reporter_contact="worried.mum@example.org",
            category="cyberbullying",
            occurred_at=timezone.now(),
            summary=SUMMARY,
            description=DESCRIPTION,
        )
    assert notified(concern) == {"deputy@alpha.test"}
    assert "worried.mum@example.org" not in {address.lower() for address in emailed()}


# --- INC-STAFF-05: allegations ---------------------------------------------------------------


def test_allegation_about_a_teacher_alerts_only_the_head(world, report):
    """INC-STAFF-05: an allegation goes to the head, not to the DSL team, never to the teacher."""
    subject = staff_record(world, "teacher2")
    concern = report(category="staff_misuse_allegation", subject_staff_id=subject.pk)
    assert notified(concern) == {"head@alpha.test"}
    assert emailed() == ["head@alpha.test"]


def test_allegation_about_the_dsl_never_reaches_the_dsl(world, report):
    subject = staff_record(world, "dsl")
    concern = report(category="staff_misuse_allegation", subject_staff_id=subject.pk)
    assert notified(concern) == {"head@alpha.test"}


def test_allegation_about_the_head_alerts_only_the_chair_of_governors(world, report):
    """INC-STAFF-05, gap G7: about the head, the chair of governors is told, and the head is not."""
    world.governor.is_chair_of_governors = True
    world.governor.save()
    subject = staff_record(world, "head")
    concern = report(category="staff_misuse_allegation", subject_staff_id=subject.pk)
    assert notified(concern) == {"governor@alpha.test"}
    assert emailed() == ["governor@alpha.test"]


def test_allegation_about_the_head_with_no_route_at_all_goes_to_the_dsl_team_never_the_head(world, report):
    """Issue 12 point 2 changed this: it used to reach nobody. With no chair, no trust lead and no
    LADO address, the DSL team members not named take it (and leaders' dashboards say so)."""
    subject = staff_record(world, "head")
    concern = report(category="staff_misuse_allegation", subject_staff_id=subject.pk)
    assert notified(concern) == {world.dsl.user.email, world.deputy.user.email}
    assert world.head.user.email not in {address for message in mail.outbox for address in message.to}


# --- ROL-02: no DSL available ----------------------------------------------------------------


def test_with_no_dsl_or_deputy_in_post_the_head_is_alerted_at_once(world, report):
    """ROL-02: while nobody on the DSL team can be reached, alerts go to the head without waiting."""
    for persona in ("dsl", "deputy"):
        membership = world.persona(persona)
        membership.is_active = False
        membership.save()
    assert notified(report()) == {"head@alpha.test"}


def test_deactivated_user_is_not_alerted(world, report):
    world.deputy.user.is_active = False
    world.deputy.user.save()
    assert notified(report()) == {"dsl@alpha.test"}


# --- settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "minutes"),
    [(None, 60), (30, 30), ("45", 45), ("soon", 60), (0, alerts.MIN_ACKNOWLEDGE_MINUTES)],
)
def test_acknowledge_limit_reads_the_school_setting_safely(world, value, minutes):
    if value is not None:
        world.school.policy_settings = {"acknowledge_within_minutes": value}
    assert alerts.acknowledge_limit(world.school) == timedelta(minutes=minutes)


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server is down")


@override_settings(EMAIL_BACKEND="harbour.concerns.tests.test_alerts.BrokenMailServer")
def test_a_mail_outage_does_not_stop_the_in_app_alert(world, report, caplog):
    """REP-01: if email fails, the in-app alerts still stand and the failure is logged."""
    concern = report()
    assert notified(concern) == {"dsl@alpha.test", "deputy@alpha.test"}
    assert "could not be sent" in caplog.text


def test_head_who_chairs_governors_is_not_told_of_an_allegation_about_themselves(world, report):
    """INC-STAFF-05: whatever the route says, the person a concern is about is never alerted."""
    world.head.is_chair_of_governors = True
    world.head.save()
    subject = staff_record(world, "head")
    concern = report(category="staff_misuse_allegation", subject_staff_id=subject.pk)
    assert "head@alpha.test" not in notified(concern)
    assert "head@alpha.test" not in emailed()


def test_notify_itself_refuses_a_parent_of_the_learner(world, report, django_capture_on_commit_callbacks):
    """REP-20 is enforced where messages are made, so a future caller cannot bypass it."""
    concern = report()
    mail.outbox.clear()
    f.ParentLinkFactory(parent=f.ParentFactory(school=world.school, email="dsl@alpha.test"), learner=world.learner)
    with django_capture_on_commit_callbacks(execute=True):
        made = alerts.notify(
            concern=concern, users=[world.dsl.user], text="Reminder", email_subject="Subject", email_opening="Hello"
        )
    assert made == []
    assert not mail.outbox
