"""Guidance register (GOV-06, GOV-07), linked policies (GOV-08), reviews and triggers (GOV-03, GOV-04,
GOV-14, GOV-21) and the head's exceptions list (GOV-22).

Each page lists its register and, for those who may change it, carries the form to add to it.
Record ids travel in the form (never in the URL) and are looked up through the school-scoped
selectors, so another school's id is simply not found.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.policy import permissions, reviews, selectors, services_registers
from harbour.policy.forms_versions import (
    ExceptionForm,
    GuidanceForm,
    LinkedPolicyForm,
    PeriodicReviewForm,
    ReviewTaskForm,
    TriggerForm,
    WithdrawForm,
)
from harbour.policy.models import PolicyVersion


def _viewer(request: HttpRequest):
    actor = request.membership
    if not permissions.can_view_records(actor):
        raise Http404
    return actor


def _save(request: HttpRequest, form, write) -> bool:
    """Run ``write`` on a valid form; service refusals become form errors. True when it saved."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for text in exc.messages:
            form.add_error(None, text)
        return False
    return True


@require_http_methods(["GET", "POST"])
def guidance(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-06: the guidance register; entering a newer edition flags versions citing older ones (GOV-07)."""
    actor = _viewer(request)
    can_manage = permissions.can_manage(actor)
    form = GuidanceForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if _save(request, form, lambda d: services_registers.guidance_edition_add(actor=actor, **d)):
            messages.success(request, "Edition added to the register.")
            return redirect("policy:guidance", school_slug=school_slug)
    versions = selectors.version_list(actor=actor).exclude(status=PolicyVersion.Status.SUPERSEDED)
    cited = [
        (v, [(key, v.config.get(f"{key}_edition")) for key in ("kcsie", "eyfs", "working_together")]) for v in versions
    ]
    return render(
        request,
        "policy/versions_guidance.html",
        {"editions": selectors.guidance_list(actor=actor), "form": form, "cited": cited, "can_manage": can_manage},
    )


@require_http_methods(["GET", "POST"])
def linked(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-08: the policies this one depends on. ``?edit=<id>`` opens one for editing."""
    actor = _viewer(request)
    can_manage = permissions.can_manage(actor)
    editing = None
    edit_id = request.POST.get("linked") or request.GET.get("edit")
    if edit_id:
        if not can_manage or not str(edit_id).isdigit():
            raise Http404
        editing = selectors.linked_policy_get(actor=actor, pk=int(edit_id))
    form = None
    if can_manage:
        initial = (
            {k: getattr(editing, k) for k in ("name", "owner", "version", "review_date", "link", "notes", "is_active")}
            if editing
            else None
        )
        form = LinkedPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise Http404
        if _save(
            request,
            form,
            lambda d: services_registers.linked_policy_save(actor=actor, linked=editing, values=d),
        ):
            messages.success(request, "Linked policy saved.")
            return redirect("policy:linked", school_slug=school_slug)
    return render(
        request,
        "policy/versions_linked.html",
        {
            "policies": selectors.linked_policy_list(actor=actor, include_retired=can_manage),
            "form": form,
            "editing": editing,
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Reviews: what is due (GOV-03, GOV-14, GOV-21), triggers and their tasks (GOV-04), past reviews."""
    actor = _viewer(request)
    can_manage = permissions.can_manage(actor)
    can_trigger = permissions.can_record_trigger(actor)
    trigger_form = TriggerForm(prefix="trigger") if can_trigger else None
    periodic_form = PeriodicReviewForm(prefix="periodic") if can_manage else None
    task_error = None
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "trigger" and trigger_form is not None:
            trigger_form = TriggerForm(request.POST, prefix="trigger")
            if _save(request, trigger_form, lambda d: services_registers.review_trigger_record(actor=actor, **d)):
                messages.success(request, "Trigger recorded; an out-of-cycle review task is open.")
                return redirect("policy:reviews", school_slug=school_slug)
        elif which == "periodic" and periodic_form is not None:
            periodic_form = PeriodicReviewForm(request.POST, prefix="periodic")
            if _save(request, periodic_form, lambda d: services_registers.periodic_review_record(actor=actor, **d)):
                messages.success(request, "Review recorded.")
                return redirect("policy:reviews", school_slug=school_slug)
        elif which == "task" and can_manage:
            task_form = ReviewTaskForm(request.POST)
            if task_form.is_valid():
                task = selectors.review_task_get(actor=actor, pk=task_form.cleaned_data["task"])
                if _save(
                    request,
                    task_form,
                    lambda d: services_registers.review_task_update(
                        actor=actor, task=task, status=d["status"], outcome=d["outcome"]
                    ),
                ):
                    messages.success(request, "Review task updated.")
                    return redirect("policy:reviews", school_slug=school_slug)
            task_error = " ".join(str(e) for errors in task_form.errors.values() for e in errors)
        else:
            raise Http404
    return render(
        request,
        "policy/versions_reviews.html",
        {
            "status": reviews.review_status(school=actor.school),
            "tasks": selectors.review_task_list(actor=actor),
            "triggers": selectors.trigger_list(actor=actor),
            "periodic": selectors.periodic_review_list(actor=actor),
            "trigger_form": trigger_form,
            "periodic_form": periodic_form,
            "task_statuses": ReviewTaskForm.base_fields["status"].choices,
            "task_error": task_error,
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
def exceptions(request: HttpRequest, school_slug: str) -> HttpResponse:
    """GOV-22: every live exception and permission with its end date, ending soonest first."""
    actor = request.membership
    if not permissions.can_view_exceptions(actor):
        raise Http404
    can_manage = permissions.can_manage_exceptions(actor)
    form = ExceptionForm(prefix="new") if can_manage else None
    withdraw_error = None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if request.POST.get("form") == "withdraw":
            withdraw = WithdrawForm(request.POST)
            if withdraw.is_valid():
                exception = selectors.exception_get(actor=actor, pk=withdraw.cleaned_data["exception"])
                if _save(
                    request,
                    withdraw,
                    lambda d: services_registers.policy_exception_withdraw(
                        actor=actor, exception=exception, reason=d["reason"]
                    ),
                ):
                    messages.success(request, "Exception withdrawn.")
                    return redirect("policy:exceptions", school_slug=school_slug)
            withdraw_error = " ".join(str(e) for errors in withdraw.errors.values() for e in errors)
        else:
            form = ExceptionForm(request.POST, prefix="new")
            if _save(request, form, lambda d: services_registers.policy_exception_record(actor=actor, **d)):
                messages.success(request, "Exception recorded.")
                return redirect("policy:exceptions", school_slug=school_slug)
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "policy/versions_exceptions.html",
        {
            "rows": selectors.exception_list(actor=actor, include_ended=show_all),
            "show_all": show_all,
            "form": form,
            "withdraw_error": withdraw_error,
            "can_manage": can_manage,
        },
    )
