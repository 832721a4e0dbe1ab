"""Logging a concern: the staff form with its learner picker, "my reports", and the public form.

Staff pages live under /s/<slug>/concerns/ (REP-01, REP-02, REP-07); the public form lives at
/report/<slug>/ with no login (REP-03). Reads go through the concerns selectors, writes through
``services.concern_report`` / ``concern_report_public``; a reporter only ever gets a receipt.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from harbour.accounts.models import Membership
from harbour.accounts.selectors import safeguarding_contacts
from harbour.concerns import permissions, routing, selectors, services
from harbour.concerns import selectors_reporting as reporting
from harbour.concerns.forms_reporting import (
    PublicReportForm,
    ReportForm,
    chosen_learners,
    initial_from,
    is_bot,
)
from harbour.concerns.models import ConcernLearner
from harbour.core.middleware import client_ip

REPORT_TEMPLATE = "concerns/report_form.html"
PICKER_ACTIONS = ("add_learner", "remove_learner", "find_learners")
PUBLIC_LIMIT = 5
PUBLIC_WINDOW_SECONDS = 3600
RECEIPTS_PER_PAGE = 25


def _reporter(request: HttpRequest) -> Membership:
    """404 for anyone who may not log a concern here (governors and trust leads use other routes)."""
    actor = request.membership
    if not permissions.can_report(actor):
        raise Http404
    return actor


def _chosen(actor: Membership, picks: list[tuple[int, str]]) -> list[dict[str, Any]]:
    parts = dict(picks)
    return [
        {"id": choice.id, "name": choice.name, "class_name": choice.class_name, "part": parts[choice.id]}
        for choice in reporting.learner_choices_by_id(actor=actor, ids=[pk for pk, _ in picks])
    ]


def _apply_service_errors(form: Form, exc: ValidationError) -> list[str]:
    """Put the service's messages on the form fields they concern; return those about learners."""
    learner_errors: list[str] = []
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return learner_errors
    for field, errors in exc.message_dict.items():
        if field == "learners":
            learner_errors.extend(errors)
        elif field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, errors)
    return learner_errors


def _render_report(
    request: HttpRequest,
    actor: Membership,
    form: ReportForm,
    *,
    picks: list[tuple[int, str]],
    query: str = "",
    learner_errors: list[str] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "contacts": safeguarding_contacts(school=actor.school),
        "chosen": _chosen(actor, picks),
        "part_choices": ConcernLearner.Part.choices,
        "learner_query": query,
        "matches": reporting.learner_choices_for_report(actor=actor, query=query) if query else [],
        "learner_errors": learner_errors or [],
    }
    return render(request, REPORT_TEMPLATE, context)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The staff report form (REP-01, REP-02, REP-05). Works without JavaScript; htmx makes the picker live."""
    actor = _reporter(request)
    staff = reporting.staff_choices_for_report(actor=actor)
    if request.method == "GET":
        picks = [(int(pk), ConcernLearner.Part.AFFECTED) for pk in request.GET.getlist("learner") if pk.isdigit()]
        return _render_report(request, actor, ReportForm(staff_choices=staff), picks=picks)

    picks = chosen_learners(request.POST)
    if any(action in request.POST for action in PICKER_ACTIONS):
        # A picker button without JavaScript: redraw with what was typed, save nothing, scold nobody.
        form = ReportForm(initial=initial_from(request.POST), staff_choices=staff)
        query = request.POST.get("learner_q", "") if "find_learners" in request.POST else ""
        return _render_report(request, actor, form, picks=picks, query=query)

    form = ReportForm(request.POST, staff_choices=staff)
    learner_errors: list[str] = []
    if form.is_valid():
        try:
            concern = services.concern_report(
                actor=actor,
                involvements=[services.Involvement(learner_id=pk, part=part) for pk, part in picks],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            learner_errors = _apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Your report {concern.reference} has been sent to {routing.receipt_words(concern)}."
            )
            return redirect("concerns:receipt_detail", school_slug=actor.school.slug, pk=concern.pk)
    return _render_report(request, actor, form, picks=picks, learner_errors=learner_errors)


def _partial(request: HttpRequest, partial: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, f"{REPORT_TEMPLATE}#{partial}", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def report_learner_search(request: HttpRequest, school_slug: str) -> HttpResponse:
    """htmx: the picker's matches for what has been typed so far (name and class only)."""
    actor = _reporter(request)
    query = request.GET.get("learner_q", "")
    matches = reporting.learner_choices_for_report(actor=actor, query=query)
    return _partial(request, "learner_matches", {"matches": matches, "learner_query": query})


@require_GET
def report_learner_chosen(request: HttpRequest, school_slug: str) -> HttpResponse:
    """htmx: the list of picked learners after an add or remove button."""
    actor = _reporter(request)
    context = {"chosen": _chosen(actor, chosen_learners(request.GET)), "part_choices": ConcernLearner.Part.choices}
    return _partial(request, "chosen_learners", context)


def receipt_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """My reports: what I sent and where it is up to, never what the team decided (REP-07)."""
    actor = request.membership
    page = Paginator(reporting.receipt_rows(actor=actor), RECEIPTS_PER_PAGE).get_page(request.GET.get("page"))
    # Receipts, not concerns, reach the template: it cannot show what a receipt does not hold.
    receipts = [reporting.receipt_from(concern) for concern in page.object_list]
    context = {"page": page, "receipts": receipts, "may_report": permissions.can_report(actor)}
    return render(request, "concerns/receipt_list.html", context)


def receipt_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """One of my reports as a receipt. Anyone else's report is 404, as if it did not exist."""
    actor = request.membership
    receipt = reporting.receipt_detail(actor=actor, pk=pk)
    # A reporter who is also on the team (or was shared in) may go on to the full record.
    may_open = selectors.concern_list(actor=actor).filter(pk=receipt.id).exists()
    return render(request, "concerns/receipt_detail.html", {"receipt": receipt, "may_open": may_open})


# --- public form (no login) --------------------------------------------------------------------


def _throttle_key(request: HttpRequest) -> str:
    return f"concerns:public-report:{client_ip(request) or 'unknown'}"


def _throttled(request: HttpRequest) -> bool:
    return (cache.get(_throttle_key(request)) or 0) >= PUBLIC_LIMIT


def _count_submission(request: HttpRequest) -> None:
    key = _throttle_key(request)
    # add() starts the window only once; incr() keeps its expiry.
    cache.add(key, 0, PUBLIC_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, PUBLIC_WINDOW_SECONDS)


@require_http_methods(["GET", "POST"])
def public_report(request: HttpRequest, slug: str) -> HttpResponse:
    """REP-03: a parent, carer or visitor reports a worry. Throttled per address, honeypot, CSRF, no captcha."""
    school = reporting.school_for_public_report(slug=slug)
    context: dict[str, Any] = {"school": school, "throttled": False}
    if request.method == "POST":
        if _throttled(request):
            context.update(form=PublicReportForm(initial=initial_from_public(request)), throttled=True)
            return render(request, "concerns/public_report.html", context, status=429)
        if is_bot(request.POST):
            # Looks exactly like success, so the bot learns nothing; nothing is stored.
            _count_submission(request)
            return redirect("concerns_public:thanks", slug=school.slug)
        form = PublicReportForm(request.POST)
        if form.is_valid():
            try:
                services.concern_report_public(school=school, **form.service_kwargs())
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                _count_submission(request)
                return redirect("concerns_public:thanks", slug=school.slug)
    else:
        form = PublicReportForm()
    context["form"] = form
    return render(request, "concerns/public_report.html", context)


def initial_from_public(request: HttpRequest) -> dict[str, str]:
    """What the person typed, kept when they are asked to wait, so nothing has to be written twice."""
    return {name: request.POST.get(name, "") for name in PublicReportForm.base_fields if name != "website"}


@require_GET
def public_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """No reference, nothing to enumerate: a thank-you, what happens next, and where else to get help."""
    school = reporting.school_for_public_report(slug=slug)
    return render(request, "concerns/public_thanks.html", {"school": school})


def public_help(request: HttpRequest, slug: str) -> HttpResponse:
    """REP-24 for learners and families: who to tell in school and where to find help outside it,
    without signing in. Names only the people the school publishes as its safeguarding contacts."""
    from harbour.accounts.selectors import safeguarding_contacts
    from harbour.concerns.agencies import public_agencies

    school = reporting.school_for_public_report(slug=slug)
    context = {
        "school": school,
        "contacts": safeguarding_contacts(school=school),
        "audiences": public_agencies(school=school),
    }
    return render(request, "concerns/public_help.html", context)
