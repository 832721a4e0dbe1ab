"""Policy home, versions, the approval workflow and the diff page (GOV-02..GOV-05, GOV-07, GOV-19).

Thin views: reads through ``selectors``/``reviews``, writes through ``services``. Anyone without
VIEW_POLICY_RECORDS gets 404; workflow buttons need MANAGE_POLICY (404 otherwise, so a teacher
learns nothing from trying).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.policy import diff, permissions, reviews, selectors, services
from harbour.policy.forms_versions import ApprovalForm, DiffForm, NoteForm, PublishForm, ReturnToDraftForm

S = selectors.PolicyVersion.Status


def _viewer(request: HttpRequest):
    actor = request.membership
    if not permissions.can_view_records(actor):
        raise Http404
    return actor


def _manager(request: HttpRequest):
    actor = request.membership
    if not permissions.can_manage(actor):
        raise Http404
    return actor


@require_GET
def home(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Policy home: version in force, the open draft, what is due, triggers and links (GOV-03, GOV-04)."""
    actor = request.membership
    if not permissions.can_view_records(actor):
        # Staff without records access still need their own acknowledgement page.
        if permissions.can_acknowledge(actor):
            return redirect("policy:acknowledge", school_slug=school_slug)
        raise Http404
    school = actor.school
    published = selectors.published_version(school=school)
    context = {
        "published": published,
        "draft": selectors.open_version(school=school),
        "status": reviews.review_status(school=school),
        "tasks": selectors.review_task_list(actor=actor, open_only=True)[:10],
        "flags": selectors.version_flags(version=published) if published else [],
        "missing": services.publication_blockers(published) if published else [],
        "published_acks": selectors.acknowledgement_counts(school=school).get(published.number) if published else None,
        "pending_mine": selectors.my_acknowledgements(actor=actor).filter(acknowledged_at__isnull=True).count(),
        "can_manage": permissions.can_manage(actor),
        "can_view_exceptions": permissions.can_view_exceptions(actor),
        "can_record_trigger": permissions.can_record_trigger(actor),
    }
    return render(request, "policy/versions_home.html", context)


@require_GET
def version_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = _viewer(request)
    versions = list(selectors.version_list(actor=actor))
    counts = selectors.acknowledgement_counts(school=actor.school)
    return render(
        request,
        "policy/versions_list.html",
        {
            "rows": [(version, counts.get(version.number)) for version in versions],
            "can_manage": permissions.can_manage(actor),
            "has_open": any(v.is_open for v in versions),
        },
    )


@require_POST
def version_new(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Open a new draft copied from the version in force (or go to the one already open)."""
    actor = _manager(request)
    version = services.policy_version_start_from_published(actor=actor, school=actor.school)
    messages.success(request, f"Version {version.number} is open as a draft.")
    return redirect("policy:version_detail", school_slug=school_slug, pk=version.pk)


def _version(actor, pk: int):
    return get_object_or_404(selectors.version_list(actor=actor), pk=pk)


@require_GET
def version_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = _viewer(request)
    version = _version(actor, pk)
    can_manage = permissions.can_manage(actor)
    previous = selectors.version_list(actor=actor).filter(number__lt=version.number).first()
    steps = [s for s in services.NEXT_STEPS.get(version.status, ()) if can_manage]
    context = {
        "version": version,
        "transitions": selectors.version_transitions(version=version),
        "flags": selectors.version_flags(version=version),
        "missing": services.publication_blockers(version),
        "previous": previous,
        "steps": steps,
        "can_manage": can_manage,
        "editable_statuses": services.EDITABLE_STATUSES,
        "approval_form": ApprovalForm(initial={"approved_on": None}) if S.APPROVED in steps else None,
        "publish_form": PublishForm() if S.PUBLISHED in steps else None,
        "note_form": NoteForm(),
        "return_form": ReturnToDraftForm() if S.DRAFT in steps else None,
        "routine": reviews.next_review(version) if version.status == S.PUBLISHED else None,
        "ack_counts": selectors.acknowledgement_counts(school=actor.school).get(version.number),
    }
    return render(request, "policy/versions_detail.html", context)


STEP_SERVICES = {
    "consult": services.policy_version_start_consultation,
    "advice": services.policy_version_seek_specialist_advice,
    "submit": services.policy_version_submit_for_approval,
}


@require_http_methods(["POST"])
def version_step(request: HttpRequest, school_slug: str, pk: int, action: str) -> HttpResponse:
    """One workflow button: consult, advice, submit, approve, publish or back to draft (GOV-05)."""
    actor = _manager(request)
    version = _version(actor, pk)
    back = redirect("policy:version_detail", school_slug=school_slug, pk=version.pk)
    try:
        if action in STEP_SERVICES:
            form = NoteForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, form, back)
            STEP_SERVICES[action](actor=actor, version=version, note=form.cleaned_data["note"])
        elif action == "approve":
            form = ApprovalForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, form, back)
            services.policy_version_record_approval(actor=actor, version=version, **form.cleaned_data)
        elif action == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, form, back)
            from harbour.policy.acknowledgements import roles_for_groups

            services.policy_version_publish(
                actor=actor,
                version=version,
                note=form.cleaned_data["note"],
                effective_from=form.cleaned_data["effective_from"],
                acknowledgement_roles=roles_for_groups(form.cleaned_data["groups"]),
            )
        elif action == "draft":
            form = ReturnToDraftForm(request.POST)
            if not form.is_valid():
                return _form_errors(request, form, back)
            services.policy_version_return_to_draft(actor=actor, version=version, note=form.cleaned_data["note"])
        else:
            raise Http404
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return back
    version.refresh_from_db()
    messages.success(request, f"Version {version.number}: {version.get_status_display().lower()}.")
    return back


def _form_errors(request: HttpRequest, form, back: HttpResponse) -> HttpResponse:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return back


@require_GET
def version_diff(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Side-by-side differences of two versions: configuration and rendered text (GOV-05)."""
    actor = _viewer(request)
    versions = list(selectors.version_list(actor=actor))
    numbers = sorted(v.number for v in versions)
    data = request.GET if "a" in request.GET else None
    if data is None and len(numbers) >= 2:
        data = {"a": numbers[-2], "b": numbers[-1]}
    form = DiffForm(data, numbers=numbers)
    context = {"form": form, "enough": len(numbers) >= 2}
    if data is not None and form.is_valid():
        by_number = {v.number: v for v in versions}
        old, new = by_number[form.cleaned_data["a"]], by_number[form.cleaned_data["b"]]
        old_text = diff.render_text(old.config, school_name=actor.school.name)
        new_text = diff.render_text(new.config, school_name=actor.school.name)
        full = request.GET.get("full") == "1"
        context.update(
            old=old,
            new=new,
            config_rows=diff.config_diff(old.config, new.config),
            text_rows=diff.text_diff(old_text, new_text, context=None if full else 2)
            if old_text is not None and new_text is not None
            else None,
            full=full,
        )
    return render(request, "policy/versions_diff.html", context)
