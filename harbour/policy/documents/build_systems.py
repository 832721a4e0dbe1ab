"""Filtering and monitoring, email, images and video, remote learning (FLT-*, EML-*, IMG-*, RML-*)."""

from __future__ import annotations

from .model import Block, Section, bullets, note, p
from .words import Config, frequency, join


def monitoring_notice_blocks(cfg: Config) -> list[Block]:
    """FLT-06, FLT-10, GOV-17: what is monitored, why, who sees it. Used in the policy and on the public notice."""
    laws = cfg.items("data_protection_law_cited")
    law = f" ({join(laws)})" if laws else ""
    system = f" using {cfg.get('monitoring_system')}" if cfg.has("monitoring_system") else ""
    filtering = cfg.get("filtering_provider")
    return [
        p(
            f"{cfg.school}'s devices, network, internet connection, email and online accounts can be monitored"
            f"{system}. Everything done on them can be traced back to the person who was signed in.",
            "FLT-06",
        ),
        bullets(
            [
                "to keep children safe, by spotting signs that a child may be at risk;",
                "to protect the school's systems and data;",
                "to check that this policy and the acceptable use agreements are being followed.",
            ],
            "The school monitors for three reasons:",
            "FLT-06",
            "GOV-17",
        ),
        p(
            "Alerts are seen by the DSL and the technical staff who run the system"
            f"{(' with ' + filtering) if filtering else ''}; "
            f"anything that suggests a child may be at risk is passed to the DSL, and the {cfg.leadership} looks at "
            "overall findings to check the policy is working. Nobody else is given access.",
            "FLT-06",
            "FLT-08",
        ),
        p(
            "Monitoring is kept to what is needed for these reasons, and it respects the law on data protection, "
            f"privacy and human rights{law}.",
            "FLT-06",
            "FLT-11",
        ),
        note(
            "No filter or monitoring system can promise that unsuitable material will never get through. That is "
            "why teaching, supervision and reporting matter as much as technology.",
            "FLT-10",
        ),
    ]


def filtering(cfg: Config) -> Section:
    """FLT-01..10, INC-FILT-01."""
    # Breach procedures have their own subsection where the policy keeps incident procedures itself.
    breaches = () if cfg.is_("incident_procedures_location", "in_this_policy") else ("INC-FILT-*",)
    section = Section("Filtering and monitoring", key="filtering", covers=("FLT-*", *breaches))
    provider = cfg.get("filtering_provider")
    broadband = cfg.get("broadband_provider")
    if broadband and provider:
        arrangement = f"The school's internet connection comes from {broadband} and is filtered by {provider}."
    elif provider:
        arrangement = f"The school's internet connection is filtered by {provider}."
    elif broadband:
        arrangement = (
            f"The school's internet connection comes from {broadband}, with filtering and monitoring in place."
        )
    else:
        arrangement = "The school uses filtering and monitoring systems on its internet connection and devices."
    section.blocks.append(
        p(
            f"{arrangement} Leaders and governors choose the settings from an assessment of the risks for the "
            "school's own learners, so that they suit their ages and abilities without blocking useful learning.",
            "FLT-01",
            "FLT-02",
        )
    )
    section.blocks.append(
        p(
            f"The {cfg.leadership} checks {frequency(cfg.get('filtering_check_frequency'))} that filtering and "
            "monitoring still work and are still right, and records each check.",
            "FLT-03",
            "FLT-04",
        )
    )
    section.blocks.append(
        p("Filtering and monitoring support good supervision and teaching; they never replace them.", "FLT-05")
    )
    section.blocks += monitoring_notice_blocks(cfg)
    first = (
        cfg.roles("filtering_breach_first_recipients", "or")
        if cfg.has("filtering_breach_first_recipients")
        else "the DSL"
    )
    section.blocks.append(
        p(
            "If something unsuitable appears on a screen, learners turn the screen off or cover it and tell an "
            f"adult straight away; the adult reports it to {first}.",
            "INC-FILT-01",
            "INC-FILT-02",
        )
    )
    return section


def email(cfg: Config) -> Section:
    """EML-01..08."""
    section = Section("Email", key="email", covers=("EML-*",))
    section.blocks.append(
        p(
            "Every member of staff has a school email address and uses it for all school business; personal email "
            "accounts are never used to contact learners, families or colleagues about school matters.",
            "EML-07",
            "EML-08",
        )
    )
    if cfg.whole_school:
        section.blocks.append(
            bullets(
                [
                    "follows data protection law and the school's confidentiality and acceptable use policies;",
                    "is never used to send chain messages or to sign up for personal social media;",
                    "carries sensitive or personal information only by secure, encrypted email;",
                ],
                "School email:",
                "EML-01",
                "EML-02",
                "EML-03",
                "EML-04",
            )
        )
        section.blocks.append(
            p(
                "Unwanted and junk mail is filtered, and personal webmail may be blocked on the school network.",
                "EML-02",
                "EML-06",
            )
        )
    recipients = cfg.roles("offensive_email_report_to", "or") if cfg.has("offensive_email_report_to") else "the DSL"
    section.blocks.append(
        p(f"Anyone who receives an offensive or worrying message reports it to {recipients} at once.", "EML-05")
    )
    return section


def images(cfg: Config) -> Section:
    """IMG-01..04."""
    section = Section("Images and video", key="images", covers=("IMG-*",))
    section.blocks.append(
        p(
            "Photos and videos of learners are taken only on school equipment, stored securely on school systems and "
            "used only for the purposes parents and carers have agreed to in writing. Sharing them online follows "
            "the image use, data security, acceptable use and social media policies.",
            "IMG-01",
            "IMG-02",
            "IMG-04",
        )
    )
    section.blocks.append(
        p(
            "Consent can be withdrawn at any time; the school then stops any further use of the images concerned.",
            "IMG-02",
            "IMG-03",
        )
    )
    return section


def remote_learning(cfg: Config) -> Section:
    """RML-01..09: only when the school switches remote-learning provisions on."""
    section = Section("Remote learning", key="remote", covers=("RML-*",))
    if not cfg.flag("remote_learning_provisions_enabled"):
        return section
    aup = cfg.get("remote_learning_aup") or "remote learning agreement"
    guidance = f" and {cfg.get('covid_guidance_cited')}" if cfg.has("covid_guidance_cited") else ""
    section.blocks.append(
        p(
            "When the school is fully or partly closed and learning happens at home, the same safeguarding rules "
            f"apply. Remote teaching follows the child protection policy, the acceptable use policy, the {aup}"
            f"{guidance}.",
            "RML-01",
            "RML-02",
        )
    )
    approver = cfg.role_of("remote_personal_device_approver", "who approves personal devices for remote teaching")
    section.blocks.append(
        p(
            "Staff teach remotely on school equipment. A personal device may be used only when a formal risk "
            f"assessment has been done and {approver} has approved it in advance.",
            "RML-03",
            "RML-04",
            "RML-05",
        )
    )
    assessor = cfg.roles("remote_platform_risk_assessor", "and/or", label="who risk-assesses remote platforms")
    section.blocks.append(
        p(
            f"No app or social media service is used as a remote learning platform until {assessor} has assessed "
            "its risks.",
            "RML-07",
            "RML-08",
        )
    )
    section.blocks.append(
        p(
            f"Learners using their own devices for home learning follow the acceptable use policy and the {aup}, "
            "which staff, learners and parents or carers are asked to accept.",
            "RML-06",
            "RML-09",
        )
    )
    return section
