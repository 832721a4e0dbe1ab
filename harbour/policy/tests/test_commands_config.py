"""policy_export and policy_import (GOV-24, GOV-05): round trips, every error with its path, exit
status 2 and nothing changed on bad input, dry runs that change nothing."""

from __future__ import annotations

import copy
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.policy import selectors, services
from harbour.policy.models import PolicyVersion
from harbour.schools import policy_defaults

pytestmark = pytest.mark.django_db


def seed_text(slug: str) -> str:
    return (Path(policy_defaults.SEEDS_DIR) / f"{slug}.yaml").read_text(encoding="utf-8")


@pytest.fixture
def school(world):
    """The persona school running St James' demo policy, adopted as version 1."""
    config = copy.deepcopy(policy_defaults.ST_JAMES)
    config["school_name"] = world.school.name
    services.policy_version_adopt(school=world.school, config=config, note="Adopted", approved_on=None)
    return world.school


def export(slug: str, *extra: str) -> str:
    out = StringIO()
    call_command("policy_export", slug, *extra, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_import(slug: str, path: Path, *extra: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("policy_import", slug, str(path), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("slug", policy_defaults.SLUGS)
def test_export_import_export_round_trips_exactly(world, slug, tmp_path):
    """Issue #5: exporting then importing a school's YAML, then exporting again, gives identical text."""
    config = copy.deepcopy(policy_defaults.BY_SLUG[slug])
    services.policy_version_adopt(school=world.school, config=config, note="", approved_on=None)
    first = export(world.school.slug)
    assert first == seed_text(slug)  # the demo file itself is what export writes
    path = tmp_path / "policy.yaml"
    path.write_text(first.replace("P12M", "P6M", 1), encoding="utf-8")
    run_import(world.school.slug, path)
    changed = export(world.school.slug)
    path.write_text(changed, encoding="utf-8")
    out, _ = run_import(world.school.slug, path)
    assert "nothing to change" in out
    assert export(world.school.slug) == changed
    assert PolicyVersion.objects.filter(school=world.school).count() == 2


def test_import_saves_a_draft_and_lists_the_changes(school, tmp_path):
    """GOV-05: an import becomes the open draft; the published version is untouched."""
    text = export(school.slug).replace(
        "phone_rule: not_allowed_except_written_head_permission", "phone_rule: hand_in_at_office"
    )
    path = tmp_path / "new.yaml"
    path.write_text(text, encoding="utf-8")
    out, err = run_import(school.slug, path)
    assert err == ""
    assert "devices.learners.phone_rule: not_allowed_except_written_head_permission -> hand_in_at_office" in out
    assert "Saved as draft version 2." in out
    assert selectors.working_config(school=school)["learner_phone_rule"] == "hand_in_at_office"
    assert (
        selectors.published_config(school=school)["learner_phone_rule"] == "not_allowed_except_written_head_permission"
    )


def test_dry_run_changes_nothing(school, tmp_path):
    """GOV-24: --dry-run reports what would change and saves nothing."""
    text = export(school.slug).replace("debrief_rule: if_appropriate", "debrief_rule: always")
    path = tmp_path / "new.yaml"
    path.write_text(text, encoding="utf-8")
    before = list(PolicyVersion.objects.values_list("pk", "status", "config"))
    out, _ = run_import(school.slug, path, "--dry-run")
    assert "reporting.debrief_rule: if_appropriate -> always" in out
    assert "Dry run: nothing was saved." in out
    assert list(PolicyVersion.objects.values_list("pk", "status", "config")) == before


def test_import_with_errors_lists_every_one_and_exits_2(school, tmp_path):
    """GOV-24: every error with its path on stderr; exit status 2; nothing saved."""
    text = (
        export(school.slug)
        .replace("phone_rule: not_allowed_except_written_head_permission", "phone_rule: banned")
        .replace("nation: england", "nation: engand")
        .replace("debrief_rule: if_appropriate", "debreif_rule: if_appropriate")
    )
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("policy_import", school.slug, str(path), stdout=StringIO(), stderr=err)
    assert refused.value.returncode == 2
    assert "3 errors; nothing was changed" in str(refused.value)
    raw = err.getvalue().splitlines()
    assert all(re.match(r"^line \d+: ", line) for line in raw)  # issue #21: each error names its line
    lines = [re.sub(r"^line \d+: ", "", line) for line in raw]
    assert len(lines) == 3
    assert any(line.startswith("devices.learners.phone_rule: expected one of ") for line in lines)
    assert any(line.startswith("identity.school.nation: ") for line in lines)
    assert any(
        line.startswith('reporting.debreif_rule: unknown setting; did you mean "debrief_rule"?') for line in lines
    )
    assert PolicyVersion.objects.filter(school=school).count() == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"\xff\xfe\xfd not utf-8", "not UTF-8"),
        (b"identity: [unclosed\n", "not valid YAML"),
        (b"just a sentence\n", "expected a mapping"),
    ],
)
def test_bad_files_are_refused_clearly(school, tmp_path, content, words):
    path = tmp_path / "input.yaml"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("policy_import", school.slug, str(path), stdout=StringIO(), stderr=err)
    assert refused.value.returncode == 2
    assert words in err.getvalue()
    assert PolicyVersion.objects.filter(school=school).count() == 1


def test_unknown_school_and_missing_file_exit_2(school, tmp_path):
    with pytest.raises(CommandError, match="No school has the slug 'nowhere'") as refused:
        call_command("policy_export", "nowhere", stdout=StringIO())
    assert refused.value.returncode == 2
    with pytest.raises(CommandError, match="No school has the slug 'nowhere'"):
        call_command("policy_import", "nowhere", str(tmp_path / "x.yaml"), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read") as refused:
        call_command("policy_import", school.slug, str(tmp_path / "missing.yaml"), stdout=StringIO())
    assert refused.value.returncode == 2
    with pytest.raises(CommandError, match="has no policy version 9"):
        call_command("policy_export", school.slug, "--version", "9", stdout=StringIO())


def test_export_to_a_file_and_a_numbered_version(school, tmp_path):
    services.policy_version_save_draft(
        actor=None,
        school=school,
        config={**selectors.published_config(school=school), "debrief_rule": "always"},
        note="",
    )
    assert "debrief_rule: always" in export(school.slug)
    assert "debrief_rule: if_appropriate" in export(school.slug, "--version", "1")
    target = tmp_path / "out.yaml"
    call_command("policy_export", school.slug, "-o", str(target), stdout=StringIO(), stderr=StringIO())
    assert target.read_text(encoding="utf-8") == export(school.slug)
    with pytest.raises(CommandError, match="Cannot write") as refused:
        call_command(
            "policy_export",
            school.slug,
            "-o",
            str(tmp_path / "no" / "dir" / "x.yaml"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert refused.value.returncode == 2


def test_a_school_without_a_policy_exports_a_loadable_skeleton(world, tmp_path):
    """A school with no configuration yet exports defaults with its name, which imports cleanly."""
    world.school.policy_settings = {}
    world.school.save()
    text = export(world.school.slug)
    assert f"name: {world.school.name}" in text
    path = tmp_path / "skeleton.yaml"
    path.write_text(text, encoding="utf-8")
    _out, err = run_import(world.school.slug, path, "--dry-run")
    assert err == ""
