"""Working on a concern from its page: acknowledge, grade, correct, decide, refer, take advice, parents,
share, close and follow up — and the guards on each (REP-08, REP-14, REP-16, REP-17, REP-19..REP-21,
INC-CSAE-03, INC-CSAE-08, INC-YPSI-10), optimistic locking and the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import services, triage
from harbour.concerns.exceptions import StaleConcern
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    Consultation,
    Decision,
    FollowUp,
    Notification,
    ParentDecision,
    Referral,
)

STALE_MESSAGE = str(StaleConcern().messages[0])


def action_url(action: str, concern: Concern, item: int | None = None) -> str:
    args = ["alpha", concern.pk] + ([item] if item is not None else [])
    return reverse(f"concerns:triage_{action}", args=args)


def post(client, action: str, concern: Concern, prefix: str, item: int | None = None, **fields: object):
    """Post one panel's form as the page would: prefixed field names and the concern's version."""
    fields.setdefault("version", concern.version)
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    return client.post(action_url(action, concern, item), data)


def local_input(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def past_weekday(weekday: int, hour: int = 10) -> datetime:
    """A past date (at least a week ago) falling on ``weekday`` (0 = Monday), at ``hour`` local time."""
    day = timezone.localtime() - timedelta(days=7)
    while day.weekday() != weekday:
        day -= timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def concern(make_concern) -> Concern:
    return make_concern()


@pytest.fixture
def dsl(client_for):
    return client_for("dsl")


# --- acknowledge, risk, optimistic locking -----------------------------------------------------


def test_dsl_acknowledges_from_the_page(world, concern, dsl):
    response = post(dsl, "acknowledge", concern, "acknowledge")
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN
    assert concern.acknowledged_by == world.dsl.user


def test_second_acknowledgement_names_who_got_there_first(world, concern, dsl, client_for):
    post(dsl, "acknowledge", concern, "acknowledge")
    deputy = client_for("deputy")
    response = post(deputy, "acknowledge", concern, "acknowledge")
    page = deputy.get(response["Location"]).content.decode()
    assert escape(f"{world.dsl.user.display_name} had already acknowledged this concern.") in page
    concern.refresh_from_db()
    assert concern.acknowledged_by == world.dsl.user


def test_two_dsls_with_the_same_version_second_is_refused_first_is_kept(concern, client_for):
    """Optimistic locking: no lost update when two people grade the risk at once."""
    seen = concern.version
    first = post(client_for("dsl"), "risk", concern, "risk", version=seen, risk="high", reason="Threats made")
    second = post(client_for("deputy"), "risk", concern, "risk", version=seen, risk="low", reason="One message")
    assert first.status_code == 302
    assert second.status_code == 400
    assert STALE_MESSAGE in second.content.decode()
    concern.refresh_from_db()
    assert concern.risk == "high"


def test_risk_without_a_reason_is_refused_with_a_message(concern, dsl):
    response = post(dsl, "risk", concern, "risk", risk="high", reason="")
    assert response.status_code == 400
    assert 'href="#id_risk-reason"' in response.content.decode()
    concern.refresh_from_db()
    assert concern.risk == ""


# --- REP-08: corrections keep the original -----------------------------------------------------


def test_correction_keeps_the_original_and_shows_under_it(world, concern, dsl):
    note = services.concern_add_note(actor=world.dsl, concern=concern, text="Spoke to Ada at 10:15")
    response = post(
        dsl, "amend", concern, f"amend-{note.pk}", item=note.pk, text="Spoke to Ada at 11:15", reason="Wrong time"
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Spoke to Ada at 10:15"
    correction = ConcernEntry.objects.get(amends=note)
    assert (correction.text, correction.data["reason"], correction.author) == (
        "Spoke to Ada at 11:15",
        "Wrong time",
        world.dsl.user,
    )
    page = dsl.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    entry_html = page.split(f'id="entry-{note.pk}"')[1]
    assert entry_html.index("10:15") < entry_html.index("11:15") < entry_html.index("Wrong time")


def test_correction_needs_a_reason(world, concern, dsl):
    note = services.concern_add_note(actor=world.dsl, concern=concern, text="First version")
    response = post(dsl, "amend", concern, f"amend-{note.pk}", item=note.pk, text="Second", reason="")
    assert response.status_code == 400
    assert not ConcernEntry.objects.filter(amends=note).exists()


def test_no_url_deletes_anything_on_a_concern():
    from harbour.concerns import urls_triage

    for pattern in urls_triage.urlpatterns:
        assert "delete" not in str(pattern.pattern)
        assert "delete" not in (pattern.name or "")


def test_shared_colleague_may_correct_only_their_own_note(world, concern, client_for):
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    theirs = services.concern_add_note(actor=world.teacher2, concern=concern, text="Ada was quiet")
    dsl_note = services.concern_add_note(actor=world.dsl, concern=concern, text="Called home")
    client = client_for("teacher2")
    ok = post(client, "amend", concern, f"amend-{theirs.pk}", item=theirs.pk, text="Ada was upset", reason="Misread")
    refused = post(client, "amend", concern, f"amend-{dsl_note.pk}", item=dsl_note.pk, text="x", reason="y")
    assert ok.status_code == 302
    assert refused.status_code == 404
    assert not ConcernEntry.objects.filter(amends=dsl_note).exists()


# --- category and close: INC-CSAE-03 -----------------------------------------------------------


def test_leaving_an_exploitation_category_needs_police_contact_or_a_reason(make_concern, dsl):
    exploitation = make_concern(category="online_abuse_exploitation")
    page = dsl.get(reverse("concerns:detail", args=["alpha", exploitation.pk])).content.decode()
    assert 'name="category-no_police_reason"' in page
    refused = post(dsl, "category", exploitation, "category", category="cyberbullying", reason="Peers only")
    assert refused.status_code == 400
    exploitation.refresh_from_db()
    assert exploitation.category == "online_abuse_exploitation"
    allowed = post(
        dsl,
        "category",
        exploitation,
        "category",
        category="cyberbullying",
        reason="Peers only",
        no_police_reason="Both are Year 6 pupils; advice service agreed it is peer conduct",
    )
    assert allowed.status_code == 302
    exploitation.refresh_from_db()
    assert exploitation.category == "cyberbullying"


def test_exploitation_concern_cannot_close_without_police_or_a_reason(world, make_concern, dsl):
    exploitation = make_concern(category="online_abuse_exploitation")
    refused = post(dsl, "close", exploitation, "close", outcome="Resolved")
    assert refused.status_code == 400
    exploitation.refresh_from_db()
    assert exploitation.status != Concern.Status.CLOSED

    triage.referral_record(
        actor=world.dsl,
        concern=exploitation,
        agency="police",
        police_call="101",
        reference="CAD-123",
        made_at=timezone.now(),
    )
    exploitation.refresh_from_db()
    page = dsl.get(reverse("concerns:detail", args=["alpha", exploitation.pk])).content.decode()
    assert 'name="close-no_police_reason"' not in page
    assert post(dsl, "close", exploitation, "close", outcome="Police took it on").status_code == 302
    exploitation.refresh_from_db()
    assert exploitation.status == Concern.Status.CLOSED


def test_closing_needs_an_outcome_and_opens_the_debrief(concern, dsl):
    assert post(dsl, "close", concern, "close", outcome="").status_code == 400
    response = post(dsl, "close", concern, "close", outcome="Apologies made; monitoring for a term")
    assert response.status_code == 302
    follow = dsl.get(response["Location"]).content.decode()
    assert "A leadership debrief is now open" in follow
    assert "Leadership debrief" in follow
    assert FollowUp.objects.filter(concern=concern, kind=FollowUp.Kind.DEBRIEF, done_at__isnull=True).exists()


def test_closed_concern_can_be_reopened_with_a_reason(world, concern, dsl):
    services.concern_close(actor=world.dsl, concern=concern, outcome="Done", version=concern.version)
    concern.refresh_from_db()
    assert post(dsl, "reopen", concern, "reopen", reason="").status_code == 400
    assert post(dsl, "reopen", concern, "reopen", reason="New messages").status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN


# --- decisions: REP-18, REP-21, INC-YPSI-10 ----------------------------------------------------


def test_decision_not_to_refer_needs_reasons(concern, dsl):
    assert post(dsl, "decision", concern, "decision", kind="nfa", reasons="").status_code == 400
    assert post(dsl, "decision", concern, "decision", kind="nfa", reasons="Resolved by apology").status_code == 302
    assert Decision.objects.get(concern=concern).reasons == "Resolved by apology"


def test_behaviour_decision_records_sanction_and_support(world, make_concern, dsl):
    concern = make_concern(learners=[(world.learner, "affected"), (world.learner2, "alleged")])
    refused = post(
        dsl,
        "decision",
        concern,
        "decision",
        kind="behaviour",
        reasons="Bullying",
        sanctioned_learners=[world.learner2.pk],
    )
    assert refused.status_code == 400
    assert not Decision.objects.exists()
    ok = post(
        dsl,
        "decision",
        concern,
        "decision",
        kind="behaviour",
        reasons="Bullying",
        sanction="Lunchtime detention",
        support="Sessions with the learning mentor",
        sanctioned_learners=[world.learner2.pk],
    )
    assert ok.status_code == 302
    decision = Decision.objects.get()
    assert (decision.sanction, decision.support) == ("Lunchtime detention", "Sessions with the learning mentor")


def _sanction_affected(client, concern, learner, **extra):
    return post(
        client,
        "decision",
        concern,
        "decision",
        kind="behaviour",
        reasons="Shared an image",
        sanction="Internal exclusion",
        support="Counselling",
        sanctioned_learners=[learner.pk],
        **extra,
    )


def test_sanction_on_a_harmed_learner_is_refused_without_dsl_confirmation(world, make_concern, dsl):
    """INC-YPSI-10: the confirmation and the note on avoiding further trauma are both required."""
    concern = make_concern(category="youth_produced_sexual_imagery", learners=[(world.learner, "affected")])
    refused = _sanction_affected(dsl, concern, world.learner)
    assert refused.status_code == 400
    assert "recorded as harmed" in refused.content.decode()
    assert _sanction_affected(dsl, concern, world.learner, confirm_affected_sanction="on").status_code == 400
    assert not Decision.objects.exists()

    ok = _sanction_affected(
        dsl, concern, world.learner, confirm_affected_sanction="on", trauma_note="Private, with pastoral support"
    )
    assert ok.status_code == 302
    entry = ConcernEntry.objects.get(concern=concern, kind=ConcernEntry.Kind.DECISION)
    assert entry.data["affected_confirmed"] is True
    assert entry.data["trauma_note"] == "Private, with pastoral support"


def test_sanction_on_the_learner_alleged_to_have_caused_harm_needs_no_confirmation(world, make_concern, dsl):
    concern = make_concern(learners=[(world.learner, "affected"), (world.learner2, "alleged")])
    assert _sanction_affected(dsl, concern, world.learner2).status_code == 302


def test_service_refuses_a_sanction_on_a_learner_outside_the_concern(world, concern):
    with pytest.raises(ValidationError) as error:
        triage.decision_record(
            actor=world.dsl,
            concern=concern,
            kind="behaviour",
            reasons="x",
            sanction="y",
            support="z",
            sanctioned_learner_ids=[world.other_learner.pk],
        )
    assert "sanctioned_learners" in error.value.message_dict


# --- referrals: REP-16 and chases --------------------------------------------------------------


def test_referral_panel_shows_999_and_101_before_the_form(concern, dsl):
    page = dsl.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    form_at = page.index(action_url("referral", concern))
    assert page.index("ring 999 now") < form_at
    assert page.index("ring 101") < form_at


def test_police_referral_needs_the_call_type_and_reference(concern, dsl):
    now = local_input(timezone.now())
    no_call = post(dsl, "referral", concern, "referral", agency="police", made_at=now, reference="CAD-1")
    no_ref = post(dsl, "referral", concern, "referral", agency="police", made_at=now, police_call="999")
    assert (no_call.status_code, no_ref.status_code) == (400, 400)
    assert "999, 101 or an online report" in no_call.content.decode()
    assert not Referral.objects.exists()
    ok = post(dsl, "referral", concern, "referral", agency="police", made_at=now, police_call="999", reference="CAD-1")
    assert ok.status_code == 302
    assert Referral.objects.get().police_call == "999"


def test_referral_in_the_future_is_refused(concern, dsl):
    later = local_input(timezone.now() + timedelta(days=1))
    assert post(dsl, "referral", concern, "referral", agency="lado", made_at=later).status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("agency", "weekday", "due_weekday"),
    [("social_care", 4, 0), ("lado", 2, 3), ("social_care", 5, 0)],
)
def test_social_care_and_lado_get_a_chase_one_working_day_later(world, concern, agency, weekday, due_weekday):
    made = past_weekday(weekday)
    referral = triage.referral_record(actor=world.dsl, concern=concern, agency=agency, made_at=made)
    due = timezone.localtime(referral.acknowledgement_due_at)
    assert due.weekday() == due_weekday
    assert (due.hour, due.minute) == (10, 0)
    assert 0 < (due.date() - made.date()).days <= 3
    chase = FollowUp.objects.get(referral=referral)
    assert (chase.kind, chase.due_at) == (FollowUp.Kind.REFERRAL_CHASE, referral.acknowledgement_due_at)


def test_police_referral_opens_no_chase(world, concern):
    triage.referral_record(
        actor=world.dsl, concern=concern, agency="police", police_call="101", reference="X", made_at=timezone.now()
    )
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.REFERRAL_CHASE).exists()


def test_acknowledging_a_referral_closes_its_chase(world, concern, dsl):
    referral = triage.referral_record(
        actor=world.dsl, concern=concern, agency="social_care", made_at=timezone.now() - timedelta(hours=2)
    )
    response = post(
        dsl,
        "referral_acknowledge",
        concern,
        f"ack-{referral.pk}",
        item=referral.pk,
        acknowledged_at=local_input(timezone.now()),
        reference="SCS-77",
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.acknowledged_at is not None
    assert referral.reference == "SCS-77"
    assert FollowUp.objects.get(referral=referral).done_at is not None


def test_iwf_report_keeps_only_a_web_address(world, concern):
    with pytest.raises(ValidationError):
        triage.referral_record(actor=world.dsl, concern=concern, agency="iwf", made_at=timezone.now())
    with pytest.raises(ValidationError):
        triage.referral_record(
            actor=world.dsl,
            concern=concern,
            agency="iwf",
            made_at=timezone.now(),
            reported_address="data:image/png;base64,iVBORw0KGgo=",
        )
    referral = triage.referral_record(
        actor=world.dsl, concern=concern, agency="iwf", made_at=timezone.now(), reported_address="http://x.example/a"
    )
    assert referral.reported_address == "http://x.example/a"


# --- parents: REP-19, REP-20 -------------------------------------------------------------------


def test_page_prompts_for_the_parents_decision_until_it_is_recorded(concern, dsl):
    detail = reverse("concerns:detail", args=["alpha", concern.pk])
    assert "you have not yet recorded whether they will be told" in dsl.get(detail).content.decode()
    response = post(dsl, "parents", concern, "parents", choice="tell", reason="Low risk; family supportive")
    assert response.status_code == 302
    assert ParentDecision.objects.get(concern=concern).choice == "tell"
    assert "you have not yet recorded whether they will be told" not in dsl.get(detail).content.decode()


def test_recording_that_parents_are_told_sends_nothing_to_anyone(world, concern, dsl):
    mail.outbox.clear()
    notifications = Notification.objects.count()
    post(dsl, "parents", concern, "parents", choice="tell", reason="Agreed with social care")
    post(
        dsl,
        "parents",
        concern,
        "parents",
        choice="told",
        reason="Met mum",
        what_was_said="What happened and the support in place",
        told_at=local_input(timezone.now()),
    )
    assert ParentDecision.objects.filter(concern=concern).count() == 2
    assert mail.outbox == []
    assert Notification.objects.count() == notifications


def test_told_parents_needs_when_and_what_was_said(concern, dsl):
    assert post(dsl, "parents", concern, "parents", choice="told", reason="Met mum").status_code == 400
    assert not ParentDecision.objects.exists()


# --- sharing outside the school: REP-17, INC-CSAE-08 -------------------------------------------


def _share_outside(client, concern):
    return post(
        client,
        "external",
        concern,
        "external",
        recipient="Beta Primary School DSL",
        what_was_shared="That pupils there may have been contacted by the same account",
        reason="Protect their pupils",
    )


def test_sharing_outside_the_school_is_refused_until_advice_is_recorded(world, make_concern, dsl):
    concern = make_concern(category="online_abuse_exploitation")
    refused = _share_outside(dsl, concern)
    assert refused.status_code == 400
    assert "until you have asked the police or the education safeguarding service" in refused.content.decode()
    assert not ConcernEntry.objects.filter(concern=concern, data__external=True).exists()

    triage.consultation_record(
        actor=world.dsl,
        concern=concern,
        consulted=Consultation.With.OTHER,
        question="May we warn Beta?",
        advice="Ask the police",
        consulted_at=timezone.now(),
    )
    assert _share_outside(dsl, concern).status_code == 400

    triage.consultation_record(
        actor=world.dsl,
        concern=concern,
        consulted=Consultation.With.POLICE,
        question="May we warn Beta?",
        advice="Yes, the DSL only, no names",
        consulted_at=timezone.now(),
    )
    assert _share_outside(dsl, concern).status_code == 302
    entry = ConcernEntry.objects.get(concern=concern, data__external=True)
    assert entry.data["recipient"] == "Beta Primary School DSL"


def test_advice_is_recorded_from_the_page(concern, dsl):
    response = post(
        dsl,
        "consultation",
        concern,
        "consultation",
        consulted="advice_service",
        contact_name="Duty adviser",
        consulted_at=local_input(timezone.now()),
        question="Is this an offence?",
        advice="Not on these facts; keep monitoring",
    )
    assert response.status_code == 302
    assert Consultation.objects.get(concern=concern).advice == "Not on these facts; keep monitoring"


# --- sharing with colleagues -------------------------------------------------------------------


def test_dsl_shares_with_a_named_colleague_and_revokes(world, concern, dsl, client_for):
    response = post(dsl, "share", concern, "share", user=world.teacher2.user_id, reason="Teaches the class")
    assert response.status_code == 302
    assert client_for("teacher2").get(reverse("concerns:detail", args=["alpha", concern.pk])).status_code == 200
    share = concern.shares.get()
    assert post(dsl, "revoke", concern, "revoke", item=share.pk).status_code == 302
    assert client_for("teacher2").get(reverse("concerns:detail", args=["alpha", concern.pk])).status_code == 404


def test_sexual_imagery_concern_is_not_shared_beyond_the_team(world, make_concern, dsl):
    imagery = make_concern(category="youth_produced_sexual_imagery")
    response = post(dsl, "share", imagery, "share", user=world.teacher2.user_id, reason="Form tutor")
    assert response.status_code == 400
    assert not imagery.shares.exists()


# --- follow-ups: REP-13, REP-14 ----------------------------------------------------------------


def _closed_with_debrief(world, make_concern, rule: str | None) -> tuple[Concern, FollowUp]:
    if rule is not None:
        world.school.policy_settings = {"debrief_rule": rule}
        world.school.save(update_fields=["policy_settings"])
    concern = make_concern()
    services.concern_close(actor=world.dsl, concern=concern, outcome="Resolved", version=concern.version)
    concern.refresh_from_db()
    return concern, FollowUp.objects.get(concern=concern, kind=FollowUp.Kind.DEBRIEF)


def test_debrief_may_be_marked_not_needed_where_the_school_debriefs_if_appropriate(world, make_concern, dsl):
    concern, debrief = _closed_with_debrief(world, make_concern, "if_appropriate")
    prefix = f"follow-up-{debrief.pk}"
    assert (
        f'name="{prefix}-not_needed_reason"'
        in dsl.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    )
    response = post(dsl, "follow_up", concern, prefix, item=debrief.pk, not_needed_reason="Routine, handled well")
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert debrief.done_at is not None
    assert debrief.not_needed_reason == "Routine, handled well"


@pytest.mark.parametrize("rule", ["always", None])
def test_debrief_cannot_be_skipped_where_the_school_always_debriefs(world, make_concern, dsl, rule):
    concern, debrief = _closed_with_debrief(world, make_concern, rule)
    with pytest.raises(ValidationError):
        triage.follow_up_complete(actor=world.dsl, follow_up=debrief, not_needed_reason="Routine")
    page = dsl.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    assert f'name="follow-up-{debrief.pk}-not_needed_reason"' not in page
    debrief.refresh_from_db()
    assert debrief.done_at is None


def test_debrief_is_completed_with_its_outcome(world, make_concern, dsl):
    concern, debrief = _closed_with_debrief(world, make_concern, "always")
    prefix = f"follow-up-{debrief.pk}"
    assert post(dsl, "follow_up", concern, prefix, item=debrief.pk, outcome="").status_code == 400
    response = post(dsl, "follow_up", concern, prefix, item=debrief.pk, outcome="Add a filtering lesson in Year 5")
    assert response.status_code == 302
    debrief.refresh_from_db()
    assert debrief.outcome == "Add a filtering lesson in Year 5"


# --- who may act, and the audit trail ----------------------------------------------------------

MANAGER_ACTIONS = [
    "acknowledge",
    "risk",
    "category",
    "decision",
    "referral",
    "consultation",
    "parents",
    "external",
    "share",
    "close",
    "reopen",
]


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "technician", "governor", "outsider"])
def test_manager_actions_answer_404_to_everyone_else(world, concern, client_for, persona):
    client = client_for(persona)
    for action in MANAGER_ACTIONS:
        assert client.post(action_url(action, concern), {}).status_code == 404, action
    done = AuditEvent.objects.filter(actor=world.persona(persona).user, action__startswith="concern.")
    assert not done.exclude(action="concern.create").exists()


def test_shared_colleague_gets_404_on_every_manager_action(world, concern, client_for):
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Class teacher")
    client = client_for("teacher2")
    for action in MANAGER_ACTIONS:
        assert client.post(action_url(action, concern), {}).status_code == 404, action


def test_note_from_someone_without_need_to_know_is_refused(concern, client_for):
    response = post(client_for("teacher2"), "note", concern, "note", text="Curious")
    assert response.status_code == 404
    assert not ConcernEntry.objects.filter(concern=concern, kind=ConcernEntry.Kind.NOTE).exists()


def test_every_action_is_audited(world, make_concern, dsl):
    concern = make_concern(category="online_abuse_exploitation")
    now = local_input(timezone.now())
    post(dsl, "acknowledge", concern, "acknowledge")
    concern.refresh_from_db()
    post(dsl, "risk", concern, "risk", risk="high", reason="Adult contact")
    concern.refresh_from_db()
    post(dsl, "note", concern, "note", text="Phone secured in the safe")
    post(dsl, "decision", concern, "decision", kind="police", reasons="Adult grooming")
    post(dsl, "referral", concern, "referral", agency="police", police_call="101", reference="C1", made_at=now)
    post(dsl, "consultation", concern, "consultation", consulted="police", consulted_at=now, question="Q", advice="A")
    post(dsl, "parents", concern, "parents", choice="not_yet", reason="Police to advise")
    _share_outside(dsl, concern)
    post(dsl, "share", concern, "share", user=world.deputy.user_id, reason="Cover")
    post(dsl, "close", concern, "close", outcome="With police")
    concern.refresh_from_db()
    post(dsl, "reopen", concern, "reopen", reason="New contact")
    actions = set(
        AuditEvent.objects.filter(actor=world.dsl.user, object_id=str(concern.pk)).values_list("action", flat=True)
    )
    assert {
        "concern.view",
        "concern.acknowledge",
        "concern.risk",
        "concern.note",
        "concern.decision",
        "concern.referral",
        "concern.consultation",
        "concern.parents",
        "concern.share_external",
        "concern.share",
        "concern.close",
        "concern.reopen",
    } <= actions


def test_corrections_acknowledgements_follow_ups_and_revocations_are_audited(world, concern, dsl):
    note = services.concern_add_note(actor=world.dsl, concern=concern, text="Typo")
    post(dsl, "amend", concern, f"amend-{note.pk}", item=note.pk, text="Fixed", reason="Typo")
    referral = triage.referral_record(
        actor=world.dsl, concern=concern, agency="lado", made_at=timezone.now() - timedelta(hours=1)
    )
    post(
        dsl,
        "referral_acknowledge",
        concern,
        f"ack-{referral.pk}",
        item=referral.pk,
        acknowledged_at=local_input(timezone.now()),
    )
    share = services.concern_share(actor=world.dsl, concern=concern, user=world.deputy.user, reason="Cover")
    post(dsl, "revoke", concern, "revoke", item=share.pk)
    services.concern_close(actor=world.dsl, concern=concern, outcome="Done", version=concern.version)
    debrief = FollowUp.objects.get(concern=concern, kind=FollowUp.Kind.DEBRIEF)
    concern.refresh_from_db()
    post(dsl, "follow_up", concern, f"follow-up-{debrief.pk}", item=debrief.pk, outcome="No change needed")
    actions = set(AuditEvent.objects.filter(actor=world.dsl.user).values_list("action", flat=True))
    assert {
        "concern.amend",
        "concern.referral_acknowledge",
        "concern.unshare",
        "concern.follow_up_complete",
    } <= actions
