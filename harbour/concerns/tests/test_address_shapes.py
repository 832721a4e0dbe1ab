"""Web addresses in every shape are hidden on every page, API answer and PDF (INC-IIOC-07, INC-FILT-09).

One detector (``concerns.addresses``) serves them all. These tests cover the shapes that used to
slip through (scheme-less IP literals, defanged dots, ideographic and fullwidth dots), with
property tests over generated addresses, and check that only the DSL may reveal them (audited).
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from rest_framework.test import APIClient

from harbour.audit.models import AuditEvent
from harbour.concerns import services
from harbour.concerns.addresses import HIDDEN_TEXT, address_spans, fold, hide_addresses
from harbour.filtering.inert import defang_text

SHAPES = [
    "192.168.1.10/images",
    "10.0.0.5:8080/x",
    "203.0.113.7",
    "example[.]com",
    "example(.)com/page",
    "example[dot]com",
    "example。com",
    "example．com/path",
    "example｡com",
    "ｅｘａｍｐｌｅ．ｃｏｍ",
    "www。example。org",
    "hxxps[://]bad[.]example/x",
    "//cdn.example.net/a.png",
    "[2001:db8::1]/images",
    "[fe80::1]:8080",
]
DOTS = [".", "[.]", "(.)", "{.}", "[dot]", "。", "．", "｡"]


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_is_hidden_in_running_text(shape):
    text = f"She said she looked at {shape} on the bus."
    hidden = hide_addresses(text)
    assert hidden == f"She said she looked at {HIDDEN_TEXT} on the bus."


@pytest.mark.parametrize(
    "text",
    [
        "Version 1.2.3.4.5 of the app",
        "At 12:30 she got 3.5 out of 10.",
        "I said no. Then",
        "Logged [12:30:45] in class",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert hide_addresses(text) == text


def test_an_email_address_is_not_an_address_to_hide():
    assert hide_addresses("write to head@example.com") == "write to head@example.com"


def test_fold_keeps_every_position():
    text = "ｅｘａｍｐｌｅ．ｃｏｍ and ﬁsh"
    assert len(fold(text)) == len(text)


def test_defanged_breach_text_writes_odd_dots_plainly():
    assert defang_text("saw example。com/x") == "saw example[.]com/x"
    assert defang_text("saw 192.168.1.10/images") == "saw 192[.]168[.]1[.]10/images"


_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12).filter(
    lambda s: s[0].isalpha()
)
_tld = st.sampled_from(["com", "org", "uk", "net", "io", "xyz", "info"])
_segment = st.text(alphabet="abcdefghij0123456789-_", min_size=1, max_size=10)
_path = st.one_of(st.just(""), _segment.map(lambda p: "/" + p))


@st.composite
def domains(draw) -> str:
    dot = draw(st.sampled_from(DOTS))
    labels = draw(st.lists(_label, min_size=1, max_size=3))
    return dot.join([*labels, draw(_tld)]) + draw(_path)


@st.composite
def ip_literals(draw) -> str:
    dot = draw(st.sampled_from(DOTS))
    octets = draw(st.lists(st.integers(0, 255), min_size=4, max_size=4))
    port = draw(st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}")))
    return dot.join(str(o) for o in octets) + port + draw(_path)


_words = st.lists(st.sampled_from(["he", "said", "look", "at", "this", "now", "and", "then"]), max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    address=st.one_of(domains(), ip_literals()),
    before=_words,
    after=_words,
    end=st.sampled_from(["", ".", "。", "!"]),
)
def test_every_generated_address_is_hidden_whole(address, before, after, end):
    text = f"{before} {address}{end} {after}".strip()
    spans = list(address_spans(text))
    start = text.index(address)
    assert (start, start + len(address)) in spans
    assert address not in hide_addresses(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_the_detector_never_fails_and_spans_stay_inside_the_text(text):
    last = 0
    for start, end in address_spans(text):
        assert last <= start < end <= len(text)
        last = end
    hide_addresses(text)


# --- pages, API and PDF ------------------------------------------------------------------------


@pytest.fixture
def breach(world):
    concern = services.concern_report(
        actor=world.teacher,
        category="indecent_images_of_children",
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Found on a shared laptop",
        description="Pages at 192.168.1.10/images and example[.]com and example。com were open.",
        involvements=[services.Involvement(world.learner.pk, "affected")],
    )
    services.concern_add_note(actor=world.dsl, concern=concern, text="Also seen: ｅｘａｍｐｌｅ．ｃｏｍ/x")
    return concern


LEAKS = ["192.168.1.10", "example[.]com", "example。com", "ｅｘａｍｐｌｅ", "example"]


def _no_leak(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text


def test_page_hides_every_shape(breach, client_for):
    page = client_for("dsl").get(reverse("concerns:detail", args=["alpha", breach.pk])).content.decode()
    _no_leak(page)
    assert HIDDEN_TEXT in page


def test_api_hides_every_shape(breach, world):
    client = APIClient()
    client.force_login(world.dsl.user)
    body = str(client.get(reverse("api-concern-detail", args=["alpha", breach.pk])).json())
    entries = str(client.get(reverse("api-concern-entry-list", args=["alpha", breach.pk])).json())
    _no_leak(body)
    _no_leak(entries)


def test_chronology_pdf_text_hides_every_shape(breach, world, client_for):
    response = client_for("dsl").get(reverse("concerns:chronology_pdf", args=["alpha", world.learner.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "web address hidden" in text
    _no_leak(text)


@pytest.mark.parametrize("persona", ["deputy", "head"])
def test_only_the_dsl_reveals_addresses_on_the_page(breach, client_for, world, persona):
    page = client_for(persona).get(reverse("concerns:detail", args=["alpha", breach.pk]), {"reveal": "1"})
    text = page.content.decode()
    assert "Show the web addresses" not in text
    _no_leak(text)
    assert not AuditEvent.objects.filter(action="concern.reveal_addresses").exists()
    assert AuditEvent.objects.filter(action="concern.reveal_addresses_refused", actor=world.persona(persona).user)


def test_only_the_dsl_reveals_addresses_in_the_api(breach, world):
    deputy = APIClient()
    deputy.force_login(world.deputy.user)
    rows = deputy.get(reverse("api-concern-entry-list", args=["alpha", breach.pk]), {"reveal": "true"}).json()
    assert "ｅｘａｍｐｌｅ" not in str(rows)
    dsl = APIClient()
    dsl.force_login(world.dsl.user)
    rows = dsl.get(reverse("api-concern-entry-list", args=["alpha", breach.pk]), {"reveal": "true"}).json()
    assert "ｅｘａｍｐｌｅ．ｃｏｍ/x" in str(rows)
    assert AuditEvent.objects.filter(action="concern.reveal_addresses", actor=world.dsl.user).count() == 1


def test_dsl_reveal_shows_the_address_as_inert_text_and_is_audited(breach, client_for, world):
    page = client_for("dsl").get(reverse("concerns:detail", args=["alpha", breach.pk]), {"reveal": "1"})
    text = page.content.decode()
    assert '<code class="inert-address">192.168.1.10/images</code>' in text
    assert 'href="192.168' not in text
    assert AuditEvent.objects.filter(action="concern.reveal_addresses", actor=world.dsl.user).exists()
