"""The fixed list of concern categories (REP-04) and what each one switches on.

Plain Python, no Django: the API, the forms, the procedures and the guards all read this table,
so a category's rules are written once. Ids are stable: they are stored and exposed in the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RiskArea(StrEnum):
    """The "4 Cs" of online risk (GOV-11, extended with commerce)."""

    CONTENT = "content"
    CONTACT = "contact"
    CONDUCT = "conduct"
    COMMERCE = "commerce"


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    description: str
    risk_areas: tuple[RiskArea, ...]
    # No image or video may ever be attached (INC-YPSI-12, INC-CSAE-12, INC-IIOC-06).
    refuses_images: bool = False
    # Only the DSL team (never a shared colleague) may manage or close it (INC-YPSI-01, INC-CSAE-01).
    dsl_only: bool = False
    # Closing or downgrading needs a police notification or a recorded reason why not (INC-CSAE-03).
    needs_police_decision: bool = False
    # Routed to the head, hidden from the named member of staff (INC-STAFF-01, INC-STAFF-05).
    is_staff_allegation: bool = False
    # Web addresses are inert text, hidden until the DSL reveals them (INC-IIOC-07, INC-FILT-09).
    hides_addresses: bool = False
    # Files: "off" (INC-YPSI-12: refused by every path), "off_by_default" (INC-CSAE-12: the DSL may
    # switch text documents on for one concern), or "documents_and_screenshots". The kinds each
    # allows are in the one decision table, harbour.core.uploads.RULES.
    uploads: str = "documents_and_screenshots"


C = RiskArea
CATEGORIES: tuple[Category, ...] = (
    Category(
        "filtering_breach",
        "Filtering breach",
        "Something unsuitable got through the school's web filter, or someone tried to get round it.",
        (C.CONTENT,),
        hides_addresses=True,
    ),
    Category(
        "peer_on_peer_abuse",
        "Peer-on-peer abuse",
        "A child harmed, threatened or pressured by another child online.",
        (C.CONTACT, C.CONDUCT),
    ),
    Category(
        "cyberbullying",
        "Cyberbullying",
        "Repeated unkind, threatening or excluding behaviour through messages, posts or games.",
        (C.CONDUCT,),
    ),
    Category(
        "youth_produced_sexual_imagery",
        "Nude or sexual images shared by children",
        "A child made, sent, received or was asked for a nude or sexual image or video.",
        (C.CONDUCT, C.CONTACT),
        refuses_images=True,
        dsl_only=True,
        hides_addresses=True,
        uploads="off",
    ),
    Category(
        "online_sexual_harassment",
        "Online sexual harassment",
        "Sexual comments, jokes, requests or pressure online.",
        (C.CONDUCT, C.CONTACT),
    ),
    Category(
        "online_abuse_exploitation",
        "Online sexual abuse or exploitation",
        "Grooming, sextortion or any adult (or older child) exploiting a child online.",
        (C.CONTACT,),
        refuses_images=True,
        dsl_only=True,
        needs_police_decision=True,
        hides_addresses=True,
        uploads="off_by_default",
    ),
    Category(
        "indecent_images_of_children",
        "Indecent images of children",
        "Indecent images of any child seen, found or held on a device or online.",
        (C.CONTENT,),
        refuses_images=True,
        dsl_only=True,
        hides_addresses=True,
        uploads="off",
    ),
    Category(
        "illegal_content",
        "Other illegal content",
        "Content that may be a crime to hold or share, other than images of children.",
        (C.CONTENT,),
        hides_addresses=True,
    ),
    Category(
        "online_hate",
        "Online hate",
        "Hateful content or abuse about someone's identity, by or against a member of the school.",
        (C.CONTENT, C.CONDUCT),
    ),
    Category(
        "radicalisation_extremism",
        "Radicalisation or extremism",
        "A worry that someone is being drawn towards extremist views or groups online.",
        (C.CONTENT, C.CONTACT),
    ),
    Category(
        "staff_misuse_allegation",
        "Concern about a member of staff",
        "A worry about how an adult working for the school behaves online or with technology.",
        (C.CONDUCT, C.CONTACT),
        is_staff_allegation=True,
    ),
    Category(
        "data_breach",
        "Data breach",
        "Personal information lost, sent to the wrong person or seen by someone who should not see it.",
        (C.COMMERCE, C.CONDUCT),
    ),
    Category("other", "Something else", "Any other online safety worry.", (C.CONTENT, C.CONTACT, C.CONDUCT)),
)

BY_ID: dict[str, Category] = {category.id: category for category in CATEGORIES}
CHOICES: list[tuple[str, str]] = [(category.id, category.label) for category in CATEGORIES]


def get(category_id: str) -> Category:
    """The category with this id; KeyError for an unknown one (callers turn it into a clear error)."""
    return BY_ID[category_id]
