"""Editing the policy settings in the browser, one schema section at a time (GOV-24, GOV-05, GOV-19).

* Index: every section with how many of its settings are stated or not, and the GOV-19 key details
  still missing, each linked to its field.
* Section: a form generated from the schema, starting from the working configuration (open draft,
  else the version in force). On submit the whole flat configuration is rebuilt and checked by the
  schema's ``validate()``; every problem is shown next to its field and nothing changes. A valid
  change shows the same old -> new preview as the YAML import, with a button that saves it.
* Confirm: applies the previewed values to the configuration as it is *now* and saves it through
  ``services.policy_version_save_draft`` (audited there). A published version is never edited: saving
  always goes to the open draft, or starts one. If the draft moved on since the preview, the
  changes are applied to the new state and shown again before anything is saved.

MANAGE_POLICY only; everyone else gets 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.policy import permissions, selectors, services
from harbour.policy.forms_config import fingerprint
from harbour.policy.forms_config_edit import (
    SECTIONS,
    SECTIONS_BY_KEY,
    EditConfirmForm,
    Section,
    SectionForm,
    is_set,
    label_for,
    subgroup,
)
from harbour.policy.rules import schema
from harbour.policy.rules.config_io import exportable, missing_key_details, validate
from harbour.policy.rules.schema_diff import config_changes

INDEX = "policy/config_edit.html"
SECTION = "policy/config_edit_section.html"


def _manager(request: HttpRequest):
    actor = request.membership
    if not permissions.can_manage(actor):
        raise Http404
    return actor


def _section(key: str) -> Section:
    section = SECTIONS_BY_KEY.get(key)
    if section is None:
        raise Http404
    return section


def _working(school) -> dict[str, Any]:
    # Completed with defaults exactly as the YAML export is, so an edit saves what an export would show.
    return exportable(selectors.working_config(school=school), school_name=school.name)


def _state(school) -> dict[str, Any]:
    """Where the values come from and whether a save would be refused (a version with the governors)."""
    draft = selectors.open_version(school=school)
    if draft is not None:
        source = f"the open draft (version {draft.number})"
    else:
        published = selectors.published_version(school=school)
        source = (
            f"the version in force (version {published.number}); saving starts a new draft"
            if published is not None
            else "the school's current settings (no version recorded yet); saving starts a draft"
        )
    locked = draft is not None and draft.status not in services.EDITABLE_STATUSES
    return {"source": source, "draft": draft, "locked": locked}


def _missing(config: dict[str, Any]) -> list[dict[str, Any]]:
    """GOV-19 key details still empty, each with the section and field to fix it in."""
    by_label = {(v.label or v.name): v for v in schema.VARIABLES if v.required_for_publication}
    owner = {v.name: s.key for s in SECTIONS for v in s.variables}
    rows = []
    for label in missing_key_details(config):
        var = by_label.get(label)
        rows.append({"label": label, "name": var.name if var else "", "section": owner.get(var.name) if var else ""})
    return rows


@require_GET
def config_edit_index(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Every section with counts of stated and not-stated settings, and the missing key details."""
    actor = _manager(request)
    config = _working(actor.school)
    sections = []
    for section in SECTIONS:
        values = [config.get(v.name) for v in section.variables]
        stated = sum(1 for value in values if is_set(value))
        key_missing = [v for v in section.variables if v.required_for_publication and not is_set(config.get(v.name))]
        sections.append(
            {
                "section": section,
                "stated": stated,
                "not_stated": len(values) - stated,
                "key_missing": [label_for(v) for v in key_missing],
            }
        )
    context = {**_state(actor.school), "sections": sections, "missing": _missing(config), "can_manage": True}
    return render(request, INDEX, context)


def _groups(form: SectionForm, config: dict[str, Any]) -> list[dict[str, Any]]:
    """The section's fields grouped by the middle of their YAML path, in schema order."""
    dated = config.get(schema.EFFECTIVE_DATES_KEY) or {}
    groups: list[dict[str, Any]] = []
    for var in form.section.variables:
        title = subgroup(var)
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "fields": []})
        groups[-1]["fields"].append({"var": var, "field": form[var.name], "effective_from": dated.get(var.name)})
    return groups


def _section_page(request: HttpRequest, actor, form: SectionForm, config: dict[str, Any], **extra: Any) -> HttpResponse:
    section = form.section
    context = {
        **_state(actor.school),
        "section": section,
        "sections": SECTIONS,
        "form": form,
        "groups": _groups(form, config),
        "missing": _missing(config),
        "can_manage": True,  # only managers get here; the policy menu shows them the editor
        **extra,
    }
    return render(request, SECTION, context)


def _preview(
    request: HttpRequest,
    actor,
    form: SectionForm,
    base: dict[str, Any],
    new: dict[str, Any],
    note: str = "",
    **extra: Any,
) -> HttpResponse:
    changes = config_changes(base, new)
    rows = [
        {
            "path": c.path,
            "label": label_for(schema.BY_NAME[c.name]) if c.name else c.path,
            "help": schema.BY_NAME[c.name].help if c.name else "Clause references for this requirement",
            "old": c.old_text,
            "new": c.new_text,
        }
        for c in changes
    ]
    payload = {c.name: new.get(c.name) for c in changes if c.name}
    confirm = EditConfirmForm(
        initial={"section": form.section.key, "changes": json.dumps(payload), "base": fingerprint(base), "note": note}
    )
    return _section_page(request, actor, form, base, rows=rows, previewed=True, confirm=confirm, **extra)


@require_http_methods(["GET", "POST"])
def config_edit_section(request: HttpRequest, school_slug: str, section: str) -> HttpResponse:
    """One section's settings as a form; a POST is checked and previewed, never saved here."""
    actor = _manager(request)
    part = _section(section)
    base = _working(actor.school)
    if request.method == "GET":
        return _section_page(request, actor, SectionForm(section=part, config=base), base)
    form = SectionForm(request.POST, section=part, config=base)
    if not form.is_valid():  # every field is optional text: only a tampered post lands here
        return _section_page(request, actor, form, base, config_errors=[])
    new = {**base, **form.values()}
    errors = validate(new)
    if errors:
        return _section_page(request, actor, form, base, config_errors=form.add_config_errors(errors))
    return _preview(request, actor, form, base, new)


@require_POST
def config_edit_confirm(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Save the previewed changes to the school's draft (GOV-05); audited by the service."""
    actor = _manager(request)
    confirm = EditConfirmForm(request.POST)
    if not confirm.is_valid():
        messages.error(request, "The preview was incomplete: make the change again.")
        key = request.POST.get("section", "")
        if key in SECTIONS_BY_KEY:
            return redirect("policy:config_edit_section", school_slug=school_slug, section=key)
        return redirect("policy:config_edit", school_slug=school_slug)
    part = _section(confirm.cleaned_data["section"])
    changes: dict[str, Any] = confirm.cleaned_data["changes"]
    if any(name not in {v.name for v in part.variables} for name in changes):
        raise Http404  # a preview only ever carries its own section's settings
    base = _working(actor.school)
    new = {**base, **changes}
    form = SectionForm(section=part, config=new)
    errors = validate(new)
    if errors:
        form = SectionForm({n: form.initial[n] for n in form.initial}, section=part, config=base)
        form.is_valid()
        return _section_page(request, actor, form, base, config_errors=form.add_config_errors(errors))
    if confirm.cleaned_data["base"] != fingerprint(base):
        warning = "The policy changed since this preview was made. Check the changes again before saving."
        return _preview(request, actor, form, base, new, note=confirm.cleaned_data["note"], warning=warning)
    note = confirm.cleaned_data["note"].strip() or f"Edited in Harbour: {part.title}"
    try:
        version = services.policy_version_save_draft(actor=actor, school=actor.school, config=new, note=note)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        return _section_page(request, actor, form, base, save_errors=exc.messages)
    messages.success(request, f"Saved to draft version {version.number}.")
    return redirect("policy:version_detail", school_slug=school_slug, pk=version.pk)
