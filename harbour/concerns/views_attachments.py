"""Files on a concern: the list with its upload form, download, and destruction (INC-YPSI-12..15).

Uploads are read into memory only (``MemoryOnlyUploadHandler``) and checked by content before
anything is stored, so a refused picture never touches the disk. That handler must be in place
before anything reads the request body, and Django's CSRF check reads it: hence the upload view
is exempt from the middleware's check and runs the same check itself once the handler is set.

Downloads are always "save as", never shown in the browser, with a sandbox policy so that even
a file opened by mistake can run nothing. Withheld or destroyed files answer 404 to everyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from harbour.accounts.models import Membership
from harbour.concerns import attachments, permissions, selectors
from harbour.concerns.forms_attachments import DestroyForm
from harbour.concerns.models import Attachment, Concern

PAGE_TEMPLATE = "concerns/attachment_page.html"


def file_response(attachment: Attachment, handle: Any) -> FileResponse:
    """The stored file as a download with the type it was checked to be (shared with the API)."""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachments.download_name(attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def attachment_list(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """The concern's files; POST adds one (managers and colleagues it is shared with)."""
    if request.method == "POST":
        guard = attachments.MemoryOnlyUploadHandler(request)
        request.upload_handlers = [guard]
        return _upload(request, school_slug, pk, guard)
    concern = selectors.concern_get(actor=request.membership, pk=pk)
    return _page(request, concern)


@csrf_protect
def _upload(
    request: HttpRequest, school_slug: str, pk: int, guard: attachments.MemoryOnlyUploadHandler
) -> HttpResponse:
    actor: Membership = request.membership
    concern = selectors.concern_get(actor=actor, pk=pk)
    if not attachments.can_add(actor, concern):
        raise Http404("No such concern")
    received = attachments.received_file(request.FILES.get("file"), guard)
    if received is None:
        return _page(request, concern, error="Choose a file to add.", status=400)
    try:
        attachment = attachments.attachment_add(
            actor=actor, concern=concern, name=received.name, data=received.data, complete=received.complete
        )
    except attachments.AttachmentRefused as refusal:
        return _page(request, concern, error=refusal.messages[0], status=400)
    messages.success(request, f"“{attachment.original_name}” was added to the concern.")
    if request.POST.get("return_to") == "files":
        return redirect("concerns:attachment_list", school_slug=school_slug, pk=pk)
    return redirect(reverse("concerns:detail", kwargs={"school_slug": school_slug, "pk": pk}) + "#files")


def _page(request: HttpRequest, concern: Concern, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "concern": concern,
        "attachments": attachments.attachment_panel(actor=request.membership, concern=concern),
        "attachments_return_to": "files",
        "upload_error": error,
    }
    return render(request, PAGE_TEMPLATE, context, status=status)


@require_GET
def attachment_download(request: HttpRequest, school_slug: str, pk: int, attachment_pk: int) -> FileResponse:
    """Anyone who may see the concern may download its live files; the download is audited."""
    concern = selectors.concern_get(actor=request.membership, pk=pk)
    attachment, handle = attachments.attachment_open(actor=request.membership, concern=concern, pk=attachment_pk)
    return file_response(attachment, handle)


@require_http_methods(["GET", "POST"])
def attachment_destroy(request: HttpRequest, school_slug: str, pk: int, attachment_pk: int) -> HttpResponse:
    """Confirm, then delete a file's bytes for good; only those who manage the concern (INC-YPSI-13)."""
    actor: Membership = request.membership
    concern = selectors.concern_get(actor=actor, pk=pk)
    if not permissions.can_manage(actor, concern):
        raise Http404("No such concern")
    attachment = attachments.attachment_get(concern=concern, pk=attachment_pk)
    if attachment.destroyed_at is not None:
        messages.info(request, "That file has already been destroyed.")
        return redirect("concerns:attachment_list", school_slug=school_slug, pk=pk)
    needs_reason = attachment.withheld_at is None
    form = DestroyForm(request.POST if request.method == "POST" else None, needs_reason=needs_reason)
    if request.method == "POST" and form.is_valid():
        try:
            attachments.attachment_destroy(
                actor=actor, attachment=attachment, reason=form.cleaned_data.get("reason", "")
            )
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
        "needs_reason": needs_reason,
    }
    return render(request, "concerns/attachment_destroy.html", context, status=400 if form.errors else 200)


def _form_errors(form: DestroyForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
