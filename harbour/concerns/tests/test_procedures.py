"""The default procedures table (REQUIREMENTS section 4, REP-25). Pure Python: no database."""

import pytest

from harbour.concerns import categories, procedures
from harbour.concerns.models import ChecklistStep, SchoolProcedureStep

ALL_CATEGORIES = [category.id for category in categories.CATEGORIES]


def test_every_category_has_a_procedure():
    assert procedures.missing_categories() == []


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_each_procedure_has_at_least_three_steps_with_unique_keys(category):
    steps = procedures.procedure_for(category).steps
    keys = [step.key for step in steps]
    assert len(steps) >= 3
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("category", ALL_CATEGORIES)
def test_steps_fit_the_checklist_columns(category):
    """Keys end up in URLs and unique constraints; texts in a 300-character column."""
    key_length = ChecklistStep._meta.get_field("key").max_length
    text_length = ChecklistStep._meta.get_field("text").max_length
    assert SchoolProcedureStep._meta.get_field("key").max_length == key_length
    for step in procedures.procedure_for(category).steps:
        assert step.key.replace("_", "").replace("-", "").isalnum()
        assert not step.key.startswith("school-"), "school keys are reserved for steps a school adds"
        assert len(step.key) <= key_length
        assert step.text
        assert len(step.text) <= text_length


def test_sexual_imagery_procedure_covers_the_required_steps():
    """INC-YPSI-02: secure the device, decide about parents, refer, support, review."""
    keys = [step.key for step in procedures.procedure_for("youth_produced_sexual_imagery").steps]
    for required in ("dsl_informed", "secure_devices", "assess_risk", "parents", "referral", "support", "review"):
        assert required in keys
    assert keys.index("secure_devices") < keys.index("referral") < keys.index("review")


def test_sexual_imagery_asks_the_immediate_referral_questions_first():
    """INC-YPSI-02 with REP-16: the referral criteria are asked as questions before anything else."""
    steps = procedures.procedure_for("youth_produced_sexual_imagery").steps
    questions = [step.key for step in steps if step.is_question]
    assert questions == [
        "q_immediate_danger",
        "q_adult_involved",
        "q_coercion",
        "q_under_13_or_no_consent",
        "q_violent_or_unusual_acts",
    ]
    assert all(step.is_question for step in steps[: len(questions)])


@pytest.mark.parametrize(
    ("category", "keys"),
    [
        ("online_abuse_exploitation", {"inform_police", "secure_devices", "cse_team", "child_voice", "other_schools"}),
        ("indecent_images_of_children", {"report_iwf", "copies_deleted", "staff_allegation", "do_not_copy"}),
        ("cyberbullying", {"record_people", "anti_bullying", "consider_sanctions", "q_safeguarding_risk"}),
        ("online_hate", {"aimed_or_posted", "q_crime", "seek_advice"}),
        ("radicalisation_extremism", {"prevent_referral", "q_staff_involved", "filtering_check"}),
        ("filtering_breach", {"record_details", "provider", "q_illegal", "parents"}),
        ("staff_misuse_allegation", {"head_informed", "lado", "q_illegal", "procedure_chosen", "outcome"}),
    ],
)
def test_section_four_procedures_carry_their_key_steps(category, keys):
    """INC-CSAE-02, INC-IIOC-03..09, INC-CYB-02/04, INC-HATE-02..05, INC-RAD-02/03, INC-FILT-03..08,
    INC-STAFF-01..04."""
    assert keys <= {step.key for step in procedures.procedure_for(category).steps}


def test_only_questions_carry_referral_text():
    for procedure in procedures.PROCEDURES_LIST:
        for step in procedure.steps:
            assert not step.refer or step.is_question


def test_refer_text_falls_back_to_the_general_banner():
    assert procedures.refer_text("youth_produced_sexual_imagery", "q_adult_involved") == procedures.REFER_NOW
    assert procedures.refer_text("staff_misuse_allegation", "q_illegal") == procedures.REFER_POLICE_LADO
    assert procedures.refer_text("cyberbullying", "school-1") == procedures.REFER_NOW
    assert "999" in procedures.REFER_NOW


def test_positions_leave_room_for_school_steps():
    procedure = procedures.procedure_for("cyberbullying")
    assert [procedure.position_of(step.key) for step in procedure.steps[:3]] == [10, 20, 30]


def test_no_step_asks_anyone_to_copy_or_send_images():
    """INC-YPSI-15: no prompt to upload, send or save suspected images anywhere in the procedures."""
    forbidden = ("upload", "send us", "send a copy", "take a screenshot", "save a copy", "attach")
    for procedure in procedures.PROCEDURES_LIST:
        for step in procedure.steps:
            wording = f"{step.text} {step.guidance}".lower()
            assert not any(phrase in wording for phrase in forbidden), (procedure.category, step.key)
