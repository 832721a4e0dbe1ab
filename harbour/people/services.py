"""Writing learners, staff, parents and classes from MIS exports (issue item 4, in the spirit of
GOV-24: each school's people come from its own MIS, nothing school-specific is built in).

Imports check everything first and then write in one transaction: if any row is invalid nothing
is written, unless the caller explicitly asks to skip invalid rows, in which case only the valid
rows are written and the skipped lines are reported. Records are matched on stable keys and
updated in place (learners by UPN or MIS id, staff by MIS id, staff code or email, classes by
name, parents by MIS id, email or name-and-child); nothing is ever deleted. Each import leaves one
summary audit event with its counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.people import importing, permissions
from harbour.people.import_selectors import flag_column_labels, import_check, importing_flag_problem
from harbour.people.importing import Kind, ParsedRow, ParseResult, Problem
from harbour.people.models import ImportBatch, Learner, Parent, ParentLink, SchoolClass, StaffMember
from harbour.schools.models import School

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_LINK_FIELDS = ("relationship", "has_parental_responsibility", "contact_priority", "lives_with_learner")


@dataclass
class ImportSummary:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_lines: list[int] = field(default_factory=list)
    dry_run: bool = False

    @property
    def skipped(self) -> int:
        return len(self.skipped_lines)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "skipped_lines": self.skipped_lines[:500],
            "dry_run": self.dry_run,
        }

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.skipped} skipped"


class ImportRefused(ValidationError):
    """Nothing was written. ``problems`` lists every reason, each with its CSV line."""

    def __init__(self, message: str, *, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


def _acting_school(actor: Membership | None, school: School | None) -> School:
    """A member needs IMPORT_PEOPLE; ``actor=None`` is a system import (management command)."""
    if actor is None:
        if school is None:
            raise ValueError("A system import needs the school it is for.")
        return school
    if not permissions.can_import(actor) or (school is not None and school.pk != actor.school.pk):
        raise PermissionDenied
    return actor.school


def _refuse_flag_columns(actor: Membership | None, parsed: ParseResult, *, school: School) -> None:
    """Issue #12 point 6: only a role that may see vulnerability flags may import them.

    Otherwise the counts ("0 updated, 1 unchanged") would tell office staff whether a pupil has a
    child-protection plan, and the import would silently overwrite it. The whole file is refused,
    before anything is written, and the refusal is audited (without the file's values).
    """
    problem = importing_flag_problem(actor, parsed)
    if problem is None:
        return
    audit.record(
        action="people.import.refused_flags",
        actor=actor,
        school=school,
        changes={"kind": str(parsed.kind), "columns": [None, flag_column_labels(parsed)]},
    )
    raise ImportRefused(problem.message, problems=[problem])


def _precheck_flag_columns(
    actor: Membership | None, *, school: School, kind: str, text: str, mapping: dict | None
) -> None:
    """The flag-column check, made before any transaction so that its refusal event is kept."""
    if actor is None or permissions.sees_vulnerability(actor):
        return
    _refuse_flag_columns(actor, import_check(school=school, kind=kind, text=text, mapping=mapping), school=school)


def _refuse_unless_ready(parsed: ParseResult, *, skip_invalid: bool) -> None:
    if parsed.file_problems:
        raise ImportRefused(
            "The file cannot be imported as it is; nothing was changed.", problems=list(parsed.file_problems)
        )
    if not parsed.valid_rows:
        raise ImportRefused("No row of the file can be imported; nothing was changed.", problems=parsed.problems)
    if parsed.invalid_rows and not skip_invalid:
        raise ImportRefused(
            f"{len(parsed.invalid_rows)} of {len(parsed.rows)} rows have problems, so nothing was imported. "
            "Correct them, or choose to skip those rows.",
            problems=parsed.problems,
        )


# --- Matching and saving -----------------------------------------------------------------------


def _model_values(kind: Kind, values: dict[str, object]) -> dict[str, object]:
    """Values to store: identifiers left blank in the file keep what Harbour already holds."""
    kept = {}
    for key, value in values.items():
        spec = importing.field_for(kind, key)
        if spec is not None and spec.keep_when_blank and value in ("", None):
            continue
        kept[key] = value
    return kept


def _upsert(model: type[models.Model], found: models.Model | None, school: School, values: dict) -> tuple[Any, str]:
    if found is None:
        return model.objects.create(school=school, **values), CREATED
    diff = audit.changed_fields(found, values)
    if not diff:
        return found, UNCHANGED
    for key in diff:
        setattr(found, key, values[key])
    found.save(update_fields=list(diff))
    return found, UPDATED


def _refuse_row(row: ParsedRow, message: str) -> ImportRefused:
    # Reached only when the database changed between checking and writing.
    return ImportRefused(
        f"Line {row.line} could not be imported; nothing was changed.", problems=[Problem(row.line, message)]
    )


def _find_learner(school: School, upn: object, mis_id: object) -> Learner | None:
    learners = Learner.objects.filter(school=school)
    found = learners.filter(upn=upn).first() if upn else None
    if found is None and mis_id:
        found = learners.filter(mis_id=mis_id).first()
    return found


def _find_staff(school: School, values: dict[str, object]) -> StaffMember | None:
    staff = StaffMember.objects.filter(school=school)
    lookups = (
        ("mis_id", "mis_id"),
        ("staff_code", "staff_code__iexact"),
        ("email", "email__iexact"),
        # A record created with a login but no email yet is still the same person.
        ("email", "user__email__iexact"),
    )
    for key, lookup in lookups:
        if values.get(key):
            found = staff.filter(**{lookup: values[key]}).first()
            if found is not None:
                return found
    return None


def _write_class(school: School, row: ParsedRow) -> str:
    values = _model_values(Kind.CLASSES, row.values)
    teacher_refs = values.pop("teachers", ())
    found = SchoolClass.objects.filter(school=school, name__iexact=values["name"]).first()
    school_class, outcome = _upsert(SchoolClass, found, school, {**values, "is_active": True})
    if not teacher_refs:
        return outcome  # a blank cell leaves the class's teachers as they are
    teachers = []
    staff = StaffMember.objects.filter(school=school).order_by("left_on", "pk")
    for ref in teacher_refs:
        lookup = {"email__iexact": ref} if "@" in ref else {"staff_code__iexact": ref}
        teacher = staff.filter(**lookup).first()
        if teacher is None:
            raise _refuse_row(row, f"No staff member has the code or email '{ref}'.")
        teachers.append(teacher)
    # The file says who teaches the class now: replacing the links ends a former teacher's access.
    if set(school_class.teachers.values_list("pk", flat=True)) != {t.pk for t in teachers}:
        school_class.teachers.set(teachers)
        outcome = UPDATED if outcome == UNCHANGED else outcome
    return outcome


def _write_staff(school: School, row: ParsedRow) -> str:
    values = _model_values(Kind.STAFF, row.values)
    member, outcome = _upsert(StaffMember, _find_staff(school, values), school, values)
    if member.user_id is None and member.email:
        # Linking the record to the colleague's login is what lets a teacher see their class.
        login = (
            Membership.objects.filter(school=school, is_active=True, user__email__iexact=member.email)
            .select_related("user")
            .first()
        )
        if login is not None and not StaffMember.objects.filter(school=school, user=login.user).exists():
            member.user = login.user
            member.save(update_fields=["user"])
            outcome = UPDATED if outcome == UNCHANGED else outcome
    return outcome


def _write_learner(school: School, row: ParsedRow) -> str:
    values = _model_values(Kind.LEARNERS, row.values)
    if "school_class" in values:
        name = values["school_class"]
        school_class = SchoolClass.objects.filter(school=school, name__iexact=name).first() if name else None
        if name and school_class is None:
            raise _refuse_row(row, f"There is no class called '{name}'.")
        values["school_class"] = school_class
    found = _find_learner(school, values.get("upn"), values.get("mis_id"))
    return _upsert(Learner, found, school, values)[1]


def _find_parent(school: School, values: dict[str, object], learner: Learner) -> Parent | None:
    parents = Parent.objects.filter(school=school)
    if values.get("mis_id"):
        found = parents.filter(mis_id=values["mis_id"]).first()
        if found is not None:
            return found
    if values.get("email"):
        found = parents.filter(email__iexact=values["email"]).first()
        if found is not None:
            return found
    # With no identifier, only the same name already linked to the same child counts as a match.
    return parents.filter(
        first_name__iexact=values.get("first_name", ""),
        last_name__iexact=values.get("last_name", ""),
        links__learner=learner,
    ).first()


def _write_parent(school: School, row: ParsedRow) -> str:
    values = _model_values(Kind.PARENTS, row.values)
    learner = _find_learner(school, values.pop("learner_upn", ""), values.pop("learner_mis_id", ""))
    if learner is None:
        raise _refuse_row(row, "The learner this contact belongs to is not in Harbour.")
    link_values = {key: values.pop(key) for key in _LINK_FIELDS if key in values}
    parent, outcome = _upsert(Parent, _find_parent(school, values, learner), school, values)
    link = ParentLink.objects.filter(parent=parent, learner=learner).first()
    if link is None:
        ParentLink.objects.create(parent=parent, learner=learner, **link_values)
        return CREATED if outcome == CREATED else UPDATED
    diff = audit.changed_fields(link, link_values)
    if diff:
        for key in diff:
            setattr(link, key, link_values[key])
        link.save(update_fields=list(diff))
        return UPDATED if outcome == UNCHANGED else outcome
    return outcome


_WRITERS: dict[Kind, Callable[[School, ParsedRow], str]] = {
    Kind.CLASSES: _write_class,
    Kind.STAFF: _write_staff,
    Kind.LEARNERS: _write_learner,
    Kind.PARENTS: _write_parent,
}


# --- Public services ---------------------------------------------------------------------------


def people_import_apply(
    *,
    actor: Membership | None,
    kind: str,
    rows: ParseResult,
    school: School | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    batch: ImportBatch | None = None,
    source: str = "",
) -> ImportSummary:
    """Write the checked rows of one file in a single transaction, with one summary audit event.

    Refuses (ImportRefused, nothing written) when the file has problems, unless ``skip_invalid``
    is set and only some rows are bad. ``dry_run`` does all the work, then rolls it back, so the
    counts are exactly what a real run would give.
    """
    school = _acting_school(actor, school)
    kind = Kind(kind)
    if rows.kind != kind:
        raise ValueError(f"These rows were checked as a {rows.kind} import, not {kind}.")
    _refuse_flag_columns(actor, rows, school=school)
    _refuse_unless_ready(rows, skip_invalid=skip_invalid)
    summary = ImportSummary(kind=kind, skipped_lines=[r.line for r in rows.invalid_rows], dry_run=dry_run)
    writer = _WRITERS[kind]
    with transaction.atomic():
        for row in rows.valid_rows:
            summary.count(writer(school, row))
        changes = summary.as_dict()
        changes.update(source=source, preset=rows.preset.key if rows.preset else "custom")
        audit.record(action="people.import", actor=actor, school=school, obj=batch, changes=changes)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def people_import_text(
    *,
    actor: Membership | None,
    kind: str,
    text: str,
    school: School | None = None,
    mapping: dict | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    batch: ImportBatch | None = None,
    source: str = "",
) -> tuple[ParseResult, ImportSummary]:
    """Check a whole file against the database and apply it, all inside one transaction."""
    school = _acting_school(actor, school)
    _precheck_flag_columns(actor, school=school, kind=kind, text=text, mapping=mapping)
    with transaction.atomic():
        parsed = import_check(school=school, kind=kind, text=text, mapping=mapping)
        summary = people_import_apply(
            actor=actor,
            kind=kind,
            rows=parsed,
            school=school,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            batch=batch,
            source=source,
        )
    return parsed, summary


def _require_pending(actor: Membership, batch: ImportBatch) -> None:
    _acting_school(actor, None)
    if batch.school_id != actor.school.pk:
        raise PermissionDenied
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(f"This import is already {batch.get_status_display().lower()}.")


def import_batch_create(
    *, actor: Membership, kind: str, filename: str, content: str, mapping: dict | None = None
) -> ImportBatch:
    """Hold an uploaded file for preview. Nothing in the school's records changes yet."""
    school = _acting_school(actor, None)
    if kind not in ImportBatch.Kind.values:
        raise ValidationError(f"'{kind}' is not something Harbour can import.")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            school=school,
            kind=kind,
            uploaded_by=actor.user,
            original_filename=filename[:255],
            content=content,
            mapping=mapping or {},
        )
        audit.record(
            action="people.import.upload",
            actor=actor,
            obj=batch,
            changes={"kind": kind, "filename": batch.original_filename, "characters": len(content)},
        )
    return batch


def import_batch_set_mapping(*, actor: Membership, batch: ImportBatch, mapping: dict[str, str]) -> ImportBatch:
    """Choose by hand which column feeds which field (overrides what the preset detected)."""
    _require_pending(actor, batch)
    kind = Kind(batch.kind)
    clean = {key: str(value or "") for key, value in mapping.items() if importing.field_for(kind, key) is not None}
    with transaction.atomic():
        diff = audit.changed_fields(batch, {"mapping": clean})
        batch.mapping = clean
        batch.save(update_fields=["mapping"])
        audit.record(action="people.import.mapping", actor=actor, obj=batch, changes=diff)
    return batch


def _fingerprint(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def import_batch_apply(*, actor: Membership, batch: ImportBatch, skip_invalid: bool = False) -> ImportSummary:
    """Apply a previewed file. Its content is then cleared; the summary and a fingerprint remain."""
    _require_pending(actor, batch)
    _precheck_flag_columns(actor, school=actor.school, kind=batch.kind, text=batch.content, mapping=batch.mapping)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _require_pending(actor, locked)
        parsed, summary = people_import_text(
            actor=actor,
            kind=locked.kind,
            text=locked.content,
            mapping=locked.mapping,
            skip_invalid=skip_invalid,
            batch=locked,
            source="web",
        )
        # Which flag columns it carried: colleagues who do not see flags are then not shown the
        # counts, which could tell them that some pupil's flags changed (issue #12 point 6).
        locked.summary = {
            **summary.as_dict(),
            "sha256": _fingerprint(locked.content),
            "flag_columns": flag_column_labels(parsed),
        }
        locked.status = ImportBatch.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.content = ""
        locked.save(update_fields=["summary", "status", "applied_at", "content"])
    return summary


def import_batch_discard(*, actor: Membership, batch: ImportBatch) -> ImportBatch:
    """Throw a previewed file away without importing anything from it."""
    _require_pending(actor, batch)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _require_pending(actor, locked)
        locked.summary = {"sha256": _fingerprint(locked.content)}
        locked.status = ImportBatch.Status.DISCARDED
        locked.content = ""
        locked.save(update_fields=["summary", "status", "content"])
        audit.record(action="people.import.discard", actor=actor, obj=locked)
    return locked
