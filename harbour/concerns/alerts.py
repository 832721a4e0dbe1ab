"""Who hears about a concern, and what they are told (REP-01, REP-09, REP-20, ROL-02, INC-YPSI-03, INC-STAFF-05).

The recipients mirror the visibility rules in ``permissions``/``selectors``: the DSL team hears about
ordinary concerns; an allegation about a member of staff goes to the head only, or to the chair of
governors when the head is the person it is about, and never to that person. On top of the routing,
one guard applies to every alert: nobody named in the concern and no parent or carer of a learner
in it is ever told anything automatically (REP-20), even if they also hold a staff role.

What goes out carries no names and no details: an email says that a concern exists at the school
and gives a link behind sign-in; an in-app notification gives the concern's reference only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Membership, User
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.concerns import routing
from harbour.concerns.models import Concern, ConcernShare, Notification
from harbour.people.models import Parent
from harbour.schools.models import School

logger = logging.getLogger("harbour.concerns.alerts")

DEFAULT_ACKNOWLEDGE_MINUTES = 60
# A mistyped setting of 0 would escalate every concern the moment it is logged.
MIN_ACKNOWLEDGE_MINUTES = 5

DSL_ROLES = (Role.DSL, Role.DEPUTY_DSL)


# --- timing ------------------------------------------------------------------------------------


def acknowledge_limit(school: School) -> timedelta:
    """How long the school gives its DSL team to acknowledge a new concern (REP-09)."""
    raw = school.policy_settings.get("acknowledge_within_minutes", DEFAULT_ACKNOWLEDGE_MINUTES)
    try:
        minutes = int(raw)
    except (TypeError, ValueError):
        logger.warning("School %s has an unreadable acknowledge_within_minutes: %r", school.slug, raw)
        minutes = DEFAULT_ACKNOWLEDGE_MINUTES
    return timedelta(minutes=max(minutes, MIN_ACKNOWLEDGE_MINUTES))


# --- recipients --------------------------------------------------------------------------------


def _members(school: School, *, roles: Iterable[str] = ()) -> list[User]:
    members = Membership.objects.filter(school=school, is_active=True, user__is_active=True, role__in=list(roles))
    return [m.user for m in members.select_related("user").order_by("user__email")]


def _never_told(concern: Concern) -> tuple[set[int], set[str]]:
    """User ids and addresses that must never get an automatic message about this concern (REP-20).

    Every member of staff the concern is about, and every parent or carer of a learner in it.
    """
    user_ids = routing.subject_user_ids(concern) | routing.excluded_by_conflict(concern)
    addresses = routing.subject_emails(concern)
    if "@" in concern.reporter_contact:
        addresses.add(concern.reporter_contact)
    addresses.update(
        Parent.objects.filter(links__learner__concern_involvements__concern=concern).values_list("email", flat=True)
    )
    return user_ids, {address.strip().lower() for address in addresses if address and address.strip()}


def _allowed(concern: Concern, users: Iterable[User]) -> list[User]:
    user_ids, addresses = _never_told(concern)
    seen: set[int] = set()
    allowed = []
    for user in users:
        if user.pk in seen or user.pk in user_ids or user.email.lower() in addresses:
            continue
        seen.add(user.pk)
        allowed.append(user)
    return allowed


def _allegation_route(concern: Concern) -> list[User]:
    """INC-STAFF-05: the head, or the head route (chair, second route, trust lead) when the head is named."""
    return _allowed(concern, routing.route_for(concern).users)


def new_concern_recipients(concern: Concern) -> list[User]:
    """Who is alerted the moment a concern is logged (REP-01, INC-YPSI-03, INC-STAFF-05).

    The reporter is left out: they already know. If nobody on the DSL team can be told (no one in
    post, or everyone is excluded by REP-20), the head is told at once instead of after the
    escalation delay (ROL-02). A DSL reporting with no deputy in post alerts nobody, but the concern
    still waits in the queue and escalates until someone acknowledges it.
    """
    if routing.has_subjects(concern):
        return [u for u in _allegation_route(concern) if u.pk != concern.reported_by_id]
    roles = [*DSL_ROLES]
    if concern.school.policy_settings.get("alert_head_on_new_concern"):
        roles.append(Role.HEADTEACHER)
    team = _allowed(concern, _members(concern.school, roles=roles))
    if not team:
        team = _allowed(concern, _members(concern.school, roles=[Role.HEADTEACHER]))
    return [u for u in team if u.pk != concern.reported_by_id]


def escalation_recipients(concern: Concern, level: int) -> list[User]:
    """REP-09, ROL-02: level 1 reaches the DSL and deputies again, level 2 the head.

    Concerns about staff stay on their own route at every level: deputies never learn of them.
    """
    if routing.has_subjects(concern):
        return _allegation_route(concern)
    if level <= 1:
        return _allowed(concern, _members(concern.school, roles=DSL_ROLES))
    return _allowed(concern, _members(concern.school, roles=[Role.HEADTEACHER]))


def manager_recipients(concern: Concern) -> list[User]:
    """Everyone who may work on the concern: the team, or the allegation route (REP-14 chases)."""
    if routing.has_subjects(concern):
        return _allegation_route(concern)
    return _allowed(concern, _members(concern.school, roles=[*DSL_ROLES, Role.HEADTEACHER]))


# --- sending -----------------------------------------------------------------------------------


def concern_link(concern: Concern) -> str:
    """The full address of the concern's page; opening it needs sign-in and need-to-know."""
    path = reverse("concerns:detail", kwargs={"school_slug": concern.school.slug, "pk": concern.pk})
    return f"{settings.SITE_URL}{path}"


def _email(user: User, *, subject: str, opening: str, link: str) -> EmailMessage:
    # Deliberately nothing but one sentence and a link: email leaves the school's control (REP-20).
    body = f"{opening}\n\nSign in to Harbour to see it:\n{link}\n"
    return EmailMessage(subject=subject, body=body, to=[user.email])


def notify(
    *,
    concern: Concern,
    users: Sequence[User],
    text: str,
    email_subject: str = "",
    email_opening: str = "",
) -> list[Notification]:
    """Give each user an in-app notification and, when a subject is given, an email after commit.

    Callers pass recipients from the functions above; REP-20 is re-applied here so no caller can
    forget it.
    """
    users = _allowed(concern, users)
    notifications = Notification.objects.bulk_create(
        [Notification(user=user, school=concern.school, concern=concern, text=text[:200]) for user in users]
    )
    if email_subject and users:
        link = concern_link(concern)
        messages = [
            _email(user, subject=email_subject, opening=email_opening, link=link) for user in users if user.email
        ]
        _send_after_commit(messages, f"concern {concern.pk}")
    return notifications


def notify_users(
    *,
    school: School,
    users: Sequence[User],
    text: str,
    link_path: str,
    email_subject: str = "",
    email_opening: str = "",
) -> int:
    """Notifications that are not about a concern (a policy to acknowledge, a filtering check due).

    Each user gets an in-app notification leading to ``link_path`` and, when a subject is given, an
    email after commit with one sentence (``email_opening``, else ``text``) and the link (REP-20).
    Returns how many were told.
    """
    Notification.objects.bulk_create(
        [Notification(user=user, school=school, text=text[:200], link=link_path) for user in users]
    )
    if email_subject and users:
        link = f"{settings.SITE_URL}{link_path}"
        opening = email_opening or text
        messages = [_email(user, subject=email_subject, opening=opening, link=link) for user in users if user.email]
        _send_after_commit(messages, f"{school.slug}: {email_subject}")
    return len(users)


def _send_after_commit(messages: list[EmailMessage], about: str) -> None:
    transaction.on_commit(lambda: _send(messages, about))


def _send(messages: list[EmailMessage], about: str) -> None:
    # A mail server outage must not undo the in-app notifications or stop the next escalation or
    # reminder: log loudly instead.
    try:
        get_connection().send_messages(messages)
    except OSError:
        logger.exception("Emails about %s could not be sent", about)


def alert_new_concern(concern: Concern) -> list[Notification]:
    """Tell whoever must know that a concern was logged (REP-01, INC-YPSI-03). Audited."""
    users = new_concern_recipients(concern)
    outside = _outside_addresses(concern)
    if not users and not outside:
        logger.error("Nobody could be alerted about concern %s at %s", concern.pk, concern.school.slug)
    with transaction.atomic():
        notifications = notify(
            concern=concern,
            users=users,
            text=f"New concern {concern.reference} is waiting to be acknowledged.",
            email_subject=f"New safeguarding concern at {concern.school.name}",
            email_opening=f"A new safeguarding concern has been logged at {concern.school.name}.",
        )
        _tell_outside(concern, outside)
        audit.record(
            action="concern.alert",
            school=concern.school,
            obj=concern,
            changes={"alerted": [None, [user.email for user in users] + outside]},
        )
    return notifications


def alert_staff_named(concern: Concern) -> list[Notification]:
    """A concern now names members of staff: tell its new route (INC-STAFF-05). Audited.

    The people named lose their unread notifications about it at the same moment (``services``).
    """
    users = _allegation_route(concern)
    outside = _outside_addresses(concern)
    with transaction.atomic():
        notifications = notify(
            concern=concern,
            users=users,
            text=f"Concern {concern.reference} has been passed to you to handle.",
            email_subject=f"A safeguarding concern at {concern.school.name} needs you",
            email_opening=f"A safeguarding concern at {concern.school.name} has been passed to you to handle.",
        )
        _tell_outside(concern, outside)
        audit.record(
            action="concern.alert",
            school=concern.school,
            obj=concern,
            changes={"alerted": [None, [user.email for user in users] + outside]},
        )
    return notifications


def _outside_addresses(concern: Concern) -> list[str]:
    """The LADO's address when the school's route for allegations about the head is the LADO."""
    if not routing.has_subjects(concern):
        return []
    _, never = _never_told(concern)
    return [e for e in routing.route_for(concern).emails if e.strip().lower() not in never]


def _tell_outside(concern: Concern, addresses: list[str]) -> None:
    # Someone outside Harbour with no login: one sentence, the school and the reference, no detail.
    if not addresses:
        return
    body = (
        f"An allegation about a senior member of staff at {concern.school.name} has been logged "
        f"(reference {concern.reference}). The school has asked for it to come to you. "
        "Please contact the school's office to arrange to hear it.\n"
    )
    messages = [
        EmailMessage(subject=f"Allegation about staff at {concern.school.name}", body=body, to=[address])
        for address in addresses
    ]
    _send_after_commit(messages, f"concern {concern.pk} (outside route)")


# --- the user's own notifications --------------------------------------------------------------


def notification_list(*, actor: Membership) -> QuerySet[Notification]:
    """The actor's own notifications in this school, newest first.

    A notification about a concern the actor may no longer open (they were named in it, or have a
    conflict of interest) is hidden: it must not tell them the concern exists (INC-STAFF-05).
    """
    from harbour.concerns.selectors import concern_list

    return Notification.objects.filter(user=actor.user, school=actor.school).filter(
        Q(concern__isnull=True) | Q(concern__in=concern_list(actor=actor).order_by().values("pk"))
    )


def unread_count(*, user: User, school: School) -> int:
    """How many notifications the user has not read yet in this school (for the page header)."""
    if not user.is_authenticated:
        return 0
    # The header count must not hint at a concern the user may not open (named in it, or a parent
    # of a learner in it and not cleared by the DSL): the same rows the list hides.
    about_me = routing.concern_ids_naming(school, user)
    conflicted = routing.conflicted_concern_ids(school=school, user=user)
    shared = ConcernShare.objects.filter(user=user, revoked_at__isnull=True).values("concern_id")
    return (
        Notification.objects.filter(user=user, school=school, read_at__isnull=True)
        .exclude(concern__in=about_me)
        .exclude(Q(concern__in=conflicted) & ~Q(concern__in=shared))
        .count()
    )


def clear_for_subjects(concern: Concern) -> int:
    """Mark read every unread notification about the concern held by someone it is about."""
    user_ids = routing.subject_user_ids(concern) | routing.excluded_by_conflict(concern)
    return Notification.objects.filter(concern=concern, user_id__in=user_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_read(*, actor: Membership, notification_id: str) -> int:
    """Mark one of the actor's notifications read, or all of them with ``"all"``. Returns how many.

    Someone else's notification, or one that does not exist, is a 404: nobody learns it exists.
    """
    mine = notification_list(actor=actor).filter(read_at__isnull=True)
    if notification_id == "all":
        target = mine
    elif notification_id.isdigit():
        if not notification_list(actor=actor).filter(pk=int(notification_id)).exists():
            raise Http404("No such notification")
        target = mine.filter(pk=int(notification_id))
    else:
        raise ValidationError("Choose a notification to mark as read.")
    with transaction.atomic():
        count = target.update(read_at=timezone.now())
        if count:
            audit.record(action="notification.read", actor=actor, changes={"read": [None, count]})
    return count
