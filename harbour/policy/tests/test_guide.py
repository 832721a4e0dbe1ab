"""The "Can I…?" guide builder and its statements (GOV-23), pure: no database, no Django.

Checked on both demo schools: which questions each audience sees, the wording (child-friendly for
learners), answers straight from the rules engine, who can grant an exception, the statement rows of
policy-questions.md §5 with their clauses, and the search.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import pytest

from harbour.policy.rules import config_io
from harbour.policy.rules.engine import ask
from harbour.policy.rules.guide import AUDIENCES, UnknownAudience, build_guide, exception_granter
from harbour.policy.rules.guide_wording import KID_WHY, QUESTIONS
from harbour.policy.rules.statements import STATEMENT_ROWS, statements
from harbour.policy.rules.vocabulary import ACTIONS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SJ, JL = "st-james", "joy-lane"


@cache
def _seed(slug: str) -> dict:
    config, errors = config_io.load_yaml((SEEDS / f"{slug}.yaml").read_text())
    assert not errors, errors
    return config


def demo(slug: str) -> dict:
    return copy.deepcopy(_seed(slug))


def _entries(guide):
    return [e for t in guide.topics for e in t.entries]


def _find(guide, action, actor=None):
    found = [e for e in _entries(guide) if e.action == action and (actor is None or e.actor == actor)]
    assert found, f"{action} ({actor}) is not in the {guide.audience} guide"
    return found[0]


def test_every_action_has_guide_wording():
    """GOV-23: every action of the vocabulary is asked in words of the guide (no fallback to its meaning)."""
    assert set(QUESTIONS) == set(ACTIONS)
    learner_actions = {a for a, s in ACTIONS.items() if "learner" in s.typical_actors}
    assert {a for a in learner_actions if QUESTIONS[a].kid} == learner_actions
    assert set(KID_WHY) == learner_actions


@pytest.mark.parametrize("school", [SJ, JL])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_guide_answers_come_from_the_engine(school, audience):
    """GOV-23: each entry's verdict, conditions and clauses are exactly what ask() says for that actor."""
    config = demo(school)
    guide = build_guide(config, audience)
    assert guide.total == guide.shown > 0
    for entry in _entries(guide):
        answer = ask(config, entry.actor, entry.action)
        assert (entry.verdict, entry.conditions, entry.clauses) == (answer.verdict, answer.conditions, answer.clauses)
        assert entry.question


def test_learners_guide_is_child_friendly():
    """GOV-23: learners get first-person questions, plain verdicts and reasons written for children."""
    guide = build_guide(demo(JL), "learners")
    phone = _find(guide, "bring_personal_phone_on_site")
    assert phone.question == "Can I bring my phone to school?"
    assert {e.badge for e in _entries(guide)} <= {"Yes", "No", "Only if…", "Ask a grown-up"}
    password = _find(guide, "share_school_account_password")
    assert password.headline == "No, you can't."
    assert password.explanation == KID_WHY["share_school_account_password"]
    assert {e.actor for e in _entries(guide)} == {"learner"}
    titles = [t.title for t in guide.topics]
    assert "Phones and devices" in titles


def test_learners_guide_covers_only_learner_questions():
    guide = build_guide(demo(SJ), "learners")
    actions = {e.action for e in _entries(guide)}
    assert "bring_personal_phone_on_site" in actions
    assert "view_suspected_nude_image" not in actions
    assert "contact_learner_via_personal_social_media" not in actions


def test_staff_guide_shows_the_dsl_where_the_answer_differs():
    """INC-YPSI-14 at Joy Lane: staff may not view a suspected image; the DSL only under conditions."""
    guide = build_guide(demo(JL), "staff")
    staff = _find(guide, "view_suspected_nude_image", "staff")
    dsl = _find(guide, "view_suspected_nude_image", "dsl")
    assert staff.verdict == "forbidden"
    assert staff.asked_as == ""
    assert dsl.verdict == "conditional"
    assert dsl.asked_as == "As the DSL or a deputy"
    # Same answer for the head as for staff: shown once.
    assert not [e for e in _entries(guide) if e.action == "view_suspected_nude_image" and e.actor == "headteacher"]


def test_staff_guide_labels_role_only_questions():
    """An action no ordinary staff member asks (keeping a copy of an image) is shown for its roles."""
    guide = build_guide(demo(JL), "staff")
    keep = _find(guide, "keep_copy_of_indecent_image")
    assert keep.actor == "dsl"
    assert keep.asked_as == "As the DSL or a deputy"
    head = _find(guide, "share_incident_with_other_schools")
    assert head.actor == "dsl"


def test_parents_guide_asks_about_their_child():
    """Parents see their own questions and what the rules mean for their child (DEV-LRN-02, DEV-LRN-09)."""
    guide = build_guide(demo(SJ), "parents")
    child_phone = _find(guide, "bring_personal_phone_on_site")
    assert child_phone.actor == "learner"
    assert child_phone.question == "Can my child bring a phone or other device to school?"
    own = _find(guide, "contact_child_directly_in_school_hours")
    assert own.actor == "parent"
    assert own.question == "Can I call or message my child directly during the school day?"


def test_visitors_guide_answers_visitors_and_volunteers():
    """DEV-VIS-01 and staff rules reaching volunteers: visitors first, volunteers where different."""
    guide = build_guide(demo(JL), "visitors")
    actors = {e.actor for e in _entries(guide)}
    assert "visitor" in actors
    assert actors <= {"visitor", "volunteer", "contractor"}
    assert _find(guide, "contact_learner_via_personal_social_media", "volunteer").asked_as == "As a volunteer"


def test_exception_granters_come_from_configuration():
    """GOV-23 "who can grant an exception", GOV-22: from the configuration, in the school's titles."""
    jl, sj = demo(JL), demo(SJ)
    assert exception_granter(jl, "staff", "contact_learner_via_personal_social_media") == "the Executive Headteacher"
    assert exception_granter(sj, "learner", "use_personal_social_media_in_school_hours") == "the Headteacher"
    assert exception_granter(jl, "learner", "use_personal_social_media_in_school_hours") == ""
    assert exception_granter(sj, "pta", "set_up_social_media_channel") == "the Chair of the PTA"
    entry = _find(build_guide(jl, "staff"), "contact_learner_via_personal_social_media", "staff")
    assert entry.exception_by == "the Executive Headteacher"
    # A forbidden answer with no exception route shows none.
    assert _find(build_guide(jl, "staff"), "forward_suspected_nude_image").exception_by == ""


def test_search_keeps_matching_entries_only():
    """GOV-23 (searchable): every word must match, case does not matter; topics with nothing left go."""
    guide = build_guide(demo(JL), "parents", "EXAM phone")
    entries = _entries(guide)
    assert [e.action for e in entries] == ["take_personal_device_into_exam"]
    assert guide.query == "EXAM phone"
    assert guide.total > guide.shown == 1
    assert len(guide.topics) == 1
    assert build_guide(demo(JL), "parents", "no-such-word-anywhere").topics == ()


def test_search_looks_in_conditions_and_clauses():
    guide = build_guide(demo(JL), "staff", "11.1.1")
    assert {e.action for e in _entries(guide)} >= {"view_suspected_nude_image", "forward_suspected_nude_image"}


def test_search_counts_verdicts_shown():
    guide = build_guide(demo(SJ), "learners")
    assert sum(guide.counts.values()) == guide.shown


def test_unknown_audience_is_refused():
    with pytest.raises(UnknownAudience, match="Valid audiences: staff, learners, parents, visitors"):
        build_guide(demo(SJ), "governors")


def test_empty_configuration_gives_a_silent_guide():
    guide = build_guide({}, "visitors")
    assert {e.verdict for e in _entries(guide)} == {"not_covered"}
    assert all(not t.statements for t in guide.topics)


# --- statements (policy-questions.md §5) ---------------------------------------------------------


def test_statement_rows_are_those_of_the_coverage_notes():
    assert set(STATEMENT_ROWS) == {
        "GOV-10",
        "DEV-GEN-01",
        "DEV-GEN-02",
        "DEV-GEN-08",
        "DEV-STF-01",
        "DEV-STF-06",
        "DEV-OFF-02",
        "SOC-GEN-02",
        "SOC-STF-07",
        "SOC-OFF-05",
        "SOC-OFF-08",
        "SOC-OFF-12",
        "ACC-06",
        "DPS-01",
        "DPS-08",
        "EML-01",
        "EML-06",
        "LP-05",
        "TOOL-05",
        "RML-01",
        "RML-02",
        "RML-09",
        "INC-CSAE-04",
    }


@pytest.mark.parametrize(
    ("school", "row", "clauses", "words"),
    [
        (SJ, "DEV-GEN-08", ("6.1.6",), "offensive"),
        (JL, "DEV-GEN-08", ("9.1 p6",), "offensive"),
        (SJ, "DEV-OFF-02", ("6.5.1",), "contact around the site"),
        (JL, "DEV-OFF-02", ("9.5 p1",), "contact with pupils"),
        (SJ, "SOC-OFF-05", ("7.4.5", "7.4.6"), "PTA community engagement"),
        (JL, "SOC-OFF-05", ("8.4 p6", "8.4 p8"), "Twitter, Facebook and Class Dojo"),
        (JL, "ACC-06", ("7.5.1 p1", "7.5.1 p2"), "Year R"),
        (SJ, "RML-02", ("1.3(a)",), "Remote Learning AUP"),
        (JL, "INC-CSAE-04", ("11.2.1 p11",), "wherever it happened"),
    ],
)
def test_statements_use_config_and_clauses(school, row, clauses, words):
    """Statement rows (policy-questions.md §5) render from the configuration and cite the school's clauses."""
    found = {s.row: s for s in statements(demo(school))}
    assert found[row].clauses == clauses
    assert words in found[row].text


@pytest.mark.parametrize(
    ("school", "absent"),
    [
        (SJ, {"EML-01", "EML-06", "LP-05", "TOOL-05", "ACC-06", "DPS-01", "DPS-08", "INC-CSAE-04"}),
        (JL, {"RML-01", "RML-02", "RML-09"}),
    ],
)
def test_statements_the_policy_does_not_make_are_left_out(school, absent):
    """A statement appears only when its row is in the school's clause map (and, for RML rows, when remote
    learning provisions are on)."""
    rows = {s.row for s in statements(demo(school))}
    assert not rows & absent
    assert "GOV-10" in rows


def test_statements_for_learners_are_child_friendly():
    said = {s.row: s.text_for("learners") for s in statements(demo(JL), "learners")}
    assert said["ACC-06"].startswith("You have your own username for KLZ")
    assert "DEV-STF-01" not in said  # staff-only statements stay off the learners' guide
