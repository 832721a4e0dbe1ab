"""The DSL's work queue (REP-26): everything waiting on the safeguarding team, most urgent first.

Every section starts from ``selectors.concern_list(actor=...)``, so the queue can never show a
concern the actor could not open (an allegation stays with the head or the chair; nobody sees one
about themselves). Each section is one SQL query and is capped, so the page costs the same number
of queries whatever the school's history holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns import alerts, categories, permissions, selectors
from harbour.concerns.models import Attachment, ChecklistStep, Concern, FollowUp, Referral

# Steps are expected to be under way within a day of the report.
STEPS_DUE_AFTER = timedelta(hours=24)
SOON = timedelta(days=1)
SECTION_LIMIT = 100


class Urgency:
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


URGENCY_LABELS = {Urgency.OVERDUE: "Overdue", Urgency.SOON: "Due within a day", Urgency.LATER: "Not due yet"}
URGENCY_BADGES = {Urgency.OVERDUE: "badge--danger", Urgency.SOON: "badge--warn", Urgency.LATER: "badge--info"}


def urgency(due_at: datetime | None, now: datetime) -> str:
    if due_at is None or due_at <= now:
        return Urgency.OVERDUE
    return Urgency.SOON if due_at - now <= SOON else Urgency.LATER


@dataclass(frozen=True)
class QueueItem:
    concern_id: int
    reference: str
    category: str
    task: str
    due_at: datetime | None
    urgency: str

    @property
    def badge_class(self) -> str:
        return URGENCY_BADGES[self.urgency]

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]


@dataclass
class QueueSection:
    key: str
    title: str
    empty_text: str
    items: list[QueueItem] = field(default_factory=list)
    truncated: bool = False

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.urgency == Urgency.OVERDUE)


@dataclass
class WorkQueue:
    sections: list[QueueSection]

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)


def can_use_queue(actor: Membership) -> bool:
    """The DSL team, and whoever handles allegations (the chair of governors for the head)."""
    return actor.pk is not None and (permissions.is_team(actor) or permissions.handles_allegations(actor))


def _label(category_id: str) -> str:
    category = categories.BY_ID.get(category_id)
    return category.label if category else category_id


def _item(
    concern_id: int, reference: str, category: str, task: str, due_at: datetime | None, now: datetime
) -> QueueItem:
    return QueueItem(concern_id, reference, _label(category), task, due_at, urgency(due_at, now))


def _capped(rows: list) -> tuple[list, bool]:
    return rows[:SECTION_LIMIT], len(rows) > SECTION_LIMIT


def _visible_ids(actor: Membership) -> QuerySet:
    return selectors.concern_list(actor=actor).order_by().values("pk")


# --- sections ----------------------------------------------------------------------------------


def _unacknowledged(actor: Membership, now: datetime) -> QueueSection:
    limit = alerts.acknowledge_limit(actor.school)
    rows = list(
        selectors.concern_list(actor=actor)
        .filter(status=Concern.Status.NEW, acknowledged_at__isnull=True)
        .order_by("reported_at", "pk")
        .values_list("pk", "reference", "category", "reported_at", "escalation_level")[: SECTION_LIMIT + 1]
    )
    rows, truncated = _capped(rows)
    escalation = {0: "Acknowledge", 1: "Acknowledge — escalated to deputies", 2: "Acknowledge — escalated to the head"}
    items = [
        _item(pk, ref, cat, escalation.get(level, escalation[2]), reported_at + limit, now)
        for pk, ref, cat, reported_at, level in rows
    ]
    return QueueSection(
        "unacknowledged", "Waiting to be acknowledged", "Every new concern has been acknowledged.", items, truncated
    )


def _overdue_steps(actor: Membership, now: datetime) -> QueueSection:
    rows = list(
        selectors.concern_list(actor=actor)
        .exclude(status=Concern.Status.CLOSED)
        .filter(reported_at__lt=now - STEPS_DUE_AFTER)
        .annotate(open_steps=Count("steps", filter=Q(steps__state=ChecklistStep.State.OPEN)))
        .filter(open_steps__gt=0)
        .order_by("reported_at", "pk")
        .values_list("pk", "reference", "category", "reported_at", "open_steps")[: SECTION_LIMIT + 1]
    )
    rows, truncated = _capped(rows)
    items = [
        _item(pk, ref, cat, f"{n} checklist step{'' if n == 1 else 's'} still open", reported_at + STEPS_DUE_AFTER, now)
        for pk, ref, cat, reported_at, n in rows
    ]
    return QueueSection("steps", "Checklist steps overdue", "No checklist is more than a day behind.", items, truncated)


def _referral_chases(actor: Membership, now: datetime) -> QueueSection:
    """Open chase follow-ups, plus referrals awaiting acknowledgement that have no chase of their own."""
    visible = _visible_ids(actor)
    chases = list(
        FollowUp.objects.filter(kind=FollowUp.Kind.REFERRAL_CHASE, done_at__isnull=True, not_needed_reason="")
        .filter(concern__in=visible)
        .order_by("due_at", "pk")
        .values_list("concern_id", "concern__reference", "concern__category", "referral__agency", "due_at")[
            : SECTION_LIMIT + 1
        ]
    )
    pending = list(
        Referral.objects.filter(concern__in=visible, acknowledgement_due_at__isnull=False, acknowledged_at__isnull=True)
        # The isnull filter matters: one NULL in a NOT IN list would hide every referral.
        .exclude(
            pk__in=FollowUp.objects.filter(kind=FollowUp.Kind.REFERRAL_CHASE, referral__isnull=False).values(
                "referral_id"
            )
        )
        .order_by("acknowledgement_due_at", "pk")
        .values_list("concern_id", "concern__reference", "concern__category", "agency", "acknowledgement_due_at")[
            : SECTION_LIMIT + 1
        ]
    )
    agencies = dict(Referral.Agency.choices)
    rows = sorted(chases + pending, key=lambda row: row[4])
    rows, truncated = _capped(rows)
    items = [
        _item(pk, ref, cat, f"Chase acknowledgement: {agencies.get(agency, 'referral')}", due_at, now)
        for pk, ref, cat, agency, due_at in rows
    ]
    return QueueSection(
        "referrals", "Referrals to chase", "No referral is waiting for an acknowledgement.", items, truncated
    )


def _follow_ups(
    actor: Membership, now: datetime, *, kinds: list[str], key: str, title: str, empty: str
) -> QueueSection:
    rows = list(
        FollowUp.objects.filter(kind__in=kinds, done_at__isnull=True, not_needed_reason="")
        .filter(concern__in=_visible_ids(actor))
        .order_by("due_at", "pk")
        .values_list("concern_id", "concern__reference", "concern__category", "kind", "due_at")[: SECTION_LIMIT + 1]
    )
    rows, truncated = _capped(rows)
    labels = dict(FollowUp.Kind.choices)
    items = [_item(pk, ref, cat, labels[kind], due_at, now) for pk, ref, cat, kind, due_at in rows]
    return QueueSection(key, title, empty, items, truncated)


def _withheld_files(actor: Membership, now: datetime) -> QueueSection:
    """INC-YPSI-13: files made unreachable that still have to be destroyed. Names are never shown.

    Due by the concern's open destruction follow-up when there is one; otherwise at once.
    """
    open_destruction = Q(
        concern__follow_ups__kind=FollowUp.Kind.FILE_DESTRUCTION, concern__follow_ups__done_at__isnull=True
    )
    rows = list(
        Attachment.objects.filter(withheld_at__isnull=False, destroyed_at__isnull=True)
        .filter(concern__in=_visible_ids(actor))
        .values("concern_id", "concern__reference", "concern__category")
        .annotate(
            files=Count("pk", distinct=True),
            since=Min("withheld_at"),
            due_at=Min("concern__follow_ups__due_at", filter=open_destruction),
        )
        .order_by("since", "concern_id")[: SECTION_LIMIT + 1]
    )
    rows, truncated = _capped(rows)
    items = [
        _item(
            row["concern_id"],
            row["concern__reference"],
            row["concern__category"],
            f"{row['files']} withheld file{'' if row['files'] == 1 else 's'} to destroy",
            row["due_at"],
            now,
        )
        for row in rows
    ]
    items.sort(key=lambda item: (item.due_at is not None, item.due_at or now))
    return QueueSection("withheld", "Withheld files to destroy", "No withheld file is waiting.", items, truncated)


def work_queue(*, actor: Membership, now: datetime | None = None) -> WorkQueue:
    """Everything waiting on the actor, section by section (REP-26). Opening the queue is audited."""
    now = now or timezone.now()
    sections = [
        _unacknowledged(actor, now),
        _overdue_steps(actor, now),
        _referral_chases(actor, now),
        _follow_ups(
            actor,
            now,
            kinds=[FollowUp.Kind.DEBRIEF],
            key="debriefs",
            title="Debriefs to hold",
            empty="No debrief is open.",
        ),
        _follow_ups(
            actor,
            now,
            # File destruction is listed with the withheld files themselves, below.
            kinds=[FollowUp.Kind.COPY_DELETION],
            key="deletions",
            title="Copy deletions to confirm",
            empty="No deletion of copies is waiting to be confirmed.",
        ),
        _withheld_files(actor, now),
    ]
    audit.record(action="concern.queue_view", actor=actor, changes={"items": [None, sum(s.count for s in sections)]})
    return WorkQueue(sections)
