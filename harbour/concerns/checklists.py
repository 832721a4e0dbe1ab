"""Per-category checklists on concerns, and each school's own version of the procedures (issue 4, item 5).

A concern's checklist is a copy of its category's procedure taken when the concern is opened
(``procedures`` merged with the school's ``SchoolProcedureStep`` rows), so a school rewording a
step changes concerns opened from then on and never the record of one already being worked
(REP-08). Re-categorising a concern adds the new category's steps and keeps the old ones.

Every step is ticked by a named user with a time, marked not applicable with a reason, or — for
immediate-referral questions — answered yes or no (INC-YPSI-02, INC-CSAE-02, INC-IIOC-03,
INC-CYB-02, INC-HATE-04, INC-RAD-02, INC-FILT-08, INC-STAFF-04). Each of those writes a line in the
concern's action log and an audit event. Only people who may manage the concern work its checklist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.concerns import categories, permissions, procedures, triage
from harbour.concerns.models import ChecklistStep, Concern, ConcernEntry, SchoolProcedureStep
from harbour.concerns.services import log_entry
from harbour.schools.models import School

# Rewording the school's procedures is a leadership decision, not day-to-day casework.
PROCEDURE_EDITOR_ROLES = frozenset({Role.DSL, Role.HEADTEACHER})
SCHOOL_KEY_PREFIX = "school-"
MAX_POSITION = 999
MAX_TEXT = 300
MAX_GUIDANCE = 4000


@dataclass(frozen=True)
class EffectiveStep:
    """A step as this school's procedure currently has it."""

    key: str
    position: int
    text: str
    guidance: str
    is_question: bool
    is_active: bool
    # "default": Harbour's wording; "reworded": the school changed a default step; "school": the school's own.
    origin: str
    default_text: str = ""

    @property
    def is_default(self) -> bool:
        return self.origin != "school"


# --- the school's procedures ---------------------------------------------------------------------


def can_customise_procedures(actor: Membership) -> bool:
    return actor.pk is not None and actor.role in PROCEDURE_EDITOR_ROLES


def _procedure(category: str) -> procedures.Procedure:
    try:
        return procedures.procedure_for(category)
    except KeyError as exc:
        raise ValidationError({"category": [f"'{category}' is not a concern category."]}) from exc


def _merge(procedure: procedures.Procedure, rows: list[SchoolProcedureStep]) -> list[EffectiveStep]:
    overrides = {row.key: row for row in rows}
    merged: list[EffectiveStep] = []
    for index, step in enumerate(procedure.steps, start=1):
        row = overrides.pop(step.key, None)
        if row is None:
            merged.append(
                EffectiveStep(
                    step.key,
                    index * procedures.POSITION_STEP,
                    step.text,
                    step.guidance,
                    step.is_question,
                    True,
                    "default",
                    step.text,
                )
            )
        else:
            # A school may reword a default question but not turn it into a plain step or back.
            merged.append(
                EffectiveStep(
                    step.key,
                    row.position,
                    row.text,
                    row.guidance,
                    step.is_question,
                    row.is_active,
                    "reworded",
                    step.text,
                )
            )
    for row in overrides.values():
        merged.append(
            EffectiveStep(row.key, row.position, row.text, row.guidance, row.is_question, row.is_active, "school")
        )
    # sorted() is stable, so equal positions keep the default order first, then school steps.
    return sorted(merged, key=lambda step: step.position)


def effective_steps(*, school: School, category: str, include_hidden: bool = False) -> list[EffectiveStep]:
    """The category's procedure as this school runs it: defaults merged with the school's changes."""
    procedure = _procedure(category)
    rows = list(SchoolProcedureStep.objects.filter(school=school, category=category))
    steps = _merge(procedure, rows)
    return steps if include_hidden else [step for step in steps if step.is_active]


def _require_editor(actor: Membership) -> None:
    if not can_customise_procedures(actor):
        raise PermissionDenied


def procedure_overview(*, actor: Membership) -> list[dict[str, Any]]:
    """One row per category for the customisation page: active steps and how many the school changed."""
    if not can_customise_procedures(actor):
        raise Http404
    rows_by_category: dict[str, list[SchoolProcedureStep]] = {}
    for row in SchoolProcedureStep.objects.filter(school=actor.school):
        rows_by_category.setdefault(row.category, []).append(row)
    overview = []
    for category in categories.CATEGORIES:
        rows = rows_by_category.get(category.id, [])
        steps = _merge(procedures.procedure_for(category.id), rows)
        overview.append(
            {
                "category": category,
                "active": sum(1 for step in steps if step.is_active),
                "changes": len(rows),
            }
        )
    return overview


def procedure_view(*, actor: Membership, category: str) -> list[EffectiveStep]:
    """A category's steps with hidden ones, for the customisation page. Audited; 404 for others."""
    if not can_customise_procedures(actor) or category not in procedures.PROCEDURES:
        raise Http404
    steps = effective_steps(school=actor.school, category=category, include_hidden=True)
    audit.record(action="procedure.view", actor=actor, changes={"category": category})
    return steps


def procedure_step_get(*, actor: Membership, category: str, key: str) -> EffectiveStep:
    """One step of the school's procedure (hidden ones too), or 404."""
    if not can_customise_procedures(actor) or category not in procedures.PROCEDURES:
        raise Http404
    for step in effective_steps(school=actor.school, category=category, include_hidden=True):
        if step.key == key:
            return step
    raise Http404


def _clean_step(*, text: str, guidance: str, position: int) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    text, guidance = text.strip(), guidance.strip()
    if not text:
        errors["text"] = ["Write what the step asks people to do."]
    elif len(text) > MAX_TEXT:
        errors["text"] = [f"Keep the step to {MAX_TEXT} characters; put the detail in the guidance."]
    if len(guidance) > MAX_GUIDANCE:
        errors["guidance"] = [f"Keep the guidance to {MAX_GUIDANCE} characters."]
    if not 1 <= position <= MAX_POSITION:
        errors["position"] = [f"Give a position between 1 and {MAX_POSITION}."]
    if errors:
        raise ValidationError(errors)
    return text, guidance


def _snapshot(row: SchoolProcedureStep | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {"text": row.text, "guidance": row.guidance, "position": row.position, "is_active": row.is_active}


def procedure_step_save(
    *, actor: Membership, category: str, key: str, text: str, guidance: str, position: int
) -> SchoolProcedureStep:
    """Reword or move a step of the school's procedure. Only concerns opened afterwards use it."""
    _require_editor(actor)
    procedure = _procedure(category)
    text, guidance = _clean_step(text=text, guidance=guidance, position=position)
    default_keys = {step.key for step in procedure.steps}
    with transaction.atomic():
        row = (
            SchoolProcedureStep.objects.select_for_update()
            .filter(school=actor.school, category=category, key=key)
            .first()
        )
        if row is None and key not in default_keys:
            raise ValidationError({"key": ["There is no such step in this procedure."]})
        before = _snapshot(row)
        if row is None:
            row = SchoolProcedureStep(
                school=actor.school, category=category, key=key, is_question=procedure.step(key).is_question
            )
        row.text, row.guidance, row.position = text, guidance, position
        row.save()
        audit.record(
            action="procedure.step_save",
            actor=actor,
            obj=row,
            changes={"category": category, "key": key, "before": before, "after": _snapshot(row)},
        )
    return row


def _next_school_key(school: School, category: str) -> str:
    taken = set(
        SchoolProcedureStep.objects.filter(
            school=school, category=category, key__startswith=SCHOOL_KEY_PREFIX
        ).values_list("key", flat=True)
    )
    number = len(taken) + 1
    while f"{SCHOOL_KEY_PREFIX}{number}" in taken:
        number += 1
    return f"{SCHOOL_KEY_PREFIX}{number}"


def procedure_step_add(
    *, actor: Membership, category: str, text: str, guidance: str, position: int, is_question: bool = False
) -> SchoolProcedureStep:
    """Add the school's own step to a category's procedure (for concerns opened from now on)."""
    _require_editor(actor)
    _procedure(category)
    text, guidance = _clean_step(text=text, guidance=guidance, position=position)
    with transaction.atomic():
        row = SchoolProcedureStep.objects.create(
            school=actor.school,
            category=category,
            key=_next_school_key(actor.school, category),
            text=text,
            guidance=guidance,
            position=position,
            is_question=is_question,
        )
        audit.record(
            action="procedure.step_add",
            actor=actor,
            obj=row,
            changes={"category": category, "key": row.key, "after": _snapshot(row), "is_question": is_question},
        )
    return row


def procedure_step_set_active(*, actor: Membership, category: str, key: str, is_active: bool) -> SchoolProcedureStep:
    """Hide a step from new checklists, or show it again. Rows are kept, never deleted."""
    _require_editor(actor)
    procedure = _procedure(category)
    default = next((step for step in procedure.steps if step.key == key), None)
    # An immediate-referral question is a safety net; a school may reword it but not switch it off.
    if not is_active and default is not None and default.is_question:
        raise ValidationError(
            {"key": ["Questions that decide an immediate referral cannot be hidden. You can reword them instead."]}
        )
    with transaction.atomic():
        row = (
            SchoolProcedureStep.objects.select_for_update()
            .filter(school=actor.school, category=category, key=key)
            .first()
        )
        if row is None and default is None:
            raise ValidationError({"key": ["There is no such step in this procedure."]})
        before = _snapshot(row)
        if row is None:
            row = SchoolProcedureStep(
                school=actor.school,
                category=category,
                key=key,
                text=default.text,
                guidance=default.guidance,
                position=procedure.position_of(key),
                is_question=default.is_question,
            )
        row.is_active = is_active
        row.save()
        audit.record(
            action="procedure.step_show" if is_active else "procedure.step_hide",
            actor=actor,
            obj=row,
            changes={"category": category, "key": key, "before": before, "after": _snapshot(row)},
        )
    return row


# --- checklists on concerns ----------------------------------------------------------------------


def checklist_open(*, concern: Concern, actor: Membership | None = None) -> list[ChecklistStep]:
    """Copy the concern's current category's procedure onto it. Steps it already has are kept as they are."""
    category = concern.category
    steps = effective_steps(school=concern.school, category=category)
    with transaction.atomic():
        existing = set(ChecklistStep.objects.filter(concern=concern, procedure=category).values_list("key", flat=True))
        created = ChecklistStep.objects.bulk_create(
            [
                ChecklistStep(
                    concern=concern,
                    procedure=category,
                    key=step.key,
                    position=step.position,
                    text=step.text,
                    guidance=step.guidance,
                    is_question=step.is_question,
                )
                for step in steps
                if step.key not in existing
            ]
        )
        if created:
            audit.record(
                action="concern.checklist_open",
                actor=actor,
                school=concern.school,
                obj=concern,
                changes={"procedure": category, "steps": len(created)},
            )
    return created


def checklist_steps(*, concern: Concern) -> list[ChecklistStep]:
    """The concern's checklist: its current category's steps first, then any from earlier categories.

    For a concern the caller already obtained through ``selectors.concern_get``. Each step carries
    ``procedure_label``, ``is_current`` and ``refer_now`` (the banner a "yes" shows) for the template.
    """
    steps = list(concern.steps.select_related("completed_by").order_by("procedure", "position", "id"))
    for step in steps:
        _decorate(step, concern)
    return sorted(steps, key=lambda step: not step.is_current)


def _decorate(step: ChecklistStep, concern: Concern) -> ChecklistStep:
    category = categories.BY_ID.get(step.procedure)
    variant = procedures.VARIANTS.get(step.procedure)
    if variant is not None:
        step.procedure_label = f"{categories.get(variant.category).label}: {variant.title.lower()}"
    else:
        step.procedure_label = category.label if category else step.procedure
    step.is_current = step.procedure == concern.category or (
        variant is not None and variant.category == concern.category
    )
    step.refer_now = procedures.refer_text(step.procedure, step.key) if step.is_question else ""
    return step


def checklist_step_get(*, concern: Concern, pk: int | str) -> ChecklistStep:
    """One step of a concern the caller already obtained (and may see), or 404."""
    try:
        step = concern.steps.select_related("completed_by").get(pk=pk)
    except (ChecklistStep.DoesNotExist, ValueError) as exc:
        raise Http404("No such step") from exc
    return _decorate(step, concern)


def _lock_step(actor: Membership, step: ChecklistStep) -> ChecklistStep:
    if not permissions.can_manage(actor, step.concern):
        raise PermissionDenied
    locked = ChecklistStep.objects.select_for_update().select_related("concern").get(pk=step.pk)
    if locked.concern.status == Concern.Status.CLOSED:
        raise ValidationError("This concern is closed. Reopen it before working on its checklist.")
    return locked


def _already_marked(step: ChecklistStep) -> ValidationError:
    who = step.completed_by.display_name if step.completed_by else "someone"
    when = timezone.localtime(step.completed_at).strftime("%d %b %Y %H:%M") if step.completed_at else ""
    return ValidationError(
        f"This step was already marked by {who} on {when}. To correct it, add a note to the concern explaining why."
    )


def _record(actor: Membership, step: ChecklistStep, text: str, changes: dict[str, Any]) -> None:
    log_entry(
        concern=step.concern,
        kind=ConcernEntry.Kind.CHECKLIST,
        author=actor.user,
        text=text,
        data={"step": step.pk, "procedure": step.procedure, "key": step.key, **changes},
    )
    audit.record(
        action="concern.checklist_step",
        actor=actor,
        obj=step.concern,
        changes={"step": step.pk, "procedure": step.procedure, "key": step.key, **changes},
    )


def _finish(step: ChecklistStep, actor: Membership, state: str, note: str) -> None:
    step.state = state
    step.note = note
    step.completed_by = actor.user
    step.completed_at = timezone.now()
    step.save(update_fields=["state", "note", "completed_by", "completed_at"])


# Steps whose "done" records what was decided about sanctions (INC-YPSI-10).
SANCTION_STEP_KEYS = frozenset({procedures.SANCTIONS.key, "behaviour_policy"})


def checklist_step_complete(*, actor: Membership, step: ChecklistStep, note: str = "") -> ChecklistStep:
    """Tick a step as done, by this person, now, with an optional note.

    A sanctions step on a concern with a learner recorded as harmed is the DSL's to tick, as a
    sanction for that learner is the DSL's alone to confirm (INC-YPSI-10).
    """
    with transaction.atomic():
        locked = _lock_step(actor, step)
        if locked.is_question:
            raise ValidationError("Answer this question with yes or no.")
        if locked.state != ChecklistStep.State.OPEN:
            raise _already_marked(locked)
        if (
            locked.key in SANCTION_STEP_KEYS
            and not triage.may_confirm_sanction_on_harmed(actor)
            and triage.harmed_learner_ids(locked.concern)
        ):
            raise ValidationError(
                "A learner in this concern is recorded as harmed, so only the DSL can mark the sanctions step "
                "done. Any sanction is recorded under “Record a decision”, where the DSL confirms it."
            )
        _finish(locked, actor, ChecklistStep.State.DONE, note.strip())
        _record(actor, locked, f"Done: {locked.text}", {"state": ["open", "done"], "note": locked.note})
    return _decorate(locked, step.concern)


def checklist_step_not_applicable(*, actor: Membership, step: ChecklistStep, reason: str) -> ChecklistStep:
    """Mark a step as not applicable. A reason is required: a skipped step must say why."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this step does not apply to this concern."]})
    with transaction.atomic():
        locked = _lock_step(actor, step)
        if locked.is_question:
            raise ValidationError("Answer this question with yes or no.")
        if locked.state != ChecklistStep.State.OPEN:
            raise _already_marked(locked)
        _finish(locked, actor, ChecklistStep.State.NOT_APPLICABLE, reason.strip())
        _record(actor, locked, f"Not applicable: {locked.text}", {"state": ["open", "n/a"], "reason": locked.note})
    return _decorate(locked, step.concern)


def checklist_step_answer(*, actor: Membership, step: ChecklistStep, answer: bool) -> ChecklistStep:
    """Answer an immediate-referral question. It may be answered again as facts emerge; each answer is logged."""
    with transaction.atomic():
        locked = _lock_step(actor, step)
        if not locked.is_question:
            raise ValidationError("This step is not a question: mark it done or not applicable.")
        old = locked.answer
        if old is answer:
            return _decorate(locked, step.concern)
        locked.answer = answer
        locked.state = ChecklistStep.State.DONE
        locked.completed_by = actor.user
        locked.completed_at = timezone.now()
        locked.save(update_fields=["answer", "state", "completed_by", "completed_at"])
        text = f"{locked.text} {'Yes' if answer else 'No'}"
        if answer:
            text += " — immediate referral criterion met."
        _record(actor, locked, text, {"answer": [old, answer], "refer_now": answer})
    return _decorate(locked, step.concern)


# --- variants (INC-IIOC-04) ----------------------------------------------------------------------


def checklist_variants_available(*, concern: Concern) -> list[procedures.Variant]:
    """Variants of the concern's category not yet added to it."""
    added = set(concern.steps.values_list("procedure", flat=True))
    return [variant for variant in procedures.variants_for(concern.category) if variant.key not in added]


def checklist_open_variant(*, actor: Membership, concern: Concern, variant_key: str) -> list[ChecklistStep]:
    """Add a variant's steps (e.g. accidental exposure to indecent images online) to the concern."""
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied
    variant = procedures.VARIANTS.get(variant_key)
    if variant is None or variant.category != concern.category:
        raise ValidationError({"variant": ["That checklist does not fit this concern's category."]})
    if concern.status == Concern.Status.CLOSED:
        raise ValidationError("This concern is closed. Reopen it before working on its checklist.")
    with transaction.atomic():
        Concern.objects.select_for_update().filter(pk=concern.pk).first()
        if ChecklistStep.objects.filter(concern=concern, procedure=variant.key).exists():
            raise ValidationError({"variant": ["That checklist is already on this concern."]})
        created = ChecklistStep.objects.bulk_create(
            [
                ChecklistStep(
                    concern=concern,
                    procedure=variant.key,
                    key=step.key,
                    position=index * procedures.POSITION_STEP,
                    text=step.text,
                    guidance=step.guidance,
                    is_question=step.is_question,
                )
                for index, step in enumerate(variant.steps, start=1)
            ]
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.CHECKLIST,
            author=actor.user,
            text=f"Checklist added: {variant.title}",
            data={"procedure": variant.key, "variant": True, "steps": len(created)},
        )
        audit.record(
            action="concern.checklist_open",
            actor=actor,
            obj=concern,
            changes={"procedure": variant.key, "steps": len(created)},
        )
    return created
