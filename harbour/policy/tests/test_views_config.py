"""Web import/export of the policy configuration with a preview, and the schema page (GOV-24, GOV-05)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from harbour.policy import selectors, services
from harbour.policy.models import PolicyVersion
from harbour.policy.rules.config_io import dump_yaml, exportable
from harbour.policy.tests.test_config_io import PLANTED
from harbour.schools import policy_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(world):
    config = copy.deepcopy(policy_defaults.ST_JAMES)
    services.policy_version_adopt(school=world.school, config=config, note="Adopted", approved_on=None)
    return world.school


def url(school, name: str) -> str:
    return reverse(f"policy:{name}", kwargs={"school_slug": school.slug})


def upload(client, school, text: str | bytes, name: str = "policy.yaml"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(url(school, "config"), {"file": SimpleUploadedFile(name, data, "application/yaml")})


def current_yaml(school) -> str:
    return dump_yaml(exportable(selectors.working_config(school=school), school_name=school.name))


@pytest.mark.parametrize("persona", ["dsl", "head", "slt", "admin"])
def test_managers_see_the_page_and_download_the_yaml(school, client_for, persona):
    """GOV-24: MANAGE_POLICY downloads exactly what policy_export writes."""
    client = client_for(persona)
    assert client.get(url(school, "config")).status_code == 200
    response = client.get(url(school, "config_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{school.slug}-policy.yaml"'
    assert response.content.decode() == current_yaml(school)
    old = client.get(url(school, "config_export") + "?version=1")
    assert old.status_code == 200
    assert f"{school.slug}-policy-v1.yaml" in old["Content-Disposition"]


@pytest.mark.parametrize("persona", ["teacher", "deputy", "governor", "technician", "office", "support", "outsider"])
def test_everyone_else_gets_404_on_import_and_export(school, client_for, persona):
    """MANAGE_POLICY only; others learn nothing (404)."""
    client = client_for(persona)
    assert client.get(url(school, "config")).status_code == 404
    assert client.get(url(school, "config_export")).status_code == 404
    assert upload(client, school, current_yaml(school)).status_code == 404
    assert client.post(url(school, "config_import_confirm"), {"yaml_text": "x", "base": "y"}).status_code == 404
    assert PolicyVersion.objects.filter(school=school).count() == 1


def test_bad_version_numbers_are_404(school, client_for):
    client = client_for("dsl")
    assert client.get(url(school, "config_export") + "?version=99").status_code == 404
    assert client.get(url(school, "config_export") + "?version=abc").status_code == 404


def test_upload_with_ten_mistakes_lists_ten_errors_and_saves_nothing(school, client_for):
    """Issue #5: every error with its path; nothing changes."""
    text = current_yaml(school)
    for good, bad, _ in PLANTED:
        text = text.replace(good, bad)
    response = upload(client_for("dsl"), school, text)
    assert response.status_code == 200
    errors = response.context["config_errors"]
    assert len(errors) == 10
    body = response.content.decode()
    assert "10 problems found" in body
    for _, _, path in PLANTED:
        assert f"<code>{path}</code>" in body
    assert PolicyVersion.objects.filter(school=school).count() == 1


@pytest.mark.parametrize(("content", "words"), [(b"\x00\x01binary", "binary file"), (b"key: [", "not valid YAML")])
def test_unreadable_uploads_are_refused(school, client_for, content, words):
    response = upload(client_for("dsl"), school, content)
    assert words in response.content.decode()
    assert PolicyVersion.objects.filter(school=school).count() == 1


def test_preview_then_save_as_draft(school, client_for):
    """GOV-05: the preview lists old -> new; confirming saves the open draft; published is untouched."""
    client = client_for("dsl")
    text = current_yaml(school).replace("debrief_rule: if_appropriate", "debrief_rule: always")
    response = upload(client, school, text)
    rows = response.context["rows"]
    assert [(r["path"], r["old"], r["new"]) for r in rows] == [("reporting.debrief_rule", "if_appropriate", "always")]
    assert PolicyVersion.objects.filter(school=school).count() == 1  # the preview saves nothing
    confirm = response.context["confirm"]
    saved = client.post(
        url(school, "config_import_confirm"),
        {"yaml_text": confirm.initial["yaml_text"], "base": confirm.initial["base"], "note": "Debrief every time"},
    )
    draft = selectors.open_version(school=school)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("policy:version_detail", kwargs={"school_slug": school.slug, "pk": draft.pk})
    assert draft.config["debrief_rule"] == "always"
    assert draft.change_note == "Debrief every time"
    assert selectors.published_config(school=school)["debrief_rule"] == "if_appropriate"


def test_identical_file_has_nothing_to_save(school, client_for):
    response = upload(client_for("dsl"), school, current_yaml(school))
    assert response.context["rows"] == []
    assert "nothing to save" in response.content.decode()


def test_a_stale_preview_is_shown_again_not_saved(school, client_for):
    """If the draft changed after the preview, the user checks again before anything is saved."""
    client = client_for("dsl")
    text = current_yaml(school).replace("debrief_rule: if_appropriate", "debrief_rule: always")
    confirm = upload(client, school, text).context["confirm"]
    config = {**selectors.working_config(school=school), "dsl_name": "Someone Else"}
    services.policy_version_save_draft(actor=None, school=school, config=config, note="meanwhile")
    response = client.post(
        url(school, "config_import_confirm"),
        {"yaml_text": confirm.initial["yaml_text"], "base": confirm.initial["base"]},
    )
    assert response.status_code == 200
    assert "changed since this preview" in response.content.decode()
    assert selectors.working_config(school=school)["debrief_rule"] == "if_appropriate"


def test_confirm_with_tampered_text_is_checked_again(school, client_for):
    client = client_for("dsl")
    response = client.post(url(school, "config_import_confirm"), {"yaml_text": "identity: 5\n", "base": "x"})
    assert response.status_code == 200
    assert "<code>identity</code>" in response.content.decode()
    assert PolicyVersion.objects.filter(school=school).count() == 1


@pytest.mark.parametrize("persona", ["teacher", "governor", "dsl", "technician"])
def test_schema_page_for_everyone_who_reads_policy_records(school, client_for, persona):
    """GOV-24: every variable, its type and help, in the browser."""
    response = client_for(persona).get(url(school, "config_schema"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<code>devices.learners.phone_rule</code>" in body
    assert "not_allowed_except_written_head_permission" in body
    assert "needed to publish" in body
    assert ("Import or export the settings" in body) is (persona == "dsl")


def test_schema_page_is_404_for_another_school(school, client_for):
    assert client_for("outsider").get(url(school, "config_schema")).status_code == 404


def test_seed_file_is_what_the_browser_downloads_for_a_demo_school(world, client_for):
    """The demo YAML is the canonical export of the demo policy."""
    config = copy.deepcopy(policy_defaults.JOY_LANE)
    services.policy_version_adopt(school=world.school, config=config, note="", approved_on=None)
    response = client_for("dsl").get(url(world.school, "config_export"))
    seed = (Path(policy_defaults.SEEDS_DIR) / "joy-lane.yaml").read_text(encoding="utf-8")
    assert response.content.decode() == seed


def test_upload_errors_show_the_line_and_how_to_fix_it(school, client_for):
    """Issue #21 point 6: the web preview gives the same line numbers and hints as the command line."""
    text = current_yaml(school).replace("name: ", "name: Foo: Bar ", 1)
    body = upload(client_for("dsl"), school, text).content.decode()
    assert "Line " in body or "line " in body
    assert "How to fix it: quote this value" in body
    assert PolicyVersion.objects.filter(school=school).count() == 1
