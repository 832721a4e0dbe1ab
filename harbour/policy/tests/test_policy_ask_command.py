"""manage.py policy_ask SCHOOL ACTOR ACTION [--where KEY=VALUE ...] [--json] (issue 5 item 7, GOV-23).

The JSON is exactly {"verdict", "conditions", "clauses", "explanation"}; unknown words and unknown
schools exit with status 2 and a message listing what is valid (policy-questions.md §1).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest
from django.core.management import call_command, execute_from_command_line

from harbour.core.tests import factories as f

from .rules_support import demo_config


@pytest.fixture
def st_james(db):
    return f.SchoolFactory(name="St James' CE Primary School", slug="st-james", policy_settings=demo_config("st-james"))


def _run(*args: str) -> tuple[int, str, str]:
    """Run the command as from a shell, returning (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            execute_from_command_line(["manage.py", "policy_ask", *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_json_answer_with_context(st_james):
    """DEV-LRN-02 with a medical need (St James 6.3.2, 6.3.5): the four JSON fields, nothing else."""
    code, out, _ = _run(
        "st-james", "learner", "bring_personal_phone_on_site", "--where", "reason=medical_need", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"verdict", "conditions", "clauses", "explanation"}
    assert data["verdict"] == "conditional"
    assert data["clauses"] == ["6.3.2", "6.3.5", "6.3.5(a)", "6.3.5(b)"]
    assert data["conditions"]


def test_repeated_where_flags(st_james):
    """DEV-GEN-05: two facts at once; the changing room settles it."""
    code, out, _ = _run(
        "st-james",
        "visitor",
        "use_personal_phone_on_site",
        "--where",
        "location=changing_room",
        "--where",
        "device=smart_watch",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["verdict"] == "forbidden"


def test_readable_answer_without_json(st_james):
    """Without --json the answer reads as text: verdict, conditions, explanation, clauses."""
    out = io.StringIO()
    call_command("policy_ask", "st-james", "staff", "use_personal_phone_in_lesson", stdout=out)
    text = out.getvalue()
    assert text.startswith("Allowed only if:")
    assert "Headteacher" in text
    assert "Clauses: 6.2.2(d)" in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("st-james", "janitor", "send_abusive_message"), "Valid actors: staff, learner"),
        (("st-james", "staff", "fly_drone"), "Valid actions: bring_personal_phone_on_site"),
        (
            ("st-james", "staff", "bring_personal_phone_on_site", "--where", "location=hall"),
            "It accepts: device, reason",
        ),
        (("st-james", "staff", "use_personal_phone_on_site", "--where", "location=moon"), "Valid values: classroom"),
        (("st-james", "staff", "use_personal_phone_on_site", "--where", "location"), "not a KEY=VALUE fact"),
        (("nowhere", "staff", "send_abusive_message"), "No active school has the slug 'nowhere'"),
    ],
)
def test_bad_input_exits_2_with_the_valid_words(st_james, args, expected):
    """policy-questions.md §1: unknown actor, action, key, value or school -> exit status 2, no traceback."""
    code, out, err = _run(*args, "--json")
    assert code == 2
    assert out == ""
    assert expected in err
    assert "Traceback" not in err
