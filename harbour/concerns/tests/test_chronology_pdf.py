"""The chronology PDF: marked, attached, audited as an export, and only for the team (issue 4 item 8)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from harbour.audit.models import AuditEvent
from harbour.concerns import chronology, services
from harbour.concerns.chronology_pdf import MARKING, render_chronology_pdf


def test_dsl_downloads_a_pdf_and_the_export_is_audited(world, client_for):
    """One small PDF: a real document, sent as an attachment without the child's name, audited."""
    concern = services.concern_report(
        actor=world.teacher,
        category="cyberbullying",
        occurred_at=timezone.now() - timedelta(hours=2),
        summary="Name-calling in a game chat",
        description="Ada said: they keep calling me names.",
        involvements=[services.Involvement(world.learner.pk, "affected")],
    )
    url = reverse("concerns:chronology_pdf", args=[world.school.slug, world.learner.pk])
    response = client_for("dsl").get(url, {"kind": "reported"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert world.learner.last_name not in disposition
    assert response["Cache-Control"] == "no-store"
    export = AuditEvent.objects.get(action=chronology.EXPORT_ACTION)
    assert export.actor == world.dsl.user
    assert export.object_id == str(world.learner.pk)
    assert export.changes["concerns"] == [concern.reference]
    assert export.changes["filters"] == {"kinds": ["reported"]}
    # An export is not also counted as an on-screen view.
    assert not AuditEvent.objects.filter(action=chronology.VIEW_ACTION).exists()


def test_pdf_html_carries_the_marking_school_learner_and_maker(world, monkeypatch):
    """What goes into the PDF, checked on the HTML handed to WeasyPrint (fast: no rendering)."""
    captured = {}

    class FakeHTML:
        def __init__(self, *, string, url_fetcher):
            captured["html"] = string

        def write_pdf(self):
            return b"%PDF-fake"

    monkeypatch.setattr("weasyprint.HTML", FakeHTML)
    render_chronology_pdf(actor=world.deputy, learner=world.learner, events=[], filters_description="")
    html = captured["html"]
    assert html.count(MARKING) >= 2
    # Names are HTML-escaped in the page (an apostrophe in O'Neill becomes &#x27;).
    assert escape(world.school.name) in html
    assert escape(world.learner.last_name) in html
    assert escape(world.deputy.user.display_name) in html
    assert "No events match" in html
