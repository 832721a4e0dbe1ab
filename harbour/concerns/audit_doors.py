"""Audit doors of the concerns app (harbour.audit.doors): an event about a concern, or about a
file or follow-up of one, is shown only to people who may open that concern (issue 12 point 3,
INC-STAFF-05). Only ``concern_list`` decides, so a change to who sees a concern changes who
sees its trail too."""

from __future__ import annotations

from django.db.models import QuerySet

from harbour.accounts.models import Membership
from harbour.audit.doors import register
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
