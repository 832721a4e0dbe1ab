"""The agency directory (REP-23) and the staff reporting-routes page (REP-24, REP-25).

Every member reads both; only the safeguarding team changes the directory. A request to change it
from anyone else gets 404, like every page a role may not use.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.models import Membership
from harbour.concerns import agencies, permissions
from harbour.concerns import reporting_routes as routes
from harbour.concerns.agency_seed import agency_seed_from_policy
from harbour.concerns.models import Agency


class AgencyForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Agency.Kind.choices)
    name = forms.CharField(label="Name", max_length=200)
    phone = forms.CharField(label="Phone", max_length=60, required=False)
    email = forms.CharField(label="Email", max_length=254, required=False, widget=forms.EmailInput)
    website = forms.CharField(label="Website", max_length=300, required=False)
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="When to use this contact, opening hours, what to have ready.",
    )
    for_staff = forms.BooleanField(label="Staff", required=False, initial=True)
    for_learners = forms.BooleanField(label="Learners", required=False)
    for_parents = forms.BooleanField(label="Parents and carers", required=False)
    verified_today = forms.BooleanField(label="I have checked these details with the agency today", required=False)

    def apply_errors(self, error: ValidationError) -> None:
        """Show a service's refusal against the fields it names."""
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)


class AgencyEditForm(AgencyForm):
    is_active = forms.BooleanField(
        label="Still in use", required=False, help_text="Untick to retire the entry; it is kept, never deleted."
    )


def _require_manager(actor: Membership) -> None:
    if not agencies.can_manage_agencies(actor):
        raise Http404


def _directory_url(school_slug: str) -> str:
    return reverse("concerns:agencies", kwargs={"school_slug": school_slug})


@require_GET
def agency_directory(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Every active entry with its last check; the team also sees retired entries and the tools."""
    actor = request.membership
    can_manage = agencies.can_manage_agencies(actor)
    today = timezone.localdate()
    rows = [
        (agency, agencies.verification_due(agency, today=today))
        for agency in agencies.agency_list(actor=actor, include_inactive=can_manage)
    ]
    context = {
        "rows": [row for row in rows if row[0].is_active],
        "retired": [row[0] for row in rows if not row[0].is_active],
        "can_manage": can_manage,
        "due_count": sum(1 for agency, due in rows if due and agency.is_active),
        "stale_months": agencies.STALE_AFTER_MONTHS,
    }
    return render(request, "concerns/agencies.html", context)


def _service_fields(form: AgencyForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.fields}


@require_http_methods(["GET", "POST"])
def agency_new(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    _require_manager(actor)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = agencies.agency_create(actor=actor, **_service_fields(form))
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{agency.name} is in the directory.")
            return redirect(_directory_url(school_slug))
    status = 400 if form.errors else 200
    return render(request, "concerns/agencies_form.html", {"form": form, "agency": None}, status=status)


@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    _require_manager(actor)
    agency = agencies.agency_get(actor=actor, pk=pk)
    initial = {name: getattr(agency, name) for name in AgencyEditForm.base_fields if name != "verified_today"}
    form = AgencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agencies.agency_update(actor=actor, agency=agency, **_service_fields(form))
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, f"{agency.name} is saved.")
            return redirect(_directory_url(school_slug))
    status = 400 if form.errors else 200
    return render(request, "concerns/agencies_form.html", {"form": form, "agency": agency}, status=status)


@require_POST
def agency_verify(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    _require_manager(actor)
    agency = agencies.agency_verify(actor=actor, agency=agencies.agency_get(actor=actor, pk=pk))
    messages.success(request, f"{agency.name}: marked as checked today.")
    return redirect(_directory_url(school_slug))


@require_POST
def agency_seed(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    _require_manager(actor)
    created = agency_seed_from_policy(school=actor.school, actor=actor)
    if created:
        messages.success(
            request,
            f"{len(created)} entr{'y' if len(created) == 1 else 'ies'} added from the school's policy and the "
            "national services. Check each one and mark it as checked.",
        )
    else:
        messages.info(request, "Nothing to add: every entry from the policy is already in the directory.")
    return redirect(_directory_url(school_slug))


def _report_url(actor: Membership, school_slug: str) -> str | None:
    # Shown only to those the form lets in: a read-only trust lead would meet a 404 (issue 20).
    if not permissions.can_report(actor):
        return None
    # The report form belongs to another area; the page still works while it is not there.
    try:
        return reverse("concerns:report", kwargs={"school_slug": school_slug})
    except NoReverseMatch:
        return None


@require_GET
def reporting_routes(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Who to tell, what to do per kind of worry, and where outside help is (REP-24, REP-25)."""
    actor = request.membership
    context = {
        "contacts": routes.reporting_contacts(actor=actor),
        "guidance": routes.route_guidance(),
        "audiences": agencies.agencies_for_audiences(actor=actor),
        "report_url": _report_url(actor, school_slug),
        "never_handle_images": routes.NEVER_HANDLE_IMAGES,
    }
    return render(request, "concerns/routes.html", context)
