"""What each role sees first. Every figure comes through the same selectors as the lists."""

from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Count, Q

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, Role, has_capability
from harbour.accounts.selectors import safeguarding_contacts
from harbour.people import selectors as people
from harbour.people.selectors import VULNERABILITY_FILTER_LABELS, VULNERABILITY_FILTERS


def _vulnerability_counts(actor: Membership) -> list[tuple[str, str, int]]:
    aggregates = people.learner_list(actor=actor).aggregate(
        **{key: Count("pk", filter=Q(**lookup)) for key, lookup in VULNERABILITY_FILTERS.items()}
    )
    return [(key, VULNERABILITY_FILTER_LABELS[key], aggregates[key]) for key in VULNERABILITY_FILTERS]


def _is_leader(actor: Membership) -> bool:
    """Leaders who must see that the route for allegations about the head is missing (INC-STAFF-05)."""
    return (
        actor.is_chair_of_governors
        or actor.role == Role.SLT
        or has_capability(actor.role, Capability.READ_CONCERNS)
        or has_capability(actor.role, Capability.MANAGE_MEMBERSHIPS)
    )


def dashboard_context(*, actor: Membership) -> dict[str, Any]:
    role = actor.role
    context: dict[str, Any] = {
        "role_label": Role(role).label,
        "mfa_enabled": is_mfa_enabled(actor.user),
        "safeguarding_contacts": safeguarding_contacts(school=actor.school),
        "learner_count": people.learner_list(actor=actor).count(),
        "class_count": people.class_list(actor=actor).count(),
        "staff_count": people.staff_list(actor=actor).count(),
    }
    if has_capability(role, Capability.VIEW_VULNERABILITY):
        context["vulnerability_counts"] = _vulnerability_counts(actor)
    if has_capability(role, Capability.VIEW_CLASS_LEARNERS) and not has_capability(role, Capability.VIEW_ALL_LEARNERS):
        context["my_classes"] = list(
            people.class_list(actor=actor)
            .filter(teachers__user=actor.user)
            .annotate(on_roll=Count("learners", filter=Q(learners__left_on__isnull=True)))
        )
    from harbour.audit.selectors import audit_event_list, may_read_audit

    if may_read_audit(actor):
        # Filtered by each record's door: never an event about an allegation the actor may not open.
        context["recent_audit"] = list(audit_event_list(actor=actor)[:8])
    if has_capability(role, Capability.MANAGE_MEMBERSHIPS):
        from harbour.accounts.selectors import invitation_list, membership_list

        members = membership_list(actor=actor)
        context["member_count"] = members.filter(is_active=True).count()
        context["open_invitations"] = [i for i in invitation_list(actor=actor)[:50] if i.is_open]
    if has_capability(role, Capability.HANDLE_FILTER_ALERTS) and actor.pk is not None:
        from harbour.monitoring.critical import open_critical_count

        # A number and a link only: who and what stay behind the alert queue's own access check.
        context["critical_alerts"] = open_critical_count(school_id=actor.school.pk)
    if role == Role.TECHNICIAN and actor.pk is not None:
        from harbour.concerns.imagery import technician_task_list

        # INC-YPSI-05: urgent block-and-isolate work, shown as a number and a link (no detail).
        context["technician_tasks_open"] = technician_task_list(actor=actor).filter(done_at__isnull=True).count()
    context["year_group_counts"] = people.learner_summary_by_year(actor=actor)
    context["can_report"] = has_capability(role, Capability.REPORT_CONCERN)
    if _is_leader(actor):
        from harbour.concerns.allegation_route import can_set_route, route_status

        context["allegation_route"] = route_status(school=actor.school)
        context["can_set_allegation_route"] = can_set_route(actor)
    if has_capability(role, Capability.READ_CONCERNS):
        from harbour.concerns.models import Concern
        from harbour.concerns.selectors import concern_list

        context["concern_counts"] = concern_list(actor=actor).aggregate(
            new=Count("pk", filter=Q(status=Concern.Status.NEW)),
            open=Count("pk", filter=Q(status=Concern.Status.OPEN)),
        )
        context["can_use_queue"] = has_capability(role, Capability.HANDLE_CONCERNS)
    elif actor.pk is not None and actor.is_chair_of_governors:
        # The chair handles allegations about the head: their own count, through the same door.
        from harbour.concerns.models import Concern
        from harbour.concerns.selectors import concern_list

        context["concern_counts"] = concern_list(actor=actor).aggregate(
            new=Count("pk", filter=Q(status=Concern.Status.NEW)),
            open=Count("pk", filter=Q(status=Concern.Status.OPEN)),
        )
        context["can_use_queue"] = True
    if "concern_counts" in context:
        from harbour.concerns.selectors_triage import may_open_concern_list

        # The list opens for the chair only once a concern reaches them: no link to a 404 before (issue 20).
        context["can_open_concern_list"] = may_open_concern_list(actor=actor)
    return context
