"""Web import of MIS exports: upload a CSV, see every problem by line, then confirm or discard.

Only roles with IMPORT_PEOPLE (office, school administrator) reach these pages; everyone else,
and anyone looking at another school's batch, gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from harbour.accounts.models import Membership
from harbour.people import importing, permissions, services
from harbour.people.import_forms import ImportConfirmForm, ImportMappingForm, ImportUploadForm
from harbour.people.import_selectors import import_batch_get, import_batch_list, import_batch_preview
from harbour.people.models import ImportBatch

PREVIEW_ROWS = 20


def _importer(request: HttpRequest) -> Membership:
    actor = request.membership  # type: ignore[attr-defined]
    if actor is None or not permissions.can_import(actor):
        raise Http404("No such page")
    return actor


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = _importer(request)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method == "POST" and form.is_valid():
        batch = services.import_batch_create(
            actor=actor,
            kind=form.cleaned_data["kind"],
            filename=form.cleaned_data["file"].name,
            content=form.cleaned_data["text"],
        )
        return redirect("people:import_preview", school_slug=school_slug, pk=batch.pk)
    pending = import_batch_list(actor=actor, status=ImportBatch.Status.PENDING)[:10]
    return render(request, "people/import_upload.html", {"form": form, "pending": pending})


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = _importer(request)
    batch = import_batch_get(actor=actor, pk=pk)
    if batch.status != ImportBatch.Status.PENDING:
        if request.method == "POST":
            messages.error(request, f"This import is already {batch.get_status_display().lower()}.")
            return redirect("people:import_preview", school_slug=school_slug, pk=batch.pk)
        hide_counts = bool(batch.summary.get("flag_columns")) and not permissions.sees_vulnerability(actor)
        return render(request, "people/import_preview.html", {"batch": batch, "hide_counts": hide_counts})
    parsed = import_batch_preview(actor=actor, batch=batch)
    mapping_form = ImportMappingForm(kind=batch.kind, headers=parsed.headers, mapping=parsed.mapping)
    confirm_form = ImportConfirmForm()
    refused: services.ImportRefused | None = None
    action = request.POST.get("action", "")
    if action == "discard":
        services.import_batch_discard(actor=actor, batch=batch)
        messages.success(request, "The file was discarded. Nothing was imported from it.")
        return redirect("people:import_upload", school_slug=school_slug)
    if action == "remap":
        mapping_form = ImportMappingForm(request.POST, kind=batch.kind, headers=parsed.headers, mapping=parsed.mapping)
        if mapping_form.is_valid():
            services.import_batch_set_mapping(actor=actor, batch=batch, mapping=mapping_form.mapping())
            messages.success(request, "Column choices saved. The file has been checked again below.")
            return redirect("people:import_preview", school_slug=school_slug, pk=batch.pk)
    if action == "apply":
        confirm_form = ImportConfirmForm(request.POST)
        if confirm_form.is_valid():
            try:
                summary = services.import_batch_apply(
                    actor=actor, batch=batch, skip_invalid=confirm_form.cleaned_data["skip_invalid"]
                )
            except services.ImportRefused as exc:
                refused = exc
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                return redirect("people:import_preview", school_slug=school_slug, pk=batch.pk)
            else:
                messages.success(request, f"Import finished: {summary}.")
                return redirect("people:import_preview", school_slug=school_slug, pk=batch.pk)
    context = _preview_context(actor, batch, parsed)
    context.update(mapping_form=mapping_form, confirm_form=confirm_form, refused=refused)
    return render(request, "people/import_preview.html", context)


def _preview_context(actor: Membership, batch: ImportBatch, parsed: importing.ParseResult) -> dict[str, Any]:
    show_sensitive = permissions.sees_vulnerability(actor)
    mapped = [spec for spec in importing.FIELDS[parsed.kind] if spec.key in parsed.mapping]
    columns = [spec for spec in mapped if show_sensitive or not spec.sensitive]
    rows = [
        {
            "line": row.line,
            "valid": row.is_valid,
            "cells": [row.display(spec.key) for spec in columns],
        }
        for row in parsed.rows[:PREVIEW_ROWS]
    ]
    return {
        "batch": batch,
        "parsed": parsed,
        "columns": columns,
        "hidden_columns": [spec.label for spec in mapped if spec not in columns],
        "rows": rows,
        "problems": parsed.problems,
        "can_apply": parsed.can_apply(),
        "can_apply_skipping": parsed.can_apply(skip_invalid=True),
    }
