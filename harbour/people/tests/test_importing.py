"""The pure import rules (issue item 4): headings, values, and every problem with its line.

No database: ``harbour.people.importing`` is plain Python, so these run in milliseconds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from harbour.people import importing
from harbour.people.importing import Kind, References

DATA = Path(__file__).parent / "data"
TODAY = date(2025, 9, 1)
REFS = References(
    class_names=frozenset({"3 oak", "4 ash"}),
    staff_codes=frozenset({"tcr"}),
    staff_emails=frozenset({"teacher@alpha.test"}),
    learner_upns=frozenset({"U820200101001"}),
    learner_mis_ids=frozenset({"001202"}),
)


def parse_file(kind: Kind, name: str, **kwargs) -> importing.ParseResult:
    text = importing.decode((DATA / name).read_bytes())
    return importing.parse(kind, text, refs=REFS, today=TODAY, **kwargs)


def parse_text(kind: Kind, text: str, **kwargs) -> importing.ParseResult:
    return importing.parse(kind, text, refs=REFS, today=TODAY, **kwargs)


def problems_by_line(result: importing.ParseResult) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for problem in result.problems:
        found.setdefault(problem.line, []).append(problem.message)
    return found


# --- Reading the bytes -------------------------------------------------------------------------


def test_decode_strips_utf8_byte_order_mark():
    assert importing.decode("\ufeffUPN,Surname\n".encode()) == "UPN,Surname\n"


def test_decode_falls_back_to_windows_1252():
    assert importing.decode("Surname\nZoë\n".encode("cp1252")) == "Surname\nZoë\n"


@pytest.mark.parametrize("data", [b"PK\x03\x04rest-of-a-zip", b"UPN\x00\x00"])
def test_decode_refuses_spreadsheets_and_binary_files(data):
    with pytest.raises(importing.UnreadableFile, match="CSV"):
        importing.decode(data)


# --- Headings ----------------------------------------------------------------------------------


def test_sims_headings_are_detected():
    result = parse_file(Kind.LEARNERS, "sims_learners.csv")
    assert result.preset is importing.SIMS
    assert result.mapping["last_name"] == "Legal Surname"
    assert result.mapping["mis_id"] == "Adno"
    assert result.mapping["school_class"] == "Reg Group"


def test_arbor_headings_are_detected():
    result = parse_file(Kind.LEARNERS, "arbor_learners.csv")
    assert result.preset is importing.ARBOR
    assert result.mapping["school_class"] == "Registration form"
    assert result.mapping["mis_id"] == "MIS ID"


def test_headings_match_whatever_their_case_and_spacing():
    result = parse_text(
        Kind.LEARNERS, "  legal   SURNAME ,LEGAL forename,dob,YEAR,upn\nKhan,Zara,04/05/2017,3,U820200101001\n"
    )
    assert not result.has_problems, result.problems
    assert result.rows[0].values["last_name"] == "Khan"


def test_missing_required_column_is_a_file_problem_on_line_1_and_no_row_is_read():
    result = parse_text(Kind.LEARNERS, "Legal Surname,Legal Forename,UPN\nKhan,Zara,U820200101001\n")
    messages = [p.message for p in result.file_problems]
    assert all(p.line == 1 for p in result.file_problems)
    assert any("Date of birth" in m for m in messages)
    assert any("Year group" in m for m in messages)
    assert result.rows == []
    assert not result.can_apply(skip_invalid=True)


def test_file_without_any_identifier_column_is_refused():
    result = parse_text(Kind.LEARNERS, "Legal Surname,Legal Forename,DOB,Year\nKhan,Zara,04/05/2017,3\n")
    assert any("UPN or MIS identifier" in p.message for p in result.file_problems)


def test_custom_mapping_reads_unknown_headings():
    import json

    overrides = json.loads((DATA / "custom_mapping.json").read_text())
    result = parse_file(Kind.LEARNERS, "custom_learners.csv", overrides=overrides)
    assert result.preset is None
    assert not result.has_problems, result.problems
    assert result.rows[0].values == {
        "last_name": "Khan",
        "first_name": "Zara",
        "date_of_birth": date(2017, 5, 4),
        "year_group": "3",
        "upn": "U820200101001",
    }


def test_custom_mapping_mistakes_are_reported_not_ignored():
    result = parse_file(
        Kind.LEARNERS, "sims_learners.csv", overrides={"shoe_size": "Adno", "upn": "Pupil Number", "gender": ""}
    )
    messages = " ".join(p.message for p in result.file_problems)
    assert "'shoe_size'" in messages
    assert "'Pupil Number'" in messages
    assert "gender" not in result.mapping  # an empty heading means "do not import"


def test_unused_columns_are_listed():
    result = parse_text(Kind.STAFF, "Staff Code,Forename,Surname,Shoe Size\nTCR,Tess,Carter,6\n")
    assert result.ignored_headings == ["Shoe Size"]


# --- Values ------------------------------------------------------------------------------------


@pytest.mark.parametrize("upn", ["U820200101001", "H820200101002", "X820200101003", "u8202 0010 1001"])
def test_valid_upns_pass_their_check_letter(upn):
    spec = importing.field_for(Kind.LEARNERS, "upn")
    assert importing.convert(spec, upn) == upn.replace(" ", "").upper()


def test_temporary_upn_ending_in_a_letter_is_accepted():
    body = "82020010100A"
    upn = importing.upn_check_letter("?" + body) + body
    assert importing.convert(importing.field_for(Kind.LEARNERS, "upn"), upn) == upn


@pytest.mark.parametrize(
    ("upn", "reason"),
    [
        ("U820200101009", "wrong check letter"),
        ("820200101001", "13 characters"),
        ("I820200101001", "13 characters"),  # I, O and S are never used
        ("U82020010100", "13 characters"),
    ],
)
def test_bad_upns_are_refused_with_a_reason(upn, reason):
    with pytest.raises(ValueError, match=reason):
        importing.convert(importing.field_for(Kind.LEARNERS, "upn"), upn)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("04/05/2017", date(2017, 5, 4)), ("4/5/2017", date(2017, 5, 4)), ("2017-05-04", date(2017, 5, 4))],
)
def test_dates_in_uk_and_iso_form_are_read(raw, expected):
    assert importing.convert(importing.field_for(Kind.LEARNERS, "date_of_birth"), raw) == expected


def test_midnight_time_some_exports_add_is_ignored():
    spec = importing.field_for(Kind.LEARNERS, "date_of_birth")
    assert importing.convert(spec, "04/05/2017 00:00:00") == date(2017, 5, 4)


@pytest.mark.parametrize("raw", ["31/02/2017", "2017/05/04", "05-04-2017", "04/05/17", "yesterday"])
def test_impossible_or_ambiguous_dates_are_refused(raw):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        importing.convert(importing.field_for(Kind.LEARNERS, "date_of_birth"), raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Year 3", "3"),
        ("Y3", "3"),
        ("03", "3"),
        ("13", "13"),
        ("R", "R"),
        ("Reception", "R"),
        ("YR", "R"),
        ("n1", "N1"),
        ("N2", "N2"),
    ],
)
def test_year_groups_are_normalised(raw, expected):
    assert importing.normalise_year_group(raw) == expected


@pytest.mark.parametrize("raw", ["0", "14", "Year 15", "Nursery", "X"])
def test_unknown_year_groups_are_refused(raw):
    assert importing.normalise_year_group(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Y", True),
        ("yes", True),
        ("TRUE", True),
        ("1", True),
        ("N", False),
        ("No", False),
        ("false", False),
        ("0", False),
    ],
)
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert importing.convert(importing.field_for(Kind.LEARNERS, "is_looked_after"), raw) is expected


def test_blank_boolean_takes_the_field_default():
    assert importing.convert(importing.field_for(Kind.PARENTS, "has_parental_responsibility"), "") is True
    assert importing.convert(importing.field_for(Kind.LEARNERS, "is_looked_after"), " ") is False


@pytest.mark.parametrize(("raw", "expected"), [("N", ""), ("SEN Support", "K"), ("k", "K"), ("EHCP", "E"), ("S", "E")])
def test_sen_status_codes_are_understood(raw, expected):
    assert importing.convert(importing.field_for(Kind.LEARNERS, "send_status"), raw) == expected


@pytest.mark.parametrize("raw", ["not-an-email", "a@b", "two@@example.org", "a b@example.org"])
def test_bad_email_addresses_are_refused(raw):
    with pytest.raises(ValueError, match="not an email address"):
        importing.convert(importing.field_for(Kind.STAFF, "email"), raw)


def test_email_is_stored_in_lower_case():
    assert importing.convert(importing.field_for(Kind.STAFF, "email"), " Tess@Alpha.TEST ") == "tess@alpha.test"


def test_text_longer_than_the_field_is_refused():
    with pytest.raises(ValueError, match="at most 20 characters, this has 21"):
        importing.convert(importing.field_for(Kind.STAFF, "staff_code"), "X" * 21)


def test_teacher_list_splits_on_semicolons_and_commas():
    spec = importing.field_for(Kind.CLASSES, "teachers")
    assert importing.convert(spec, "TCR; jbw ,TCR") == ("TCR", "jbw")


# --- Whole files -------------------------------------------------------------------------------


def test_broken_file_lists_every_bad_row_with_its_line():
    """Bad input gets a clear error: every problem, by line, never just the first."""
    result = parse_file(Kind.LEARNERS, "broken_learners.csv")
    found = problems_by_line(result)
    assert sorted(found) == [3, 4, 5, 6, 7]
    assert "wrong check letter" in found[3][0]
    assert any("Surname is missing" in m for m in found[4])
    assert any("31/02/2017" in m for m in found[4])
    assert any("already on line 2" in m for m in found[5])
    assert any("no class called '3 Pine'" in m for m in found[6])
    assert any("'maybe'" in m for m in found[6])
    assert any("Year 15" in m for m in found[7])
    assert any("'Z'" in m for m in found[7])
    assert [r.line for r in result.valid_rows] == [2, 8]
    assert result.rows[1].display("upn") == "U820200101009"  # shown as written, for the preview
    assert result.rows[0].display("date_of_birth") == "01/02/2017"
    assert not result.can_apply()
    assert result.can_apply(skip_invalid=True)


def test_clean_file_can_be_applied():
    result = parse_file(Kind.LEARNERS, "sims_learners.csv")
    assert not result.has_problems, result.problems
    assert result.can_apply()
    tom = result.rows[1].values
    assert tom["preferred_name"] == "Tom"
    assert tom["send_status"] == "K"
    assert tom["year_group"] == "4"
    assert result.rows[2].values["is_looked_after"] is True


def test_row_without_upn_or_mis_id_is_refused():
    result = parse_text(Kind.LEARNERS, "UPN,Adno,Surname,Forename,DOB,Year\n,,Khan,Zara,04/05/2017,3\n")
    assert "UPN or MIS identifier" in result.rows[0].errors[0]


def test_date_of_birth_in_the_future_is_refused():
    result = parse_text(Kind.LEARNERS, "UPN,Surname,Forename,DOB,Year\nU820200101001,Khan,Zara,02/09/2025,3\n")
    assert result.rows[0].errors == ["Date of birth is in the future."]


def test_leaving_before_starting_is_refused():
    result = parse_text(
        Kind.STAFF, "Staff Code,Forename,Surname,Start Date,Leaving Date\nTCR,T,C,01/09/2024,31/08/2024\n"
    )
    assert result.rows[0].errors == ["Leaving date is before the start date."]


def test_header_only_file_says_there_are_no_records():
    result = parse_text(Kind.STAFF, "Staff Code,Forename,Surname\n")
    assert [p.message for p in result.file_problems] == ["The file has a heading row but no records under it."]


def test_empty_file_is_refused():
    result = parse_text(Kind.STAFF, "")
    assert result.file_problems[0].message == "The file is empty."


def test_blank_lines_are_skipped_but_still_counted_in_line_numbers():
    text = "Staff Code,Forename,Surname,Work Email\nTCR,Tess,Carter,\n\n,,,\nJBW,James,Brown,not-an-email\n"
    result = parse_text(Kind.STAFF, text)
    assert [r.line for r in result.rows] == [2, 5]
    assert result.problems[0].line == 5


def test_quoted_cell_over_two_lines_keeps_the_following_line_numbers_right():
    text = (
        'Pupil UPN,Contact Surname,Address\nU820200101001,Khan,"1 High Street\nTown"\nU820200101009,Khan,2 Low Street\n'
    )
    result = parse_text(Kind.PARENTS, text)
    assert result.rows[0].values["address"] == "1 High Street\nTown"
    assert [p.line for p in result.problems] == [4]


def test_semicolon_separated_exports_are_read():
    result = parse_text(Kind.STAFF, "Staff Code;Forename;Surname\nTCR;Tess;Carter\n")
    assert result.rows[0].values["staff_code"] == "TCR"


def test_stray_extra_value_is_reported():
    result = parse_text(Kind.STAFF, "Staff Code,Forename,Surname\nTCR,Tess,Carter,oops\n")
    assert "4 values but there are only 3 headings" in result.rows[0].errors[0]


def test_short_rows_mean_blank_trailing_cells():
    result = parse_text(Kind.STAFF, "Staff Code,Forename,Surname,Work Email\nTCR,Tess,Carter\n")
    assert result.rows[0].is_valid
    assert result.rows[0].values["email"] == ""


def test_duplicate_staff_codes_are_refused_case_insensitively():
    result = parse_text(Kind.STAFF, "Staff Code,Forename,Surname\nTCR,Tess,Carter\ntcr,Tom,Cole\n")
    assert result.rows[1].errors == ["Staff code 'tcr' is already on line 2; each record must appear once."]


def test_class_teachers_must_be_known_staff():
    result = parse_text(
        Kind.CLASSES, "Reg Group,Year,Tutor Staff Code\n3 Oak,3,TCR\n5 Willow,5,ZZZ;teacher@alpha.test\n"
    )
    assert result.rows[0].is_valid
    assert result.rows[1].errors == ["No staff member has the code or email 'ZZZ'. Import staff first."]


def test_parent_must_belong_to_a_known_learner():
    text = (
        "Pupil UPN,Pupil Adno,Contact Surname\nU820200101001,,Khan\n,001202,O'Neill\nH820200101002,,Nobody\n,,Orphan\n"
    )
    result = parse_text(Kind.PARENTS, text)
    found = problems_by_line(result)
    assert sorted(found) == [4, 5]
    assert "No learner with UPN H820200101002" in found[4][0]
    assert "say which learner" in found[5][0]


def test_same_contact_twice_for_the_same_learner_is_a_duplicate():
    text = "Pupil UPN,Contact ID,Contact Surname\nU820200101001,C-1,Khan\nU820200101001,C-1,Khan\n"
    result = parse_text(Kind.PARENTS, text)
    assert "already on line 2" in result.rows[1].errors[0]


def test_sims_contacts_file_reads_link_details():
    result = parse_file(Kind.PARENTS, "sims_contacts.csv")
    first = result.rows[0].values
    assert first["relationship"] == "Mother"
    assert first["has_parental_responsibility"] is True
    assert first["contact_priority"] == 1
    assert result.rows[3].values["has_parental_responsibility"] is False


def test_format_value_for_the_preview():
    assert importing.format_value(date(2017, 5, 4)) == "04/05/2017"
    assert importing.format_value(True) == "Yes"
    assert importing.format_value(("TCR", "JBW")) == "TCR, JBW"
    assert importing.format_value(None) == ""
