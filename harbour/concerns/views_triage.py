"""The concern list and the concern page: the DSL's workspace (REP-05..REP-08, REP-13..REP-21).

Reads go through ``selectors``/``selectors_triage`` (opening a concern is audited there) and writes
through ``services``/``triage``. Someone without need-to-know gets 404 on every URL here. Colleagues a
concern is shared with see it read-only and may add notes; only those who manage it (the team, or
the allegation route) get the action panels and may post to them.

Each panel posts to its own URL. On success the page is shown again (post/redirect/get) with a
message; on bad input, or when someone else changed the concern meanwhile, the page is shown with
the errors next to the form and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from harbour.accounts.models import Membership
from harbour.concerns import (
    attachments,
    categories,
    checklists,
    imagery,
    links,
    permissions,
    selectors,
    services,
    triage,
)
from harbour.concerns import selectors_triage as st
from harbour.concerns.forms_imagery import (
    ChecklistVariantForm,
    EscalateAbuseForm,
    ImageViewingForm,
    PreservationRequestForm,
)
from harbour.concerns.forms_triage import (
    AcknowledgeForm,
    AmendForm,
    CategoryForm,
    CloseForm,
    ConcernFilterForm,
    ConsultationForm,
    DecisionForm,
    ExternalShareForm,
    FollowUpForm,
    NoteForm,
    ParentDecisionForm,
    ReferralAcknowledgeForm,
    ReferralForm,
    ReopenForm,
    RevokeShareForm,
    RiskForm,
    ShareForm,
    apply_errors,
)
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    Consultation,
    Decision,
    FollowUp,
    ImageViewing,
    ParentDecision,
    Referral,
)
from harbour.people import permissions as people_permissions

PAGE_SIZE = 25
TEMPLATE = "concerns/concern_detail.html"
# Decisions that mean an outside agency will be contacted: the page prompts for the referral.
REFERRING_DECISIONS = frozenset(
    {
        Decision.Kind.SOCIAL_CARE,
        Decision.Kind.POLICE,
        Decision.Kind.LADO,
        Decision.Kind.CEOP,
        Decision.Kind.IWF,
        Decision.Kind.PREVENT,
    }
)


# --- the list ----------------------------------------------------------------------------------


@require_GET
def concern_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Concerns the actor may see, filterable live with htmx (REP-07). Listing is audited."""
    actor = request.membership
    if not st.may_open_concern_list(actor=actor):
        raise Http404
    form = ConcernFilterForm(request.GET or None)
    concerns = st.concern_search(actor=actor, **form.filters())
    page = Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page"))
    count = page.paginator.count
    context = {
        "form": form,
        "page": page,
        "summary": f"{count} {'concern' if count == 1 else 'concerns'} found",
        "hiding_categories": {c.id for c in categories.CATEGORIES if c.hides_addresses},
        "can_customise_procedures": checklists.can_customise_procedures(actor),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request, "concerns/concern_list.html#results" if partial else "concerns/concern_list.html", context
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- the concern page --------------------------------------------------------------------------


@dataclass
class Failed:
    """A form that did not go through, to show again with its errors. ``key`` names its panel."""

    key: str
    form: forms.Form


@require_GET
def concern_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """One concern, audited by ``concern_get``. ``?reveal=1`` shows hidden addresses to managers, audited."""
    actor = request.membership
    concern = selectors.concern_get(actor=actor, pk=pk)
    revealed = request.GET.get("reveal") == "1" and st.concern_reveal_addresses(actor=actor, concern=concern)
    return render(request, TEMPLATE, _detail_context(actor, concern, revealed=revealed))


def _detail_context(
    actor: Membership, concern: Concern, *, revealed: bool = False, failed: Failed | None = None
) -> dict[str, Any]:
    category = categories.get(concern.category)
    manage = permissions.can_manage(actor, concern)
    involvements = list(concern.involvements.all())
    learner_names = {i.learner_id: i.learner.full_name for i in involvements}
    entries = list(selectors.concern_entries(concern=concern))
    decisions = list(st.concern_decisions(concern=concern))
    referrals = list(st.concern_referrals(concern=concern))
    consultations = list(st.concern_consultations(concern=concern))
    parent_decisions = list(st.concern_parent_decisions(concern=concern))
    follow_ups = list(st.concern_follow_ups(concern=concern))
    police_informed = any(r.agency == Referral.Agency.POLICE for r in referrals)
    advice_on_record = any(c.consulted in triage.ADVICE_THAT_ALLOWS_SHARING for c in consultations)
    needs_police_reason = category.needs_police_decision and not police_informed
    can_note = actor.pk is not None and not permissions.is_subject(actor, concern)
    for entry in entries:
        entry.details = _entry_details(entry, learner_names)
        entry.may_amend = can_note and (manage or entry.author_id == actor.user_id)
    context: dict[str, Any] = {
        "concern": concern,
        "category": category,
        "manage": manage,
        "can_note": can_note,
        "involvements": involvements,
        "link_learners": people_permissions.sees_all_learners(actor) or people_permissions.sees_class_learners(actor),
        "log": _thread(entries),
        "decisions": decisions,
        "referrals": referrals,
        "consultations": consultations,
        "parent_decisions": parent_decisions,
        "latest_parent_decision": parent_decisions[-1] if parent_decisions else None,
        "open_follow_ups": [f for f in follow_ups if f.done_at is None],
        "done_follow_ups": [f for f in follow_ups if f.done_at is not None],
        "police_informed": police_informed,
        "advice_on_record": advice_on_record,
        "needs_police_reason": needs_police_reason,
        "revealed": revealed,
        "hide_addresses": category.hides_addresses and not revealed,
        "hide_reported_addresses": not revealed,
        "may_reveal": st.may_reveal_addresses(actor=actor, concern=concern)
        and not revealed
        and (category.hides_addresses or any(r.reported_address for r in referrals)),
        "is_closed": concern.status == Concern.Status.CLOSED,
        "immediate_danger": concern.risk == Concern.Risk.IMMEDIATE and concern.status != Concern.Status.CLOSED,
        "failed": failed,
        "failed_anchor": _anchor(failed.key) if failed else "",
        "now": timezone.now(),
        "steps": checklists.checklist_steps(concern=concern),
        "attachments": attachments.attachment_panel(actor=actor, concern=concern),
    }
    context.update(_imagery_context(actor, concern, manage))
    context.update(_panel_forms(actor, concern, context, failed))
    return context


def _imagery_context(actor: Membership, concern: Concern, manage: bool) -> dict[str, Any]:
    """Viewing records and flags (INC-YPSI-14), police preservation requests (INC-IIOC-06), the
    technician's task (INC-YPSI-05) and linked records (INC-CYB-04)."""
    applies = imagery.viewing_applies(concern)
    context: dict[str, Any] = {
        "asks_about_viewing": applies,
        "may_record_viewing": imagery.may_record_viewing(actor, concern),
        "linked": links.linked_concerns(actor=actor, concern=concern),
        "may_escalate_as_abuse": links.may_escalate_as_abuse(actor, concern),
        "shows_imagery_records": manage and applies,
    }
    if manage:
        context.update(
            checklist_variants=checklists.checklist_variants_available(concern=concern),
            image_viewings=list(imagery.concern_image_viewings(concern=concern)),
            viewing_flags=imagery.flagged_notes(concern=concern),
            preservation_requests=list(imagery.concern_preservation_requests(concern=concern)),
            technician_tasks=list(imagery.concern_technician_tasks(concern=concern)),
        )
    return context


def _panel_forms(actor: Membership, concern: Concern, context: dict[str, Any], failed: Failed | None) -> dict[str, Any]:
    """Blank forms for every panel the actor may use, with the one that failed (if any) in its place."""
    version = {"version": concern.version}
    panel: dict[str, forms.Form] = {}
    if context["can_note"]:
        panel["note"] = NoteForm(initial=version, prefix="note", asks_about_viewing=context["asks_about_viewing"])
    if context["may_record_viewing"] and context["asks_about_viewing"]:
        panel["image_viewing"] = ImageViewingForm(initial=dict(version), prefix="image_viewing")
    if context["may_escalate_as_abuse"]:
        panel["escalate"] = EscalateAbuseForm(initial=version, prefix="escalate")
    if context.get("checklist_variants"):
        panel["variant"] = ChecklistVariantForm(
            initial=version, prefix="variant", variants=context["checklist_variants"]
        )
    if context["shows_imagery_records"]:
        panel["preservation"] = PreservationRequestForm(initial=dict(version), prefix="preservation")
    if context["manage"]:
        may_skip = triage.debrief_may_be_skipped(concern)
        panel.update(
            acknowledge=AcknowledgeForm(initial=version, prefix="acknowledge"),
            risk=RiskForm(
                initial={**version, "risk": concern.risk},
                prefix="risk",
                needs_police_reason=context["needs_police_reason"],
            ),
            category=CategoryForm(
                initial={**version, "category": concern.category},
                prefix="category",
                needs_police_reason=context["needs_police_reason"],
            ),
            decision=DecisionForm(initial=version, prefix="decision", involvements=context["involvements"]),
            referral=ReferralForm(initial=dict(version), prefix="referral", decisions=context["decisions"]),
            consultation=ConsultationForm(initial=dict(version), prefix="consultation"),
            parents=ParentDecisionForm(initial=version, prefix="parents"),
            external=ExternalShareForm(initial=version, prefix="external"),
            share=ShareForm(
                initial=version, prefix="share", candidates=st.share_candidates(actor=actor, concern=concern)
            ),
            close=CloseForm(initial=version, prefix="close", needs_police_reason=context["needs_police_reason"]),
            reopen=ReopenForm(initial=version, prefix="reopen"),
        )
        context["shares"] = list(st.concern_live_shares(concern=concern))
        context["follow_up_forms"] = [
            (f, FollowUpForm(initial=version, prefix=f"follow-up-{f.pk}", may_skip=_may_skip(f, may_skip)))
            for f in context["open_follow_ups"]
        ]
        context["ack_forms"] = [
            (r, ReferralAcknowledgeForm(initial=dict(version), prefix=f"ack-{r.pk}"))
            for r in context["referrals"]
            if r.acknowledged_at is None
        ]
    if failed is not None:
        _put_back(panel, context, failed)
    return {"forms": panel}


def _put_back(panel: dict[str, forms.Form], context: dict[str, Any], failed: Failed) -> None:
    kind, _, item = failed.key.partition(":")
    if kind == "follow_up":
        context["follow_up_forms"] = [
            (f, failed.form if str(f.pk) == item else form) for f, form in context["follow_up_forms"]
        ]
    elif kind == "ack":
        context["ack_forms"] = [(r, failed.form if str(r.pk) == item else form) for r, form in context["ack_forms"]]
    elif kind in ("amend", "revoke"):
        context[f"{kind}_failed"] = {"item": int(item), "form": failed.form}
    else:
        panel[kind] = failed.form


_ANCHORS = {"ack": "referrals-h", "revoke": "share-h", "amend": "entry-{}", "follow_up": "follow-up-{}"}


def _anchor(key: str) -> str:
    """Where on the page the form that failed sits, so the notice at the top can point to it."""
    kind, _, item = key.partition(":")
    return _ANCHORS.get(kind, f"{kind}-h").format(item)


def _may_skip(follow_up: FollowUp, school_allows: bool) -> bool:
    return school_allows and follow_up.kind == FollowUp.Kind.DEBRIEF


def _thread(entries: list[ConcernEntry]) -> list[ConcernEntry]:
    """Top-level entries in order, each carrying the corrections made to it (REP-08)."""
    by_id = {entry.pk: entry for entry in entries}
    roots: list[ConcernEntry] = []
    for entry in entries:
        entry.corrections = []
    for entry in entries:
        target = by_id.get(entry.amends_id) if entry.amends_id else None
        if target is None:
            roots.append(entry)
            continue
        while target.amends_id and target.amends_id in by_id:
            target = by_id[target.amends_id]
        target.corrections.append(entry)
    return roots


def _when(value: object) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else None
    return formats.date_format(timezone.localtime(moment), "j M Y, H:i") if moment else ""


def _label(choices: type, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _entry_details(entry: ConcernEntry, learner_names: dict[int, str]) -> list[tuple[str, str]]:
    """What the entry's data means, as label/value pairs for the action log. Unknown data is left out."""
    data = entry.data or {}
    kind = entry.kind
    K = ConcernEntry.Kind
    rows: list[tuple[str, object]] = []
    if kind == K.RISK:
        rows = [
            ("From", _label(Concern.Risk, data.get("from")) or "Not graded"),
            ("To", _label(Concern.Risk, data.get("to"))),
            ("Why the police were not told", data.get("no_police_reason")),
        ]
    elif kind == K.CATEGORY:
        rows = [
            ("From", _category_label(data.get("from"))),
            ("To", _category_label(data.get("to"))),
            ("Why the police were not told", data.get("no_police_reason")),
        ]
    elif kind == K.DECISION:
        rows = [
            ("Decision", _label(Decision.Kind, data.get("kind"))),
            ("Sanction", data.get("sanction")),
            ("Support offered", data.get("support")),
            (
                "Sanction applies to",
                ", ".join(learner_names.get(i, "a learner") for i in data.get("sanctioned_learner_ids", [])),
            ),
            ("Confirmed for a learner recorded as harmed", "Yes" if data.get("affected_confirmed") else ""),
            ("Avoiding further harm", data.get("trauma_note")),
        ]
    elif kind == K.REFERRAL:
        rows = [
            ("Agency", _label(Referral.Agency, data.get("agency"))),
            (
                "Police contacted by",
                _label(Referral.PoliceCall, data.get("police_call")) if data.get("police_call") else "",
            ),
            ("Reference", data.get("reference")),
            ("Made", _when(data.get("made_at"))),
            ("Acknowledgement due", _when(data.get("acknowledgement_due_at"))),
            ("Acknowledged", _when(data.get("acknowledged_at"))),
        ]
    elif kind == K.CONSULTATION:
        rows = [
            ("Advice from", _label(Consultation.With, data.get("consulted"))),
            ("Spoke to", data.get("contact_name")),
            ("Question", data.get("question")),
        ]
    elif kind == K.PARENTS:
        rows = [
            ("Decision", _label(ParentDecision.Choice, data.get("choice"))),
            ("What they were told", data.get("what_was_said")),
            ("Told", _when(data.get("told_at"))),
        ]
    elif kind == K.SHARE:
        rows = _share_details(data)
    elif kind in (K.CLOSED, K.REPORTED):
        rows = [("Why the police were not told", data.get("no_police_reason"))]
    elif kind == K.IMAGE_VIEWED:
        rows = [
            ("Why viewing was justified", _label(ImageViewing.Justification, data.get("justification"))),
            ("Viewed", _when(data.get("viewed_at"))),
        ]
    elif kind == K.PRESERVATION:
        rows = [
            ("Officer", data.get("officer")),
            ("Police reference", data.get("police_reference")),
            ("Held by", data.get("custodian")),
            ("Kept at (outside Harbour)", data.get("location")),
            ("Keep until", data.get("keep_until") or "Until the police say otherwise"),
        ]
    elif kind == K.TECH_TASK and data.get("done"):
        rows = [("Technician confirmed", "Blocked and isolated without opening, viewing or copying it")]
    elif kind == K.NOTE and data.get("follow_up_kind"):
        rows = [
            ("Follow-up", _label(FollowUp.Kind, data.get("follow_up_kind"))),
            ("Result", "Marked not needed" if data.get("not_needed") else "Done"),
        ]
    flag = data.get("possible_viewing_breach") if kind in (K.NOTE, K.REPORTED) else None
    if isinstance(flag, dict):
        how = "the box was ticked" if flag.get("checkbox") else "its wording"
        rows.append(("Possible breach of the image-viewing policy", f"Flagged for the DSL ({how})"))
    return [(label, str(value)) for label, value in rows if value]


def _share_details(data: dict[str, Any]) -> list[tuple[str, object]]:
    if data.get("external"):
        return [("Shared outside the school with", data.get("recipient")), ("Why", data.get("reason"))]
    verb = "Shared with" if data.get("shared") else "No longer shared with"
    return [(verb, data.get("user"))]


def _category_label(category_id: object) -> str:
    category = categories.BY_ID.get(str(category_id))
    return category.label if category else str(category_id or "")


# --- actions -----------------------------------------------------------------------------------

Outcome = str | Failed
Handler = Callable[[HttpRequest, Membership, Concern, int | None], Outcome]


def _attempt(key: str, form: forms.Form, act: Callable[[dict[str, Any]], str]) -> Outcome:
    """Validate, call the service, and turn its refusal into errors on the form."""
    if form.is_valid():
        try:
            return act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
    return Failed(key, form)


def _acknowledge(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        acknowledged = services.concern_acknowledge(actor=actor, concern=concern)
        if acknowledged.acknowledged_by_id != actor.user_id:
            # Two people pressed the button at once: say who got there first rather than claim it.
            return f"{acknowledged.acknowledged_by.display_name} had already acknowledged this concern."
        return "You have acknowledged this concern. Escalation has stopped."

    return _attempt("acknowledge", AcknowledgeForm(request.POST, prefix="acknowledge"), act)


def _risk(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    form = RiskForm(
        request.POST, prefix="risk", needs_police_reason=services.police_reason_needed_to_lower_risk(concern)
    )

    def act(data: dict[str, Any]) -> str:
        services.concern_set_risk(
            actor=actor,
            concern=concern,
            risk=data["risk"],
            reason=data["reason"],
            version=data["version"],
            no_police_reason=data.get("no_police_reason") or "",
        )
        return "Risk graded."

    return _attempt("risk", form, act)


def _note(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    form = NoteForm(request.POST, prefix="note", asks_about_viewing=imagery.viewing_applies(concern))

    def act(data: dict[str, Any]) -> str:
        entry = services.concern_add_note(
            actor=actor, concern=concern, text=data["text"], viewed_image=bool(data.get("viewed_image"))
        )
        if entry.data.get("possible_viewing_breach"):
            return (
                "Note added. It says an image was viewed, and only the DSL may view a suspected image, so the DSL "
                "has been told. Do not view, copy or forward it again."
            )
        return "Note added to the action log."

    return _attempt("note", form, act)


def _image_viewing(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        imagery.image_viewing_record(
            actor=actor,
            concern=concern,
            viewed_at=data["viewed_at"],
            justification=data["justification"],
            explanation=data["explanation"],
        )
        return "Your viewing of the image and your justification are recorded."

    return _attempt("image_viewing", ImageViewingForm(request.POST, prefix="image_viewing"), act)


def _preservation(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        imagery.preservation_request_record(
            actor=actor,
            concern=concern,
            officer=data["officer"],
            police_reference=data["police_reference"],
            custodian=data["custodian"],
            location=data["location"],
            requested_at=data["requested_at"],
            keep_until=data["keep_until"],
        )
        return "The police request to keep a copy is recorded. The copy itself never goes into Harbour."

    return _attempt("preservation", PreservationRequestForm(request.POST, prefix="preservation"), act)


def _variant(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    variants = checklists.checklist_variants_available(concern=concern)
    form = ChecklistVariantForm(request.POST, prefix="variant", variants=variants)

    def act(data: dict[str, Any]) -> str:
        checklists.checklist_open_variant(actor=actor, concern=concern, variant_key=data["variant"])
        return "Checklist added. Mark any steps of the full checklist that do not apply, with the reason."

    return _attempt("variant", form, act)


def _escalate(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        escalated = links.concern_escalate_as_abuse(actor=actor, concern=concern, reason=data["reason"])
        return (
            f"Escalated: the DSL has been alerted to a new peer-on-peer abuse concern, {escalated.reference}, "
            "linked to this one."
        )

    return _attempt("escalate", EscalateAbuseForm(request.POST, prefix="escalate"), act)


def _amend(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    entry = st.entry_get(concern=concern, pk=item or 0)

    def act(data: dict[str, Any]) -> str:
        services.concern_amend_entry(actor=actor, entry=entry, text=data["text"], reason=data["reason"])
        return "Correction added. The original entry is kept, with your correction shown under it."

    return _attempt(f"amend:{entry.pk}", AmendForm(request.POST, prefix=f"amend-{entry.pk}"), act)


def _category(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    needs_reason = categories.get(concern.category).needs_police_decision and not st.police_informed(concern=concern)
    form = CategoryForm(request.POST, prefix="category", needs_police_reason=needs_reason)

    def act(data: dict[str, Any]) -> str:
        services.concern_change_category(
            actor=actor,
            concern=concern,
            category=data["category"],
            reason=data["reason"],
            version=data["version"],
            no_police_reason=data.get("no_police_reason") or "",
        )
        return f"Category changed to “{categories.get(data['category']).label}”."

    return _attempt("category", form, act)


def _decision(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    form = DecisionForm(request.POST, prefix="decision", involvements=concern.involvements.all())

    def act(data: dict[str, Any]) -> str:
        decision = triage.decision_record(
            actor=actor,
            concern=concern,
            kind=data["kind"],
            reasons=data["reasons"],
            sanction=data["sanction"],
            support=data["support"],
            sanctioned_learner_ids=[int(pk) for pk in data["sanctioned_learners"]],
            confirm_affected_sanction=data["confirm_affected_sanction"],
            trauma_note=data["trauma_note"],
        )
        if decision.kind in REFERRING_DECISIONS:
            return "Decision recorded. Record the referral under “Referrals” once it has been made."
        return "Decision recorded."

    return _attempt("decision", form, act)


def _referral(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    form = ReferralForm(request.POST, prefix="referral", decisions=st.concern_decisions(concern=concern))

    def act(data: dict[str, Any]) -> str:
        referral = triage.referral_record(
            actor=actor,
            concern=concern,
            agency=data["agency"],
            made_at=data["made_at"],
            contact_name=data["contact_name"],
            reference=data["reference"],
            police_call=data["police_call"],
            reported_address=data["reported_address"],
            notes=data["notes"],
            decision_id=int(data["decision"]) if data["decision"] else None,
        )
        if referral.acknowledgement_due_at:
            due = formats.date_format(timezone.localtime(referral.acknowledgement_due_at), "l j F, H:i")
            return f"Referral recorded. If they have not acknowledged it by {due}, it will be chased."
        return "Referral recorded."

    return _attempt("referral", form, act)


def _referral_acknowledge(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    referral = st.referral_get(concern=concern, pk=item or 0)

    def act(data: dict[str, Any]) -> str:
        triage.referral_acknowledge(
            actor=actor, referral=referral, acknowledged_at=data["acknowledged_at"], reference=data["reference"]
        )
        return "Acknowledgement recorded; the chase is closed."

    return _attempt(f"ack:{referral.pk}", ReferralAcknowledgeForm(request.POST, prefix=f"ack-{referral.pk}"), act)


def _consultation(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        triage.consultation_record(
            actor=actor,
            concern=concern,
            consulted=data["consulted"],
            question=data["question"],
            advice=data["advice"],
            consulted_at=data["consulted_at"],
            contact_name=data["contact_name"],
        )
        return "Advice recorded."

    return _attempt("consultation", ConsultationForm(request.POST, prefix="consultation"), act)


def _parents(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        triage.parent_decision_record(
            actor=actor,
            concern=concern,
            choice=data["choice"],
            reason=data["reason"],
            what_was_said=data["what_was_said"],
            told_at=data["told_at"],
        )
        return "Decision about parents and carers recorded. Harbour does not contact them: that is for you to do."

    return _attempt("parents", ParentDecisionForm(request.POST, prefix="parents"), act)


def _external(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        triage.concern_share_externally(
            actor=actor,
            concern=concern,
            recipient=data["recipient"],
            what_was_shared=data["what_was_shared"],
            reason=data["reason"],
        )
        return "Sharing outside the school recorded."

    return _attempt("external", ExternalShareForm(request.POST, prefix="external"), act)


def _share(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    candidates = {m.user_id: m for m in st.share_candidates(actor=actor, concern=concern)}
    form = ShareForm(request.POST, prefix="share", candidates=candidates.values())

    def act(data: dict[str, Any]) -> str:
        member = candidates[int(data["user"])]
        services.concern_share(actor=actor, concern=concern, user=member.user, reason=data["reason"])
        return f"Shared with {member.user.display_name}. They can now read it and add notes."

    return _attempt("share", form, act)


def _revoke(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    share = st.share_get(concern=concern, pk=item or 0)

    def act(data: dict[str, Any]) -> str:
        services.concern_unshare(actor=actor, share=share)
        return f"{share.user.display_name} can no longer see this concern."

    return _attempt(f"revoke:{share.pk}", RevokeShareForm(request.POST, prefix="revoke"), act)


def _close(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    needs_reason = categories.get(concern.category).needs_police_decision and not st.police_informed(concern=concern)
    form = CloseForm(request.POST, prefix="close", needs_police_reason=needs_reason)

    def act(data: dict[str, Any]) -> str:
        services.concern_close(
            actor=actor,
            concern=concern,
            outcome=data["outcome"],
            version=data["version"],
            no_police_reason=data.get("no_police_reason") or "",
        )
        return "Concern closed. A leadership debrief is now open under “Follow-ups”, to record what was learnt."

    return _attempt("close", form, act)


def _reopen(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    def act(data: dict[str, Any]) -> str:
        services.concern_reopen(actor=actor, concern=concern, reason=data["reason"], version=data["version"])
        return "Concern reopened."

    return _attempt("reopen", ReopenForm(request.POST, prefix="reopen"), act)


def _follow_up(request: HttpRequest, actor: Membership, concern: Concern, item: int | None) -> Outcome:
    follow_up = st.follow_up_get(concern=concern, pk=item or 0)
    may_skip = _may_skip(follow_up, triage.debrief_may_be_skipped(concern))
    form = FollowUpForm(request.POST, prefix=f"follow-up-{follow_up.pk}", may_skip=may_skip)

    def act(data: dict[str, Any]) -> str:
        triage.follow_up_complete(
            actor=actor,
            follow_up=follow_up,
            outcome=data["outcome"],
            not_needed_reason=data.get("not_needed_reason") or "",
        )
        return f"“{follow_up.get_kind_display()}” closed."

    return _attempt(f"follow_up:{follow_up.pk}", form, act)


# name: (handler, only for those who manage the concern)
ACTIONS: dict[str, tuple[Handler, bool]] = {
    "acknowledge": (_acknowledge, True),
    "risk": (_risk, True),
    "note": (_note, False),
    "amend": (_amend, False),
    "category": (_category, True),
    "decision": (_decision, True),
    "referral": (_referral, True),
    "referral_acknowledge": (_referral_acknowledge, True),
    "consultation": (_consultation, True),
    "parents": (_parents, True),
    "external": (_external, True),
    "share": (_share, True),
    "revoke": (_revoke, True),
    "close": (_close, True),
    "reopen": (_reopen, True),
    "follow_up": (_follow_up, True),
    # Managers only, and the DSL alone among them: the service refuses anyone else (404).
    "image_viewing": (_image_viewing, True),
    "preservation": (_preservation, True),
    "variant": (_variant, True),
    # Staff who can see the cyberbullying concern, shared colleagues included (INC-CYB-04).
    "escalate": (_escalate, False),
}


@require_POST
def concern_action(
    request: HttpRequest, school_slug: str, pk: int, action: str, item_pk: int | None = None
) -> HttpResponse:
    """Every panel posts here. Those who may not act on the concern get 404, as if it did not exist."""
    actor = request.membership
    handler, managers_only = ACTIONS[action]
    fetch = selectors.concern_get_for_update if managers_only else selectors.concern_get
    concern = fetch(actor=actor, pk=pk)
    try:
        outcome = handler(request, actor, concern, item_pk)
    except PermissionDenied as exc:
        raise Http404 from exc
    if isinstance(outcome, Failed):
        return render(request, TEMPLATE, _detail_context(actor, concern, failed=outcome), status=400)
    messages.success(request, outcome)
    # The form's own fragment would carry over the redirect; the message is at the top of the page.
    return redirect(reverse("concerns:detail", args=[school_slug, concern.pk]) + "#main")
