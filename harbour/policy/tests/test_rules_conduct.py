"""Rules for email and social media (policy-questions.md §4.6–4.10) answered for both demo schools,
with each school's own clause numbers (GOV-23). Pure: no database.

Each case names the requirement row it checks. Expected clauses are those of the row in REQUIREMENTS.md
("Source clauses"), in the school's numbering.
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
CONDUCT_SECTIONS = ("4.6", "4.7", "4.8", "4.9", "4.10")


@cache
def _seed(slug: str) -> dict:
    config, errors = config_io.load_yaml((SEEDS / f"{slug}.yaml").read_text())
    assert not errors, errors
    return config


def demo(slug: str) -> dict:
    return copy.deepcopy(_seed(slug))


# (school, actor, action, where, verdict, clauses, words that must appear in the conditions)
CASES = [
    # EML-07: personal email for school business (St James 6.5.1; Joy Lane 7.8.1 p1, p2)
    (SJ, "staff", "use_personal_email_for_school_business", {}, "forbidden", ["6.5.1"], []),
    (JL, "staff", "use_personal_email_for_school_business", {}, "forbidden", ["7.8.1 p1", "7.8.1 p2"], []),
    # A governor is "staff" in both policies' scope clause (GOV-10: St James 2.2, Joy Lane 2 p4).
    (JL, "governor", "use_personal_email_for_school_business", {}, "forbidden", ["7.8.1 p1", "7.8.1 p2", "2 p4"], []),
    (JL, "learner", "use_personal_email_for_school_business", {}, "not_covered", [], []),
    # EML-02: chain emails (Joy Lane 7.8 p2 only)
    (JL, "learner", "forward_chain_email", {}, "forbidden", ["7.8 p2"], []),
    (JL, "parent", "forward_chain_email", {}, "forbidden", ["7.8 p2"], []),
    (SJ, "staff", "forward_chain_email", {}, "not_covered", [], []),
    # EML-03: unencrypted personal data (Joy Lane 7.8 p3)
    (JL, "staff", "send_personal_data_by_unencrypted_email", {}, "forbidden", ["7.8 p3"], []),
    (SJ, "staff", "send_personal_data_by_unencrypted_email", {}, "not_covered", [], []),
    # EML-04: school email for personal social media (Joy Lane 7.8 p4)
    (JL, "learner", "register_personal_social_media_with_school_email", {}, "forbidden", ["7.8 p4"], []),
    (SJ, "learner", "register_personal_social_media_with_school_email", {}, "not_covered", [], []),
    # SOC-GEN-03 (Differs): staff at St James only when no learners are present (7.1.6) ...
    (SJ, "staff", "use_personal_social_media_in_school_hours", {}, "conditional", ["7.1.6"], ["No learners"]),
    (SJ, "staff", "use_personal_social_media_in_school_hours", {"learners_present": "no"}, "allowed", ["7.1.6"], []),
    (
        SJ,
        "staff",
        "use_personal_social_media_in_school_hours",
        {"learners_present": "yes"},
        "forbidden",
        ["7.1.6"],
        [],
    ),
    # ... learners at St James only with the headteacher's written permission for education (7.1.7) ...
    (SJ, "learner", "use_personal_social_media_in_school_hours", {}, "conditional", ["7.1.7"], ["Headteacher"]),
    (SJ, "learner", "use_personal_social_media_in_school_hours", {"reason": "emergency"}, "forbidden", ["7.1.7"], []),
    # ... and nobody at Joy Lane (8.1 p4).
    (JL, "staff", "use_personal_social_media_in_school_hours", {"learners_present": "no"}, "forbidden", ["8.1 p4"], []),
    (JL, "learner", "use_personal_social_media_in_school_hours", {}, "forbidden", ["8.1 p4"], []),
    # INC-CYB-01: cyberbullying (Joy Lane 11.4 p1; St James 5.1(a), 6.3.8, 7.3.4)
    (JL, "parent", "bully_someone_online", {}, "forbidden", ["11.4 p1"], []),
    (SJ, "learner", "bully_someone_online", {}, "forbidden", ["5.1(a)", "6.3.8", "7.3.4"], []),
    # INC-HATE-01: online hate (Joy Lane 11.5 p1; St James only through 7.1.4)
    (JL, "visitor", "post_hate_content_online", {}, "forbidden", ["11.5 p1"], []),
    (SJ, "staff", "post_hate_content_online", {}, "forbidden", ["7.1.4"], []),
    # SOC-STF-08: what staff know through work stays off social media (St James 7.2.11; Joy Lane 8.2 p13)
    (SJ, "staff", "share_learner_information_on_social_media", {}, "forbidden", ["7.2.11"], []),
    (JL, "volunteer", "share_learner_information_on_social_media", {}, "forbidden", ["8.2 p13", "2 p4"], []),
    (SJ, "parent", "share_learner_information_on_social_media", {}, "not_covered", [], []),
    # SOC-STF-06: advice, not a ban (St James 7.2.9; Joy Lane 8.2 p11)
    (SJ, "staff", "identify_school_as_employer_on_personal_social_media", {}, "allowed", ["7.2.9"], []),
    (JL, "staff", "identify_school_as_employer_on_personal_social_media", {}, "allowed", ["8.2 p11"], []),
    # SOC-STF-10 (Differs): St James forbidden (7.2.13); Joy Lane only with the Executive Headteacher's
    # prior approval (8.2 p18).
    (SJ, "staff", "contact_learner_via_personal_social_media", {}, "forbidden", ["7.2.13"], []),
    (
        JL,
        "staff",
        "contact_learner_via_personal_social_media",
        {},
        "conditional",
        ["8.2 p18"],
        ["Executive Headteacher approved"],
    ),
    (SJ, "governor", "contact_parent_via_personal_social_media", {}, "forbidden", ["7.2.13", "2.2"], []),
    (JL, "staff", "contact_parent_via_personal_social_media", {}, "conditional", ["8.2 p18"], ["before it happened"]),
    # SOC-STF-10 + SOC-STF-12: friend requests from learners
    (SJ, "staff", "accept_learner_friend_request", {}, "forbidden", ["7.2.13", "7.2.14"], []),
    (JL, "staff", "accept_learner_friend_request", {}, "conditional", ["8.2 p18", "8.2 p15"], ["Executive"]),
    # SOC-STF-12/13/14: former learners and families; exceptions talked through, St James records them.
    (
        SJ,
        "staff",
        "befriend_former_learner_or_family",
        {},
        "conditional",
        ["7.2.14", "7.2.15", "7.2.16"],
        ["Headteacher", "formally recorded"],
    ),
    (
        JL,
        "staff",
        "befriend_former_learner_or_family",
        {},
        "conditional",
        ["8.2 p15", "8.2 p16"],
        ["Executive Headteacher"],
    ),
    # SOC-STF-15: alumni networks or official tools (St James 7.2.17; Joy Lane 8.2 p17)
    (SJ, "staff", "keep_in_contact_with_former_learner", {}, "conditional", ["7.2.17"], ["alumni"]),
    (JL, "staff", "keep_in_contact_with_former_learner", {}, "conditional", ["8.2 p17"], ["alumni"]),
    # SOC-OFF-13: advice on a separate professional account (St James 7.4.15; Joy Lane 8.4 p15)
    (SJ, "staff", "follow_school_social_media_from_personal_account", {}, "allowed", ["7.4.15"], []),
    (JL, "staff", "follow_school_social_media_from_personal_account", {}, "allowed", ["8.4 p15"], []),
    # SOC-LRN-02 (Differs): St James the service's own terms (7.3.2); Joy Lane a fixed 13 (8.3 p2).
    (SJ, "staff", "create_social_media_account_for_learner", {"learner_age": "under_13"}, "forbidden", ["7.3.2"], []),
    (
        SJ,
        "staff",
        "create_social_media_account_for_learner",
        {"learner_age": "13_or_over"},
        "conditional",
        ["7.3.2"],
        ["service's terms"],
    ),
    (
        JL,
        "leadership_team",
        "create_social_media_account_for_learner",
        {"learner_age": "13_or_over"},
        "allowed",
        ["8.3 p2"],
        [],
    ),
    (JL, "staff", "create_social_media_account_for_learner", {"learner_age": "under_13"}, "forbidden", ["8.3 p2"], []),
    (JL, "staff", "create_social_media_account_for_learner", {}, "conditional", ["8.3 p2"], ["13 or older"]),
    # SOC-LRN-03: meeting online friends
    (JL, "learner", "meet_online_friend_in_person", {}, "conditional", None, ["trusted adult"]),
    (SJ, "learner", "meet_online_friend_in_person", {}, "conditional", None, ["trusted adult"]),
    # SOC-OFF-01/02/06 (Differs): St James' channels are the PTA's, approved by the PTA chair (7.4.1–7.4.3);
    # Joy Lane's are the school's, approved by the Executive Headteacher, on school email (8.4 p1–p4, p7).
    (SJ, "pta", "set_up_social_media_channel", {}, "conditional", None, ["Chair of the PTA"]),
    (SJ, "staff", "set_up_social_media_channel", {}, "not_covered", [], []),
    (
        JL,
        "leadership_team",
        "set_up_social_media_channel",
        {},
        "conditional",
        None,
        ["Executive Headteacher", "school-provided email"],
    ),
    (JL, "pta", "set_up_social_media_channel", {}, "not_covered", [], []),
    # SOC-OFF-11 + IMG-01: images only with written consent (Joy Lane 8.4 p22, 7.7 p1; St James 7.4.13 …)
    (
        JL,
        "staff",
        "post_learner_images_on_official_social_media",
        {},
        "conditional",
        ["8.4 p22", "7.7 p1"],
        ["written consent"],
    ),
    (
        JL,
        "staff",
        "post_learner_images_on_official_social_media",
        {"consent": "not_given"},
        "forbidden",
        ["8.4 p22", "7.7 p1"],
        [],
    ),
    (
        JL,
        "staff",
        "post_learner_images_on_official_social_media",
        {"consent": "given"},
        "allowed",
        ["8.4 p22", "7.7 p1"],
        [],
    ),
    (
        SJ,
        "pta",
        "post_learner_images_on_official_social_media",
        {"consent": "not_given"},
        "forbidden",
        ["7.4.13", "3.1(d)", "6.2.4(a)"],
        [],
    ),
    # IMG-01/IMG-03: never without consent; the PTA only where it runs channels.
    (JL, "staff", "post_learner_images_online_without_consent", {}, "forbidden", ["7.7 p1", "8.4 p22"], []),
    (SJ, "pta", "post_learner_images_online_without_consent", {}, "forbidden", ["3.1(d)", "6.2.4(a)", "7.4.13"], []),
    (JL, "pta", "post_learner_images_online_without_consent", {}, "not_covered", [], []),
    (JL, "parent", "post_learner_images_online_without_consent", {}, "not_covered", [], []),
    # SOC-OFF-17: no private messages from a school account (Joy Lane 8.4 p24 only)
    (JL, "staff", "private_message_from_school_social_media_account", {}, "forbidden", ["8.4 p24"], []),
    (SJ, "staff", "private_message_from_school_social_media_account", {}, "not_covered", [], []),
]


@pytest.mark.parametrize(("school", "actor", "action", "where", "verdict", "clauses", "words"), CASES)
def test_demo_school_answers(school, actor, action, where, verdict, clauses, words):
    """GOV-23 and the rows named beside each case: verdict, clauses (the school's own numbering) and
    the conditions for both demo schools."""
    answer = ask(demo(school), actor, action, where)
    assert answer.verdict == verdict, answer
    if clauses is not None:
        assert list(answer.clauses) == sorted(clauses, key=clause_sort_key)  # the engine cites in document order
    joined = " ".join(answer.conditions)
    for word in words:
        assert word in joined, (word, answer.conditions)
    assert answer.explanation


def test_st_james_channel_rows_cite_its_clauses():
    """SOC-OFF-01, SOC-OFF-02: St James' PTA answer cites 7.4.1–7.4.3 and 7.4.11, nothing of Joy Lane."""
    answer = ask(demo(SJ), "pta", "set_up_social_media_channel")
    assert {"7.4.1", "7.4.2", "7.4.3"} <= set(answer.clauses)
    assert not any(" p" in ref for ref in answer.clauses)


def test_differences_come_from_configuration_only():
    """GOV-24: give St James Joy Lane's social media settings and it answers like Joy Lane (SOC-GEN-03,
    SOC-STF-10, SOC-LRN-02), citing its own clauses."""
    config = demo(SJ)
    for name in (
        "staff_personal_social_media_in_school_hours",
        "staff_personal_contact_with_learners_parents",
        "learner_account_min_age_rule",
        "head_role_title",
    ):
        config[name] = demo(JL)[name]
    assert ask(config, "staff", "use_personal_social_media_in_school_hours").verdict == "forbidden"
    contact = ask(config, "staff", "contact_learner_via_personal_social_media")
    assert contact.verdict == "conditional"
    assert contact.clauses == ("7.2.13",)
    assert "Executive Headteacher" in contact.conditions[0]
    age = ask(config, "staff", "create_social_media_account_for_learner", {"learner_age": "13_or_over"})
    assert age.verdict == "allowed"


def test_row_missing_from_clause_map_is_not_covered():
    """A school whose clause map lacks a row is silent on it, whatever its variables say (GOV-23)."""
    config = demo(JL)
    del config["clauses"]["EML-07"]
    answer = ask(config, "staff", "use_personal_email_for_school_business")
    assert answer.verdict == "not_covered"
    assert answer.clauses == ()


def test_school_names_come_from_configuration():
    """Wording uses the school's names (head_role_title, school_name), never a built-in one."""
    config = demo(JL)
    config["head_role_title"] = "Principal"
    config["school_name"] = "Harbourside Academy"
    answer = ask(config, "staff", "contact_learner_via_personal_social_media")
    assert "Principal" in answer.conditions[0]
    assert "Executive" not in answer.explanation
    assert "Harbourside Academy" in ask(config, "staff", "use_personal_email_for_school_business").explanation


@pytest.mark.parametrize("school", [SJ, JL])
@pytest.mark.parametrize("action", [a for a, spec in ACTIONS.items() if spec.section in CONDUCT_SECTIONS])
def test_every_actor_gets_a_well_formed_answer(school, action):
    """Every actor of the vocabulary gets an answer for every action of §4.6–4.10 (issue 5, "Done when");
    covered answers cite only clauses that exist in the school's clause map."""
    config = demo(school)
    known = {ref for refs in config["clauses"].values() for ref in refs}
    for actor in ACTORS:
        answer = ask(config, actor, action)
        assert set(answer.clauses) <= known, (actor, answer.clauses)
        assert answer.as_dict()["verdict"] in ("allowed", "forbidden", "conditional", "not_covered")


def test_empty_configuration_is_silent_everywhere():
    """A school with nothing configured: every conduct question is not_covered, nothing crashes."""
    for action, spec in ACTIONS.items():
        if spec.section in CONDUCT_SECTIONS:
            for actor in ACTORS:
                assert ask({}, actor, action).verdict == "not_covered"
