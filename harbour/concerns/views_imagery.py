"""The technician's urgent tasks (INC-YPSI-05). Technicians work them; the safeguarding team may
look at the list (it holds no detail); everyone else gets 404.

A task says what kind of work is needed and to speak to the DSL; it never shows the concern, a
child's name or anything about the material. The technician confirms it is done without opening,
viewing or copying anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from harbour.concerns import imagery
from harbour.concerns.forms_imagery import TechnicianTaskDoneForm
from harbour.concerns.forms_triage import apply_errors

TEMPLATE = "concerns/technician_tasks.html"


def _page(request: HttpRequest, *, failed: tuple[int, TechnicianTaskDoneForm] | None = None, status: int = 200):
    actor = request.membership
    tasks = list(imagery.technician_task_list(actor=actor))
    rows = [(task, failed[1] if failed and failed[0] == task.pk else TechnicianTaskDoneForm()) for task in tasks]
    context = {"rows": rows, "may_complete": imagery.may_work_technician_tasks(actor)}
    return render(request, TEMPLATE, context, status=status)


@require_GET
def technician_tasks(request: HttpRequest, school_slug: str) -> HttpResponse:
    return _page(request)


@require_POST
def technician_task_done(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    task = imagery.technician_task_get(actor=actor, pk=pk)
    form = TechnicianTaskDoneForm(request.POST)
    if form.is_valid():
        try:
            imagery.technician_task_complete(
                actor=actor,
                task=task,
                confirmed_not_opened=form.cleaned_data["confirmed_not_opened"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Task marked as done. The DSL can see that it is done.")
            return redirect("concerns:tech_tasks", school_slug=school_slug)
    return _page(request, failed=(task.pk, form), status=400)
