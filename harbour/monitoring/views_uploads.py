"""The technician's pages: upload a log, watch it being scanned, import device mappings (FLT-08).

The progress panel is polled with htmx every two seconds until the upload is finished; it shows
counts only (lines, requests, alerts), never who or what.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from . import ingest, mappings, permissions, selectors
from .forms import MappingUploadForm, UploadForm
from .models import LogUpload

RECENT_UPLOADS = 25
IMPORTERS = {
    "leases": mappings.leases_import,
    "devices": mappings.devices_import,
    "usernames": mappings.usernames_import,
}


@require_http_methods(["GET", "POST"])
def upload_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    uploads = selectors.upload_list(actor=actor)  # 404 for anyone who may not upload
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                upload = ingest.upload_create(
                    actor=actor,
                    school=actor.school,
                    stream=file,
                    name=file.name,
                    fmt=form.cleaned_data["format"],
                    source=LogUpload.Source.WEB,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error("file" if field not in form.fields else field, errors)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, f"{upload.original_name} received: it is being scanned now.")
                return redirect("monitoring:upload_detail", school_slug=actor.school.slug, pk=upload.pk)
        status = 400
    context = {"form": form, "uploads": uploads[:RECENT_UPLOADS], "can_handle": permissions.can_handle_alerts(actor)}
    return render(request, "monitoring/upload_list.html", context, status=status)


@require_GET
def upload_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    upload = selectors.upload_get(actor=request.membership, pk=pk)
    context = {"upload": upload, "can_handle": permissions.can_handle_alerts(request.membership)}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "monitoring/upload_detail.html#progress" if partial else "monitoring/upload_detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET", "POST"])
def mapping_import(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Import DHCP leases, the device register or network usernames (checked whole, then written)."""
    actor = request.membership
    counts = selectors.mapping_counts(actor=actor)
    form = MappingUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            importer = IMPORTERS[form.cleaned_data["kind"]]
            try:
                summary = importer(actor=actor, content=form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                skipped = f", {summary.skipped_duplicates} already held" if summary.skipped_duplicates else ""
                messages.success(request, f"Imported {summary.created} rows{skipped}.")
                return redirect("monitoring:mappings", school_slug=actor.school.slug)
        status = 400
    return render(request, "monitoring/mappings.html", {"form": form, "counts": counts}, status=status)
