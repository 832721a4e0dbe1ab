"""The policy as PDF (WeasyPrint) and DOCX (docxtpl), and the public pages that serve them (GOV-09,
GOV-17, ROL-08..ROL-11, FLT-06, REP-24).
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from harbour.core.tests import factories as f
from harbour.policy.documents import render_policy_docx, render_policy_pdf
from harbour.policy.documents.builder import build_policy
from harbour.policy.documents.pdf import document_html, layout
from harbour.policy.views_documents import PAGE_URL_NAMES
from harbour.schools.policy_defaults import BY_SLUG


@pytest.mark.parametrize("slug", ["st-james", "joy-lane"])
def test_pdf_is_a_multi_page_a4_document(slug):
    """GOV-09: a real PDF of several A4 pages, with the contents on its own page."""
    content = render_policy_pdf(BY_SLUG[slug], None)
    assert content.startswith(b"%PDF-")
    pages = layout(document_html(build_policy(BY_SLUG[slug]))).pages
    assert len(pages) >= 8
    width_mm, height_mm = pages[0].width * 25.4 / 96, pages[0].height * 25.4 / 96
    assert round(width_mm) == 210
    assert round(height_mm) == 297


def test_pdf_html_has_running_header_page_numbers_and_contents():
    """The print template carries the school and title into every page header, numbers the pages
    and lists the sections with their page numbers."""
    html = document_html(build_policy(BY_SLUG["joy-lane"]))
    assert "string-set: school" in html
    assert "string-set: doctitle" in html
    assert 'counter(page) " of " counter(pages)' in html
    assert "target-counter(attr(href), page)" in html
    # Anchors come from the sections' keys, so links to them survive renumbering.
    assert 'href="#s-type-filtering-breaches"' in html
    assert 'id="s-type-filtering-breaches"' in html


def test_pdf_renders_an_empty_configuration():
    """GOV-19: nothing set yet still gives a PDF, with the gaps marked."""
    html = document_html(build_policy({}))
    assert '<mark class="missing">[not yet set: school name]</mark>' in html
    assert render_policy_pdf({}, "Empty School").startswith(b"%PDF-")


def test_configured_text_cannot_inject_markup():
    """Values are escaped: a school name with markup is shown, not obeyed."""
    html = document_html(build_policy(dict(BY_SLUG["joy-lane"], school_name='<img src="http://x/y">')))
    assert "<img" not in html
    assert "&lt;img" in html


@pytest.mark.parametrize("slug", ["st-james", "joy-lane"])
def test_docx_opens_with_headings_key_details_and_header(slug):
    """GOV-09: the Word file opens with python-docx and holds the same policy."""
    config = BY_SLUG[slug]
    document = Document(io.BytesIO(render_policy_docx(config)))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1 Aims and principles" in headings
    assert any(h.endswith("Social media") for h in headings)
    assert config["policy_title"] in paragraphs
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert config["school_name"] in cells
    assert config["dsl_name"] in " ".join(cells)
    header = document.sections[0].header.paragraphs[0].text
    assert config["school_name"] in header
    assert config["policy_title"] in header
    everything = "\n".join(paragraphs + cells)
    assert "{%" not in everything
    assert "{{" not in everything
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) > 30


# --------------------------------------------------------------------------- the public pages


@pytest.fixture
def joy_lane(db):
    return f.SchoolFactory(name="Joy Lane Primary School", slug="joy-lane", policy_settings=BY_SLUG["joy-lane"])


def test_policy_page_answers_anonymously(joy_lane):
    """GOV-09: the published policy is a public page, with downloads and the audience pages linked."""
    response = Client().get(reverse("policy:document", args=["joy-lane"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Joy Lane Primary School" in body
    assert "Executive Headteacher" in body
    assert "Mrs S Strudley" in body
    assert reverse("policy:document_pdf", args=["joy-lane"]) in body
    assert reverse("policy:document_docx", args=["joy-lane"]) in body
    assert reverse("policy:document_responsibilities", args=["joy-lane"]) in body
    assert 'media="print"' in body
    assert "not set yet" in body  # Joy Lane has no next review date


def test_downloads_answer_anonymously(joy_lane):
    pdf = Client().get(reverse("policy:document_pdf", args=["joy-lane"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    docx = Client().get(reverse("policy:document_docx", args=["joy-lane"]))
    assert docx.status_code == 200
    assert "joy-lane-online-safety-policy.docx" in docx["Content-Disposition"]
    assert docx.content[:2] == b"PK"


@pytest.mark.parametrize("key", sorted(PAGE_URL_NAMES))
def test_audience_pages_answer_anonymously(joy_lane, key):
    """ROL-08..ROL-11, GOV-17, FLT-06, REP-24: each audience page and its PDF are public."""
    page = Client().get(reverse(PAGE_URL_NAMES[key], args=["joy-lane"]))
    assert page.status_code == 200
    assert "Joy Lane Primary School" in page.content.decode()
    pdf = Client().get(reverse(PAGE_URL_NAMES[key] + "_pdf", args=["joy-lane"]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")


def test_landing_page_lists_every_document(joy_lane):
    body = Client().get(reverse("policy:document_list", args=["joy-lane"])).content.decode()
    for name in PAGE_URL_NAMES.values():
        assert reverse(name, args=["joy-lane"]) in body
        assert reverse(name + "_pdf", args=["joy-lane"]) in body


def test_unknown_or_closed_school_is_404(joy_lane):
    assert Client().get("/s/no-such-school/policy/").status_code == 404
    assert Client().get("/s/no-such-school/policy/document.pdf").status_code == 404
    joy_lane.is_active = False
    joy_lane.save(update_fields=["is_active"])
    assert Client().get(reverse("policy:document", args=["joy-lane"])).status_code == 404


def test_post_is_refused_and_changes_nothing(joy_lane):
    assert Client().post(reverse("policy:document", args=["joy-lane"])).status_code == 405


def test_each_school_sees_its_own_policy(joy_lane):
    """Tenancy: the page shows the configuration of the school in the URL, never another's."""
    f.SchoolFactory(name="St James' CE Primary School", slug="st-james", policy_settings=BY_SLUG["st-james"])
    body = Client().get(reverse("policy:document", args=["st-james"])).content.decode()
    assert "Jess Austen" in body
    assert "Strudley" not in body


def test_staff_can_see_a_draft_version_others_get_404(world, client_for):
    """GOV-05: a member with VIEW_POLICY_RECORDS can read any version with ?version=N; anyone else
    (anonymous, another school's DSL) gets 404, and the public page still shows the policy in force."""
    from harbour.policy import services

    draft = services.policy_version_save_draft(
        actor=world.dsl,
        school=world.school,
        config=dict(BY_SLUG["joy-lane"], school_name="Alpha Primary School", dsl_name="Draft Person"),
        note="Trying a new DSL",
    )
    url = reverse("policy:document", args=["alpha"]) + f"?version={draft.number}"
    response = client_for("teacher").get(url)
    assert response.status_code == 200
    assert "Draft Person" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert Client().get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("teacher").get(reverse("policy:document", args=["alpha"]) + "?version=x").status_code == 404
    public = Client().get(reverse("policy:document", args=["alpha"])).content.decode()
    assert "Draft Person" not in public
