"""Learner, class and staff pages. Every read goes through people.selectors, scoped to the acting
membership, so a colleague without need-to-know or anyone from another school gets 404 (ROL-01)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, has_capability
from harbour.people import permissions, selectors
from harbour.people.flag_reads import record_bulk_flag_read
from harbour.people.forms import LearnerFilterForm, StaffFilterForm

PAGE_SIZE = 50


def _require(actor: Membership, *predicates: Callable[[Membership], bool]) -> None:
    """404, never 403: a page the role may not open looks exactly like one that does not exist."""
    if not any(predicate(actor) for predicate in predicates):
        raise Http404


def _page(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _render_list(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page, or only its results region when htmx asks for a live-filter update.

    A history-restore request wants the whole page back, because htmx swaps it into <body>.
    """
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{template}#results" if partial else template, context)
    # The same URL answers with a fragment or a page, so caches must key on the htmx header.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _summary(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural} found"


def learner_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Learners the actor may see, searchable and filterable; flags only for those cleared (ROL-01)."""
    actor = request.membership
    _require(actor, permissions.sees_all_learners, permissions.sees_class_learners)
    form = LearnerFilterForm(request.GET or None, actor=actor)
    filters = form.filters()
    learners = selectors.learner_search(actor=actor, **filters)
    page = _page(request, learners)
    # Issue #12 point 6: the flag column (and any flag filter) is one bulk read: one audit event.
    record_bulk_flag_read(
        actor=actor,
        source="web",
        filters={
            "flag": filters["flag"],
            "q": filters["query"],
            "year_group": filters["year_group"],
            "school_class": filters["class_id"],
            "page": request.GET.get("page", ""),
        },
        count=page.paginator.count,
    )
    context = {
        "form": form,
        "page": page,
        "summary": _summary(page.paginator.count, "learner", "learners"),
        "show_flags": permissions.sees_vulnerability(actor),
    }
    return _render_list(request, "people/learner_list.html", context)


def learner_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """One learner. Opening it is audited by ``learner_get``; flags and family contacts follow the role."""
    actor = request.membership
    learner = selectors.learner_get(actor=actor, pk=pk)
    context = {
        "learner": learner,
        "show_flags": permissions.sees_vulnerability(actor),
        "show_parents": permissions.sees_parents(actor),
        "parent_links": selectors.parent_links_for_learner(actor=actor, learner=learner),
        "can_report": has_capability(actor.role, Capability.REPORT_CONCERN),
        "can_read_chronology": has_capability(actor.role, Capability.READ_CONCERNS),
    }
    return render(request, "people/learner_detail.html", context)


def class_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    _require(actor, permissions.sees_classes)
    classes = selectors.class_list_with_counts(actor=actor)
    return render(request, "people/class_list.html", {"classes": classes})


def class_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """A class with its teachers; its learners only as far as the actor may see them (ROL-01)."""
    actor = request.membership
    school_class = selectors.class_get_with_counts(actor=actor, pk=pk)
    learners = selectors.learner_search(actor=actor, class_id=str(school_class.pk))
    context = {
        "school_class": school_class,
        "learners": learners,
        "may_see_learners": permissions.sees_all_learners(actor) or permissions.sees_class_learners(actor),
    }
    return render(request, "people/class_detail.html", context)


def staff_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Staff, current or left, and whether each has a Harbour login."""
    actor = request.membership
    _require(actor, permissions.sees_staff)
    form = StaffFilterForm(request.GET or None)
    staff = selectors.staff_search(actor=actor, **form.filters())
    page = _page(request, staff)
    context = {"form": form, "page": page, "summary": _summary(page.paginator.count, "person", "people")}
    return _render_list(request, "people/staff_list.html", context)
