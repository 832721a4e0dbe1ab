"""The audit browser and CSV export: who may use them, what they show, and the export's own trail
(REP-06, REP-07, ROL-01)."""

import csv
import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.roles import Capability, has_capability
from harbour.audit.models import AuditEvent
from harbour.audit.selectors import audit_event_export
from harbour.audit.services import record
from harbour.audit.views import PAGE_SIZE
from harbour.core.tests import factories as f

LIST = reverse("audit:event_list", args=["alpha"])
EXPORT = reverse("audit:event_export", args=["alpha"])
NO_AUDIT_PERSONAS = (
    "deputy",
    "slt",
    "teacher",
    "teacher2",
    "support",
    "technician",
    "office",
    "governor",
    "admin",
    "outsider",
)


@pytest.fixture
def trail(world):
    """Three events at Alpha and one at Beta, which must never show at Alpha."""
    return {
        "teacher_view": record(action="learner.view", actor=world.teacher, obj=world.learner),
        "role_change": record(
            action="membership.role_change", actor=world.head, obj=world.teacher, changes={"role": ["teacher", "slt"]}
        ),
        "dsl_view": record(action="learner.view", actor=world.dsl, obj=world.learner2),
        "beta_view": record(action="learner.view", actor=world.outsider, obj=world.other_learner),
    }


@pytest.fixture
def trust_lead(world):
    user = f.UserFactory(email="lead@trust.test", mfa=True)
    f.TrustRoleFactory(user=user, organisation=world.school.organisation)
    client = Client()
    client.force_login(user)
    return client


def _shown(response) -> set[int]:
    return {row["event"].pk for row in response.context["rows"]}


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("persona", ["dsl", "head"])
def test_audit_roles_see_their_schools_trail(world, client_for, trail, persona):
    response = client_for(persona).get(LIST)
    assert response.status_code == 200
    assert _shown(response) == {trail["teacher_view"].pk, trail["role_change"].pk, trail["dsl_view"].pk}
    assert b"teacher@alpha.test" in response.content
    assert b"role</strong>: teacher \xe2\x86\x92 slt" in response.content


def test_trust_lead_browses_and_exports_the_trail(world, trust_lead, trail):
    """The trust lead acts through an unsaved membership; their export is still audited."""
    assert trust_lead.get(LIST).status_code == 200
    response = trust_lead.get(EXPORT)
    assert response.status_code == 200
    assert len(_csv(response)) == 1 + 3
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_email == "lead@trust.test"
    assert export.actor_role == "trust_safeguarding_lead"
    assert export.school == world.school


@pytest.mark.parametrize("persona", NO_AUDIT_PERSONAS)
def test_roles_without_the_audit_capability_get_404(world, client_for, trail, persona):
    assert not has_capability(world.persona(persona).role, Capability.VIEW_AUDIT) or persona == "outsider"
    client = client_for(persona)
    assert client.get(LIST).status_code == 404
    response = client.get(EXPORT)
    assert response.status_code == 404
    assert b"teacher@alpha.test" not in response.content
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_anonymous_visitor_is_sent_to_sign_in(world):
    response = Client().get(EXPORT)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_action_filter_matches_the_action_and_its_family(world, client_for, trail):
    client = client_for("dsl")
    assert _shown(client.get(LIST, {"action": "learner"})) == {trail["teacher_view"].pk, trail["dsl_view"].pk}
    assert _shown(client.get(LIST, {"action": "learner.view"})) == {trail["teacher_view"].pk, trail["dsl_view"].pk}
    assert _shown(client.get(LIST, {"action": "learn"})) == set()


def test_person_record_and_text_filters(world, client_for, trail):
    client = client_for("dsl")
    assert _shown(client.get(LIST, {"actor": "head@"})) == {trail["role_change"].pk}
    record_filter = {"object_type": "people.learner", "object_id": str(world.learner.pk)}
    assert _shown(client.get(LIST, record_filter)) == {trail["teacher_view"].pk}
    assert _shown(client.get(LIST, {"q": str(world.learner2)})) == {trail["dsl_view"].pk}


def test_date_filters_are_inclusive(world, client_for):
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=tz), tick=False):
        march = record(action="learner.view", actor=world.dsl, obj=world.learner)
    with time_machine.travel(datetime(2026, 4, 1, 23, 30, tzinfo=tz), tick=False):
        april = record(action="learner.view", actor=world.dsl, obj=world.learner)
    client = client_for("dsl")
    assert _shown(client.get(LIST, {"date_from": "2026-03-02", "date_to": "2026-03-31"})) == {march.pk}
    assert _shown(client.get(LIST, {"date_from": "2026-04-01"})) == {april.pk}
    assert _shown(client.get(LIST, {"date_to": "2026-04-01"})) == {march.pk, april.pk}


def test_reversed_dates_are_explained_and_show_no_rows(world, client_for, trail):
    response = client_for("dsl").get(LIST, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 200
    assert b"The end date must be on or after the start date." in response.content
    assert b'href="#id_date_to"' in response.content
    assert response.context["rows"] == []


def test_history_restore_gets_the_whole_page(world, client_for, trail):
    """With hx-history off, the back button asks the server again and needs a complete page."""
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client_for("dsl").get(LIST, {"action": "membership"}, headers=headers)
    assert b"<html" in response.content
    assert response["Vary"].count("HX-Request") == 1


def test_htmx_request_gets_only_the_results(world, client_for, trail):
    response = client_for("dsl").get(LIST, {"action": "membership"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"<table" in response.content
    assert b'data-results-summary="1 event found"' in response.content
    assert b"head@alpha.test" in response.content
    assert b"dsl@alpha.test" not in response.content


def test_export_link_carries_the_filters_in_use(world, client_for, trail):
    response = client_for("dsl").get(LIST, {"action": "learner"})
    assert f'href="{EXPORT}?action=learner"'.encode() in response.content


def test_trail_is_paginated_fifty_to_a_page(world, client_for):
    for _ in range(PAGE_SIZE + 5):
        record(action="learner.view", actor=world.dsl, obj=world.learner)
    client = client_for("dsl")
    first = client.get(LIST, {"action": "learner"})
    assert len(first.context["rows"]) == PAGE_SIZE
    assert b"Page 1 of 2" in first.content
    assert b'href="?action=learner&amp;page=2"' in first.content
    assert len(client.get(LIST, {"action": "learner", "page": 2}).context["rows"]) == 5


def test_export_is_filtered_and_audits_itself(world, client_for, trail):
    response = client_for("dsl").get(
        EXPORT, {"action": "learner"}, REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Spreadsheet fan/1.0"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="harbour-audit-alpha-')
    header, *rows = _csv(response)
    assert header[:4] == ["When", "Person", "Role", "Action"]
    assert sorted(row[1] for row in rows) == ["dsl@alpha.test", "teacher@alpha.test"]
    assert all(row[3] == "learner.view" for row in rows)

    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == world.dsl.user
    assert export.changes == {"filters": {"action": "learner"}, "rows": 2}
    assert export.ip_address == "198.51.100.4"
    assert export.user_agent == "Spreadsheet fan/1.0"


def test_export_never_includes_its_own_event(world, client_for, trail):
    _header, *rows = _csv(client_for("dsl").get(EXPORT))
    assert len(rows) == 3
    assert "audit.export" not in {row[3] for row in rows}


def test_export_neutralises_spreadsheet_formulas(world, client_for):
    AuditEvent.objects.create(
        school=world.school,
        actor_email="-2+3@evil.test",
        action="+learner.view",
        object_repr='=HYPERLINK("http://evil.test","click")',
        user_agent="@SUM(A1:A9)",
        object_id="=1+1",
    )
    _header, row = _csv(client_for("dsl").get(EXPORT))
    assert row[1] == "'-2+3@evil.test"
    assert row[3] == "'+learner.view"
    assert row[5] == "'=1+1"
    assert row[6] == '\'=HYPERLINK("http://evil.test","click")'
    assert row[8] == "'@SUM(A1:A9)"


def test_export_with_invalid_filters_downloads_nothing(world, client_for, trail):
    response = client_for("dsl").get(EXPORT, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"Nothing was downloaded" in response.content
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_export_of_an_empty_selection_is_still_audited(world, client_for, trail):
    _header, *rows = _csv(client_for("dsl").get(EXPORT, {"actor": "nobody@nowhere.test"}))
    assert rows == []
    assert AuditEvent.objects.get(action="audit.export").changes["rows"] == 0


def test_events_older_than_a_page_keep_their_order(world, client_for):
    """Newest first, with the database id breaking ties between events of the same second."""
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=1), tick=False):
        older = record(action="learner.view", actor=world.dsl, obj=world.learner)
    newer = record(action="learner.view", actor=world.dsl, obj=world.learner)
    rows = client_for("dsl").get(LIST).context["rows"]
    assert [row["event"].pk for row in rows] == [newer.pk, older.pk]


def test_export_selector_refuses_roles_without_the_capability(world, trail):
    """The selector guards the export on its own, so an API or a future view cannot skip the check."""
    with pytest.raises(Http404):
        audit_event_export(actor=world.deputy)
    assert not AuditEvent.objects.filter(action="audit.export").exists()
