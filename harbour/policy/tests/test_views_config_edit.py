"""The in-browser settings editor: forms generated from the schema, checked by validate(), previewed,
then saved to the draft (GOV-24, GOV-05, GOV-19)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from harbour.audit.models import AuditEvent
from harbour.policy import selectors, services
from harbour.policy.forms_config_edit import SECTIONS, from_text, to_text
from harbour.policy.models import PolicyVersion
from harbour.policy.rules import config_io, schema
from harbour.policy.rules.config_io import dump_yaml, exportable

pytestmark = pytest.mark.django_db

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.yaml"))
SECTION_KEYS = [s.key for s in SECTIONS]


def seed_config(path: Path) -> dict[str, Any]:
    config, errors = config_io.load_yaml(path.read_text(encoding="utf-8"))
    assert not errors
    return config


@pytest.fixture(params=SEEDS, ids=[p.stem for p in SEEDS])
def school(request, world):
    """The test school with a demo policy as its settings (no version recorded yet)."""
    world.school.policy_settings = seed_config(request.param)
    world.school.save(update_fields=["policy_settings"])
    return world.school


@pytest.fixture
def st_james(world):
    world.school.policy_settings = seed_config(next(p for p in SEEDS if p.stem == "st-james"))
    world.school.save(update_fields=["policy_settings"])
    return world.school


def url(school, name: str, **kwargs: str) -> str:
    return reverse(f"policy:{name}", kwargs={"school_slug": school.slug, **kwargs})


def section_url(school, key: str) -> str:
    return url(school, "config_edit_section", section=key)


def form_data(client, school, key: str) -> dict[str, str]:
    """What the browser would post back untouched."""
    response = client.get(section_url(school, key))
    assert response.status_code == 200
    return dict(response.context["form"].initial)


def working_yaml(school) -> str:
    return dump_yaml(exportable(selectors.working_config(school=school), school_name=school.name))


def post_change(client, school, key: str, **changes: str):
    data = form_data(client, school, key)
    data.update(changes)
    return client.post(section_url(school, key), data)


def confirm(client, school, response, note: str = ""):
    form = response.context["confirm"]
    data = {name: form.initial[name] for name in ("section", "changes", "base")}
    return client.post(url(school, "config_edit_confirm"), {**data, "note": note})


@pytest.mark.parametrize("persona", ["teacher", "governor", "outsider", "deputy", "technician"])
def test_everyone_but_managers_gets_404(st_james, client_for, persona):
    """MANAGE_POLICY only: a governor (VIEW_POLICY_RECORDS) cannot edit; others learn nothing."""
    client = client_for(persona)
    before = working_yaml(st_james)
    assert client.get(url(st_james, "config_edit")).status_code == 404
    assert client.get(section_url(st_james, "devices")).status_code == 404
    assert client.post(section_url(st_james, "reporting"), {"debrief_rule": "always"}).status_code == 404
    payload = {"section": "reporting", "changes": '{"debrief_rule": "always"}', "base": "x"}
    assert client.post(url(st_james, "config_edit_confirm"), payload).status_code == 404
    assert not PolicyVersion.objects.filter(school=st_james).exists()
    assert working_yaml(st_james) == before


def test_unknown_section_is_404(st_james, client_for):
    assert client_for("dsl").get(section_url(st_james, "nowhere")).status_code == 404


def test_index_counts_and_missing_key_details(school, client_for):
    """GOV-19: the index counts stated settings per section and links each missing key detail."""
    response = client_for("dsl").get(url(school, "config_edit"))
    assert response.status_code == 200
    rows = response.context["sections"]
    assert [r["section"].key for r in rows] == SECTION_KEYS
    # Lists of records (key people, bodies) are edited in the YAML file only (issue #21).
    in_form = [v for v in schema.VARIABLES if not v.extra.get("yaml_only")]
    assert sum(r["stated"] + r["not_stated"] for r in rows) == len(in_form)
    missing = config_io.missing_key_details(school.policy_settings)
    assert [m["label"] for m in response.context["missing"]] == missing
    body = response.content.decode()
    for item in response.context["missing"]:
        assert f"{section_url(school, item['section'])}#f-{item['name']}" in body


def test_a_missing_key_detail_is_highlighted(st_james, client_for):
    """GOV-19: removing the DSL's name shows it as missing, linked to its field."""
    config = {**st_james.policy_settings, "dsl_name": None}
    st_james.policy_settings = config
    st_james.save(update_fields=["policy_settings"])
    body = client_for("dsl").get(url(st_james, "config_edit")).content.decode()
    assert f"{section_url(st_james, 'people')}#f-dsl_name" in body
    assert "Designated safeguarding lead" in body


@pytest.mark.parametrize("key", SECTION_KEYS)
def test_every_section_renders_and_an_untouched_form_changes_nothing(school, client_for, key):
    """GOV-24: every variable of the section has a field; posting it back unchanged finds no change
    (so every type, lists and contacts included, round-trips through its widget)."""
    client = client_for("dsl")
    response = client.get(section_url(school, key))
    assert response.status_code == 200
    body = response.content.decode()
    section = next(s for s in SECTIONS if s.key == key)
    for var in section.variables:
        assert f'name="{var.name}"' in body, var.name
        assert f"<code>{var.path}</code>" in body
    posted = client.post(section_url(school, key), form_data(client, school, key))
    assert posted.status_code == 200
    assert posted.context.get("config_errors") is None
    assert posted.context["rows"] == []
    assert "nothing to save" in posted.content.decode()


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_every_value_of_the_demo_configs_round_trips_through_its_widget(seed):
    config = seed_config(seed)
    for var in schema.VARIABLES:
        assert from_text(var, to_text(var, config.get(var.name))) == config.get(var.name), var.name


def test_invalid_enum_shows_the_error_and_changes_nothing(st_james, client_for):
    """GOV-24: the schema's own message, at the field and at the top; nothing is saved."""
    client = client_for("dsl")
    before = working_yaml(st_james)
    # school_phase is not a field of this section: posting it changes nothing either.
    response = post_change(client, st_james, "devices", learner_phone_rule="banned", school_phase="x")
    assert response.status_code == 200
    assert "rows" not in response.context  # no preview
    paths = [e["path"] for e in response.context["config_errors"]]
    assert paths == ["devices.learners.phone_rule"]
    errors = response.context["form"].errors["learner_phone_rule"]
    allowed = ", ".join(schema.BY_NAME["learner_phone_rule"].choices)
    assert errors == [f'expected one of {allowed}; got "banned"']
    body = response.content.decode()
    assert "<code>devices.learners.phone_rule</code>" in body
    assert "1 problem found" in body
    assert not PolicyVersion.objects.filter(school=st_james).exists()
    assert working_yaml(st_james) == before


def test_several_errors_are_all_shown_each_at_its_field(st_james, client_for):
    client = client_for("dsl")
    response = post_change(
        client,
        st_james,
        "guidance",
        kcsie_edition="twenty",
        local_online_safety_contacts="Help desk | | not-an-email\n | adviser",
        click_ceop_button="maybe",
    )
    form = response.context["form"]
    assert form.errors["kcsie_edition"] == ['expected a year such as 2024; got "twenty"']
    assert form.errors["click_ceop_button"] == ['expected true or false; got "maybe"']
    assert form.errors["local_online_safety_contacts"] == [
        'line 1, email: expected an email address; got "not-an-email"',
        "line 2, name: every contact needs a name",
    ]
    assert len(response.context["config_errors"]) == 4
    assert not PolicyVersion.objects.filter(school=st_james).exists()


def test_valid_change_previews_then_saves_exactly_that_change(st_james, client_for):
    """GOV-05: old -> new preview; confirming saves a draft whose YAML differs by that one line."""
    client = client_for("dsl")
    before = working_yaml(st_james)
    response = post_change(client, st_james, "reporting", debrief_rule="always")
    rows = response.context["rows"]
    assert [(r["path"], r["old"], r["new"]) for r in rows] == [("reporting.debrief_rule", "if_appropriate", "always")]
    assert not PolicyVersion.objects.filter(school=st_james).exists()  # the preview saves nothing
    saved = confirm(client, st_james, response, note="Debrief every time")
    draft = selectors.open_version(school=st_james)
    assert saved.status_code == 302
    assert saved["Location"] == url(st_james, "version_detail", pk=str(draft.pk))
    assert draft.status == PolicyVersion.Status.DRAFT
    assert draft.change_note == "Debrief every time"
    after = working_yaml(st_james)
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert diff == ["-  debrief_rule: if_appropriate", "+  debrief_rule: always"]
    assert AuditEvent.objects.filter(school=st_james, action="policy_version.create").count() == 1


def test_a_published_version_is_never_edited(world, client_for):
    """Saving always goes to a draft; the version in force keeps its settings."""
    config = seed_config(next(p for p in SEEDS if p.stem == "st-james"))
    published = services.policy_version_adopt(school=world.school, config=config, note="", approved_on=None)
    client = client_for("dsl")
    confirm(client, world.school, post_change(client, world.school, "people", dsl_name="New Lead"))
    published.refresh_from_db()
    assert published.config["dsl_name"] == config["dsl_name"]
    assert selectors.published_config(school=world.school)["dsl_name"] == config["dsl_name"]
    assert selectors.open_version(school=world.school).config["dsl_name"] == "New Lead"
    # A second edit changes the same draft, not a new version.
    confirm(client, world.school, post_change(client, world.school, "reporting", debrief_rule="always"))
    draft = selectors.open_version(school=world.school)
    assert PolicyVersion.objects.filter(school=world.school).count() == 2
    assert (draft.config["dsl_name"], draft.config["debrief_rule"]) == ("New Lead", "always")
    assert AuditEvent.objects.filter(school=world.school, action="policy_version.save_draft").count() == 1


def test_bool_not_stated_stays_none(st_james, client_for):
    """None (the policy is silent) is a choice of its own, kept through an edit and choosable."""
    client = client_for("dsl")
    assert st_james.policy_settings["dsl_is_online_safety_lead"] is None
    data = form_data(client, st_james, "people")
    assert data["dsl_is_online_safety_lead"] == ""
    response = post_change(client, st_james, "people", dsl_job_title="Deputy Head")
    confirm(client, st_james, response)
    config = selectors.working_config(school=st_james)
    assert config["dsl_is_online_safety_lead"] is None
    assert config["dsl_job_title"] == "Deputy Head"
    # yes -> not stated
    assert config["device_free_rule_extends_to_visits"] is True
    response = post_change(client, st_james, "devices", device_free_rule_extends_to_visits="")
    assert [(r["old"], r["new"]) for r in response.context["rows"]] == [("yes", "(not stated)")]
    confirm(client, st_james, response)
    assert selectors.working_config(school=st_james)["device_free_rule_extends_to_visits"] is None


def test_list_fields_round_trip(st_james, client_for):
    """text[], role[] and contact[] are edited one item per line; (none) is an empty list."""
    client = client_for("dsl")
    response = post_change(
        client,
        st_james,
        "people",
        deputy_dsl_names="Sarah Okonjo\r\n\r\n  Sam Second  \r\n",
        pta_officers="pta_chair\npta_member",
        staff_definition_includes="(none)",
    )
    confirm(client, st_james, response)
    response = post_change(
        client,
        st_james,
        "guidance",
        local_online_safety_contacts="Area adviser | Adviser | adviser@example.org | 0100 | https://example.org\n"
        "Bar \\| Grill | | | | | 2025-09-01",
    )
    confirm(client, st_james, response)
    config = selectors.working_config(school=st_james)
    assert config["deputy_dsl_names"] == ["Sarah Okonjo", "Sam Second"]
    assert config["pta_officers"] == ["pta_chair", "pta_member"]
    assert config["staff_definition_includes"] == []
    assert config["local_online_safety_contacts"] == [
        {
            "name": "Area adviser",
            "role": "Adviser",
            "email": "adviser@example.org",
            "phone": "0100",
            "url": "https://example.org",
            "last_verified": None,
        },
        {"name": "Bar | Grill", "role": "", "email": "", "phone": "", "url": "", "last_verified": "2025-09-01"},
    ]
    # Shown again exactly as saved, so a second untouched post changes nothing.
    for key in ("people", "guidance"):
        assert post_change(client, st_james, key).context["rows"] == []
    # And the YAML export reads back to the same configuration.
    again, errors = config_io.load_yaml(working_yaml(st_james))
    assert not errors
    assert again == exportable(config)


def test_an_invalid_role_in_a_list_points_at_its_line(st_james, client_for):
    response = post_change(client_for("dsl"), st_james, "people", pta_officers="pta_chair\npta_boss")
    assert response.context["form"].errors["pta_officers"][0].startswith("line 2: expected one of dsl,")


def test_a_stale_preview_is_shown_again_not_saved(st_james, client_for):
    """If the draft changed after the preview, the change is re-applied and shown again, not saved."""
    client = client_for("dsl")
    response = post_change(client, st_james, "reporting", debrief_rule="always")
    meanwhile = {**selectors.working_config(school=st_james), "dsl_name": "Someone Else"}
    services.policy_version_save_draft(actor=None, school=st_james, config=meanwhile, note="meanwhile")
    again = confirm(client, st_james, response)
    assert again.status_code == 200
    assert "changed since this preview" in again.content.decode()
    assert selectors.working_config(school=st_james)["debrief_rule"] == "if_appropriate"
    # Confirming the fresh preview keeps both changes.
    confirm(client, st_james, again)
    config = selectors.working_config(school=st_james)
    assert (config["debrief_rule"], config["dsl_name"]) == ("always", "Someone Else")


def test_a_version_with_the_governors_is_not_changed(st_james, client_for, world):
    """A version awaiting approval must go back to draft first (GOV-05); the editor says so."""
    draft = services.policy_version_save_draft(
        actor=None, school=st_james, config=dict(st_james.policy_settings), note="draft"
    )
    for step in (
        services.policy_version_start_consultation,
        services.policy_version_submit_for_approval,
    ):
        draft = step(actor=world.dsl, version=draft)
    client = client_for("dsl")
    assert "take it back to draft" in client.get(url(st_james, "config_edit")).content.decode()
    response = confirm(client, st_james, post_change(client, st_james, "reporting", debrief_rule="always"))
    assert response.status_code == 200
    assert "return it to draft" in response.content.decode()
    draft.refresh_from_db()
    assert draft.config["debrief_rule"] == "if_appropriate"


def test_tampered_confirmation_changes_nothing(st_james, client_for):
    client = client_for("dsl")
    bad = [
        {"section": "reporting", "changes": "not json", "base": "x"},
        {"section": "reporting", "changes": '{"nonsense": 1}', "base": "x"},
        {"section": "nowhere", "changes": '{"debrief_rule": "always"}', "base": "x"},
    ]
    for payload in bad:
        assert client.post(url(st_james, "config_edit_confirm"), payload).status_code == 302
    # A setting of another section than the one previewed is refused outright.
    payload = {"section": "reporting", "changes": '{"dsl_name": "Mallory"}', "base": "x"}
    assert client.post(url(st_james, "config_edit_confirm"), payload).status_code == 404
    # A valid-looking change with a bad value is checked again.
    payload = {"section": "reporting", "changes": '{"debrief_rule": "never"}', "base": "x"}
    response = client.post(url(st_james, "config_edit_confirm"), payload)
    assert response.context["form"].errors["debrief_rule"]
    assert not PolicyVersion.objects.filter(school=st_james).exists()


def test_links_to_the_editor(world, client_for):
    """Managers find the editor in the policy menu and on a draft's page."""
    config = seed_config(next(p for p in SEEDS if p.stem == "joy-lane"))
    draft = services.policy_version_save_draft(actor=None, school=world.school, config=config, note="")
    edit = url(world.school, "config_edit")
    detail = url(world.school, "version_detail", pk=str(draft.pk))
    assert edit in client_for("dsl").get(detail).content.decode()
    assert edit in client_for("dsl").get(url(world.school, "home")).content.decode()
    assert edit not in client_for("governor").get(url(world.school, "home")).content.decode()
