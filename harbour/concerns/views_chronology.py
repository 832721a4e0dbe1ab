"""The learner chronology page, its PDF export and the key-event pins (issue 4 item 8, REP-07).

Only the safeguarding team and a trust safeguarding lead open a chronology; anyone else, and
anyone from another school, gets 404. What each reader sees comes from ``chronology``, which reads
through the concern access door, so an allegation about staff never reaches the DSL's chronology.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from harbour.concerns import chronology
from harbour.concerns.chronology_pdf import chronology_pdf_export
from harbour.concerns.models import ConcernEntry
from harbour.core.widgets import IsoDateInput
from harbour.people.models import Learner

TEMPLATE = "concerns/chronology.html"


class ChronologyFilterForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(
        label="Kind of event", required=False, choices=[("", "All kinds"), *ConcernEntry.Kind.choices]
    )
    date_from = forms.DateField(label="From", required=False, widget=IsoDateInput())
    date_to = forms.DateField(label="To", required=False, widget=IsoDateInput())
    pinned = forms.BooleanField(label="Key events only", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date. Swap them or clear one.")
        return data

    def _valid(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()  # keeps the fields that passed, reports the rest as errors
        return self.cleaned_data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for the chronology selectors; a field that failed is left out."""
        data = self._valid()
        kind = data.get("kind")
        return {
            "kinds": [kind] if kind else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "pinned_only": bool(data.get("pinned")),
        }

    def query(self) -> str:
        """The valid filters as a query string, for the PDF link and for returning after a pin."""
        params: dict[str, str] = {}
        for name, value in self._valid().items():
            if isinstance(value, date):
                params[name] = value.isoformat()
            elif value is True:
                params[name] = "on"
            elif value:
                params[name] = str(value)
        return urlencode(params)

    def description(self) -> str:
        """The filters in words, printed on the PDF so a reader knows it is not the whole record."""
        data = self._valid()
        parts = []
        if data.get("kind"):
            parts.append(f"only “{ConcernEntry.Kind(data['kind']).label}” events")
        if data.get("date_from"):
            parts.append(f"from {data['date_from']:%d/%m/%Y}")
        if data.get("date_to"):
            parts.append(f"to {data['date_to']:%d/%m/%Y}")
        if data.get("pinned"):
            parts.append("key events only")
        return "filtered: " + ", ".join(parts) if parts else ""


def _context(request: HttpRequest, learner: Learner, form: ChronologyFilterForm) -> dict[str, Any]:
    events = chronology.chronology_for_learner(actor=request.membership, learner=learner, **form.filters())
    count = len(events)
    return {
        "learner": learner,
        "form": form,
        "events": events,
        "query": form.query(),
        "summary": f"{count} event{'' if count == 1 else 's'}",
        "can_pin_any": any(event.can_pin for event in events),
    }


def _render(request: HttpRequest, context: dict[str, Any], *, partial: bool, status: int = 200) -> HttpResponse:
    response = render(request, f"{TEMPLATE}#results" if partial else TEMPLATE, context, status=status)
    # The same URL answers with a fragment or a page, so caches must key on the htmx header.
    patch_vary_headers(response, ("HX-Request",))
    response["Cache-Control"] = "no-store"
    return response


def _wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_GET
def chronology_page(request: HttpRequest, school_slug: str, learner_pk: int) -> HttpResponse:
    """The chronology with live filters (kind, dates, key events only). Audited on every load."""
    learner = chronology.chronology_learner_get(actor=request.membership, pk=learner_pk)
    form = ChronologyFilterForm(request.GET or None)
    return _render(request, _context(request, learner, form), partial=_wants_fragment(request))


@require_GET
def chronology_pdf(request: HttpRequest, school_slug: str, learner_pk: int) -> HttpResponse:
    """The chronology, with the same filters, as an OFFICIAL-SENSITIVE PDF. Audited as an export."""
    actor = request.membership
    learner = chronology.chronology_learner_get(actor=actor, pk=learner_pk)
    form = ChronologyFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Never export something other than what was asked for: show the page and its errors instead.
        return _render(request, _context(request, learner, form), partial=False, status=400)
    pdf = chronology_pdf_export(actor=actor, learner=learner, filters_description=form.description(), **form.filters())
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def chronology_pin(request: HttpRequest, school_slug: str, learner_pk: int) -> HttpResponse:
    """Pin or unpin one event. Only the people who manage that event's concern may; others get 404."""
    actor = request.membership
    learner = chronology.chronology_learner_get(actor=actor, pk=learner_pk)
    action = request.POST.get("action")
    if action not in ("pin", "unpin"):
        raise Http404("Unknown action")
    service = chronology.chronology_pin if action == "pin" else chronology.chronology_unpin
    try:
        service(actor=actor, learner=learner, entry_id=request.POST.get("entry", ""))
    except PermissionDenied as exc:
        raise Http404("No such event") from exc
    # Re-read the filters from the posted query string, re-encoded so nothing else rides along.
    form = ChronologyFilterForm(QueryDict(request.POST.get("return_query", "")) or None)
    if _wants_fragment(request):
        return _render(request, _context(request, learner, form), partial=True)
    url = reverse("concerns:chronology", kwargs={"school_slug": school_slug, "learner_pk": learner.pk})
    query = form.query()
    return redirect(f"{url}?{query}" if query else url)
