"""Real histories from the command line (issue #21 point 4; GOV-02, GOV-05, GOV-24).

* ``policy_import --approved`` brings in a policy the school already approved, with its own dates;
* ``policy_version`` moves a version through the workflow as a named member, with the same checks;
* ``policy_export --diff-from-preset`` prints only what the school changed.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.policy import selectors
from harbour.policy.models import PolicyVersion
from harbour.policy.rules import engine
from harbour.policy.rules.config_io import load_yaml

pytestmark = pytest.mark.django_db

APPROVED = """harbour_policy: 1
preset: blank
identity:
  school:
    name: Alpha Primary School
  dates:
    written: 2024-01-16
    agreed: 2024-01-30
    next_review: 2025-01-31
people:
  dsl:
    name: A Person
  governors:
    named: [B Person]
rules:
  use_personal_phone_on_site:
    verdict: conditional
    conditions:
      - not_in_places: [changing_room, toilet, swimming_pool, playground]
"""


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_approved_policy_comes_in_with_its_own_history_and_answers_at_once(world, tmp_path):
    path = tmp_path / "approved.yaml"
    path.write_text(APPROVED, encoding="utf-8")
    out, _ = run("policy_import", "alpha", str(path), "--approved", "--reference", "LGB minute 4.2")
    assert "approved on 2024-01-30" in out
    version = PolicyVersion.objects.get(school=world.school)
    assert version.status == PolicyVersion.Status.PUBLISHED
    assert version.approved_on.isoformat() == "2024-01-30"
    assert version.approval_reference == "LGB minute 4.2"
    # Its own dates stay as the school wrote them, to the day.
    assert version.config["date_agreed"] == "2024-01-30"
    assert version.config["next_review_date"] == "2025-01-31"
    config = selectors.published_config(school=world.school)
    answer = engine.ask(config, "visitor", "use_personal_phone_on_site", {"location": "toilet"})
    assert answer.verdict == "forbidden"


def test_approved_import_needs_the_agreed_date(world, tmp_path):
    path = tmp_path / "no-date.yaml"
    path.write_text(APPROVED.replace("    agreed: 2024-01-30\n", ""), encoding="utf-8")
    with pytest.raises(CommandError) as err:
        run("policy_import", "alpha", str(path), "--approved")
    assert err.value.returncode == 2
    assert not PolicyVersion.objects.filter(school=world.school).exists()


def test_import_errors_name_the_line_and_the_fix(world, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("harbour_policy: 1\nidentity:\n  school:\n    name: Foo: Bar\n    nmae: x\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run("policy_import", "alpha", str(path))
    # (stderr is written before the error is raised; read it by calling again with our own stream)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("policy_import", "alpha", str(path), stdout=StringIO(), stderr=err)
    assert "line 4" in err.getvalue()
    assert 'quote this value: "Foo: Bar"' in err.getvalue()


def _draft(world, tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(APPROVED, encoding="utf-8")
    run("policy_import", "alpha", str(path))


def test_the_workflow_runs_from_the_command_line(world, tmp_path):
    _draft(world, tmp_path)
    assert "consultation" in run("policy_version", "alpha", "consult", "--as", "head@alpha.test")[0]
    assert "awaiting" in run("policy_version", "alpha", "submit", "--as", "head@alpha.test")[0].lower()
    out, _ = run(
        "policy_version", "alpha", "approve", "--as", "head@alpha.test", "--date", "2024-02-01", "--reference", "FGB 3"
    )
    assert "approved" in out
    run("policy_version", "alpha", "publish", "--as", "head@alpha.test")
    version = PolicyVersion.objects.get(school=world.school)
    assert version.status == PolicyVersion.Status.PUBLISHED
    assert version.config["date_agreed"] == "2024-02-01"


@pytest.mark.parametrize("email", ["teacher@alpha.test", "dsl@beta.test", "nobody@example.test"])
def test_the_workflow_refuses_people_who_may_not_and_outsiders_alike(world, tmp_path, email):
    _draft(world, tmp_path)
    with pytest.raises(CommandError) as err:
        run("policy_version", "alpha", "consult", "--as", email)
    assert err.value.returncode == 2
    assert PolicyVersion.objects.get(school=world.school).status == PolicyVersion.Status.DRAFT
    if email != "teacher@alpha.test":  # another school's DSL reads exactly what a stranger reads
        assert str(err.value) == "No active member of Alpha Primary School has that email."


def test_a_step_out_of_order_is_refused(world, tmp_path):
    _draft(world, tmp_path)
    with pytest.raises(CommandError):
        run("policy_version", "alpha", "publish", "--as", "head@alpha.test")
    assert PolicyVersion.objects.get(school=world.school).status == PolicyVersion.Status.DRAFT


def test_export_diff_from_preset_prints_only_the_changes(world, tmp_path):
    _draft(world, tmp_path)
    text = run("policy_export", "alpha", "--diff-from-preset")[0]
    assert "preset: blank" in text
    assert "not_in_places" in text
    assert "devices:" not in text  # nothing changed there
    back, errors = load_yaml(text)
    assert errors == []
    assert back["rules"] == selectors.working_config(school=world.school)["rules"]


def test_policy_ask_can_answer_from_the_draft(world, tmp_path):
    _draft(world, tmp_path)
    args = ("policy_ask", "alpha", "visitor", "use_personal_phone_on_site", "--where", "location=toilet", "--json")
    assert '"forbidden"' in run(*args, "--draft")[0]
    assert '"forbidden"' not in run(*args)[0]  # nothing is published yet
