"""Front matter and governance sections: key details, aims and principles, scope, linked policies,
monitoring and review (GOV-02, GOV-03, GOV-04, GOV-06, GOV-08, GOV-09, GOV-10, GOV-12..GOV-18, GOV-20).

Pure Python; the wording is Harbour's own and every name comes from the configuration.
"""

from __future__ import annotations

from .model import Section, bullets, p
from .words import Config, add_months, cap, frequency, join, missing, month, months_in, the

SCOPE_LABELS = {
    "topic_mobile_and_social_media": "Topic policy: mobile technology and social media",
    "whole_school_online_safety": "Whole-school online safety policy",
}
# Rows the key-details block puts into words: key dates, the named governor, the details a policy
# cannot be published without, and the generated document itself (GOV-02, GOV-09, GOV-18, GOV-19, GOV-24).
KEY_DETAILS_ROWS = ("GOV-02", "GOV-09", "GOV-18", "GOV-19", "GOV-24")
RISK_AREA_MEANINGS = {
    "content": "what children see, hear or read online, including harmful or illegal material",
    "contact": "who children meet and talk to online, including adults who mean them harm",
    "conduct": "how children behave online, including what they post, share or send",
    "commerce": "money online: gambling, scams, in-game spending and inappropriate advertising",
}


def ratified_on(cfg: Config) -> str:
    """GOV-02: "ratified" with its date, or the pending status spelled out."""
    status = cfg.get("ratification_status")
    if status == "ratified":
        when = cfg.get("date_ratified") or cfg.get("date_agreed")
        return month(when) if when else missing("date of ratification")
    if status == "agreed_pending_ratification":
        return f"Pending: agreed, awaiting ratification by the {cfg.governing_body}"
    return missing("ratification status")


def next_review(cfg: Config) -> str:
    """GOV-02, GOV-03: the date set, or the latest date the review can fall on, worked out from approval."""
    if cfg.has("next_review_date"):
        return month(cfg.get("next_review_date"))
    interval = months_in(cfg.get("review_interval_max")) or 12
    base = cfg.get("date_ratified") or cfg.get("date_agreed") or cfg.get("date_written")
    due = add_months(base, interval) if base else None
    marker = missing("next review date")
    return f"{marker}; due no later than {month(due)}" if due else marker


def key_details(cfg: Config) -> list[tuple[str, str]]:
    """GOV-09, GOV-18, GOV-02: the block at the top of the policy."""
    dsl = cfg.dsl_name
    if cfg.has("dsl_job_title"):
        dsl += f", {cfg.get('dsl_job_title')}"
    if cfg.flag("dsl_is_online_safety_lead"):
        dsl += " (also the online safety lead)"
    governors = cfg.governors
    rows = [
        ("School", cfg.school),
        ("Policy", cfg.title),
        ("Type of policy", SCOPE_LABELS.get(cfg.get("policy_scope"), missing("scope of the policy"))),
        ("Designated Safeguarding Lead (DSL)", dsl),
        ("Deputy DSL" + ("s" if len(cfg.deputies) > 1 else ""), join(cfg.deputies) or "None recorded"),
        *(
            [("Online safety lead", str(cfg.get("online_safety_lead_name")))]
            if cfg.has("online_safety_lead_name")
            else []
        ),
        (
            "Named governor" + ("s" if len(governors) > 1 else "") + " for online safety",
            join(governors) or missing("named governor"),
        ),
        (
            "Written or last updated",
            month(cfg.get("date_written")) if cfg.has("date_written") else missing("date written"),
        ),
        ("Agreed", month(cfg.get("date_agreed")) if cfg.has("date_agreed") else missing("date agreed")),
        *_adoption_rows(cfg),
        ("Next review", next_review(cfg)),
    ]
    rows[5:5] = key_people_rows(cfg)
    if cfg.has("policy_template_basis"):
        rows.append(("Adapted from", cfg.get("policy_template_basis")))
    return rows


# How each role of the key-people vocabulary (schema_types.KEY_ROLES) reads in the document.
KEY_ROLE_LABELS = {
    "dsl": "Designated Safeguarding Lead (DSL)",
    "deputy_dsl": "Deputy DSL",
    "online_safety_lead": "Online safety lead",
    "data_protection_officer": "Data protection officer (DPO)",
    "data_protection_lead": "Data protection lead",
    "pshe_rshe_lead": "PSHE/RSHE lead",
    "computing_lead": "Computing lead",
    "network_manager": "Network manager",
    "it_provider": "IT support",
    "link_governor": "Link governor for safeguarding and online safety",
    "chair_of_governors": "Chair of governors",
    "trust_safeguarding_lead": "Trust safeguarding lead",
    "headteacher": "Headteacher",
    "executive_headteacher": "Executive headteacher",
    "head_of_school": "Head of school",
    "senco": "SENCO",
}


def key_people_rows(cfg: Config) -> list[tuple[str, str]]:
    """Issue #21 point 3: everyone the policy names, by role, with the school in a federation."""
    rows = []
    for person in cfg.get("key_people") or []:
        label = KEY_ROLE_LABELS.get(person.get("role"), str(person.get("role", "")).replace("_", " "))
        if person.get("school"):
            label += f" ({person['school']})"
        # A preset's empty slot (a role with no name yet) shows as not yet set (issue #21 point 2).
        value = ", ".join(str(person[k]) for k in ("name", "contact") if person.get(k)) or missing(label)
        if person.get("notes"):
            value += f" ({person['notes']})"
        rows.append((label, value))
    return rows


def _adoption_rows(cfg: Config) -> list[tuple[str, str]]:
    """GOV-02: who adopted the policy, in the school's own words; governors only when they did."""
    bodies = cfg.get("governance_bodies") or []
    adopting = [b for b in bodies if b.get("adopts")]
    reviewing = [b for b in bodies if b.get("reviews")]
    if not adopting:
        rows = [("Ratified by governors", ratified_on(cfg))]
    else:
        when = cfg.get("date_agreed")
        rows = [
            (
                "Adopted by " + join([str(b.get("name") or b["kind"].replace("_", " ")) for b in adopting]),
                month(when) if when else missing("date adopted"),
            )
        ]
    if reviewing:
        rows.append(("Reviewed by", join([str(b.get("name") or b["kind"].replace("_", " ")) for b in reviewing])))
    return rows


def review_statement(cfg: Config) -> str:
    """KD review statement in our words (GOV-03, GOV-04)."""
    return (
        f"This policy is reviewed {frequency(cfg.get('review_interval_max'), 'at least once a year')}, "
        "and sooner if something changes that affects it (see the section on monitoring and review)."
    )


def aims(cfg: Config) -> Section:
    """GOV-20: purpose and principles; GOV-11 where the school uses a risk-area model."""
    focus = (
        "in particular when people use personal and mobile devices and social media"
        if not cfg.whole_school
        else "in everything the school does with technology: teaching, communication, devices and social media"
    )
    section = Section("Aims and principles", key="aims", covers=("GOV-06", "GOV-11", "GOV-20"))
    section.blocks += [
        p(
            f"This policy explains how {cfg.school} keeps children and adults safe online, {focus}. "
            "It sets out what everyone can expect from the school and what the school expects from them.",
            "GOV-20",
        ),
        bullets(
            [
                "Keeping children safe online is part of safeguarding. A worry that starts online gets the same care, "
                "and follows the same procedures, as any other safeguarding concern.",
                "Technology opens up learning, creativity and friendship; it also brings risks. The school wants "
                "learners to enjoy the first while it helps them manage the second.",
                "Blocking and banning are not enough on their own. Learners are taught to recognise risk, make "
                "good choices, recover from mistakes and ask for help: resilience grows with practice.",
                "Everyone in the community has a part to play, and everyone should know how to raise a concern "
                "and be confident it will be taken seriously.",
            ],
            "The principles behind it:",
            "GOV-20",
        ),
    ]
    areas = cfg.items("risk_area_model")
    if areas:
        section.blocks.append(
            bullets(
                [
                    f"{cap(a)}: {RISK_AREA_MEANINGS[a.lower()]}" if a.lower() in RISK_AREA_MEANINGS else cap(a)
                    for a in areas
                ],
                f"The school groups online risks into {len(areas)} areas, which shape both teaching and the way "
                "concerns are recorded:",
                "GOV-11",
            )
        )
    guidance = []
    if cfg.has("kcsie_edition"):
        title = cfg.get("statutory_guidance_title") or "Keeping Children Safe in Education"
        guidance.append(f"{title} ({cfg.get('kcsie_edition')})")
    if cfg.has("eyfs_edition"):
        guidance.append(f"the Early Years Foundation Stage statutory framework ({cfg.get('eyfs_edition')})")
    if cfg.has("working_together_edition"):
        guidance.append(f"Working Together to Safeguard Children ({cfg.get('working_together_edition')})")
    if cfg.has("local_safeguarding_partnership"):
        guidance.append(f"the procedures of {the(cfg.get('local_safeguarding_partnership'))}")
    if cfg.has("covid_guidance_cited"):
        guidance.append(str(cfg.get("covid_guidance_cited")))
    guidance += cfg.items("data_protection_law_cited")
    if guidance:
        section.blocks.append(
            bullets(guidance, "It follows the national and local guidance in force when it was written:", "GOV-06")
        )
    made = []
    if cfg.has("policy_template_basis"):
        made.append(f"was adapted from {the(cfg.get('policy_template_basis'))}")
    if cfg.has("policy_consultees"):
        made.append(f"was prepared after consulting {join(cfg.items('policy_consultees'))}")
    if made:
        section.blocks.append(p(f"The policy {join(made)}.", "GOV-01", "GOV-05"))
    return section


def scope(cfg: Config) -> Section:
    """GOV-10: who and what the policy covers; GOV-01: topic or whole-school policy."""
    section = Section("Scope", key="scope", covers=("GOV-01", "GOV-10"))
    section.blocks.append(
        bullets(
            [
                "learners;",
                "parents and carers;",
                "staff in the widest sense: "
                + (
                    join(cfg.items("staff_definition_includes"))
                    if cfg.has("staff_definition_includes")
                    else "governors, leaders, teachers, support staff, volunteers, contractors, visitors"
                )
                + " and anyone else who works or acts for the school.",
            ],
            f"The policy applies to everyone in the {cfg.school} community:",
            "GOV-10",
        )
    )
    devices = cfg.items("device_types_in_scope")
    device_words = f" The devices it covers include {join(devices)}." if devices else ""
    section.blocks.append(
        p(
            "It applies on the school site and away from it, whenever technology is used in a way that affects "
            "learners, staff or the school, including devices the school lends out when they are used at home or "
            f"on trips, and personal devices brought into school.{device_words}",
            "GOV-10",
        )
    )
    if cfg.whole_school:
        section.blocks.append(
            p(
                "This is the school's whole-school online safety policy. It covers teaching and learning, technical "
                "safeguards, devices, social media, communication and the way the school responds to online concerns.",
                "GOV-01",
            )
        )
    else:
        section.blocks.append(
            p(
                "This is a topic policy on mobile technology and social media. Other parts of online safety, including "
                "the detailed procedures for responding to particular online concerns, sit in the school's child "
                "protection policy and its other linked policies.",
                "GOV-01",
            )
        )
    return section


def linked_policies(cfg: Config) -> Section:
    """GOV-08, GOV-09: the policies and agreements this one depends on."""
    section = Section("Linked policies", key="linked", covers=("GOV-08", "ACC-03"))
    policies = cfg.items("linked_policies")
    if policies:
        section.blocks.append(
            bullets(
                [cap(x) for x in policies], "Read this policy together with the school's other policies on:", "GOV-08"
            )
        )
    else:
        section.blocks.append(p(f"Linked policies: {missing('linked policies')}.", "GOV-08"))
    aups = cfg.items("aup_set")
    if aups:
        section.blocks.append(
            bullets(
                [cap(x) for x in aups], "Day-to-day rules are set out in these agreements, which users sign:", "ACC-03"
            )
        )
    curriculum = cfg.items("curriculum_vehicles")
    if curriculum:
        section.blocks.append(p(f"Online safety is taught through {join(curriculum)}.", "EDU-LRN-01"))
    return section


def monitoring_and_review(cfg: Config) -> Section:
    """GOV-03, GOV-04, GOV-12, GOV-13, GOV-14, GOV-15, GOV-17."""
    # GOV-07 (newer guidance), GOV-16 (evaluation) and GOV-21 (risk review) are reasons to review.
    section = Section("Monitoring and review", key="review", covers=("GOV-07", "GOV-16", "GOV-21"))
    section.blocks.append(
        p(
            f"The DSL and the {cfg.leadership} review this policy "
            f"{frequency(cfg.get('review_interval_max'), 'at least once a year')}; the {cfg.governing_body} "
            "approves each new version.",
            "GOV-03",
            "GOV-05",
        )
    )
    triggers = cfg.items("review_triggers")
    if triggers:
        section.blocks.append(
            bullets([cap(t) for t in triggers], "An earlier review is started by any of these:", "GOV-04")
        )
    if cfg.has("oversight_recipient"):
        section.blocks.append(
            p(
                f"{cap(cfg.role_of('oversight_recipient'))} keeps an overview of online safety concerns and how they "
                "are dealt with, at the level of detail the DSL judges right.",
                "GOV-12",
            )
        )
    governors = cfg.governors
    who = (
        f"The named governor{'s' if len(governors) > 1 else ''} ({join(governors)})"
        if governors
        else (f"The named governor ({missing('named governor')})")
    )
    scope_words = join(cfg.items("governor_report_scope")) or "online safety incidents and their outcomes"
    section.blocks.append(
        p(
            f"{who} report{'' if len(governors) > 1 else 's'} "
            f"{frequency(cfg.get('governor_report_frequency'))} to the full {cfg.governing_body} on {scope_words}. "
            "These reports are anonymised.",
            "GOV-13",
            "GOV-14",
        )
    )
    section.blocks.append(
        p(
            "How the school checks that this policy is followed: leaders look at the record of online safety "
            "concerns and their outcomes, filtering and monitoring reports, and the results of regular checks. "
            "Anything that needs to change becomes an action, with an owner and a date, in the school's online "
            "safety action plan.",
            "GOV-17",
            "GOV-15",
        )
    )
    return section
