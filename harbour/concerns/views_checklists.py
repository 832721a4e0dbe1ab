"""Working a concern's checklist (htmx, one step at a time) and the school's procedures page.

Ticking, "not applicable" and yes/no answers go through ``selectors.concern_get_for_update``, so
anyone who may not manage the concern gets 404 (REP-07). The procedures pages are for the DSL and
the head only; everyone else gets 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from harbour.accounts.models import Membership
from harbour.concerns import categories, checklists, permissions, selectors
from harbour.concerns.forms_checklists import (
    ProcedureStepAddForm,
    ProcedureStepForm,
    StepAnswerForm,
    StepCompleteForm,
    StepNotApplicableForm,
)
from harbour.concerns.models import ChecklistStep

StepAction = Callable[[Membership, ChecklistStep, forms.Form], ChecklistStep]


# --- a concern's checklist --------------------------------------------------------------------


def checklist_page(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """The checklist on its own page: the no-JavaScript fallback and a direct link. Audited by concern_get."""
    actor = request.membership
    concern = selectors.concern_get(actor=actor, pk=pk)
    context = {
        "concern": concern,
        "steps": checklists.checklist_steps(concern=concern),
        "can_manage": permissions.can_manage(actor, concern),
    }
    return render(request, "concerns/procedure_checklist.html", context)


def _form_errors(form: forms.Form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _step_action(
    request: HttpRequest, pk: int, step_pk: int, form_class: type[forms.Form], action: StepAction
) -> HttpResponse:
    actor = request.membership
    concern = selectors.concern_get_for_update(actor=actor, pk=pk)
    step = checklists.checklist_step_get(concern=concern, pk=step_pk)
    form = form_class(request.POST)
    error = ""
    if form.is_valid():
        try:
            step = action(actor, step, form)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _form_errors(form)
    if request.htmx:
        context = {"concern": concern, "step": step, "can_manage": True, "step_error": error}
        response = render(request, "concerns/checklist.html#step", context)
        patch_vary_headers(response, ("HX-Request",))
        return response
    if error:
        messages.error(request, f"{step.text}: {error}")
    else:
        messages.success(request, "Checklist updated.")
    return redirect("concerns:checklist", school_slug=actor.school.slug, pk=concern.pk)


@require_POST
def step_complete(request: HttpRequest, school_slug: str, pk: int, step_pk: int) -> HttpResponse:
    return _step_action(
        request,
        pk,
        step_pk,
        StepCompleteForm,
        lambda actor, step, form: checklists.checklist_step_complete(
            actor=actor, step=step, note=form.cleaned_data["note"]
        ),
    )


@require_POST
def step_not_applicable(request: HttpRequest, school_slug: str, pk: int, step_pk: int) -> HttpResponse:
    return _step_action(
        request,
        pk,
        step_pk,
        StepNotApplicableForm,
        lambda actor, step, form: checklists.checklist_step_not_applicable(
            actor=actor, step=step, reason=form.cleaned_data["reason"]
        ),
    )


@require_POST
def step_answer(request: HttpRequest, school_slug: str, pk: int, step_pk: int) -> HttpResponse:
    return _step_action(
        request,
        pk,
        step_pk,
        StepAnswerForm,
        lambda actor, step, form: checklists.checklist_step_answer(actor=actor, step=step, answer=form.answer_bool()),
    )


# --- the school's procedures -----------------------------------------------------------------


def _editor(request: HttpRequest) -> Membership:
    actor = request.membership
    if not checklists.can_customise_procedures(actor):
        raise Http404
    return actor


def _category(category: str) -> categories.Category:
    try:
        return categories.get(category)
    except KeyError as exc:
        raise Http404("No such category") from exc


def procedure_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Every category with how many steps its checklist has here and how many the school changed."""
    actor = _editor(request)
    return render(request, "concerns/procedure_list.html", {"rows": checklists.procedure_overview(actor=actor)})


def procedure_detail(request: HttpRequest, school_slug: str, category: str) -> HttpResponse:
    actor = _editor(request)
    context = {
        "category": _category(category),
        "steps": checklists.procedure_view(actor=actor, category=category),
    }
    return render(request, "concerns/procedure_detail.html", context)


def _apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def procedure_step_edit(request: HttpRequest, school_slug: str, category: str, key: str) -> HttpResponse:
    """Reword or move one step. Checklists already open on concerns keep the wording they had."""
    actor = _editor(request)
    cat = _category(category)
    step = checklists.procedure_step_get(actor=actor, category=category, key=key)
    initial = {"text": step.text, "guidance": step.guidance, "position": step.position}
    form = ProcedureStepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            checklists.procedure_step_save(actor=actor, category=category, key=key, **form.cleaned_data)
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, "Step saved. Concerns opened from now on will use the new wording.")
            return redirect("concerns:procedure_detail", school_slug=school_slug, category=category)
    return render(request, "concerns/procedure_step_form.html", {"category": cat, "step": step, "form": form})


def procedure_step_add(request: HttpRequest, school_slug: str, category: str) -> HttpResponse:
    actor = _editor(request)
    cat = _category(category)
    steps = checklists.effective_steps(school=actor.school, category=category, include_hidden=True)
    next_position = (max((s.position for s in steps), default=0) // 10 + 1) * 10
    form = ProcedureStepAddForm(request.POST or None, initial={"position": next_position})
    if request.method == "POST" and form.is_valid():
        try:
            checklists.procedure_step_add(actor=actor, category=category, **form.cleaned_data)
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, "Step added. Concerns opened from now on will include it.")
            return redirect("concerns:procedure_detail", school_slug=school_slug, category=category)
    return render(request, "concerns/procedure_step_form.html", {"category": cat, "step": None, "form": form})


@require_POST
def procedure_step_visibility(request: HttpRequest, school_slug: str, category: str, key: str) -> HttpResponse:
    """Hide a step from new checklists, or bring it back."""
    actor = _editor(request)
    _category(category)
    step = checklists.procedure_step_get(actor=actor, category=category, key=key)
    show = request.POST.get("show") == "1"
    try:
        checklists.procedure_step_set_active(actor=actor, category=category, key=key, is_active=show)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        verb = "shown again on" if show else "hidden from"
        messages.success(request, f"“{step.text}” will be {verb} checklists opened from now on.")
    return redirect("concerns:procedure_detail", school_slug=school_slug, category=category)
