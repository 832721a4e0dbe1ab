"""Writes for checks, reviews of the provision and reviews of internet use (FLT-03, FLT-04, FLT-08, GOV-16).

A check is never edited: a correction is a new check that ``corrects`` the first. A review is
worked on until it is completed, then frozen. A finding of a review of internet use becomes a
safeguarding concern through the concerns app's own service, so its alerts and checklist apply.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Membership, User
from harbour.audit import services as audit
from harbour.concerns import services as concern_services
from harbour.concerns.models import Concern
from harbour.filtering import permissions, wording
from harbour.filtering.models import Check, Review, UsageReview, UserGroup
from harbour.filtering.services import require_manager

FUTURE_SLACK = timedelta(minutes=5)


# --- checks (FLT-03) ---------------------------------------------------------------------------


def check_record(
    *,
    actor: Membership,
    checked_at: datetime,
    system: str,
    method: str,
    test_detail: str,
    device: str,
    result: str,
    user_group_id: int | None = None,
    location: str = "",
    follow_up: str = "",
    checked_by: User | None = None,
    checker_name: str = "",
    corrects_id: int | None = None,
) -> Check:
    """Record who checked what, when, how, on which device and group, the result and what follows (FLT-03).

    ``checked_by`` defaults to the actor; ``checker_name`` is for someone without a login (the provider).
    """
    require_manager(actor)
    errors: dict[str, list[str]] = {}
    if system not in Check.System.values:
        errors["system"] = ["Say whether filtering or monitoring was checked."]
    if method not in Check.Method.values:
        errors["method"] = ["Say which test was used."]
    if result not in Check.Result.values:
        errors["result"] = ["Record whether the check passed or failed."]
    if not test_detail.strip():
        errors["test_detail"] = ["Say what was tried, for example the test address or the search words."]
    if not device.strip():
        errors["device"] = ["Say which device the check was made on."]
    if checked_at > timezone.now() + FUTURE_SLACK:
        errors["checked_at"] = ["This is in the future. Give the date and time of the check."]
    if result == Check.Result.FAIL and not follow_up.strip():
        errors["follow_up"] = ["A failed check needs a follow-up: say what will be done and by whom."]
    group = None
    if user_group_id is not None:
        group = UserGroup.objects.filter(school=actor.school, pk=user_group_id).first()
        if group is None:
            errors["user_group"] = ["Choose one of this school's user groups."]
    corrects = None
    if corrects_id is not None:
        corrects = Check.objects.filter(school=actor.school, pk=corrects_id).first()
        if corrects is None:
            errors["corrects"] = ["The check being corrected is not in this school's log."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        check = Check.objects.create(
            school=actor.school,
            checked_at=checked_at,
            checked_by=None if checker_name.strip() else (checked_by or actor.user),
            checker_name=checker_name.strip()[:200],
            system=system,
            method=method,
            test_detail=test_detail.strip()[:500],
            device=device.strip()[:200],
            user_group=group,
            location=location.strip()[:200],
            result=result,
            follow_up=follow_up.strip(),
            corrects=corrects,
            recorded_by=actor.user,
        )
        audit.record(
            action="filtering.check_correct" if corrects else "filtering.check_record",
            actor=actor,
            obj=check,
            changes={"result": [None, result], "corrects": [None, corrects_id]},
        )
    return check


# --- reviews of the provision (FLT-04, GOV-16) -------------------------------------------------


def review_start(*, actor: Membership, trigger: str, trigger_note: str = "", participants: str = "") -> Review:
    require_manager(actor)
    if trigger not in Review.Trigger.values:
        raise ValidationError({"trigger": ["Say why the review is happening."]})
    if trigger != Review.Trigger.ANNUAL and not trigger_note.strip():
        raise ValidationError({"trigger_note": ["Say briefly what prompted this review."]})
    with transaction.atomic():
        review = Review.objects.create(
            school=actor.school,
            trigger=trigger,
            trigger_note=trigger_note.strip()[:300],
            participants=participants.strip()[:300],
            started_by=actor.user,
        )
        audit.record(action="filtering.review_start", actor=actor, obj=review, changes={"trigger": [None, trigger]})
    return review


def _clean_answers(answers: dict[str, Any]) -> dict[str, dict[str, str]]:
    cleaned: dict[str, dict[str, str]] = {}
    for key, answer in answers.items():
        if key not in wording.CHECKLIST_KEYS:
            raise ValidationError({"answers": [f"'{key}' is not an item of the review checklist."]})
        status = (answer or {}).get("status", "")
        if status and status not in wording.ANSWER_VALUES:
            raise ValidationError({"answers": [f"'{status}' is not an answer to the checklist."]})
        note = str((answer or {}).get("note", "")).strip()[:1000]
        if status or note:
            cleaned[key] = {"status": status, "note": note}
    return cleaned


def review_save(
    *,
    actor: Membership,
    review: Review,
    answers: dict[str, Any],
    findings: str = "",
    actions: str = "",
    participants: str = "",
    complete: bool = False,
) -> Review:
    """Save the checklist, findings and actions; ``complete`` freezes the review (FLT-04)."""
    require_manager(actor)
    if review.school_id != actor.school.pk:
        raise PermissionDenied
    cleaned = _clean_answers(answers)
    if complete:
        missing = [item.text for item in wording.REVIEW_CHECKLIST if not cleaned.get(item.key, {}).get("status")]
        errors: dict[str, list[str]] = {}
        if missing:
            errors["answers"] = [f"Answer every item of the checklist before completing ({len(missing)} left)."]
        if not findings.strip():
            errors["findings"] = ["Record what the review found."]
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.completed_at is not None:
            raise ValidationError("This review is completed; start a new review to record anything further.")
        locked.answers = cleaned
        locked.findings = findings.strip()
        locked.actions = actions.strip()
        locked.participants = participants.strip()[:300] or locked.participants
        fields = ["answers", "findings", "actions", "participants"]
        if complete:
            locked.completed_at, locked.completed_by = timezone.now(), actor.user
            fields += ["completed_at", "completed_by"]
        locked.save(update_fields=fields)
        audit.record(
            action="filtering.review_complete" if complete else "filtering.review_save",
            actor=actor,
            obj=locked,
            changes={"answered": [None, len(cleaned)]},
        )
    return locked


# --- reviews of internet use (FLT-08) ----------------------------------------------------------


def usage_review_record(
    *,
    actor: Membership,
    period_start: date,
    period_end: date,
    scope: str,
    findings: str,
    method: str = "",
    safeguarding_finding: bool = False,
) -> UsageReview:
    require_manager(actor)
    errors: dict[str, list[str]] = {}
    if period_end < period_start:
        errors["period_end"] = ["The end of the period is before its start."]
    if period_end > timezone.localdate():
        errors["period_end"] = ["The period cannot end in the future."]
    if not scope.strip():
        errors["scope"] = ["Say which devices, systems or groups were looked at."]
    if not findings.strip():
        errors["findings"] = ["Record what was found, even if nothing of concern."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = UsageReview.objects.create(
            school=actor.school,
            period_start=period_start,
            period_end=period_end,
            scope=scope.strip()[:300],
            method=method.strip()[:300],
            findings=findings.strip(),
            safeguarding_finding=safeguarding_finding,
            reviewed_by=actor.user,
        )
        audit.record(
            action="filtering.usage_review_record",
            actor=actor,
            obj=review,
            changes={"safeguarding_finding": [None, safeguarding_finding]},
        )
    return review


def usage_review_raise_concern(
    *, actor: Membership, review: UsageReview, category: str, summary: str, description: str
) -> Concern:
    """FLT-08: a safeguarding finding becomes a concern for the DSL, linked to the review."""
    if not permissions.can_manage_register(actor) or not permissions.can_report_breach(actor):
        raise PermissionDenied
    if review.school_id != actor.school.pk:
        raise PermissionDenied
    if review.concern_id is not None:
        raise ValidationError("A concern has already been raised from this review.")
    with transaction.atomic():
        concern = concern_services.concern_report(
            actor=actor,
            category=category,
            occurred_at=timezone.now(),
            summary=summary,
            description=description,
            equipment=Concern.Equipment.SCHOOL,
        )
        UsageReview.objects.filter(pk=review.pk, concern__isnull=True).update(
            concern=concern, safeguarding_finding=True
        )
        audit.record(
            action="filtering.usage_review_concern", actor=actor, obj=review, changes={"concern": [None, concern.pk]}
        )
    review.refresh_from_db()
    return concern
