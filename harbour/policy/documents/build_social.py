"""Social media: expectations, staff and learners' personal use, official channels (SOC-*, IMG-02)."""

from __future__ import annotations

from .model import Section, bullets, p
from .words import Config, cap, frequency, join

STAFF_IN_HOURS = {
    "allowed_when_no_learners_present": (
        "Staff may use personal social media during the school day only when no learners are present, such as "
        "in a break in the staff room."
    ),
    "not_permitted": "Staff do not use personal social media during school hours.",
}
LEARNER_IN_HOURS = {
    "not_permitted_unless_written_head_permission_for_education": (
        "Learners do not use personal social media in school unless the {head} has given written permission for "
        "an educational purpose."
    ),
    "not_permitted": "Learners do not use personal social media in school.",
}
MIN_AGE = {
    "service_terms": (
        "Most social media services set a minimum age, usually 13 or older. The school follows each service's "
        "own terms and does not expect primary-age learners to use them."
    ),
    "fixed_13": "The school expects learners not to use social media services before the age of 13.",
}
CONTACT_RULE = {
    "forbidden": (
        "Staff never use personal social media accounts, phone numbers or email to contact current or past "
        "learners or their parents and carers, and do not accept or send friend or follow requests to them."
    ),
    "forbidden_unless_prior_head_approval": (
        "Staff do not use personal social media accounts, phone numbers or email to contact learners or their "
        "parents and carers unless the {head} has approved it beforehand, and do not accept or send friend or "
        "follow requests to them."
    ),
}
ACCESS = {
    "slt_hold_logins": "The {senior} holds the log-in details of every official account, so that an account can be "
    "managed in an emergency such as a staff absence.",
    "none_periodic_content_check": "School leaders do not hold the accounts' log-ins; they look at what is posted "
    "from time to time.",
}


def _say(table: dict[str, str], cfg: Config, name: str) -> str:
    value = cfg.get(name)
    if value is None:
        return ""
    return table.get(value, f"{cap(name.replace('_', ' '))}: {str(value).replace('_', ' ')}.").format(
        head=cfg.head, senior=cfg.senior_leadership
    )


def expectations(cfg: Config) -> Section:
    """SOC-GEN-01..06."""
    section = Section("Expectations for everyone", key="social-all", covers=("SOC-GEN-*",))
    section.blocks.append(
        p(
            "Everyone in the community is expected to use social media safely and respectfully, and in line with "
            "the school's behaviour, anti-bullying and acceptable use policies, whether or not they are in school.",
            "SOC-GEN-01",
        )
    )
    for text, req in (
        (_say(STAFF_IN_HOURS, cfg, "staff_personal_social_media_in_school_hours"), "SOC-GEN-03"),
        (_say(LEARNER_IN_HOURS, cfg, "learner_personal_social_media_in_school_hours"), "SOC-GEN-04"),
    ):
        if text:
            section.blocks.append(p(text, req))
    consequences = cfg.items("social_media_misuse_consequences")
    if consequences:
        section.blocks.append(p(f"Misuse of social media may lead to {join(consequences, 'or')}.", "SOC-GEN-05"))
    if cfg.has("social_media_conduct_concern_recipient"):
        section.blocks.append(
            p(
                f"Worries about anyone's conduct on social media are reported to "
                f"{cfg.roles('social_media_conduct_concern_recipient', 'and/or')}.",
                "SOC-GEN-06",
            )
        )
    return section


def staff_personal(cfg: Config) -> Section:
    """SOC-STF-01..16."""
    section = Section("Staff personal use", key="social-staff", covers=("SOC-STF-*",))
    section.blocks.append(
        p(
            "What staff post in their own time can affect their job and the school's good name. Posting that "
            "brings the school or the profession into disrepute can lead to disciplinary, civil or legal action.",
            "SOC-STF-03",
        )
    )
    standard = cfg.get("staff_privacy_setting_standard") or "suitable privacy settings"
    section.blocks.append(
        bullets(
            [
                f"use {standard} on every account;",
                "think carefully before sharing their location or details that identify their home or family;",
                "opt out of public listings where they can, and log out of shared devices;",
                "use strong passwords and keep them private;",
                "make clear that views they post are their own and not the school's.",
            ],
            "Staff are given guidance on staying safe on social media "
            f"({frequency(cfg.get('staff_guidance_resend_frequency'))}) "
            "and are asked to:",
            "SOC-STF-04",
            "SOC-STF-05",
        )
    )
    contact = _say(CONTACT_RULE, cfg, "staff_personal_contact_with_learners_parents")
    if contact:
        section.blocks.append(p(contact, "SOC-STF-10", "SOC-STF-11"))
    if cfg.has("relationship_exception_reviewers_social"):
        recorded = " The decision is written down." if cfg.flag("relationship_decisions_formally_recorded") else ""
        decide = "decide" if len(cfg.items("relationship_exception_reviewers_social")) > 1 else "decides"
        section.blocks.append(
            p(
                "Existing friendships or family links with learners' families are talked through with "
                f"{cfg.roles('relationship_exception_reviewers_social', 'and/or')}, who {decide} what is "
                f"appropriate.{recorded}",
                "SOC-STF-13",
                "SOC-STF-14",
            )
        )
    if cfg.has("personal_account_contact_report_to"):
        section.blocks.append(
            p(
                f"If a learner or parent contacts a member of staff through a personal account, the member of staff "
                f"does not reply and tells {cfg.roles('personal_account_contact_report_to', 'or')}.",
                "SOC-STF-16",
            )
        )
    if cfg.has("conflicting_content_notify"):
        section.blocks.append(
            p(
                f"Staff who see content that conflicts with their role or the school's values tell "
                f"{cfg.role_of('conflicting_content_notify')}.",
                "SOC-STF-09",
            )
        )
    return section


def learners_social(cfg: Config) -> Section:
    """SOC-LRN-01..04."""
    section = Section("Learners' personal use", key="social-learners", covers=("SOC-LRN-*",))
    age = _say(MIN_AGE, cfg, "learner_account_min_age_rule")
    if age:
        section.blocks.append(p(age, "SOC-LRN-02"))
    section.blocks.append(
        bullets(
            [
                "think before sharing anything that shows who you are or where you live, go to school or play;",
                "keep profiles private and accept only people you know in real life;",
                "never meet someone you know only online unless a parent, carer or trusted adult says yes and comes "
                "with you;",
                "use strong passwords and sites and apps that suit your age;",
                "block and report anyone who upsets you, and tell a trusted adult in or out of school.",
            ],
            "Learners are taught to:",
            "SOC-LRN-03",
        )
    )
    policies = cfg.items("learner_social_media_concern_policies")
    if policies:
        section.blocks.append(
            p(
                f"Concerns about learners' use of social media are dealt with under the {join(policies)} policies, "
                "and parents and carers are involved where it helps.",
                "SOC-LRN-04",
            )
        )
    return section


def official(cfg: Config) -> Section:
    """SOC-OFF-01..18, IMG-02."""
    section = Section("Official social media channels", key="social-official", covers=("SOC-OFF-*",))
    by_pta = cfg.is_("channel_operator", "pta")
    channels = cfg.items("pta_channels") if by_pta else cfg.items("official_school_channels")
    owner = "The PTA" if by_pta else "The school"
    if channels:
        purpose = f" for {cfg.get('channel_purpose')}" if cfg.has("channel_purpose") else ""
        section.blocks.append(
            p(f"{owner} runs these social media channels{purpose}: {join(channels)}.", "SOC-OFF-01", "SOC-OFF-09")
        )
    elif cfg.get("pta_channels" if by_pta else "official_school_channels") is None:
        return section  # not stated: the policy says nothing, so neither does the document (issue #21)
    else:
        section.blocks.append(p(f"{owner} does not run any official social media channels at present.", "SOC-OFF-01"))
        return section
    if cfg.has("channel_approver"):
        section.blocks.append(
            p(
                f"New channels, and who may post on them, are approved by {cfg.role_of('channel_approver')}.",
                "SOC-OFF-02",
            )
        )
    access = _say(ACCESS, cfg, "leadership_channel_access")
    if access:
        section.blocks.append(p(access, "SOC-OFF-03", "SOC-OFF-04"))
    if cfg.has("channel_registration_email"):
        section.blocks.append(
            p(
                f"Accounts are registered with {cfg.get('channel_registration_email')}, never personal ones.",
                "SOC-OFF-06",
            )
        )
    if cfg.has("post_second_reader"):
        section.blocks.append(
            p(f"Before a post goes out, {cfg.role_of('post_second_reader')} checks it.", "SOC-OFF-07")
        )
    section.blocks.append(
        p(
            "Photos or videos of learners are posted only where parents and carers have given written consent for "
            "that use, and never with a learner's full name.",
            "IMG-02",
            "SOC-OFF-10",
        )
    )
    if cfg.flag("staff_social_media_aup_required"):
        section.blocks.append(
            bullets(
                [
                    "be professional at all times: they are ambassadors for the school;",
                    "say that they work for the school, without claiming to speak for it unless they are authorised;",
                    "be fair and accurate, and respect the law on defamation, confidentiality, copyright, data "
                    "protection and equality;",
                    "make no promises or commitments on the school's behalf without authority.",
                ],
                "Staff who post as part of their work sign the social media acceptable use agreement and:",
                "SOC-OFF-14",
                "SOC-OFF-16",
            )
        )
    if cfg.has("official_channel_concern_recipients"):
        section.blocks.append(
            p(
                "Concerns raised through an official channel are passed to "
                f"{cfg.roles('official_channel_concern_recipients', 'and/or')}.",
                "SOC-OFF-18",
            )
        )
    return section


def social(cfg: Config) -> Section:
    section = Section("Social media", key="social")
    section.subsections = [expectations(cfg), staff_personal(cfg), learners_social(cfg), official(cfg)]
    return section
