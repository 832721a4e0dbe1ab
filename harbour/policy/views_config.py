"""Configuration import and export in the browser, with a preview of what changes (GOV-24, GOV-05).

* Export: download the working configuration (open draft, else the version in force) or any version
  as YAML — the same text as ``manage.py policy_export``.
* Import: upload a YAML file; every error is listed with its path, or a table shows each changed
  setting (old -> new) with a "Save as draft" button. Saving goes through
  ``services.policy_version_save_draft``; nothing is written before that.
* Schema: every variable with its type, allowed values and help, for anyone who may read policy records.

Import and export need MANAGE_POLICY; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.policy import permissions, selectors, services
from harbour.policy.forms_config import ConfigConfirmForm, ConfigUploadForm, fingerprint
from harbour.policy.rules import schema
from harbour.policy.rules.config_io import dump_yaml, exportable
from harbour.policy.rules.schema_diff import config_changes, display

UPLOAD = "policy/config_transfer.html"


def _manager(request: HttpRequest):
    actor = request.membership
    if not permissions.can_manage(actor):
        raise Http404
    return actor


def _working(school) -> dict[str, Any]:
    return exportable(selectors.working_config(school=school), school_name=school.name)


def _source(school) -> str:
    draft = selectors.open_version(school=school)
    if draft is not None:
        return f"the open draft (version {draft.number})"
    published = selectors.published_version(school=school)
    if published is not None:
        return f"the version in force (version {published.number})"
    return "the school's current settings (no version has been recorded yet)"


def _page(request: HttpRequest, actor, **extra: Any) -> HttpResponse:
    school = actor.school
    context = {
        "source": _source(school),
        "versions": selectors.version_list(actor=actor),
        "form": ConfigUploadForm(),
        **extra,
    }
    return render(request, UPLOAD, context)


def _preview(request: HttpRequest, actor, config: dict[str, Any], text: str, **extra: Any) -> HttpResponse:
    working = _working(actor.school)
    changes = config_changes(working, config)
    rows = [
        {
            "path": c.path,
            "help": schema.BY_NAME[c.name].help if c.name else "Clause references for this requirement",
            "old": c.old_text,
            "new": c.new_text,
        }
        for c in changes
    ]
    confirm = ConfigConfirmForm(initial={"yaml_text": text, "base": fingerprint(working)})
    return _page(request, actor, rows=rows, previewed=True, confirm=confirm, **extra)


@require_http_methods(["GET", "POST"])
def config_transfer(request: HttpRequest, school_slug: str) -> HttpResponse:
    """The import/export page; a POSTed file is checked and previewed, never saved here."""
    actor = _manager(request)
    if request.method == "GET":
        return _page(request, actor)
    form = ConfigUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, actor, form=form)
    if form.config_errors:
        return _page(request, actor, form=form, config_errors=form.config_errors)
    return _preview(request, actor, form.config, form.text)


@require_POST
def config_import_confirm(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Save the previewed configuration as the school's draft (GOV-05)."""
    actor = _manager(request)
    form = ConfigConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The preview was incomplete: upload the file again.")
        return redirect("policy:config", school_slug=school_slug)
    if form.config_errors:
        return _page(request, actor, config_errors=form.config_errors)
    if form.cleaned_data["base"] != fingerprint(_working(actor.school)):
        warning = "The policy changed since this preview was made. Check the changes again before saving."
        return _preview(request, actor, form.config, form.cleaned_data["yaml_text"], warning=warning)
    note = form.cleaned_data["note"].strip() or "Imported from a configuration file"
    try:
        version = services.policy_version_save_draft(actor=actor, school=actor.school, config=form.config, note=note)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return _page(request, actor, save_errors=exc.messages)
    messages.success(request, f"Saved as draft version {version.number}.")
    return redirect("policy:version_detail", school_slug=school_slug, pk=version.pk)


@require_GET
def config_export(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Download the configuration as YAML: the working one, or ``?version=N``."""
    actor = _manager(request)
    school = actor.school
    number = request.GET.get("version", "")
    if number:
        if not number.isdigit():
            raise Http404
        version = selectors.version_list(actor=actor).filter(number=int(number)).first()
        if version is None:
            raise Http404
        config, name = exportable(version.config, school_name=school.name), f"{school.slug}-policy-v{number}.yaml"
    else:
        config, name = _working(school), f"{school.slug}-policy.yaml"
    response = HttpResponse(dump_yaml(config), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def config_schema(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Every configuration variable with its type, allowed values, help and this school's value."""
    actor = request.membership
    if not permissions.can_view_records(actor):
        raise Http404
    config = selectors.published_config(school=actor.school)
    sections = []
    for key, title in schema.SECTIONS:
        variables = [
            {"var": v, "value": display(config.get(v.name)) if v.name in config else "(not set)"}
            for v in schema.VARIABLES
            if v.section == key
        ]
        sections.append({"key": key, "title": title, "variables": variables})
    context = {
        "sections": sections,
        "top": schema.BY_NAME["effective_from"],
        "roles": schema.ROLE_VALUES,
        "can_manage": permissions.can_manage(actor),
        "format_version": schema.FORMAT_VERSION,
    }
    return render(request, "policy/config_schema.html", context)
