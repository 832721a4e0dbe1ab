"""`manage.py harbour_import` and the import service behind it (issue item 4).

Bad input gets a clear error and changes nothing; imports check every row first, then write in
one transaction; records are matched and updated, never duplicated or deleted.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from harbour.audit.models import AuditEvent
from harbour.people import services
from harbour.people.import_selectors import import_check
from harbour.people.models import Learner, Parent, ParentLink, SchoolClass, StaffMember

DATA = Path(__file__).parent / "data"


def run(kind: str, name: str | Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    path = name if isinstance(name, Path) else DATA / name
    call_command("harbour_import", kind, str(path), "--school", "alpha", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_events():
    return AuditEvent.objects.filter(action="people.import")


def test_broken_file_writes_nothing_and_lists_every_bad_row(world):
    before = Learner.objects.count()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("harbour_import", "learners", str(DATA / "broken_learners.csv"), "--school", "alpha", stderr=err)
    lines = err.getvalue().splitlines()
    for line in (3, 4, 5, 6, 7):
        assert any(text.startswith(f"line {line}: ") for text in lines), (line, lines)
    assert not any(text.startswith(("line 2:", "line 8:")) for text in lines)
    assert Learner.objects.count() == before
    assert not import_events().exists()


def test_dry_run_counts_but_writes_nothing(world):
    before = Learner.objects.count()
    out, _ = run("learners", "sims_learners.csv", "--dry-run")
    assert "3 created, 0 updated" in out
    assert "Dry run: nothing was saved." in out
    assert Learner.objects.count() == before
    assert not import_events().exists()


def test_skip_invalid_writes_only_the_good_rows_and_reports_the_rest(world):
    out, _ = run("learners", "broken_learners.csv", "--skip-invalid")
    assert "2 created, 0 updated, 0 unchanged, 5 skipped" in out
    assert "line 4: Surname is missing. (skipped)" in out
    imported = Learner.objects.filter(school=world.school, last_name__in=["Good", "Valid", "Twice", "Nowhere"])
    assert sorted(imported.values_list("last_name", flat=True)) == ["Good", "Valid"]
    event = import_events().get()
    assert event.changes["skipped_lines"] == [3, 4, 5, 6, 7]


@pytest.mark.parametrize(("name", "preset"), [("sims_learners.csv", "SIMS"), ("arbor_learners.csv", "Arbor")])
def test_sims_and_arbor_exports_both_import(world, name, preset):
    out, _ = run("learners", name)
    assert f"Headings recognised as: {preset}" in out
    assert "Import saved." in out
    rows = (DATA / name).read_text().splitlines()[1:]
    assert Learner.objects.filter(school=world.school).count() == 2 + len(rows)


def test_imported_learner_has_every_mapped_value(world):
    run("learners", "sims_learners.csv")
    tom = Learner.objects.get(school=world.school, upn="H820200101002")
    assert (tom.first_name, tom.preferred_name, tom.last_name) == ("Thomas", "Tom", "O'Neill")
    assert tom.date_of_birth.isoformat() == "2016-11-12"
    assert (tom.year_group, tom.school_class, tom.send_status, tom.mis_id) == ("4", world.class_b, "K", "001202")
    assert Learner.objects.get(upn="X820200101003").is_looked_after is True


def test_reimport_updates_instead_of_duplicating(world, tmp_path):
    run("learners", "sims_learners.csv")
    count = Learner.objects.count()
    out, _ = run("learners", "sims_learners.csv")
    assert "0 created, 0 updated, 3 unchanged" in out
    changed = tmp_path / "moved.csv"
    changed.write_text(
        (DATA / "sims_learners.csv")
        .read_text()
        .replace("Baker,Lily,,30/01/2017,F,3,3 Oak", "Baker,Lily,,30/01/2017,F,4,4 Ash")
    )
    out, _ = run("learners", changed)
    assert "0 created, 1 updated, 2 unchanged" in out
    assert Learner.objects.count() == count
    lily = Learner.objects.get(upn="X820200101003")
    assert (lily.year_group, lily.school_class) == ("4", world.class_b)


def test_learner_missing_from_a_later_file_is_kept(world, tmp_path):
    run("learners", "sims_learners.csv")
    shorter = tmp_path / "short.csv"
    shorter.write_text("\n".join((DATA / "sims_learners.csv").read_text().splitlines()[:2]) + "\n")
    run("learners", shorter)
    assert Learner.objects.filter(upn="X820200101003").exists()


def test_import_never_touches_another_schools_learner_with_the_same_upn(world):
    world.other_learner.upn = "U820200101001"
    world.other_learner.save()
    run("learners", "sims_learners.csv")
    world.other_learner.refresh_from_db()
    assert world.other_learner.first_name == "Cleo"
    assert Learner.objects.get(school=world.school, upn="U820200101001").first_name == "Zara"


def test_staff_classes_learners_and_parents_import_in_order(world):
    run("staff", "sims_staff.csv")
    run("classes", "sims_classes.csv")
    run("learners", "sims_learners.csv")
    run("parents", "sims_contacts.csv")
    tess = StaffMember.objects.get(school=world.school, staff_code="TCR")
    assert tess.user == world.teacher.user  # matched the existing record through its login
    assert StaffMember.objects.filter(school=world.school, user=world.teacher.user).count() == 1
    willow = SchoolClass.objects.get(school=world.school, name="5 Willow")
    assert willow.year_group == "5"
    assert [t.staff_code for t in willow.teachers.all()] == ["JBW"]
    amina = Parent.objects.get(school=world.school, mis_id="C-1")
    assert sorted(amina.learners.values_list("upn", flat=True)) == ["U820200101001", "X820200101003"]
    aunt = ParentLink.objects.get(parent=amina, learner__upn="X820200101003")
    assert (aunt.relationship, aunt.has_parental_responsibility, aunt.contact_priority) == ("Aunt", False, 3)
    assert ParentLink.objects.filter(learner=world.learner).exists()  # nothing was deleted


def test_parent_reimport_updates_the_link_instead_of_adding_one(world, tmp_path):
    run("learners", "sims_learners.csv")
    run("parents", "sims_contacts.csv")
    links = ParentLink.objects.count()
    changed = tmp_path / "contacts.csv"
    changed.write_text((DATA / "sims_contacts.csv").read_text().replace("Father,Yes,2", "Father,No,2"))
    out, _ = run("parents", changed)
    assert "0 created, 1 updated, 3 unchanged" in out
    assert ParentLink.objects.count() == links
    assert ParentLink.objects.get(parent__mis_id="C-2").has_parental_responsibility is False


def test_staff_import_links_a_colleague_with_a_login_by_email(world, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("Staff Code,Forename,Surname,Work Email\nOFF,Olive,Frank,Office@Alpha.test\n")
    run("staff", path)
    assert StaffMember.objects.get(staff_code="OFF").user == world.office.user


def test_class_import_replaces_the_teachers_named_in_the_file(world, tmp_path):
    run("staff", "sims_staff.csv")
    path = tmp_path / "classes.csv"
    path.write_text("Reg Group,Year,Tutor Staff Code\n3 Oak,3,JBW\n")
    run("classes", path)
    assert [t.staff_code for t in world.class_a.teachers.all()] == ["JBW"]


def test_arbor_staff_export_imports(world):
    out, _ = run("staff", "arbor_staff.csv")
    assert "Headings recognised as: Arbor" in out
    priya = StaffMember.objects.get(school=world.school, email="priya.shah@alpha.test")
    assert (priya.job_title, priya.staff_code, str(priya.started_on)) == ("Office manager", "PSH", "2019-09-01")


def test_mapping_file_reads_unfamiliar_headings(world):
    out, _ = run("learners", "custom_learners.csv", "--mapping", str(DATA / "custom_mapping.json"))
    assert "columns chosen by hand" in out
    assert Learner.objects.filter(school=world.school, upn="U820200101001", last_name="Khan").exists()


def test_windows_1252_export_is_read(world, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes("Staff Code,Forename,Surname\nZOE,Zoë,Brontë\n".encode("cp1252"))
    run("staff", path)
    assert StaffMember.objects.get(staff_code="ZOE").last_name == "Brontë"


def test_import_writes_one_summary_audit_event(world):
    run("learners", "sims_learners.csv")
    event = import_events().get()
    assert event.school == world.school
    assert event.changes["created"] == 3
    assert event.changes["source"] == "command"
    assert event.changes["preset"] == "sims"
    assert event.actor is None  # a system import


def test_acting_as_an_office_member_is_recorded_against_them(world):
    run("staff", "sims_staff.csv", "--as", "office@alpha.test")
    assert import_events().get().actor == world.office.user


def test_acting_as_an_office_member_flag_columns_are_refused(world):
    """Issue #12 point 6: the same rule as the web import."""
    with pytest.raises(CommandError, match="vulnerability columns"):
        run("learners", "sims_learners.csv", "--as", "office@alpha.test")
    assert not Learner.objects.filter(upn="U820200101001").exists()


@pytest.mark.parametrize("email", ["teacher@alpha.test", "dsl@beta.test", "nobody@alpha.test"])
def test_acting_as_someone_who_may_not_import_is_refused(world, email):
    with pytest.raises(CommandError):
        run("learners", "sims_learners.csv", "--as", email)
    assert not Learner.objects.filter(upn="U820200101001").exists()


def test_unknown_school_is_refused(world):
    with pytest.raises(CommandError, match="No active school"):
        call_command("harbour_import", "staff", str(DATA / "sims_staff.csv"), "--school", "gamma")


def test_spreadsheet_instead_of_csv_is_refused(world, tmp_path):
    path = tmp_path / "pupils.csv"
    path.write_bytes(b"PK\x03\x04 not really a csv")
    with pytest.raises(CommandError, match="Save it"):
        run("learners", path)


def test_file_problem_is_reported_on_line_1(world, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("Forename,Surname\nTess,Carter\n")
    err = StringIO()
    with pytest.raises(CommandError, match="cannot be imported"):
        call_command("harbour_import", "staff", str(path), "--school", "alpha", stderr=err, stdout=StringIO())
    assert err.getvalue().startswith("line 1: The file needs a column for Staff code")


# --- The service's own guards ------------------------------------------------------------------


def test_service_refuses_a_member_without_import_rights(world):
    parsed = import_check(school=world.school, kind="staff", text=(DATA / "sims_staff.csv").read_text())
    with pytest.raises(PermissionDenied):
        services.people_import_apply(actor=world.teacher, kind="staff", rows=parsed)
    assert not StaffMember.objects.filter(staff_code="JBW").exists()


def test_service_refuses_an_importer_writing_into_another_school(world):
    parsed = import_check(school=world.other_school, kind="staff", text=(DATA / "sims_staff.csv").read_text())
    with pytest.raises(PermissionDenied):
        services.people_import_apply(actor=world.office, kind="staff", rows=parsed, school=world.other_school)


def test_service_refuses_invalid_rows_unless_told_to_skip(world):
    parsed = import_check(school=world.school, kind="learners", text=(DATA / "broken_learners.csv").read_text())
    with pytest.raises(services.ImportRefused) as refused:
        services.people_import_apply(actor=world.dsl, kind="learners", rows=parsed)
    assert {p.line for p in refused.value.problems} == {3, 4, 5, 6, 7}
    assert not Learner.objects.filter(last_name="Good").exists()


def test_failure_while_writing_rolls_back_every_earlier_row(world, monkeypatch):
    """One transaction: if the last row fails at write time, the first rows are undone too."""
    parsed = import_check(school=world.school, kind="learners", text=(DATA / "sims_learners.csv").read_text())
    real = services._write_learner

    def fail_on_last(school, row):
        if row.line == 4:
            raise services._refuse_row(row, "simulated")
        return real(school, row)

    monkeypatch.setitem(services._WRITERS, services.Kind.LEARNERS, fail_on_last)
    with pytest.raises(services.ImportRefused):
        services.people_import_apply(actor=world.dsl, kind="learners", rows=parsed)
    assert not Learner.objects.filter(upn="U820200101001").exists()
    assert not import_events().exists()
