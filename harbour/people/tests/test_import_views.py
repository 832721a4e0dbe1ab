"""The web import (issue item 4): upload, preview with every problem by line, confirm or discard.

Only office staff, school administrators and the DSL (IMPORT_PEOPLE) reach these pages; everyone
else, and anyone asking for another school's batch, gets 404. Vulnerability flag columns need the
DSL (issue #12 point 6).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_member
from harbour.accounts.roles import Role
from harbour.audit.models import AuditEvent
from harbour.people.models import ImportBatch, Learner

DATA = Path(__file__).parent / "data"
NOT_IMPORTERS = ["deputy", "head", "slt", "teacher", "teacher2", "support", "technician", "governor", "outsider"]


def upload_url(slug: str = "alpha") -> str:
    return reverse("people:import_upload", args=[slug])


def preview_url(batch: ImportBatch, slug: str = "alpha") -> str:
    return reverse("people:import_preview", args=[slug, batch.pk])


def csv_upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (DATA / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/csv")


def make_batch(world, name: str, kind: str = "learners", school=None) -> ImportBatch:
    return ImportBatch.objects.create(
        school=school or world.school,
        kind=kind,
        uploaded_by=world.office.user,
        original_filename=name,
        content=(DATA / name).read_text(),
    )


@pytest.fixture
def office(client_for):
    return client_for("office")


@pytest.fixture
def dsl(client_for):
    """The DSL imports files with vulnerability flag columns (issue #12 point 6)."""
    return client_for("dsl")


# --- Who may import ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "admin", "dsl"])
def test_importers_see_the_upload_page(world, client_for, persona):
    response = client_for(persona).get(upload_url())
    assert response.status_code == 200
    assert b"Import from your MIS" in response.content


@pytest.mark.parametrize("persona", NOT_IMPORTERS)
def test_everyone_else_gets_404_on_the_upload_page(world, client_for, persona):
    client = client_for(persona)
    assert client.get(upload_url()).status_code == 404
    response = client.post(upload_url(), {"kind": "learners", "file": csv_upload("sims_learners.csv")})
    assert response.status_code == 404
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("persona", NOT_IMPORTERS)
def test_everyone_else_gets_404_on_a_batch(world, client_for, persona):
    batch = make_batch(world, "sims_learners.csv")
    client = client_for(persona)
    assert client.get(preview_url(batch)).status_code == 404
    assert client.post(preview_url(batch), {"action": "apply"}).status_code == 404
    assert not Learner.objects.filter(upn="U820200101001").exists()


def test_importer_of_another_school_gets_404_on_this_schools_batch(world, client):
    beta_office = make_member(world.other_school, Role.OFFICE, "office@beta.test")
    batch = make_batch(world, "sims_learners.csv")
    client.force_login(beta_office.user)
    assert client.get(preview_url(batch, slug="beta")).status_code == 404
    assert client.post(preview_url(batch, slug="beta"), {"action": "apply"}).status_code == 404
    assert client.get(preview_url(batch, slug="alpha")).status_code == 404
    assert not Learner.objects.filter(upn="U820200101001").exists()


def test_batch_of_another_school_is_404_through_this_schools_address(world, office):
    batch = make_batch(world, "sims_staff.csv", kind="staff", school=world.other_school)
    assert office.get(preview_url(batch)).status_code == 404
    assert office.post(preview_url(batch), {"action": "discard"}).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING


# --- Upload ------------------------------------------------------------------------------------


def test_upload_stores_a_batch_and_shows_the_preview(world, office):
    response = office.post(upload_url(), {"kind": "learners", "file": csv_upload("sims_learners.csv")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == preview_url(batch)
    assert (batch.school, batch.kind, batch.uploaded_by) == (world.school, "learners", world.office.user)
    assert "Khan" in batch.content
    assert AuditEvent.objects.filter(action="people.import.upload", object_id=str(batch.pk)).exists()
    assert not Learner.objects.filter(upn="U820200101001").exists()  # nothing imported yet


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("pupils.xlsx", b"a,b\n1,2\n"), b"ending in .csv"),
        (SimpleUploadedFile("pupils.csv", b"PK\x03\x04binary"), b"Save it from your MIS"),
        (SimpleUploadedFile("big.csv", b"x" * (5 * 1024 * 1024 + 1)), b"larger than 5 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(world, office, upload, message):
    response = office.post(upload_url(), {"kind": "learners", "file": upload})
    assert response.status_code == 200
    assert message in response.content
    assert b'href="#id_file"' in response.content
    assert not ImportBatch.objects.exists()


# --- Preview -----------------------------------------------------------------------------------


def test_preview_shows_the_detected_headings_rows_and_counts(world, dsl):
    batch = make_batch(world, "arbor_learners.csv")
    response = dsl.get(preview_url(batch))
    body = response.content.decode()
    assert "Arbor" in body
    assert "Evans" in body
    assert "Smith-Jones" in body
    assert "Import 2 rows" in body
    assert "row-error" not in body


def test_preview_hides_vulnerability_columns_from_roles_that_do_not_see_them(world, office):
    batch = make_batch(world, "sims_learners.csv")
    body = office.get(preview_url(batch)).content.decode()
    assert '<th scope="col">UPN</th>' in body
    assert '<th scope="col">SEN status</th>' not in body
    assert "not importable by your role" in body


def test_preview_of_a_broken_file_lists_every_problem_by_line(world, dsl):
    batch = make_batch(world, "broken_learners.csv")
    body = dsl.get(preview_url(batch)).content.decode()
    for line in (3, 4, 5, 6, 7):
        assert f'<tr class="row-error"><th scope="row">{line}</th>' in body
    assert "wrong check letter" in body
    assert "no class called &#x27;3 Pine&#x27;" in body
    assert "Skip the rows with problems" in body
    assert '<a href="#problems">' in body


def test_confirming_a_broken_file_writes_nothing(world, dsl):
    batch = make_batch(world, "broken_learners.csv")
    before = Learner.objects.count()
    response = dsl.post(preview_url(batch), {"action": "apply"})
    assert response.status_code == 200
    assert b"5 of 7 rows have problems, so nothing was imported" in response.content
    assert Learner.objects.count() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING
    assert not AuditEvent.objects.filter(action="people.import").exists()


def test_skipping_invalid_rows_writes_only_the_good_ones(world, dsl):
    batch = make_batch(world, "broken_learners.csv")
    response = dsl.post(preview_url(batch), {"action": "apply", "skip_invalid": "on"})
    assert response.status_code == 302
    assert sorted(Learner.objects.filter(mis_id__startswith="0013").values_list("mis_id", flat=True)) == [
        "001301",
        "001307",
    ]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.summary["skipped_lines"] == [3, 4, 5, 6, 7]
    page = dsl.get(preview_url(batch)).content.decode()
    assert "Skipped lines: 3, 4, 5, 6, 7." in page


def test_confirming_a_clean_file_imports_it_once(world, dsl):
    batch = make_batch(world, "sims_learners.csv")
    response = dsl.post(preview_url(batch), {"action": "apply"})
    assert response.status_code == 302
    assert Learner.objects.filter(school=world.school, upn__in=["U820200101001", "H820200101002"]).count() == 2
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_at is not None
    assert batch.content == ""  # the raw file is not kept once applied
    assert batch.summary["created"] == 3
    event = AuditEvent.objects.get(action="people.import")
    assert (event.actor, event.object_id, event.changes["source"]) == (world.dsl.user, str(batch.pk), "web")
    # A second confirmation (double click, back button) changes nothing.
    dsl.post(preview_url(batch), {"action": "apply"})
    assert AuditEvent.objects.filter(action="people.import").count() == 1


def test_discarding_imports_nothing_and_clears_the_file(world, client_for):
    batch = make_batch(world, "sims_learners.csv")
    response = client_for("admin").post(preview_url(batch), {"action": "discard"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.content) == (ImportBatch.Status.DISCARDED, "")
    assert not Learner.objects.filter(upn="U820200101001").exists()
    assert AuditEvent.objects.filter(action="people.import.discard", object_id=str(batch.pk)).exists()
    assert client_for("admin").post(preview_url(batch), {"action": "apply"}).status_code == 302
    assert not Learner.objects.filter(upn="U820200101001").exists()


def test_choosing_columns_by_hand_fixes_an_unrecognised_file(world, office):
    batch = make_batch(world, "custom_learners.csv")
    body = office.get(preview_url(batch)).content.decode()
    assert "No column for Surname" in body
    mapping = {
        "map_upn": "Pupil Number",
        "map_last_name": "Family Name",
        "map_first_name": "Given Name",
        "map_date_of_birth": "Birth Date",
        "map_year_group": "NC Yr",
    }
    response = office.post(preview_url(batch), {"action": "remap", **mapping})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping["last_name"] == "Family Name"
    body = office.get(preview_url(batch)).content.decode()
    assert "Import 1 row" in body
    office.post(preview_url(batch), {"action": "apply"})
    assert Learner.objects.filter(school=world.school, upn="U820200101001", last_name="Khan").exists()


def test_column_choice_must_be_a_heading_of_the_file(world, office):
    batch = make_batch(world, "custom_learners.csv")
    response = office.post(preview_url(batch), {"action": "remap", "map_upn": "Made Up"})
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.mapping == {}
