"""Vulnerability flags and the people who may not see them (issue #12 point 6).

Office staff could learn from an import summary whether a pupil has a child-protection plan, and
overwrite it silently. Now flag columns need a role that sees flags (refused with a clear message,
nothing written, audited), the summary of an import without them says nothing about flags, and
every bulk read of flags (API list, flag filters, the learner page's flag column) writes ONE audit
event naming the filter and the count. REP-07, ROL-01.
"""

from __future__ import annotations

import pytest

from harbour.audit.models import AuditEvent
from harbour.people import services
from harbour.people.import_selectors import import_check
from harbour.people.models import ImportBatch, Learner

WITH_FLAGS = (
    "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,Child Protection Plan\n"
    "U820200101001,Khan,Zara,04/05/2017,Year 3,3 Oak,N\n"
    "H820200101002,O'Neill,Thomas,12/11/2016,Year 4,4 Ash,N\n"
)
WITHOUT_FLAGS = (
    "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group\n"
    "U820200101001,Khan,Zara,04/05/2017,Year 3,3 Oak\n"
    "H820200101002,O'Neill,Thomas,12/11/2016,Year 4,4 Ash\n"
)
BULK = "learner.flags.bulk_read"


@pytest.fixture
def on_roll(world):
    """Two pupils imported by the DSL; only Zara has a child-protection plan."""
    parsed = import_check(school=world.school, kind="learners", text=WITH_FLAGS)
    services.people_import_apply(actor=world.dsl, kind="learners", rows=parsed)
    Learner.objects.filter(upn="U820200101001").update(has_child_protection_plan=True)
    return Learner.objects.get(upn="U820200101001"), Learner.objects.get(upn="H820200101002")


def _batch(world, text: str) -> ImportBatch:
    return ImportBatch.objects.create(
        school=world.school, kind="learners", uploaded_by=world.office.user, original_filename="x.csv", content=text
    )


def _preview(batch: ImportBatch) -> str:
    return f"/s/alpha/import/{batch.pk}/"


# --- Import ---------------------------------------------------------------------------------


def test_office_import_with_flag_columns_is_refused_and_changes_nothing(world, client_for, on_roll):
    zara, _ = on_roll
    batch = _batch(world, WITH_FLAGS)
    client = client_for("office")
    preview = client.get(_preview(batch)).content.decode()
    assert "vulnerability columns (Child protection plan)" in preview
    assert "Import 2 rows" not in preview
    response = client.post(_preview(batch), {"action": "apply"})
    body = response.content.decode()
    assert "Your role cannot see those flags" in body
    zara.refresh_from_db()
    assert zara.has_child_protection_plan  # not overwritten with the file's "N"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert not AuditEvent.objects.filter(action="people.import", actor=world.office.user).exists()
    refused = AuditEvent.objects.filter(action="people.import.refused_flags", actor=world.office.user)
    assert refused.exists()


def test_office_cannot_map_a_flag_column_by_hand_either(world, client_for, on_roll):
    text = (
        "UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,Notes\nU820200101001,Khan,Zara,04/05/2017,Year 3,3 Oak,N\n"
    )
    batch = _batch(world, text)
    client = client_for("office")
    client.post(_preview(batch), {"action": "remap", "map_has_child_protection_plan": "Notes"})
    client.post(_preview(batch), {"action": "apply"})
    assert Learner.objects.get(upn="U820200101001").has_child_protection_plan
    assert not AuditEvent.objects.filter(action="people.import", actor=world.office.user).exists()


def test_service_refuses_flag_columns_for_office_whatever_the_caller(world, on_roll):
    parsed = import_check(school=world.school, kind="learners", text=WITH_FLAGS)
    with pytest.raises(services.ImportRefused, match="vulnerability columns"):
        services.people_import_apply(actor=world.office, kind="learners", rows=parsed)
    assert Learner.objects.get(upn="U820200101001").has_child_protection_plan


def test_summary_of_an_import_without_flags_says_nothing_about_them(world, client_for, on_roll):
    """Zara (plan) and Thomas (no plan) come out the same: the counts cannot reveal a flag."""
    batch = _batch(world, WITHOUT_FLAGS)
    response = client_for("office").post(_preview(batch), {"action": "apply"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.summary["created"], batch.summary["updated"], batch.summary["unchanged"]) == (0, 0, 2)
    assert Learner.objects.get(upn="U820200101001").has_child_protection_plan


def test_the_dsl_imports_flags_and_only_flag_roles_see_its_counts(world, client_for, on_roll):
    batch = _batch(world, WITH_FLAGS)
    dsl = client_for("dsl")
    response = dsl.post(_preview(batch), {"action": "apply"})
    assert response.status_code == 302
    assert not Learner.objects.get(upn="U820200101001").has_child_protection_plan
    assert "<dt>Updated</dt><dd>1</dd>" in dsl.get(_preview(batch)).content.decode()
    office_view = client_for("office").get(_preview(batch)).content.decode()
    assert "<dt>Updated</dt>" not in office_view
    assert "counts are shown only to roles that see those flags" in office_view


# --- Bulk reads ------------------------------------------------------------------------------


def test_api_list_with_flags_writes_one_event_with_filter_and_count(world, client_for, on_roll):
    assert not AuditEvent.objects.filter(action=BULK).exists()
    response = client_for("dsl").get("/api/v1/schools/alpha/learners/", {"flag": "cp_plan"})
    assert response.status_code == 200
    assert [row["upn"] for row in response.json()["results"]] == ["U820200101001"]
    event = AuditEvent.objects.get(action=BULK)
    assert event.actor == world.dsl.user
    assert event.school == world.school
    assert event.changes == {"source": "api", "filters": {"flag": "cp_plan"}, "count": 1}


def test_api_list_without_a_filter_is_audited_too_when_it_carries_flags(world, client_for, on_roll):
    client_for("dsl").get("/api/v1/schools/alpha/learners/")
    event = AuditEvent.objects.get(action=BULK)
    assert event.changes["count"] == Learner.objects.filter(school=world.school).count()
    assert event.changes["filters"] == {}


def test_roles_without_flags_are_not_filtered_by_flag_and_not_audited(world, client_for, on_roll):
    response = client_for("office").get("/api/v1/schools/alpha/learners/", {"flag": "cp_plan"})
    assert response.status_code == 200
    assert "has_child_protection_plan" not in response.json()["results"][0]
    assert response.json()["count"] == Learner.objects.filter(school=world.school).count()
    assert not AuditEvent.objects.filter(action=BULK).exists()


def test_unknown_flag_is_a_400_problem(world, client_for):
    response = client_for("dsl").get("/api/v1/schools/alpha/learners/", {"flag": "wizard"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not AuditEvent.objects.filter(action=BULK).exists()


def test_learner_page_flag_filter_writes_one_event(world, client_for, on_roll):
    response = client_for("dsl").get("/s/alpha/learners/", {"flag": "looked_after"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=BULK)
    assert event.changes["source"] == "web"
    assert event.changes["filters"] == {"flag": "looked_after"}
    assert event.changes["count"] == 1  # world.learner is looked after


def test_learner_page_for_a_teacher_writes_no_flag_event(world, client_for):
    client_for("teacher").get("/s/alpha/learners/", {"flag": "looked_after"})
    assert not AuditEvent.objects.filter(action=BULK).exists()
