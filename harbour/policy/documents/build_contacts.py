"""Useful contacts: the school's own people, local services and national help (REP-23, REP-24, INC-CSAE-10)."""

from __future__ import annotations

from typing import Any

from .model import Block, Section, p, table
from .words import Config, join, without_brackets

# National services any school in England can point to. Product content, not a school's choice: used
# only when the school has listed no national links of its own.
NATIONAL_DEFAULTS: tuple[tuple[str, str], ...] = (
    ("Childline", "0800 1111, childline.org.uk: free and private help for children and young people"),
    ("CEOP (National Crime Agency)", "ceop.police.uk: report online sexual abuse or grooming"),
    ("NSPCC helpline", "0808 800 5000, nspcc.org.uk: advice for adults worried about a child"),
    ("Internet Watch Foundation", "iwf.org.uk: report images of child sexual abuse online"),
    ("Professional Online Safety Helpline", "saferinternet.org.uk: advice for people who work with children"),
    ("Action Fraud", "0300 123 2040, actionfraud.police.uk: report online fraud"),
)


def _contact_line(contact: Any) -> tuple[str, str]:
    if not isinstance(contact, dict):
        return (str(contact), "")
    details = [contact.get(k) for k in ("role", "phone", "email", "url") if contact.get(k)]
    return (str(contact.get("name") or contact.get("role") or "Contact"), ", ".join(str(d) for d in details))


def internal_rows(cfg: Config) -> list[tuple[str, str]]:
    rows = [("Designated Safeguarding Lead", cfg.dsl_name)]
    if cfg.deputies:
        rows.append(("Deputy DSL" + ("s" if len(cfg.deputies) > 1 else ""), join(cfg.deputies)))
    rows.append((cfg.head, "through the school office"))
    if cfg.has("school_website"):
        rows.append(("School website", str(cfg.get("school_website"))))
    return rows


def emergency_blocks(cfg: Config) -> list[Block]:
    police = cfg.get("police_service")
    return [
        table(
            [
                ("Someone in immediate danger", "999"),
                (
                    "Police, not an emergency",
                    "101"
                    + (
                        f" ({without_brackets(police)})"
                        if police and without_brackets(police).lower() != "the police"
                        else ""
                    ),
                ),
            ],
            "",
            "REP-16",
        )
    ]


def contacts(cfg: Config) -> Section:
    section = Section("Useful contacts", key="contacts")
    school = Section(f"At {cfg.school}", key="contacts-school")
    school.blocks.append(table(internal_rows(cfg), "", "ROL-03", "REP-24"))
    section.subsections.append(school)
    emergencies = Section("Emergencies and the police", key="contacts-police")
    emergencies.blocks = emergency_blocks(cfg)
    section.subsections.append(emergencies)
    local = [_contact_line(c) for c in cfg.items_raw("local_online_safety_contacts")]
    local_extra = []
    if cfg.has("advice_service"):
        local_extra.append(("Safeguarding advice for the school", str(cfg.get("advice_service"))))
    if cfg.has("lado"):
        local_extra.append(("Allegations about adults who work with children", str(cfg.get("lado"))))
    if cfg.has("childrens_social_care_name"):
        local_extra.append(("Children's social care", str(cfg.get("childrens_social_care_name"))))
    if local or local_extra:
        sub = Section("Local advice and support", key="contacts-local")
        sub.blocks.append(table(local_extra + local, "", "REP-23"))
        section.subsections.append(sub)
    technical = [_contact_line(c) for c in cfg.items_raw("technical_support_contacts")]
    if technical:
        sub = Section("Technical support", key="contacts-technical")
        sub.blocks.append(table(technical, "", "REP-23"))
        section.subsections.append(sub)
    national = [_contact_line(c) for c in cfg.items_raw("national_support_links")] or list(NATIONAL_DEFAULTS)
    sub = Section("National help and advice", key="contacts-national")
    sub.blocks.append(table(national, "", "REP-24", "INC-CSAE-10"))
    if cfg.flag("click_ceop_button"):
        sub.blocks.append(
            p(
                "The school shows the Click CEOP button on its website so that children and families can report "
                "online sexual abuse directly.",
                "INC-CSAE-09",
            )
        )
    section.subsections.append(sub)
    return section
