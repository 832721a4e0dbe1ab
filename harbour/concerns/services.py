"""Writes to concerns: report, acknowledge, note, correct, re-categorise, grade, share, close.

Every function checks who is acting, runs in one transaction, appends to the concern's action
log (REP-06) and writes an audit event. Nothing is deleted or overwritten (REP-08): a correction
is a new entry that points at the one it corrects. Writes that change the concern's own fields
take the ``version`` the user saw and refuse a stale one (two DSLs at once lose nothing).

Other modules react through the signals in ``harbour.concerns.signals`` (checklists open on a
report, alerts go out after commit, files are withheld on re-categorisation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Membership, User
from harbour.audit import services as audit
from harbour.concerns import alerts, categories, permissions, routing, signals
from harbour.concerns.exceptions import StaleConcern
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    ConcernLearner,
    ConcernShare,
    ConcernStaffSubject,
    FollowUp,
    Referral,
)
from harbour.people.models import Learner, StaffMember
from harbour.schools.models import School

DEBRIEF_DUE = timedelta(days=14)


@dataclass(frozen=True)
class Involvement:
    learner_id: int
    part: str = ConcernLearner.Part.AFFECTED


# --- helpers -----------------------------------------------------------------------------------


def log_entry(
    *,
    concern: Concern,
    kind: str,
    author: User | None,
    text: str = "",
    data: dict[str, Any] | None = None,
    amends: ConcernEntry | None = None,
) -> ConcernEntry:
    """Append one line to the concern's action log (REP-06). Callers are inside a transaction."""
    return ConcernEntry.objects.create(
        concern=concern, kind=kind, author=author, text=text, data=data or {}, amends=amends
    )


def _lock(concern: Concern, version: int | None) -> Concern:
    """Re-read the concern under a row lock and refuse if it changed since the user saw it."""
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    if version is not None and locked.version != version:
        raise StaleConcern
    return locked


def _save(concern: Concern, fields: list[str]) -> None:
    concern.version += 1
    concern.save(update_fields=[*fields, "version", "updated_at"])


def _require_manager(actor: Membership, concern: Concern) -> None:
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied


def _next_reference(school: School, now: datetime) -> str:
    School.objects.select_for_update().filter(pk=school.pk).first()  # serialise numbering per school
    prefix = f"C-{now:%Y}-"
    count = Concern.objects.filter(school=school, reference__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def _validate_report(
    *,
    school: School,
    category: str,
    occurred_at: datetime,
    involvements: Sequence[Involvement],
    subject_staff_ids: Sequence[int],
) -> tuple[list[tuple[Learner, str]], list[StaffMember]]:
    errors: dict[str, list[str]] = {}
    if category not in categories.BY_ID:
        errors["category"] = [f"'{category}' is not a concern category."]
    if occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = ["This is in the future. Give the date and time it happened or you were told."]
    ids = [i.learner_id for i in involvements]
    learners = {learner.pk: learner for learner in Learner.objects.filter(school=school, pk__in=ids)}
    if len(learners) != len(set(ids)):
        errors["learners"] = ["One of the learners is not on this school's roll."]
    if len(set(ids)) != len(ids):
        errors["learners"] = ["A learner is listed twice."]
    parts = set(ConcernLearner.Part.values)
    if any(i.part not in parts for i in involvements):
        errors["learners"] = [
            "Say for each learner whether they were affected, alleged to have caused harm, or a witness."
        ]
    subjects: list[StaffMember] = []
    try:
        subjects = staff_for_subjects(school=school, staff_ids=subject_staff_ids)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return [(learners[i.learner_id], i.part) for i in involvements], subjects


MAX_SUBJECTS = 10


def staff_for_subjects(*, school: School, staff_ids: Sequence[int]) -> list[StaffMember]:
    """The school's staff records for the ids given, in order; any unknown id refuses the lot."""
    wanted = list(dict.fromkeys(staff_ids))
    if len(wanted) > MAX_SUBJECTS:
        raise ValidationError({"subject_staff": [f"Name at most {MAX_SUBJECTS} members of staff."]})
    found = {s.pk: s for s in StaffMember.objects.filter(school=school, pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError({"subject_staff": ["That member of staff is not on this school's staff list."]})
    return [found[pk] for pk in wanted]


def _link_subjects(concern: Concern, subjects: Sequence[StaffMember], added_by: User | None) -> list[StaffMember]:
    """Add the named staff not already linked; returns the ones that are new. Callers hold a transaction."""
    already = set(ConcernStaffSubject.objects.filter(concern=concern).values_list("staff_id", flat=True))
    new = [s for s in subjects if s.pk not in already]
    ConcernStaffSubject.objects.bulk_create(
        [ConcernStaffSubject(concern=concern, staff=s, added_by=added_by) for s in new]
    )
    return new


# --- reporting ---------------------------------------------------------------------------------


def concern_report(
    *,
    actor: Membership,
    category: str,
    occurred_at: datetime,
    summary: str,
    description: str,
    involvements: Sequence[Involvement] = (),
    location: str = Concern.Location.UNKNOWN,
    equipment: str = Concern.Equipment.UNKNOWN,
    childs_own_words: str = "",
    immediate_actions: str = "",
    on_behalf_of_learner: bool = False,
    subject_staff_id: int | None = None,
    subject_staff_ids: Sequence[int] = (),
    viewed_image: bool = False,
) -> Concern:
    """Log a concern and alert whoever must know (REP-01, REP-02, REP-05; alerts via signals).

    Any category may name the members of staff it is about (``subject_staff_ids``; the single
    ``subject_staff_id`` is kept for older callers): it then goes to the head route only (INC-STAFF-05).
    ``viewed_image``: the reporter says they viewed an image; with wording that says so, it flags
    the report to the DSL on the sexual-imagery categories (INC-YPSI-14).
    """
    if not permissions.can_report(actor):
        raise PermissionDenied
    return _create(
        school=actor.school,
        reported_by=actor.user,
        reporter_kind=Concern.ReporterKind.ON_BEHALF if on_behalf_of_learner else Concern.ReporterKind.STAFF,
        category=category,
        occurred_at=occurred_at,
        summary=summary,
        description=description,
        involvements=involvements,
        location=location,
        equipment=equipment,
        childs_own_words=childs_own_words,
        immediate_actions=immediate_actions,
        subject_staff_ids=[*subject_staff_ids, *([subject_staff_id] if subject_staff_id is not None else [])],
        actor=actor,
        viewed_image=viewed_image,
    )


def concern_report_public(
    *,
    school: School,
    reporter_kind: str,
    reporter_name: str,
    reporter_contact: str,
    category: str,
    occurred_at: datetime,
    summary: str,
    description: str,
) -> Concern:
    """A parent, carer or visitor reports through the school's public form (REP-03)."""
    if reporter_kind not in (Concern.ReporterKind.PARENT, Concern.ReporterKind.VISITOR):
        raise ValidationError({"reporter_kind": ["Say whether you are a parent or carer, or a visitor."]})
    if not reporter_name.strip():
        raise ValidationError({"reporter_name": ["Give your name so the school can reply."]})
    return _create(
        school=school,
        reported_by=None,
        reporter_kind=reporter_kind,
        reporter_name=reporter_name.strip()[:200],
        reporter_contact=reporter_contact.strip()[:200],
        category=category,
        occurred_at=occurred_at,
        summary=summary,
        description=description,
        involvements=(),
        actor=None,
    )


def _create(
    *,
    school: School,
    reported_by: User | None,
    reporter_kind: str,
    category: str,
    occurred_at: datetime,
    summary: str,
    description: str,
    involvements: Sequence[Involvement],
    actor: Membership | None,
    location: str = Concern.Location.UNKNOWN,
    equipment: str = Concern.Equipment.UNKNOWN,
    childs_own_words: str = "",
    immediate_actions: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    subject_staff_ids: Sequence[int] = (),
    viewed_image: bool = False,
) -> Concern:
    if not summary.strip() or not description.strip():
        raise ValidationError({"description": ["Say briefly what happened: a title and a description are needed."]})
    with transaction.atomic():
        learners, subjects = _validate_report(
            school=school,
            category=category,
            occurred_at=occurred_at,
            involvements=involvements,
            subject_staff_ids=subject_staff_ids,
        )
        now = timezone.now()
        concern = Concern.objects.create(
            school=school,
            reference=_next_reference(school, now),
            category=category,
            reporter_kind=reporter_kind,
            reported_by=reported_by,
            reporter_name=reporter_name,
            reporter_contact=reporter_contact,
            occurred_at=occurred_at,
            location=location,
            equipment=equipment,
            summary=summary.strip()[:200],
            description=description.strip(),
            childs_own_words=childs_own_words.strip(),
            immediate_actions=immediate_actions.strip(),
        )
        ConcernLearner.objects.bulk_create(
            [ConcernLearner(concern=concern, learner=learner, part=part) for learner, part in learners]
        )
        _link_subjects(concern, subjects, reported_by)
        concern.routed_to = routing.route_for(concern).kind if subjects else routing.TEAM
        concern.save(update_fields=["routed_to"])
        flag = _report_viewing_flag(actor, concern, viewed_image)
        entry = log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.REPORTED,
            author=reported_by,
            data={
                "reporter_kind": reporter_kind,
                "category": category,
                "routed_to": concern.routed_to,
                **({"possible_viewing_breach": flag} if flag else {}),
            },
        )
        audit.record(
            action="concern.create", actor=actor, school=school, obj=concern, changes={"category": [None, category]}
        )
        if flag and actor is not None:
            from harbour.concerns import imagery

            imagery.flag_possible_viewing(actor=actor, concern=concern, entry=entry)
        signals.concern_reported.send(sender=Concern, concern=concern)
    return concern


def _report_viewing_flag(actor: Membership | None, concern: Concern, viewed_image: bool) -> dict[str, Any] | None:
    """INC-YPSI-14: a member of staff's report that says they viewed the image is flagged to the DSL.

    Parents and visitors (no ``actor``) are not bound by the staff policy, so their reports are not.
    """
    if actor is None:
        return None
    from harbour.concerns import imagery

    text = "\n".join((concern.description, concern.immediate_actions))
    try:
        return imagery.viewing_flag(actor=actor, concern=concern, text=text, viewed_image=viewed_image)
    except ValidationError:
        # The DSL ticking the box on their own report: the report stands; they record the viewing next.
        return None


# --- working on a concern ----------------------------------------------------------------------


def concern_acknowledge(*, actor: Membership, concern: Concern) -> Concern:
    """The DSL (or whoever the route says) takes the concern on; stops escalation (REP-09)."""
    _require_manager(actor, concern)
    with transaction.atomic():
        locked = _lock(concern, None)
        if locked.acknowledged_at is not None:
            return locked
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor.user
        locked.status = Concern.Status.OPEN
        _save(locked, ["acknowledged_at", "acknowledged_by", "status"])
        log_entry(concern=locked, kind=ConcernEntry.Kind.ACKNOWLEDGED, author=actor.user)
        audit.record(action="concern.acknowledge", actor=actor, obj=locked)
    return locked


def concern_add_note(*, actor: Membership, concern: Concern, text: str, viewed_image: bool = False) -> ConcernEntry:
    """A dated note on the action log. Colleagues the concern is shared with may add notes too.

    ``viewed_image`` is the note's "I viewed an image" box. On categories where images must never
    be viewed, a note by anyone but the DSL that says an image was viewed (the box, or wording such
    as "I looked at the picture") is kept as written and flagged to the DSL (INC-YPSI-14).
    """
    from harbour.concerns import imagery  # imagery builds on this module's log_entry

    if actor.pk is None or permissions.is_subject(actor, concern):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": ["Write the note before saving it."]})
    flag = imagery.viewing_flag(actor=actor, concern=concern, text=text, viewed_image=viewed_image)
    with transaction.atomic():
        entry = log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.NOTE,
            author=actor.user,
            text=text.strip(),
            data={"possible_viewing_breach": flag} if flag else None,
        )
        audit.record(action="concern.note", actor=actor, obj=concern)
        if flag:
            imagery.flag_possible_viewing(actor=actor, concern=concern, entry=entry)
    return entry


def concern_amend_entry(*, actor: Membership, entry: ConcernEntry, text: str, reason: str) -> ConcernEntry:
    """Correct an earlier entry by adding a new one that points at it, with a reason (REP-08)."""
    concern = entry.concern
    if not (permissions.can_manage(actor, concern) or entry.author_id == actor.user_id):
        raise PermissionDenied
    if not reason.strip() or not text.strip():
        raise ValidationError({"reason": ["Give the corrected text and the reason for the correction."]})
    with transaction.atomic():
        amendment = log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.AMENDMENT,
            author=actor.user,
            text=text.strip(),
            data={"reason": reason.strip()},
            amends=entry,
        )
        audit.record(action="concern.amend", actor=actor, obj=concern, changes={"entry": [entry.pk, amendment.pk]})
    return amendment


def _police_informed(concern: Concern) -> bool:
    return Referral.objects.filter(concern=concern, agency=Referral.Agency.POLICE).exists()


def concern_change_category(
    *, actor: Membership, concern: Concern, category: str, reason: str, version: int, no_police_reason: str = ""
) -> Concern:
    """Re-categorise. Leaving an exploitation category needs police contact or a reason (INC-CSAE-03)."""
    _require_manager(actor, concern)
    if category not in categories.BY_ID:
        raise ValidationError({"category": [f"'{category}' is not a concern category."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the category is changing."]})
    with transaction.atomic():
        locked = _lock(concern, version)
        old = locked.category
        if old == category:
            return locked
        if categories.get(category).is_staff_allegation and not routing.has_subjects(locked):
            raise ValidationError(
                {
                    "category": [
                        "Name the member of staff first, under “About a member of staff”: it can change the "
                        "category at the same time."
                    ]
                }
            )
        leaving_police_category = (
            categories.get(old).needs_police_decision and not categories.get(category).needs_police_decision
        )
        if leaving_police_category and not _police_informed(locked) and not no_police_reason.strip():
            raise ValidationError(
                {
                    "no_police_reason": [
                        "The police have not been told about this concern. Record them being told, or say why not, "
                        "before changing its category."
                    ]
                }
            )
        locked.category = category
        _save(locked, ["category"])
        log_entry(
            concern=locked,
            kind=ConcernEntry.Kind.CATEGORY,
            author=actor.user,
            text=reason.strip(),
            data={"from": old, "to": category, "no_police_reason": no_police_reason.strip()},
        )
        audit.record(action="concern.recategorise", actor=actor, obj=locked, changes={"category": [old, category]})
        signals.concern_recategorised.send(sender=Concern, concern=locked, old_category=old, actor=actor)
    return locked


STAFF_CATEGORY = "staff_misuse_allegation"


def concern_name_staff(
    *,
    actor: Membership,
    concern: Concern,
    staff_ids: Sequence[int],
    reason: str,
    version: int,
    as_staff_concern: bool = False,
) -> Concern:
    """The worry is about one or more members of staff: name them (INC-STAFF-05, INC-RAD-04, INC-IIOC-09).

    Works in any category; ``as_staff_concern`` also re-categorises it as a concern about a member
    of staff. From this moment the people named have no access, alerts, queue rows, notifications
    (their unread ones are cleared) or chronology entries for it, and it goes to the head, or to the
    head route when the head is named. The actor may lose access too: that is the point.
    """
    _require_manager(actor, concern)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the concern is about this member of staff."]})
    subjects = staff_for_subjects(school=concern.school, staff_ids=staff_ids)
    if not subjects:
        raise ValidationError({"subject_staff": ["Choose the member of staff this concern is about."]})
    with transaction.atomic():
        locked = _lock(concern, version)
        new = _link_subjects(locked, subjects, actor.user)
        if not new:
            raise ValidationError({"subject_staff": ["Everyone chosen is already named on this concern."]})
        old_category = locked.category
        if as_staff_concern:
            locked.category = STAFF_CATEGORY
        locked.routed_to = routing.route_for(locked).kind
        _save(locked, ["category", "routed_to"])
        log_entry(
            concern=locked,
            kind=ConcernEntry.Kind.SUBJECT,
            author=actor.user,
            text=reason.strip(),
            data={"staff": [s.pk for s in new], "routed_to": locked.routed_to, "from": old_category},
        )
        audit.record(
            action="concern.name_staff",
            actor=actor,
            obj=locked,
            changes={"subject_staff": [None, [s.pk for s in new]], "routed_to": locked.routed_to},
        )
        alerts.clear_for_subjects(locked)
        alerts.alert_staff_named(locked)
        if locked.category != old_category:
            signals.concern_recategorised.send(sender=Concern, concern=locked, old_category=old_category, actor=actor)
    return locked


RISK_ORDER: tuple[str, ...] = ("", *Concern.Risk.values)


def is_risk_lowered(old: str, new: str) -> bool:
    """True when ``new`` is a lower grade than ``old``; a first grading is never a lowering."""
    return bool(old) and RISK_ORDER.index(new) < RISK_ORDER.index(old)


def police_reason_needed_to_lower_risk(concern: Concern) -> bool:
    """INC-CSAE-03: lowering the risk of such a concern is a downgrade, like closing it."""
    return categories.get(concern.category).needs_police_decision and not _police_informed(concern)


def concern_set_risk(
    *, actor: Membership, concern: Concern, risk: str, reason: str, version: int, no_police_reason: str = ""
) -> Concern:
    """Grade the risk. Lowering it on a sexual abuse or exploitation concern needs the same police
    answer as closing it: the police told, or the reason they were not (INC-CSAE-03)."""
    _require_manager(actor, concern)
    if risk not in Concern.Risk.values:
        raise ValidationError({"risk": ["Choose a risk level."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say briefly why you graded the risk this way."]})
    with transaction.atomic():
        locked = _lock(concern, version)
        old = locked.risk
        lowered = is_risk_lowered(old, risk)
        if lowered and police_reason_needed_to_lower_risk(locked) and not no_police_reason.strip():
            raise ValidationError(
                {
                    "no_police_reason": [
                        "The risk of a concern of this kind cannot be lowered until the police have been told, "
                        "or you record why not."
                    ]
                }
            )
        locked.risk = risk
        _save(locked, ["risk"])
        data: dict[str, Any] = {"from": old, "to": risk}
        if lowered and no_police_reason.strip():
            data["no_police_reason"] = no_police_reason.strip()
        log_entry(concern=locked, kind=ConcernEntry.Kind.RISK, author=actor.user, text=reason.strip(), data=data)
        audit.record(action="concern.risk", actor=actor, obj=locked, changes={"risk": [old, risk]})
    return locked


def concern_share(*, actor: Membership, concern: Concern, user: User, reason: str) -> ConcernShare:
    """Let a named colleague see the concern (REP-07). Never the person it is about."""
    _require_manager(actor, concern)
    if (
        categories.get(concern.category).dsl_only
        and not Membership.objects.filter(
            user=user, school=concern.school, role__in=permissions.TEAM_ROLES, is_active=True
        ).exists()
    ):
        raise ValidationError({"user": ["Concerns of this kind stay with the safeguarding team."]})
    if user.pk in routing.subject_user_ids(concern):
        raise ValidationError({"user": ["A concern can never be shared with the person it is about."]})
    if not Membership.objects.filter(user=user, school=concern.school, is_active=True).exists():
        raise ValidationError({"user": ["That person has no active role in this school."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say why they need to know."]})
    with transaction.atomic():
        if ConcernShare.objects.filter(concern=concern, user=user, revoked_at__isnull=True).exists():
            raise ValidationError({"user": ["It is already shared with them."]})
        share = ConcernShare.objects.create(
            concern=concern, user=user, reason=reason.strip()[:300], granted_by=actor.user
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.SHARE,
            author=actor.user,
            text=reason.strip(),
            data={"user": user.email, "shared": True},
        )
        audit.record(action="concern.share", actor=actor, obj=concern, changes={"shared_with": [None, user.email]})
    return share


def concern_unshare(*, actor: Membership, share: ConcernShare) -> ConcernShare:
    _require_manager(actor, share.concern)
    with transaction.atomic():
        if share.revoked_at is None:
            share.revoked_at = timezone.now()
            share.save(update_fields=["revoked_at"])
            log_entry(
                concern=share.concern,
                kind=ConcernEntry.Kind.SHARE,
                author=actor.user,
                data={"user": share.user.email, "shared": False},
            )
            audit.record(
                action="concern.unshare",
                actor=actor,
                obj=share.concern,
                changes={"shared_with": [share.user.email, None]},
            )
    return share


def concern_close(
    *, actor: Membership, concern: Concern, outcome: str, version: int, no_police_reason: str = ""
) -> Concern:
    """Close with an outcome; opens the leadership debrief (REP-13). INC-CSAE-03 guard applies."""
    _require_manager(actor, concern)
    if not outcome.strip():
        raise ValidationError({"outcome": ["Record the outcome before closing the concern."]})
    with transaction.atomic():
        locked = _lock(concern, version)
        if locked.status == Concern.Status.CLOSED:
            raise ValidationError("This concern is already closed.")
        needs_police = categories.get(locked.category).needs_police_decision
        if needs_police and not _police_informed(locked) and not no_police_reason.strip():
            raise ValidationError(
                {
                    "no_police_reason": [
                        "Concerns of this kind cannot be closed until the police have been told, or you record why not."
                    ]
                }
            )
        now = timezone.now()
        locked.status = Concern.Status.CLOSED
        locked.closed_at = now
        locked.closed_by = actor.user
        locked.outcome = outcome.strip()
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = now, actor.user
        _save(locked, ["status", "closed_at", "closed_by", "outcome", "acknowledged_at", "acknowledged_by"])
        log_entry(
            concern=locked,
            kind=ConcernEntry.Kind.CLOSED,
            author=actor.user,
            text=locked.outcome,
            data={"no_police_reason": no_police_reason.strip()},
        )
        FollowUp.objects.create(concern=locked, kind=FollowUp.Kind.DEBRIEF, due_at=now + DEBRIEF_DUE)
        audit.record(action="concern.close", actor=actor, obj=locked, changes={"status": [concern.status, "closed"]})
        signals.concern_closed.send(sender=Concern, concern=locked, actor=actor)
    return locked


def concern_reopen(*, actor: Membership, concern: Concern, reason: str, version: int) -> Concern:
    _require_manager(actor, concern)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the concern is being reopened."]})
    with transaction.atomic():
        locked = _lock(concern, version)
        if locked.status != Concern.Status.CLOSED:
            raise ValidationError("Only a closed concern can be reopened.")
        locked.status = Concern.Status.OPEN
        locked.closed_at = None
        _save(locked, ["status", "closed_at"])
        log_entry(concern=locked, kind=ConcernEntry.Kind.REOPENED, author=actor.user, text=reason.strip())
        audit.record(action="concern.reopen", actor=actor, obj=locked, changes={"status": ["closed", "open"]})
    return locked
