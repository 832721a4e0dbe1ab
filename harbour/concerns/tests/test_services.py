"""Core concern services and the access door (REP-05..REP-08, REP-07, INC-STAFF-05, INC-CSAE-03)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import selectors, services
from harbour.concerns.exceptions import StaleConcern
from harbour.concerns.models import Concern, ConcernEntry, ConcernLearner, FollowUp, Referral
from harbour.core.tests import factories as f
from harbour.people.models import StaffMember


def report(world, actor="teacher", category="cyberbullying", learners=None, **extra):
    learners = [(world.learner, "affected")] if learners is None else learners
    return services.concern_report(
        actor=world.persona(actor),
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Unkind messages in a group chat",
        description="Ada showed me messages calling her names.",
        involvements=[services.Involvement(learner.pk, part) for learner, part in learners],
        **extra,
    )


def test_report_records_everything_and_audits(world):
    """REP-01, REP-05: the report holds who, when, learners and parts, and is audited."""
    concern = report(world, learners=[(world.learner, "affected"), (world.learner2, "alleged")])
    assert concern.reference.startswith(f"C-{timezone.now():%Y}-")
    assert concern.status == Concern.Status.NEW
    assert dict(concern.involvements.values_list("learner_id", "part")) == {
        world.learner.pk: "affected",
        world.learner2.pk: "alleged",
    }
    assert concern.entries.get().kind == ConcernEntry.Kind.REPORTED
    assert AuditEvent.objects.filter(action="concern.create", object_id=str(concern.pk)).exists()


def test_references_count_up_per_school(world):
    first, second = report(world), report(world)
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "not_a_category"}, "category"),
        ({"occurred_at": timezone.now() + timedelta(days=2)}, "occurred_at"),
    ],
)
def test_bad_report_is_refused_and_stores_nothing(world, change, field):
    """Bad input: a clear message on the field, nothing stored."""
    kwargs = {
        "actor": world.teacher,
        "category": "cyberbullying",
        "occurred_at": timezone.now(),
        "summary": "x",
        "description": "y",
        **change,
    }
    with pytest.raises(ValidationError) as raised:
        services.concern_report(**kwargs)
    assert field in raised.value.message_dict
    assert not Concern.objects.exists()


def test_learner_of_another_school_is_refused(world):
    with pytest.raises(ValidationError):
        report(world, learners=[(world.other_learner, "affected")])
    assert not Concern.objects.exists()
    assert not ConcernLearner.objects.exists()


def test_governor_cannot_report_through_staff_route(world):
    with pytest.raises(PermissionDenied):
        report(world, actor="governor")


@pytest.mark.parametrize("persona", ["dsl", "deputy", "head"])
def test_safeguarding_team_sees_the_concern(world, persona):
    """REP-07."""
    concern = report(world)
    assert selectors.concern_get(actor=world.persona(persona), pk=concern.pk) == concern


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "technician", "governor", "office", "slt", "outsider"])
def test_everyone_else_gets_404_even_the_reporter(world, persona):
    """REP-07: the reporter keeps a receipt, not the record."""
    concern = report(world)
    with pytest.raises(Http404):
        selectors.concern_get(actor=world.persona(persona), pk=concern.pk)
    assert not AuditEvent.objects.filter(action="concern.view").exists()


def test_reporter_sees_a_receipt(world):
    concern = report(world)
    assert selectors.receipt_get(actor=world.teacher, pk=concern.pk) == concern
    assert selectors.receipt_status(concern) == "Received"
    with pytest.raises(Http404):
        selectors.receipt_get(actor=world.teacher2, pk=concern.pk)


def test_every_view_is_audited(world):
    concern = report(world)
    selectors.concern_get(actor=world.dsl, pk=concern.pk)
    event = AuditEvent.objects.get(action="concern.view")
    assert event.actor == world.dsl.user
    assert event.object_id == str(concern.pk)


def test_shared_colleague_sees_but_cannot_manage(world):
    concern = report(world)
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    seen = selectors.concern_get(actor=world.teacher2, pk=concern.pk)
    with pytest.raises(PermissionDenied):
        services.concern_acknowledge(actor=world.teacher2, concern=seen)


def test_sexual_imagery_concern_is_not_shared_outside_the_team(world):
    """INC-YPSI-01: only the DSL team manages sexual-imagery concerns."""
    concern = report(world, category="youth_produced_sexual_imagery")
    with pytest.raises(ValidationError):
        services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="help")


def _allegation(world, subject):
    staff = StaffMember.objects.filter(user=subject.user).first() or f.StaffMemberFactory(
        school=world.school, user=subject.user
    )
    return report(world, actor="teacher2", category="staff_misuse_allegation", learners=[], subject_staff_id=staff.pk)


def test_allegation_about_a_teacher_goes_to_the_head_only(world):
    """INC-STAFF-05: the head, not the whole DSL team, and never the person concerned."""
    concern = _allegation(world, world.teacher)
    assert selectors.concern_get(actor=world.head, pk=concern.pk)
    for persona in ("dsl", "deputy", "teacher"):
        with pytest.raises(Http404):
            selectors.concern_get(actor=world.persona(persona), pk=concern.pk)


def test_allegation_about_the_head_goes_to_the_chair_of_governors(world):
    world.governor.is_chair_of_governors = True
    world.governor.save()
    concern = _allegation(world, world.head)
    assert selectors.concern_get(actor=world.governor, pk=concern.pk)
    for persona in ("head", "dsl", "deputy"):
        with pytest.raises(Http404):
            selectors.concern_get(actor=world.persona(persona), pk=concern.pk)


def test_nobody_sees_a_concern_about_themselves_even_if_shared(world):
    concern = _allegation(world, world.teacher)
    with pytest.raises(ValidationError):
        services.concern_share(actor=world.head, concern=concern, user=world.teacher.user, reason="x")


def test_amendment_keeps_the_original(world):
    """REP-08: corrections are new entries with a reason; the original stays."""
    concern = report(world)
    note = services.concern_add_note(actor=world.dsl, concern=concern, text="Spoke to Ada at 10:05")
    fixed = services.concern_amend_entry(actor=world.dsl, entry=note, text="Spoke to Ada at 10:50", reason="typo")
    note.refresh_from_db()
    assert note.text == "Spoke to Ada at 10:05"
    assert fixed.amends == note
    assert fixed.data["reason"] == "typo"
    with pytest.raises(ValueError, match="never changed"):
        note.save()


def test_stale_version_is_refused_and_the_first_change_kept(world):
    """Two DSLs at once: no lost update."""
    concern = report(world)
    services.concern_set_risk(actor=world.dsl, concern=concern, risk="high", reason="threats", version=1)
    with pytest.raises(StaleConcern):
        services.concern_set_risk(actor=world.deputy, concern=concern, risk="low", reason="banter", version=1)
    concern.refresh_from_db()
    assert concern.risk == "high"


def test_closing_needs_an_outcome_and_opens_the_debrief(world):
    """REP-13."""
    concern = report(world)
    with pytest.raises(ValidationError):
        services.concern_close(actor=world.dsl, concern=concern, outcome="  ", version=concern.version)
    closed = services.concern_close(actor=world.dsl, concern=concern, outcome="Resolved", version=concern.version)
    assert closed.status == Concern.Status.CLOSED
    assert FollowUp.objects.filter(concern=concern, kind=FollowUp.Kind.DEBRIEF, done_at__isnull=True).exists()


def test_exploitation_concern_needs_police_or_a_reason_to_close(world):
    """INC-CSAE-03."""
    concern = report(world, category="online_abuse_exploitation")
    with pytest.raises(ValidationError) as raised:
        services.concern_close(actor=world.dsl, concern=concern, outcome="Done", version=concern.version)
    assert "no_police_reason" in raised.value.message_dict
    Referral.objects.create(
        concern=concern,
        agency=Referral.Agency.POLICE,
        police_call="101",
        made_at=timezone.now(),
        made_by=world.dsl.user,
        reference="KP-1",
    )
    services.concern_close(actor=world.dsl, concern=concern, outcome="Police investigating", version=concern.version)


def test_exploitation_concern_cannot_be_downgraded_without_police_or_reason(world):
    """INC-CSAE-03: downgrading is refused too."""
    concern = report(world, category="online_abuse_exploitation")
    with pytest.raises(ValidationError):
        services.concern_change_category(
            actor=world.dsl, concern=concern, category="cyberbullying", reason="peer only", version=concern.version
        )
    changed = services.concern_change_category(
        actor=world.dsl,
        concern=concern,
        category="cyberbullying",
        reason="peer only",
        version=concern.version,
        no_police_reason="Both are Year 6 pupils; no adult involved, advice service agreed.",
    )
    assert changed.category == "cyberbullying"


def test_iwf_report_opens_a_copy_deletion_chase(world):
    """INC-IIOC-08: after an IWF report, deleting every copy is chased until confirmed."""
    from harbour.concerns import triage

    concern = report(world, category="indecent_images_of_children")
    triage.referral_record(
        actor=world.dsl,
        concern=concern,
        agency=Referral.Agency.IWF,
        made_at=timezone.now(),
        reported_address="example.invalid/page",
    )
    assert FollowUp.objects.filter(concern=concern, kind=FollowUp.Kind.COPY_DELETION, done_at__isnull=True).exists()


def test_chronology_shows_the_referral_reference(world):
    """Issue 4 item 8: a referral on the chronology carries the agency's reference."""
    from harbour.concerns import triage
    from harbour.concerns.chronology import chronology_for_learner

    concern = report(world)
    triage.referral_record(
        actor=world.dsl, concern=concern, agency=Referral.Agency.SOCIAL_CARE, made_at=timezone.now(), reference="CSC-9"
    )
    titles = [event.title for event in chronology_for_learner(actor=world.dsl, learner=world.learner)]
    assert "Referral: Children's social care (reference CSC-9)" in titles
