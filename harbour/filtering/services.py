"""Writes to the standards register: arrangements, user groups, decisions, privacy, the notice (FLT-01..11).

Every function checks the actor, runs in one transaction and writes an audit event. Nothing is
deleted or overwritten: a change to a versioned entry is a new row that ``replaces`` the live one.
Checks, reviews and reviews of internet use are in ``services_checks``; breaches in ``breaches``.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.core import file_checks, uploads
from harbour.filtering import config, permissions, wording
from harbour.filtering.models import (
    Arrangement,
    Decision,
    Notice,
    NoticeAcknowledgement,
    PrivacyAssessment,
    UserGroup,
)

ROLE_FIELDS = ("senior_lead", "governor_lead", "dsl", "it_lead")


def require_manager(actor: Membership) -> None:
    if not permissions.can_manage_register(actor):
        raise PermissionDenied


def _supersede(model: type[models.Model], old: models.Model | None, now: Any) -> None:
    if old is not None:
        # Only the marker changes; the old row's content stays as it was recorded.
        model.objects.filter(pk=old.pk, superseded_at__isnull=True).update(superseded_at=now)


def _live(model: type[models.Model], actor: Membership, pk: int | None) -> models.Model | None:
    if pk is None:
        return None
    found = model.objects.filter(school=actor.school, pk=pk, superseded_at__isnull=True).first()
    if found is None:
        raise ValidationError("That entry has been changed by someone else since you opened it. Open it again.")
    return found


# --- arrangements (FLT-01) ---------------------------------------------------------------------


def _check_member(actor: Membership, field: str, member: Membership | None) -> None:
    if member is not None and (member.school_id != actor.school.pk or not member.is_active):
        raise ValidationError({field: ["Choose someone with an active role in this school."]})


def arrangement_record(*, actor: Membership, **values: Any) -> Arrangement:
    """Record the school's arrangements as a new version (FLT-01). Values are the model's fields."""
    require_manager(actor)
    allowed = {f.name for f in Arrangement._meta.get_fields()} - {
        "id",
        "school",
        "recorded_by",
        "recorded_at",
        "replaces",
        "superseded_at",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    for field in ROLE_FIELDS:
        _check_member(actor, field, values.get(field))
    contacts = values.get("contacts") or []
    if not isinstance(contacts, list) or any(not isinstance(c, dict) or not c.get("name") for c in contacts):
        raise ValidationError({"contacts": ["Give each contact at least a name."]})
    with transaction.atomic():
        current = (
            Arrangement.objects.select_for_update().filter(school=actor.school, superseded_at__isnull=True).first()
        )
        now = timezone.now()
        _supersede(Arrangement, current, now)
        arrangement = Arrangement.objects.create(
            school=actor.school, recorded_by=actor.user, replaces=current, **values
        )
        changes = {
            k: [None if current is None else str(getattr(current, k)), str(v)]
            for k, v in values.items()
            if current is None or getattr(current, k) != v
        }
        audit.record(action="filtering.arrangement_record", actor=actor, obj=arrangement, changes=changes)
    return arrangement


# --- user groups and their profiles (FLT-09) ---------------------------------------------------


def user_group_record(
    *,
    actor: Membership,
    name: str,
    audience: str,
    filtering_profile: str,
    social_media: str,
    social_media_note: str = "",
    replaces_id: int | None = None,
) -> UserGroup:
    """Add a user group, or record a change to one as a new version (FLT-09)."""
    require_manager(actor)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Name the group, for example 'Key stage 2 learners'."]
    if audience not in UserGroup.Audience.values:
        errors["audience"] = ["Say whether the group is learners, staff or visitors."]
    if social_media not in UserGroup.SocialMedia.values:
        errors["social_media"] = ["Say whether the group can reach social media."]
    if not filtering_profile.strip():
        errors["filtering_profile"] = ["Describe what the filter applies to this group."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = _live(UserGroup, actor, replaces_id)
        _supersede(UserGroup, old, timezone.now())
        group = UserGroup.objects.create(
            school=actor.school,
            recorded_by=actor.user,
            replaces=old,
            name=name.strip()[:120],
            audience=audience,
            filtering_profile=filtering_profile.strip(),
            social_media=social_media,
            social_media_note=social_media_note.strip()[:300],
        )
        audit.record(
            action="filtering.user_group_record",
            actor=actor,
            obj=group,
            changes={
                "social_media": [old.social_media if old else None, social_media],
                "replaces": [None, replaces_id],
            },
        )
    return group


# --- the decision and its risk assessment (FLT-02) ---------------------------------------------


def _check_document(data: bytes) -> file_checks.Checked:
    """A PDF or an Office document, proved by parsing it: the one upload guard (issue #13)."""
    try:
        return uploads.check(data, uploads.Place.REGISTER_DOCUMENT)
    except file_checks.Refused as refused:
        message = uploads.refusal_message(refused.reason, uploads.Place.REGISTER_DOCUMENT, refused.looks_like)
        raise ValidationError({"document": [message]}) from refused


def decision_record(
    *,
    actor: Membership,
    decided_on: date,
    decided_by: str,
    summary: str,
    age_and_ability: str,
    risk_assessment_summary: str,
    blocked_and_allowed: str = "",
    document_name: str = "",
    document_data: bytes | None = None,
    replaces_id: int | None = None,
) -> Decision:
    """Record the governors' and leaders' decision with its risk assessment attached (FLT-02)."""
    require_manager(actor)
    errors: dict[str, list[str]] = {}
    for field, value, message in (
        ("decided_by", decided_by, "Say who made the decision."),
        ("summary", summary, "Summarise what was decided."),
        ("age_and_ability", age_and_ability, "Say how the settings suit learners' ages and abilities."),
        ("risk_assessment_summary", risk_assessment_summary, "Summarise the risk assessment it was based on."),
    ):
        if not value.strip():
            errors[field] = [message]
    if decided_on > timezone.localdate():
        errors["decided_on"] = ["The decision date is in the future."]
    if errors:
        raise ValidationError(errors)
    detected = _check_document(document_data) if document_data else None
    decision = Decision(
        school=actor.school,
        recorded_by=actor.user,
        decided_on=decided_on,
        decided_by=decided_by.strip()[:200],
        summary=summary.strip(),
        age_and_ability=age_and_ability.strip(),
        blocked_and_allowed=blocked_and_allowed.strip(),
        risk_assessment_summary=risk_assessment_summary.strip(),
    )
    if detected is not None and document_data is not None:
        decision.document_name = uploads.clean_name(document_name)
        decision.document_type = detected.mime
        decision.document_size = len(document_data)
        decision.document_sha256 = hashlib.sha256(document_data).hexdigest()
        uploads.store(decision.document, document_data, detected)
    try:
        with transaction.atomic():
            old = _live(Decision, actor, replaces_id)
            _supersede(Decision, old, timezone.now())
            decision.replaces = old
            decision.save()
            audit.record(
                action="filtering.decision_record",
                actor=actor,
                obj=decision,
                changes={"decided_on": [None, str(decided_on)], "document": [None, decision.document_sha256 or None]},
            )
    except BaseException:
        if decision.document.name:
            decision.document.storage.delete(decision.document.name)
        raise
    return decision


# --- privacy and lawful basis (FLT-11) ---------------------------------------------------------


def privacy_assessment_record(
    *,
    actor: Membership,
    lawful_basis: str,
    retention: str,
    summary: str,
    reviewed_on: date,
    dpia_reference: str = "",
    special_category_condition: str = "",
    next_review_on: date | None = None,
) -> PrivacyAssessment:
    """Keep the privacy/lawful-basis assessment with the monitoring record (FLT-11)."""
    require_manager(actor)
    errors: dict[str, list[str]] = {}
    if lawful_basis not in PrivacyAssessment.LawfulBasis.values:
        errors["lawful_basis"] = ["Choose the lawful basis for monitoring."]
    if not retention.strip():
        errors["retention"] = ["Say how long monitoring records are kept."]
    if not summary.strip():
        errors["summary"] = ["Summarise the assessment."]
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = ["The review date is in the future."]
    if next_review_on is not None and next_review_on <= reviewed_on:
        errors["next_review_on"] = ["The next review must come after this one."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = PrivacyAssessment.objects.filter(school=actor.school, superseded_at__isnull=True).first()
        _supersede(PrivacyAssessment, old, timezone.now())
        assessment = PrivacyAssessment.objects.create(
            school=actor.school,
            recorded_by=actor.user,
            replaces=old,
            dpia_reference=dpia_reference.strip()[:120],
            lawful_basis=lawful_basis,
            special_category_condition=special_category_condition.strip()[:300],
            retention=retention.strip()[:300],
            summary=summary.strip(),
            reviewed_on=reviewed_on,
            next_review_on=next_review_on,
        )
        audit.record(
            action="filtering.privacy_record",
            actor=actor,
            obj=assessment,
            changes={"lawful_basis": [old.lawful_basis if old else None, lawful_basis]},
        )
    return assessment


# --- the monitoring notice and who has read it (FLT-06, FLT-07, FLT-10) ------------------------


def notice_publish(*, actor: Membership) -> Notice:
    """Publish the notice in Harbour's words from the school's settings; earlier readings stay on record."""
    require_manager(actor)
    text = wording.monitoring_notice_text(school_name=actor.school.name, cfg=config.for_school(actor.school))
    with transaction.atomic():
        latest = Notice.objects.select_for_update().filter(school=actor.school).order_by("-number").first()
        if latest is not None and latest.text == text:
            raise ValidationError("The notice has not changed since it was last published.")
        notice = Notice.objects.create(
            school=actor.school, number=(latest.number + 1 if latest else 1), text=text, published_by=actor.user
        )
        audit.record(
            action="filtering.notice_publish", actor=actor, obj=notice, changes={"number": [None, notice.number]}
        )
    return notice


def _current_notice(actor: Membership) -> Notice:
    notice = Notice.objects.filter(school=actor.school).order_by("-number").first()
    if notice is None:
        raise ValidationError("No monitoring notice has been published yet.")
    return notice


def notice_acknowledge(*, actor: Membership) -> NoticeAcknowledgement:
    """The signed-in user confirms they have read the current notice (FLT-07). Twice is harmless."""
    if not permissions.can_acknowledge_notice(actor):
        raise PermissionDenied
    notice = _current_notice(actor)
    existing = NoticeAcknowledgement.objects.filter(notice=notice, user=actor.user).first()
    if existing is not None:
        return existing
    kind = NoticeAcknowledgement.PersonKind
    try:
        with transaction.atomic():
            ack = NoticeAcknowledgement.objects.create(
                school=actor.school,
                notice=notice,
                user=actor.user,
                person_name=actor.user.display_name[:200],
                person_kind=kind.GOVERNOR if actor.role == "governor" else kind.STAFF,
                method=NoticeAcknowledgement.Method.IN_APP,
                acknowledged_on=timezone.localdate(),
                recorded_by=actor.user,
            )
            audit.record(action="filtering.notice_acknowledge", actor=actor, obj=ack)
    except IntegrityError:
        return NoticeAcknowledgement.objects.get(notice=notice, user=actor.user)
    return ack


def notice_record_acknowledgement(
    *, actor: Membership, person_name: str, person_kind: str, method: str, acknowledged_on: date
) -> NoticeAcknowledgement:
    """Record that someone without a login (a learner, a parent, a visitor) read the notice (FLT-07)."""
    require_manager(actor)
    errors: dict[str, list[str]] = {}
    if not person_name.strip():
        errors["person_name"] = ["Give the person's name."]
    if person_kind not in NoticeAcknowledgement.PersonKind.values:
        errors["person_kind"] = ["Say who they are: learner, parent, visitor…"]
    if method not in NoticeAcknowledgement.Method.values or method == NoticeAcknowledgement.Method.IN_APP:
        errors["method"] = ["Say how they confirmed it: on paper, with the acceptable use agreement, or another way."]
    if acknowledged_on > timezone.localdate():
        errors["acknowledged_on"] = ["The date is in the future."]
    if errors:
        raise ValidationError(errors)
    notice = _current_notice(actor)
    with transaction.atomic():
        ack = NoticeAcknowledgement.objects.create(
            school=actor.school,
            notice=notice,
            person_name=person_name.strip()[:200],
            person_kind=person_kind,
            method=method,
            acknowledged_on=acknowledged_on,
            recorded_by=actor.user,
        )
        audit.record(action="filtering.notice_record_acknowledgement", actor=actor, obj=ack)
    return ack
