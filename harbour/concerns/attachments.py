"""Files on a concern and the image guard (INC-YPSI-12..15, INC-CSAE-12, INC-IIOC-06, REP-08).

What a file *is* is decided from its bytes, never from its name or the browser's say-so: a
photo renamed ``report.pdf`` is a photo (``attachment_sniffing``). The rule per category lives
in ``assess``:

- documents (PDF, plain text, CSV, Word .docx, Excel .xlsx, OpenDocument .odt) on every category;
  on the categories that refuse images, only documents with no pictures, media or other files
  inside them, because a picture pasted into a document is still a picture;
- PNG and JPEG screenshots only on categories that do not refuse images;
- never a video, a sound recording, an archive or anything unrecognised.

A refused file is never written anywhere: uploads are held in memory by
``MemoryOnlyUploadHandler`` and only an accepted file reaches storage. The refusal is logged
on the concern with the detected type only — never the file's name, which may describe it.

When a concern becomes one of the image-refusing categories, every stored file that the new
category would refuse becomes unreachable at once and the DSL is asked to destroy it; destroying
removes the bytes and keeps the row, so the record that a file existed survives (REP-08).

docs/decisions/0005-attachments-and-images.md explains the choices.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import READ_ONLY_ROLES
from harbour.audit import services as audit
from harbour.concerns import categories, permissions
from harbour.concerns.attachment_sniffing import (
    EMPTY,
    HEAD_BYTES,
    JPEG,
    PNG,
    FileType,
    Inside,
    Kind,
    by_mime,
    look_inside,
    sniff,
)
from harbour.concerns.models import Attachment, Concern, ConcernEntry, ConcernShare, FollowUp
from harbour.concerns.services import log_entry

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DESTRUCTION_DUE = timedelta(days=1)
# On categories that do not refuse images, screenshots are often the clearest record of bullying.
SCREENSHOT_TYPES = (PNG, JPEG)


def max_bytes() -> int:
    """The size limit; ``HARBOUR_ATTACHMENT_MAX_BYTES`` may lower or raise the 10 MB default."""
    return int(getattr(settings, "HARBOUR_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_size_label() -> str:
    return f"{max_bytes() / (1024 * 1024):g} MB"


# --- the rule per category ---------------------------------------------------------------------


class AttachmentRefused(ValidationError):
    """The file may not be kept on this concern. ``reason`` is the code stored in the log."""

    def __init__(self, reason: str, message: str, detected: FileType) -> None:
        super().__init__(message, code=reason)
        self.reason = reason
        self.detected = detected


_WHAT_TO_DO = (
    "Do not open it again, and do not copy, forward, print or save it anywhere. "
    "Leave the original where it is and keep the phone, tablet or computer that holds it secure "
    "(switched off, or locked away). Tell the designated safeguarding lead straight away, including that "
    "a copy is on the device you used just now, so they can have it dealt with safely. "
    "If the police need it, they will collect it from the device themselves. "
    "Instead, write down in a note what you know about it: who sent it, to whom, when, and where it is now."
)


def _guard_message(what: str) -> str:
    return (
        f"Not saved. {what} Pictures and videos are never kept on a concern of this kind, because they may be "
        f"sexual images of a child, which it is a crime to hold or pass on. {_WHAT_TO_DO}"
    )


def _refuse(reason: str, detected: FileType, *, refuses_images: bool) -> AttachmentRefused:
    read_as = f"Harbour read this file as: {detected.label}."
    accepted = "Add a PDF, Word (.docx), OpenDocument (.odt), Excel (.xlsx), CSV or plain text file"
    messages = {
        "empty": "The file is empty. Choose the file again, or write what it says in a note.",
        "too_large": (
            f"The file is bigger than {max_size_label()}, so it was not kept. Save a shorter version, or "
            "split it into parts, and add those."
        ),
        "image": _guard_message(read_as),
        "embedded_picture": _guard_message("This document has pictures or media inside it."),
        "video": (
            _guard_message(read_as)
            if refuses_images
            else f"Not saved. {read_as} Videos are never kept in Harbour. Do not copy or forward it: leave the "
            "original on the device it came from, where the police can collect it if they need it. Write down in a "
            "note what it shows and where it is, and tell the designated safeguarding lead."
        ),
        "audio": (
            f"Not saved. {read_as} Sound recordings are not kept in Harbour. Write down what was said in a "
            "note, in the speaker's own words where you can."
        ),
        "image_format": (
            f"Not saved. {read_as} Only PNG or JPEG screenshots can be added. Take the screenshot again "
            "(phones and computers save screenshots as PNG or JPEG), or describe it in a note."
        ),
        "archive": (
            f"Not saved. {read_as} Zip files and other archives are not accepted, because what is inside "
            "them cannot be checked. Add each document on its own."
        ),
        "embedded_file": (
            "Not saved. This document carries other files inside it, which cannot be checked. Save it "
            "again as a PDF or a Word document without attachments or embedded objects."
        ),
        "sealed": (
            "Not saved. This document is password-protected, encrypted or too complex to check, so it "
            "cannot be accepted on a concern of this kind. Save a copy without a password, or record what "
            "it says in a note."
        ),
        "unsupported": f"Not saved. {read_as} {accepted}.",
    }
    return AttachmentRefused(reason, messages[reason], detected)


def assess(data: bytes, *, category: categories.Category, complete: bool = True) -> FileType:
    """The file's type if this category accepts it, else ``AttachmentRefused``.

    ``complete=False`` means only the start of an oversized file was kept: it is refused for its
    size, but an image or a video says so first, so the person gets the right advice.
    """
    detected = sniff(data[:HEAD_BYTES] if not complete else data)
    refuses_images = category.refuses_images
    if detected.kind is Kind.VIDEO or (detected.kind is Kind.IMAGE and refuses_images):
        raise _refuse("video" if detected.kind is Kind.VIDEO else "image", detected, refuses_images=refuses_images)
    if not complete:
        raise _refuse("too_large", detected, refuses_images=refuses_images)
    if detected is EMPTY:
        raise _refuse("empty", detected, refuses_images=refuses_images)
    if detected.kind is Kind.IMAGE:
        if detected in SCREENSHOT_TYPES:
            return detected
        raise _refuse("image_format", detected, refuses_images=refuses_images)
    if detected.kind is not Kind.DOCUMENT:
        reason = {Kind.AUDIO: "audio", Kind.ARCHIVE: "archive"}.get(detected.kind, "unsupported")
        raise _refuse(reason, detected, refuses_images=refuses_images)
    _check_inside(look_inside(data, detected), detected, refuses_images=refuses_images)
    return detected


def _check_inside(inside: Inside, detected: FileType, *, refuses_images: bool) -> None:
    if inside.media and not refuses_images:
        raise _refuse("video", detected, refuses_images=False)
    if not refuses_images:
        return
    if inside.pictures or inside.media:
        raise _refuse("embedded_picture", detected, refuses_images=True)
    if inside.files:
        raise _refuse("embedded_file", detected, refuses_images=True)
    if inside.sealed:
        raise _refuse("sealed", detected, refuses_images=True)


def accepted_summary(category: categories.Category) -> str:
    """One sentence for the upload form: what this concern takes."""
    if category.refuses_images:
        return (
            "Text documents only: PDF, Word (.docx), OpenDocument (.odt), Excel (.xlsx), CSV or plain text, "
            f"with no pictures inside, up to {max_size_label()}. Pictures and videos are never accepted here."
        )
    return (
        "PDF, Word (.docx), OpenDocument (.odt), Excel (.xlsx), CSV or plain text, or a PNG or JPEG "
        f"screenshot, up to {max_size_label()}. Videos are never accepted."
    )


# --- receiving an upload -----------------------------------------------------------------------


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Holds uploaded files in memory, never in a temporary file, and stops reading at the limit.

    Set it as the request's only handler before anything reads ``request.POST``/``FILES``. Past
    the limit only the first bytes are kept (in ``head``, to say what the file was) and the rest
    of the request is read and thrown away.
    """

    def __init__(self, request: Any = None, *, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.too_large = False
        self.head = b""
        self._received = 0

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: Any, boundary: Any, encoding: Any = None
    ) -> None:
        self.activated = True  # whatever the size: the only alternative Django offers is a file on disk

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._received += len(raw_data)
        if self._received > self.limit:
            self.too_large = True
            self.head = (self.file.getvalue() + raw_data)[:HEAD_BYTES]
            self.file = io.BytesIO()
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)


@dataclass(frozen=True)
class Received:
    """What the upload view hands to ``attachment_add``."""

    name: str
    data: bytes
    complete: bool = True


def received_file(uploaded: Any, guard: MemoryOnlyUploadHandler) -> Received | None:
    """The upload as bytes, or None when no file was sent. An oversized one comes back incomplete."""
    if guard.too_large:
        return Received(name="", data=guard.head, complete=False)
    if uploaded is None:
        return None
    return Received(name=uploaded.name or "", data=uploaded.read())


def clean_name(name: str) -> str:
    """The file's own name, without any folder and without characters that could break a header."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    return base[:200] or "file"


def download_name(attachment: Attachment) -> str:
    """The name the browser saves the file under, with an extension that matches its real type,
    so the computer opens it with the right program (a text file named .html stays text)."""
    name = clean_name(attachment.original_name)
    file_type = by_mime(attachment.content_type)
    if file_type is None:
        return name
    _stem, dot, extension = name.rpartition(".")
    if dot and extension.lower() in file_type.extensions:
        return name
    return f"{name}.{file_type.extension}"[-200:]


# --- selectors ---------------------------------------------------------------------------------


def can_add(actor: Membership, concern: Concern) -> bool:
    """Those who manage the concern, and colleagues it is shared with. Not the reporter as such."""
    if actor.pk is None or actor.role in READ_ONLY_ROLES or permissions.is_subject(actor, concern):
        return False
    if permissions.can_manage(actor, concern):
        return True
    return ConcernShare.objects.filter(concern=concern, user_id=actor.user_id, revoked_at__isnull=True).exists()


@dataclass
class AttachmentPanel:
    """Everything ``concerns/attachments.html`` needs for one concern."""

    concern: Concern
    items: list[Attachment] = field(default_factory=list)
    can_add: bool = False
    can_manage: bool = False
    refuses_images: bool = False
    accepted: str = ""

    def __iter__(self) -> Iterator[Attachment]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def attachment_list(*, concern: Concern) -> list[Attachment]:
    """The files of a concern the caller already obtained through ``selectors.concern_get``.

    Each carries ``type_label``, the readable name of the type its content was found to be."""
    items = list(concern.attachments.select_related("uploaded_by", "destroyed_by").order_by("uploaded_at", "id"))
    for attachment in items:
        attachment.type_label = type_label(attachment)
    return items


def type_label(attachment: Attachment) -> str:
    known = by_mime(attachment.content_type)
    return known.label if known else attachment.content_type


def attachment_panel(*, actor: Membership, concern: Concern) -> AttachmentPanel:
    category = categories.get(concern.category)
    return AttachmentPanel(
        concern=concern,
        items=attachment_list(concern=concern),
        can_add=can_add(actor, concern),
        can_manage=permissions.can_manage(actor, concern),
        refuses_images=category.refuses_images,
        accepted=accepted_summary(category),
    )


def attachment_get(*, concern: Concern, pk: int | str) -> Attachment:
    try:
        return concern.attachments.select_related("uploaded_by", "destroyed_by").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404("No such file") from exc


def attachment_open(*, actor: Membership, concern: Concern, pk: int | str) -> tuple[Attachment, Any]:
    """A readable file for download, audited. Withheld or destroyed: 404 for everyone (INC-YPSI-13)."""
    attachment = attachment_get(concern=concern, pk=pk)
    if attachment.withheld_at is not None or attachment.destroyed_at is not None or not attachment.file:
        raise Http404("No such file")
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except OSError as exc:
        raise Http404("No such file") from exc
    audit.record(action="concern.attachment_download", actor=actor, obj=attachment)
    return attachment, handle


# --- services ----------------------------------------------------------------------------------


def attachment_add(*, actor: Membership, concern: Concern, name: str, data: bytes, complete: bool = True) -> Attachment:
    """Keep a file on a concern if its content is allowed there; otherwise log the refusal and raise
    ``AttachmentRefused``. Nothing is written to storage until the file has passed."""
    if not can_add(actor, concern):
        raise PermissionDenied
    category = categories.get(concern.category)
    try:
        detected = assess(data, category=category, complete=complete and len(data) <= max_bytes())
    except AttachmentRefused as refusal:
        _record_refusal(actor, concern, refusal)
        raise
    attachment = Attachment(
        concern=concern,
        original_name=clean_name(name),
        content_type=detected.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor.user,
    )
    # The stored name says nothing about the file: the original may describe what it shows.
    attachment.file.save(f"{uuid.uuid4().hex}.{detected.extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            log_entry(
                concern=concern,
                kind=ConcernEntry.Kind.ATTACHMENT,
                author=actor.user,
                text=f"File added: {attachment.original_name} ({detected.label}).",
                data={"attachment": attachment.pk, "detected_type": detected.mime, "size": attachment.size},
            )
            audit.record(
                action="concern.attachment_upload",
                actor=actor,
                obj=attachment,
                changes={"concern": [None, concern.pk], "content_type": [None, detected.mime]},
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
            text=f"A file was refused and not stored. It was read as: {refusal.detected.label}.",
            data={"refused": True, "reason": refusal.reason, "detected_type": refusal.detected.mime},
        )
        audit.record(
            action="concern.attachment_refused",
            actor=actor,
            obj=concern,
            changes={"reason": [None, refusal.reason], "detected_type": [None, refusal.detected.mime]},
        )


def _acceptable_now(attachment: Attachment, category: categories.Category) -> bool:
    """Checks the stored bytes again under the new category's rule; unreadable counts as not."""
    try:
        with attachment.file.storage.open(attachment.file.name, "rb") as handle:
            data = handle.read(max_bytes() + 1)
        assess(data, category=category)
    except AttachmentRefused:
        return False
    except Exception:  # noqa: BLE001 - a file we cannot check must not block the re-categorisation: withhold it
        return False
    return True


def attachments_withhold_for_category(*, actor: Membership | None, concern: Concern) -> list[Attachment]:
    """INC-YPSI-13: after a re-categorisation into a category that refuses images, every file it
    would refuse becomes unreachable at once, and the DSL gets a follow-up to destroy it."""
    category = categories.get(concern.category)
    if not category.refuses_images:
        return []
    live = concern.attachments.filter(withheld_at__isnull=True, destroyed_at__isnull=True)
    to_withhold = [attachment for attachment in live if not _acceptable_now(attachment, category)]
    if not to_withhold:
        return []
    now = timezone.now()
    reason = (
        f"The concern became '{category.label}', which never keeps pictures, videos or files that cannot be checked."
    )
    author = actor.user if actor is not None else None
    with transaction.atomic():
        Attachment.objects.filter(pk__in=[a.pk for a in to_withhold]).update(withheld_at=now, withheld_reason=reason)
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ATTACHMENT,
            author=author,
            text=f"{len(to_withhold)} file(s) made unreachable after the change of category, awaiting destruction.",
            data={"withheld": [a.pk for a in to_withhold], "reason": "recategorised"},
        )
        for attachment in to_withhold:
            audit.record(
                action="concern.attachment_withheld",
                actor=actor,
                school=concern.school,
                obj=attachment,
                changes={"withheld": [False, True]},
            )
        if not concern.follow_ups.filter(kind=FollowUp.Kind.FILE_DESTRUCTION, done_at__isnull=True).exists():
            FollowUp.objects.create(concern=concern, kind=FollowUp.Kind.FILE_DESTRUCTION, due_at=now + DESTRUCTION_DUE)
    return to_withhold


def attachment_destroy(*, actor: Membership, attachment: Attachment, reason: str = "") -> Attachment:
    """Delete a file's bytes for good, keeping its row and hash as the record that it existed (REP-08).

    A withheld file is destroyed as it is; a file still reachable needs a reason, and is withheld
    and destroyed in one step (for a screenshot that turns out to show what it must not).
    """
    concern = attachment.concern
    if not permissions.can_manage(actor, concern):
        raise PermissionDenied
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if locked.destroyed_at is not None:
            raise ValidationError("This file has already been destroyed.")
        if locked.withheld_at is None and not reason.strip():
            raise ValidationError({"reason": ["Say why this file must be destroyed."]})
        now = timezone.now()
        if locked.withheld_at is None:
            locked.withheld_at, locked.withheld_reason = now, reason.strip()[:300]
        locked.destroyed_at, locked.destroyed_by = now, actor.user
        locked.save(update_fields=["withheld_at", "withheld_reason", "destroyed_at", "destroyed_by"])
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
            changes={"destroyed": [False, True], "reason": [None, reason.strip() or locked.withheld_reason]},
        )
        _finish_destruction_follow_ups(concern, actor, now)
        # Last, so that a storage error undoes the whole step instead of leaving a half-destroyed record.
        _delete_bytes(locked)
    return locked


def _delete_bytes(attachment: Attachment) -> None:
    name = attachment.file.name
    if not name:
        return
    storage = attachment.file.storage
    storage.delete(name)
    if storage.exists(name):
        raise OSError("The file could not be deleted from storage.")


def _finish_destruction_follow_ups(concern: Concern, actor: Membership, now: Any) -> None:
    waiting = concern.attachments.filter(withheld_at__isnull=False, destroyed_at__isnull=True).exists()
    if waiting:
        return
    concern.follow_ups.filter(kind=FollowUp.Kind.FILE_DESTRUCTION, done_at__isnull=True).update(
        done_at=now, done_by=actor.user, outcome="Every withheld file was destroyed."
    )
