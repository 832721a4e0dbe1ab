"""Reads for MIS imports: pending batches and what the database already knows for checking a file.

Only members whose role carries IMPORT_PEOPLE (office, school administrator) see batches; anyone
else, and anyone from another school, gets 404 as if the batch did not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.people import importing, permissions
from harbour.people.importing import ParseResult, Problem
from harbour.people.models import ImportBatch, Learner, SchoolClass, StaffMember
from harbour.schools.models import School


def import_batch_list(*, actor: Membership, status: str = "") -> QuerySet[ImportBatch]:
    if not permissions.can_import(actor):
        return ImportBatch.objects.none()
    qs = ImportBatch.objects.filter(school=actor.school).select_related("uploaded_by")
    return qs.filter(status=status) if status else qs


def import_batch_get(*, actor: Membership, pk: int) -> ImportBatch:
    try:
        return import_batch_list(actor=actor).get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError) as exc:
        raise Http404("No such import") from exc


def import_references(*, school: School) -> importing.References:
    """Everything a file may point at in this school, for checking before anything is written."""

    def folded(values: QuerySet) -> frozenset[str]:
        return frozenset(str(v).casefold() for v in values if v)

    learners = Learner.objects.filter(school=school)
    staff = StaffMember.objects.filter(school=school)
    return importing.References(
        class_names=folded(SchoolClass.objects.filter(school=school).values_list("name", flat=True)),
        staff_codes=folded(staff.values_list("staff_code", flat=True)),
        staff_emails=folded(staff.values_list("email", flat=True)),
        learner_upns=frozenset(u for u in learners.values_list("upn", flat=True) if u),
        learner_mis_ids=frozenset(m for m in learners.values_list("mis_id", flat=True) if m),
    )


def import_check(*, school: School, kind: str, text: str, mapping: dict | None = None) -> importing.ParseResult:
    """Parse and check a file against this school's records. Writes nothing."""
    return importing.parse(kind, text, refs=import_references(school=school), overrides=mapping or None)


def import_batch_preview(*, actor: Membership, batch: ImportBatch) -> importing.ParseResult:
    if batch.school_id != actor.school.pk or not permissions.can_import(actor):
        raise Http404("No such import")
    parsed = import_check(school=batch.school, kind=batch.kind, text=batch.content, mapping=batch.mapping)
    # Issue #12 point 6: say before confirming that the flag columns cannot be imported by this role.
    problem = importing_flag_problem(actor, parsed)
    if problem is not None:
        parsed.file_problems.insert(0, problem)
    return parsed


def flag_column_labels(parsed: ParseResult) -> list[str]:
    return [spec.label for spec in importing.FIELDS[parsed.kind] if spec.sensitive and spec.key in parsed.mapping]


def importing_flag_problem(actor: Membership | None, parsed: ParseResult) -> Problem | None:
    """The file-wide problem to show when ``actor`` may not import the file's flag columns."""
    if actor is None or permissions.sees_vulnerability(actor):
        return None
    labels = flag_column_labels(parsed)
    if not labels:
        return None
    return Problem(
        1,
        f"This file has vulnerability columns ({', '.join(labels)}). Your role cannot see those flags, "
        "so it cannot import them and nothing was changed. Remove those columns from the file (or set "
        "them to “not imported” in the column choices), or ask the designated safeguarding lead to "
        "import it.",
    )
