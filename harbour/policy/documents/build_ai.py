"""Generative AI tools: whether staff and learners may use them, which tools, and personal data.

Neither demo school's policy mentions AI; the section appears only when a school sets one of the
``ai_*`` variables (issue 5: the schema must express schools with AI tools).
"""

from __future__ import annotations

from .model import Section, p
from .words import Config, join

STAFF = {
    "not_permitted": "Staff do not use generative AI tools for school work.",
    "approved_tools_only": "Staff may use generative AI tools for school work only if the school has approved them.",
    "permitted_with_care": (
        "Staff may use generative AI tools for school work, checking what they produce and taking care over "
        "what they put in."
    ),
}
LEARNERS = {
    "not_permitted": "Learners do not use generative AI tools in school.",
    "supervised_approved_tools_only": (
        "Learners use only approved generative AI tools, and only with an adult supervising."
    ),
    "approved_tools_only": "Learners may use only the generative AI tools the school has approved.",
    "permitted_with_care": (
        "Learners may use generative AI tools, and are taught to question what they produce and to keep "
        "personal information out of them."
    ),
}


def ai(cfg: Config) -> Section:
    section = Section("Generative AI tools", key="ai")
    if not any(cfg.has(name) for name in ("ai_staff_use", "ai_learner_use", "ai_approved_tools")):
        return section
    tools = cfg.items("ai_approved_tools")
    if tools:
        section.blocks.append(p(f"The school has checked and approved these tools: {join(tools)}."))
    for table, name in ((STAFF, "ai_staff_use"), (LEARNERS, "ai_learner_use")):
        value = cfg.get(name)
        if value:
            section.blocks.append(p(table.get(value, f"{name.replace('_', ' ')}: {str(value).replace('_', ' ')}.")))
    if cfg.flag("ai_personal_data_allowed") is False:
        section.blocks.append(
            p("Personal information about learners, families or staff is never entered into an AI tool.")
        )
    elif cfg.flag("ai_personal_data_allowed"):
        section.blocks.append(
            p("Personal information is entered only into approved tools, and only as data protection law allows.")
        )
    return section
