"""Pages for filtering breaches: the staff form, receipts, the handlers' list and page, the summary.

INC-FILT-03..10. A member of staff who reports sees a receipt of their own report only; the DSL
team, the head and the technician see and work breaches; anyone else gets 404. Addresses are shown
only through the ``filtering_text`` filters, inert and defanged (INC-FILT-09).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.models import Membership
from harbour.concerns import procedures
from harbour.filtering import breach_steps, breaches, config, permissions, selectors, selectors_breaches, summary
from harbour.filtering import forms_breaches as bf
from harbour.filtering.forms import apply_errors
from harbour.filtering.models import Breach
from harbour.people.selectors import learner_list

PAGE_SIZE = 25
DETAIL = "filtering/breach_detail.html"


def _reporter(request: HttpRequest) -> Membership:
    actor = request.membership
    if not permissions.can_report_breach(actor):
        raise Http404
    return actor


@require_http_methods(["GET", "POST"])
def breach_report(request: HttpRequest, school_slug: str) -> HttpResponse:
    """INC-FILT-03: address if known, device, user, time, what was seen. No picture is ever asked for."""
    actor = _reporter(request)
    learners = learner_list(actor=actor).select_related("school_class").order_by("last_name", "first_name")
    form = bf.BreachReportForm(request.POST or None, learners=learners)
    if request.method == "POST" and form.is_valid():
        try:
            breach = breaches.breach_report(actor=actor, **form.service_kwargs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Your report {breach.reference} has been sent.")
            return redirect("filtering:breach_receipt", school_slug=school_slug, pk=breach.pk)
    cfg = config.for_school(actor.school)
    context = {"form": form, "recipients": breaches.first_recipient_roles(actor.school), "cfg": cfg}
    return render(request, "filtering/breach_report.html", context, status=400 if form.errors else 200)


@require_GET
def breach_receipts(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    page = Paginator(selectors_breaches.receipt_rows(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    receipts = [selectors_breaches.receipt_from(b) for b in page.object_list]
    return render(request, "filtering/breach_receipts.html", {"page": page, "receipts": receipts})


@require_GET
def breach_receipt(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """The reporter's own report as a receipt; anybody else's is 404."""
    actor = request.membership
    receipt = selectors_breaches.receipt_get(actor=actor, pk=pk)
    may_open = permissions.can_handle_breaches(actor)
    return render(request, "filtering/breach_receipt.html", {"receipt": receipt, "may_open": may_open})


# --- the handlers' pages -----------------------------------------------------------------------


@require_GET
def breach_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    form = bf.BreachFilterForm(request.GET or None)
    rows = selectors_breaches.breach_search(actor=actor, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    count = page.paginator.count
    context = {"form": form, "page": page, "summary": f"{count} breach{'es' if count != 1 else ''} found"}
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request, "filtering/breach_list.html#results" if partial else "filtering/breach_list.html", context
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


def _panels(breach: Breach, failed: tuple[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    """One form per step. Each gets its own id prefix: the page holds them all at once."""
    v = {"version": breach.version}
    initial: dict[str, dict[str, Any]] = {
        "triage": {**v, "category": breach.category, "location": breach.location, "device_group": breach.device_group},
        "provider": {**v, "provider_contact": breach.provider_contact},
        "parents": v,
        "illegal": {**v, "believed": "no" if breach.believed_illegal else "yes"},
        "agency": {},
        "external": {**v, "system": breach.external_system, "reference": breach.external_reference},
        "concern": v,
        "note": {},
        "amend": {},
        "close": v,
    }
    panels: dict[str, forms.Form] = {}
    for key, values in initial.items():
        extra = {"believed_illegal": breach.believed_illegal} if key == "concern" else {}
        panels[key] = ACTIONS[key][0](initial=values, auto_id=f"{key}_%s", **extra)
    if failed is not None:
        panels[failed[0]] = failed[1]
    return panels


def _detail(request: HttpRequest, breach: Breach, failed: tuple[str, forms.Form] | None = None) -> HttpResponse:
    cfg = config.for_school(breach.school)
    panels = _panels(breach, failed)
    if not panels["external"].is_bound and not breach.external_system and cfg.recording_system:
        panels["external"].initial["system"] = cfg.recording_system
    if not panels["provider"].is_bound and not breach.provider_contact:
        # The provider the register names first, else the one in the school's policy (INC-FILT-05).
        arrangement = selectors.current_arrangement(school=breach.school)
        recorded = arrangement.filtering_provider if arrangement else ""
        panels["provider"].initial["provider_contact"] = recorded or cfg.filtering_provider or cfg.broadband_provider
    context = {
        "breach": breach,
        "entries": selectors_breaches.breach_entries(breach=breach),
        "panels": panels,
        "cfg": cfg,
        "blockers": breach_steps.close_blockers(breach) if breach.status != Breach.Status.CLOSED else [],
        "agencies": breach_steps.AGENCIES,
        "illegal_procedures": [procedures.procedure_for(c) for c in breach_steps.ILLEGAL_CONCERN_CATEGORIES[:2]],
        "refer_illegal": procedures.REFER_ILLEGAL_CONTENT,
        "agency_reports": breach.entries.filter(kind="agency"),
        "concern_url": reverse("concerns:detail", args=[breach.school.slug, breach.concern_id])
        if breach.concern_id and getattr(breach, "concern_openable", False)
        else "",
        "failed": failed[0] if failed else "",
    }
    return render(request, DETAIL, context, status=400 if failed else 200)


@require_GET
def breach_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    breach = selectors_breaches.breach_get(actor=request.membership, pk=pk)
    return _detail(request, breach)


Handler = Callable[[Membership, Breach, dict[str, Any]], Any]

ACTIONS: dict[str, tuple[type[forms.Form], Handler, str]] = {
    "triage": (bf.TriageForm, lambda a, b, d: breach_steps.breach_triage(actor=a, breach=b, **d), "Triage recorded."),
    "provider": (
        bf.ProviderForm,
        lambda a, b, d: breach_steps.breach_pass_to_provider(actor=a, breach=b, **d),
        "Passed to the provider; the ticket reference is recorded.",
    ),
    "parents": (
        bf.ParentsForm,
        lambda a, b, d: breach_steps.breach_record_parents(actor=a, breach=b, **d),
        "Recorded.",
    ),
    "illegal": (bf.IllegalForm, lambda a, b, d: breach_steps.breach_set_illegal(actor=a, breach=b, **d), "Recorded."),
    "agency": (
        bf.AgencyForm,
        lambda a, b, d: breach_steps.breach_record_agency_report(actor=a, breach=b, **d),
        "The report to the agency is recorded.",
    ),
    "external": (
        bf.ExternalForm,
        lambda a, b, d: breach_steps.breach_set_external_reference(actor=a, breach=b, **d),
        "The cross-reference is recorded.",
    ),
    "concern": (
        bf.ConcernForm,
        lambda a, b, d: breach_steps.breach_to_concern(actor=a, breach=b, **d),
        "The breach is now a safeguarding concern for the DSL.",
    ),
    "note": (bf.NoteForm, lambda a, b, d: breach_steps.breach_add_note(actor=a, breach=b, **d), "Note added."),
    "amend": (
        bf.AmendForm,
        lambda a, b, d: breach_steps.breach_amend_entry(
            actor=a, entry=selectors_breaches.breach_entry_get(breach=b, pk=d.pop("entry")), **d
        ),
        "The correction was added; the original entry is kept.",
    ),
    "close": (bf.CloseForm, lambda a, b, d: breach_steps.breach_close(actor=a, breach=b, **d), "The breach is closed."),
}


@require_POST
def breach_action(request: HttpRequest, school_slug: str, pk: int, action: str) -> HttpResponse:
    """One step on a breach from its page. Bad input shows the page again with the error, changing nothing."""
    actor = request.membership
    breach = selectors_breaches.breach_get(actor=actor, pk=pk)
    if action not in ACTIONS:
        raise Http404
    form_class, handler, done = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"{action}_%s")
    if form.is_valid():
        try:
            handler(actor, breach, dict(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("filtering:breach_detail", school_slug=school_slug, pk=breach.pk)
    return _detail(request, breach, failed=(action, form))


# --- the summary for provider reviews (INC-FILT-10) --------------------------------------------


def _summary(request: HttpRequest) -> tuple[bf.SummaryPeriodForm, summary.Summary]:
    form = bf.SummaryPeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    result = summary.breach_summary(
        actor=request.membership, date_from=data.get("date_from"), date_to=data.get("date_to")
    )
    return form, result


@require_GET
def breach_summary(request: HttpRequest, school_slug: str) -> HttpResponse:
    form, result = _summary(request)
    context = {"form": form, "summary": result, "dimensions": summary.DIMENSIONS, "query": request.GET.urlencode()}
    return render(request, "filtering/breach_summary.html", context)


@require_GET
def breach_summary_csv(request: HttpRequest, school_slug: str) -> HttpResponse:
    _form, result = _summary(request)
    response = HttpResponse(summary.summary_csv(actor=request.membership, summary=result), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="filtering-breaches-{result.date_to:%Y-%m-%d}.csv"'
    return response


@require_GET
def breach_summary_svg(request: HttpRequest, school_slug: str) -> HttpResponse:
    _form, result = _summary(request)
    dimension = request.GET.get("by", "category")
    if dimension not in summary.DIMENSIONS:
        dimension = "category"
    response = HttpResponse(summary.summary_svg(result, dimension=dimension), content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
