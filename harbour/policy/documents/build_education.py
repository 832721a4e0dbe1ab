"""Teaching, training and engagement (EDU-*), and the safe use of technology in school for a
whole-school policy (TOOL-*, ACC-*, DPS-*, LP-*, APP-*, VC-*).

A topic policy on devices and social media gets only the teaching and training it configures; the
section on systems, accounts and data appears in a whole-school policy, where those rules live.
"""

from __future__ import annotations

from .model import Section, bullets, p
from .words import Config, frequency, join


def _learners(cfg: Config) -> Section:
    """EDU-LRN-01, EDU-LRN-04, EDU-LRN-05, EDU-LRN-11."""
    section = Section("Learners", key="edu-learners", covers=("EDU-LRN-*",))
    curriculum = cfg.items("curriculum_vehicles")
    where = f", mainly through {join(curriculum)}," if curriculum else ""
    section.blocks.append(
        p(
            f"Online safety is taught in every year{where} and builds as learners grow: how to use technology "
            "safely at school and at home, how to find and check information before trusting it, and how to "
            "get help.",
            "EDU-LRN-01",
            "EDU-LRN-04",
        )
    )
    if cfg.whole_school:
        section.blocks.append(
            p(
                "Acceptable use rules are explained in words that suit each age and are displayed wherever "
                "learners go online. Safe and responsible use of technology is noticed and praised.",
                "EDU-LRN-05",
                "EDU-LRN-06",
            )
        )
    events = cfg.items("awareness_events")
    if events:
        section.blocks.append(p(f"The school takes part in {join(events)} and similar events.", "EDU-LRN-11"))
    return section


def _vulnerable(cfg: Config) -> Section:
    """EDU-LRN-09, EDU-LRN-10."""
    section = Section("Learners who may be more vulnerable online", key="edu-vulnerable")
    groups = cfg.items("vulnerable_learner_groups")
    if groups:
        section.blocks.append(
            bullets(
                groups,
                "Some learners can be at greater risk online, and their teaching and support take that into "
                "account, for example:",
                "EDU-LRN-09",
            )
        )
        section.blocks.append(
            p("Only the DSL and the staff the DSL chooses can see which learners these are.", "EDU-LRN-10")
        )
    return section


def _staff(cfg: Config) -> Section:
    """EDU-STF-01, EDU-STF-04, FLT-05."""
    section = Section("Staff", key="edu-staff", covers=("EDU-STF-*",))
    section.blocks.append(
        p(
            "Staff learn about this policy when they join and have online safety training "
            f"{frequency(cfg.get('staff_training_frequency'))}. Training makes clear that school systems are "
            "monitored and that what each person does on them can be traced to them, so staff act "
            "professionally on every school device and system.",
            "EDU-STF-01",
            "EDU-STF-04",
        )
    )
    return section


def _parents(cfg: Config) -> Section:
    """EDU-PAR-01..04."""
    section = Section("Parents and carers", key="edu-parents", covers=("EDU-PAR-*",))
    channels = cfg.items("parent_engagement_channels")
    if channels:
        section.blocks.append(
            p(
                "The school shares online safety advice with families in several ways, including "
                f"{join(channels)}. It points families to this policy and to help for supporting children at "
                "home.",
                "EDU-PAR-01",
                "EDU-PAR-02",
                "EDU-PAR-03",
            )
        )
    return section


def education(cfg: Config) -> Section:
    section = Section("Teaching, training and engagement", key="education")
    section.subsections = [_learners(cfg), _vulnerable(cfg), _staff(cfg), _parents(cfg)]
    return section


def _classroom(cfg: Config) -> Section:
    """TOOL-01..06."""
    section = Section("In the classroom", key="tech-classroom", covers=("TOOL-*",))
    kit = cfg.items("classroom_technology")
    if kit:
        section.blocks.append(bullets(kit, "Learners use technology such as:", "TOOL-01"))
    section.blocks.append(
        p(
            "Staff check any website, tool or app before using it with a class or suggesting it for home, and "
            "any new technology is risk-assessed before it comes into school. Material taken from the internet "
            "respects copyright and says where it came from.",
            "TOOL-02",
            "TOOL-03",
            "TOOL-05",
        )
    )
    if cfg.has("internet_supervision_model"):
        section.blocks.append(p(f"How learners go online, by age: {cfg.get('internet_supervision_model')}.", "TOOL-06"))
    if cfg.has("child_safe_search_tool"):
        section.blocks.append(
            p(
                f"Younger learners search with {cfg.get('child_safe_search_tool')}, a search tool made for children.",
                "TOOL-04",
            )
        )
    return section


def _accounts(cfg: Config) -> Section:
    """ACC-02, ACC-06, ACC-07, ACC-08, DPS-01, DPS-08."""
    # The school website (WEB-*) is mostly about what may be published and who holds its password.
    section = Section("Accounts, passwords and data", key="tech-accounts", covers=("ACC-*", "DPS-*", "WEB-*"))
    if cfg.flag("aup_required_before_access"):
        section.blocks.append(
            p("Staff, learners and visitors agree to the acceptable use rules before they are given access.", "ACC-02")
        )
    start = f" from Year {cfg.get('pupil_accounts_from_year')}" if cfg.has("pupil_accounts_from_year") else ""
    section.blocks.append(
        p(
            f"Everyone has their own account: every member of staff, and learners{start}. Accounts are never "
            "shared, and passwords are kept private, never written where others can see them.",
            "ACC-06",
            "ACC-07",
            "ACC-08",
        )
    )
    laws = cfg.items("data_protection_law_cited")
    law = f" ({join(laws)})" if laws else ""
    section.blocks.append(
        p(
            f"Personal information is recorded, used, shared and published only as data protection law allows"
            f"{law}. Every member of staff is responsible for keeping the systems and data they use secure.",
            "DPS-01",
            "DPS-08",
        )
    )
    return section


def _platforms(cfg: Config) -> Section:
    """LP-01..06, APP-01..03, VC-01..03."""
    section = Section(
        "Learning platforms, apps and video calls", key="tech-platforms", covers=("LP-*", "APP-*", "VC-*")
    )
    if cfg.has("learning_platform"):
        section.blocks.append(
            p(
                f"The school's learning platform is {cfg.get('learning_platform')}. Only current staff and "
                "learners have access; users post only suitable material that respects copyright, and material "
                "that breaks these rules is removed.",
                "LP-01",
                "LP-02",
                "LP-05",
                "LP-06",
            )
        )
    systems = cfg.items("progress_tracking_systems")
    if systems:
        section.blocks.append(
            p(
                f"Systems that record learners' progress or share it with families ({join(systems)}) are "
                f"approved by the {cfg.head} after a risk assessment, and are used only on school devices.",
                "APP-01",
                "APP-02",
                "APP-03",
            )
        )
    section.blocks.append(
        p(
            "Video calls with learners use school accounts and are planned and supervised. Parents and carers "
            "agree before their child takes part, and a call is recorded only when everyone has been told and "
            "has agreed.",
            "VC-01",
            "VC-02",
            "VC-03",
        )
    )
    return section


def technology(cfg: Config) -> Section:
    section = Section("Using technology safely in school", key="technology")
    if cfg.whole_school:
        section.subsections = [_classroom(cfg), _accounts(cfg), _platforms(cfg)]
    return section
