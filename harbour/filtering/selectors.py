"""Reads of the standards register, scoped to the actor's school; 404 for anyone without the capability.

``register_status`` is the at-a-glance state the overview, the PDF and the reminders share: last
check, next check due, annual review due, privacy review due and how many have read the notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns.linked import within_concern_door
from harbour.filtering import config, permissions, wording
from harbour.filtering.models import (
    Arrangement,
    Check,
    Decision,
    Notice,
    NoticeAcknowledgement,
    PrivacyAssessment,
    Review,
    UsageReview,
    UserGroup,
)
from harbour.policy.acknowledgements import STAFF_ROLES
from harbour.schools.models import School


def _need(allowed: bool) -> None:
    if not allowed:
        raise Http404


def may_view(actor: Membership) -> None:
    _need(permissions.can_view_register(actor))


def may_manage(actor: Membership) -> None:
    _need(permissions.can_manage_register(actor))


def member_choices(*, actor: Membership) -> QuerySet[Membership]:
    """Active members of the school, to name the responsible people from (register keepers only)."""
    may_manage(actor)
    return (
        Membership.objects.filter(school=actor.school, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


# --- the live entries --------------------------------------------------------------------------


def current_arrangement(*, school: School) -> Arrangement | None:
    return (
        Arrangement.objects.filter(school=school, superseded_at__isnull=True)
        .select_related("senior_lead__user", "governor_lead__user", "dsl__user", "it_lead__user")
        .first()
    )


def arrangement_history(*, actor: Membership) -> QuerySet[Arrangement]:
    may_view(actor)
    return Arrangement.objects.filter(school=actor.school).select_related("recorded_by")


def user_group_list(*, actor: Membership, include_old: bool = False) -> QuerySet[UserGroup]:
    may_view(actor)
    qs = UserGroup.objects.filter(school=actor.school)
    return qs if include_old else qs.filter(superseded_at__isnull=True)


def user_group_get(*, actor: Membership, pk: int) -> UserGroup:
    return get_object_or_404(user_group_list(actor=actor), pk=pk)


def decision_list(*, actor: Membership) -> QuerySet[Decision]:
    may_view(actor)
    return Decision.objects.filter(school=actor.school).select_related("recorded_by")


def decision_get(*, actor: Membership, pk: int) -> Decision:
    return get_object_or_404(decision_list(actor=actor), pk=pk)


def decision_document_open(*, actor: Membership, pk: int) -> tuple[Decision, Any]:
    """The attached risk assessment for download, audited; 404 if there is none."""
    decision = decision_get(actor=actor, pk=pk)
    if not decision.document:
        raise Http404("No document")
    try:
        handle = decision.document.storage.open(decision.document.name, "rb")
    except OSError as exc:
        raise Http404("No document") from exc
    audit.record(action="filtering.decision_document_download", actor=actor, obj=decision)
    return decision, handle


def privacy_list(*, actor: Membership) -> QuerySet[PrivacyAssessment]:
    may_view(actor)
    return PrivacyAssessment.objects.filter(school=actor.school).select_related("recorded_by")


def review_list(*, actor: Membership) -> QuerySet[Review]:
    may_view(actor)
    return Review.objects.filter(school=actor.school).select_related("started_by", "completed_by")


def review_search(*, actor: Membership, query: str = "", trigger: str = "", state: str = "") -> QuerySet[Review]:
    qs = review_list(actor=actor)
    if query:
        qs = qs.filter(Q(findings__icontains=query) | Q(actions__icontains=query) | Q(trigger_note__icontains=query))
    if trigger:
        qs = qs.filter(trigger=trigger)
    if state == "open":
        qs = qs.filter(completed_at__isnull=True)
    elif state == "completed":
        qs = qs.filter(completed_at__isnull=False)
    return qs


def review_get(*, actor: Membership, pk: int) -> Review:
    return get_object_or_404(review_list(actor=actor), pk=pk)


def check_list(*, actor: Membership) -> QuerySet[Check]:
    may_view(actor)
    return Check.objects.filter(school=actor.school).select_related("checked_by", "user_group", "recorded_by")


def check_search(
    *,
    actor: Membership,
    query: str = "",
    system: str = "",
    result: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Check]:
    qs = check_list(actor=actor)
    if query:
        qs = qs.filter(
            Q(test_detail__icontains=query)
            | Q(device__icontains=query)
            | Q(location__icontains=query)
            | Q(follow_up__icontains=query)
            | Q(checker_name__icontains=query)
        )
    if system:
        qs = qs.filter(system=system)
    if result:
        qs = qs.filter(result=result)
    if date_from:
        qs = qs.filter(checked_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(checked_at__date__lte=date_to)
    return qs


def check_get(*, actor: Membership, pk: int) -> Check:
    return get_object_or_404(check_list(actor=actor), pk=pk)


def usage_review_list(*, actor: Membership) -> QuerySet[UsageReview]:
    may_view(actor)
    reviews = UsageReview.objects.filter(school=actor.school).select_related("reviewed_by", "concern")
    # A review that raised a concern naming staff closes to whoever may not open it (finding 6).
    return within_concern_door(reviews, actor=actor)


def usage_review_search(*, actor: Membership, query: str = "", findings_only: bool = False) -> QuerySet[UsageReview]:
    qs = usage_review_list(actor=actor)
    if query:
        qs = qs.filter(Q(findings__icontains=query) | Q(scope__icontains=query) | Q(method__icontains=query))
    if findings_only:
        qs = qs.filter(safeguarding_finding=True)
    return qs


def usage_review_get(*, actor: Membership, pk: int) -> UsageReview:
    return get_object_or_404(usage_review_list(actor=actor), pk=pk)


# --- the notice --------------------------------------------------------------------------------


def current_notice(*, school: School) -> Notice | None:
    return Notice.objects.filter(school=school).order_by("-number").first()


def notice_acknowledgements(*, actor: Membership, notice: Notice) -> QuerySet[NoticeAcknowledgement]:
    may_view(actor)
    return notice.acknowledgements.select_related("recorded_by").order_by("person_name")


def has_acknowledged(*, actor: Membership, notice: Notice | None) -> bool:
    return notice is not None and notice.acknowledgements.filter(user=actor.user).exists()


@dataclass(frozen=True)
class NoticeCoverage:
    staff_total: int
    staff_read: int
    others_recorded: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.staff_read / self.staff_total) if self.staff_total else None


def notice_coverage(*, school: School, notice: Notice | None) -> NoticeCoverage:
    """FLT-07: how many staff with a login have read the current notice, and records for others."""
    staff = Membership.objects.filter(school=school, role__in=STAFF_ROLES, is_active=True).values("user_id")
    total = staff.count()
    if notice is None:
        return NoticeCoverage(total, 0, 0)
    read = notice.acknowledgements.filter(user_id__in=staff).values("user_id").distinct().count()
    return NoticeCoverage(total, read, notice.acknowledgements.filter(user__isnull=True).count())


# --- status at a glance ------------------------------------------------------------------------


@dataclass
class Due:
    label: str
    due_on: date | None
    last_on: date | None = None
    overdue: bool = False
    note: str = ""

    @property
    def due_now(self) -> bool:
        """Due today or earlier: reminders go out (FLT-03, FLT-04, FLT-11)."""
        return self.due_on is not None and self.due_on <= timezone.localdate()


@dataclass
class RegisterStatus:
    arrangement: Arrangement | None
    cfg: config.FilteringConfig
    check_frequency_days: int
    frequency_source: str
    last_check: Check | None
    check: Due
    review: Due
    privacy: Due
    notice: Notice | None
    coverage: NoticeCoverage
    groups: list[UserGroup] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)

    def social_media(self, audience: str) -> str:
        groups = [(g.name, g.social_media, g.get_social_media_display()) for g in self.groups if g.audience == audience]
        return wording.social_media_answer(groups)


def _frequency(arrangement: Arrangement | None, cfg: config.FilteringConfig) -> tuple[int, str]:
    if arrangement is not None and arrangement.check_frequency_days:
        return arrangement.check_frequency_days, "set in the register"
    if cfg.check_frequency_days:
        return cfg.check_frequency_days, "from the school's policy"
    return config.DEFAULT_CHECK_DAYS, "Harbour's default: the school has not set one"


def register_status(*, school: School, today: date | None = None) -> RegisterStatus:
    """The register's state for ``school``. Callers have already checked the actor may see it."""
    today = today or timezone.localdate()
    # Never done: due since the school joined Harbour, a fixed date, so a reminder is not new every day.
    since = min(timezone.localdate(school.created_at), today)
    arrangement = current_arrangement(school=school)
    cfg = config.for_school(school)
    days, source = _frequency(arrangement, cfg)
    last_check = Check.objects.filter(school=school).order_by("-checked_at", "-id").first()
    last_check_on = timezone.localtime(last_check.checked_at).date() if last_check else None
    check_due = last_check_on + timedelta(days=days) if last_check_on else since
    review_days = arrangement.review_frequency_days if arrangement else config.DEFAULT_REVIEW_DAYS
    last_review = Review.objects.filter(school=school, completed_at__isnull=False).order_by("-completed_at").first()
    last_review_on = timezone.localtime(last_review.completed_at).date() if last_review else None
    review_due = last_review_on + timedelta(days=review_days) if last_review_on else since
    privacy = PrivacyAssessment.objects.filter(school=school, superseded_at__isnull=True).first()
    privacy_due = (privacy.next_review_on or privacy.reviewed_on + timedelta(days=365)) if privacy else since
    notice = current_notice(school=school)
    status = RegisterStatus(
        arrangement=arrangement,
        cfg=cfg,
        check_frequency_days=days,
        frequency_source=source,
        last_check=last_check,
        check=Due("Next check", check_due, last_check_on, check_due < today),
        review=Due("Annual review", review_due, last_review_on, review_due < today),
        privacy=Due(
            "Privacy assessment review",
            privacy_due,
            privacy.reviewed_on if privacy else None,
            privacy_due < today,
        ),
        notice=notice,
        coverage=notice_coverage(school=school, notice=notice),
        groups=list(UserGroup.objects.filter(school=school, superseded_at__isnull=True)),
    )
    status.prompts = _prompts(status)
    return status


def _prompts(status: RegisterStatus) -> list[str]:
    """What is not recorded yet: shown as prompts rather than gaps (FLT-01, St James names no provider)."""
    a, cfg = status.arrangement, status.cfg
    prompts = []
    if not (a and a.filtering_provider) and not cfg.filtering_provider:
        prompts.append("Filtering provider: not recorded yet.")
    if not (a and a.broadband_provider) and not cfg.broadband_provider:
        prompts.append("Broadband provider: not recorded yet.")
    if not (a and (a.monitoring_system or a.monitoring_approach)) and not cfg.monitoring_system:
        prompts.append("Monitoring system or approach: not recorded yet.")
    if not (a and (a.senior_lead_id or a.senior_lead_name)):
        prompts.append("Senior leader responsible: not named yet.")
    if not (a and (a.governor_lead_id or a.governor_lead_name)):
        prompts.append("Governor responsible: not named yet.")
    if not status.groups:
        prompts.append("User groups and their filtering profiles: not recorded yet.")
    if status.notice is None:
        prompts.append("Monitoring notice: not published yet.")
    return prompts


def register_viewed(*, actor: Membership) -> RegisterStatus:
    may_view(actor)
    return register_status(school=actor.school)
