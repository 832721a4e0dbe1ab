"""The page where the head or school admin sets who receives allegations about the headteacher.

Issue 12 point 2 (INC-STAFF-05). Linked from "People with logins" and from leaders' dashboards
while the route is missing. Anyone who may not set it gets 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.concerns import allegation_route as ar
from harbour.concerns.forms_triage import apply_errors
from harbour.concerns.models import AllegationRoute


class RouteForm(forms.Form):
    chair = forms.TypedChoiceField(
        label="Chair of governors",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="The login that receives allegations about the headteacher. They must set up two-step sign-in.",
    )
    second_route = forms.ChoiceField(
        label="If no chair of governors can take it",
        choices=[("", "Not set"), *AllegationRoute.Second.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    lado_email = forms.EmailField(
        label="The LADO's email address",
        required=False,
        help_text="Only for the LADO route. Left empty, the LADO in the school's agencies list is used.",
        error_messages={"invalid": "Enter the LADO's email address, like name@example.org."},
    )

    def __init__(self, *args: object, candidates: list[tuple[int, str]], **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [("", "Nobody yet"), *candidates]


@require_http_methods(["GET", "POST"])
def allegation_route(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    if not ar.can_set_route(actor):
        raise Http404
    chair = ar.current_chair(school=actor.school)
    route = ar.route_get(school=actor.school)
    choosable = {m.pk: m for m in ar.chair_candidates(actor=actor)}
    if chair is not None:
        choosable.setdefault(chair.pk, chair)
    candidates = [(pk, f"{m.user.display_name} ({m.get_role_display()})") for pk, m in choosable.items()]
    initial = {"chair": chair.pk if chair else None, "second_route": route.second_route, "lado_email": route.lado_email}
    form = RouteForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Refusals are checked (and audited) outside the transaction so the audit event survives.
            ar.check_actor_may_change_route(actor=actor)
            ar.check_chair_may_change(actor=actor, membership=choosable.get(data["chair"]) if data["chair"] else None)
            with transaction.atomic():  # both or neither
                ar.chair_set(actor=actor, membership=choosable.get(data["chair"]) if data["chair"] else None)
                ar.second_route_set(actor=actor, second_route=data["second_route"], lado_email=data["lado_email"] or "")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The route for allegations about the headteacher is saved.")
            return redirect("concerns:allegation_route", school_slug=school_slug)
    context = {"form": form, "status": ar.route_status(school=actor.school), "chair": chair}
    return render(request, "concerns/allegation_route.html", context, status=400 if form.errors else 200)
