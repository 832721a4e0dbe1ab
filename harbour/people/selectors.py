"""The access door for learners, staff, parents and classes: scoped by school and need-to-know.

A teacher sees the learners of the classes they teach; the safeguarding team, leaders and the
office see the whole school; nobody sees another school. Opening one learner's record is audited,
because it carries vulnerability flags and family contacts.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, has_capability
from harbour.audit import services as audit
from harbour.people import permissions
from harbour.people.models import Learner, Parent, ParentLink, SchoolClass, StaffMember


def _taught_class_ids(actor: Membership) -> QuerySet:
    return SchoolClass.objects.filter(
        school=actor.school, teachers__user=actor.user, teachers__left_on__isnull=True
    ).values("pk")


def learner_list(*, actor: Membership, include_leavers: bool = False) -> QuerySet[Learner]:
    qs = Learner.objects.filter(school=actor.school).select_related("school_class")
    if not include_leavers:
        qs = qs.filter(left_on__isnull=True)
    if permissions.sees_all_learners(actor):
        return qs
    if permissions.sees_class_learners(actor):
        return qs.filter(school_class__in=_taught_class_ids(actor))
    return qs.none()


def learner_get(*, actor: Membership, pk: int) -> Learner:
    """One learner, or 404 for anyone outside the school or without need-to-know. Audited."""
    try:
        learner = learner_list(actor=actor, include_leavers=True).get(pk=pk)
    except (Learner.DoesNotExist, ValueError) as exc:
        raise Http404("No such learner") from exc
    audit.record(action="learner.view", actor=actor, obj=learner)
    return learner


def learner_search(
    *, actor: Membership, query: str = "", year_group: str = "", class_id: str = "", flag: str = ""
) -> QuerySet[Learner]:
    """The learner list filtered by free text, year, class and (for those allowed) a flag."""
    qs = learner_list(actor=actor)
    if query:
        for word in query.split()[:4]:
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(upn__iexact=word)
            )
    if year_group:
        qs = qs.filter(year_group=year_group)
    if class_id.isdigit():
        qs = qs.filter(school_class_id=int(class_id))
    if flag and permissions.sees_vulnerability(actor):
        qs = qs.filter(**VULNERABILITY_FILTERS.get(flag, {"pk__in": []}))
    return qs


VULNERABILITY_FILTERS: dict[str, dict[str, object]] = {
    "send": {"send_status__in": [Learner.SendStatus.SEN_SUPPORT, Learner.SendStatus.EHCP]},
    "looked_after": {"is_looked_after": True},
    "previously_looked_after": {"is_previously_looked_after": True},
    "cp_plan": {"has_child_protection_plan": True},
    "cin_plan": {"has_child_in_need_plan": True},
    "young_carer": {"is_young_carer": True},
    "eal": {"has_eal": True},
    "pupil_premium": {"is_pupil_premium": True},
}


def parent_links_for_learner(*, actor: Membership, learner: Learner) -> QuerySet[ParentLink]:
    if not permissions.sees_parents(actor) or learner.school_id != actor.school.pk:
        return ParentLink.objects.none()
    return ParentLink.objects.filter(learner=learner).select_related("parent")


def parent_list(*, actor: Membership) -> QuerySet[Parent]:
    if not permissions.sees_parents(actor):
        return Parent.objects.none()
    return Parent.objects.filter(school=actor.school)


def staff_list(*, actor: Membership, include_leavers: bool = False) -> QuerySet[StaffMember]:
    if not permissions.sees_staff(actor):
        return StaffMember.objects.none()
    qs = StaffMember.objects.filter(school=actor.school)
    return qs if include_leavers else qs.filter(left_on__isnull=True)


def staff_get(*, actor: Membership, pk: int) -> StaffMember:
    try:
        return staff_list(actor=actor, include_leavers=True).get(pk=pk)
    except (StaffMember.DoesNotExist, ValueError) as exc:
        raise Http404("No such staff member") from exc


def class_list(*, actor: Membership) -> QuerySet[SchoolClass]:
    if not permissions.sees_classes(actor):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(school=actor.school, is_active=True).prefetch_related("teachers")


def class_get(*, actor: Membership, pk: int) -> SchoolClass:
    try:
        return class_list(actor=actor).get(pk=pk)
    except (SchoolClass.DoesNotExist, ValueError) as exc:
        raise Http404("No such class") from exc


def staff_record_of(*, actor: Membership) -> StaffMember | None:
    return StaffMember.objects.filter(school=actor.school, user=actor.user).first()


def learner_summary_by_year(*, actor: Membership) -> list[dict[str, object]]:
    """Anonymised numbers on roll per year group (Reception first), for governors and leaders."""
    if not has_capability(actor.role, Capability.VIEW_SCHOOL_SUMMARY):
        return []
    rows = (
        Learner.objects.filter(school=actor.school, left_on__isnull=True).values("year_group").annotate(n=Count("pk"))
    )
    return sorted(rows, key=lambda row: _year_group_sort_key(row["year_group"]))


VULNERABILITY_FILTER_LABELS: dict[str, str] = {
    "send": "SEND",
    "looked_after": "Looked after",
    "previously_looked_after": "Previously looked after",
    "cp_plan": "Child protection plan",
    "cin_plan": "Child in need plan",
    "young_carer": "Young carer",
    "eal": "English as an additional language",
    "pupil_premium": "Pupil premium",
}


def _year_group_sort_key(year_group: str) -> tuple[int, int, str]:
    # Nursery and reception ("N", "R") come before the numbered years, and "10" after "9".
    return (1, int(year_group), "") if year_group.isdigit() else (0, 0, year_group)


def learner_year_groups(*, actor: Membership) -> list[str]:
    """The year groups of the learners the actor may see, for the learner filter (ROL-01)."""
    years = set(learner_list(actor=actor).values_list("year_group", flat=True))
    return sorted((y for y in years if y), key=_year_group_sort_key)


def learner_filter_classes(*, actor: Membership) -> QuerySet[SchoolClass]:
    """Classes that hold at least one learner the actor may see, so a filter never offers an empty class."""
    visible = learner_list(actor=actor).filter(school_class__isnull=False).values("school_class")
    return class_list(actor=actor).filter(pk__in=visible)


def _current_staff_q() -> Q:
    from django.utils import timezone

    # Matches StaffMember.is_current: a leaving date in the future still counts as current.
    return Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate())


STAFF_STATUSES = ("current", "left", "all")


def staff_search(*, actor: Membership, query: str = "", status: str = "current") -> QuerySet[StaffMember]:
    """The staff list filtered by name, job title or email and by current/left (ROL-01)."""
    qs = staff_list(actor=actor, include_leavers=True)
    if status == "current":
        qs = qs.filter(_current_staff_q())
    elif status == "left":
        qs = qs.exclude(_current_staff_q())
    for word in query.split()[:4]:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(email__icontains=word)
        )
    return qs


def staff_filter_current(qs: QuerySet[StaffMember], *, current: bool) -> QuerySet[StaffMember]:
    """Narrow a staff queryset already scoped by ``staff_list`` to current staff or to leavers."""
    return qs.filter(_current_staff_q()) if current else qs.exclude(_current_staff_q())


def class_list_with_counts(*, actor: Membership) -> QuerySet[SchoolClass]:
    """Classes with their current teachers (``current_teachers``) and learners on roll (``on_roll``).

    The count is a plain number, shown to everyone who may see classes; the names behind it
    still go through ``learner_list``.
    """
    from django.db.models import Count, Prefetch

    teachers = StaffMember.objects.filter(_current_staff_q()).order_by("last_name", "first_name")
    return (
        class_list(actor=actor)
        .prefetch_related(Prefetch("teachers", queryset=teachers, to_attr="current_teachers"))
        .annotate(on_roll=Count("learners", filter=Q(learners__left_on__isnull=True), distinct=True))
    )


def class_get_with_counts(*, actor: Membership, pk: int) -> SchoolClass:
    try:
        return class_list_with_counts(actor=actor).get(pk=pk)
    except (SchoolClass.DoesNotExist, ValueError) as exc:
        raise Http404("No such class") from exc
