"""The audit browser and its CSV export, for the roles that may read the trail (REP-06, REP-07).

Everyone else gets 404, like any record they have no need to know about.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit.forms import AuditFilterForm, object_type_label
from harbour.audit.models import AuditEvent
from harbour.audit.selectors import (
    audit_event_export,
    audit_event_search,
    audit_events_shown,
    audit_filter_choices,
    may_read_audit,
)
from harbour.core import csv_export

PAGE_SIZE = 50
TEMPLATE = "audit/event_list.html"
CSV_HEADER = (
    "When",
    "Person",
    "Role",
    "Action",
    "Record type",
    "Record number",
    "Record",
    "IP address",
    "Browser",
    "Changes",
)


def _audit_actor(request: HttpRequest) -> Membership:
    actor: Membership = request.membership  # type: ignore[attr-defined]
    if not may_read_audit(actor):
        raise Http404("No audit trail here")
    return actor


def _choices(actor: Membership) -> dict[str, Any]:
    """Filter suggestions for a full page; htmx refreshes and the CSV download skip the query."""
    object_types, actions = audit_filter_choices(actor=actor)
    # Offer each action's family ("learner") as well as the actions themselves ("learner.view").
    suggestions = sorted({action.split(".")[0] for action in actions} | set(actions))
    return {"object_types": object_types, "action_suggestions": suggestions}


def _full_page(request: HttpRequest, actor: Membership, context: dict[str, Any], status: int = 200) -> HttpResponse:
    choices = _choices(actor)
    form = AuditFilterForm(request.GET, object_types=choices["object_types"])
    form.is_valid()  # the new form must carry the same errors as the one that was checked
    return render(
        request,
        TEMPLATE,
        {**context, "form": form, "action_suggestions": choices["action_suggestions"]},
        status=status,
    )


def _filter_query(request: HttpRequest) -> str:
    """The filters in use, without empty ones or the page, for the export link."""
    used = [(key, value) for key, value in request.GET.items() if value and key in AuditFilterForm.base_fields]
    return f"?{urlencode(used)}" if used else ""


def _role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def describe_changes(changes: Any) -> list[tuple[str, str]]:
    """``{"role": ["teacher", "dsl"]}`` → ``[("role", "teacher → dsl")]``; other values shown as they are."""
    if not isinstance(changes, dict):
        return [("", _plain(changes))] if changes else []
    described = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            described.append((str(field), f"{_plain(value[0])} → {_plain(value[1])}"))
        else:
            described.append((str(field), _plain(value)))
    return described


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "event": event,
        "role_label": _role_label(event.actor_role),
        "type_label": object_type_label(event.object_type) if event.object_type else "",
        "changes": describe_changes(event.changes),
    }


@require_GET
@vary_on_headers("HX-Request")
def event_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The trail, newest first, filtered live: htmx swaps in just the results as the filters change."""
    actor = _audit_actor(request)
    form = AuditFilterForm(request.GET)
    # Invalid filters show their errors and no rows, rather than silently ignoring what was asked.
    events = audit_event_search(actor=actor, **form.search_kwargs()) if form.is_valid() else []
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters_ok": form.is_valid(),
        "filter_query": _filter_query(request),
        "page_obj": page,
        "rows": [_row(event) for event in audit_events_shown(actor=actor, events=page.object_list)],
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    # A history restore (back button, with hx-history off for this page) needs the whole page.
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        return HttpResponse(render_to_string(f"{TEMPLATE}#results", context, request=request))
    return _full_page(request, actor, context)


class _Echo:
    """A file-like object whose write returns the line, so the CSV writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _shown_in_chunks(actor: Membership, events: Iterable[AuditEvent], size: int = 500) -> Iterator[AuditEvent]:
    """The export's events, scrubbed a chunk at a time so the file still streams."""
    chunk: list[AuditEvent] = []
    for event in events:
        chunk.append(event)
        if len(chunk) >= size:
            yield from audit_events_shown(actor=actor, events=chunk)
            chunk = []
    yield from audit_events_shown(actor=actor, events=chunk)


def _csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    # The one formula-neutralising writer: an attacker-chosen name such as "=HYPERLINK(...)"
    # never runs when the DSL opens the file.
    writer = csv_export.writer(_Echo())
    # The byte-order mark makes Excel, which most schools use, read the file as UTF-8.
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for event in events:
        changes = json.dumps(event.changes, ensure_ascii=False, sort_keys=True) if event.changes else ""
        cells = (
            timezone.localtime(event.created_at).isoformat(timespec="seconds"),
            event.actor_email,
            _role_label(event.actor_role),
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            event.ip_address or "",
            event.user_agent,
            changes,
        )
        yield writer.writerow(cells)


@require_GET
def event_export(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The filtered trail as CSV. The export itself goes into the trail, with its filters and row count."""
    actor = _audit_actor(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        context = {"filters_ok": False, "page_obj": None, "rows": [], "export_refused": True}
        return _full_page(request, actor, context, status=400)
    events, _count = audit_event_export(actor=actor, **form.search_kwargs())
    response = StreamingHttpResponse(
        _csv_lines(_shown_in_chunks(actor, events.iterator(chunk_size=1000))), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="harbour-audit-{actor.school.slug}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
