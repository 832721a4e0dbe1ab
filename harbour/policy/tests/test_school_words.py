"""Documents that read as the school's, and people and bodies as lists (issue #21 points 3 and 5;
GOV-02, GOV-09, GOV-18, GOV-19).

Pure tests: no database.
"""

from __future__ import annotations

import re

import pytest

from harbour.policy.documents.builder import build_policy
from harbour.policy.rules import engine, schema
from harbour.policy.rules.config_io import load_yaml
from harbour.policy.tests.rules_support import SLUGS, demo_config

DOUBLED = re.compile(r"\b(\w+) +\1\b", re.IGNORECASE)
# Agreement slips the builders have made before: a plural subject with a singular verb and back.
# "the Headteacher, who decide" came from a slot that can hold one role or several.
BROKEN_AGREEMENT = re.compile(
    r"\b(?:Headteacher|DSL|lead|governor|head|officer|manager), who (?:decide|are|have|agree)\b"
    r"|\b(?:Headteacher|DSL) (?:decide|agree|have|are)\b"
)


def _lines(config: dict) -> list[str]:
    doc = build_policy(config)
    lines = [s.title for s in doc.all_sections()] + [f"{a}: {b}" for a, b in doc.key_details]
    for section in doc.all_sections():
        for block in section.blocks:
            lines += block.lines()
    return lines


def _values(var: schema.Variable) -> list:
    if var.type in ("enum", "role"):
        return [*var.allowed, None]
    if var.type == "bool":
        return [True, False, None]
    return [None]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_slot_sentence_reads_with_every_value_of_its_variable(slug):
    """Every enum, role and yes/no variable, at every value and at "not stated", in both schools'
    documents: no doubled word ("in a a safe place") and no broken agreement."""
    base = demo_config(slug)
    problems = set()
    for var in schema.VARIABLES:
        for value in _values(var):
            config = dict(base, **{var.name: value})
            for line in _lines(config):
                doubled = DOUBLED.search(line)
                if doubled:
                    problems.add((var.name, value, doubled.group(0), line[:120]))
                for slip in BROKEN_AGREEMENT.finditer(line):
                    before = line[max(0, slip.start() - 30) : slip.start()]
                    if " and" not in before and " or " not in before:  # "the DSL and the Head, who agree"
                        problems.add((var.name, value, slip.group(0), line[:120]))
    assert not problems, sorted(problems, key=str)[:10]


def test_a_storage_place_not_stated_prints_no_place():
    config = dict(demo_config("joy-lane"), staff_phone_storage_in_lessons=None)
    staff = [line for line in _lines(config) if "switched off or silent" in line]
    assert staff
    assert all(" in a " not in line for line in staff)


OWN_TEXT = """harbour_policy: 1
preset: lgfl-2024
identity:
  school:
    name: Example Primary
sections:
  devices-learners:
    title: Pupils' phones
    instead: |
      Pupils in Years 5 and 6 who walk home alone may bring a phone.

      - It is handed in at the office on arrival.
      - It is collected at home time.
  review:
    after: The school council helps with each review.
"""


def test_the_schools_own_text_goes_before_after_or_instead():
    config, errors = load_yaml(OWN_TEXT)
    assert errors == []
    doc = build_policy(config)
    by_key = {s.key: s for s in doc.all_sections()}
    learners = by_key["devices-learners"]
    assert learners.title == "Pupils' phones"
    assert learners.blocks[0].text.startswith("Pupils in Years 5 and 6")
    assert learners.blocks[1].items == ("It is handed in at the office on arrival", "It is collected at home time")
    assert learners.subsections == []
    assert by_key["review"].blocks[-1].text == "The school council helps with each review."


@pytest.mark.parametrize(
    ("sections", "path", "words"),
    [
        ({"devices-lerners": {"after": "x"}}, "sections.devices-lerners", "unknown section"),
        ({"review": {"afterwards": "x"}}, "sections.review.afterwards", "unknown place"),
        ({"review": {"after": 12}}, "sections.review.after", "expected text"),
    ],
)
def test_own_text_mistakes_are_named(sections, path, words):
    import yaml

    _, errors = load_yaml(yaml.safe_dump({"identity": {"school": {"name": "X"}}, "sections": sections}))
    assert any(e.path == path and words in e.message for e in errors), errors


RAINFORD = """# Rainford C.E. Primary School and Raindrops Preschool, online safety policy on the LGfL 2023/24
# template. Key people and review from the "Key people / dates" table of the published policy
# (https://www.rainfordcofe-pri.st-helens.sch.uk/page/online-safety-policy-and-acceptable-use-policies/92798):
# DSL, deputy DSL, designated data protection lead, the trust's DPO with a phone number, the link
# governor, a network manager company, and review "by the Board of Directors by 31st August 2024";
# adopted by a committee of the local governing body ("For LGB adoption by CDCS Committee").
harbour_policy: 1
preset: lgfl-2024
identity:
  school:
    name: Rainford C.E. Primary School
    phase: primary
  dates:
    next_review: 2024-08-31
people:
  key_people:
    - {role: dsl, name: Emma Shawcross}
    - {role: deputy_dsl, name: Louise Thompson}
    - {role: data_protection_lead, name: Louise Thompson}
    - {role: data_protection_officer, name: Alison Tennant, contact: "07375 365 702", notes: for the trust}
    - {role: link_governor, name: Philippa Burke}
    - {role: network_manager, name: Techminder}
  bodies:
    - {kind: committee, name: CDCS Committee, adopts: true}
    - {kind: trust_board, name: Board of Directors, reviews: true}
"""


def test_people_and_bodies_as_lists_read_in_the_key_details():
    config, errors = load_yaml(RAINFORD)
    assert errors == []
    details = dict(build_policy(config).key_details)
    assert details["Data protection officer (DPO)"] == "Alison Tennant, 07375 365 702 (for the trust)"
    assert details["Data protection lead"] == "Louise Thompson"
    assert details["Network manager"] == "Techminder"
    assert "Adopted by CDCS Committee" in details
    assert details["Reviewed by"] == "Board of Directors"
    assert "Ratified by governors" not in details  # a committee adopted it, not the governing board


def test_the_lgfl_preset_answers_with_its_own_rule_and_heading():
    """The LGfL family lets staff take occasional pictures on their own device for school activities,
    moved to school storage and deleted (issue #21, "What went wrong")."""
    config, _ = load_yaml(RAINFORD)
    answer = engine.ask(config, "staff", "photograph_learners_on_personal_device")
    assert answer.verdict == "conditional"
    assert answer.clauses == ("Mobile phones and devices",)
    assert any("school storage" in c for c in answer.conditions)


def test_a_phone_number_written_as_a_number_is_refused_with_a_fix():
    text = RAINFORD.replace('contact: "07375 365 702"', "contact: 07375365702")
    _, errors = load_yaml(text)
    [error] = [e for e in errors if e.path.endswith("contact")]
    assert "quote" in error.message
    assert error.line is not None


def test_a_federation_names_key_people_per_school():
    """Fox Federation (LGfL 2019 template): one policy for Fox Primary, Ashburnham Community School and
    Avonmore Primary, with an executive head over all three and a head of school at each
    (https://readkong.com/page/federation-policy-online-safety-ashburnham-community-6375701)."""
    text = """harbour_policy: 1
preset: lgfl-2024
identity:
  school:
    name: Fox Federation
people:
  key_people:
    - {role: executive_headteacher, name: Paul Cotter}
    - {role: link_governor, name: Ben Ward}
    - {role: head_of_school, name: Emma Madden, school: Fox Primary School}
    - {role: head_of_school, name: Ben McMullen, school: Ashburnham Community School}
  bodies:
    - {kind: committee, name: Standards Committee, adopts: true}
"""
    config, errors = load_yaml(text)
    assert errors == []
    rows = build_policy(config).key_details
    assert ("Head of school (Fox Primary School)", "Emma Madden") in rows
    assert ("Head of school (Ashburnham Community School)", "Ben McMullen") in rows
    assert ("Adopted by Standards Committee", "Not yet set: date adopted") in rows or any(
        label == "Adopted by Standards Committee" for label, _ in rows
    )


def test_unknown_roles_list_the_close_ones():
    text = RAINFORD.replace("role: network_manager", "role: network_manger")
    _, errors = load_yaml(text)
    assert any('did you mean "network_manager"' in e.message for e in errors), errors


@pytest.mark.parametrize(
    ("name", "roles", "verb"),
    [
        ("staff_relationship_reviewers_devices", ["headteacher"], "who agrees"),
        ("staff_relationship_reviewers_devices", ["dsl", "headteacher"], "who agree"),
        ("relationship_exception_reviewers_social", ["headteacher"], "who decides"),
        ("relationship_exception_reviewers_social", ["dsl", "headteacher"], "who decide"),
    ],
)
def test_one_role_or_several_agree_with_their_verb(name, roles, verb):
    config = dict(demo_config("joy-lane"), **{name: roles})
    assert any(f", {verb} " in line for line in _lines(config))


def test_key_details_needed_for_publication_read_the_lists():
    """Issue #21: a DSL in the key-people list counts; a proprietor-run setting needs no named governor."""
    from harbour.policy.rules.config_io import missing_key_details

    base = {"school_name": "X", "date_agreed": "2024-01-30", "next_review_date": "2025-01-31"}
    assert set(missing_key_details(base)) == {"Designated safeguarding lead", "Named governor"}
    listed = dict(base, key_people=[{"role": "dsl", "name": "A"}, {"role": "link_governor", "name": "B"}])
    assert missing_key_details(listed) == []
    proprietor = dict(
        base, key_people=[{"role": "dsl", "name": "A"}], governance_bodies=[{"kind": "proprietor", "adopts": True}]
    )
    assert missing_key_details(proprietor) == []


def test_the_lgfl_preset_brings_its_key_people_slots():
    """Issue #21 point 2: a preset gives the template's key-person slots; empty ones show as not yet set."""
    config, errors = load_yaml("harbour_policy: 1\npreset: lgfl-2024\nidentity:\n  school:\n    name: New School\n")
    assert errors == []
    details = dict(build_policy(config).key_details)
    assert "PSHE/RSHE lead" in details
    assert "not yet set" in details["PSHE/RSHE lead"].lower()


@pytest.mark.parametrize(("value", "says_none"), [(None, False), ([], True)])
def test_channels_not_stated_print_nothing_but_none_stated_says_so(value, says_none):
    """Issue #21 point 5: null means "the policy does not say", never "the school runs none"."""
    config = dict(demo_config("joy-lane"), official_school_channels=value, channel_operator="school")
    text = " ".join(_lines(config))
    assert ("does not run any official social media channels" in text) is says_none
