"""One guard for every uploaded file (INC-YPSI-12, INC-CSAE-12, INC-IIOC-06, INC-FILT-08, REP-08).

Shared plumbing below the apps; concerns and filtering use it and keep no copy of their own:

- the **decision table** ``RULES``: what kind of place a file is sent to → which kinds of file it
  accepts (``file_checks`` proves the kind with a real parser);
- **receiving**: ``GuardedUploadHandler`` holds a file in memory, never in a temporary file, and
  when the place accepts nothing it skips every byte, so a refused file is never written anywhere;
  ``UploadGate``, first in ``FILE_UPLOAD_HANDLERS``, refuses a file sent to any page or API that
  does not take files (a concern's report form, a note, a breach) before a byte is read;
- **storing**: random names, files 0600 in folders 0700 (settings ``FILE_UPLOAD_PERMISSIONS``);
- **serving**: ``download_response``, always a sandboxed "save as", never shown in the browser.

docs/decisions/0014-upload-guard-allow-list.md explains the choices.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve

from harbour.core import file_checks
from harbour.core.file_checks import Checked, FileKind, Refused

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    """The size limit; ``HARBOUR_ATTACHMENT_MAX_BYTES`` may lower or raise the 10 MB default."""
    return int(getattr(settings, "HARBOUR_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_size_label() -> str:
    return f"{max_bytes() / (1024 * 1024):g} MB"


# --- the decision table ------------------------------------------------------------------------


class Place(StrEnum):
    """The kinds of place a file can be sent to. Every upload in Harbour names one."""

    UPLOADS_OFF = "uploads_off"  # sexual-imagery and indecent-images concerns; breaches; CSAE by default
    TEXT_DOCUMENTS = "text_documents"  # a CSAE concern the DSL switched documents on for
    DOCUMENTS_AND_SCREENSHOTS = "documents_and_screenshots"  # every other concern
    REGISTER_DOCUMENT = "register_document"  # a risk assessment behind a filtering decision (FLT-02)


K = FileKind
RULES: Mapping[Place, frozenset[FileKind]] = MappingProxyType(
    {
        Place.UPLOADS_OFF: frozenset(),
        Place.TEXT_DOCUMENTS: frozenset({K.TEXT, K.PDF_TEXT}),
        Place.DOCUMENTS_AND_SCREENSHOTS: frozenset({K.TEXT, K.PDF, K.OFFICE, K.SCREENSHOT}),
        Place.REGISTER_DOCUMENT: frozenset({K.PDF, K.OFFICE}),
    }
)

# How a concern category states its uploads (``categories.Category.uploads``), mapped to a place.
CATEGORY_UPLOADS_OFF = "off"
CATEGORY_UPLOADS_OFF_BY_DEFAULT = "off_by_default"
CATEGORY_UPLOADS_ON = "documents_and_screenshots"


def place_for_category(uploads: str, *, documents_switched_on: bool = False) -> Place:
    """INC-YPSI-12: "off" is off whatever anyone switches; INC-CSAE-12: off until the DSL says so."""
    if uploads == CATEGORY_UPLOADS_OFF:
        return Place.UPLOADS_OFF
    if uploads == CATEGORY_UPLOADS_OFF_BY_DEFAULT:
        return Place.TEXT_DOCUMENTS if documents_switched_on else Place.UPLOADS_OFF
    if uploads == CATEGORY_UPLOADS_ON:
        return Place.DOCUMENTS_AND_SCREENSHOTS
    return Place.UPLOADS_OFF  # an unknown setting fails closed


def place_for_breach(*, believed_illegal: bool) -> Place:
    """Filtering breaches are described in words; no file is taken (INC-FILT-03). A breach believed
    illegal (INC-FILT-08) must never take one, whatever a later version allows for the others."""
    return Place.UPLOADS_OFF


def pictures_refused(place: Place) -> bool:
    return FileKind.SCREENSHOT not in RULES[place] and FileKind.PDF not in RULES[place]


def check(data: bytes, place: Place) -> Checked:
    """The checked type if ``place`` accepts ``data``; ``file_checks.Refused`` otherwise."""
    if len(data) > max_bytes():
        raise Refused("too_large", file_checks.claims(data))
    return file_checks.check(data, RULES[place])


def passes(data: bytes, place: Place) -> bool:
    try:
        check(data, place)
    except Refused:
        return False
    return True


# --- what we say when a file is refused ---------------------------------------------------------

WHAT_TO_DO = (
    "Do not open it again, and do not copy, forward, print or save it anywhere. "
    "Leave the original where it is and keep the phone, tablet or computer that holds it secure "
    "(switched off, or locked away). Tell the designated safeguarding lead straight away, including that "
    "a copy is on the device you used just now, so they can have it dealt with safely. "
    "If the police need it, they will collect it from the device themselves. "
    "Instead, write down in a note what you know about it: who sent it, to whom, when, and where it is now."
)

_ACCEPTED = {
    Place.UPLOADS_OFF: "",
    Place.TEXT_DOCUMENTS: "a plain text file or a PDF with text only (no pictures, logos or attachments)",
    Place.DOCUMENTS_AND_SCREENSHOTS: (
        "a PDF, Word (.docx), OpenDocument (.odt), Excel (.xlsx), CSV or plain text file, or a PNG or JPEG screenshot"
    ),
    Place.REGISTER_DOCUMENT: "a PDF or a Word (.docx) document",
}


def accepted_summary(place: Place) -> str:
    """One sentence for an upload form: what this place takes."""
    if place is Place.UPLOADS_OFF:
        return "Files are switched off here. Write what you know in words."
    return f"{_ACCEPTED[place][0].upper()}{_ACCEPTED[place][1:]}, up to {max_size_label()}."


def refusal_message(reason: str, place: Place, looks_like: str = "") -> str:
    """The reason, in plain words, and what to do instead. Never echoes the file's name."""
    claimed = f" It looks like {looks_like}." if looks_like else ""
    if reason == "too_large":
        return (
            f"Not saved. The file is bigger than {max_size_label()}. Save a shorter version, or split it "
            "into parts, and add those."
        )
    if reason == "empty":
        return "Not saved. The file is empty. Choose the file again, or write what it says in a note."
    if reason == "more_than_one":
        return "Not saved. Send one file at a time."
    if place is Place.UPLOADS_OFF:
        return (
            "Not saved. Files are switched off on this record, because it may concern sexual images of a "
            "child, which it is a crime to hold or pass on; nothing you sent was kept. " + WHAT_TO_DO
        )
    if pictures_refused(place):
        why = {
            "picture_inside": "This document has a picture inside it.",
            "encoded_data": "This text holds a long run of encoded data, which can carry a picture.",
            "markup": "This text holds markup (tags or a data address), which can carry a picture.",
            "unknown_content": "This PDF holds data that cannot be checked.",
            "trailing_data": "This file has extra data hidden after its end.",
            "unreadable": "This file could not be read completely.",
            "encrypted": "This file is password-protected, so it cannot be checked.",
            "embedded_file": "This document carries other files inside it.",
        }.get(reason, "This is not a text document.")
        return (
            f"Not saved. {why}{claimed} Only {_ACCEPTED[place]} can be kept on this concern. Pictures and "
            "videos are never kept on a concern of this kind, because they may be sexual images of a child, "
            f"which it is a crime to hold or pass on. {WHAT_TO_DO}"
        )
    why = {
        "trailing_data": "This file has extra data hidden after its end.",
        "unreadable": "This file could not be read completely.",
        "encrypted": "This file is password-protected, so it cannot be checked.",
        "embedded_file": "This document carries other files inside it, which cannot be checked.",
        "markup": "Web pages and other marked-up text are not accepted.",
    }.get(reason, "This kind of file is not accepted.")
    return (
        f"Not saved. {why}{claimed} Add {_ACCEPTED[place]}. Videos, sound recordings, archives (zip) and "
        "other kinds of file are never kept: leave a video on the device it came from, where the police can "
        "collect it if they need it, write down in a note what it shows, and tell the designated safeguarding lead."
    )


# --- receiving ---------------------------------------------------------------------------------


class GuardedUploadHandler(FileUploadHandler):
    """Holds one uploaded file in memory — never in a temporary file — for a place that takes files.

    ``place`` is asked for when the first file arrives (after the view knows the record, before a
    byte of the file is read). If the place accepts nothing, or the file is over the limit, the
    rest of the file is skipped unread and ``refused`` says why: nothing is kept, not even in memory.
    Set it as the request's only handler before anything reads ``request.POST``/``FILES``.
    """

    def __init__(self, request: Any = None, *, place: Callable[[], Place], limit: int | None = None) -> None:
        super().__init__(request)
        self._place = place
        self.limit = max_bytes() if limit is None else limit
        self.refused: str = ""
        self.files_seen = 0
        self._buffer: io.BytesIO | None = None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files_seen += 1
        self._buffer = None
        if self.files_seen > 1:
            self.refused = self.refused or "more_than_one"
            raise SkipFile
        if not RULES[self.resolve_place()]:
            self.refused = "uploads_off"
            raise SkipFile
        self._buffer = io.BytesIO()

    def resolve_place(self) -> Place:
        if not hasattr(self, "_resolved"):
            self._resolved = self._place()
        return self._resolved

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self._buffer is None:
            raise SkipFile
        if self._buffer.tell() + len(raw_data) > self.limit:
            self.refused = "too_large"
            self._buffer = None
            raise SkipFile
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> Any:
        if self._buffer is None:
            return None
        buffer, self._buffer = self._buffer, None
        buffer.seek(0)
        return InMemoryUploadedFile(
            buffer, self.field_name, self.file_name or "", self.content_type, file_size, self.charset
        )


@dataclass(frozen=True)
class Received:
    """What an upload view hands to a service: the bytes (in memory) and the name as sent, or the
    reason the handler already refused the file without keeping it."""

    name: str = ""
    data: bytes = b""
    refused: str = ""


def received_file(uploaded: Any, guard: GuardedUploadHandler) -> Received | None:
    """The upload, or None when no file was sent at all."""
    if guard.refused:
        return Received(refused=guard.refused)
    if uploaded is None:
        return None
    return Received(name=uploaded.name or "", data=uploaded.read())


class UploadNotAccepted(MultiPartParserError):
    """A file sent to a page or API endpoint that takes none: the whole request is refused (400)."""

    message = (
        "Nothing was saved: this form does not take files. Describe in words what you know. If the file may "
        "show a sexual image of a child, do not copy, forward or keep it: tell the designated safeguarding lead."
    )

    def __init__(self) -> None:
        super().__init__(self.message)


# Pages that take ordinary working files (logs, lists, settings), which are not evidence: these go
# through Django's usual handlers. Evidence uploads replace the handlers with ``GuardedUploadHandler``.
ORDINARY_UPLOAD_VIEWS = frozenset(
    {"monitoring:upload_list", "monitoring:mappings", "people:import_upload", "policy:config"}
)


class UploadGate(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: a file part sent anywhere else is refused before a byte of
    it is read — the report form, notes, breaches, any API endpoint (INC-YPSI-12, INC-FILT-08)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if _view_name(self.request) not in ORDINARY_UPLOAD_VIEWS:
            raise UploadNotAccepted

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _view_name(request: Any) -> str:
    if request is None:
        return ""
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


# --- storing and serving -----------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The file's own name, without any folder and without characters that could break a header."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    return base[:200] or "file"


def name_fingerprint(name: str) -> str:
    """What is kept of a destroyed file's name: enough to match it, nothing to read (REP-08)."""
    return hashlib.sha256(clean_name(name).encode()).hexdigest()


def store(field: Any, data: bytes, checked: Checked) -> None:
    """Write accepted bytes under a random name (the original may describe what the file shows).
    The storage writes files 0600 in folders 0700 (``FILE_UPLOAD_PERMISSIONS`` and
    ``FILE_UPLOAD_DIRECTORY_PERMISSIONS`` in settings)."""
    field.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(data), save=False)


def delete_bytes(field: Any) -> None:
    """Remove stored bytes for good; raise if the storage still has them."""
    name = field.name
    if not name:
        return
    storage = field.storage
    storage.delete(name)
    if storage.exists(name):
        raise OSError("The file could not be deleted from storage.")


def download_name(name: str, mime: str) -> str:
    """The saved name, with an extension that matches the checked type (text named .html stays text)."""
    cleaned = clean_name(name)
    extensions = file_checks.extensions_for(mime)
    if not extensions:
        return cleaned
    _stem, dot, extension = cleaned.rpartition(".")
    if dot and extension.lower() in extensions:
        return cleaned
    return f"{cleaned}.{extensions[0]}"[-200:]


def download_response(handle: Any, *, name: str, mime: str) -> FileResponse:
    """Always "save as" with the checked type, sandboxed, never cached, never sniffed by the browser."""
    response = FileResponse(handle, as_attachment=True, filename=download_name(name, mime), content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
