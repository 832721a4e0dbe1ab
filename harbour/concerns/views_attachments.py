"""Files on a concern: the list with its upload form, download, and what the team may do to a file
(INC-YPSI-12..13, INC-CSAE-12, REP-08).

Uploads go through ``harbour.core.uploads.GuardedUploadHandler``: held in memory only, and skipped
unread when the concern takes no file, so a refused picture never touches the disk. The handler
must be in place before anything reads the request body, and Django's CSRF check reads it: hence
the upload view is exempt from the middleware's check and runs the same check itself once the
handler is set. Withheld or destroyed files answer 404 to everyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts.models import Membership
from harbour.concerns import attachments, permissions, selectors
from harbour.concerns.forms_attachments import DestroyForm, DocumentsForm, FileActionForm
from harbour.concerns.models import Attachment, Concern

PAGE_TEMPLATE = "concerns/attachment_page.html"


def file_response(attachment: Attachment, handle: Any) -> FileResponse:
    """The stored file as a sandboxed download with its checked type (shared with the API)."""
    return attachments.download_response(attachment, handle)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def attachment_list(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """The concern's files; POST adds one (managers and colleagues it is shared with)."""
    if request.method == "POST":
        concern = selectors.concern_get(actor=request.membership, pk=pk)
        if not attachments.can_add(request.membership, concern):
            raise Http404("No such concern")  # before a byte of the body is read
        guard = attachments.upload_guard(request, school_slug=school_slug, pk=pk)
        return _upload(request, school_slug, concern, guard)
    concern = selectors.concern_get(actor=request.membership, pk=pk)
    return _page(request, concern)


@csrf_protect
def _upload(
    request: HttpRequest, school_slug: str, concern: Concern, guard: attachments.GuardedUploadHandler
) -> HttpResponse:
    actor: Membership = request.membership
    received = attachments.received_file(request.FILES.get("file"), guard)
    if received is None:
        return _page(request, concern, error="Choose a file to add.", status=400)
    try:
        attachment = attachments.attachment_add(
            actor=actor, concern=concern, name=received.name, data=received.data, refused=received.refused
        )
    except attachments.AttachmentRefused as refusal:
        return _page(request, concern, error=refusal.messages[0], status=400)
    messages.success(request, f"“{attachment.original_name}” was added to the concern.")
    if request.POST.get("return_to") == "files":
        return redirect("concerns:attachment_list", school_slug=school_slug, pk=concern.pk)
    return redirect(reverse("concerns:detail", kwargs={"school_slug": school_slug, "pk": concern.pk}) + "#files")


def _page(
    request: HttpRequest, concern: Concern, *, error: str = "", status: int = 200, documents_form: Any = None
) -> HttpResponse:
    context = {
        "concern": concern,
        "attachments": attachments.attachment_panel(actor=request.membership, concern=concern),
        "attachments_return_to": "files",
        "upload_error": error,
        "documents_form": documents_form or DocumentsForm(),
    }
    return render(request, PAGE_TEMPLATE, context, status=status)


@require_GET
def attachment_download(request: HttpRequest, school_slug: str, pk: int, attachment_pk: int) -> FileResponse:
    """Anyone who may see the concern may download its live files; the download is audited."""
    concern = selectors.concern_get(actor=request.membership, pk=pk)
    attachment, handle = attachments.attachment_open(actor=request.membership, concern=concern, pk=attachment_pk)
    return file_response(attachment, handle)


@require_POST
def documents_switch(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """INC-CSAE-12: the DSL switches text documents on (or off again) for this concern, with a reason."""
    actor: Membership = request.membership
    concern = selectors.concern_get(actor=actor, pk=pk)
    if not attachments.can_switch_documents(actor, concern):
        raise Http404("No such concern")
    form = DocumentsForm(request.POST)
    if not form.is_valid():
        return _page(request, concern, status=400, documents_form=form)
    switch = (
        attachments.documents_switch_on if form.cleaned_data["switch"] == "on" else attachments.documents_switch_off
    )
    try:
        switch(actor=actor, concern=concern, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _form_errors(form, exc)
        return _page(request, concern, status=400, documents_form=form)
    messages.success(
        request, "Text documents are switched on." if form.cleaned_data["switch"] == "on" else "Files are switched off."
    )
    return redirect("concerns:attachment_list", school_slug=school_slug, pk=pk)


def _managed(request: HttpRequest, pk: int, attachment_pk: int) -> tuple[Membership, Concern, Attachment]:
    actor: Membership = request.membership
    concern = selectors.concern_get(actor=actor, pk=pk)
    if not permissions.can_manage(actor, concern):
        raise Http404("No such concern")
    return actor, concern, attachments.attachment_get(concern=concern, pk=attachment_pk)


@require_http_methods(["GET", "POST"])
def attachment_destroy(request: HttpRequest, school_slug: str, pk: int, attachment_pk: int) -> HttpResponse:
    """Confirm, then delete a withheld file's bytes for good (INC-YPSI-13). Nothing else is destroyable."""
    actor, concern, attachment = _managed(request, pk, attachment_pk)
    if attachment.destroyed_at is not None:
        messages.info(request, "That file has already been destroyed.")
        return redirect("concerns:attachment_list", school_slug=school_slug, pk=pk)
    if attachment.withheld_at is None:
        return redirect("concerns:attachment_manage", school_slug=school_slug, pk=pk, attachment_pk=attachment.pk)
    form = DestroyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            attachments.attachment_destroy(actor=actor, attachment=attachment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "The file was destroyed. The record that it existed is kept on the concern.")
            return redirect("concerns:attachment_list", school_slug=school_slug, pk=pk)
    context = {
        "concern": concern,
        "attachment": attachment,
        "type_label": attachments.type_label(attachment),
        "form": form,
    }
    return render(request, "concerns/attachment_destroy.html", context, status=400 if form.errors else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def attachment_manage(request: HttpRequest, school_slug: str, pk: int, attachment_pk: int) -> HttpResponse:
    """Hide, replace, or withhold one file, each with a reason (REP-08). The replacement goes through
    the same guard as any upload, so the handler is set before the CSRF check reads the body."""
    actor, concern, attachment = _managed(request, pk, attachment_pk)
    guard = attachments.upload_guard(request, school_slug=school_slug, pk=pk) if request.method == "POST" else None
    return _manage(request, school_slug, actor, concern, attachment, guard)


@csrf_protect
def _manage(
    request: HttpRequest,
    school_slug: str,
    actor: Membership,
    concern: Concern,
    attachment: Attachment,
    guard: attachments.GuardedUploadHandler | None,
) -> HttpResponse:
    form = FileActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and guard is not None and form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            done = _apply(
                actor, attachment, action, reason, attachments.received_file(request.FILES.get("file"), guard)
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                raise Http404("No such concern") from exc
            _form_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("concerns:attachment_list", school_slug=school_slug, pk=concern.pk)
    context = {
        "concern": concern,
        "attachment": attachment,
        "type_label": attachments.type_label(attachment),
        "form": form,
        "accepted": attachments.accepted_summary(attachments.upload_place(concern)),
    }
    return render(request, "concerns/attachment_manage.html", context, status=400 if form.errors else 200)


def _apply(actor: Membership, attachment: Attachment, action: str, reason: str, received: Any) -> str:
    if action == "hide":
        attachments.attachment_hide(actor=actor, attachment=attachment, reason=reason)
        return "The file is hidden. The safeguarding team can still open it."
    if action == "withhold":
        attachments.attachment_withhold(actor=actor, attachment=attachment, reason=reason)
        return "Nobody can open the file now. Destroy it from the list of files."
    if received is None:
        raise ValidationError({"file": ["Choose the corrected version of the file."]})
    attachments.attachment_supersede(
        actor=actor,
        attachment=attachment,
        name=received.name,
        data=received.data,
        reason=reason,
        refused=received.refused,
    )
    return "The new version was added; the old one is kept, marked as replaced."


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
