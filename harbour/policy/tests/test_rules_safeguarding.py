"""Rules for remote learning, nude and indecent images and concerns (policy-questions.md §4.11–4.13),
answered for both demo schools with each school's own clause numbers (GOV-23). Pure: no database.

The [SAFETY] rows among them (INC-YPSI-14, INC-IIOC-06, REP-17, INC-CSAE-08) are tested here by name.
St James' policy leaves the incident procedures to its child protection policy (REQUIREMENTS.md §4,
G1), so its clause map holds only INC-YPSI-01 and INC-CSAE-01 of these rows: it takes charge through
the DSL, and is silent on the image-handling questions.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest

from harbour.policy.rules import config_io
from harbour.policy.rules.engine import ask, clause_sort_key
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SJ, JL = "st-james", "joy-lane"
SAFEGUARDING_SECTIONS = ("4.11", "4.12", "4.13")
SCHOOL_STAFF = ("staff", "technical_staff", "leadership_team", "headteacher", "governor", "volunteer")


@cache
def _seed(slug: str) -> dict:
    config, errors = config_io.load_yaml((SEEDS / f"{slug}.yaml").read_text())
    assert not errors, errors
    return config


def demo(slug: str) -> dict:
    return copy.deepcopy(_seed(slug))


def _refs(answer) -> list[str]:
    return list(answer.clauses)


def _in_order(*refs: str) -> list[str]:
    return sorted(refs, key=clause_sort_key)


# --- §4.12 Nude and indecent images --------------------------------------------------------------


@pytest.mark.parametrize("actor", SCHOOL_STAFF)
def test_joy_lane_nobody_but_the_dsl_views_a_suspected_image(actor):
    """INC-YPSI-14 [SAFETY]: at Joy Lane nobody but the DSL looks at a suspected nude image (11.1.1 p13, p14)."""
    answer = ask(demo(JL), actor, "view_suspected_nude_image")
    assert answer.verdict == "forbidden"
    assert {"11.1.1 p13", "11.1.1 p14"} <= set(answer.clauses)


def test_joy_lane_dsl_views_only_with_need_and_written_justification():
    """INC-YPSI-14 [SAFETY]: the DSL only when there is no other option or a clear need, and records why."""
    answer = ask(demo(JL), "dsl", "view_suspected_nude_image")
    assert answer.verdict == "conditional"
    assert _refs(answer) == ["11.1.1 p13", "11.1.1 p14"]
    joined = " ".join(answer.conditions)
    assert "only way forward" in joined
    assert "write down why" in joined


@pytest.mark.parametrize("action", ["forward_suspected_nude_image", "save_copy_of_suspected_nude_image"])
@pytest.mark.parametrize("actor", list(ACTORS))
def test_joy_lane_nobody_sends_or_saves_a_suspected_image(action, actor):
    """INC-YPSI-16 (Actors: All): forbidden for everyone, even to show the DSL (11.1.1 p12, p15)."""
    answer = ask(demo(JL), actor, action)
    assert answer.verdict == "forbidden"
    assert _refs(answer) == ["11.1.1 p12", "11.1.1 p15"]


@pytest.mark.parametrize("actor", ["staff", "dsl", "headteacher"])
def test_joy_lane_never_asks_a_learner_for_the_image(actor):
    """INC-YPSI-16: the school never asks or lets a learner send the image, not even as evidence."""
    answer = ask(demo(JL), actor, "ask_learner_to_send_suspected_nude_image")
    assert answer.verdict == "forbidden"
    assert _refs(answer) == ["11.1.1 p12", "11.1.1 p15"]


def test_joy_lane_deleting_a_copy_waits_for_reporting_and_police():
    """INC-IIOC-11: stray copies are deleted after the reporting steps, unless the police want one kept
    (11.3 p11, p16, p18); staff act at the DSL's request."""
    dsl = ask(demo(JL), "dsl", "delete_suspected_nude_image")
    assert dsl.verdict == "conditional"
    assert _refs(dsl) == ["11.3 p11", "11.3 p16", "11.3 p18"]
    assert any("police" in c for c in dsl.conditions)
    staff = ask(demo(JL), "staff", "delete_suspected_nude_image")
    assert staff.conditions[0] == "The designated safeguarding lead has asked you to."


@pytest.mark.parametrize("actor", ["dsl", "technical_staff", "headteacher"])
def test_joy_lane_keeps_a_copy_only_at_police_request_outside_harbour(actor):
    """INC-IIOC-06 [SAFETY], INC-IIOC-11: a copy only at the police's request, stored securely, never in
    Harbour, other copies deleted (11.3 p11, p16, p18)."""
    answer = ask(demo(JL), actor, "keep_copy_of_indecent_image")
    assert answer.verdict == "conditional"
    assert _refs(answer) == ["11.3 p11", "11.3 p16", "11.3 p18"]
    joined = " ".join(answer.conditions)
    assert "police have asked" in joined
    assert "never in Harbour" in joined


@pytest.mark.parametrize(
    ("school", "refs"),
    [(JL, ["11.1 p1", "11.2 p1"]), (SJ, ["5.1(a)", "7.3.5"])],
)
def test_sexual_imagery_and_abuse_concerns_go_to_the_dsl(school, refs):
    """INC-YPSI-01, INC-CSAE-01: the DSL takes charge (Joy Lane 11.1 p1, 11.2 p1; St James 5.1(a), 7.3.5);
    anyone else passes the concern on."""
    config = demo(school)
    dsl = ask(config, "dsl", "handle_nude_image_or_sexual_abuse_concern")
    assert dsl.verdict == "allowed"
    assert _refs(dsl) == refs
    for actor in ("staff", "headteacher", "leadership_team"):
        other = ask(config, actor, "handle_nude_image_or_sexual_abuse_concern")
        assert other.verdict == "forbidden"
        assert _refs(other) == refs


@pytest.mark.parametrize(
    "action",
    [
        "view_suspected_nude_image",
        "forward_suspected_nude_image",
        "save_copy_of_suspected_nude_image",
        "delete_suspected_nude_image",
        "ask_learner_to_send_suspected_nude_image",
        "keep_copy_of_indecent_image",
    ],
)
@pytest.mark.parametrize("actor", ["staff", "dsl", "headteacher", "learner"])
def test_st_james_is_silent_on_handling_images(action, actor):
    """INC-YPSI-14, INC-YPSI-16, INC-IIOC-06, INC-IIOC-11: none is in St James' clause map (its procedures
    are in its child protection policy), so the answer is not_covered, citing nothing."""
    answer = ask(demo(SJ), actor, action)
    assert answer.verdict == "not_covered"
    assert answer.clauses == ()


def test_st_james_answers_like_joy_lane_once_its_clause_map_holds_the_rows():
    """GOV-24: the difference comes from the clause map, not from the school: give St James the rows
    (with made-up refs of its own numbering) and it answers the same way."""
    config = demo(SJ)
    config["clauses"]["INC-YPSI-16"] = ["9.1"]
    answer = ask(config, "staff", "forward_suspected_nude_image")
    assert answer.verdict == "forbidden"
    assert _refs(answer) == ["9.1"]


# --- §4.11 Remote learning and live lessons ------------------------------------------------------


def test_st_james_remote_platform_needs_risk_assessment():
    """RML-07: at St James a social media service or app becomes a remote-learning platform only after the
    DSL and/or Headteacher's risk assessment, used under the Remote Learning AUP (7.1.9)."""
    answer = ask(demo(SJ), "staff", "use_app_as_remote_learning_platform")
    assert answer.verdict == "conditional"
    assert _refs(answer) == ["7.1.9"]
    joined = " ".join(answer.conditions)
    assert "Headteacher" in joined
    assert "Remote Learning AUP" in joined


def test_joy_lane_has_no_remote_learning_provisions():
    """RML-01/RML-07: Joy Lane has no remote learning provisions, so the question is not_covered."""
    assert ask(demo(JL), "headteacher", "use_app_as_remote_learning_platform").verdict == "not_covered"


def test_remote_rules_switch_off_with_the_provisions():
    """RML-01: switching remote_learning_provisions_enabled off silences the rule even with its row mapped."""
    config = demo(SJ)
    config["remote_learning_provisions_enabled"] = False
    assert ask(config, "dsl", "use_app_as_remote_learning_platform").verdict == "not_covered"


@pytest.mark.parametrize(
    ("where", "verdict"),
    [({}, "conditional"), ({"consent": "given"}, "allowed"), ({"consent": "not_given"}, "forbidden")],
)
def test_joy_lane_videoconference_needs_parent_consent(where, verdict):
    """VC-02: learners join a videoconference only with parents' consent (Joy Lane 7.9.1 p1)."""
    answer = ask(demo(JL), "staff", "include_learners_in_videoconference", where)
    assert answer.verdict == verdict
    assert _refs(answer) == ["7.9.1 p1"]


def test_joy_lane_recording_a_lesson():
    """VC-03: told at the start, written permission, a reason, secure storage (Joy Lane 7.9.2 p1); with
    consent given the other conditions remain; without it, forbidden."""
    config = demo(JL)
    general = ask(config, "staff", "record_video_lesson")
    assert general.verdict == "conditional"
    assert len(general.conditions) == 4
    assert _refs(general) == ["7.9.2 p1"]
    given = ask(config, "staff", "record_video_lesson", {"consent": "given"})
    assert given.verdict == "conditional"
    assert not any("written permission" in c for c in given.conditions)
    assert ask(config, "staff", "record_video_lesson", {"consent": "not_given"}).verdict == "forbidden"


def test_st_james_is_silent_on_videoconferencing():
    """VC-02, VC-03 are Joy Lane's only."""
    for action in ("include_learners_in_videoconference", "record_video_lesson"):
        assert ask(demo(SJ), "staff", action).verdict == "not_covered"


# --- §4.13 Concerns and incidents ---------------------------------------------------------------


@pytest.mark.parametrize(("school", "refs"), [(SJ, ["5.2"]), (JL, ["10 p2"])])
@pytest.mark.parametrize("actor", list(ACTORS))
def test_nobody_resolves_a_concern_without_reporting(school, refs, actor):
    """REP-10 (Actors: All): every concern goes through the official route (St James 5.2; Joy Lane 10 p2)."""
    answer = ask(demo(school), actor, "resolve_concern_without_reporting")
    assert answer.verdict == "forbidden"
    assert _refs(answer) == refs


@pytest.mark.parametrize("actor", ["dsl", "headteacher"])
def test_joy_lane_consults_police_or_education_safeguarding_before_sharing(actor):
    """REP-17, INC-CSAE-08 [SAFETY]: nothing goes to other schools or the public before Kent Police and/or
    the Education Safeguarding Team are consulted (Joy Lane 10 p8, 11.2.1 p15)."""
    answer = ask(demo(JL), actor, "share_incident_with_other_schools")
    assert answer.verdict == "conditional"
    assert _refs(answer) == _in_order("10 p8", "11.2.1 p15")
    assert "Kent Police" in answer.conditions[0]


def test_st_james_is_silent_on_sharing_beyond_the_school():
    """REP-17 is stated only by Joy Lane (external_sharing_precondition is empty at St James)."""
    assert ask(demo(SJ), "dsl", "share_incident_with_other_schools").verdict == "not_covered"


# --- every actor ---------------------------------------------------------------------------------


@pytest.mark.parametrize("school", [SJ, JL])
@pytest.mark.parametrize("action", [a for a, s in ACTIONS.items() if s.section in SAFEGUARDING_SECTIONS])
def test_every_actor_gets_a_well_formed_answer(school, action):
    """Issue 5 "Done when": every actor is answered for every action of §4.11–4.13; covered answers cite only
    clauses of the school's own clause map."""
    config = demo(school)
    known = {ref for refs in config["clauses"].values() for ref in refs}
    for actor in ACTORS:
        answer = ask(config, actor, action)
        assert set(answer.clauses) <= known, (actor, answer.clauses)


def test_empty_configuration_is_silent_everywhere():
    for action, spec in ACTIONS.items():
        if spec.section in SAFEGUARDING_SECTIONS:
            for actor in ACTORS:
                assert ask({}, actor, action).verdict == "not_covered"
