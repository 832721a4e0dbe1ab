"""The rules engine as a whole (GOV-23; issue 5 item 7): vocabulary, validation, one rule per action,
and every actor × action answering for both demo schools with well-formed answers."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time

import pytest

from harbour.policy.rules import engine, vocabulary
from harbour.policy.rules.engine import Answer, UnknownTerm, ask
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS, CONTEXT_KEYS, RETIRED_ACTIONS

from .rules_support import SLUGS, SPEC, clause_index, demo_config

# --- vocabulary -------------------------------------------------------------------------------


def _md_table(text: str, heading: str) -> list[list[str]]:
    lines = text[text.index(heading) :].splitlines()[1:]
    rows, started = [], False
    for line in lines:
        if line.startswith("|"):
            started = True
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif started:
            break
    return rows[2:]


@pytest.mark.skipif(not (SPEC / "policy-questions.md").exists(), reason="shared spec not present")
def test_vocabulary_is_exactly_policy_questions_md():
    """GOV-23: actors, context keys (with values) and every action of §4.1–4.13 with its keys and rows."""
    text = (SPEC / "policy-questions.md").read_text(encoding="utf-8")
    assert list(ACTORS) == [row[0].strip("`") for row in _md_table(text, "## 2. Actors")]
    keys = {
        row[0].strip("`"): tuple(v.strip().strip("`") for v in row[1].split(","))
        for row in _md_table(text, "## 3. Context keys")
    }
    assert keys == CONTEXT_KEYS
    expected = {}
    for number, title in re.findall(r"^### (4\.\d+) (.+)$", text, re.M):
        for aid, _meaning, typical, ctx, rows in _md_table(text, f"### {number} {title}"):
            expected[aid.strip("`")] = (
                number,
                tuple(ACTORS) if typical == "everyone" else tuple(t.strip() for t in typical.split(",")),
                () if ctx == "—" else tuple(c.strip() for c in ctx.split(",")),
                tuple(r.strip() for r in rows.split(",")),
            )
    assert list(ACTIONS) == list(expected)
    for aid, spec in ACTIONS.items():
        assert (spec.section, spec.typical_actors, spec.context_keys, spec.rows) == expected[aid], aid


def test_every_action_has_exactly_one_rule():
    """GOV-23: every action of the vocabulary is answered by a registered rule, and nothing else is."""
    assert set(engine.load_rules()) == set(ACTIONS)


@pytest.mark.parametrize("module", [*engine.RULE_MODULES, "rules_devices_common", "rules_devices_facts"])
def test_any_rule_module_may_be_imported_first(module):
    """The rule modules and the engine import each other; every import order must end with all rules."""
    code = (
        f"import harbour.policy.rules.{module}; from harbour.policy.rules import engine; "
        "engine.ask({}, 'staff', 'send_abusive_message', {}); print(len(engine.RULES))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(ACTIONS))


def test_rule_registration_refuses_unknown_and_duplicate_actions():
    with pytest.raises(ValueError, match="not an action"):
        engine.rule("fly_to_the_moon")(lambda q: q.not_covered())
    with pytest.raises(ValueError, match="already registered"):
        engine.rule("send_abusive_message")(lambda q: q.not_covered())


# --- validation --------------------------------------------------------------------------------


def test_unknown_actor_lists_the_valid_actors():
    with pytest.raises(UnknownTerm) as caught:
        ask(demo_config("st-james"), "janitor", "send_abusive_message", {})
    err = caught.value
    assert (err.kind, err.value, err.valid) == ("actor", "janitor", list(ACTORS))
    assert "Unknown actor 'janitor'" in str(err)
    assert "staff, learner, parent" in str(err)


def test_unknown_action_lists_the_valid_actions():
    with pytest.raises(UnknownTerm) as caught:
        ask(demo_config("st-james"), "staff", "fly_drone", {})
    assert caught.value.kind == "action"
    assert caught.value.valid == list(ACTIONS)
    assert "bring_personal_phone_on_site" in caught.value.message


def test_unknown_context_key_lists_the_keys_the_action_accepts():
    with pytest.raises(UnknownTerm) as caught:
        ask(demo_config("st-james"), "staff", "bring_personal_phone_on_site", {"weather": "rain"})
    assert caught.value.kind == "context key"
    assert caught.value.valid == ["device", "reason"]
    assert "It accepts: device, reason" in caught.value.message


def test_context_key_the_action_does_not_list_is_refused():
    """policy-questions.md §1: keys an action does not list are rejected, even if known elsewhere."""
    with pytest.raises(UnknownTerm) as caught:
        ask(demo_config("joy-lane"), "staff", "bring_personal_phone_on_site", {"location": "classroom"})
    assert caught.value.valid == ["device", "reason"]
    with pytest.raises(UnknownTerm, match="takes no context keys"):
        ask(demo_config("joy-lane"), "staff", "contact_learner_via_personal_phone", {"device": "phone"})


def test_unknown_context_value_lists_the_values():
    with pytest.raises(UnknownTerm) as caught:
        ask(demo_config("st-james"), "staff", "use_personal_phone_on_site", {"location": "moon"})
    assert caught.value.kind == "context value"
    assert caught.value.valid == list(CONTEXT_KEYS["location"])
    assert "for 'location'" in caught.value.message


def test_retired_action_names_its_replacement(monkeypatch):
    """policy-questions.md §5: a retired id keeps answering with an error naming its replacement."""
    monkeypatch.setitem(RETIRED_ACTIONS, "use_mobile_in_lesson", "use_personal_phone_in_lesson")
    with pytest.raises(UnknownTerm) as caught:
        ask(demo_config("st-james"), "staff", "use_mobile_in_lesson", {})
    assert caught.value.replacement == "use_personal_phone_in_lesson"
    assert "use_personal_phone_in_lesson" in caught.value.message
    assert caught.value.as_dict()["replacement"] == "use_personal_phone_in_lesson"


def test_retired_and_live_ids_never_overlap():
    assert not set(vocabulary.RETIRED_ACTIONS) & set(ACTIONS)


# --- the answer shape --------------------------------------------------------------------------


def test_answer_invariants_are_enforced():
    with pytest.raises(ValueError, match="verdict must be one of"):
        Answer("maybe", (), ("1",), "x")
    with pytest.raises(ValueError, match="conditions are required"):
        Answer("conditional", (), ("1",), "x")
    with pytest.raises(ValueError, match="conditions are required"):
        Answer("allowed", ("c",), ("1",), "x")
    with pytest.raises(ValueError, match="cites no clauses"):
        Answer("not_covered", (), ("1",), "x")
    with pytest.raises(ValueError, match="must cite the clauses"):
        Answer("forbidden", (), (), "x")
    with pytest.raises(ValueError, match="needs an explanation"):
        Answer("forbidden", (), ("1",), "")
    assert Answer("forbidden", (), ("6.1.5",), "No.").as_dict() == {
        "verdict": "forbidden",
        "conditions": [],
        "clauses": ["6.1.5"],
        "explanation": "No.",
    }


def _check(slug: str, config: dict, answer: Answer, label: str) -> None:
    assert answer.verdict in engine.VERDICTS, label
    assert answer.explanation.strip(), label
    assert bool(answer.conditions) == (answer.verdict == engine.CONDITIONAL), label
    assert bool(answer.clauses) == (answer.verdict != engine.NOT_COVERED), label
    cited = {ref for refs in config["clauses"].values() for ref in refs}
    assert set(answer.clauses) <= cited, f"{label}: {answer.clauses} not in the school's clause map"
    index = clause_index()
    if index is not None:
        assert set(answer.clauses) <= index[slug], f"{label}: {answer.clauses} not clauses of the document"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_actor_and_action_answers_for_the_demo_schools(slug):
    """Issue 5 'done when': both demo schools answer every action for every actor, with clauses unless
    not_covered, and conditions exactly when conditional; every clause is the school's own."""
    config = demo_config(slug)
    verdicts = set()
    for action in ACTIONS:
        for actor in ACTORS:
            answer = ask(config, actor, action, {})
            _check(slug, config, answer, f"{slug} {actor} {action}")
            verdicts.add(answer.verdict)
    assert verdicts == set(engine.VERDICTS)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_single_context_fact_answers_well_formed(slug):
    """Context narrows without breaking: every accepted key with every value, for every actor."""
    config = demo_config(slug)
    for action, spec in ACTIONS.items():
        for key in spec.context_keys:
            for value in CONTEXT_KEYS[key]:
                for actor in ACTORS:
                    answer = ask(config, actor, action, {key: value})
                    _check(slug, config, answer, f"{slug} {actor} {action} {key}={value}")


def test_a_school_that_states_nothing_answers_not_covered_everywhere():
    """A row absent from the clause map means the policy does not state it (policy-contract)."""
    config = demo_config("st-james")
    config["clauses"] = {}
    for action in ACTIONS:
        for actor in ACTORS:
            assert ask(config, actor, action, {}).verdict == engine.NOT_COVERED, (actor, action)


def test_differences_come_from_configuration_not_identity():
    """GOV-24: St James' file with Joy Lane's learner_phone_rule answers like Joy Lane (DEV-LRN-02)."""
    config = demo_config("st-james")
    config["learner_phone_rule"] = demo_config("joy-lane")["learner_phone_rule"]
    answer = ask(config, "learner", "keep_personal_phone_with_them", {})
    assert answer.verdict == "forbidden"
    assert answer.clauses == ("6.3.2",)  # still St James' own numbering


def test_wording_uses_the_schools_own_names():
    """Head title and leadership body come from configuration (head_role_title, leadership_body_names)."""
    config = demo_config("joy-lane")
    config["head_role_title"] = "Principal"
    config["leadership_body_names"] = ["senior team"]
    lesson = ask(config, "staff", "use_personal_phone_in_lesson", {})
    assert "Principal" in lesson.conditions[0]
    learner = ask(config, "learner", "use_personal_phone_in_lesson", {})
    assert any("senior team" in c for c in learner.conditions)


def test_rules_module_is_pure():
    """issue 5 item 7: the engine imports nothing from Django or other harbour apps."""
    code = (
        "import sys; import harbour.policy.rules.engine as e; "
        "bad = [m for m in sys.modules if m.startswith('django') or (m.startswith('harbour.') and "
        "not m.startswith('harbour.policy.rules') and m != 'harbour.policy')]; "
        "print(','.join(bad)); assert not bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ask_is_fast_warm():
    """Issue 5 performance: well under 50 ms per question; the engine itself stays under 1 ms."""
    config = demo_config("st-james")
    pairs = [(actor, action) for action in ACTIONS for actor in ACTORS]
    for actor, action in pairs:
        ask(config, actor, action, {})
    timings = []
    for actor, action in pairs:
        start = time.perf_counter()
        ask(config, actor, action, {})
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.001
    assert max(timings) < 0.05
