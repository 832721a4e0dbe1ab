"""Files on a concern (INC-YPSI-12..13, INC-CSAE-12, INC-IIOC-06, REP-08), through the one guard.

What a concern accepts comes from its category and the decision table in ``harbour.core.uploads``:

- youth-produced sexual imagery, indecent images of children: **uploads off**, by every path;
- sexual abuse or exploitation: off until the DSL switches text documents on for that concern,
  with a reason (``documents_switch_on``); then only plain text and text-only PDFs, proved by
  parsing them (``harbour.core.file_checks``);
- every other category: documents and PNG/JPEG screenshots, each proved by its parser.

A refused file is never written anywhere: the upload is held in memory by
``uploads.GuardedUploadHandler``, which skips every byte when the concern takes no file. The
refusal is logged on the concern with its reason only — never the file's name, which may describe it.

When a concern changes category, every stored file the new category would refuse is withheld at
once (nobody can open it) and the DSL is asked to destroy it (INC-YPSI-13). Only a withheld file
can be destroyed; any other file can be hidden or superseded, with a reason, never removed (REP-08).

docs/decisions/0005-attachments-and-images.md and 0014-upload-guard-allow-list.md explain the choices.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import READ_ONLY_ROLES, Role
from harbour.audit import services as audit
from harbour.concerns import categories, permissions
from harbour.concerns.models import (
    Attachment,
    Concern,
    ConcernEntry,
    ConcernShare,
    DocumentPermit,
    FollowUp,
)
from harbour.concerns.services import log_entry
from harbour.core import file_checks, uploads
from harbour.core.uploads import (  # noqa: F401 - the names concerns' callers have always used
    GuardedUploadHandler,
    Place,
    Received,
    clean_name,
    max_bytes,
    max_size_label,
    received_file,
)

DESTRUCTION_DUE = timedelta(days=1)
DSL_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL})


# --- the rule for a concern --------------------------------------------------------------------


def documents_permit(concern: Concern) -> DocumentPermit | None:
    """The DSL's live "documents on" decision for this concern under its current category."""
    return concern.document_permits.filter(withdrawn_at__isnull=True, category=concern.category).first()


def upload_place(concern: Concern) -> Place:
    """Which row of the decision table applies to this concern now."""
    category = categories.get(concern.category)
    switched_on = category.uploads == uploads.CATEGORY_UPLOADS_OFF_BY_DEFAULT and documents_permit(concern) is not None
    return uploads.place_for_category(category.uploads, documents_switched_on=switched_on)


def place_for_concern_id(*, school_slug: str, pk: Any) -> Place:
    """For the upload handler, before the caller is known: an unknown concern takes nothing.

    Only decides how the bytes are received; the view still opens the concern through the access
    door and answers 404 to anyone without need-to-know, whatever this says."""
    concern = Concern.objects.filter(school__slug=school_slug, pk=pk).first() if str(pk).isdigit() else None
    return upload_place(concern) if concern is not None else Place.UPLOADS_OFF


def upload_guard(request: Any, *, school_slug: str, pk: Any) -> GuardedUploadHandler:
    """Install the memory-only guard on ``request``; call before anything reads the body."""
    guard = GuardedUploadHandler(request, place=lambda: place_for_concern_id(school_slug=school_slug, pk=pk))
    request.upload_handlers = [guard]
    return guard


class AttachmentRefused(ValidationError):
    """The file may not be kept on this concern. ``reason`` is the code stored in the log."""

    def __init__(self, reason: str, message: str, looks_like: str = "") -> None:
        super().__init__(message, code=reason)
        self.reason = reason
        self.looks_like = looks_like


def assess(data: bytes, *, place: Place) -> file_checks.Checked:
    """The checked type if ``place`` accepts ``data``, else ``AttachmentRefused``."""
    try:
        return uploads.check(data, place)
    except file_checks.Refused as refused:
        raise _refusal(refused.reason, place, refused.looks_like) from refused


def _refusal(reason: str, place: Place, looks_like: str = "") -> AttachmentRefused:
    return AttachmentRefused(reason, uploads.refusal_message(reason, place, looks_like), looks_like)


def accepted_summary(place: Place) -> str:
    return uploads.accepted_summary(place)


# --- selectors ---------------------------------------------------------------------------------


def can_add(actor: Membership, concern: Concern) -> bool:
    """Those who manage the concern, and colleagues it is shared with. Not the reporter as such."""
    if actor.pk is None or actor.role in READ_ONLY_ROLES or permissions.is_subject(actor, concern):
        return False
    if permissions.can_manage(actor, concern):
        return True
    return ConcernShare.objects.filter(concern=concern, user_id=actor.user_id, revoked_at__isnull=True).exists()


def can_switch_documents(actor: Membership, concern: Concern) -> bool:
    """INC-CSAE-12: the DSL (or a deputy) who manages the concern, on a category where files are
    off by default."""
    category = categories.get(concern.category)
    return (
        category.uploads == uploads.CATEGORY_UPLOADS_OFF_BY_DEFAULT
        and actor.role in DSL_ROLES
        and permissions.can_manage(actor, concern)
    )


@dataclass
class AttachmentPanel:
    """Everything ``concerns/attachments.html`` needs for one concern."""

    concern: Concern
    items: list[Attachment] = field(default_factory=list)
    can_add: bool = False
    can_manage: bool = False
    refuses_images: bool = False
    uploads_off: bool = False
    can_switch_documents: bool = False
    permit: DocumentPermit | None = None
    accepted: str = ""
    accept_attribute: str = ""

    def __iter__(self) -> Iterator[Attachment]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def attachment_list(*, concern: Concern, actor: Membership | None = None) -> list[Attachment]:
    """The files of a concern the caller already obtained through ``selectors.concern_get``.

    Hidden and superseded files are listed only for those who manage the concern (REP-08: still on
    record for the DSL team). Each item carries ``type_label``."""
    manager = actor is not None and permissions.can_manage(actor, concern)
    rows = concern.attachments.select_related("uploaded_by", "destroyed_by", "hidden_by", "superseded_by")
    items = [a for a in rows.order_by("uploaded_at", "id") if manager or a.state not in ("hidden", "superseded")]
    for attachment in items:
        attachment.type_label = type_label(attachment)
    return items


def type_label(attachment: Attachment) -> str:
    known = file_checks.by_mime(attachment.content_type)
    return known.label if known else attachment.content_type


_ACCEPT_ATTRIBUTES = {
    Place.TEXT_DOCUMENTS: ".pdf,.txt,application/pdf,text/plain",
    Place.DOCUMENTS_AND_SCREENSHOTS: ".pdf,.docx,.odt,.xlsx,.csv,.txt,.png,.jpg,.jpeg",
}


def attachment_panel(*, actor: Membership, concern: Concern) -> AttachmentPanel:
    category = categories.get(concern.category)
    place = upload_place(concern)
    return AttachmentPanel(
        concern=concern,
        items=attachment_list(concern=concern, actor=actor),
        can_add=can_add(actor, concern) and place is not Place.UPLOADS_OFF,
        can_manage=permissions.can_manage(actor, concern),
        refuses_images=category.refuses_images,
        uploads_off=place is Place.UPLOADS_OFF,
        can_switch_documents=can_switch_documents(actor, concern),
        permit=documents_permit(concern) if category.uploads == uploads.CATEGORY_UPLOADS_OFF_BY_DEFAULT else None,
        accepted=accepted_summary(place),
        accept_attribute=_ACCEPT_ATTRIBUTES.get(place, ""),
    )


def attachment_get(*, concern: Concern, pk: int | str) -> Attachment:
    try:
        return concern.attachments.select_related("uploaded_by", "destroyed_by").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404("No such file") from exc


def attachment_open(*, actor: Membership, concern: Concern, pk: int | str) -> tuple[Attachment, Any]:
    """A readable file for download, audited. Withheld or destroyed: 404 for everyone, the DSL too
    (INC-YPSI-13). Hidden or superseded: only those who manage the concern (REP-08)."""
    attachment = attachment_get(concern=concern, pk=pk)
    if attachment.state in ("withheld", "destroyed") or not attachment.file:
        raise Http404("No such file")
    if attachment.state in ("hidden", "superseded") and not permissions.can_manage(actor, concern):
        raise Http404("No such file")
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except OSError as exc:
        raise Http404("No such file") from exc
    audit.record(action="concern.attachment_download", actor=actor, obj=attachment)
    return attachment, handle


def download_response(attachment: Attachment, handle: Any) -> Any:
    return uploads.download_response(handle, name=attachment.original_name, mime=attachment.content_type)


def download_name(attachment: Attachment) -> str:
    return uploads.download_name(attachment.original_name, attachment.content_type)


# --- adding a file -----------------------------------------------------------------------------


def attachment_add(
    *,
    actor: Membership,
    concern: Concern,
    name: str,
    data: bytes,
    refused: str = "",
    replaces: Attachment | None = None,
) -> Attachment:
    """Keep a file on a concern if the concern accepts it; otherwise log the refusal and raise
    ``AttachmentRefused``. ``refused`` carries a refusal the upload handler already made without
    keeping the bytes (files off, too large). Nothing reaches storage until the file has passed."""
    if not can_add(actor, concern):
        raise PermissionDenied
    place = upload_place(concern)
    try:
        if refused:
            raise _refusal(refused, place)
        checked = assess(data, place=place)
    except AttachmentRefused as refusal:
        _record_refusal(actor, concern, refusal)
        raise
    attachment = Attachment(
        concern=concern,
        original_name=clean_name(name),
        content_type=checked.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor.user,
    )
    uploads.store(attachment.file, data, checked)
    try:
        with transaction.atomic():
            attachment.save()
            log_entry(
                concern=concern,
                kind=ConcernEntry.Kind.ATTACHMENT,
                author=actor.user,
                # Not the name: an entry is never edited, and a destroyed file's name must not survive it.
                text=f"File added ({checked.label}).",
                data={"attachment": attachment.pk, "detected_type": checked.mime, "size": attachment.size},
            )
            audit.record(
                action="concern.attachment_upload",
                actor=actor,
                obj=attachment,
                changes={"concern": [None, concern.pk], "content_type": [None, checked.mime]},
            )
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def _record_refusal(actor: Membership, concern: Concern, refusal: AttachmentRefused) -> None:
    """The attempt is part of the concern's record (INC-YPSI-12); the file's name, which may describe it, is not."""
    with transaction.atomic():
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=actor.user,
            text="A file was refused and not stored.",
            data={"refused": True, "reason": refusal.reason},
        )
        audit.record(
            action="concern.attachment_refused",
            actor=actor,
            obj=concern,
            changes={"reason": [None, refusal.reason]},
        )


# --- documents on an abuse or exploitation concern (INC-CSAE-12) -------------------------------


def documents_switch_on(*, actor: Membership, concern: Concern, reason: str) -> DocumentPermit:
    """The DSL lets text documents (plain text, text-only PDF) be added to this one concern."""
    if not can_switch_documents(actor, concern):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": ["Say why documents are needed on this concern."]})
    with transaction.atomic():
        Concern.objects.select_for_update().filter(pk=concern.pk).first()
        existing = documents_permit(concern)
        if existing is not None:
            return existing
        permit = DocumentPermit.objects.create(
            concern=concern, category=concern.category, granted_by=actor.user, reason=reason.strip()
        )
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=actor.user,
            text=f"Text documents switched on for this concern. Reason: {reason.strip()}",
            data={"documents": "on", "permit": permit.pk},
        )
        audit.record(
            action="concern.documents_switch_on",
            actor=actor,
            obj=concern,
            changes={"documents": ["off", "on"], "reason": [None, reason.strip()]},
        )
    return permit


def documents_switch_off(*, actor: Membership, concern: Concern, reason: str) -> None:
    """Back to no files. Documents already added stay: each passed the text-only check."""
    if not can_switch_documents(actor, concern):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": ["Say why documents are switched off again."]})
    with transaction.atomic():
        permit = documents_permit(concern)
        if permit is None:
            return
        _withdraw(permit, actor.user, reason.strip())
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=actor.user,
            text=f"Documents switched off again. Reason: {reason.strip()}",
            data={"documents": "off", "permit": permit.pk},
        )
        audit.record(
            action="concern.documents_switch_off",
            actor=actor,
            obj=concern,
            changes={"documents": ["on", "off"], "reason": [None, reason.strip()]},
        )


def _withdraw(permit: DocumentPermit, user: Any, reason: str) -> None:
    permit.withdrawn_at, permit.withdrawn_by, permit.withdrawn_reason = timezone.now(), user, reason
    permit.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])


# --- re-categorisation: withholding (INC-YPSI-13) ----------------------------------------------


def _acceptable_now(attachment: Attachment, place: Place) -> bool:
    """Checks the stored bytes again under the new rule; unreadable counts as not acceptable."""
    if place is Place.UPLOADS_OFF:
        return False
    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as handle:
            data = handle.read(max_bytes() + 1)
    except Exception:  # noqa: BLE001 - a file we cannot read must not block the re-categorisation: withhold it
        return False
    return uploads.passes(data, place)


def attachments_withhold_for_category(*, actor: Membership | None, concern: Concern) -> list[Attachment]:
    """INC-YPSI-13: after a re-categorisation, every stored file the new category would refuse
    becomes unreachable at once — for everyone, the DSL included — and the DSL gets a follow-up
    to destroy it. A "documents on" decision made under another category lapses."""
    concern.document_permits.filter(withdrawn_at__isnull=True).exclude(category=concern.category).update(
        withdrawn_at=timezone.now(), withdrawn_reason="The concern changed category."
    )
    place = upload_place(concern)
    if place is Place.DOCUMENTS_AND_SCREENSHOTS:
        return []
    live = concern.attachments.filter(withheld_at__isnull=True, destroyed_at__isnull=True)
    to_withhold = [attachment for attachment in live if not _acceptable_now(attachment, place)]
    if not to_withhold:
        return []
    category = categories.get(concern.category)
    reason = f"The concern became '{category.label}', which does not keep this file."
    _withhold(actor, concern, to_withhold, reason, trigger="recategorised")
    return to_withhold


def _withhold(
    actor: Membership | None, concern: Concern, items: list[Attachment], reason: str, *, trigger: str
) -> None:
    now = timezone.now()
    author = actor.user if actor is not None else None
    with transaction.atomic():
        Attachment.objects.filter(pk__in=[a.pk for a in items]).update(withheld_at=now, withheld_reason=reason[:300])
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=author,
            text=f"{len(items)} file(s) made unreachable for everyone, awaiting destruction.",
            data={"withheld": [a.pk for a in items], "reason": trigger},
        )
        for attachment in items:
            audit.record(
                action="concern.attachment_withheld",
                actor=actor,
                school=concern.school,
                obj=attachment,
                changes={"withheld": [False, True], "reason": [None, reason[:300]]},
            )
        if not concern.follow_ups.filter(kind=FollowUp.Kind.FILE_DESTRUCTION, done_at__isnull=True).exists():
            FollowUp.objects.create(concern=concern, kind=FollowUp.Kind.FILE_DESTRUCTION, due_at=now + DESTRUCTION_DUE)
    for attachment in items:
        attachment.withheld_at, attachment.withheld_reason = now, reason[:300]


def attachment_withhold(*, actor: Membership, attachment: Attachment, reason: str) -> Attachment:
    """The team finds a file that may show what must never be kept (a screenshot on a bullying
    concern turns out to show a nude image): withhold it, so it can be destroyed.

    Only a file that could carry a picture may be withheld this way — one that fails the text-only
    check. A text document (a police letter) cannot: it may be hidden or superseded, never destroyed
    (REP-08)."""
    concern = attachment.concern
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this file must be made unreachable."]})
    if attachment.state in ("withheld", "destroyed"):
        raise ValidationError("This file is already unreachable.")
    if _acceptable_now(attachment, Place.TEXT_DOCUMENTS):
        raise ValidationError(
            "This file holds text only, so it is kept: it cannot be withheld or destroyed. Hide it, or add a "
            "corrected version, with a reason."
        )
    _withhold(actor, concern, [attachment], reason.strip(), trigger="withheld_by_team")
    return attachment


# --- hiding and superseding (REP-08) -----------------------------------------------------------


def attachment_hide(*, actor: Membership, attachment: Attachment, reason: str) -> Attachment:
    """Hide a file from everyone but those who manage the concern; it stays on record for them."""
    concern = attachment.concern
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this file is hidden."]})
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.state != "available" and locked.state != "superseded":
            raise ValidationError("Only a file that can still be opened can be hidden.")
        locked.hidden_at, locked.hidden_by, locked.hidden_reason = timezone.now(), actor.user, reason.strip()[:300]
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=actor.user,
            text="A file was hidden; the safeguarding team can still open it.",
            data={"hidden": locked.pk, "reason": reason.strip()[:300]},
        )
        audit.record(
            action="concern.attachment_hide",
            actor=actor,
            obj=locked,
            changes={"hidden": [False, True], "reason": [None, reason.strip()[:300]]},
        )
    return locked


def attachment_supersede(
    *, actor: Membership, attachment: Attachment, name: str, data: bytes, reason: str, refused: str = ""
) -> Attachment:
    """Add a corrected version through the same guard; the old one stays, marked as replaced."""
    concern = attachment.concern
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this file is replaced."]})
    if attachment.state != "available":
        raise ValidationError("Only a file that can still be opened can be replaced.")
    # Outside the transaction below, so that a refusal stays on record.
    new = attachment_add(actor=actor, concern=concern, name=name, data=data, refused=refused)
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).update(superseded_by=new, superseded_reason=reason.strip()[:300])
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=actor.user,
            text="File replaced by a new version.",
            data={"superseded": attachment.pk, "by": new.pk, "reason": reason.strip()[:300]},
        )
        audit.record(
            action="concern.attachment_supersede",
            actor=actor,
            obj=attachment,
            changes={"superseded_by": [None, new.pk], "reason": [None, reason.strip()[:300]]},
        )
    return new


# --- destruction (INC-YPSI-13, REP-08) ---------------------------------------------------------


def attachment_destroy(*, actor: Membership, attachment: Attachment, reason: str = "") -> Attachment:
    """Delete a withheld file's bytes for good. What stays is the record that it existed: type,
    size, SHA-256 of its content and of its name, who added it, who destroyed it, when and why.
    A file that is not withheld cannot be destroyed."""
    concern = attachment.concern
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.destroyed_at is not None:
            raise ValidationError("This file has already been destroyed.")
        if locked.withheld_at is None:
            raise ValidationError(
                "Only a withheld file can be destroyed. A file that may show a sexual image of a child is "
                "withheld first; any other file can be hidden or replaced, with a reason."
            )
        now = timezone.now()
        why = reason.strip()[:300] or locked.withheld_reason
        locked.destroyed_at, locked.destroyed_by, locked.destroyed_reason = now, actor.user, why
        locked.name_sha256 = uploads.name_fingerprint(locked.original_name)
        locked.original_name = ""
        locked.save(update_fields=["destroyed_at", "destroyed_by", "destroyed_reason", "name_sha256", "original_name"])
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=actor.user,
            text="A file was destroyed. Only the record that it existed is kept.",
            data={"destroyed": locked.pk, "detected_type": locked.content_type, "sha256": locked.sha256},
        )
        audit.record(
            action="concern.attachment_destroy",
            actor=actor,
            obj=locked,
            changes={"destroyed": [False, True], "reason": [None, why]},
        )
        _finish_destruction_follow_ups(concern, actor, now)
        # Last, so that a storage error undoes the whole step instead of leaving a half-destroyed record.
        uploads.delete_bytes(locked.file)
    return locked


def _finish_destruction_follow_ups(concern: Concern, actor: Membership, now: Any) -> None:
    waiting = concern.attachments.filter(withheld_at__isnull=False, destroyed_at__isnull=True).exists()
    if waiting:
        return
    concern.follow_ups.filter(kind=FollowUp.Kind.FILE_DESTRUCTION, done_at__isnull=True).update(
        done_at=now, done_by=actor.user, outcome="Every withheld file was destroyed."
    )
