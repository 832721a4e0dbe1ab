"""Roles and responsibilities, one subsection per group (ROL-01, ROL-03..ROL-11, GOV-18).

The same subsections make up the public responsibilities page (ROL-08), so the policy and the page
never disagree. Learners' part is written for children (ROL-10).
"""

from __future__ import annotations

from .model import Section, bullets, p
from .words import Config, cap, frequency, join, missing, the


def leadership(cfg: Config) -> Section:
    """ROL-04, ROL-05, ROL-06: what the leadership team and the head make sure of."""
    names = cfg.items("leadership_body_names")
    also = f" (also called the {join(names[1:], 'or')})" if len(names) > 1 else ""
    section = Section(f"The {cfg.head} and the {cfg.leadership}", key="leadership")
    section.blocks.append(
        bullets(
            [
                "online safety is treated as part of safeguarding and meets national and local expectations;",
                "this policy and the acceptable use agreements are up to date, known and followed;",
                "filtering and monitoring suited to learners' ages are in place and checked, and technical staff "
                "are asked regularly how safe and secure the school's systems are;",
                "online safety is taught across the curriculum and every member of staff is trained;",
                "the DSL has the time, training and resources the online safety part of the role needs;",
                "everyone knows how to report a concern, and the routes for doing so work.",
            ],
            f"The {cfg.head} and the {cfg.leadership}{also} make sure that:",
            "ROL-04",
            "ROL-05",
            "ROL-06",
        )
    )
    return section


def dsl(cfg: Config) -> Section:
    """ROL-01, ROL-02, ROL-03, ROL-07, REP-22: the DSL's part, in the school's names."""
    section = Section("The Designated Safeguarding Lead", key="dsl")
    title = f", {cfg.get('dsl_job_title')}," if cfg.has("dsl_job_title") else ""
    lead = " and also leads on online safety" if cfg.flag("dsl_is_online_safety_lead") else ""
    section.blocks.append(
        p(f"{cfg.dsl_name}{title} is the school's Designated Safeguarding Lead (DSL){lead}.", "ROL-01")
    )
    deputies = cfg.deputies
    if deputies:
        section.blocks.append(
            p(
                f"When the DSL is not available, {join(deputies, 'or')} (deputy DSL"
                f"{'s' if len(deputies) > 1 else ''}) act{'' if len(deputies) > 1 else 's'} in their place, "
                f"and after them the {cfg.head}.",
                "ROL-02",
            )
        )
    else:
        section.blocks.append(p(f"When the DSL is not available, concerns go to the {cfg.head}.", "ROL-02"))
    partners = [the(x) for x in (cfg.get("advice_service"), cfg.get("local_safeguarding_partnership")) if x]
    partner_words = f", including {join(partners)}" if partners else ""
    recording = cfg.get("safeguarding_recording_system")
    where = f" in {recording}" if recording else ""
    items = [
        "is the first contact for any online safeguarding concern, and is named as such wherever the school "
        "tells people how to report;",
        f"works with colleagues and with outside agencies{partner_words};",
        f"keeps secure, dated records{where} of every online safety concern, the decisions taken and why;",
        "looks for patterns in concerns and uses them to improve teaching, procedures and this policy;",
        "keeps up to date with online risks and passes what matters on to staff and families;",
        f"reports on online safety to the {cfg.governing_body} through the named governor.",
    ]
    events = cfg.items("awareness_events")
    if events:
        items.append(f"promotes online safety events such as {join(events)}.")
    section.blocks.append(bullets(items, "The DSL:", "ROL-03", "ROL-07", "REP-22"))
    return section


def governors(cfg: Config) -> Section:
    """GOV-13, GOV-18: the named governor(s)."""
    names = cfg.governors
    section = Section("Governors", key="governors")
    who = join(names) if names else missing("named governor")
    plural = len(names) > 1
    section.blocks.append(
        p(
            f"{who} {'are the governors' if plural else 'is the governor'} with lead responsibility for online safety. "
            f"They make sure the {cfg.governing_body} understands how the school keeps children "
            "safe online, receive the DSL's reports, and challenge and support leaders in putting this policy "
            "into practice.",
            "GOV-18",
            "GOV-13",
        )
    )
    return section


def staff(cfg: Config) -> Section:
    """ROL-09, REP-01, REP-25, FLT-05: every member of staff, in the wide sense."""
    recording = cfg.get("safeguarding_recording_system")
    how = f" and record it in {recording}" if recording else " and record it as the school requires"
    section = Section("All staff", key="staff")
    training = frequency(cfg.get("staff_training_frequency"))
    section.blocks.append(
        bullets(
            [
                "read this policy and the acceptable use agreements, confirm each year that they will follow them, "
                f"and take part in online safety training ({training}, and at induction);",
                "behave safely and professionally online, in and out of school, and set a good example to learners;",
                "look after the systems, devices and data they use: strong passwords, locked screens, no shared "
                "logins;",
                "supervise learners' use of technology and remember that filtering and monitoring help but never "
                "replace watching and teaching;",
                f"tell the DSL about any online safety concern straight away{how}, rather than dealing with it alone;",
                "know where to point learners and parents who need help or support.",
            ],
            "Everyone who works or volunteers at the school will:",
            "ROL-09",
            "REP-01",
            "REP-25",
            "FLT-05",
        )
    )
    return section


def technical(cfg: Config) -> Section:
    """ROL-06, FLT-04, FLT-08, INC-FILT-05: staff who run the technical environment."""
    name = cfg.technical
    escalation = cfg.items("filtering_breach_escalation")
    items = [
        "keep the network, devices and accounts secure and up to date;",
        "apply the filtering and monitoring settings the leaders have decided, check they work, and review them "
        f"with {cfg.get('filtering_provider') or 'the filtering provider'};",
        "pass anything found through monitoring that could be a safeguarding matter to the DSL at once;",
        "advise leaders on the technical side of this policy and on new risks.",
    ]
    if escalation:
        items.append(f"report filtering breaches and gaps to {join([cfg.role(x) for x in escalation])} as needed")
    section = Section(f"{cap(name)}", key="technical")
    section.blocks.append(bullets(items, f"The {name} will:", "ROL-06", "FLT-04", "FLT-08", "INC-FILT-05"))
    return section


def learners(cfg: Config) -> Section:
    """ROL-10: child-friendly, for every age."""
    section = Section("Learners", key="learners")
    section.blocks.append(
        bullets(
            [
                "join in online safety lessons and ask about anything you are not sure of;",
                "keep to the rules in the acceptable use agreement you signed;",
                "be kind and respectful online, just as you would be face to face;",
                "keep yourself and others safe: keep personal details private and think before you share;",
                "tell a trusted adult if anything online worries or upsets you, even if you think you might be "
                "in trouble;",
                "help a friend who is worried to tell a trusted adult too.",
            ],
            "Learners, we ask you to (in a way that suits your age and needs):",
            "ROL-10",
        )
    )
    return section


def parents(cfg: Config) -> Section:
    """ROL-11, EDU-PAR-04: parents and carers."""
    agreements = [a for a in cfg.items("aup_set") if "home" in a.lower()]
    home_school = (
        f"keep to the {agreements[0]};" if agreements else "keep to the school's agreements about using technology;"
    )
    section = Section("Parents and carers", key="parents")
    section.blocks.append(
        bullets(
            [
                "read the acceptable use agreements with your child and help them keep to them;",
                "talk with your child about what they do online, and keep talking as they grow;",
                "show safe habits with your own phone, games and social media;",
                home_school,
                "look out for changes in your child's behaviour that might mean something is wrong online, and tell "
                "the school;",
                "ask the school or the services listed in this policy for help when you need it;",
                "use the school's systems and channels only for what they are meant for;",
                "keep up with the apps, games and devices your child uses.",
            ],
            "Parents and carers, we ask you to:",
            "ROL-11",
            "EDU-PAR-04",
        )
    )
    return section


def roles(cfg: Config) -> Section:
    """ROL-08: every group, in one numbered section of the policy."""
    section = Section("Roles and responsibilities", key="roles", covers=("ROL-*",))
    section.blocks.append(
        p(
            "Keeping the community safe online is everyone's job. This section says what each group does; the "
            "same text is published as a separate page for each group.",
            "ROL-08",
        )
    )
    section.subsections = [
        leadership(cfg),
        dsl(cfg),
        governors(cfg),
        staff(cfg),
        technical(cfg),
        learners(cfg),
        parents(cfg),
    ]
    return section
