"""The DSL's decisions on an alert: concern (in the chronology), false positive (allow list), dismiss.

FLT-08, INC-FILT-06, INC-FILT-09.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harbour.audit.models import AuditEvent
from harbour.concerns.chronology import chronology_for_learner
from harbour.concerns.models import Concern
from harbour.monitoring import alert_actions
from harbour.monitoring.models import Alert, ListEntry
from harbour.monitoring.tests.logs import grouped_log, squid_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(world, known_learner, ingest_file, tmp_path):
    ingest_file(grouped_log(tmp_path / "access.log"))
    return Alert.objects.get(kind="category"), Alert.objects.get(kind="keyword")


def test_alert_becomes_a_concern_in_the_learners_chronology(world, alerts):
    """INC-FILT-06, FLT-08: the concern is made by the concerns service, linked to the learner."""
    gambling, _ = alerts
    concern = alert_actions.alert_convert(
        actor=world.dsl,
        alert=gambling,
        category="filtering_breach",
        summary="Gambling sites during lessons",
        description="",
    )
    gambling.refresh_from_db()
    assert (gambling.status, gambling.concern, gambling.status_by) == ("converted", concern, world.dsl.user)
    assert concern.reference.startswith("C-")
    assert list(concern.involvements.values_list("learner_id", "part")) == [(world.learner.pk, "affected")]
    assert "example-casino.test" in concern.description  # the evidence travels as plain text
    assert concern.occurred_at == gambling.first_seen
    events = chronology_for_learner(actor=world.dsl, learner=world.learner)
    assert [e.concern_reference for e in events] == [concern.reference]
    assert events[0].kind == "reported"
    assert AuditEvent.objects.filter(action="monitoring.alert_to_concern", object_id=str(gambling.pk)).exists()
    assert AuditEvent.objects.filter(action="concern.create", object_id=str(concern.pk)).exists()


def test_an_unidentified_alert_can_be_linked_to_a_learner_chosen_by_the_dsl(world, ingest_file, tmp_path):
    ingest_file(squid_log(tmp_path / "a.log", [(0, "-", "http://example-adult.test/", "10.9.9.9")]))
    alert = Alert.objects.get()
    assert alert.learner is None
    concern = alert_actions.alert_convert(
        actor=world.dsl,
        alert=alert,
        category="filtering_breach",
        summary="Adult site on the library PC",
        description="Seen in the logs.",
        learner_id=world.learner2.pk,
    )
    assert list(concern.involvements.values_list("learner_id", flat=True)) == [world.learner2.pk]


def test_converting_twice_or_without_the_role_is_refused(world, alerts):
    gambling, _ = alerts
    for persona in ("teacher", "technician", "governor", "outsider"):
        with pytest.raises(PermissionDenied):
            alert_actions.alert_convert(
                actor=world.persona(persona), alert=gambling, category="other", summary="x", description="x"
            )
    alert_actions.alert_convert(actor=world.deputy, alert=gambling, category="other", summary="x", description="x")
    with pytest.raises(ValidationError, match="already dealt with"):
        alert_actions.alert_convert(actor=world.head, alert=gambling, category="other", summary="x", description="x")
    assert Concern.objects.count() == 1


def test_bad_convert_input_changes_nothing(world, alerts):
    gambling, _ = alerts
    with pytest.raises(ValidationError):
        alert_actions.alert_convert(actor=world.dsl, alert=gambling, category="nonsense", summary="x", description="")
    with pytest.raises(ValidationError):
        alert_actions.alert_convert(
            actor=world.dsl,
            alert=gambling,
            category="other",
            summary="x",
            description="",
            learner_id=world.other_learner.pk,
        )
    gambling.refresh_from_db()
    assert gambling.status == "open"
    assert not Concern.objects.exists()


def test_false_positive_puts_the_host_on_the_allow_list(world, alerts, ingest_file, tmp_path):
    """A false positive feeds the allow list: the same site raises no new alert."""
    gambling, _ = alerts
    entry = alert_actions.alert_mark_false_positive(
        actor=world.dsl, alert=gambling, reason="Statistics lesson on probability", host="spin-and-win.test"
    )
    assert (entry.kind, entry.entry, entry.source, entry.alert) == (
        "allow",
        "spin-and-win.test",
        "false_positive",
        gambling,
    )
    gambling.refresh_from_db()
    assert (gambling.status, gambling.status_reason) == ("false_positive", "Statistics lesson on probability")
    ingest_file(squid_log(tmp_path / "again.log", [(5000, "ada.q", "http://spin-and-win.test/again")]))
    assert not Alert.objects.filter(status="open", category="gambling").exists()
    assert AuditEvent.objects.filter(action="monitoring.list_add").count() == 1
    assert AuditEvent.objects.filter(action="monitoring.alert_false_positive").count() == 1


def test_false_positive_needs_a_reason_and_a_host_of_the_alert(world, alerts):
    gambling, keyword = alerts
    with pytest.raises(ValidationError):
        alert_actions.alert_mark_false_positive(actor=world.dsl, alert=gambling, reason="  ")
    with pytest.raises(ValidationError):
        alert_actions.alert_mark_false_positive(actor=world.dsl, alert=gambling, reason="x", host="www.bbc.co.uk")
    assert not ListEntry.objects.exists()
    # A keyword alert's host is a search engine: nothing is allowed, the reason is kept.
    assert alert_actions.alert_mark_false_positive(actor=world.dsl, alert=keyword, reason="Health lesson") is None
    assert not ListEntry.objects.exists()


def test_dismiss_keeps_the_reason_and_who(world, alerts):
    _, keyword = alerts
    with pytest.raises(ValidationError):
        alert_actions.alert_dismiss(actor=world.dsl, alert=keyword, reason="")
    alert_actions.alert_dismiss(actor=world.head, alert=keyword, reason="PSHE research task set by the class teacher")
    keyword.refresh_from_db()
    assert (keyword.status, keyword.status_by) == ("dismissed", world.head.user)
    assert AuditEvent.objects.filter(action="monitoring.alert_dismissed", object_id=str(keyword.pk)).exists()


def test_a_staff_alert_becomes_an_allegation_routed_to_the_head(world, ingest_file, tmp_path):
    """A member of staff identified by their email's local part: the concern names them as its subject,
    so the concerns app routes it to the head and hides it from them (INC-STAFF-05)."""
    from harbour.concerns.selectors import concern_list
    from harbour.core.tests import factories as f

    staff = f.StaffMemberFactory(school=world.school, email="pat.jones@alpha.test")
    ingest_file(squid_log(tmp_path / "staff.log", [(0, "pat.jones", "http://example-adult.test/")]))
    alert = Alert.objects.get()
    assert (alert.staff, alert.learner) == (staff, None)
    assert alert_actions.suggested_category(alert) == "staff_misuse_allegation"
    concern = alert_actions.alert_convert(
        actor=world.dsl, alert=alert, category="staff_misuse_allegation", summary="Adult site", description=""
    )
    assert list(concern.subject_staff.all()) == [staff]
    assert concern_list(actor=world.head).filter(pk=concern.pk).exists()
