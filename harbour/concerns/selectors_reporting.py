"""Reads for the reporting side: the pickers on the report form, receipts, the public form's school.

The learner picker deliberately reaches past the usual need-to-know rule (see
``learner_choices_for_report``); everything else here narrows what ``harbour.concerns.selectors``
already allows, so a reporter never learns more about a concern than what they sent (REP-07).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns import categories, permissions, routing, selectors
from harbour.concerns.models import Attachment, Concern, ConcernEntry, ConcernLearner, ConcernStaffSubject
from harbour.people.models import Learner, StaffMember
from harbour.schools.models import School

SEARCH_LIMIT = 10
MIN_QUERY_LENGTH = 2
MAX_CHOSEN_LEARNERS = 30
# Learners are attached in the same transaction as the report; anything added later is the
# safeguarding team's work, which the receipt must not show (REP-07).
_SENT_WITH_REPORT = timedelta(minutes=1)


@dataclass(frozen=True)
class LearnerChoice:
    """What the picker may show about a learner: a name to recognise and a class to tell namesakes apart."""

    id: int
    name: str
    class_name: str


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str


@dataclass(frozen=True)
class SentLearner:
    name: str
    class_name: str
    part: str


@dataclass(frozen=True)
class Receipt:
    """A reporter's copy of what they sent, plus the three-state status (REP-07).

    Built field by field from the concern so a template or serializer handed a receipt can never
    reach the safeguarding team's notes, decisions, risk grade or outcome.
    """

    id: int
    reference: str
    status: str
    reported_at: datetime
    category: categories.Category
    occurred_at: datetime
    location: str
    equipment: str
    summary: str
    description: str
    childs_own_words: str
    immediate_actions: str
    on_behalf_of_learner: bool
    learners: tuple[SentLearner, ...]
    subject_staff_name: str
    # Where it went, as a role ("the chair of governors"), never a person's name (INC-STAFF-05).
    sent_to: str


_SENT_SUBJECTS = Prefetch("staff_subjects", queryset=ConcernStaffSubject.objects.select_related("staff"))
_SENT_INVOLVEMENTS = Prefetch(
    "involvements", queryset=ConcernLearner.objects.select_related("learner__school_class").order_by("id")
)


# --- the learner and staff pickers -------------------------------------------------------------


def _current_learners(school: School) -> QuerySet[Learner]:
    today = timezone.localdate()
    return Learner.objects.filter(school=school).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))


def _as_choices(queryset: QuerySet[Learner]) -> list[LearnerChoice]:
    # values_list, not model instances: the vulnerability flags are never even loaded.
    rows = queryset.values_list("pk", "first_name", "preferred_name", "last_name", "school_class__name")
    return [
        LearnerChoice(id=pk, name=f"{preferred or first} {last}".strip(), class_name=class_name or "")
        for pk, first, preferred, last, class_name in rows
    ]


def learner_choices_for_report(*, actor: Membership, query: str) -> list[LearnerChoice]:
    """Up to ten current learners of the actor's school matching ``query`` by name or UPN (REP-01, REP-05).

    Need-to-know trade-off: elsewhere a teacher sees only the learners of the classes they teach
    (ROL-01). A concern, though, is often about a child the reporter does not teach (a learner
    seen in the corridor, on the bus, in another class's chat), and a report that cannot name the
    child is a weaker report (REP-05). So anyone who may log a concern may search the whole
    school's current roll here, but the answer is cut down to what identifying a child needs:
    name and class only — never date of birth, flags, family or any other record — at most ten
    matches, only after two typed characters, and every search is written to the audit trail as
    ``learner.search`` so unusual browsing can be spotted.
    """
    query = " ".join(query.split())[:100]
    if not permissions.can_report(actor) or len(query) < MIN_QUERY_LENGTH:
        return []
    learners = _current_learners(actor.school)
    for word in query.split()[:4]:
        learners = learners.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(upn__iexact=word)
        )
    choices = _as_choices(learners.order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT])
    audit.record(action="learner.search", actor=actor, changes={"query": query, "matches": len(choices)})
    return choices


def learner_choices_by_id(*, actor: Membership, ids: Sequence[int]) -> list[LearnerChoice]:
    """The learners already picked on a report form, in the order picked; unknown ids drop out.

    The ids come from the browser, so this is a lookup like any search: same name-and-class
    shape, same audit event.
    """
    wanted = list(dict.fromkeys(ids))[:MAX_CHOSEN_LEARNERS]
    if not permissions.can_report(actor) or not wanted:
        return []
    found = {choice.id: choice for choice in _as_choices(_current_learners(actor.school).filter(pk__in=wanted))}
    audit.record(action="learner.search", actor=actor, changes={"ids": wanted})
    return [found[pk] for pk in wanted if pk in found]


def staff_choices_for_report(*, actor: Membership) -> list[StaffChoice]:
    """Current staff by name only, for naming the adult in a concern about a member of staff (INC-STAFF-01)."""
    if not permissions.can_report(actor):
        return []
    today = timezone.localdate()
    rows = (
        StaffMember.objects.filter(school=actor.school)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name")
    )
    return [StaffChoice(id=pk, name=f"{first} {last}".strip()) for pk, first, last in rows]


# --- receipts ----------------------------------------------------------------------------------


def _category_as_sent() -> Subquery:
    reported = ConcernEntry.objects.filter(concern=OuterRef("pk"), kind=ConcernEntry.Kind.REPORTED).order_by("id")
    return Subquery(reported.values("data__category")[:1])


def _routed_as_sent() -> Subquery:
    # Where it went when sent: a later re-routing by the team is their judgement, not the receipt's.
    reported = ConcernEntry.objects.filter(concern=OuterRef("pk"), kind=ConcernEntry.Kind.REPORTED).order_by("id")
    return Subquery(reported.values("data__routed_to")[:1])


def receipt_rows(*, actor: Membership) -> QuerySet[Concern]:
    """The actor's own reports, each with ``category_as_sent``.

    The category the reporter chose, not the current one: a re-categorisation is the team's
    judgement and not for the receipt (REP-07).
    """
    return (
        selectors.receipt_list(actor=actor)
        .annotate(category_as_sent=_category_as_sent(), routed_as_sent=_routed_as_sent())
        .prefetch_related(_SENT_INVOLVEMENTS, _SENT_SUBJECTS)
    )


def _sent_learners(concern: Concern) -> tuple[SentLearner, ...]:
    cutoff = concern.reported_at + _SENT_WITH_REPORT
    involvements = [i for i in concern.involvements.all() if i.added_at <= cutoff]
    return tuple(
        SentLearner(
            name=involvement.learner.full_name,
            class_name=involvement.learner.school_class.name if involvement.learner.school_class else "",
            part=involvement.get_part_display(),
        )
        for involvement in involvements
    )


def _sent_subjects(concern: Concern) -> str:
    """The staff the reporter named when sending; names added later are the team's business (REP-07)."""
    cutoff = concern.reported_at + _SENT_WITH_REPORT
    links = concern.staff_subjects.all()
    return ", ".join(link.staff.full_name for link in links if link.added_at <= cutoff)


def receipt_from(concern: Concern) -> Receipt:
    """The receipt view of a concern the caller already obtained as the actor's own report."""
    sent_category = concern.category_as_sent if hasattr(concern, "category_as_sent") else None
    category = categories.BY_ID.get(sent_category or concern.category) or categories.get(concern.category)
    return Receipt(
        id=concern.pk,
        reference=concern.reference,
        status=selectors.receipt_status(concern),
        reported_at=concern.reported_at,
        category=category,
        occurred_at=concern.occurred_at,
        location=concern.get_location_display(),
        equipment=concern.get_equipment_display(),
        summary=concern.summary,
        description=concern.description,
        childs_own_words=concern.childs_own_words,
        immediate_actions=concern.immediate_actions,
        on_behalf_of_learner=concern.reporter_kind == Concern.ReporterKind.ON_BEHALF,
        learners=_sent_learners(concern),
        subject_staff_name=_sent_subjects(concern),
        sent_to=routing.RECEIPT_WORDS.get(
            getattr(concern, "routed_as_sent", None) or concern.routed_to or routing.TEAM,
            routing.RECEIPT_WORDS[routing.TEAM],
        ),
    )


def receipt_detail(*, actor: Membership, pk: int | str) -> Receipt:
    """One of the actor's own reports as a receipt, or 404 (anybody else's report). Audited (REP-07)."""
    try:
        concern = receipt_rows(actor=actor).get(pk=pk)
    except (Concern.DoesNotExist, ValueError) as exc:
        raise Http404("No such report") from exc
    audit.record(action="concern.receipt_view", actor=actor, obj=concern)
    return receipt_from(concern)


def visible_attachments(*, concern: Concern) -> QuerySet[Attachment]:
    """Files of a concern the caller already opened through ``concern_get``; withheld or destroyed ones
    never, and hidden or superseded ones only on the attachments endpoint, for the team (REP-08)."""
    return concern.attachments.filter(
        withheld_at__isnull=True, destroyed_at__isnull=True, hidden_at__isnull=True, superseded_by__isnull=True
    )


def concern_list_viewed(*, actor: Membership, concerns: Iterable[Concern]) -> None:
    """Audit one page of a concern list (REP-07: every view is logged, lists included)."""
    ids = [concern.pk for concern in concerns]
    if ids:
        audit.record(action="concern.list", actor=actor, changes={"ids": ids})


# --- the public form ---------------------------------------------------------------------------


def school_for_public_report(*, slug: str) -> School:
    """The school behind /report/<slug>/, or 404 for an unknown or inactive one (REP-03)."""
    school = School.objects.filter(slug=slug, is_active=True).first()
    if school is None:
        raise Http404("No such school")
    return school
