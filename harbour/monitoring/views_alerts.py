"""The DSL's alert queue, one alert, and the three decisions (FLT-08, INC-FILT-06, INC-FILT-09).

Thin views: reads go through ``selectors`` (404 for anyone without HANDLE_FILTER_ALERTS), writes
through ``alert_actions``. Web addresses are shown as inert text, never as links.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from harbour.people import selectors as people

from . import alert_actions, selectors
from .forms import AlertFilterForm, ConvertForm, ReasonForm
from .models import Alert

PAGE_SIZE = 50


@require_GET
def alert_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The queue: open alerts by default, most severe first, filterable by severity, status, category, person."""
    actor = request.membership
    form = AlertFilterForm(
        request.GET or None, initial={"status": "open"}, categories_seen=selectors.alert_categories(actor=actor)
    )
    alerts = selectors.by_urgency(selectors.alert_search(actor=actor, **form.filters()))
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    count = page.paginator.count
    context = {"form": form, "page": page, "summary": f"{count} {'alert' if count == 1 else 'alerts'} found"}
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request, "monitoring/alert_list.html#results" if partial else "monitoring/alert_list.html", context
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


def _convert_form(actor, alert: Alert, data=None) -> ConvertForm:
    learners = people.learner_list(actor=actor).order_by("last_name", "first_name")
    choices = [
        (learner.pk, f"{learner.full_name} ({learner.school_class or learner.year_group})") for learner in learners
    ]
    initial = {
        "category": alert_actions.suggested_category(alert),
        "learner": alert.learner_id,
        "summary": f"Monitoring: {alert.category_label}"[:200],
        "description": alert_actions.evidence_text(alert),
    }
    return ConvertForm(data, initial=initial, learner_choices=choices)


def _detail(request: HttpRequest, alert: Alert, *, failed: tuple[str, object] | None = None, status: int = 200):
    actor = request.membership
    forms = {
        "convert": _convert_form(actor, alert),
        "false_positive": ReasonForm(initial={"host": alert.hosts[0] if alert.hosts else ""}),
        "dismiss": ReasonForm(),
    }
    if failed:
        forms[failed[0]] = failed[1]
    context = {
        "alert": alert,
        "forms": forms,
        "days": selectors.person_days(actor=actor, alert=alert)[:60],
    }
    return render(request, "monitoring/alert_detail.html", context, status=status)


@require_GET
def alert_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    alert = selectors.alert_get(actor=request.membership, pk=pk)
    return _detail(request, alert)


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
def alert_convert(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """Turn the alert into a concern linked to the learner; it then shows in their chronology."""
    actor = request.membership
    alert = selectors.alert_get(actor=actor, pk=pk)
    form = _convert_form(actor, alert, request.POST)
    if form.is_valid():
        try:
            concern = alert_actions.alert_convert(
                actor=actor,
                alert=alert,
                category=form.cleaned_data["category"],
                summary=form.cleaned_data["summary"],
                description=form.cleaned_data["description"],
                learner_id=form.cleaned_data["learner"],
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"Concern {concern.reference} opened from this alert.")
            return redirect("concerns:detail", school_slug=actor.school.slug, pk=concern.pk)
    return _detail(request, alert, failed=("convert", form), status=400)


@require_POST
def alert_false_positive(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    alert = selectors.alert_get(actor=actor, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            entry = alert_actions.alert_mark_false_positive(
                actor=actor, alert=alert, reason=form.cleaned_data["reason"], host=form.cleaned_data["host"]
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            extra = f" {entry.entry} is on the school's allow list now." if entry else ""
            messages.success(request, "Marked as a false positive." + extra)
            return redirect("monitoring:alert_detail", school_slug=actor.school.slug, pk=alert.pk)
    return _detail(request, alert, failed=("false_positive", form), status=400)


@require_POST
def alert_dismiss(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    alert = selectors.alert_get(actor=actor, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            alert_actions.alert_dismiss(actor=actor, alert=alert, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "Alert dismissed.")
            return redirect("monitoring:alert_detail", school_slug=actor.school.slug, pk=alert.pk)
    return _detail(request, alert, failed=("dismiss", form), status=400)
