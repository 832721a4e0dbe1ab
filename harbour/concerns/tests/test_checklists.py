"""Checklist services: opening, ticking, not applicable, questions, school procedures (issue 4 item 5).

Requirement rows: INC-YPSI-02, INC-CSAE-02, INC-IIOC-03, INC-CYB-02, INC-FILT-08, REP-06, REP-08, REP-25.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import checklists, procedures, services
from harbour.concerns.models import ChecklistStep, ConcernEntry, SchoolProcedureStep

YPSI = "youth_produced_sexual_imagery"


def report(world, category=YPSI, actor="teacher"):
    return services.concern_report(
        actor=world.persona(actor),
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Worry raised in class",
        description="A learner told me something that worried me.",
        involvements=[services.Involvement(world.learner.pk, "affected")],
    )


def step(concern, key, procedure=None):
    return concern.steps.get(procedure=procedure or concern.category, key=key)


# --- opening ------------------------------------------------------------------------------------


def test_reporting_a_concern_opens_its_category_checklist(world):
    """INC-YPSI-02: the sexual-imagery checklist is attached as soon as the concern exists."""
    concern = report(world)
    keys = list(concern.steps.order_by("position").values_list("key", flat=True))
    assert keys == [s.key for s in procedures.procedure_for(YPSI).steps]
    assert set(concern.steps.values_list("state", flat=True)) == {ChecklistStep.State.OPEN}
    assert concern.steps.filter(is_question=True).count() == 5


def test_opening_twice_adds_nothing(world):
    concern = report(world)
    before = concern.steps.count()
    assert checklists.checklist_open(concern=concern) == []
    assert concern.steps.count() == before


def test_recategorising_adds_the_new_steps_and_keeps_the_old(world):
    """INC-FILT-08: a breach that turns out to be abuse gets the abuse checklist; work already done stays."""
    concern = report(world, category="filtering_breach")
    done = checklists.checklist_step_complete(actor=world.dsl, step=step(concern, "make_safe"), note="Screen off")
    services.concern_change_category(
        actor=world.dsl,
        concern=concern,
        category="indecent_images_of_children",
        reason="The page showed images of children",
        version=concern.version,
    )
    procedures_on_concern = set(concern.steps.values_list("procedure", flat=True))
    assert procedures_on_concern == {"filtering_breach", "indecent_images_of_children"}
    done.refresh_from_db()
    assert done.state == ChecklistStep.State.DONE
    assert done.note == "Screen off"
    assert concern.steps.filter(procedure="indecent_images_of_children", key="report_iwf").exists()


def test_checklist_steps_lists_the_current_category_first(world):
    concern = report(world, category="filtering_breach")
    services.concern_change_category(
        actor=world.dsl, concern=concern, category="cyberbullying", reason="Wrong category", version=concern.version
    )
    concern.refresh_from_db()
    steps = checklists.checklist_steps(concern=concern)
    first_old = next(i for i, s in enumerate(steps) if s.procedure == "filtering_breach")
    assert all(s.procedure == "cyberbullying" for s in steps[:first_old])
    assert steps[0].is_current
    assert not steps[-1].is_current
    assert steps[0].procedure_label == "Cyberbullying"


# --- working the steps ---------------------------------------------------------------------------


def test_completing_a_step_records_who_and_when_and_logs_it(world):
    concern = report(world)
    moment = timezone.now().replace(microsecond=0) + timedelta(minutes=3)
    with time_machine.travel(moment, tick=False):
        done = checklists.checklist_step_complete(
            actor=world.dsl, step=step(concern, "secure_devices"), note="Phone locked in the DSL office safe"
        )
    done.refresh_from_db()
    assert done.state == ChecklistStep.State.DONE
    assert done.completed_by == world.dsl.user
    assert done.completed_at == moment
    entry = concern.entries.get(kind=ConcernEntry.Kind.CHECKLIST)
    assert entry.author == world.dsl.user
    assert entry.data["key"] == "secure_devices"
    assert AuditEvent.objects.filter(action="concern.checklist_step", object_id=str(concern.pk)).count() == 1


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "technician", "governor", "slt"])
def test_only_a_manager_can_tick_a_step(world, persona):
    """INC-YPSI-01: colleagues, even the reporter, cannot work the checklist."""
    concern = report(world)
    with pytest.raises(PermissionDenied):
        checklists.checklist_step_complete(actor=world.persona(persona), step=step(concern, "secure_devices"))
    assert step(concern, "secure_devices").state == ChecklistStep.State.OPEN
    assert not concern.entries.filter(kind=ConcernEntry.Kind.CHECKLIST).exists()


def test_colleague_it_is_shared_with_still_cannot_tick(world):
    concern = report(world, category="cyberbullying")
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    with pytest.raises(PermissionDenied):
        checklists.checklist_step_complete(actor=world.teacher2, step=step(concern, "record_people"))


def test_outsider_cannot_tick(world):
    concern = report(world)
    with pytest.raises(PermissionDenied):
        checklists.checklist_step_answer(actor=world.outsider, step=step(concern, "q_adult_involved"), answer=True)


@pytest.mark.parametrize("reason", ["", "   "])
def test_not_applicable_needs_a_reason(world, reason):
    concern = report(world)
    with pytest.raises(ValidationError) as exc:
        checklists.checklist_step_not_applicable(
            actor=world.dsl, step=step(concern, "block_school_systems"), reason=reason
        )
    assert "reason" in exc.value.error_dict
    assert step(concern, "block_school_systems").state == ChecklistStep.State.OPEN
    assert not concern.entries.filter(kind=ConcernEntry.Kind.CHECKLIST).exists()


def test_not_applicable_keeps_the_reason_and_the_name(world):
    concern = report(world)
    checklists.checklist_step_not_applicable(
        actor=world.deputy, step=step(concern, "block_school_systems"), reason="Personal phones only, off site"
    )
    marked = step(concern, "block_school_systems")
    assert marked.state == ChecklistStep.State.NOT_APPLICABLE
    assert marked.note == "Personal phones only, off site"
    assert marked.completed_by == world.deputy.user
    assert marked.completed_at is not None


def test_a_marked_step_is_not_overwritten(world):
    """REP-08: a second tick or a late "not applicable" does not replace who did it and when."""
    concern = report(world)
    checklists.checklist_step_complete(actor=world.dsl, step=step(concern, "support"))
    with pytest.raises(ValidationError, match="already marked"):
        checklists.checklist_step_not_applicable(actor=world.deputy, step=step(concern, "support"), reason="No need")
    marked = step(concern, "support")
    assert marked.state == ChecklistStep.State.DONE
    assert marked.completed_by == world.dsl.user


def test_questions_are_answered_not_ticked(world):
    concern = report(world)
    with pytest.raises(ValidationError):
        checklists.checklist_step_complete(actor=world.dsl, step=step(concern, "q_immediate_danger"))
    with pytest.raises(ValidationError):
        checklists.checklist_step_answer(actor=world.dsl, step=step(concern, "secure_devices"), answer=True)


def test_yes_to_a_referral_question_is_logged_as_a_referral_trigger(world):
    """INC-YPSI-02, REP-16: the criterion is recorded, with who answered, and the banner text is ready."""
    concern = report(world)
    answered = checklists.checklist_step_answer(actor=world.dsl, step=step(concern, "q_adult_involved"), answer=True)
    assert answered.answer is True
    assert answered.state == ChecklistStep.State.DONE
    assert answered.completed_by == world.dsl.user
    assert "999" in answered.refer_now
    entry = concern.entries.get(kind=ConcernEntry.Kind.CHECKLIST)
    assert entry.data["refer_now"] is True
    assert "immediate referral" in entry.text


def test_an_answer_can_change_and_every_answer_stays_in_the_log(world):
    concern = report(world)
    question = step(concern, "q_coercion")
    checklists.checklist_step_answer(actor=world.dsl, step=question, answer=False)
    checklists.checklist_step_answer(actor=world.deputy, step=question, answer=True)
    checklists.checklist_step_answer(actor=world.deputy, step=question, answer=True)  # no change, no entry
    assert step(concern, "q_coercion").answer is True
    answers = [e.data["answer"] for e in concern.entries.filter(kind=ConcernEntry.Kind.CHECKLIST)]
    assert answers == [[None, False], [False, True]]


def test_closed_concern_checklist_cannot_be_worked(world):
    concern = report(world, category="cyberbullying")
    services.concern_close(actor=world.dsl, concern=concern, outcome="Resolved with support", version=concern.version)
    with pytest.raises(ValidationError, match="closed"):
        checklists.checklist_step_complete(actor=world.dsl, step=step(concern, "record_people"))


def test_checklist_step_get_refuses_a_step_of_another_concern(world):
    first, second = report(world), report(world)
    with pytest.raises(Http404):
        checklists.checklist_step_get(concern=first, pk=step(second, "support").pk)


# --- the school's own procedures -------------------------------------------------------------------


def test_school_rewording_applies_to_new_concerns_only(world):
    """REP-08: existing checklists keep the wording they were opened with."""
    existing = report(world)
    checklists.procedure_step_save(
        actor=world.dsl,
        category=YPSI,
        key="secure_devices",
        text="Lock the device in the DSL office safe",
        guidance="Key is with the office manager.",
        position=15,
    )
    newer = report(world)
    assert step(existing, "secure_devices").text == procedures.procedure_for(YPSI).step("secure_devices").text
    reworded = step(newer, "secure_devices")
    assert (reworded.text, reworded.guidance, reworded.position) == (
        "Lock the device in the DSL office safe",
        "Key is with the office manager.",
        15,
    )


def test_school_step_is_added_and_hidden_step_left_out(world):
    added = checklists.procedure_step_add(
        actor=world.head,
        category="cyberbullying",
        text="Check the learner's home-school agreement",
        guidance="",
        position=35,
    )
    checklists.procedure_step_set_active(
        actor=world.dsl, category="cyberbullying", key="describe_evidence", is_active=False
    )
    concern = report(world, category="cyberbullying")
    keys = list(concern.steps.order_by("position", "id").values_list("key", flat=True))
    assert added.key in keys
    assert keys.index(added.key) == keys.index("record_people") + 1
    assert "describe_evidence" not in keys
    assert SchoolProcedureStep.objects.filter(key="describe_evidence", is_active=False).exists()


def test_other_schools_procedures_are_untouched(world):
    checklists.procedure_step_set_active(
        actor=world.outsider, category="cyberbullying", key="describe_evidence", is_active=False
    )
    concern = report(world, category="cyberbullying")
    assert concern.steps.filter(key="describe_evidence").exists()


def test_added_school_question_is_asked_with_the_general_banner(world):
    checklists.procedure_step_add(
        actor=world.dsl,
        category="cyberbullying",
        text="Has the learner missed school since?",
        guidance="",
        position=5,
        is_question=True,
    )
    concern = report(world, category="cyberbullying")
    question = concern.steps.get(key="school-1")
    assert question.is_question
    answered = checklists.checklist_step_answer(actor=world.dsl, step=question, answer=True)
    assert answered.refer_now == procedures.REFER_NOW


def test_referral_questions_cannot_be_hidden(world):
    """A school may reword a safety question but never switch it off."""
    with pytest.raises(ValidationError):
        checklists.procedure_step_set_active(actor=world.dsl, category=YPSI, key="q_immediate_danger", is_active=False)
    assert report(world).steps.filter(key="q_immediate_danger").exists()


def test_rewording_cannot_turn_a_question_into_a_step(world):
    checklists.procedure_step_save(
        actor=world.dsl,
        category=YPSI,
        key="q_adult_involved",
        text="Is an adult involved at all?",
        guidance="",
        position=20,
    )
    assert step(report(world), "q_adult_involved").is_question


@pytest.mark.parametrize("persona", ["deputy", "teacher", "technician", "governor", "admin", "slt"])
def test_only_dsl_and_head_change_procedures(world, persona):
    with pytest.raises(PermissionDenied):
        checklists.procedure_step_add(
            actor=world.persona(persona), category="cyberbullying", text="Extra", guidance="", position=5
        )
    assert not SchoolProcedureStep.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"text": "  "}, "text"), ({"position": 0}, "position"), ({"text": "x" * 301}, "text")],
)
def test_bad_step_is_refused_and_nothing_saved(world, change, field):
    kwargs = {"actor": world.dsl, "category": "cyberbullying", "key": "record_people", "text": "Fine", "guidance": ""}
    kwargs["position"] = 10
    kwargs.update(change)
    with pytest.raises(ValidationError) as exc:
        checklists.procedure_step_save(**kwargs)
    assert field in exc.value.error_dict
    assert not SchoolProcedureStep.objects.exists()


def test_unknown_key_or_category_is_refused(world):
    with pytest.raises(ValidationError):
        checklists.procedure_step_save(
            actor=world.dsl, category="cyberbullying", key="nope", text="x", guidance="", position=10
        )
    with pytest.raises(ValidationError):
        checklists.procedure_step_add(actor=world.dsl, category="nope", text="x", guidance="", position=10)
    assert not SchoolProcedureStep.objects.exists()


def test_procedure_changes_are_audited(world):
    checklists.procedure_step_save(
        actor=world.dsl, category="cyberbullying", key="record_people", text="New words", guidance="", position=10
    )
    row = checklists.procedure_step_add(
        actor=world.dsl, category="cyberbullying", text="Extra step", guidance="", position=90
    )
    checklists.procedure_step_set_active(actor=world.dsl, category="cyberbullying", key=row.key, is_active=False)
    actions = list(
        AuditEvent.objects.filter(action__startswith="procedure.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["procedure.step_save", "procedure.step_add", "procedure.step_hide"]
    saved = AuditEvent.objects.get(action="procedure.step_save")
    assert saved.changes["after"]["text"] == "New words"
    assert saved.actor == world.dsl.user


def test_procedure_view_is_audited_and_hidden_from_others(world):
    steps = checklists.procedure_view(actor=world.head, category="cyberbullying")
    assert steps
    assert AuditEvent.objects.filter(action="procedure.view", actor=world.head.user).exists()
    with pytest.raises(Http404):
        checklists.procedure_view(actor=world.deputy, category="cyberbullying")
