"""Checklist and procedures pages: htmx step actions, 404 for anyone without need-to-know (REP-07),
DSL/head-only customisation, audit (INC-YPSI-02, REP-25)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from harbour.audit.models import AuditEvent
from harbour.concerns import services
from harbour.concerns.models import ChecklistStep, ConcernEntry, SchoolProcedureStep

YPSI = "youth_produced_sexual_imagery"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def concern(world):
    return services.concern_report(
        actor=world.teacher,
        category=YPSI,
        occurred_at=timezone.now() - timedelta(hours=2),
        summary="Image shared between pupils",
        description="A learner said a picture of her had been passed around.",
        involvements=[services.Involvement(world.learner.pk, "affected")],
    )


def step_url(concern, step, action):
    return reverse(f"concerns:checklist_step_{action}", args=["alpha", concern.pk, step.pk])


def page_url(concern):
    return reverse("concerns:checklist", args=["alpha", concern.pk])


def get_step(concern, key):
    return concern.steps.get(key=key)


# --- the checklist ------------------------------------------------------------------------------


def test_dsl_sees_the_checklist_with_guidance_and_forms(client_for, concern):
    response = client_for("dsl").get(page_url(concern))
    assert response.status_code == 200
    body = response.content.decode()
    secure = get_step(concern, "secure_devices")
    assert secure.text in body
    assert secure.guidance.split(".")[0] in body
    assert step_url(concern, secure, "complete") in body
    assert step_url(concern, get_step(concern, "q_adult_involved"), "answer") in body
    assert AuditEvent.objects.filter(action="concern.view", object_id=str(concern.pk)).exists()


def test_dsl_ticks_a_step_with_htmx_and_gets_the_step_back(client_for, world, concern):
    secure = get_step(concern, "secure_devices")
    response = client_for("dsl").post(step_url(concern, secure, "complete"), {"note": "In the safe"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="step-{secure.pk}"' in body
    assert "Done by" in body
    assert escape(world.dsl.user.display_name) in body
    secure.refresh_from_db()
    assert secure.state == ChecklistStep.State.DONE
    assert secure.completed_by == world.dsl.user
    assert secure.note == "In the safe"


def test_without_htmx_a_tick_returns_to_the_checklist_page(client_for, concern):
    secure = get_step(concern, "secure_devices")
    response = client_for("deputy").post(step_url(concern, secure, "complete"), {"note": ""})
    assert response.status_code == 302
    assert response.url == page_url(concern)
    secure.refresh_from_db()
    assert secure.state == ChecklistStep.State.DONE


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "technician", "outsider"])
def test_non_managers_get_404_when_ticking(client_for, concern, persona):
    """REP-07, INC-YPSI-01: even the reporter cannot work the checklist, and learns nothing from trying."""
    secure = get_step(concern, "secure_devices")
    response = client_for(persona).post(step_url(concern, secure, "complete"), {"note": "x"}, **HTMX)
    assert response.status_code == 404
    secure.refresh_from_db()
    assert secure.state == ChecklistStep.State.OPEN
    assert not concern.entries.filter(kind=ConcernEntry.Kind.CHECKLIST).exists()


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "outsider"])
def test_non_managers_get_404_on_the_checklist_page(client_for, concern, persona):
    assert client_for(persona).get(page_url(concern)).status_code == 404


def test_shared_colleague_reads_the_checklist_but_cannot_work_it(client_for, world):
    concern = services.concern_report(
        actor=world.teacher,
        category="cyberbullying",
        occurred_at=timezone.now() - timedelta(hours=2),
        summary="Group chat",
        description="Unkind messages.",
    )
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Form tutor")
    client = client_for("teacher2")
    page = client.get(page_url(concern))
    assert page.status_code == 200
    assert b"Mark as done" not in page.content
    record = get_step(concern, "record_people")
    assert client.post(step_url(concern, record, "complete"), {}).status_code == 404


def test_not_applicable_without_reason_shows_the_error_and_changes_nothing(client_for, concern):
    block = get_step(concern, "block_school_systems")
    response = client_for("dsl").post(step_url(concern, block, "not_applicable"), {"reason": " "}, **HTMX)
    assert response.status_code == 200
    assert b"Say why this step does not apply" in response.content
    block.refresh_from_db()
    assert block.state == ChecklistStep.State.OPEN


def test_not_applicable_with_reason_is_recorded(client_for, world, concern):
    block = get_step(concern, "block_school_systems")
    response = client_for("dsl").post(
        step_url(concern, block, "not_applicable"), {"reason": "Only personal phones were used"}, **HTMX
    )
    assert b"Not applicable" in response.content
    assert b"Only personal phones were used" in response.content
    block.refresh_from_db()
    assert block.state == ChecklistStep.State.NOT_APPLICABLE
    assert block.completed_by == world.dsl.user


def test_yes_to_a_referral_question_shows_the_refer_now_banner(client_for, concern):
    question = get_step(concern, "q_under_13_or_no_consent")
    response = client_for("dsl").post(step_url(concern, question, "answer"), {"answer": "yes"}, **HTMX)
    body = response.content.decode()
    assert "Refer now" in body
    assert "999" in body
    assert 'role="alert"' in body
    question.refresh_from_db()
    assert question.answer is True


def test_no_to_a_referral_question_shows_no_banner(client_for, concern):
    question = get_step(concern, "q_adult_involved")
    response = client_for("dsl").post(step_url(concern, question, "answer"), {"answer": "no"}, **HTMX)
    assert b"Refer now" not in response.content
    question.refresh_from_db()
    assert question.answer is False


def test_a_bad_answer_is_refused(client_for, concern):
    question = get_step(concern, "q_adult_involved")
    response = client_for("dsl").post(step_url(concern, question, "answer"), {"answer": "maybe"}, **HTMX)
    assert b"Choose yes or no" in response.content
    question.refresh_from_db()
    assert question.answer is None


def test_a_step_of_another_concern_is_404(client_for, world, concern):
    other = services.concern_report(
        actor=world.teacher,
        category="cyberbullying",
        occurred_at=timezone.now() - timedelta(hours=2),
        summary="Other",
        description="Other.",
    )
    foreign = get_step(other, "record_people")
    url = reverse("concerns:checklist_step_complete", args=["alpha", concern.pk, foreign.pk])
    assert client_for("dsl").post(url, {}).status_code == 404


def test_step_actions_need_post(client_for, concern):
    assert client_for("dsl").get(step_url(concern, get_step(concern, "support"), "complete")).status_code == 405


def test_partial_renders_inside_another_page(rf, world, concern):
    """The triage helper's concern page includes the partial with these three variables."""
    from django.template.loader import render_to_string

    from harbour.concerns import checklists

    request = rf.get("/")
    request.user = world.dsl.user
    request.school, request.membership = world.school, world.dsl
    html = render_to_string(
        "concerns/checklist.html",
        {"concern": concern, "steps": checklists.checklist_steps(concern=concern), "can_manage": True},
        request=request,
    )
    assert html.count('class="checklist__step"') == concern.steps.count()
    assert "Nude or sexual images shared by children" in html


# --- the school's procedures --------------------------------------------------------------------


def procedures_url(*parts):
    names = {0: "procedure_list", 1: "procedure_detail"}
    return reverse(f"concerns:{names[len(parts)]}", args=["alpha", *parts])


@pytest.mark.parametrize("persona", ["dsl", "head"])
def test_dsl_and_head_open_the_procedures_pages(client_for, persona):
    client = client_for(persona)
    listing = client.get(procedures_url())
    assert listing.status_code == 200
    assert b"Cyberbullying" in listing.content
    detail = client.get(procedures_url("cyberbullying"))
    assert detail.status_code == 200
    assert b"Follow the anti-bullying policy" in detail.content


@pytest.mark.parametrize("persona", ["deputy", "slt", "teacher", "technician", "governor", "admin", "outsider"])
def test_everyone_else_gets_404_on_the_procedures_pages(client_for, persona):
    client = client_for(persona)
    assert client.get(procedures_url()).status_code == 404
    assert client.get(procedures_url("cyberbullying")).status_code == 404
    edit = reverse("concerns:procedure_step_edit", args=["alpha", "cyberbullying", "record_people"])
    assert client.post(edit, {"text": "Hijack", "guidance": "", "position": 10}).status_code == 404
    assert not SchoolProcedureStep.objects.exists()


def test_procedure_page_is_audited(client_for, world):
    client_for("dsl").get(procedures_url("filtering_breach"))
    event = AuditEvent.objects.get(action="procedure.view")
    assert event.actor == world.dsl.user
    assert event.changes == {"category": "filtering_breach"}


def test_unknown_category_or_step_is_404(client_for):
    client = client_for("dsl")
    assert client.get(procedures_url("not_a_category")).status_code == 404
    edit = reverse("concerns:procedure_step_edit", args=["alpha", "cyberbullying", "nope"])
    assert client.get(edit).status_code == 404


def test_dsl_rewords_a_step(client_for, world):
    edit = reverse("concerns:procedure_step_edit", args=["alpha", "cyberbullying", "record_people"])
    client = client_for("dsl")
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"text": "Note who, where and on which app", "guidance": "Be exact.", "position": 12})
    assert response.status_code == 302
    row = SchoolProcedureStep.objects.get(school=world.school, category="cyberbullying", key="record_people")
    assert (row.text, row.guidance, row.position) == ("Note who, where and on which app", "Be exact.", 12)
    assert AuditEvent.objects.filter(action="procedure.step_save", actor=world.dsl.user).exists()
    detail = client.get(procedures_url("cyberbullying")).content.decode()
    assert "Changed by the school" in detail
    assert "Harbour's wording" in detail


def test_bad_wording_shows_errors_and_saves_nothing(client_for):
    edit = reverse("concerns:procedure_step_edit", args=["alpha", "cyberbullying", "record_people"])
    response = client_for("dsl").post(edit, {"text": "", "guidance": "", "position": 0})
    assert response.status_code == 200
    assert b"The step was not saved" in response.content
    assert not SchoolProcedureStep.objects.exists()


def test_head_adds_a_school_step(client_for, world):
    add = reverse("concerns:procedure_step_add", args=["alpha", "online_hate"])
    client = client_for("head")
    assert client.get(add).status_code == 200
    response = client.post(add, {"text": "Tell the community cohesion lead", "guidance": "", "position": 55})
    assert response.status_code == 302
    row = SchoolProcedureStep.objects.get(school=world.school, category="online_hate")
    assert row.key == "school-1"
    assert not row.is_question


def test_hide_and_show_a_step(client_for, world):
    url = reverse("concerns:procedure_step_visibility", args=["alpha", "cyberbullying", "describe_evidence"])
    client = client_for("dsl")
    assert client.post(url, {"show": "0"}).status_code == 302
    row = SchoolProcedureStep.objects.get(key="describe_evidence")
    assert not row.is_active
    assert b"Hidden" in client.get(procedures_url("cyberbullying")).content
    client.post(url, {"show": "1"})
    row.refresh_from_db()
    assert row.is_active


def test_hiding_a_referral_question_is_refused_with_a_message(client_for):
    url = reverse("concerns:procedure_step_visibility", args=["alpha", YPSI, "q_immediate_danger"])
    response = client_for("dsl").post(url, {"show": "0"}, follow=True)
    assert b"cannot be hidden" in response.content
    assert not SchoolProcedureStep.objects.exists()
