"""Guards around suspected sexual images of children that are records, not uploads.

- INC-YPSI-14: only the DSL records that a suspected image was viewed, with one of the two
  reasons the policy allows and their own explanation. A note by anyone else that says an image
  was viewed (the note's "I viewed an image" box, or wording such as "I looked at the picture") is
  flagged to the DSL as a possible breach of policy.
- INC-IIOC-06: a police request to keep a copy is recorded as who asked, their reference, who holds
  the copy, where (outside Harbour) and until when. Harbour never holds the copy.
- INC-YPSI-05: sexual imagery made or passed around on school equipment raises an urgent task for
  the technician to block and isolate it. The task and its notification carry no detail of the
  concern; the DSL says in person what to block.

Every write checks who is acting, runs in one transaction, adds a line to the concern's action
log and writes an audit event. Nothing is changed or deleted afterwards (REP-08).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Membership, User
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.concerns import alerts, categories, permissions, routing
from harbour.concerns.models import (
    ChecklistStep,
    Concern,
    ConcernEntry,
    ConcernShare,
    ImageViewing,
    PreservationRequest,
    TechnicianTask,
)
from harbour.concerns.services import log_entry

_CLOCK_SLACK = timedelta(minutes=5)
SEXUAL_IMAGERY = "youth_produced_sexual_imagery"
SCHOOL_EQUIPMENT = frozenset({Concern.Equipment.SCHOOL, Concern.Equipment.BOTH})


# --- who is the DSL ------------------------------------------------------------------------------


def is_dsl(actor: Membership | None) -> bool:
    """The designated lead themselves. Joy Lane gives viewing to "the DSL" and names no deputy."""
    return actor is not None and actor.pk is not None and actor.role == Role.DSL


def viewing_applies(concern: Concern) -> bool:
    """Categories where an image must never be viewed, so viewing is recorded and watched for."""
    return categories.get(concern.category).refuses_images


def may_record_viewing(actor: Membership, concern: Concern) -> bool:
    return is_dsl(actor) and permissions.can_manage(actor, concern)


def _dsl_users(concern: Concern) -> list[User]:
    """Who hears about a possible breach: the DSL among those who manage the concern.

    An allegation about staff stays on its own route; a school with no DSL in post tells whoever
    manages the concern rather than nobody.
    """
    managers = alerts.manager_recipients(concern)
    if routing.has_subjects(concern):
        return managers
    dsl_ids = set(
        Membership.objects.filter(
            school=concern.school, role=Role.DSL, is_active=True, user__in=[u.pk for u in managers]
        ).values_list("user_id", flat=True)
    )
    return [user for user in managers if user.pk in dsl_ids] or managers


# --- INC-YPSI-14: viewing ------------------------------------------------------------------------


def image_viewing_record(
    *, actor: Membership, concern: Concern, viewed_at: datetime, justification: str, explanation: str
) -> ImageViewing:
    """The DSL records that they viewed a suspected image, with the policy's reason and their own."""
    if not may_record_viewing(actor, concern):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if justification not in ImageViewing.Justification.values:
        errors["justification"] = [
            "Choose why viewing was justified: there was no other option, or there was a clear need."
        ]
    if not explanation.strip():
        errors["explanation"] = ["Explain in your own words why the image had to be viewed."]
    if viewed_at is None:
        errors["viewed_at"] = ["Say when the image was viewed."]
    elif viewed_at > timezone.now() + _CLOCK_SLACK:
        errors["viewed_at"] = ["This is in the future. Give the date and time it was viewed."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        viewing = ImageViewing.objects.create(
            concern=concern,
            viewed_by=actor.user,
            viewed_at=viewed_at,
            justification=justification,
            explanation=explanation.strip(),
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.IMAGE_VIEWED,
            author=actor.user,
            text=viewing.explanation,
            data={"viewing_id": viewing.pk, "justification": justification, "viewed_at": viewed_at.isoformat()},
        )
        audit.record(
            action="concern.image_viewing",
            actor=actor,
            obj=concern,
            changes={"image_viewed": [None, justification]},
        )
    return viewing


def concern_image_viewings(*, concern: Concern) -> QuerySet[ImageViewing]:
    return concern.image_viewings.select_related("viewed_by").order_by("viewed_at", "id")


# Wording that says the writer saw an image: a viewing verb, then within a few words a picture
# noun. A backstop to the note's checkbox, so it errs towards flagging; the DSL judges each flag.
_VIEWED = re.compile(
    r"""\b(?:look(?:ed|ing)?\s+at|view(?:ed|ing)?|saw|seen|opened|watched|checked|scrolled\s+through)
        (?:\W+\w+){0,4}?\W+
        (?:pictures?|photos?|photographs?|images?|imagery|videos?|clips?|pics?|nudes?|snaps?|selfies?|screenshots?)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_NEGATION = re.compile(r"\b(?:not|never|didn'?t|did\s+not|without|nobody|no\s+one|refused\s+to)\W*(?:\w+\W+){0,2}$")


def says_image_viewed(text: str) -> bool:
    """Whether a note's wording says an image was viewed ("I looked at the picture")."""
    for match in _VIEWED.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()].lower()
        if not _NEGATION.search(before):
            return True
    return False


def viewing_flag(*, actor: Membership, concern: Concern, text: str, viewed_image: bool) -> dict[str, Any] | None:
    """What to record on a note when it says an image was viewed, or None.

    The DSL records viewing through ``image_viewing_record`` instead, so their ticked box is sent
    there; for anyone else the note is kept as written and flagged (INC-YPSI-14).
    """
    if not viewing_applies(concern):
        return None
    wording = says_image_viewed(text)
    if is_dsl(actor):
        if viewed_image:
            raise ValidationError(
                {
                    "viewed_image": [
                        "As the DSL, record the viewing under “Record that an image was viewed”, with the "
                        "reason the policy requires, rather than in a note."
                    ]
                }
            )
        return None
    if not (viewed_image or wording):
        return None
    return {"checkbox": bool(viewed_image), "wording": wording}


def flag_possible_viewing(*, actor: Membership, concern: Concern, entry: ConcernEntry) -> None:
    """Audit the flagged note and tell the DSL, with the concern's reference only (REP-20)."""
    users = _dsl_users(concern)
    audit.record(
        action="concern.possible_viewing_breach",
        actor=actor,
        obj=concern,
        changes={"entry": [None, entry.pk], "told": [None, [user.email for user in users]]},
    )
    alerts.notify(
        concern=concern,
        users=users,
        text=f"A note on {concern.reference} may record a breach of the image-viewing policy. Please check it.",
        email_subject=f"Please check a note on a safeguarding concern at {concern.school.name}",
        email_opening=f"A note on a safeguarding concern at {concern.school.name} needs your attention.",
    )


def flagged_notes(*, concern: Concern) -> list[ConcernEntry]:
    """Notes (and the report itself) flagged as a possible breach, for the flag shown on the concern."""
    kinds = (ConcernEntry.Kind.NOTE, ConcernEntry.Kind.REPORTED)
    return [
        entry
        for entry in concern.entries.filter(kind__in=kinds).select_related("author")
        if isinstance(entry.data, dict) and entry.data.get("possible_viewing_breach")
    ]


# --- INC-IIOC-06: police preservation requests --------------------------------------------------


def preservation_request_record(
    *,
    actor: Membership,
    concern: Concern,
    officer: str,
    police_reference: str,
    custodian: str,
    location: str,
    requested_at: datetime,
    keep_until: date | None = None,
) -> PreservationRequest:
    """Record that the police asked the school to keep a copy, and where it is kept outside Harbour."""
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    fields = {"officer": officer, "police_reference": police_reference, "custodian": custodian, "location": location}
    messages = {
        "officer": "Name the officer who asked.",
        "police_reference": "Record the police reference for the request.",
        "custodian": "Say who holds the copy.",
        "location": "Say where the copy is kept. It must be somewhere secure outside Harbour.",
    }
    for name, value in fields.items():
        if not value.strip():
            errors[name] = [messages[name]]
    if requested_at is None:
        errors["requested_at"] = ["Say when the police asked."]
    elif requested_at > timezone.now() + _CLOCK_SLACK:
        errors["requested_at"] = ["This is in the future. Give the date and time the police asked."]
    if keep_until is not None and requested_at is not None and keep_until < timezone.localdate(requested_at):
        errors["keep_until"] = ["The date to keep it until is before the request was made."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = PreservationRequest.objects.create(
            concern=concern,
            officer=officer.strip()[:200],
            police_reference=police_reference.strip()[:100],
            custodian=custodian.strip()[:200],
            location=location.strip()[:300],
            keep_until=keep_until,
            requested_at=requested_at,
            recorded_by=actor.user,
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.PRESERVATION,
            author=actor.user,
            data={
                "preservation_id": request.pk,
                "officer": request.officer,
                "police_reference": request.police_reference,
                "custodian": request.custodian,
                "location": request.location,
                "keep_until": keep_until.isoformat() if keep_until else None,
                "requested_at": requested_at.isoformat(),
            },
        )
        audit.record(
            action="concern.preservation_request",
            actor=actor,
            obj=concern,
            changes={"preservation_request": [None, request.police_reference]},
        )
    return request


def concern_preservation_requests(*, concern: Concern) -> QuerySet[PreservationRequest]:
    return concern.preservation_requests.select_related("recorded_by").order_by("requested_at", "id")


# --- INC-YPSI-05: the technician's task ---------------------------------------------------------

# The YPSI checklist step the technician's confirmation completes (procedures.py).
BLOCK_STEP_KEY = "block_school_systems"
TASK_TEXT = "Urgent: material needs blocking and isolating on school systems. Open your technician tasks."
TASK_EMAIL_SUBJECT = "Urgent technician task"


def needs_technician_task(concern: Concern) -> bool:
    return concern.category == SEXUAL_IMAGERY and concern.equipment in SCHOOL_EQUIPMENT


def _technicians(concern: Concern) -> list[User]:
    members = Membership.objects.filter(
        school=concern.school, role=Role.TECHNICIAN, is_active=True, user__is_active=True
    ).select_related("user")
    # Nobody a concern is about, and no parent of a learner in it, is told anything (REP-20).
    never = routing.subject_user_ids(concern) | routing.excluded_by_conflict(concern)
    return [m.user for m in members.order_by("user__email") if m.user_id not in never]


def tasks_link(school_slug: str) -> str:
    return reverse("concerns:tech_tasks", kwargs={"school_slug": school_slug})


def technician_task_raise(*, concern: Concern, actor: Membership | None = None) -> TechnicianTask | None:
    """Open the block-and-isolate task once per concern and tell the technicians at once.

    The notification and the e-mail say only that an urgent task is waiting, with a link behind
    sign-in; the task itself says what kind of work it is and to speak to the DSL. Nothing names a
    child or describes the material.
    """
    if not needs_technician_task(concern):
        return None
    with transaction.atomic():
        if TechnicianTask.objects.filter(concern=concern, done_at__isnull=True).exists():
            return None
        task = TechnicianTask.objects.create(school=concern.school, concern=concern)
        users = _technicians(concern)
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.TECH_TASK,
            author=None,
            text="Urgent task raised for the technician to block and isolate the material on school systems.",
            data={"task_id": task.pk, "told": len(users)},
        )
        audit.record(
            action="concern.technician_task",
            actor=actor,
            school=concern.school,
            obj=concern,
            changes={"task": [None, task.pk], "told": [None, [u.email for u in users]]},
        )
        if users:
            alerts.notify_users(
                school=concern.school,
                users=users,
                text=TASK_TEXT,
                link_path=tasks_link(concern.school.slug),
                email_subject=TASK_EMAIL_SUBJECT,
                email_opening="An urgent technician task is waiting for you in Harbour.",
            )
    return task


def may_work_technician_tasks(actor: Membership) -> bool:
    return actor.pk is not None and actor.role == Role.TECHNICIAN


def may_see_technician_tasks(actor: Membership) -> bool:
    """Technicians work the list; the safeguarding team may look at it (it holds no detail)."""
    return may_work_technician_tasks(actor) or (actor.pk is not None and permissions.is_team(actor))


def _concerns_closed_to(actor: Membership) -> Q:
    """Concerns the access door keeps from this login: those naming them, and those where they are
    a parent or carer of a learner in it, unless the DSL shared it with them (REP-20, INC-STAFF-05).

    A task about a concern is closed to the same people, so the member of staff it names can never
    see, nor tick off, the work of blocking and isolating the material (issue 13).
    """
    about_me = routing.subject_links(actor.school).filter(staff__user=actor.user).values("concern_id")
    conflicted = routing.conflicted_concern_ids(school=actor.school, user=actor.user)
    shared = ConcernShare.objects.filter(user=actor.user, revoked_at__isnull=True).values("concern_id")
    return Q(concern_id__in=about_me) | (Q(concern_id__in=conflicted) & ~Q(concern_id__in=shared))


def technician_task_list(*, actor: Membership) -> QuerySet[TechnicianTask]:
    """The school's technician tasks, for technicians and the team (404 for anyone else), less
    those about a concern the actor may not know of."""
    if not may_see_technician_tasks(actor):
        raise Http404("No such page")
    return (
        TechnicianTask.objects.filter(school=actor.school).exclude(_concerns_closed_to(actor)).select_related("done_by")
    )


def technician_task_get(*, actor: Membership, pk: int | str) -> TechnicianTask:
    try:
        return technician_task_list(actor=actor).get(pk=pk)
    except (TechnicianTask.DoesNotExist, ValueError) as exc:
        raise Http404("No such task") from exc


def technician_task_complete(
    *, actor: Membership, task: TechnicianTask, confirmed_not_opened: bool, note: str = ""
) -> TechnicianTask:
    """The technician confirms the material is blocked for everyone and isolated, without opening,
    viewing or copying it. Logged on the concern for the DSL; the technician never sees the concern."""
    if not may_work_technician_tasks(actor) or task.school_id != actor.school.pk:
        raise PermissionDenied
    # Through the same list the page uses: a task about a concern naming the technician is 404 to them.
    task = technician_task_get(actor=actor, pk=task.pk)
    if not confirmed_not_opened:
        raise ValidationError(
            {
                "confirmed_not_opened": [
                    "Confirm that it is blocked for every user and isolated, and that nobody opened, viewed or "
                    "copied it."
                ]
            }
        )
    with transaction.atomic():
        locked = TechnicianTask.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise ValidationError("This task is already marked as done.")
        locked.done_at = timezone.now()
        locked.done_by = actor.user
        locked.done_note = note.strip()
        locked.save(update_fields=["done_at", "done_by", "done_note"])
        log_entry(
            concern=locked.concern,
            kind=ConcernEntry.Kind.TECH_TASK,
            author=actor.user,
            text=locked.done_note,
            data={"task_id": locked.pk, "done": True, "confirmed_not_opened": True},
        )
        # The checklist step that asked for this is the technician's confirmation: tick it for the DSL.
        ChecklistStep.objects.filter(concern=locked.concern, key=BLOCK_STEP_KEY, state=ChecklistStep.State.OPEN).update(
            state=ChecklistStep.State.DONE,
            note="Confirmed by the technician: blocked for every user and isolated, without opening or copying it.",
            completed_by=actor.user,
            completed_at=locked.done_at,
        )
        audit.record(
            action="concern.technician_task_done",
            actor=actor,
            obj=locked.concern,
            changes={"task": [locked.pk, "done"]},
        )
    return locked


def concern_technician_tasks(*, concern: Concern) -> QuerySet[TechnicianTask]:
    return concern.technician_tasks.select_related("done_by").order_by("created_at", "id")
