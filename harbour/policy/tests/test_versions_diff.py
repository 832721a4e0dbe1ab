"""The diff of two versions: settings variable by variable and the rendered text word by word (GOV-05)."""

from __future__ import annotations

from harbour.policy import diff
from harbour.policy.tests.helpers import base_config


def test_config_diff_lists_changed_added_removed_with_schema_labels():
    """GOV-05: one row per variable that differs, labelled and with its YAML path."""
    old = base_config(kcsie_edition=2020, covid_guidance_cited="Covid guidance")
    new = base_config(kcsie_edition=2025, covid_guidance_cited=None, deputy_dsl_names=["A", "B"])
    rows = {row.name: row for row in diff.config_diff(old, new)}
    assert rows["kcsie_edition"].change == "changed"
    assert (rows["kcsie_edition"].old, rows["kcsie_edition"].new) == ("2020", "2025")
    assert rows["kcsie_edition"].path == "guidance.statutory.edition"  # the YAML path, from the schema
    assert "edition" in rows["kcsie_edition"].label.lower()
    assert rows["covid_guidance_cited"].change == "removed"
    assert rows["deputy_dsl_names"].new == "A\nB"
    assert "school_name" not in rows


def test_config_diff_covers_the_clause_map():
    """GOV-05: a clause reference added to a row shows as a change of that row."""
    old = {"clauses": {"DEV-LRN-02": ["6.3.2"]}}
    new = {"clauses": {"DEV-LRN-02": ["6.3.2", "6.3.3"], "GOV-19": ["KD(a)"]}}
    rows = {row.name: row for row in diff.config_diff(old, new)}
    assert rows["clauses.DEV-LRN-02"].new == "6.3.2, 6.3.3"
    assert rows["clauses.GOV-19"].change == "added"


def test_text_diff_marks_changed_words_only():
    """GOV-05: a changed line is paired with its new form, only the changed words highlighted."""
    old = "Title\nThe DSL is Dee Lead.\nUnchanged line\nRemoved line\n"
    new = "Title\nThe DSL is Nova Lead.\nUnchanged line\n"
    rows = diff.text_diff(old, new, context=None)
    changed = next(r for r in rows if r.kind == "changed")
    assert [s.text for s in changed.old if s.changed] == ["Dee"]
    assert [s.text for s in changed.new if s.changed] == ["Nova"]
    assert "".join(s.text for s in changed.new) == "The DSL is Nova Lead."
    assert [r.kind for r in rows] == ["same", "changed", "same", "removed"]


def test_text_diff_context_skips_long_unchanged_runs():
    """GOV-05: only the neighbourhood of a change is shown unless the whole text is asked for."""
    old = "\n".join(f"line {i}" for i in range(20))
    new = old.replace("line 10", "line ten")
    rows = diff.text_diff(old, new, context=1)
    assert None in rows
    assert len([r for r in rows if r is not None]) == 3


def test_rendered_text_of_two_versions_differs_where_the_config_does():
    """GOV-05: the documents package renders each version; the DSL's new name shows in the text diff."""
    old_text = diff.render_text(base_config(), school_name="Alpha")
    new_text = diff.render_text(base_config(dsl_name="Nova Lead"), school_name="Alpha")
    if old_text is None:  # documents package not installed in this checkout
        return
    rows = [r for r in diff.text_diff(old_text, new_text, context=None) if r.kind != "same"]
    assert rows
    assert any(seg.text == "Nova" and seg.changed for r in rows for seg in r.new)
