"""Writes on the policy's registers: guidance editions (GOV-06, GOV-07), linked policies (GOV-08),
review triggers and tasks (GOV-04), periodic reviews (GOV-14, GOV-21) and exceptions (GOV-22).

Every write is audited. Nothing is deleted: a linked policy is retired, an exception withdrawn, a
review task closed with its outcome.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.policy import permissions
from harbour.policy.models import (
    GuidanceEdition,
    GuidanceFlag,
    LinkedPolicy,
    PeriodicReview,
    PolicyException,
    PolicyVersion,
    ReviewTask,
    ReviewTrigger,
)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value: str, label: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"Enter {label}.")
    return value


# --- guidance (GOV-06, GOV-07) -----------------------------------------------------------------


def flag_outdated_citations(*, version: PolicyVersion) -> list[GuidanceFlag]:
    """Flag ``version`` for each registered guidance edition newer than the one it cites (GOV-07)."""
    latest: dict[str, GuidanceEdition] = {}
    for edition in GuidanceEdition.objects.filter(school=version.school_id).order_by("key", "-edition_year"):
        latest.setdefault(edition.key, edition)
    flags = []
    for edition in latest.values():
        cited = version.config.get(edition.config_variable)
        if isinstance(cited, int) and not isinstance(cited, bool) and cited < edition.edition_year:
            flag, created = GuidanceFlag.objects.get_or_create(
                school_id=version.school_id, version=version, edition=edition, defaults={"cited_year": cited}
            )
            if created:
                flags.append(flag)
    return flags


def guidance_edition_add(
    *, actor: Membership, key: str, title: str, edition_year: int, entered_on: date | None = None, notes: str = ""
) -> GuidanceEdition:
    """Enter an edition in the guidance register (GOV-06); flag every version citing an older one (GOV-07).

    Superseded versions are left alone: they are no longer in force, so there is nothing to review.
    When a version is flagged, a review task is opened for it.
    """
    _check(permissions.can_manage(actor))
    key = _text(key, "a short key such as kcsie").lower().replace("-", "_")
    title = _text(title, "the guidance title")
    if not isinstance(edition_year, int) or not 1900 <= edition_year <= 2100:
        raise ValidationError("Enter the edition year, e.g. 2025.")
    try:
        with transaction.atomic():
            edition = GuidanceEdition.objects.create(
                school=actor.school,
                key=key,
                title=title,
                edition_year=edition_year,
                entered_on=entered_on or timezone.localdate(),
                entered_by=actor.user,
                notes=notes.strip(),
            )
            audit.record(
                action="policy_guidance.add",
                actor=actor,
                obj=edition,
                changes={"key": [None, key], "edition_year": [None, edition_year]},
            )
            flagged = []
            for version in PolicyVersion.objects.filter(school=actor.school).exclude(
                status=PolicyVersion.Status.SUPERSEDED
            ):
                flagged += flag_outdated_citations(version=version)
            if any(flag.edition_id == edition.pk for flag in flagged):
                numbers = sorted({f.version.number for f in flagged if f.edition_id == edition.pk})
                task = ReviewTask.objects.create(
                    school=actor.school,
                    kind=ReviewTask.Kind.GUIDANCE,
                    title=f"Review for {title} {edition_year} (version {', '.join(map(str, numbers))} cites older)",
                    edition=edition,
                    due_on=timezone.localdate() + timedelta(days=30),
                )
                audit.record(
                    action="policy_guidance.flag",
                    actor=actor,
                    obj=edition,
                    changes={"flagged_versions": [None, numbers], "review_task": [None, task.pk]},
                )
    except IntegrityError as exc:
        raise ValidationError(f"{title} {edition_year} is already in the register.") from exc
    return edition


# --- linked policies (GOV-08) ------------------------------------------------------------------


def linked_policy_save(
    *, actor: Membership, linked: LinkedPolicy | None = None, values: dict[str, Any]
) -> LinkedPolicy:
    """Add a linked policy, or update one (owner, version, review date, link) (GOV-08)."""
    _check(permissions.can_manage(actor))
    fields = ("name", "owner", "version", "review_date", "link", "notes", "is_active")
    clean = {k: v for k, v in values.items() if k in fields}
    clean["name"] = _text(clean.get("name", linked.name if linked else ""), "the policy's name")
    with transaction.atomic():
        if linked is None:
            linked = LinkedPolicy.objects.create(school=actor.school, **clean)
            audit.record(action="policy_linked.add", actor=actor, obj=linked, changes={"name": [None, linked.name]})
        else:
            if linked.school_id != actor.school_id:
                raise PermissionDenied
            changes = audit.changed_fields(linked, clean)
            for name, value in clean.items():
                setattr(linked, name, value)
            linked.save()
            audit.record(action="policy_linked.update", actor=actor, obj=linked, changes=changes)
    return linked


# --- triggers and review tasks (GOV-03, GOV-04) ------------------------------------------------


def review_trigger_record(*, actor: Membership, kind: str, description: str) -> ReviewTrigger:
    """Record a trigger and open an out-of-cycle review task for it (GOV-04)."""
    _check(permissions.can_record_trigger(actor))
    if kind not in ReviewTrigger.Kind.values:
        raise ValidationError(f"Choose what triggered the review: {', '.join(ReviewTrigger.Kind.values)}.")
    description = _text(description, "what happened")
    with transaction.atomic():
        trigger = ReviewTrigger.objects.create(
            school=actor.school, kind=kind, description=description, recorded_by=actor.user
        )
        task = ReviewTask.objects.create(
            school=actor.school,
            kind=ReviewTask.Kind.OUT_OF_CYCLE,
            title=f"Out-of-cycle review: {trigger.get_kind_display().lower()}",
            trigger=trigger,
            due_on=timezone.localdate() + timedelta(days=30),
        )
        audit.record(
            action="policy_trigger.record",
            actor=actor,
            obj=trigger,
            changes={"kind": [None, kind], "review_task": [None, task.pk]},
        )
    return trigger


def review_task_update(
    *, actor: Membership, task: ReviewTask, status: str, outcome: str = "", version: PolicyVersion | None = None
) -> ReviewTask:
    """Move a review task on; closing it needs an outcome (what changed, or why nothing needed to)."""
    _check(permissions.can_manage(actor) and task.school_id == actor.school_id)
    if status not in ReviewTask.Status.values:
        raise ValidationError(f"Choose a status: {', '.join(ReviewTask.Status.values)}.")
    if not task.is_open:
        raise ValidationError("This review task is already closed.")
    closing = status in ReviewTask.CLOSED_STATUSES
    if closing and not outcome.strip():
        raise ValidationError("Say what the review concluded before closing it.")
    if version is not None and version.school_id != actor.school_id:
        raise PermissionDenied
    with transaction.atomic():
        before = task.status
        task.status = status
        task.outcome = outcome.strip() or task.outcome
        task.resolved_by_version = version or task.resolved_by_version
        if closing:
            task.closed_at, task.closed_by = timezone.now(), actor.user
        task.save()
        audit.record(action="policy_review_task.update", actor=actor, obj=task, changes={"status": [before, status]})
    return task


# --- periodic reviews (GOV-14, GOV-21) ---------------------------------------------------------


def periodic_review_record(
    *, actor: Membership, kind: str, held_on: date, summary: str, findings: str = "", actions: str = ""
) -> PeriodicReview:
    """Record an online-risk review (GOV-21) or a report given to governors (GOV-14)."""
    _check(permissions.can_manage(actor))
    if kind not in PeriodicReview.Kind.values:
        raise ValidationError(f"Choose the kind of review: {', '.join(PeriodicReview.Kind.values)}.")
    if held_on is None or held_on > timezone.localdate():
        raise ValidationError("Enter the date the review was held (not in the future).")
    with transaction.atomic():
        review = PeriodicReview.objects.create(
            school=actor.school,
            kind=kind,
            held_on=held_on,
            summary=_text(summary, "what the review looked at"),
            findings=findings.strip(),
            actions=actions.strip(),
            recorded_by=actor.user,
        )
        audit.record(
            action="policy_periodic_review.record",
            actor=actor,
            obj=review,
            changes={"kind": [None, kind], "held_on": [None, str(held_on)]},
        )
    return review


# --- exceptions (GOV-22) -----------------------------------------------------------------------


def policy_exception_record(
    *,
    actor: Membership,
    kind: str,
    person: str,
    granted_by: str,
    conditions: str,
    starts_on: date,
    ends_on: date | None,
) -> PolicyException:
    """Record an exception or permission with its end date so the head sees it (GOV-22)."""
    _check(permissions.can_manage_exceptions(actor))
    if kind not in PolicyException.Kind.values:
        raise ValidationError(f"Choose the kind of exception: {', '.join(PolicyException.Kind.values)}.")
    if starts_on is None:
        raise ValidationError("Enter the date it starts.")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError("The end date must be on or after the start date.")
    with transaction.atomic():
        exception = PolicyException.objects.create(
            school=actor.school,
            kind=kind,
            person=_text(person, "who it applies to"),
            granted_by=_text(granted_by, "who granted it"),
            conditions=conditions.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=actor.user,
        )
        audit.record(
            action="policy_exception.record",
            actor=actor,
            obj=exception,
            changes={"kind": [None, kind], "ends_on": [None, str(ends_on or "")]},
        )
    return exception


def policy_exception_withdraw(*, actor: Membership, exception: PolicyException, reason: str) -> PolicyException:
    """Withdraw an exception early; the record stays, marked withdrawn with the reason (GOV-22)."""
    _check(permissions.can_manage_exceptions(actor) and exception.school_id == actor.school_id)
    if exception.withdrawn_at is not None:
        raise ValidationError("This exception has already been withdrawn.")
    with transaction.atomic():
        exception.withdrawn_at, exception.withdrawn_by = timezone.now(), actor.user
        exception.withdrawn_reason = _text(reason, "why it is withdrawn")
        exception.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        audit.record(
            action="policy_exception.withdraw",
            actor=actor,
            obj=exception,
            changes={"withdrawn_reason": [None, exception.withdrawn_reason]},
        )
    return exception
