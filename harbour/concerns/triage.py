"""What the DSL decides and does about a concern: decisions, referrals, advice, parents, sharing
outside the school, and closing follow-ups (REP-13..REP-21, INC-CSAE-08, INC-YPSI-10).

A sanction is recorded only with a behaviour-policy decision, and a sanction on a learner recorded
as harmed needs the DSL's own confirmation (INC-YPSI-10); the checklist's sanction steps apply the
same rule (``checklists``).

Every function checks that the actor manages the concern, validates everything before writing,
runs in one transaction, appends to the concern's action log (REP-06) and writes an audit event.
Nothing here changes the ``Concern`` row itself, so none of it needs the concern's version: these
are new records, and two people adding them at once cannot overwrite each other.

Nothing here sends anything to anyone (REP-20): recording that parents were told, or that a
referral was made, is a record of what a person did, never an automatic message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.concerns import permissions
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    ConcernLearner,
    Consultation,
    Decision,
    FollowUp,
    ParentDecision,
    Referral,
)
from harbour.concerns.services import log_entry

# Agencies that must confirm receipt within a working day, so a chase is opened for them.
AGENCIES_WITH_CHASE = frozenset({Referral.Agency.SOCIAL_CARE, Referral.Agency.LADO})
# Advice that unlocks sharing outside the school (REP-17, INC-CSAE-08).
ADVICE_THAT_ALLOWS_SHARING = (Consultation.With.POLICE, Consultation.With.ADVICE_SERVICE)
# A little slack for clocks: "now" typed on a phone may be a minute ahead of the server.
_CLOCK_SLACK = timedelta(minutes=5)


# --- helpers -----------------------------------------------------------------------------------


def _require_manager(actor: Membership, concern: Concern) -> None:
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied


def _not_future(moment: datetime | None, field: str, errors: dict[str, list[str]]) -> None:
    if moment is not None and moment > timezone.now() + _CLOCK_SLACK:
        errors[field] = ["This is in the future. Give the date and time it actually happened."]


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def next_working_day(moment: datetime) -> datetime:
    """The same time on the next weekday (Saturday and Sunday skipped; bank holidays are not known)."""
    local = timezone.localtime(moment)
    candidate = local + timedelta(days=1)
    while candidate.weekday() >= 5:
        candidate += timedelta(days=1)
    return candidate


def debrief_may_be_skipped(concern: Concern) -> bool:
    """REP-13/REP-14: St James debriefs "if appropriate"; Joy Lane (and the default) always does."""
    return (concern.school.policy_settings or {}).get("debrief_rule") == "if_appropriate"


# --- decisions ---------------------------------------------------------------------------------


def decision_record(
    *,
    actor: Membership,
    concern: Concern,
    kind: str,
    reasons: str,
    sanction: str = "",
    support: str = "",
    sanctioned_learner_ids: Iterable[int] = (),
    confirm_affected_sanction: bool = False,
    trauma_note: str = "",
) -> Decision:
    """Record a decision and why, including a decision not to refer (REP-18).

    A behaviour-policy outcome records the sanction and the support offered (REP-21). A sanction
    on a learner recorded as harmed in the incident needs the DSL's explicit confirmation and a
    note on how further trauma will be avoided (INC-YPSI-10).
    """
    _require_manager(actor, concern)
    errors: dict[str, list[str]] = {}
    if kind not in Decision.Kind.values:
        errors["kind"] = ["Choose what was decided."]
    if not reasons.strip():
        errors["reasons"] = ["Give the reasons for the decision, even when the decision is to do nothing more."]
    sanctioned: list[ConcernLearner] = []
    learner_ids = set(sanctioned_learner_ids)
    if kind != Decision.Kind.BEHAVIOUR and (sanction.strip() or learner_ids or confirm_affected_sanction):
        # A sanction recorded under another decision would slip past the INC-YPSI-10 guard.
        errors["sanction"] = ["Record a sanction with the “Behaviour policy, with support” decision."]
    if kind == Decision.Kind.BEHAVIOUR:
        sanctioned = _check_sanction(
            actor=actor,
            concern=concern,
            sanction=sanction,
            support=support,
            learner_ids=learner_ids,
            confirmed=confirm_affected_sanction,
            trauma_note=trauma_note,
            errors=errors,
        )
    _raise_if(errors)
    behaviour = kind == Decision.Kind.BEHAVIOUR
    affected = [i.learner_id for i in sanctioned if i.part == ConcernLearner.Part.AFFECTED]
    with transaction.atomic():
        decision = Decision.objects.create(
            concern=concern,
            kind=kind,
            reasons=reasons.strip(),
            sanction=sanction.strip()[:300] if behaviour else "",
            support=support.strip()[:300] if behaviour else "",
            decided_by=actor.user,
        )
        data: dict[str, object] = {"decision_id": decision.pk, "kind": kind}
        if behaviour:
            data.update(
                sanction=decision.sanction,
                support=decision.support,
                sanctioned_learner_ids=sorted(i.learner_id for i in sanctioned),
            )
        if affected:
            data.update(affected_learner_ids=affected, affected_confirmed=True, trauma_note=trauma_note.strip())
        log_entry(concern=concern, kind=ConcernEntry.Kind.DECISION, author=actor.user, text=decision.reasons, data=data)
        audit.record(
            action="concern.decision",
            actor=actor,
            obj=concern,
            changes={"decision": [None, kind], **({"affected_sanction_confirmed": [None, True]} if affected else {})},
        )
    return decision


def may_confirm_sanction_on_harmed(actor: Membership) -> bool:
    """INC-YPSI-10: the confirmation is the designated lead's alone, not a deputy's or the head's."""
    return actor.pk is not None and actor.role == Role.DSL


def harmed_learner_ids(concern: Concern) -> set[int]:
    return set(
        ConcernLearner.objects.filter(concern=concern, part=ConcernLearner.Part.AFFECTED).values_list(
            "learner_id", flat=True
        )
    )


def _check_sanction(
    *,
    actor: Membership,
    concern: Concern,
    sanction: str,
    support: str,
    learner_ids: set[int],
    confirmed: bool,
    trauma_note: str,
    errors: dict[str, list[str]],
) -> list[ConcernLearner]:
    if not sanction.strip():
        errors["sanction"] = ["Say what sanction the behaviour policy applies."]
    if not support.strip():
        errors["support"] = ["Say what pastoral or welfare support is offered alongside the sanction."]
    involvements = {i.learner_id: i for i in ConcernLearner.objects.filter(concern=concern)}
    if learner_ids - involvements.keys():
        errors["sanctioned_learners"] = ["A sanction can only apply to a learner involved in this concern."]
        return []
    if involvements and not learner_ids:
        errors["sanctioned_learners"] = ["Say which learner or learners the sanction applies to."]
    sanctioned = [involvements[pk] for pk in sorted(learner_ids)]
    harmed = [i for i in sanctioned if i.part == ConcernLearner.Part.AFFECTED]
    if harmed and not may_confirm_sanction_on_harmed(actor):
        errors["confirm_affected_sanction"] = [
            "A learner you chose is recorded as harmed in this incident. Only the DSL can confirm a sanction for "
            "them: ask the DSL to record this decision."
        ]
    elif harmed and not (confirmed and trauma_note.strip()):
        errors["confirm_affected_sanction"] = [
            "A learner you chose is recorded as harmed in this incident. Only go ahead if you are sure: tick "
            "the confirmation and note how the sanction will avoid causing them further harm or distress."
        ]
    return sanctioned


# --- referrals ---------------------------------------------------------------------------------


def referral_record(
    *,
    actor: Membership,
    concern: Concern,
    agency: str,
    made_at: datetime,
    contact_name: str = "",
    reference: str = "",
    police_call: str = "",
    reported_address: str = "",
    notes: str = "",
    decision_id: int | None = None,
) -> Referral:
    """Record a referral or report to an outside agency, with its reference (REP-16, REP-18).

    Police referrals say how the police were contacted (999, 101 or online) and give their
    reference. Children's social care and the LADO should acknowledge within a working day, so a
    chase is opened. An IWF report holds the reported web address as inert text, never an image.
    """
    _require_manager(actor, concern)
    errors: dict[str, list[str]] = {}
    if agency not in Referral.Agency.values:
        errors["agency"] = ["Choose the agency the referral went to."]
    _not_future(made_at, "made_at", errors)
    if agency == Referral.Agency.POLICE:
        if police_call not in Referral.PoliceCall.values:
            errors["police_call"] = ["Say how the police were contacted: 999, 101 or an online report."]
        if not reference.strip():
            errors["reference"] = ["Record the reference the police gave (the incident or crime number)."]
    else:
        police_call = ""
    address = reported_address.strip()
    if agency == Referral.Agency.IWF and not address:
        errors["reported_address"] = ["Give the web address you reported. Never send or attach the image itself."]
    if address.lower().startswith("data:"):
        errors["reported_address"] = ["Only a web address can be kept here, never the content of an image or file."]
    decision = None
    if decision_id is not None:
        decision = Decision.objects.filter(concern=concern, pk=decision_id).first()
        if decision is None:
            errors["decision"] = ["That decision is not part of this concern."]
    _raise_if(errors)
    with transaction.atomic():
        due = next_working_day(made_at) if agency in AGENCIES_WITH_CHASE else None
        referral = Referral.objects.create(
            concern=concern,
            decision=decision,
            agency=agency,
            contact_name=contact_name.strip()[:200],
            reference=reference.strip()[:100],
            police_call=police_call,
            reported_address=address,
            made_at=made_at,
            made_by=actor.user,
            acknowledgement_due_at=due,
            notes=notes.strip(),
        )
        if due is not None:
            FollowUp.objects.create(concern=concern, kind=FollowUp.Kind.REFERRAL_CHASE, referral=referral, due_at=due)
        if agency == Referral.Agency.IWF:
            # INC-IIOC-08: once reported, every copy (email, downloads, shared drives) must go; chase it.
            FollowUp.objects.create(
                concern=concern, kind=FollowUp.Kind.COPY_DELETION, referral=referral, due_at=next_working_day(made_at)
            )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.REFERRAL,
            author=actor.user,
            text=referral.notes,
            data={
                "referral_id": referral.pk,
                "agency": agency,
                "reference": referral.reference,
                "police_call": police_call,
                "made_at": made_at.isoformat(),
                "acknowledgement_due_at": due.isoformat() if due else None,
            },
        )
        audit.record(action="concern.referral", actor=actor, obj=concern, changes={"referral": [None, agency]})
    return referral


def referral_acknowledge(
    *, actor: Membership, referral: Referral, acknowledged_at: datetime | None = None, reference: str = ""
) -> Referral:
    """The agency confirmed it received the referral: stop chasing. A reference can be added if
    none was known yet; an existing one is never overwritten (REP-08)."""
    concern = referral.concern
    _require_manager(actor, concern)
    errors: dict[str, list[str]] = {}
    when = acknowledged_at or timezone.now()
    _not_future(when, "acknowledged_at", errors)
    if when < referral.made_at:
        errors["acknowledged_at"] = ["The acknowledgement cannot come before the referral was made."]
    _raise_if(errors)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.acknowledged_at is not None:
            raise ValidationError("This referral's acknowledgement is already recorded.")
        locked.acknowledged_at = when
        fields = ["acknowledged_at"]
        if reference.strip() and not locked.reference:
            locked.reference = reference.strip()[:100]
            fields.append("reference")
        locked.save(update_fields=fields)
        now = timezone.now()
        FollowUp.objects.filter(referral=locked, kind=FollowUp.Kind.REFERRAL_CHASE, done_at__isnull=True).update(
            done_at=now, done_by=actor.user, outcome="The agency acknowledged the referral."
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.REFERRAL,
            author=actor.user,
            data={
                "referral_id": locked.pk,
                "agency": locked.agency,
                "acknowledged_at": when.isoformat(),
                "reference": locked.reference,
            },
        )
        audit.record(
            action="concern.referral_acknowledge",
            actor=actor,
            obj=concern,
            changes={"referral_acknowledged": [None, locked.pk]},
        )
    return locked


# --- advice, parents, sharing outside the school -----------------------------------------------


def consultation_record(
    *,
    actor: Membership,
    concern: Concern,
    consulted: str,
    question: str,
    advice: str,
    consulted_at: datetime,
    contact_name: str = "",
) -> Consultation:
    """Record the advice asked of the police or the education safeguarding service (REP-15, INC-CSAE-06)."""
    _require_manager(actor, concern)
    errors: dict[str, list[str]] = {}
    if consulted not in Consultation.With.values:
        errors["consulted"] = ["Choose who gave the advice."]
    if not question.strip():
        errors["question"] = ["Write down what you asked."]
    if not advice.strip():
        errors["advice"] = ["Write down the advice you were given."]
    _not_future(consulted_at, "consulted_at", errors)
    _raise_if(errors)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            concern=concern,
            consulted=consulted,
            contact_name=contact_name.strip()[:200],
            question=question.strip(),
            advice=advice.strip(),
            consulted_at=consulted_at,
            recorded_by=actor.user,
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.CONSULTATION,
            author=actor.user,
            text=consultation.advice,
            data={
                "consultation_id": consultation.pk,
                "consulted": consulted,
                "question": consultation.question,
                "contact_name": consultation.contact_name,
            },
        )
        audit.record(action="concern.consultation", actor=actor, obj=concern, changes={"consulted": [None, consulted]})
    return consultation


def parent_decision_record(
    *,
    actor: Membership,
    concern: Concern,
    choice: str,
    reason: str,
    what_was_said: str = "",
    told_at: datetime | None = None,
) -> ParentDecision:
    """Record whether, when and how parents or carers are told — or why not (REP-19, INC-YPSI-07).

    This only records the DSL's decision. Harbour never contacts parents itself (REP-20).
    """
    _require_manager(actor, concern)
    errors: dict[str, list[str]] = {}
    if choice not in ParentDecision.Choice.values:
        errors["choice"] = ["Choose what was decided about telling parents or carers."]
    if not reason.strip():
        errors["reason"] = ["Give the reason for this decision."]
    if choice == ParentDecision.Choice.TOLD:
        if told_at is None:
            errors["told_at"] = ["Say when they were told."]
        if not what_was_said.strip():
            errors["what_was_said"] = ["Say what they were told about how the school is handling it."]
    _not_future(told_at, "told_at", errors)
    _raise_if(errors)
    told = choice == ParentDecision.Choice.TOLD
    with transaction.atomic():
        decision = ParentDecision.objects.create(
            concern=concern,
            choice=choice,
            reason=reason.strip(),
            what_was_said=what_was_said.strip(),
            told_at=told_at if told else None,
            decided_by=actor.user,
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.PARENTS,
            author=actor.user,
            text=decision.reason,
            data={
                "parent_decision_id": decision.pk,
                "choice": choice,
                "what_was_said": decision.what_was_said,
                "told_at": told_at.isoformat() if told and told_at else None,
            },
        )
        audit.record(action="concern.parents", actor=actor, obj=concern, changes={"parents": [None, choice]})
    return decision


def concern_share_externally(
    *, actor: Membership, concern: Concern, recipient: str, what_was_shared: str, reason: str
) -> ConcernEntry:
    """Record information shared outside the school (another school, a public warning).

    Refused until advice from the police or the education safeguarding service is on record
    (REP-17, INC-CSAE-08): contacting other schools too early can warn an abuser or expose a child.
    """
    _require_manager(actor, concern)
    errors: dict[str, list[str]] = {}
    if not recipient.strip():
        errors["recipient"] = ["Say who the information went to."]
    if not what_was_shared.strip():
        errors["what_was_shared"] = ["Say what was shared."]
    if not reason.strip():
        errors["reason"] = ["Say why it was shared."]
    _raise_if(errors)
    with transaction.atomic():
        advice_ids = list(
            Consultation.objects.filter(concern=concern, consulted__in=ADVICE_THAT_ALLOWS_SHARING).values_list(
                "pk", flat=True
            )
        )
        if not advice_ids:
            raise ValidationError(
                "Nothing about this concern may be shared outside the school until you have asked the police or "
                "the education safeguarding service and recorded their advice. Record that advice first."
            )
        entry = log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.SHARE,
            author=actor.user,
            text=what_was_shared.strip(),
            data={
                "external": True,
                "recipient": recipient.strip()[:300],
                "reason": reason.strip(),
                "consultation_ids": advice_ids,
            },
        )
        audit.record(
            action="concern.share_external",
            actor=actor,
            obj=concern,
            changes={"shared_outside_school": [None, recipient.strip()[:300]]},
        )
    return entry


# --- follow-ups --------------------------------------------------------------------------------


def follow_up_complete(
    *, actor: Membership, follow_up: FollowUp, outcome: str = "", not_needed_reason: str = ""
) -> FollowUp:
    """Close a follow-up with its outcome. A debrief may instead be marked not needed, with a
    reason, only where the school debriefs "if appropriate" (REP-13, REP-14)."""
    concern = follow_up.concern
    _require_manager(actor, concern)
    outcome, not_needed_reason = outcome.strip(), not_needed_reason.strip()
    if outcome and not_needed_reason:
        raise ValidationError("Either record the outcome or say why it is not needed, not both.")
    if not_needed_reason:
        if follow_up.kind != FollowUp.Kind.DEBRIEF:
            raise ValidationError({"not_needed_reason": ["Only a debrief can be marked as not needed."]})
        if not debrief_may_be_skipped(concern):
            raise ValidationError(
                {
                    "not_needed_reason": [
                        "This school's policy is to hold a debrief after every concern. Record what was learnt."
                    ]
                }
            )
    elif not outcome:
        raise ValidationError({"outcome": ["Record the outcome before marking this as done."]})
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_at is not None:
            raise ValidationError("This follow-up is already closed.")
        locked.done_at = timezone.now()
        locked.done_by = actor.user
        locked.outcome = outcome
        locked.not_needed_reason = not_needed_reason
        locked.save(update_fields=["done_at", "done_by", "outcome", "not_needed_reason"])
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.NOTE,
            author=actor.user,
            text=outcome or not_needed_reason,
            data={"follow_up_id": locked.pk, "follow_up_kind": locked.kind, "not_needed": bool(not_needed_reason)},
        )
        audit.record(
            action="concern.follow_up_complete",
            actor=actor,
            obj=concern,
            changes={"follow_up": [locked.kind, "not needed" if not_needed_reason else "done"]},
        )
    return locked
