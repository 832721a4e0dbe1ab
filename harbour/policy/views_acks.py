"""Read and acknowledge (ROL-09): each person's own page, and the report of who has and has not.

Everyone with a login sees their own requests and confirms them; nobody sees anyone else's
request by id (404). The report, its chase button and exports follow the records capability
(report) and MANAGE_POLICY (chase). Exports are audited: they carry staff names out of Harbour.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.core import csv_export
from harbour.policy import acknowledgements, permissions, selectors
from harbour.policy.forms_versions import AcknowledgeForm


@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The person's own "please read and acknowledge" list (ROL-09)."""
    actor = request.membership
    if not permissions.can_acknowledge(actor):
        raise Http404
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ack = selectors.my_acknowledgement_get(actor=actor, pk=form.cleaned_data["acknowledgement"])
        try:
            acknowledgements.acknowledgement_record(actor=actor, acknowledgement=ack)
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.success(request, f"Thank you: your confirmation for version {ack.version.number} is recorded.")
        return redirect("policy:acknowledge", school_slug=school_slug)
    mine = list(selectors.my_acknowledgements(actor=actor))
    return render(
        request,
        "policy/versions_acknowledge.html",
        {
            "pending": [a for a in mine if a.acknowledged_at is None],
            "done": [a for a in mine if a.acknowledged_at is not None],
            "form": form,
            "can_view_records": permissions.can_view_records(actor),
        },
    )


def _report(request: HttpRequest, pk: int):
    actor = request.membership
    if not permissions.can_view_records(actor):
        raise Http404
    version = get_object_or_404(selectors.version_list(actor=actor), pk=pk)
    return actor, selectors.acknowledgement_report(actor=actor, version=version)


@require_GET
def version_acks(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """Who has and has not acknowledged a version (ROL-09)."""
    actor, report = _report(request, pk)
    return render(
        request,
        "policy/versions_ack_report.html",
        {
            "report": report,
            "can_chase": permissions.can_manage(actor) and report.version.status == "published" and report.pending,
        },
    )


@require_POST
def version_acks_chase(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """Remind everyone who has not acknowledged yet (at most once in ~a day per person)."""
    actor = request.membership
    if not permissions.can_manage(actor):
        raise Http404
    version = get_object_or_404(selectors.version_list(actor=actor), pk=pk)
    try:
        count = acknowledgements.acknowledgement_chase(actor=actor, version=version)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Reminder sent to {count} {'person' if count == 1 else 'people'}." if count else "Nobody to remind.",
        )
    return redirect("policy:version_acks", school_slug=school_slug, pk=version.pk)


def _rows(report: selectors.AcknowledgementReport) -> list[list[str]]:
    rows = []
    for ack in [*report.done, *report.pending]:
        rows.append(
            [
                ack.user.display_name,
                ack.user.email,
                ROLE_LABELS.get(ack.role, ack.role),
                timezone.localtime(ack.requested_at).strftime("%Y-%m-%d"),
                timezone.localtime(ack.acknowledged_at).strftime("%Y-%m-%d") if ack.acknowledged_at else "",
                str(ack.chase_count),
            ]
        )
    return rows


ROLE_LABELS = dict(Role.choices)
HEADER = ["Name", "Email", "Role", "Asked on", "Acknowledged on", "Reminders sent"]


@require_GET
def version_acks_export(request: HttpRequest, school_slug: str, pk: int, fmt: str) -> HttpResponse:
    """The report as CSV or PDF (ROL-09). Audited as an export."""
    actor, report = _report(request, pk)
    stamp = timezone.localdate().isoformat()
    name = f"policy-v{report.version.number}-acknowledgements-{actor.school.slug}-{stamp}"
    audit.record(action="policy_ack.export", actor=actor, obj=report.version, changes={"format": [None, fmt]})
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv_export.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(_rows(report))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from weasyprint import HTML  # loading pango is slow; only this export needs it

    html = render_to_string(
        "policy/versions_ack_pdf.html",
        {
            "report": report,
            "rows": _rows(report),
            "header": HEADER,
            "school": actor.school,
            "generated_by": actor.user.display_name,
            "generated_at": timezone.localtime(),
        },
    )
    response = HttpResponse(HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _refuse_fetch(url: str, *args, **kwargs):
    # The report is self-contained: nothing in it may make the renderer fetch a file or address.
    raise ValueError(f"Fetching {url!r} is not allowed while rendering a report")
