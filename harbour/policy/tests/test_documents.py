"""The generated policy document, built from configuration (GOV-09, GOV-02, GOV-10, GOV-18, GOV-20,
ROL-08..ROL-11, GOV-24): every section, the school's own names and positions, "not yet set" markers
for missing values, stable text for diffs, and no sentence copied from the seed policies.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from harbour.policy.documents import build_policy, render_policy_text
from harbour.policy.documents.audiences import PAGES, build_page
from harbour.policy.documents.text import document_lines
from harbour.policy.tests.spec import SEEDS as SHARED_SEEDS
from harbour.schools.policy_defaults import BY_SLUG

SEEDS = SHARED_SEEDS
DOCUMENTS = Path(__file__).resolve().parents[1] / "documents"

COMMON_SECTIONS = [
    "Aims and principles",
    "Scope",
    "Linked policies",
    "Monitoring and review",
    "Roles and responsibilities",
    "Reporting and responding to concerns",
    "Teaching, training and engagement",
    "Filtering and monitoring",
    "Mobile phones and personal devices",
    "Social media",
    "Email",
    "Images and video",
    "Useful contacts",
]


def _titles(config: dict) -> list[str]:
    return [s.title for s in build_policy(config).all_sections()]


def _top_titles(config: dict) -> list[str]:
    return [s.title for s in build_policy(config).sections]


@pytest.mark.parametrize("slug", ["st-james", "joy-lane"])
def test_every_section_is_present_and_numbered(slug):
    """GOV-09: key details, contents, aims, scope, linked policies and each area's section."""
    doc = build_policy(BY_SLUG[slug])
    top = [s.title for s in doc.sections]
    for title in COMMON_SECTIONS:
        assert title in top, f"{slug} lacks {title}"
    assert [s.number for s in doc.sections] == [str(i) for i in range(1, len(doc.sections) + 1)]
    roles = next(s for s in doc.sections if s.key == "roles")
    assert [s.key for s in roles.subsections] == [
        "leadership", "dsl", "governors", "staff", "technical", "learners", "parents"
    ]  # fmt: skip
    assert roles.subsections[1].number == f"{roles.number}.2"
    assert doc.key_details
    assert doc.contents()
    text = render_policy_text(BY_SLUG[slug])
    assert "Key details" in text
    assert "Contents" in text


def test_remote_learning_only_where_switched_on():
    """RML-01: St James has remote-learning provisions, Joy Lane none."""
    assert "Remote learning" in _top_titles(BY_SLUG["st-james"])
    assert "Remote learning" not in _top_titles(BY_SLUG["joy-lane"])
    switched_off = dict(BY_SLUG["st-james"], remote_learning_provisions_enabled=False)
    assert "Remote learning" not in _top_titles(switched_off)


def test_incident_procedures_follow_the_configuration():
    """REP-04: St James keeps procedures in its child protection policy; Joy Lane in this policy."""
    st_james = _titles(BY_SLUG["st-james"])
    joy_lane = _titles(BY_SLUG["joy-lane"])
    assert "Types of online concern" in st_james
    assert "Cyberbullying" not in st_james
    for title in ("Filtering breaches", "Cyberbullying", "Indecent images of children", "Radicalisation and extremism"):
        assert title in joy_lane
    assert "child protection policy" in render_policy_text(BY_SLUG["st-james"])
    moved = dict(BY_SLUG["st-james"], incident_procedures_location="in_this_policy")
    assert "Illegal content" in _titles(moved)


def test_topic_and_whole_school_scopes_read_differently():
    """GOV-01, GOV-10: the scope section says which kind of policy this is; only a whole-school policy
    has the section on systems, accounts and data (TOOL-*, ACC-*, LP-*, APP-*)."""
    assert "Using technology safely in school" in _top_titles(BY_SLUG["joy-lane"])
    assert "Using technology safely in school" not in _top_titles(BY_SLUG["st-james"])
    assert "This is a topic policy on mobile technology and social media" in render_policy_text(BY_SLUG["st-james"])
    assert "whole-school online safety policy" in render_policy_text(BY_SLUG["joy-lane"])


def test_joy_lane_names_and_positions():
    """GOV-18, ROL-01, FLT-01, DEV-LRN-02: Joy Lane's own names and positions appear."""
    text = render_policy_text(BY_SLUG["joy-lane"])
    for expected in (
        "Joy Lane Primary School",
        "Executive Headteacher",
        "Ms D Hines",
        "Mrs S Strudley",
        "also the online safety lead",
        "Kent Public Service Network (KPSN)",
        "LightSpeed Filtering",
        "MyConcern",
        "hand it in at the school office",
        "Senior Leadership Team (SLT)",
        "Specialist Children's Services",
        "Twitter, Facebook and Class Dojo",
    ):
        assert expected in text, expected
    assert "Named governor for online safety: Mrs S Strudley" in text


def test_st_james_names_and_positions():
    """GOV-18 (two named governors), DEV-VIS-01, SOC-OFF-01 (PTA channels), GOV-06."""
    text = render_policy_text(BY_SLUG["st-james"])
    for expected in (
        "St James' CE Primary School",
        "Named governors for online safety: Jess Austen and Matt Atkinson",
        "Lucy Hayward, Deputy Headteacher",
        "only in the office waiting area",
        "The PTA runs these social media channels",
        "Keeping Children Safe in Education (2020)",
        "the Chair of the PTA",
    ):
        assert expected in text, expected
    assert "Executive Headteacher" not in text


def test_key_dates_and_ratification_status():
    """GOV-02, GOV-03: dates written, agreed, ratified or pending; next review given or worked out."""
    st_james = dict(build_policy(BY_SLUG["st-james"]).key_details)
    assert st_james["Ratified by governors"] == "September 2020"
    assert st_james["Next review"] == "September 2021"
    joy_lane = dict(build_policy(BY_SLUG["joy-lane"]).key_details)
    assert joy_lane["Written or last updated"] == "May 2018"
    assert joy_lane["Agreed"] == "June 2018"
    assert joy_lane["Ratified by governors"].startswith("Pending")
    assert joy_lane["Next review"] == "[not yet set: next review date]; due no later than June 2019"


def test_missing_values_are_marked_not_crashing():
    """GOV-19: an empty or partial configuration renders, with every gap marked "not yet set"."""
    text = render_policy_text({})
    for label in ("school name", "DSL's name", "named governor", "date agreed", "next review date"):
        assert f"[not yet set: {label}]" in text
    partial = {k: v for k, v in BY_SLUG["joy-lane"].items() if k not in {"dsl_name", "named_governors"}}
    text = render_policy_text(partial)
    assert "[not yet set: DSL's name]" in text
    assert "[not yet set: named governor]" in text
    assert render_policy_text({}, school_name="Fallback School").startswith("Fallback School\n")


def test_unknown_values_are_shown_not_guessed():
    """GOV-24: a value this version does not know (another school's choice) is shown as written."""
    odd = dict(BY_SLUG["joy-lane"], learner_phone_rule="phone_lockers", visitor_phone_rule="reception_only")
    text = render_policy_text(odd)
    assert "phone lockers" in text
    assert "reception only" in text


def test_another_school_with_more_people():
    """GOV-18, ROL-01: several governors and deputies, a different head title, no PTA."""
    config = copy.deepcopy(BY_SLUG["joy-lane"])
    config.update(
        school_name="Harbourside Academy",
        head_role_title="Principal",
        named_governors=["A Governor", "B Governor", "C Governor"],
        deputy_dsl_names=["D One", "D Two"],
        dsl_name="E Lead",
    )
    text = render_policy_text(config)
    assert "Named governors for online safety: A Governor, B Governor and C Governor" in text
    assert "Deputy DSLs: D One and D Two" in text
    assert "the Principal" in text
    assert "Joy Lane" not in text.replace("Joy Lane welcome pack", "")


def test_text_is_stable():
    """The VERSIONS diff relies on it: the same configuration always gives the same text."""
    config = BY_SLUG["st-james"]
    reordered = dict(reversed(list(config.items())))
    assert render_policy_text(config) == render_policy_text(config) == render_policy_text(reordered)
    assert all(line == line.strip() and line for line in render_policy_text(config).splitlines())


def test_no_school_value_is_written_into_the_builders():
    """GOV-24: names of the demo schools' people, places and providers come only from configuration."""
    values = [
        "Joy Lane",
        "St James",
        "Hines",
        "Hayward",
        "Strudley",
        "Austen",
        "KPSN",
        "LightSpeed",
        "MyConcern",
        "Kent",
    ]
    for path in DOCUMENTS.glob("*.py"):
        source = path.read_text()
        for value in values:
            assert value not in source, f"{value!r} is written into {path.name}"


@pytest.mark.parametrize("key", sorted(PAGES))
@pytest.mark.parametrize("slug", ["st-james", "joy-lane"])
def test_audience_pages_use_the_schools_names(slug, key):
    """ROL-08..ROL-11, GOV-17, FLT-06, REP-24: each page renders, titled, with the school's name."""
    doc = build_page(key, BY_SLUG[slug])
    lines = document_lines(doc)
    assert lines[0] == BY_SLUG[slug]["school_name"]
    assert doc.sections
    assert not any("[not yet set" in line for line in lines)


def test_responsibilities_cover_every_group():
    """ROL-08, ROL-10 (child-friendly), ROL-11."""
    doc = build_page("responsibilities", BY_SLUG["joy-lane"])
    titles = [s.title for s in doc.sections]
    assert titles == [
        "The Executive Headteacher and the leadership team",
        "The Designated Safeguarding Lead",
        "Governors",
        "All staff",
        "ICT Technician",
        "Learners",
        "Parents and carers",
    ]
    learners = " ".join(document_lines(doc))
    assert "tell a trusted adult" in learners


def test_monitoring_notice_says_what_why_and_who():
    """FLT-06, GOV-17, FLT-10: what is monitored, why, who sees it, the law, and that no filter is perfect."""
    text = " ".join(document_lines(build_page("monitoring-notice", BY_SLUG["joy-lane"])))
    assert "can be monitored" in text
    assert "traced back to the person" in text
    assert "The school monitors for three reasons" in text
    assert "Alerts are seen by the DSL" in text
    assert "GDPR" in text
    assert "No filter or monitoring system can promise" in text


def test_reporting_page_names_the_schools_people():
    """REP-24, ROL-03: who to tell, in the school's names, then local and national help."""
    text = " ".join(document_lines(build_page("reporting", BY_SLUG["st-james"])))
    assert "the DSL (Lucy Hayward) or a deputy DSL" in text
    assert "999" in text
    assert "Childline" in text


def _seed_sentences() -> list[str]:
    sentences = []
    for path in SEEDS.glob("*.md"):
        if path.name == "README.md":
            continue
        text = re.sub(r"[*_#>|`]", " ", path.read_text())
        for sentence in re.split(r"(?<=[.!?])\s+|\n\s*[-•]\s+|\n\n", text):
            words = sentence.split()
            if len(words) >= 10:
                sentences.append(" ".join(words).lower())
    return sentences


@pytest.mark.skipif(not SEEDS.exists(), reason="the shared seed policies are not beside the repository")
def test_no_seed_sentence_is_copied():
    """Our own words: no sentence of ten words or more from either seed policy appears in any
    generated document (values the school configured may quote its policy; sentences may not)."""
    generated = []
    for config in BY_SLUG.values():
        generated.append(render_policy_text(config))
        generated += [" ".join(document_lines(build_page(key, config))) for key in PAGES]
    haystack = " ".join(" ".join(generated).split()).lower()
    sentences = _seed_sentences()
    assert len(sentences) > 200, "the seed policies were not read"
    copied = [s for s in sentences if s.rstrip(".") in haystack]
    assert not copied, copied[:5]


def test_ai_section_appears_only_when_the_school_sets_it():
    """Issue 5 (schema for AI tools): no AI section for the demo schools; one when a school sets it."""
    assert "Generative AI tools" not in _top_titles(BY_SLUG["joy-lane"])
    config = dict(
        BY_SLUG["joy-lane"],
        ai_staff_use="approved_tools_only",
        ai_learner_use="supervised_approved_tools_only",
        ai_approved_tools=["Tool A"],
        ai_personal_data_allowed=False,
    )
    assert "Generative AI tools" in _top_titles(config)
    text = render_policy_text(config)
    assert "approved these tools: Tool A" in text
    assert "never entered into an AI tool" in text


def test_local_names_for_governors_and_guidance():
    """GOV-06, GOV-24: a school outside England, or with a board instead of a governing body, reads right."""
    config = dict(
        BY_SLUG["st-james"],
        governing_body_name="local governing board",
        statutory_guidance_title="Keeping Learners Safe",
        staff_definition_includes=["governors", "volunteers", "supply staff"],
    )
    text = render_policy_text(config)
    assert "the local governing board approves each new version" in text
    assert "Keeping Learners Safe (2020)" in text
    assert "staff in the widest sense: governors, volunteers and supply staff" in text


def test_confiscation_and_search_use_the_structured_values():
    """DEV-CNF-01, DEV-CNF-04, DEV-CNF-05, DEV-SRC-01: may/must, grounds, return time, search rules."""
    st_james = render_policy_text(BY_SLUG["st-james"])
    assert "Staff may confiscate a learner's device on any of these grounds" in st_james
    assert "kept for longer after a repeat offence" in st_james
    assert "Only a member of the leadership team may search a learner's device, once the learner" in st_james
    joy_lane = render_policy_text(BY_SLUG["joy-lane"])
    assert "Staff confiscate a learner's device on any of these grounds" in joy_lane
    assert "- any breach of this policy" in joy_lane
    assert "may search a learner's device" not in joy_lane


def test_builders_are_pure_python():
    """The document model and its builders import nothing from Django, so the text can be built (and
    diffed) anywhere; only the HTML, PDF and DOCX renderers need the web stack."""
    renderers = {"html.py", "pdf.py", "docx.py", "bench.py", "__init__.py"}
    for path in DOCUMENTS.glob("*.py"):
        if path.name in renderers:
            continue
        source = path.read_text()
        assert "django" not in source, path.name
        assert "from harbour" not in source, path.name
