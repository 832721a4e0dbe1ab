"""Pages for one audience, built from the same section builders as the policy (ROL-08..ROL-11,
GOV-17, FLT-06, FLT-10, REP-11, REP-12, REP-24, DEV-VIS-01..04).

Each page is a short ``PolicyDocument`` of its own, so it renders as HTML, PDF and text the same way
the policy does, and can never say something the policy does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import build_contacts, build_devices, build_reporting, build_roles, build_social, build_systems
from .model import PolicyDocument, Section, bullets, note, p
from .words import Config, join


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    summary: str
    build: Callable[[Config], list[Section]]


def _responsibilities(cfg: Config) -> list[Section]:
    """ROL-08: one section per group."""
    return [
        build_roles.leadership(cfg),
        build_roles.dsl(cfg),
        build_roles.governors(cfg),
        build_roles.staff(cfg),
        build_roles.technical(cfg),
        build_roles.learners(cfg),
        build_roles.parents(cfg),
    ]


def _worried(cfg: Config, *, audience: str) -> Section:
    """REP-01, REP-03, ROL-03: who to tell, in the school's names."""
    section = Section("If you are worried about a child", key="worried")
    section.blocks += [
        p(
            f"Tell {build_reporting.who_to_tell(cfg)} straight away. If they cannot be reached, ask the school "
            f"office for the {cfg.head}.",
            "ROL-03",
            "REP-03",
        ),
        note("If anyone is in immediate danger, call 999.", "REP-16"),
    ]
    if audience == "visitors":
        section.blocks.append(
            p(
                "Do not try to look into the matter yourself or discuss it with others; pass on what you saw or heard.",
                "REP-10",
            )
        )
    return section


def _visitors(cfg: Config) -> list[Section]:
    """DEV-VIS-01..04, DEV-GEN-05, FLT-06: what a visitor needs to know on arrival."""
    devices = Section("Phones and devices", key="visitor-devices")
    devices.blocks += build_devices.visitor_devices(cfg).blocks
    places = cfg.items("device_free_locations")
    if places:
        devices.blocks.append(p(f"Never take photos, film or record in {join(places)}.", "DEV-GEN-05"))
    devices.blocks.append(
        p("Do not photograph or film learners, and do not share your personal contact details with them.", "IMG-04")
    )
    monitoring = Section("Using the school's network", key="visitor-network")
    monitoring.blocks.append(build_systems.monitoring_notice_blocks(cfg)[0])
    return [devices, _worried(cfg, audience="visitors"), monitoring]


def _parents(cfg: Config) -> list[Section]:
    """ROL-11, EDU-PAR-04, DEV-LRN-*, SOC-LRN-02, SOC-OFF-09, FLT-10, REP-11, REP-12."""
    ask = build_roles.parents(cfg)
    ask.title = "What we ask of you"
    phones = Section("Your child's phone", key="parent-phones")
    learner = build_devices.learner_devices(cfg)
    keep = {"DEV-LRN-02", "DEV-LRN-08", "DEV-LRN-09", "DEV-CNF-04"}
    phones.blocks = [b for b in learner.blocks if keep & set(b.req)]
    social = Section("Social media", key="parent-social")
    learners_social = build_social.learners_social(cfg)
    social.blocks = [b for b in learners_social.blocks if "SOC-LRN-02" in b.req]
    official = build_social.official(cfg)
    social.blocks += [b for b in official.blocks if "SOC-OFF-01" in b.req or "IMG-02" in b.req]
    safety = Section("Filtering at school", key="parent-filtering")
    safety.blocks = [b for b in build_systems.monitoring_notice_blocks(cfg) if "FLT-10" in b.req]
    after = Section("Complaints and working together", key="parent-after")
    after.blocks = [b for b in build_reporting.after(cfg).blocks if {"REP-11", "REP-12"} & set(b.req)]
    return [ask, phones, social, safety, _worried(cfg, audience="parents"), after]


def _monitoring(cfg: Config) -> list[Section]:
    """FLT-06, GOV-17, DEV-OFF-04."""
    what = Section("What is monitored, why, and who sees it", key="monitoring")
    what.blocks = build_systems.monitoring_notice_blocks(cfg)
    if cfg.flag("official_device_monitoring_notice_before_use"):
        what.blocks.append(
            p("People given a school device are told this again before they first use it.", "DEV-OFF-04")
        )
    checking = Section("How the school checks its policy is followed", key="compliance")
    checking.blocks.append(
        p(
            "Leaders review the record of online safety concerns, the findings of filtering and monitoring and the "
            "results of regular checks. Anything that needs to change becomes an action in the school's online "
            f"safety action plan, and the {cfg.governing_body} is told how the school is doing.",
            "GOV-17",
        )
    )
    return [what, checking]


def _reporting(cfg: Config) -> list[Section]:
    """REP-24, ROL-03, INC-CSAE-09, INC-CSAE-10, INC-HATE-03."""
    children = Section("For children and young people", key="for-children")
    children.blocks.append(
        bullets(
            [
                "tell an adult you trust at school or at home, as soon as you can",
                "you will not be in trouble for telling",
                "you can also call Childline free on 0800 1111, at any time",
            ],
            "If something online worries or upsets you:",
            "REP-02",
            "REP-24",
        )
    )
    contacts = build_contacts.contacts(cfg)
    return [_worried(cfg, audience="all"), children, *contacts.subsections]


PAGES: dict[str, Page] = {
    page.key: page
    for page in (
        Page(
            "responsibilities",
            "Online safety: who does what",
            "What each group in the school community does.",
            _responsibilities,
        ),
        Page(
            "visitors",
            "Online safety: a guide for visitors",
            "Phones, photos and who to tell, for anyone visiting.",
            _visitors,
        ),
        Page(
            "parents",
            "Online safety: a guide for parents and carers",
            "What the school asks of families and what it does.",
            _parents,
        ),
        Page(
            "monitoring-notice",
            "How we monitor school systems",
            "What is monitored, why, and who sees it.",
            _monitoring,
        ),
        Page(
            "reporting",
            "Worried about something online? Who to tell",
            "Who to tell at school, and where else to find help.",
            _reporting,
        ),
    )
}


def build_page(key: str, config: dict[str, Any], *, school_name: str | None = None) -> PolicyDocument:
    """One audience page; ``KeyError`` for an unknown key."""
    page = PAGES[key]
    cfg = Config(config, school_name=school_name)
    doc = PolicyDocument(title=page.title, school_name=cfg.school, subtitle=cfg.title, sections=page.build(cfg))
    doc.show_contents = False
    return doc.number()
