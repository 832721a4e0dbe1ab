"""Journey for issue #21 ("Done when"), without a browser: a technician brings in a policy the school
already approved (LGfL template, its own history, a committee adopting it, a rule of its own), the
public "Can I…?" guide answers from it at once, and the PDF reads as that school's.

(The Playwright version of this journey is not written yet; this test drives the same steps through
the management command and the Django test client.)
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

POLICY = """harbour_policy: 1
preset: lgfl-2024
identity:
  school:
    name: Alpha Primary School
  dates:
    written: 2024-01-16
    agreed: 2024-01-30
    next_review: 2025-01-31
people:
  dsl:
    name: Dana Lead
  governors:
    named: [Gil Governor]
  key_people:
    - {role: data_protection_officer, name: Pat Privacy, contact: "01234 567890"}
    - {role: it_provider, name: Netcare Ltd}
  bodies:
    - {kind: committee, name: Curriculum Committee, adopts: true}
rules:
  bring_personal_phone_on_site:
    actors: [learner]
    verdict: conditional
    conditions:
      - year_groups: [Year 5, Year 6]
      - handed_in: at the office when they arrive
    explanation: Only pupils in Years 5 and 6 who walk home alone bring a phone, and it goes to the office.
"""


def test_an_approved_policy_imported_on_the_command_line_answers_and_prints_as_the_school(world, client, tmp_path):
    path = tmp_path / "alpha.yaml"
    path.write_text(POLICY, encoding="utf-8")
    call_command("policy_import", "alpha", str(path), "--approved", stdout=io.StringIO(), stderr=io.StringIO())

    guide = client.get(reverse("policy:guide_learners", args=["alpha"])).content.decode()
    assert "Only pupils in Years 5 and 6 who walk home alone bring a phone" in guide

    pdf = client.get(reverse("policy:document_pdf", args=["alpha"]))
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Alpha Primary School" in text
    assert "Adopted by Curriculum Committee" in text
    assert "Ratified by governors" not in text
    assert "Pat Privacy" in text
    assert "30 January 2024" in text  # the day it was agreed, as the school wrote it


def test_the_schools_own_text_is_shown_as_text_never_as_html(world, client, tmp_path):
    """Issue #21 point 5: own section text and titles are escaped on the public page."""
    text = POLICY + (
        "sections:\n"
        "  review:\n"
        '    title: "<b>Review</b>"\n'
        '    after: "<script>alert(1)</script> and https://example.org/x\\"onmouseover=alert(2)"\n'
    )
    path = tmp_path / "alpha.yaml"
    path.write_text(text, encoding="utf-8")
    call_command("policy_import", "alpha", str(path), "--approved", stdout=io.StringIO(), stderr=io.StringIO())
    body = client.get(reverse("policy:document", args=["alpha"])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>Review</b>" not in body
    assert '"onmouseover' not in body
