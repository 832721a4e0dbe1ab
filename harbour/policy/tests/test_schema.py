"""The configuration schema (GOV-24): every variable of policy-variables.md, typed and documented, and
the variables other schools of the same template families need."""

from __future__ import annotations

import re

import pytest

from harbour.policy.rules import schema
from harbour.policy.rules.schema_types import ROLE_VALUES, check_value
from harbour.policy.tests.spec import SPEC, requires_spec


def _spec_variables() -> dict[str, str]:
    """Variable name -> declared type, from the tables of policy-variables.md."""
    found = {}
    if not (SPEC / "policy-variables.md").exists():
        return found
    for line in (SPEC / "policy-variables.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| ([a-z_0-9]+) \| ([^|]+) \|", line)
        if m:
            found[m[1]] = m[2].strip()
    return found


@requires_spec
def test_every_variable_of_policy_variables_md_is_in_the_schema():
    """GOV-24: each variable of the spec has a schema entry."""
    spec = _spec_variables()
    assert len(spec) >= 130
    assert set(spec) - set(schema.BY_NAME) == set()


@pytest.mark.parametrize(("name", "declared"), sorted(_spec_variables().items()))
def test_schema_types_follow_the_spec(name, declared):
    """GOV-24: types match policy-variables.md (head_role_title is text: the school's own title)."""
    var = schema.BY_NAME[name]
    base = declared.rstrip("?")
    if base.startswith("enum{"):
        if name == "head_role_title":
            assert var.type == "text"
            return
        assert var.type == "enum"
        assert set(base[5:-1].replace(" ", "").split(",")) <= set(var.choices)
    elif base == "year-month":
        # Issue #21 point 4: policy dates take a day as well as a month; a month alone still parses.
        assert var.type in {"year-month", "month-or-date"}, (name, var.type, base)
    else:
        assert var.type == base, (name, var.type, base)


def test_every_variable_has_help_a_section_and_a_unique_path():
    """GOV-24: help text for each variable, in a known section."""
    sections = {name for name, _ in schema.SECTIONS}
    for var in schema.VARIABLES:
        assert len(var.help) > 15, var.name
        assert var.section in sections or var.path == "effective_from"
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", var.path)
    assert len({v.path for v in schema.VARIABLES}) == len(schema.VARIABLES)


def test_the_nested_path_of_a_learner_phone_rule():
    assert schema.BY_NAME["learner_phone_rule"].path == "devices.learners.phone_rule"
    assert schema.BY_PATH["people.governors.named"].name == "named_governors"


def test_other_schools_can_be_expressed():
    """Issue #5 §1: phases, nations, several governors and deputies, phone-free days, AI tools."""
    assert set(schema.BY_NAME["school_phase"].choices) == {
        "nursery",
        "primary",
        "secondary",
        "all_through",
        "special",
        "alternative_provision",  # issue #21 point 3
        "out_of_school_setting",
    }
    assert set(schema.BY_NAME["school_nation"].choices) == {"england", "wales", "scotland", "northern_ireland"}
    assert schema.BY_NAME["named_governors"].type == "text[]"
    assert schema.BY_NAME["deputy_dsl_names"].type == "text[]"
    assert set(schema.BY_NAME["phone_free_school_day"].choices) == {
        "none",
        "phones_handed_in",
        "phone_pouches",
        "phones_not_on_site",
    }
    assert schema.BY_NAME["ai_staff_use"].type == "enum"
    assert schema.BY_NAME["ai_learner_use"].type == "enum"
    assert schema.BY_NAME["ai_approved_tools"].type == "text[]"


@pytest.mark.parametrize(
    ("nation", "title"),
    [
        ("england", "Keeping Children Safe in Education"),
        ("wales", "Keeping Learners Safe"),
        ("scotland", "National Guidance for Child Protection in Scotland"),
    ],
)
def test_statutory_guidance_title_follows_the_nation_unless_the_school_names_it(nation, title):
    assert schema.statutory_guidance_title({"school_nation": nation}) == title
    assert schema.statutory_guidance_title({"school_nation": nation, "statutory_guidance_title": "Own"}) == "Own"


def test_key_details_for_publication_are_the_gov19_five():
    """GOV-19: school name, DSL, named governor, approval date, next review date."""
    required = [v.label for v in schema.VARIABLES if v.required_for_publication]
    assert required == [
        "School name",
        "Approval date",
        "Next review date",
        "Designated safeguarding lead",
        "Named governor",
    ]


def test_blank_config_holds_every_variable_at_its_default():
    blank = schema.blank_config()
    assert set(blank) == set(schema.BY_NAME) | {"clauses"}
    assert blank["review_interval_max"] == "P12M"
    assert blank["school_nation"] == "england"


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("review_interval_max", "P12M", True),
        ("review_interval_max", "P1Y6M", True),
        ("review_interval_max", "regular", True),
        ("review_interval_max", "P", False),
        ("review_interval_max", "12 months", False),
        ("date_written", "2020-09", True),
        ("date_written", "2020-13", False),
        ("effective_from", "2024-02-29", True),
        ("effective_from", "2023-02-29", False),
        ("kcsie_edition", 2024, True),
        ("kcsie_edition", True, False),
        ("kcsie_edition", "2024", False),
        ("learner_phone_rule", "hand_in_at_office", True),
        ("learner_phone_rule", "banned", False),
        ("advice_seekers", ["dsl", "deputy_dsl"], True),
        ("advice_seekers", ["dsl", "nobody"], False),
        ("named_governors", "Jess Austen", False),
        ("school_name", None, False),
        ("dsl_name", None, True),
        ("local_online_safety_contacts", [{"name": "A", "email": "a@b.org", "url": "https://x.org"}], True),
        ("local_online_safety_contacts", [{"name": "A", "email": "not-an-email"}], False),
        ("local_online_safety_contacts", [{"role": "no name"}], False),
        ("local_online_safety_contacts", [{"name": "A", "fax": "1"}], False),
    ],
)
def test_value_checks(name, value, ok):
    """GOV-24: each type refuses what it should."""
    var = schema.BY_NAME[name]
    assert (check_value(var, value, var.path) == []) is ok


def test_roles_include_the_role_register_and_the_routes_the_seeds_name():
    for role in ("dsl", "deputy_dsl", "headteacher", "slt", "technician", "pta_chair", "line_manager", "school"):
        assert role in ROLE_VALUES


def test_row_sort_key_follows_the_catalogue():
    rows = ["RML-01", "DEV-LRN-02", "GOV-10", "GOV-02", "ZZZ-01", "INC-STAFF-01"]
    assert sorted(rows, key=schema.row_sort_key) == [
        "GOV-02",
        "GOV-10",
        "INC-STAFF-01",
        "DEV-LRN-02",
        "RML-01",
        "ZZZ-01",
    ]
