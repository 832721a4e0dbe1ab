"""Pages of the standards register: overview, arrangements, user groups, decisions, privacy, notice, PDF.

Thin views: they parse input, call one selector or service and render. Everyone who may read the
register (all staff, governors) sees it; only those who keep it (technician, DSL, head, SLT) get the
forms, and anyone else posting to them gets 404, as do other schools (FLT-01..11).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.core import uploads
from harbour.filtering import pdf, permissions, selectors, services, wording
from harbour.filtering.forms import (
    AcknowledgementRecordForm,
    ArrangementForm,
    DecisionForm,
    PrivacyForm,
    UserGroupForm,
    apply_errors,
    contacts_as_text,
)

FORM_PAGE = "filtering/form_page.html"


def form_page(request: HttpRequest, form: Any, *, title: str, back: str, back_label: str, **extra: Any) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, "back_label": back_label, **extra}
    return render(request, FORM_PAGE, context, status=400 if form.is_bound and form.errors else 200)


def _url(name: str, request: HttpRequest, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(f"filtering:{name}", kwargs={"school_slug": request.membership.school.slug, **kwargs})


# --- the overview ------------------------------------------------------------------------------


@require_GET
def register(request: HttpRequest, school_slug: str) -> HttpResponse:
    """FLT-01..11 at a glance: last check, next check due, review due, notice read (percent)."""
    actor = request.membership
    status = selectors.register_viewed(actor=actor)
    context = {
        "status": status,
        "can_manage": permissions.can_manage_register(actor),
        "can_handle_breaches": permissions.can_handle_breaches(actor),
        "can_report_breach": permissions.can_report_breach(actor),
        "supervision": wording.SUPERVISION_STATEMENT,
        "triggers": wording.REVIEW_TRIGGERS_EXPLAINED,
        "learners_social": status.social_media("learners"),
        "staff_social": status.social_media("staff"),
        "decision": selectors.decision_list(actor=actor).filter(superseded_at__isnull=True).first(),
        "privacy": selectors.privacy_list(actor=actor).filter(superseded_at__isnull=True).first(),
    }
    return render(request, "filtering/register.html", context)


@require_GET
def register_pdf(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The register as a PDF for governors; making it is audited as an export."""
    exported = pdf.register_pdf_export(actor=request.membership)
    response = HttpResponse(exported.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


# --- arrangements (FLT-01) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def arrangements(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    selectors.may_manage(actor)
    members = selectors.member_choices(actor=actor)
    if request.method == "POST":
        form = ArrangementForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.arrangement_record(actor=actor, **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The arrangements were saved. The earlier version is kept in the history.")
                return redirect("filtering:register", school_slug=school_slug)
    else:
        form = ArrangementForm(initial=_arrangement_initial(request), members=members)
    return form_page(
        request,
        form,
        title="Connectivity, filtering, monitoring and who is responsible",
        back=_url("register", request),
        back_label="Back to the register",
        lead="Saving records a new version; earlier versions stay in the register's history (FLT-01).",
    )


def _arrangement_initial(request: HttpRequest) -> dict[str, Any]:
    status = selectors.register_status(school=request.membership.school)
    current, cfg = status.arrangement, status.cfg
    if current is None:
        # First time: start from what the school's published policy says.
        return {
            "broadband_provider": cfg.broadband_provider,
            "filtering_provider": cfg.filtering_provider,
            "monitoring_system": cfg.monitoring_system,
            "contacts": contacts_as_text(cfg.technical_contacts),
            "dsl_name": cfg.dsl_name,
            "governor_lead_name": cfg.governor_names[0] if cfg.governor_names else "",
            "check_frequency_days": cfg.check_frequency_days,
            "review_frequency_days": 365,
        }
    initial = {name: getattr(current, name, "") for name in ArrangementForm.base_fields if name != "contacts"}
    initial["contacts"] = contacts_as_text(current.contacts)
    return initial


@require_GET
def arrangement_history(request: HttpRequest, school_slug: str) -> HttpResponse:
    history = selectors.arrangement_history(actor=request.membership)
    return render(request, "filtering/arrangement_history.html", {"history": history})


# --- user groups (FLT-09) ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    groups_qs = selectors.user_group_list(actor=actor)
    can_manage = permissions.can_manage_register(actor)
    form = UserGroupForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        selectors.may_manage(actor)
        if form.is_valid():
            try:
                services.user_group_record(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The group was added.")
                return redirect("filtering:groups", school_slug=school_slug)
    status = selectors.register_status(school=actor.school)
    context = {
        "groups": groups_qs,
        "form": form,
        "learners_social": status.social_media("learners"),
        "staff_social": status.social_media("staff"),
    }
    return render(request, "filtering/groups.html", context, status=400 if form is not None and form.errors else 200)


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    selectors.may_manage(actor)
    group = selectors.user_group_get(actor=actor, pk=pk)
    if request.method == "POST":
        form = UserGroupForm(request.POST)
        if form.is_valid():
            try:
                services.user_group_record(actor=actor, replaces_id=group.pk, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The change was saved as a new version of the group.")
                return redirect("filtering:groups", school_slug=school_slug)
    else:
        fields = ("name", "audience", "filtering_profile", "social_media", "social_media_note")
        form = UserGroupForm(initial={f: getattr(group, f) for f in fields})
    return form_page(
        request, form, title=f"Change {group.name}", back=_url("groups", request), back_label="Back to user groups"
    )


# --- decisions (FLT-02) ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    decision_qs = selectors.decision_list(actor=actor)
    return render(
        request,
        "filtering/decisions.html",
        {"decisions": decision_qs, "can_manage": permissions.can_manage_register(actor)},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, school_slug: str) -> HttpResponse:
    """FLT-02. The document goes through the one upload guard (``harbour.core.uploads``), held in
    memory only. Its handler must be set before anything reads the body, and the CSRF middleware
    reads it: so this view is exempt from the middleware and runs the same check once the handler
    is in place (issue #13; before, a real browser's upload here failed)."""
    actor = request.membership
    selectors.may_manage(actor)
    if request.method == "POST":
        guard = uploads.GuardedUploadHandler(request, place=lambda: uploads.Place.REGISTER_DOCUMENT)
        request.upload_handlers = [guard]
        return _decision_post(request, school_slug, actor, guard)
    return _decision_page(request, DecisionForm())


@csrf_protect
def _decision_post(
    request: HttpRequest, school_slug: str, actor: Any, guard: uploads.GuardedUploadHandler
) -> HttpResponse:
    form = DecisionForm(request.POST, request.FILES)
    upload = uploads.received_file(request.FILES.get("document"), guard)
    if upload is not None and upload.refused:
        form.add_error("document", uploads.refusal_message(upload.refused, uploads.Place.REGISTER_DOCUMENT))
    elif form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "document"}
        current = selectors.decision_list(actor=actor).filter(superseded_at__isnull=True).first()
        try:
            services.decision_record(
                actor=actor,
                document_name=uploads.clean_name(upload.name) if upload else "",
                document_data=upload.data if upload else None,
                replaces_id=current.pk if current else None,
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The decision was recorded.")
            return redirect("filtering:decisions", school_slug=school_slug)
    return _decision_page(request, form)


def _decision_page(request: HttpRequest, form: DecisionForm) -> HttpResponse:
    return form_page(
        request,
        form,
        title="Record the decision on filtering and monitoring",
        back=_url("decisions", request),
        back_label="Back to decisions",
        multipart=True,
        lead="Governors and leaders decide the settings from a risk assessment of the school's own needs (FLT-02).",
    )


@require_GET
def decision_document(request: HttpRequest, school_slug: str, pk: int) -> FileResponse:
    decision, handle = selectors.decision_document_open(actor=request.membership, pk=pk)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=decision.document_name or "risk-assessment",
        content_type=decision.document_type,
    )


# --- privacy (FLT-11) --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def privacy(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    assessments = selectors.privacy_list(actor=actor)
    can_manage = permissions.can_manage_register(actor)
    form = PrivacyForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        selectors.may_manage(actor)
        if form.is_valid():
            try:
                services.privacy_assessment_record(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "The privacy assessment was recorded.")
                return redirect("filtering:privacy", school_slug=school_slug)
    context = {"assessments": assessments, "form": form}
    return render(request, "filtering/privacy.html", context, status=400 if form is not None and form.errors else 200)


# --- the monitoring notice (FLT-06, FLT-07, FLT-10) ---------------------------------------------


@require_GET
def notice(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    selectors.may_view(actor)
    current = selectors.current_notice(school=actor.school)
    can_manage = permissions.can_manage_register(actor)
    context = {
        "notice": current,
        "acknowledged": selectors.has_acknowledged(actor=actor, notice=current),
        "can_manage": can_manage,
        "coverage": selectors.notice_coverage(school=actor.school, notice=current),
        "acks": selectors.notice_acknowledgements(actor=actor, notice=current) if current and can_manage else [],
        "record_form": AcknowledgementRecordForm() if can_manage else None,
    }
    return render(request, "filtering/notice.html", context)


@require_POST
def notice_publish(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    selectors.may_manage(actor)
    try:
        published = services.notice_publish(actor=actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Version {published.number} of the notice is published. Everyone is asked to read it."
        )
    return redirect("filtering:notice", school_slug=school_slug)


@require_POST
def notice_acknowledge(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    if not permissions.can_acknowledge_notice(actor):
        raise Http404  # a trust lead reading in has no login of this school to acknowledge with
    try:
        services.notice_acknowledge(actor=actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thank you: your reading of the monitoring notice is recorded.")
    return redirect("filtering:notice", school_slug=school_slug)


@require_POST
def notice_record(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    selectors.may_manage(actor)
    form = AcknowledgementRecordForm(request.POST)
    if form.is_valid():
        try:
            services.notice_record_acknowledgement(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Recorded.")
            return redirect("filtering:notice", school_slug=school_slug)
    return form_page(
        request,
        form,
        title="Record a reading of the notice",
        back=_url("notice", request),
        back_label="Back to the notice",
    )
