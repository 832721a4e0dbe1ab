""" "This worry is about a member of staff": the DSL names staff on a concern after it was logged.

Any category (INC-STAFF-05, INC-RAD-04, INC-IIOC-09). The people named lose every trace of it at
once and it moves to the head (or, when the head is named, to the school's route), so the person
who names them usually loses access too: they are sent back to the concern list with a message
that says where it went, never to a page that would now answer 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from harbour.concerns import routing, selectors, services
from harbour.concerns import selectors_reporting as reporting
from harbour.concerns.forms_triage import VersionedForm, apply_errors
from harbour.concerns.models import Concern


class NameStaffForm(VersionedForm):
    subject_staff = forms.TypedMultipleChoiceField(
        label="Which members of staff is it about?",
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": "Choose the member of staff this concern is about."},
    )
    reason = forms.CharField(
        label="Why it is about them",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the concern is about this member of staff."},
    )
    as_staff_concern = forms.BooleanField(
        label="Also change the category to “Concern about a member of staff”",
        required=False,
    )

    def __init__(self, *args: Any, staff_choices: list[reporting.StaffChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_staff"].choices = [(str(choice.id), choice.name) for choice in staff_choices]


def name_staff_form(*, actor: Any, concern: Concern, data: Any = None) -> NameStaffForm:
    staff = reporting.staff_choices_for_report(actor=actor)
    return NameStaffForm(data, prefix="about-staff", initial={"version": concern.version}, staff_choices=staff)


@require_POST
def concern_name_staff(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """Name the staff a concern is about. Only its managers; anyone else gets 404."""
    actor = request.membership
    concern = selectors.concern_get_for_update(actor=actor, pk=pk)
    form = name_staff_form(actor=actor, concern=concern, data=request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.concern_name_staff(
                actor=actor,
                concern=concern,
                staff_ids=data["subject_staff"],
                reason=data["reason"],
                version=data["version"],
                as_staff_concern=data["as_staff_concern"],
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            where = routing.receipt_words(updated)
            if selectors.concern_list(actor=actor).filter(pk=updated.pk).exists():
                messages.success(request, f"Members of staff named. The concern now goes to {where}.")
                return redirect("concerns:detail", school_slug=school_slug, pk=updated.pk)
            messages.success(
                request,
                f"Members of staff named. Concern {updated.reference} now goes to {where} only, so you no "
                "longer see it.",
            )
            return redirect("concerns:list", school_slug=school_slug)
    from harbour.concerns import views_triage

    context = views_triage._detail_context(actor, concern)
    context["name_staff_form"] = form
    return render(request, views_triage.TEMPLATE, context, status=400)
