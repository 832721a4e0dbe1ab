"""Read-and-acknowledge requests for each published version, answers and chases (ROL-09).

Publishing a version asks every active member of the chosen groups (staff roles by default,
governors when the school adds them) to read the policy and confirm they will follow it. The
weekly chase reminds whoever has not answered, and also asks people who joined after publication.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.policy import notify, permissions
from harbour.policy.models import Acknowledgement, PolicyVersion

# Everyone the policies call staff and who holds a school login (ROL-09).
STAFF_ROLES: tuple[str, ...] = (
    Role.DSL,
    Role.DEPUTY_DSL,
    Role.HEADTEACHER,
    Role.SLT,
    Role.TEACHER,
    Role.SUPPORT_STAFF,
    Role.TECHNICIAN,
    Role.OFFICE,
    Role.SCHOOL_ADMIN,
)
# Groups the school can choose on the publish form.
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "staff": ("All staff", STAFF_ROLES),
    "governors": ("Governors", (Role.GOVERNOR,)),
}
DEFAULT_GROUPS = ("staff",)
CHASE_EVERY = timedelta(days=7)
MANUAL_CHASE_GAP = timedelta(hours=20)

YEAR = timedelta(days=365)

ANNUAL_TEXT = "It is time to read the online safety policy again this year and confirm you have read it."
REQUEST_TEXT = "A new version of the online safety policy is published. Please read it and confirm."
CHASE_TEXT = "Reminder: please read the online safety policy and confirm you have read it."


def roles_for_groups(groups: Iterable[str]) -> list[str]:
    roles: list[str] = []
    for group in groups:
        if group not in GROUPS:
            raise ValidationError(f"Unknown group {group!r}; choose from: {', '.join(GROUPS)}.")
        roles.extend(r for r in GROUPS[group][1] if r not in roles)
    return roles


def clean_roles(roles: Iterable[str] | None) -> list[str]:
    """The role keys to ask; staff by default. Unknown keys are refused with the valid ones listed."""
    if roles is None:
        return roles_for_groups(DEFAULT_GROUPS)
    valid = {str(r) for r in Role}
    cleaned: list[str] = []
    for role in roles:
        if role not in valid:
            raise ValidationError(f"Unknown role {role!r}; choose from: {', '.join(sorted(valid))}.")
        if role not in cleaned:
            cleaned.append(str(role))
    if not cleaned:
        raise ValidationError("Choose at least one group to ask for acknowledgement.")
    return cleaned


def _link(version: PolicyVersion) -> str:
    return reverse("policy:acknowledge", kwargs={"school_slug": version.school.slug})


def _members(version: PolicyVersion) -> list[Membership]:
    return list(
        Membership.objects.filter(
            school=version.school_id, role__in=version.acknowledgement_roles, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__email", "pk")
    )


def current_cycle(version: PolicyVersion, now: datetime | None = None) -> int:
    """ROL-09 "each year": 1 in the version's first year in force, 2 in its second, and so on."""
    start = version.published_at or version.created_at
    if start is None:
        return 1
    return 1 + max(0, ((now or timezone.now()) - start) // YEAR)


def acknowledgement_request_all(
    *, actor: Membership | None, version: PolicyVersion, now: datetime | None = None, email: bool = True
) -> list[Acknowledgement]:
    """Ask every member of the version's groups not yet asked this year (ROL-09). Returns the new requests.

    Run daily: it asks people who joined since publication and, once a version has been in force a
    year, asks everyone again. ``email=False`` (demo data) leaves only the in-app notification.
    """
    if version.status != PolicyVersion.Status.PUBLISHED:
        return []
    cycle = current_cycle(version, now)
    asked = set(Acknowledgement.objects.filter(version=version, cycle=cycle).values_list("user_id", flat=True))
    created: list[Acknowledgement] = []
    with transaction.atomic():
        for member in _members(version):
            if member.user_id in asked:
                continue
            asked.add(member.user_id)
            created.append(
                Acknowledgement.objects.create(
                    school=version.school,
                    version=version,
                    user=member.user,
                    membership=member,
                    role=member.role,
                    cycle=cycle,
                    requested_at=now or timezone.now(),
                )
            )
        if created:
            notify.notify_users(
                school=version.school,
                users=[ack.user for ack in created],
                text=REQUEST_TEXT if cycle == 1 else ANNUAL_TEXT,
                email_subject=f"Online safety policy to read at {version.school.name}" if email else "",
                link_path=_link(version),
            )
            audit.record(
                action="policy_ack.request",
                actor=actor,
                school=version.school,
                obj=version,
                changes={"requested": [None, len(created)], "cycle": [None, cycle]},
            )
    return created


def acknowledgement_record(*, actor: Membership, acknowledgement: Acknowledgement) -> Acknowledgement:
    """The actor confirms they have read the version and will follow it (ROL-09). Only their own request."""
    if not permissions.can_acknowledge(actor):
        raise PermissionDenied
    if acknowledgement.user_id != actor.user_id or acknowledgement.school_id != actor.school_id:
        raise PermissionDenied
    with transaction.atomic():
        ack = Acknowledgement.objects.select_for_update().get(pk=acknowledgement.pk)
        if ack.acknowledged_at is not None:
            return ack
        ack.acknowledged_at = timezone.now()
        ack.save(update_fields=["acknowledged_at"])
        audit.record(
            action="policy_ack.acknowledge",
            actor=actor,
            obj=ack,
            changes={"acknowledged_at": [None, ack.acknowledged_at.isoformat()]},
        )
    return ack


def acknowledgement_chase(
    *, actor: Membership | None, version: PolicyVersion, now: datetime | None = None, gap: timedelta | None = None
) -> int:
    """Remind everyone who has not acknowledged ``version`` and was not reminded within ``gap``.

    The button on the report (``actor`` given) uses a short gap so a double click sends once; the
    weekly job uses ``CHASE_EVERY``. Returns how many people were reminded.
    """
    if actor is not None and not (permissions.can_manage(actor) and actor.school_id == version.school_id):
        raise PermissionDenied
    if version.status != PolicyVersion.Status.PUBLISHED:
        raise ValidationError("Only the version in force is chased.")
    now = now or timezone.now()
    gap = gap or (MANUAL_CHASE_GAP if actor is not None else CHASE_EVERY)
    # The weekly job leaves fresh requests alone for a week; the button chases everyone waiting.
    asked_before = now - gap if actor is None else now
    with transaction.atomic():
        pending = (
            Acknowledgement.objects.select_for_update()
            .filter(version=version, cycle=current_cycle(version, now), acknowledged_at__isnull=True)
            .filter(requested_at__lte=asked_before)
            .filter(Q(last_chased_at__isnull=True) | Q(last_chased_at__lte=now - gap))
            .select_related("user")
        )
        pending = list(pending)
        if not pending:
            return 0
        ids = [ack.pk for ack in pending]
        for ack in pending:
            Acknowledgement.objects.filter(pk=ack.pk).update(last_chased_at=now, chase_count=ack.chase_count + 1)
        notify.notify_users(
            school=version.school,
            users=[ack.user for ack in pending],
            text=CHASE_TEXT,
            email_subject=f"Reminder: online safety policy to read at {version.school.name}",
            link_path=_link(version),
        )
        audit.record(
            action="policy_ack.chase",
            actor=actor,
            school=version.school,
            obj=version,
            changes={"chased": [None, len(ids)]},
        )
    return len(ids)
