"""Pages for the check log, reviews of the provision and reviews of internet use (FLT-03, FLT-04, FLT-08)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from harbour.filtering import permissions, selectors, services_checks, wording
from harbour.filtering.forms import (
    DATETIME_FORMAT,
    CheckFilterForm,
    CheckForm,
    RaiseConcernForm,
    ReviewFilterForm,
    ReviewForm,
    ReviewStartForm,
    UsageReviewFilterForm,
    UsageReviewForm,
    apply_errors,
)
from harbour.filtering.views import _url, form_page

PAGE_SIZE = 25


# --- checks (FLT-03) ---------------------------------------------------------------------------


@require_GET
def checks(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The check log with search and filters (htmx live, works without JavaScript)."""
    actor = request.membership
    form = CheckFilterForm(request.GET or None)
    rows = selectors.check_search(actor=actor, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "summary": f"{page.paginator.count} check{'s' if page.paginator.count != 1 else ''} found",
        "can_manage": permissions.can_manage_register(actor),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "filtering/checks.html#results" if partial else "filtering/checks.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET", "POST"])
def check_new(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Record a check; ``?corrects=<id>`` records a correction of an earlier one as a new check."""
    actor = request.membership
    selectors.may_manage(actor)
    groups = selectors.user_group_list(actor=actor)
    corrects = None
    raw = request.GET.get("corrects") or request.POST.get("corrects")
    if raw:
        corrects = selectors.check_get(actor=actor, pk=raw) if str(raw).isdigit() else None
    if request.method == "POST":
        form = CheckForm(request.POST, groups=groups)
        if form.is_valid():
            try:
                check = services_checks.check_record(
                    actor=actor, corrects_id=corrects.pk if corrects else None, **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The check was recorded.")
                return redirect("filtering:check_detail", school_slug=school_slug, pk=check.pk)
    else:
        initial = {"checked_at": timezone.localtime().strftime(DATETIME_FORMAT), "system": "filtering"}
        if corrects is not None:
            fields = ("system", "method", "test_detail", "device", "location", "result", "follow_up", "checker_name")
            initial.update({f: getattr(corrects, f) for f in fields})
            initial["checked_at"] = timezone.localtime(corrects.checked_at).strftime(DATETIME_FORMAT)
            initial["user_group"] = corrects.user_group_id
        form = CheckForm(initial=initial, groups=groups)
    title = f"Correct check {corrects.pk}" if corrects else "Record a check"
    lead = (
        "The original check stays in the log; this correction is recorded next to it."
        if corrects
        else "Who checked what, when, with which test, on which device and user group, and the result (FLT-03)."
    )
    return form_page(
        request,
        form,
        title=title,
        back=_url("checks", request),
        back_label="Back to the check log",
        lead=lead,
        hidden={"corrects": corrects.pk} if corrects else {},
    )


@require_GET
def check_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    check = selectors.check_get(actor=actor, pk=pk)
    context = {
        "check": check,
        "corrections": check.corrections.select_related("recorded_by").order_by("recorded_at"),
        "can_manage": permissions.can_manage_register(actor),
    }
    return render(request, "filtering/check_detail.html", context)


# --- reviews of the provision (FLT-04, GOV-16) -------------------------------------------------


@require_http_methods(["GET", "POST"])
def reviews(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    filters = ReviewFilterForm(request.GET or None, auto_id="filter_%s")
    review_qs = selectors.review_search(actor=actor, **filters.filters())
    can_manage = permissions.can_manage_register(actor)
    form = ReviewStartForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        selectors.may_manage(actor)
        if form.is_valid():
            try:
                review = services_checks.review_start(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("filtering:review_detail", school_slug=school_slug, pk=review.pk)
    context = {"reviews": review_qs, "form": form, "filters": filters, "triggers": wording.REVIEW_TRIGGERS_EXPLAINED}
    return render(request, "filtering/reviews.html", context, status=400 if form is not None and form.errors else 200)


@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    review = selectors.review_get(actor=actor, pk=pk)
    editable = review.completed_at is None and permissions.can_manage_register(actor)
    if request.method == "POST":
        selectors.may_manage(actor)
        form = ReviewForm(request.POST)
        if form.is_valid():
            complete = "complete" in request.POST
            try:
                services_checks.review_save(
                    actor=actor,
                    review=review,
                    answers=form.answers(),
                    findings=form.cleaned_data["findings"],
                    actions=form.cleaned_data["actions"],
                    participants=form.cleaned_data["participants"],
                    complete=complete,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The review is completed." if complete else "The review was saved.")
                return redirect("filtering:review_detail", school_slug=school_slug, pk=review.pk)
    else:
        form = ReviewForm(
            initial=ReviewForm.initial_from(
                review.answers, findings=review.findings, actions=review.actions, participants=review.participants
            )
        )
    labels = dict(wording.ANSWER_CHOICES)
    answered = [
        (
            item,
            labels.get(review.answers.get(item.key, {}).get("status", ""), "Not answered"),
            review.answers.get(item.key, {}).get("note", ""),
        )
        for item in wording.REVIEW_CHECKLIST
    ]
    context = {"review": review, "form": form, "editable": editable, "answered": answered}
    return render(
        request, "filtering/review_detail.html", context, status=400 if form.is_bound and form.errors else 200
    )


# --- reviews of internet use (FLT-08) ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def usage_reviews(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    filters = UsageReviewFilterForm(request.GET or None, auto_id="filter_%s")
    rows = selectors.usage_review_search(actor=actor, **filters.filters())
    can_manage = permissions.can_manage_register(actor)
    form = UsageReviewForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        selectors.may_manage(actor)
        if form.is_valid():
            try:
                review = services_checks.usage_review_record(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The review of internet use was recorded.")
                return redirect("filtering:usage_review_detail", school_slug=school_slug, pk=review.pk)
    context = {"reviews": rows, "form": form, "filters": filters}
    return render(
        request, "filtering/usage_reviews.html", context, status=400 if form is not None and form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def usage_review_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """One review of internet use; a safeguarding finding becomes a concern from here (FLT-08)."""
    actor = request.membership
    review = selectors.usage_review_get(actor=actor, pk=pk)
    may_raise = (
        permissions.can_manage_register(actor) and permissions.can_report_breach(actor) and not review.concern_id
    )
    form = RaiseConcernForm(request.POST or None) if may_raise else None
    if request.method == "POST":
        if form is None:
            selectors.may_manage(actor)
            messages.error(request, "A concern has already been raised from this review.")
            return redirect("filtering:usage_review_detail", school_slug=school_slug, pk=review.pk)
        if form.is_valid():
            try:
                concern = services_checks.usage_review_raise_concern(actor=actor, review=review, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Concern {concern.reference} was sent to the safeguarding team.")
                return redirect("filtering:usage_review_detail", school_slug=school_slug, pk=review.pk)
    context = {"review": review, "form": form}
    return render(
        request, "filtering/usage_review_detail.html", context, status=400 if form is not None and form.errors else 200
    )
