"""Writes on policy versions: drafts, the approval workflow and publication (GOV-02, GOV-05, GOV-07, GOV-19).

Workflow (GOV-05): draft → consultation → specialist advice (optional) → awaiting governors'
approval → approved → published; an open version can go back to draft at any step. Every step is
a ``PolicyVersionTransition`` and an audit event. Publishing is refused while key details are
missing (GOV-19), supersedes the version in force, copies the config into
``School.policy_settings`` (older code reads it there) and asks staff to acknowledge (ROL-09).

Registers, reviews and acknowledgements have their own modules: ``services_registers``,
``reviews`` and ``acknowledgements``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.policy import config_support, permissions
from harbour.policy.models import PolicyVersion, PolicyVersionTransition
from harbour.policy.services_registers import flag_outdated_citations
from harbour.schools.models import School

S = PolicyVersion.Status

# Which step may follow which (GOV-05). Approval and publication have their own services.
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.CONSULTATION,),
    S.CONSULTATION: (S.SPECIALIST_ADVICE, S.AWAITING_APPROVAL, S.DRAFT),
    S.SPECIALIST_ADVICE: (S.AWAITING_APPROVAL, S.DRAFT),
    S.AWAITING_APPROVAL: (S.APPROVED, S.DRAFT),
    S.APPROVED: (S.PUBLISHED, S.DRAFT),
    S.PUBLISHED: (S.SUPERSEDED,),
    S.SUPERSEDED: (),
}
# While consultation or advice is under way the text may still change; once it is with governors, not.
EDITABLE_STATUSES = (S.DRAFT, S.CONSULTATION, S.SPECIALIST_ADVICE)


class MissingKeyDetails(ValidationError):
    """GOV-19: publication refused; ``missing`` lists the human labels of what is missing."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        super().__init__(["This version cannot be published until these key details are filled in:", *self.missing])


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _validated(config: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise ValidationError("The policy configuration must be a mapping of variables.")
    errors = config_support.validate(config)
    if errors:
        raise ValidationError(errors)
    return config_support.plain(config)


def _transition(
    version: PolicyVersion,
    to: str,
    *,
    actor: Membership | None,
    note: str = "",
    reference: str = "",
    on_date: date | None = None,
    from_status: str | None = None,
) -> PolicyVersionTransition:
    return PolicyVersionTransition.objects.create(
        school=version.school,
        version=version,
        from_status=version.status if from_status is None else from_status,
        to_status=to,
        by=actor.user if actor is not None else None,
        by_role=actor.role if actor is not None else "",
        note=note.strip(),
        reference=reference.strip(),
        on_date=on_date,
    )


def _next_number(school: School) -> int:
    return (PolicyVersion.objects.filter(school=school).aggregate(n=Max("number"))["n"] or 0) + 1


def _open_version(school: School, *, lock: bool = False) -> PolicyVersion | None:
    qs = PolicyVersion.objects.filter(school=school, status__in=PolicyVersion.OPEN_STATUSES)
    return (qs.select_for_update() if lock else qs).first()


def _changed_variables(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


# --- drafts ------------------------------------------------------------------------------------


def policy_version_save_draft(
    *, actor: Membership | None, school: School, config: dict[str, Any], note: str
) -> PolicyVersion:
    """Create the school's open draft, or replace the config of the open one (GOV-05, GOV-24).

    ``actor`` None is a system action (demo, management command run by an operator). The config is
    validated in full first; nothing changes if it is wrong. A version already with the governors
    must be returned to draft before its text changes.
    """
    if actor is not None:
        _check(permissions.can_manage(actor) and actor.school_id == school.pk)
    config = _validated(config)
    with transaction.atomic():
        version = _open_version(school, lock=True)
        if version is None:
            version = PolicyVersion.objects.create(
                school=school,
                number=_next_number(school),
                status=S.DRAFT,
                config=config,
                change_note=note.strip(),
                created_by=actor.user if actor is not None else None,
            )
            _transition(version, S.DRAFT, actor=actor, note=note, from_status="")
            audit.record(
                action="policy_version.create",
                actor=actor,
                school=school,
                obj=version,
                changes={"number": [None, version.number]},
            )
        else:
            if version.status not in EDITABLE_STATUSES:
                raise ValidationError(
                    f"Version {version.number} is {version.get_status_display().lower()}: "
                    "return it to draft before changing it."
                )
            changed = _changed_variables(version.config, config)
            version.config = config
            if note.strip():
                version.change_note = note.strip()
            version.save(update_fields=["config", "change_note", "updated_at"])
            audit.record(
                action="policy_version.save_draft",
                actor=actor,
                school=school,
                obj=version,
                changes={"variables": [None, changed]},
            )
        flag_outdated_citations(version=version)
    return version


def policy_version_start_from_published(*, actor: Membership, school: School, note: str = "") -> PolicyVersion:
    """Open a new draft as a copy of the configuration in force (or return the open one)."""
    from harbour.policy.selectors import published_config

    existing = _open_version(school)
    if existing is not None:
        _check(permissions.can_manage(actor) and actor.school_id == school.pk)
        return existing
    return policy_version_save_draft(
        actor=actor, school=school, config=published_config(school=school), note=note or "New draft"
    )


def policy_version_adopt(
    *,
    school: School,
    config: dict[str, Any],
    note: str,
    approved_on: date | None,
    actor: Membership | None = None,
    approval_reference: str = "",
) -> PolicyVersion:
    """Record a policy the school has already agreed as a new published version (GOV-02, GOV-05).

    For the demo loader and for schools bringing a ratified policy into Harbour. The full workflow
    happened outside Harbour, so one transition says so; key details are not enforced here (the
    school's real document may lack them, like Joy Lane's missing review date), but the version
    page lists what is missing. No acknowledgement requests are sent: the caller decides.
    """
    if actor is not None:
        _check(permissions.can_manage(actor) and actor.school_id == school.pk)
    config = _validated(config)
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()
        number = _next_number(school)
        # Supersede first: a school has one published version at a time, enforced by the database.
        _supersede_published(school, actor=actor, by_number=number)
        version = PolicyVersion.objects.create(
            school=school,
            number=number,
            status=S.PUBLISHED,
            config=config,
            change_note=note.strip(),
            approved_on=approved_on,
            approval_reference=approval_reference.strip(),
            effective_from=_effective(config, approved_on),
            published_at=timezone.now(),
            created_by=actor.user if actor is not None else None,
        )
        _transition(
            version,
            S.PUBLISHED,
            actor=actor,
            note=note or "Adopted: approved before it was entered in Harbour.",
            on_date=approved_on,
            reference=approval_reference,
            from_status="",
        )
        _make_published(version, actor=actor, effective_from=approved_on)
        audit.record(
            action="policy_version.adopt",
            actor=actor,
            school=school,
            obj=version,
            changes={"number": [None, version.number], "approved_on": [None, str(approved_on or "")]},
        )
        flag_outdated_citations(version=version)
    return version


# --- workflow ----------------------------------------------------------------------------------


def _locked(version: PolicyVersion) -> PolicyVersion:
    return PolicyVersion.objects.select_for_update().select_related("school").get(pk=version.pk)


def _step(actor: Membership, version: PolicyVersion, to: str, *, note: str, **extra: Any) -> PolicyVersion:
    _check(permissions.can_manage(actor) and actor.school_id == version.school_id)
    with transaction.atomic():
        version = _locked(version)
        if to not in NEXT_STEPS.get(version.status, ()):
            raise ValidationError(
                f"Version {version.number} is {version.get_status_display().lower()}; "
                f"it cannot move to “{S(to).label.lower()}” from there."
            )
        before = version.status
        _transition(version, to, actor=actor, note=note, **extra)
        version.status = to
        version.save(update_fields=["status", "updated_at"])
        audit.record(action=f"policy_version.{to}", actor=actor, obj=version, changes={"status": [before, to]})
    return version


def policy_version_start_consultation(*, actor: Membership, version: PolicyVersion, note: str = "") -> PolicyVersion:
    """Send the draft out for consultation (GOV-05); ``note`` says who is consulted."""
    return _step(actor, version, S.CONSULTATION, note=note)


def policy_version_seek_specialist_advice(
    *, actor: Membership, version: PolicyVersion, note: str = ""
) -> PolicyVersion:
    """The optional step: specialist advice (e.g. the local education safeguarding service) (GOV-05)."""
    return _step(actor, version, S.SPECIALIST_ADVICE, note=note)


def policy_version_submit_for_approval(*, actor: Membership, version: PolicyVersion, note: str = "") -> PolicyVersion:
    """Agreed by leadership, now with the governing body (GOV-02 "agreed, ratification pending")."""
    if not note.strip():
        note = "Consultation complete; submitted to the governing body."
    return _step(actor, version, S.AWAITING_APPROVAL, note=note)


def policy_version_return_to_draft(*, actor: Membership, version: PolicyVersion, note: str) -> PolicyVersion:
    """Take an open version back to draft to change it; the reason is kept."""
    if not note.strip():
        raise ValidationError("Say why the version goes back to draft.")
    return _step(actor, version, S.DRAFT, note=note)


def policy_version_record_approval(
    *,
    actor: Membership,
    version: PolicyVersion,
    approved_on: date,
    reference: str,
    next_review_date: date | None = None,
    note: str = "",
) -> PolicyVersion:
    """Record the governing body's approval with its date and minute reference (GOV-02, GOV-05).

    The approval date and the next review date are written into the version's configuration, so the
    key-details block of the document shows them (GOV-19); the next review defaults to the approval
    date plus the school's maximum review interval (GOV-03).
    """
    if approved_on is None:
        raise ValidationError("Enter the date the governing body approved the policy.")
    if approved_on > timezone.localdate():
        raise ValidationError("The approval date cannot be in the future.")
    if not reference.strip():
        raise ValidationError("Enter the minute reference (or where the approval is recorded).")
    with transaction.atomic():
        version = _step(actor, version, S.APPROVED, note=note, reference=reference, on_date=approved_on)
        config = dict(version.config)
        review = next_review_date or config_support.add_duration(approved_on, config.get("review_interval_max"))
        if review <= approved_on:
            raise ValidationError("The next review date must be after the approval date.")
        # Day precision: the minute records a day, and the review falls due on one (issue #21 point 4).
        config["date_agreed"] = approved_on.isoformat()
        config["next_review_date"] = review.isoformat()
        if "ratification_status" in config:
            config["ratification_status"] = "ratified"
        version.config = config
        version.approved_on = approved_on
        version.approval_reference = reference.strip()
        version.save(update_fields=["config", "approved_on", "approval_reference", "updated_at"])
        audit.record(
            action="policy_version.record_approval",
            actor=actor,
            obj=version,
            changes={"approved_on": [None, str(approved_on)], "approval_reference": [None, reference.strip()]},
        )
    return version


def publication_blockers(version: PolicyVersion) -> list[str]:
    """GOV-19: the key details still missing, plus the approval record the workflow needs."""
    missing = config_support.missing_key_details(version.config)
    if version.approved_on is None and not any("approv" in item.lower() for item in missing):
        missing.append("Governing body approval date")
    return missing


def _supersede_published(school: School, *, actor: Membership | None, by_number: int) -> None:
    previous = PolicyVersion.objects.select_for_update().filter(school=school, status=S.PUBLISHED).first()
    if previous is None or previous.number == by_number:
        return
    _transition(previous, S.SUPERSEDED, actor=actor, note=f"Replaced by version {by_number}.")
    previous.status, previous.superseded_at = S.SUPERSEDED, timezone.now()
    previous.save(update_fields=["status", "superseded_at", "updated_at"])
    audit.record(
        action="policy_version.supersede",
        actor=actor,
        school=school,
        obj=previous,
        changes={"status": [S.PUBLISHED, S.SUPERSEDED]},
    )


def _effective(config: dict[str, Any], fallback: date | None) -> date:
    """When a version takes effect: the date in its config (GOV-24), else ``fallback``, else today."""
    stated = config_support.parse_month_or_date(config.get("effective_from"))
    return stated or fallback or timezone.localdate()


def _make_published(version: PolicyVersion, *, actor: Membership | None, effective_from: date | None) -> None:
    """Supersede the version in force, publish this one and copy its config into the school."""
    now = timezone.now()
    _supersede_published(version.school, actor=actor, by_number=version.number)
    if version.status != S.PUBLISHED:  # an adopted version is created published
        version.status, version.published_at = S.PUBLISHED, now
        version.effective_from = effective_from or _effective(version.config, None)
        version.save(update_fields=["status", "published_at", "effective_from", "updated_at"])
    school = School.objects.select_for_update().get(pk=version.school_id)
    # Merge rather than replace: policy_settings also holds operational settings outside the schema.
    school.policy_settings = {**(school.policy_settings or {}), **version.config}
    school.save(update_fields=["policy_settings"])
    version.school.policy_settings = school.policy_settings


def policy_version_publish(
    *,
    actor: Membership,
    version: PolicyVersion,
    note: str = "",
    effective_from: date | None = None,
    acknowledgement_roles: list[str] | None = None,
) -> PolicyVersion:
    """Publish an approved version (GOV-05), refusing while key details are missing (GOV-19).

    Sends acknowledgement requests to the chosen groups, staff by default (ROL-09).
    """
    from harbour.policy import acknowledgements

    _check(permissions.can_manage(actor) and actor.school_id == version.school_id)
    with transaction.atomic():
        version = _locked(version)
        if version.status != S.APPROVED:
            raise ValidationError(
                f"Version {version.number} is {version.get_status_display().lower()}: "
                "only a version the governing body has approved can be published."
            )
        missing = publication_blockers(version)
        if missing:
            raise MissingKeyDetails(missing)
        roles = acknowledgements.clean_roles(acknowledgement_roles)
        # A draft copies the old version's effective date; a new version takes effect now, unless
        # it was written to start later (GOV-24) or the publisher chose a date.
        today = timezone.localdate()
        stated = config_support.parse_month_or_date(version.config.get("effective_from"))
        effective = effective_from or (stated if stated and stated > today else today)
        if "effective_from" in version.config:
            version.config = {**version.config, "effective_from": effective.isoformat()}
        _transition(version, S.PUBLISHED, actor=actor, note=note)
        version.acknowledgement_roles = roles
        version.save(update_fields=["acknowledgement_roles", "config", "updated_at"])
        _make_published(version, actor=actor, effective_from=effective)
        audit.record(
            action="policy_version.publish",
            actor=actor,
            obj=version,
            changes={"status": [S.APPROVED, S.PUBLISHED], "acknowledgement_roles": [None, roles]},
        )
        acknowledgements.acknowledgement_request_all(actor=actor, version=version)
    return version


from harbour.policy.acknowledgements import (  # noqa: E402, F401  re-exported: callers know "services"
    acknowledgement_chase,
    acknowledgement_record,
    acknowledgement_request_all,
)
