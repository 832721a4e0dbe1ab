"""The school's monitoring settings and its own allow and block lists (FLT-08, FLT-11)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import permissions, selectors, services
from .forms import ListEntryForm, RemoveEntryForm, SettingsForm
from .scanning import ScanSetupError, category_names, keyword_set
from .severity import DEFAULT_CATEGORY_SEVERITY, DEFAULT_KEYWORD_SEVERITY, severity_for


def _known_categories() -> tuple[list[str], list[str]]:
    try:
        lists = list(category_names())
        keywords = list(keyword_set().categories)
    except ScanSetupError:
        lists, keywords = [], []
    lists = sorted({*lists, *DEFAULT_CATEGORY_SEVERITY})
    keywords = sorted({*keywords, *DEFAULT_KEYWORD_SEVERITY})
    return lists, keywords


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    if not permissions.can_change_settings(actor):
        raise Http404
    config = services.settings_for(actor.school)
    list_names, keyword_names = _known_categories()
    initial = {
        "retention_days": config.retention_days,
        "grouping_minutes": config.grouping_minutes,
        "alert_threshold": config.alert_threshold,
        "digest_enabled": config.digest_enabled,
        **{f"cat__{n}": severity_for(n, config.category_severity, DEFAULT_CATEGORY_SEVERITY) for n in list_names},
        **{f"kw__{n}": severity_for(n, config.keyword_severity, DEFAULT_KEYWORD_SEVERITY) for n in keyword_names},
    }
    form = SettingsForm(
        request.POST or None, initial=initial, list_categories=list_names, keyword_categories=keyword_names
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_update(
                actor=actor,
                retention_days=data["retention_days"],
                grouping_minutes=data["grouping_minutes"],
                alert_threshold=data["alert_threshold"],
                category_severity=form.severities("cat__"),
                keyword_severity=form.severities("kw__"),
                digest_enabled=data["digest_enabled"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Monitoring settings saved. They apply to logs scanned from now on.")
            return redirect("monitoring:settings", school_slug=actor.school.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "monitoring/settings.html", {"form": form, "config": config}, status=status)


@require_http_methods(["GET", "POST"])
def list_page(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    entries = selectors.list_entries(actor=actor)  # 404 for anyone who may not keep the lists
    form = ListEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.list_entry_add(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{entry.entry} added to the {entry.kind} list.")
            return redirect("monitoring:lists", school_slug=actor.school.slug)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "entries": entries, "remove_form": RemoveEntryForm()}
    return render(request, "monitoring/lists.html", context, status=status)


@require_POST
def list_entry_remove(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    entry = selectors.list_entry_get(actor=actor, pk=pk)
    form = RemoveEntryForm(request.POST)
    if form.is_valid():
        try:
            services.list_entry_remove(actor=actor, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{entry.entry} removed from the {entry.kind} list.")
    else:
        messages.error(request, "Say why the entry is being removed.")
    return redirect("monitoring:lists", school_slug=actor.school.slug)
