"""A critical alert (self-harm, suicide, abuse) reaches the DSL at once, in the app and by a
link-only e-mail, shows on the DSL's dashboard, and suggests a safeguarding category (FLT-08,
INC-FILT-06, REP-20)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Notification
from harbour.monitoring import alert_actions, critical
from harbour.monitoring.models import Alert
from harbour.monitoring.tests.logs import grouped_log, squid_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def critical_alert(world, known_learner, ingest_file, tmp_path) -> Alert:
    mail.outbox.clear()
    ingest_file(grouped_log(tmp_path / "access.log"))
    return Alert.objects.get(kind="keyword", category="self_harm")


def test_critical_alert_notifies_the_dsl_team_in_app_and_by_email_without_detail(world, critical_alert):
    assert critical_alert.severity == "critical"
    told = Notification.objects.filter(link=critical.alert_path(critical_alert))
    assert {n.user for n in told} == {world.dsl.user, world.deputy.user}
    assert all(n.concern is None for n in told)
    emails = [m for m in mail.outbox if "Critical monitoring alert" in m.subject]
    assert sorted(address for m in emails for address in m.to) == sorted(
        [world.dsl.user.email, world.deputy.user.email]
    )
    for message in emails:
        text = message.subject + message.body
        for detail in (
            "self harm",
            "self_harm",
            "ways to",
            "google",
            "ada",
            world.learner.first_name,
            world.learner.last_name,
        ):
            assert detail.lower() not in text.lower()
        assert critical.alert_path(critical_alert) in message.body
    for note in told:
        assert "self" not in note.text.lower()
        assert world.learner.first_name not in note.text


def test_only_critical_alerts_are_sent_at_once_and_each_only_once(world, critical_alert, ingest_file, tmp_path):
    gambling = Alert.objects.get(category="gambling")
    assert not Notification.objects.filter(link=critical.alert_path(gambling)).exists()
    before = Notification.objects.count()
    critical_alert.count += 1
    critical_alert.save()
    critical.notify_critical_alert(critical_alert.pk)
    assert Notification.objects.count() == before
    assert AuditEvent.objects.filter(action=critical.NOTIFIED_ACTION, object_id=str(critical_alert.pk)).count() == 1


def test_abuse_search_terms_make_a_critical_alert(world, known_learner, ingest_file, tmp_path):
    ingest_file(squid_log(tmp_path / "a.log", [(0, "ada.q", "https://www.google.com/search?q=what+is+sextortion")]))
    alert = Alert.objects.get(kind="keyword")
    assert (alert.category, alert.severity) == ("abuse", "critical")
    assert Notification.objects.filter(user=world.dsl.user, link=critical.alert_path(alert)).exists()
    assert alert_actions.suggested_category(alert) == "online_abuse_exploitation"


def test_critical_alert_shows_on_the_dsls_dashboard_as_a_number_and_a_link(world, critical_alert, client_for):
    page = client_for("dsl").get(reverse("core:dashboard", args=["alpha"])).content.decode()
    assert "Critical monitoring alerts" in page
    assert "severity=critical" in page
    assert world.learner.first_name not in page.split('id="critical-h"')[1].split("</section>")[0]
    for persona in ("teacher", "technician", "governor"):
        other = client_for(persona).get(reverse("core:dashboard", args=["alpha"])).content.decode()
        assert "Critical monitoring alerts" not in other


def test_another_schools_dsl_hears_nothing(world, critical_alert):
    assert not Notification.objects.filter(user=world.outsider.user).exists()
    assert world.outsider.user.email not in [a for m in mail.outbox for a in m.to]


@pytest.mark.parametrize(
    ("category", "expected"),
    [("self_harm", "other"), ("suicide", "other"), ("abuse", "online_abuse_exploitation")],
)
def test_converting_a_critical_alert_suggests_a_safeguarding_category_not_filtering_breach(
    world, critical_alert, category, expected
):
    critical_alert.category = category
    assert alert_actions.suggested_category(critical_alert) == expected
    critical_alert.category = "something_new"
    assert alert_actions.suggested_category(critical_alert) != "filtering_breach"


def test_the_convert_form_offers_the_suggested_category(world, critical_alert, client_for):
    page = client_for("dsl").get(reverse("monitoring:alert_detail", args=["alpha", critical_alert.pk])).content
    page = page.decode()
    assert '<option value="other" selected>' in page
    assert '<option value="filtering_breach" selected>' not in page


def test_a_parent_of_the_learner_is_never_told_even_as_deputy(world, known_learner, ingest_file, tmp_path):
    """REP-20: the deputy is also Ada's parent, so the deputy hears nothing automatic about her alert."""
    from harbour.people.models import Parent

    Parent.objects.filter(links__learner=known_learner).update(email=world.deputy.user.email.upper())
    ingest_file(grouped_log(tmp_path / "access.log"))
    alert = Alert.objects.get(kind="keyword", category="self_harm")
    told = {n.user for n in Notification.objects.filter(link=critical.alert_path(alert))}
    assert told == {world.dsl.user}


def test_an_alert_folded_into_another_is_not_told_about_twice(world, critical_alert):
    """Chunks merged out of order fold one alert into another: the survivor is the same episode."""
    survivor = Alert.objects.create(
        school=world.school,
        person_key=critical_alert.person_key,
        person_label=critical_alert.person_label,
        learner=critical_alert.learner,
        kind=critical_alert.kind,
        category=critical_alert.category,
        severity="critical",
        first_seen=critical_alert.first_seen,
        last_seen=critical_alert.last_seen,
        count=1,
    )
    critical_alert.status = Alert.Status.MERGED
    critical_alert.merged_into = survivor
    critical_alert.save()
    before = Notification.objects.count()
    assert critical.notify_critical_alert(survivor.pk) == 0
    assert Notification.objects.count() == before
