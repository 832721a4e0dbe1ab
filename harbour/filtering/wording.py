"""Harbour's own wording for the filtering pages: the review checklist, the monitoring notice, the
classroom notice and the breach-reporting procedure (FLT-04..06, FLT-10, INC-FILT-01, INC-FILT-02).

Plain Python, no Django. The checklist follows the four areas of the DfE filtering and monitoring
standards (roles, annual review, blocking without over-blocking, monitoring strategy), written in
our own words; it never copies the seed policies. Item keys are stored with answers: never rename.
"""

from __future__ import annotations

from dataclasses import dataclass

from harbour.filtering.config import FilteringConfig


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    area: str
    text: str


ROLES = "Who is responsible"
REVIEW = "Reviewing the provision"
FILTERING = "Filtering"
MONITORING = "Monitoring"

REVIEW_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("named_leads", ROLES, "A senior leader and a governor are named as responsible, and know it."),
    ChecklistItem(
        "roles_known",
        ROLES,
        "The DSL, the technician or IT provider and any outside supplier each know their part, and changes can "
        "be made quickly when needed.",
    ),
    ChecklistItem(
        "staff_trained",
        ROLES,
        "Staff have been told, in training they confirmed, what filtering and monitoring do, what they do not "
        "do, and how to report a problem.",
    ),
    ChecklistItem(
        "risk_profile",
        REVIEW,
        "The review looked at who our learners are: ages, special needs, home languages and who may be more "
        "vulnerable online.",
    ),
    ChecklistItem(
        "what_changed",
        REVIEW,
        "New devices, apps, services (including AI tools), remote access or personal devices brought in since "
        "the last review were considered.",
    ),
    ChecklistItem(
        "incidents_used",
        REVIEW,
        "Breaches, monitoring alerts and safeguarding concerns since the last review were used to judge what "
        "needs to change.",
    ),
    ChecklistItem(
        "checks_working",
        REVIEW,
        "Regular checks were carried out and recorded, and every failed check was followed up.",
    ),
    ChecklistItem(
        "blocks_harm",
        FILTERING,
        "The filter blocks illegal child abuse material and unlawful terrorist content, and the categories the "
        "school decided to block, on every device and connection learners use.",
    ),
    ChecklistItem(
        "not_overblocking",
        FILTERING,
        "Teachers can teach what the curriculum needs: sites blocked by mistake are unblocked quickly, and the "
        "decisions on what is blocked or allowed are written down with reasons.",
    ),
    ChecklistItem(
        "filter_by_user",
        FILTERING,
        "Filtering can tell users and groups apart, so that what is caught can be traced to a person.",
    ),
    ChecklistItem(
        "provider_fit",
        FILTERING,
        "The provider keeps its lists up to date, takes part in the national blocking schemes, and says how it "
        "handles searches, apps and other languages.",
    ),
    ChecklistItem(
        "monitoring_approach",
        MONITORING,
        "The way use is monitored (watching screens, software on devices, reading logs) suits the school's "
        "needs and the devices in use.",
    ),
    ChecklistItem(
        "alerts_reach_dsl",
        MONITORING,
        "Monitoring reports and alerts reach the DSL quickly, including outside school hours where that is "
        "agreed, and are acted on.",
    ),
    ChecklistItem(
        "privacy",
        MONITORING,
        "The privacy assessment for monitoring is in date and users have been told their use is monitored.",
    ),
)
CHECKLIST_KEYS = frozenset(item.key for item in REVIEW_CHECKLIST)
ANSWER_CHOICES: tuple[tuple[str, str], ...] = (
    ("met", "In place"),
    ("partly", "Partly in place"),
    ("not_met", "Not in place"),
    ("not_applicable", "Does not apply"),
)
ANSWER_VALUES = frozenset(value for value, _ in ANSWER_CHOICES)

REVIEW_TRIGGERS_EXPLAINED = (
    "Review at least once a year, and again whenever new technology comes in, a safeguarding risk is found, "
    "the way people work changes (remote access, personal devices) or an incident shows a gap."
)

SUPERVISION_STATEMENT = (
    "Filtering and monitoring help keep learners safe, but they do not replace watching what learners do on "
    "screen, teaching them to stay safe, and acting on what they tell you."
)


NO_GUARANTEE = (
    "No filter can stop everything. Now and then something unsuitable may get through. If that happens, "
    "turn the screen off or close the lid, and tell a member of staff straight away."
)


def monitoring_notice_text(*, school_name: str, cfg: FilteringConfig) -> str:
    """The notice every user is given (FLT-06), the plain warning that no filter is perfect (FLT-10) and,
    for staff who acknowledge it, that filtering never replaces supervision and teaching (FLT-05)."""
    provider = f" The web filter is provided by {cfg.filtering_provider}." if cfg.filtering_provider else ""
    system = f" Monitoring uses {cfg.monitoring_system}." if cfg.monitoring_system else ""
    return "\n\n".join(
        (
            f"{school_name} checks how its computers, tablets, network, internet connection and accounts are used, "
            "to keep everyone safe and to look after the school's systems.",
            "Anything done on school equipment or with a school account can be traced back to the person who did "
            f"it: which sites were visited, what was searched for and when.{provider}{system}",
            "The school does this lawfully and only as far as it needs to: it respects data protection law, human "
            "rights and everyone's privacy, keeps the records only as long as it needs them, and lets only the "
            "people responsible for safeguarding and the systems look at them.",
            NO_GUARANTEE,
            f"For staff: {SUPERVISION_STATEMENT}",
        )
    )


CLASSROOM_NOTICE_LINES: tuple[str, ...] = (
    "Seen something online that upsets you or feels wrong?",
    "1. Turn off the screen, or close the lid.",
    "2. Tell an adult in the room straight away.",
    "3. You are not in trouble for telling.",
)


@dataclass(frozen=True)
class ProcedureStep:
    who: str
    text: str


def breach_procedure(cfg: FilteringConfig) -> list[ProcedureStep]:
    """The breach-reporting procedure for learners and staff (INC-FILT-01), from the school's settings."""
    recipients = _recipients_phrase(cfg)
    parents = (
        "Parents and carers of any learner involved are always told."
        if cfg.parents_always_told
        else "The DSL decides whether parents and carers should be told, and records the decision."
    )
    record = (
        f"The breach is kept in the school's safeguarding record ({cfg.recording_system})."
        if cfg.recording_system
        else "The breach is kept in the school's safeguarding record."
    )
    provider = cfg.filtering_provider or "the filtering provider"
    return [
        ProcedureStep("Learners", "Turn off the screen or close the lid, and tell an adult straight away."),
        ProcedureStep(
            "Staff",
            "Make the device safe without looking further. Do not copy, photograph or send on what was seen. "
            "Note the web address if you know it, the device, who was using it and the time.",
        ),
        ProcedureStep(
            "Staff", f"Report it in Harbour under 'Report a filtering breach' the same day. It goes to {recipients}."
        ),
        ProcedureStep(
            cfg.technician_label.capitalize(),
            f"Blocks the address, finds out why it got through and reports it to {provider}, recording the "
            "ticket reference.",
        ),
        ProcedureStep(
            "DSL",
            "Decides whether it reveals a safeguarding risk and, if so, opens a safeguarding concern. Material "
            "that may be illegal is reported straight away to the Internet Watch Foundation, the police or CEOP.",
        ),
        ProcedureStep("DSL", f"{parents} {record}"),
    ]


def _recipients_phrase(cfg: FilteringConfig) -> str:
    names = {"dsl": "the DSL", "deputy_dsl": "the deputy DSL", "headteacher": "the head", "technician": ""}
    parts = []
    for role in cfg.first_recipients:
        label = names.get(role, role.replace("_", " "))
        parts.append(label or f"the {cfg.technician_label}")
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def social_media_answer(groups: list[tuple[str, str, str]]) -> str:
    """FLT-09: "can this audience reach social media?" from its groups' (name, value, label) profiles."""
    if not groups:
        return "Not recorded yet: add the user groups and their filtering profiles."
    values = {value for _name, value, _label in groups}
    if values == {"blocked"}:
        return "No: social media is blocked for every group."
    if values == {"allowed"}:
        return "Yes: social media is reachable for every group."
    if values == {"unknown"}:
        return "Not recorded yet for any group."
    return "It depends on the group: " + "; ".join(f"{name}: {label.lower()}" for name, _v, label in groups) + "."
