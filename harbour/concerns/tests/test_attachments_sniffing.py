"""The image guard's eyes: file types read from content, and the rule per category (INC-YPSI-12,
INC-CSAE-12, INC-IIOC-06). No database: these are pure functions."""

import pytest

from harbour.concerns import attachment_sniffing as sniffing
from harbour.concerns import categories
from harbour.concerns.attachments import AttachmentRefused, assess
from harbour.concerns.tests import attachment_samples as s

YPSI = categories.get("youth_produced_sexual_imagery")
REFUSING = [c for c in categories.CATEGORIES if c.refuses_images]
ORDINARY = [c for c in categories.CATEGORIES if not c.refuses_images]
CYBERBULLYING = categories.get("cyberbullying")


@pytest.mark.parametrize(
    ("make", "mime"),
    [
        (s.png, "image/png"),
        (s.jpeg, "image/jpeg"),
        (lambda: s.picture("GIF"), "image/gif"),
        (lambda: s.picture("WEBP"), "image/webp"),
        (lambda: s.picture("BMP"), "image/bmp"),
        (lambda: s.picture("TIFF"), "image/tiff"),
        (lambda: s.picture("ICO"), "image/vnd.microsoft.icon"),
        (s.heic, "image/heif"),
        (lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"),
        (s.mp4, "video/mp4"),
        (s.mov, "video/quicktime"),
        (s.three_gp, "video/3gpp"),
        (s.webm, "video/webm"),
        (s.avi, "video/x-msvideo"),
        (s.pdf, "application/pdf"),
        (s.word, sniffing.DOCX.mime),
        (s.excel, sniffing.XLSX.mime),
        (s.odt, sniffing.ODT.mime),
        (s.text, "text/plain"),
        (lambda: b"name,year,class\nAda,3,Oak\nBen,4,Ash\n", "text/csv"),
        (s.zip_archive, "application/zip"),
        (s.word_with_macros, sniffing.OFFICE_MACRO.mime),
        (lambda: b"<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
        (lambda: b"MZ\x90\x00\x03\x00\x00\x00", "application/x-executable"),
        (lambda: b"\x00\x01\x02binary", "application/octet-stream"),
    ],
)
def test_type_is_read_from_content(make, mime):
    assert sniffing.sniff(make()).mime == mime


@pytest.mark.parametrize("body", [b"BMW is a car, not a picture.\n", b"MZ started the rumour.\n", b"II said so\n"])
def test_text_is_not_mistaken_for_a_two_byte_signature(body):
    assert sniffing.sniff(body) is sniffing.TEXT


@pytest.mark.parametrize("category", REFUSING, ids=lambda c: c.id)
@pytest.mark.parametrize("make", [s.png, s.jpeg, s.heic, s.mp4, s.mov, s.webm, lambda: s.picture("GIF")])
def test_refusing_categories_refuse_every_picture_and_video(category, make):
    """INC-YPSI-12, INC-CSAE-12, INC-IIOC-06: whatever the format, with the what-to-do advice."""
    with pytest.raises(AttachmentRefused) as refused:
        assess(make(), category=category)
    assert refused.value.reason in {"image", "video"}
    assert "Do not open it again" in refused.value.messages[0]
    assert "police" in refused.value.messages[0]


@pytest.mark.parametrize("category", ORDINARY, ids=lambda c: c.id)
def test_screenshots_are_accepted_where_images_are_allowed(category):
    assert assess(s.png(), category=category) is sniffing.PNG
    assert assess(s.jpeg(), category=category) is sniffing.JPEG


@pytest.mark.parametrize("category", categories.CATEGORIES, ids=lambda c: c.id)
def test_video_is_refused_on_every_category(category):
    with pytest.raises(AttachmentRefused) as refused:
        assess(s.mp4(), category=category)
    assert refused.value.reason == "video"


@pytest.mark.parametrize("make", [s.heic, lambda: s.picture("GIF"), lambda: s.picture("WEBP")])
def test_only_png_and_jpeg_screenshots_on_ordinary_categories(make):
    with pytest.raises(AttachmentRefused) as refused:
        assess(make(), category=CYBERBULLYING)
    assert refused.value.reason == "image_format"


@pytest.mark.parametrize("category", categories.CATEGORIES, ids=lambda c: c.id)
@pytest.mark.parametrize("make", [s.pdf, s.word, s.excel, s.odt, s.text])
def test_text_documents_are_accepted_everywhere(category, make):
    assert assess(make(), category=category).kind is sniffing.Kind.DOCUMENT


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (s.picture_pdf, "embedded_picture"),
        (s.pdf_with_inline_image, "embedded_picture"),
        (lambda: s.word(with_picture=True), "embedded_picture"),
        (lambda: s.odt(with_picture=True), "embedded_picture"),
        (s.email_with_picture, "embedded_picture"),
        (lambda: b"see data:image/png;base64,iVBORw0KGgo=", "embedded_picture"),
        (s.pdf_with_embedded_file, "embedded_file"),
        (s.encrypted_pdf, "sealed"),
    ],
)
def test_documents_carrying_pictures_or_hidden_files_are_refused_on_refusing_categories(make, reason):
    """A picture pasted into a document, printed to PDF or base64 in an email is still a picture."""
    with pytest.raises(AttachmentRefused) as refused:
        assess(make(), category=YPSI)
    assert refused.value.reason == reason


@pytest.mark.parametrize("make", [s.picture_pdf, lambda: s.word(with_picture=True), s.email_with_picture])
def test_documents_with_pictures_are_fine_where_images_are_allowed(make):
    assert assess(make(), category=CYBERBULLYING).kind is sniffing.Kind.DOCUMENT


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (s.zip_archive, "archive"),
        (s.word_with_macros, "unsupported"),
        (lambda: b"<html><script>alert(1)</script></html>", "unsupported"),
        (lambda: b"", "empty"),
        (lambda: b"ID3\x03\x00\x00\x00", "audio"),
    ],
)
def test_other_files_are_refused_everywhere(make, reason):
    with pytest.raises(AttachmentRefused) as refused:
        assess(make(), category=CYBERBULLYING)
    assert refused.value.reason == reason


def test_an_oversized_video_is_refused_with_the_image_advice_not_just_for_its_size():
    with pytest.raises(AttachmentRefused) as refused:
        assess(s.mp4()[:64], category=YPSI, complete=False)
    assert refused.value.reason == "video"


def test_an_oversized_document_is_refused_for_its_size():
    with pytest.raises(AttachmentRefused) as refused:
        assess(s.pdf()[:64], category=YPSI, complete=False)
    assert refused.value.reason == "too_large"
    assert "bigger than 10 MB" in refused.value.messages[0]
