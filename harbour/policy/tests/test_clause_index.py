"""Two numberings (GOV-09, GOV-23): the rules engine and the "Can I…?" guide cite the school's adopted
policy in its own clause numbering; the generated document shows those refs under each of its sections
and indexes them, so every citation can be found, and followed, in the document Harbour publishes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from docx import Document
from playwright.sync_api import expect

# The browser fixtures live in core's e2e conftest; importing them makes them available here.
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    PageWatch,
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    watched_page,
)
from harbour.policy.documents import clause_index, render_policy_docx
from harbour.policy.documents.builder import build_policy
from harbour.policy.documents.clauses import LABEL, clause_line, clause_sort_key, compress, parent_clause
from harbour.policy.documents.html import render_policy_html_context
from harbour.policy.documents.model import KEY_DETAILS_ANCHOR
from harbour.policy.documents.pdf import document_html, render_policy_pdf
from harbour.policy.rules import config_io, engine
from harbour.policy.rules.guide import AUDIENCES, build_guide
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS, CONTEXT_KEYS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SLUGS = ("st-james", "joy-lane")


def _seed(slug: str) -> dict:
    config, errors = config_io.load_yaml((SEEDS / f"{slug}.yaml").read_text())
    assert not errors, errors
    return config


def _cited(config: dict) -> dict[str, set[str]]:
    """Every clause ref the engine can cite for this school -> the questions citing it: every actor
    and action, asked with no context and with each single context value the action accepts."""
    cited: dict[str, set[str]] = {}
    for action, spec in ACTIONS.items():
        situations = [{}] + [{key: value} for key in spec.context_keys for value in CONTEXT_KEYS[key]]
        for actor in ACTORS:
            for where in situations:
                for ref in engine.ask(config, actor, action, where).clauses:
                    cited.setdefault(ref, set()).add(f"{actor} {action} {where}")
    return cited


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


@pytest.mark.parametrize("slug", SLUGS)
def test_every_clause_the_engine_cites_is_in_the_generated_document(slug):
    """GOV-23: whatever the engine answers, each clause it cites is held by a section of the school's
    generated policy (so a reader can find "9.3 p2" there). Both demo schools: no exceptions."""
    config = _seed(slug)
    cited = _cited(config)
    assert len(cited) > 50, "the engine cited too little to prove anything"
    index = clause_index(config)
    missing = {ref: sorted(questions)[:2] for ref, questions in cited.items() if ref not in index}
    assert not missing, missing


@pytest.mark.parametrize("slug", SLUGS)
def test_every_clause_of_the_demo_clause_maps_has_a_section(slug):
    """GOV-09: beyond what the engine cites, every ref of the demo schools' clause maps has a home in
    the generated document (rows about product features, e.g. GOV-22 and GOV-23, share their refs with
    rows that do). A new row without a home shows up here, with the rows holding the ref."""
    config = _seed(slug)
    index = clause_index(config)
    rows_of: dict[str, list[str]] = {}
    for row, refs in config["clauses"].items():
        for ref in refs:
            rows_of.setdefault(str(ref), []).append(row)
    missing = {ref: rows for ref, rows in rows_of.items() if ref not in index}
    assert not missing, missing


@pytest.mark.parametrize("slug", SLUGS)
def test_index_points_at_existing_unique_anchors_and_lines_show_the_refs(slug):
    """Every anchor of the index is an id of the rendered page; every indexed ref is printed in the
    "School policy clauses" line of the section it points to (compressed ranges expanded)."""
    config = _seed(slug)
    doc = build_policy(config)
    anchors = [s.anchor for s in doc.all_sections()]
    assert len(anchors) == len(set(anchors)), "section anchors must be unique"
    assert KEY_DETAILS_ANCHOR not in anchors
    html = document_html(doc)
    ids = _ids(html)
    index = clause_index(config)
    assert set(index.values()) <= ids
    held = {s.anchor: set(s.clauses) for s in doc.all_sections()}
    held[KEY_DETAILS_ANCHOR] = set(doc.key_details_clauses)
    for ref, anchor in index.items():
        assert ref in held[anchor], (ref, anchor)
    assert html.count(f"{LABEL}:") == sum(1 for s in doc.all_sections() if s.clauses) + 1


def test_sections_name_their_rows_by_id_and_by_prefix():
    """DEV-LRN-*, DEV-CNF-*, DEV-SRC-* belong to the learners' devices section; DEV-STF-* to staff's;
    a row named exactly elsewhere (IMG-04 in the staff devices text) still shows where it is named."""
    config = _seed("joy-lane")
    doc = build_policy(config)
    by_key = {s.key: s for s in doc.all_sections()}
    learners = set(by_key["devices-learners"].clauses)
    for row in ("DEV-LRN-02", "DEV-CNF-07", "DEV-SRC-04"):
        assert set(config["clauses"][row]) <= learners, row
    assert set(config["clauses"]["DEV-STF-09"]) <= set(by_key["devices-staff"].clauses)
    assert set(config["clauses"]["IMG-04"]) <= set(by_key["images"].clauses)
    assert "9.3 p2" in by_key["devices-learners"].clauses
    assert "9.3 p1–p5" in clause_line(by_key["devices-learners"].clauses)  # shown as a range
    assert clause_index(config)["9.3 p2"] == "s-devices-learners"
    assert clause_index(_seed("st-james"))["6.3.2"] == "s-devices-learners"


def test_a_ref_shared_by_two_sections_goes_to_the_one_with_its_neighbours():
    """St James 7.1.4 belongs to an online-hate row and a social media row; its neighbours (7.1.x) are
    in the social media section, so that is where the citation leads."""
    assert clause_index(_seed("st-james"))["7.1.4"] == "s-social-all"
    assert clause_index(_seed("joy-lane"))["11.1 p1"] == "s-type-nude-and-semi-nude-images-shared-by-children"


def test_anchors_are_stable_when_sections_come_and_go():
    """Links into the document survive a change that adds or removes a section before them."""
    config = _seed("st-james")
    before = {s.key: s.anchor for s in build_policy(config).all_sections()}
    fewer = dict(config, remote_learning_provisions_enabled=False)
    after = {s.key: s.anchor for s in build_policy(fewer).all_sections()}
    assert "remote" in before
    assert "remote" not in after
    assert all(before[key] == anchor for key, anchor in after.items())
    # Nothing is indexed to a section that is no longer there.
    assert clause_index(config)["7.1.9"] == "s-remote"
    assert "s-remote" not in clause_index(fewer).values()


def test_no_clause_map_no_lines():
    """A school without a clause map gets no "School policy clauses" lines and an empty index."""
    config = {k: v for k, v in _seed("joy-lane").items() if k != "clauses"}
    assert LABEL not in document_html(build_policy(config))
    assert clause_index(config) == {}
    context = render_policy_html_context(config)
    assert context["key_details_clauses"] == ""


def test_compress_writes_runs_as_ranges_in_document_order():
    assert compress(["9.3 p5", "9.3 p3", "9.3 p4", "9.3 p2", "9.3 p7"]) == ["9.3 p2–p5", "p7"]
    assert compress(["6.3.8(c)", "6.3.8(a)", "6.3.8(b)", "6.3.5(a)", "6.3.5(c)"]) == [
        "6.3.5(a)",
        "6.3.5(c)",
        "6.3.8(a)–(c)",
    ]
    assert compress(["1.7", "1.4", "1.5", "1.6", "2.2", "2.3"]) == ["1.4–1.7", "2.2", "2.3"]
    assert compress(["KD(a)", "KD(b)", "KD(c)", "Title", "9.2 p10", "9.2 p9"]) == [
        "KD(a)–(c)",
        "Title",
        "9.2 p9",
        "p10",
    ]
    assert compress([]) == []
    assert parent_clause("7.1.4") == "7.1"
    assert parent_clause("9.3 p2") == "9.3"
    assert parent_clause("6.3.5(a)") == "6.3.5"


@pytest.mark.parametrize("slug", SLUGS)
def test_document_order_matches_the_engine(slug):
    """The documents package keeps its own copy of the engine's clause order (builders import nothing
    outside their package); both must sort every ref of the demo maps the same way."""
    refs = sorted({str(r) for refs in _seed(slug)["clauses"].values() for r in refs})
    assert sorted(refs, key=clause_sort_key) == sorted(refs, key=engine.clause_sort_key)


def test_docx_and_pdf_show_the_lines():
    """GOV-09: the Word file has a small "Clause Line" paragraph under each section with clauses; the
    PDF (same print HTML) shows them and still renders."""
    config = _seed("joy-lane")
    document = Document(io.BytesIO(render_policy_docx(config)))
    lines = [p.text for p in document.paragraphs if p.style.name == "Clause Line"]
    assert f"{LABEL}: Contents, KD(a)–(e), Title" in lines
    assert any(line.startswith(f"{LABEL}: ") and "9.3 p1–p5" in line for line in lines)
    assert len(lines) == sum(1 for s in build_policy(config).all_sections() if s.clauses) + 1
    html = document_html(build_policy(config))
    assert 'class="policy-clauses' in html
    assert render_policy_pdf(config, None, use_cache=False).startswith(b"%PDF-")


def test_guide_cites_carry_anchors_from_the_index():
    """GOV-23: each citation of the guide carries the anchor of the section holding it."""
    config = _seed("joy-lane")
    index = clause_index(config)
    for audience in AUDIENCES:
        guide = build_guide(config, audience, anchors=index)
        for topic in guide.topics:
            for item in (*topic.entries, *topic.statements):
                assert [c.ref for c in item.cites] == list(item.clauses)
                assert all(c.anchor == index[c.ref] for c in item.cites)
    plain = build_guide(config, "staff")
    assert all(not c.anchor for t in plain.topics for e in t.entries for c in e.cites)


# --- the web pages ---------------------------------------------------------------------------------


@pytest.fixture
def alpha_on(world):
    def use(slug: str) -> dict:
        config = _seed(slug)
        config["school_name"] = world.school.name
        world.school.policy_settings = config
        world.school.save(update_fields=["policy_settings"])
        return config

    return use


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_links_resolve_to_sections_of_the_published_policy(world, client_for, alpha_on, slug):
    """GOV-23: every clause link on every guide leads to /s/<slug>/policy/#anchor, and that anchor is
    an id on the published policy page."""
    alpha_on(slug)
    policy_url = reverse("policy:document", args=["alpha"])
    policy = Client().get(policy_url)
    assert policy.status_code == 200
    ids = _ids(policy.content.decode())
    staff = client_for("teacher")
    found = 0
    for audience in AUDIENCES:
        client = staff if audience == "staff" else Client()
        body = client.get(reverse(f"policy:guide_{audience}", args=["alpha"])).content.decode()
        links = re.findall(rf'href="{re.escape(policy_url)}#([^"]+)"', body)
        assert all(anchor in ids for anchor in links), audience
        found += len(links)
    assert found > 20


def test_a_clause_without_a_section_is_shown_as_plain_text():
    """A cited clause the generated policy does not hold (not in the index) is shown as text, not as
    a link to nowhere; the others keep their links. (For the demo schools every cited clause is
    indexed, see above, so this takes one ref out of the index.)"""
    config = _seed("joy-lane")
    index = clause_index(config)
    guide = build_guide(config, "parents", anchors=index)
    cited = [c.ref for t in guide.topics for e in t.entries for c in e.cites]
    dropped, kept = cited[0], next(ref for ref in cited if ref != cited[0])
    partial = {ref: anchor for ref, anchor in index.items() if ref != dropped}
    html = render_to_string(
        "policy/guide_results.html",
        {"guide": build_guide(config, "parents", anchors=partial), "policy_url": "/s/x/policy/", "kid": False},
    )
    assert f">{dropped}</a>" not in html
    assert dropped in html
    assert f'href="/s/x/policy/#{index[kept]}">{kept}</a>' in html


@pytest.mark.e2e
def test_parent_follows_a_clause_to_the_policy(
    alpha_on,
    watched_page,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    """In a real browser: a parent reads "9.3 p2" in the guide, clicks it and lands on the section of
    the published policy holding it, whose grey line lists it; no console errors, nothing external."""
    alpha_on("joy-lane")
    page, watch = watched_page
    page.goto("/s/alpha/policy/can-i/parents/?q=phone")
    link = page.locator("a.guide__clause", has_text="9.3 p2").first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url("**/s/alpha/policy/#s-devices-learners")
    heading = page.locator("#s-devices-learners")
    expect(heading).to_be_in_viewport()
    expect(heading).to_contain_text("Learners")
    line = page.locator("#s-devices-learners ~ p.policy-clauses").first
    expect(line).to_contain_text("School policy clauses: 2.2 p11, 9.3 p1–p5")
    page.screenshot(path=str(artifacts_dir / "policy-clause-link.png"))
    watch.assert_clean()
