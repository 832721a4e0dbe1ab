"""Audit doors of the concerns app (harbour.audit.doors): an event about a concern, or about a
file or follow-up of one, is shown only to people who may open that concern (issue 12 point 3,
INC-STAFF-05). Only ``concern_list`` decides, so a change to who sees a concern changes who
sees its trail too. Mentions of concerns inside other events' ``changes`` are scrubbed the same way."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from harbour.accounts.models import Membership
from harbour.audit.doors import register, register_scrubber
from harbour.audit.models import AuditEvent
from harbour.concerns.models import Attachment, Concern, FollowUp
from harbour.concerns.selectors import concern_list


@register("concerns.concern")
def visible_concerns(actor: Membership) -> QuerySet[Concern]:
    return concern_list(actor=actor)


@register("concerns.attachment")
def visible_attachments(actor: Membership) -> QuerySet[Attachment]:
    return Attachment.objects.filter(concern__in=concern_list(actor=actor).values("pk"))


@register("concerns.followup")
def visible_follow_ups(actor: Membership) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(concern__in=concern_list(actor=actor).values("pk"))


# Keys of ``changes`` that name concerns, by pk or reference, in events about other records
# (a learner's chronology, a filtering breach, an alert) or in the reporter's list of receipts.
_CONCERN_KEYS = ("concern", "concerns")
_ID_KEYS_BY_ACTION = {"concern.list": "ids"}


def _values(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _mentions(event: AuditEvent) -> list[tuple[str, object]]:
    changes = event.changes if isinstance(event.changes, dict) else {}
    keys = [*_CONCERN_KEYS, _ID_KEYS_BY_ACTION.get(event.action, "")]
    return [(key, changes[key]) for key in keys if key and key in changes]


@register_scrubber
def hide_unseen_concerns(actor: Membership, events: list[AuditEvent]) -> None:
    """Leave out of each event's ``changes`` the concerns the reader may not open: a head reading
    a chronology view must not learn the reference of an allegation about them (issue 12 point 3)."""
    tokens = {
        str(value)
        for event in events
        for _key, raw in _mentions(event)
        for value in _values(raw)
        if value not in (None, "")
    }
    if not tokens:
        return
    pks = [int(token) for token in tokens if token.isdigit()]
    visible = concern_list(actor=actor).filter(Q(pk__in=pks) | Q(reference__in=tokens)).values_list("pk", "reference")
    seen = {str(pk) for pk, _ in visible} | {reference for _, reference in visible}
    for event in events:
        mentions = _mentions(event)
        if not mentions:
            continue
        changes = dict(event.changes)
        for key, raw in mentions:
            if isinstance(raw, list | tuple):
                kept = [value for value in raw if value in (None, "") or str(value) in seen]
                hidden = len(kept) != len(raw)
                # An [old, new] pair whose concern is hidden goes altogether; a list keeps the rest.
                if hidden and key == "concern":
                    del changes[key]
                elif hidden:
                    changes[key] = kept
            elif raw not in (None, "") and str(raw) not in seen:
                del changes[key]
        event.changes = changes
