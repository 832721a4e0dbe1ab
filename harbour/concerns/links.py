"""Records that belong together (INC-CYB-04).

When a cyberbullying concern turns out to be abuse between children, staff escalate it: a new
peer-on-peer abuse concern is opened for the DSL (alerted like any new concern) and the two are
linked both ways, so each record shows the other and nothing is lost or rewritten on the first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns import permissions, selectors, services
from harbour.concerns.models import Concern, ConcernEntry, ConcernLink

ESCALATES_FROM = "cyberbullying"
ESCALATES_TO = "peer_on_peer_abuse"


def may_escalate_as_abuse(actor: Membership, concern: Concern) -> bool:
    """Staff who can see a cyberbullying concern (the team, or a colleague it is shared with)."""
    return (
        concern.category == ESCALATES_FROM
        and concern.status != Concern.Status.CLOSED
        and permissions.can_report(actor)
        and not permissions.is_subject(actor, concern)
        and not escalation_of(concern=concern)
    )


def escalation_of(*, concern: Concern) -> ConcernLink | None:
    return ConcernLink.objects.filter(from_concern=concern, kind=ConcernLink.Kind.ESCALATED_AS_ABUSE).first()


def concern_escalate_as_abuse(*, actor: Membership, concern: Concern, reason: str) -> Concern:
    """Open a peer-on-peer abuse concern from a cyberbullying one and link the two (INC-CYB-04)."""
    if concern.category != ESCALATES_FROM:
        raise ValidationError("Only a cyberbullying concern is escalated this way; change the category instead.")
    if escalation_of(concern=concern) is not None:
        raise ValidationError("This concern has already been escalated as abuse between children.")
    if concern.status == Concern.Status.CLOSED:
        raise ValidationError("This concern is closed. Reopen it, or report a new concern.")
    if not may_escalate_as_abuse(actor, concern):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this amounts to abuse between children."]})
    with transaction.atomic():
        Concern.objects.select_for_update().filter(pk=concern.pk).first()  # one escalation at a time
        if escalation_of(concern=concern) is not None:
            raise ValidationError("This concern has already been escalated as abuse between children.")
        involvements = [services.Involvement(i.learner_id, i.part) for i in concern.involvements.all()]
        # The members of staff the first concern names stay named: the new one then takes the same
        # route and stays closed to them, instead of reaching the team they may belong to (INC-STAFF-05).
        named_staff = list(concern.subject_staff.values_list("pk", flat=True))
        escalated = services.concern_report(
            actor=actor,
            category=ESCALATES_TO,
            occurred_at=min(concern.occurred_at, timezone.now()),
            summary=concern.summary,
            description=f"Escalated from {concern.reference} (cyberbullying).\n\n{reason.strip()}",
            involvements=involvements,
            location=concern.location,
            equipment=concern.equipment,
            subject_staff_ids=named_staff,
        )
        link = ConcernLink.objects.create(
            from_concern=concern,
            to_concern=escalated,
            kind=ConcernLink.Kind.ESCALATED_AS_ABUSE,
            reason=reason.strip(),
            created_by=actor.user,
        )
        for own, other, direction in ((concern, escalated, "to"), (escalated, concern, "from")):
            services.log_entry(
                concern=own,
                kind=ConcernEntry.Kind.LINK,
                author=actor.user,
                text=reason.strip(),
                data={"link_id": link.pk, "kind": link.kind, "direction": direction, "other_id": other.pk},
            )
        audit.record(
            action="concern.escalate_as_abuse",
            actor=actor,
            obj=concern,
            changes={"escalated_to": [None, escalated.reference]},
        )
    return escalated


def linked_concerns(*, actor: Membership, concern: Concern) -> list[tuple[ConcernLink, Concern, str]]:
    """The concern's links with the other record, as far as the actor may see it.

    A link to a record the actor may not open is left out, so the link itself tells nobody that
    another concern exists.
    """
    links: QuerySet[ConcernLink] = ConcernLink.objects.filter(
        Q(from_concern=concern) | Q(to_concern=concern)
    ).select_related("from_concern", "to_concern")
    visible = set(
        selectors.concern_list(actor=actor)
        .filter(pk__in=[pk for link in links for pk in (link.from_concern_id, link.to_concern_id)])
        .values_list("pk", flat=True)
    )
    rows = []
    for link in links:
        outgoing = link.from_concern_id == concern.pk
        other = link.to_concern if outgoing else link.from_concern
        if other.pk in visible:
            rows.append((link, other, "Escalated as" if outgoing else "Escalated from"))
    return rows
