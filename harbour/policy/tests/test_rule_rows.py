"""Rules as data (issue #21 point 1; GOV-23, GOV-24): a school's own rule rows answer its questions.

Pure tests: no database.
"""

from __future__ import annotations

import pytest

from harbour.policy.rules import engine
from harbour.policy.rules.config_io import load_yaml
from harbour.policy.tests.rules_support import demo_config

LGFL_STYLE = """
harbour_policy: 1
identity:
  school:
    name: Example Primary
rule_sections:
  "4.1": Mobile phones and devices
rules:
  photograph_learners_on_personal_device:
    - actors: [staff]
      verdict: conditional
      conditions:
        - purpose: linked to a school activity
        - moved_to_school_storage_and_deleted: true
      explanation: Occasionally, for a school activity; the pictures go to school storage and are deleted.
  use_personal_phone_on_site:
    - actors: [staff]
      verdict: conditional
      conditions:
        - in_places: [staff_room, office]
      clause: "Mobile phones, staff"
    - actors: [visitor]
      verdict: conditional
      conditions:
        - switched_off: true
  bring_personal_phone_on_site:
    actors: [learner]
    verdict: conditional
    conditions:
      - year_groups: [Year 5, Year 6]
      - handed_in: at the school office on arrival
"""


@pytest.fixture(scope="module")
def config():
    flat, errors = load_yaml(LGFL_STYLE)
    assert errors == []
    return flat


def test_a_row_sets_a_verdict_the_python_rule_could_not(config):
    answer = engine.ask(config, "staff", "photograph_learners_on_personal_device", {"device": "phone"})
    assert answer.verdict == "conditional"
    assert any("school storage" in c for c in answer.conditions)
    assert "Occasionally" in answer.explanation


def test_an_unreferenced_row_cites_the_schools_own_heading(config):
    answer = engine.ask(config, "staff", "photograph_learners_on_personal_device")
    assert answer.clauses == ("Staff use of their own devices",)  # no heading of its own: the part's name
    answer = engine.ask(config, "learner", "bring_personal_phone_on_site")
    assert answer.clauses == ("Mobile phones and devices",)


def test_places_settle_the_condition(config):
    assert engine.ask(config, "staff", "use_personal_phone_on_site", {"location": "staff_room"}).verdict == "allowed"
    no = engine.ask(config, "staff", "use_personal_phone_on_site", {"location": "classroom"})
    assert no.verdict == "forbidden"
    assert no.clauses == ("Mobile phones, staff",)


def test_rows_pick_the_actor_and_fall_back_to_the_shipped_rule(config):
    visitor = engine.ask(config, "visitor", "use_personal_phone_on_site")
    assert visitor.verdict == "conditional"
    assert "switched off" in visitor.conditions[0]
    # No row for contractors: the shipped rule answers (this blank school says nothing).
    assert engine.ask(config, "contractor", "use_personal_phone_on_site").verdict == "not_covered"


def test_year_groups_read_in_words(config):
    answer = engine.ask(config, "learner", "bring_personal_phone_on_site")
    assert answer.conditions == (
        "Only for Year 5 and Year 6.",
        "The device is handed in (at the school office on arrival).",
    )


def test_a_seed_school_with_a_row_keeps_every_other_answer():
    """A row changes one answer and nothing else (the seeds answer as today elsewhere)."""
    base = demo_config("joy-lane")
    changed = dict(
        base, rules={"photograph_learners_on_personal_device": {"actors": ["staff"], "verdict": "forbidden"}}
    )
    assert engine.ask(changed, "staff", "photograph_learners_on_personal_device").verdict == "forbidden"
    for action in ("use_personal_phone_on_site", "bring_personal_phone_on_site", "search_learner_device"):
        for actor in ("staff", "learner", "visitor"):
            assert engine.ask(changed, actor, action) == engine.ask(base, actor, action)


@pytest.mark.parametrize(
    ("rules", "path", "words"),
    [
        (
            {"photograph_learner_on_personal": {"verdict": "allowed"}},
            "rules.photograph_learner_on_personal",
            'did you mean "photograph_learners_on_personal_device"',
        ),
        (
            {"photograph_learners_on_personal_device": {"verdict": "maybe"}},
            "rules.photograph_learners_on_personal_device.verdict",
            "expected one of",
        ),
        (
            {"photograph_learners_on_personal_device": {"verdict": "conditional"}},
            "rules.photograph_learners_on_personal_device.conditions",
            "at least",
        ),
        (
            {
                "photograph_learners_on_personal_device": {
                    "verdict": "conditional",
                    "conditions": [{"aproval_by": ["dsl"]}],
                }
            },
            "rules.photograph_learners_on_personal_device.conditions[0].aproval_by",
            'did you mean "approval_by"',
        ),
        (
            {
                "photograph_learners_on_personal_device": {
                    "verdict": "conditional",
                    "conditions": [{"approval_by": ["hed"]}],
                }
            },
            "rules.photograph_learners_on_personal_device.conditions[0].approval_by",
            "unknown role",
        ),
        (
            {"photograph_learners_on_personal_device": {"verdict": "allowed", "clause": 6.3}},
            "rules.photograph_learners_on_personal_device.clause",
            "quote",
        ),
        (
            {"photograph_learners_on_personal_device": {"verdict": "allowed", "actors": ["janitor"]}},
            "rules.photograph_learners_on_personal_device.actors[0]",
            "unknown actor",
        ),
        (
            {"photograph_learners_on_personal_device": {"verdict": "allowed", "clause": "DEV-STF-05"}},
            "rules.photograph_learners_on_personal_device.clause",
            "requirement ID",
        ),
    ],
)
def test_bad_rows_are_refused_with_a_fix(rules, path, words):
    import yaml

    text = yaml.safe_dump({"harbour_policy": 1, "identity": {"school": {"name": "X"}}, "rules": rules})
    _, errors = load_yaml(text)
    assert any(e.path == path and words in e.message for e in errors), errors


def test_unknown_requirement_ids_in_the_clause_map_are_refused():
    """Issue #21 point 6: a mistyped requirement ID no longer passes silently."""
    _, errors = load_yaml("identity:\n  school:\n    name: X\nclauses:\n  DEV-LRN-99: ['1']\n  DEV-LRN-2: ['2']\n")
    paths = {e.path: e for e in errors}
    assert "unknown requirement ID" in paths["clauses.DEV-LRN-99"].message
    assert "clauses.DEV-LRN-2" in paths


def test_shipped_rules_that_are_data_answer_exactly_as_the_python_they_replaced():
    """Issue #21 point 1: rules moved from rules_*.py into shipped_rules.yaml give, for both seed
    schools and a school with no clause map, for every actor, the very answers (verdict, conditions,
    clauses, words) the Python gave; the baseline was recorded before the move."""
    import json
    from pathlib import Path

    from harbour.policy.rules import rule_rows

    baseline = json.loads((Path(__file__).parent / "data" / "shipped_rules_baseline.json").read_text())
    moved = set(rule_rows.shipped_rows())
    assert moved == {key.split("|")[2] for key in baseline}
    for key, expected in baseline.items():
        slug, actor, action, *facts = key.split("|")
        where = dict(fact.split("=") for fact in facts)
        if slug == "blank":
            config = {"school_name": "Blank School"}
        elif slug == "narrow-staff":  # a school whose "staff" reaches volunteers only (GOV-10)
            config = dict(demo_config("joy-lane"), staff_definition_includes=["volunteer"])
        else:
            config = demo_config(slug)
        assert engine.ask(config, actor, action, where).as_dict() == expected, key
    assert engine.RULES["forward_chain_email"].__qualname__ == "shipped_rules.yaml:forward_chain_email"


def test_every_yaml_mistake_is_reported_at_once_with_a_fix():
    """Issue #21 point 6: syntax errors arrive together, each with its line and a hint."""
    text = "identity:\n  school:\n    name: Foo: Bar\n  policy:\n    title: [a, b\npeople:\n\tdsl: x\n"
    _, errors = load_yaml(text)
    lines = [e.line for e in errors]
    assert lines[:2] == [3, 5]
    assert 'quote this value: "Foo: Bar"' in errors[0].hint
    assert "close the list" in errors[1].hint


def test_a_huge_broken_file_is_read_once_not_once_per_error():
    import time

    from harbour.policy.rules import config_io

    text = "a: [\n" + "b: x\n" * 60_000
    started = time.monotonic()
    _, errors = config_io.load_yaml(text)
    assert errors
    assert time.monotonic() - started < 10
