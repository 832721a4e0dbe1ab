"""Reporting and responding to concerns (REP-*, INC-*), and the school's named concern types.

Where the school keeps its incident procedures in this policy (``incident_procedures_location`` =
``in_this_policy``) each named concern type gets its own subsection; otherwise the policy names the
types and points to the child protection policy (REP-04).
"""

from __future__ import annotations

from collections.abc import Callable

from .model import Section, bullets, note, p
from .words import Config, cap, join, missing, the, without_brackets

SOCIAL_CARE = "children's social care"


def _police_words(cfg: Config) -> str:
    name = without_brackets(cfg.get("police_service") or "")
    return f" to reach {name}" if name and name.lower() != "the police" else ""


def who_to_tell(cfg: Config) -> str:
    """ROL-03, REP-01: the named route, e.g. "the DSL (A Name) or a deputy DSL (B Name)"."""
    route = [cfg.role("dsl", named=True)]
    if cfg.deputies:
        route.append(cfg.role("deputy_dsl", named=True))
    return join(route, "or")


def raising(cfg: Config) -> Section:
    """REP-01, REP-07, REP-10, REP-16, REP-15, REP-18, REP-19, REP-20."""
    # Reporting rows no other section names (how concerns are logged and kept) belong with raising one.
    section = Section("Raising a concern", key="raising", covers=("REP-*",))
    recording = cfg.get("safeguarding_recording_system")
    section.blocks += [
        p(
            f"Anyone worried that a child is at risk online tells {who_to_tell(cfg)} straight away. If none of "
            f"them can be reached, tell the {cfg.head}. Learners can tell any adult they trust, who passes the "
            "worry on.",
            "REP-01",
            "ROL-03",
        ),
        note(
            "If anyone is in immediate danger, call 999. If a crime is suspected but nobody is in immediate "
            f"danger, call 101{_police_words(cfg)}.",
            "REP-16",
        ),
        p(
            f"Staff write the concern down the same day{(' in ' + recording) if recording else ''}, in the words "
            "used by the child where they can, and then leave the next steps to the DSL: they do not investigate, "
            "question the people involved or try to sort the matter out themselves.",
            "REP-01",
            "REP-02",
        ),
        p(
            "Concerns are confidential. They are shared only with the people who need to know in order to keep "
            "someone safe, and are not discussed elsewhere, including on social media.",
            "REP-07",
            "REP-10",
        ),
    ]
    if cfg.has("advice_service"):
        seekers = cfg.roles("advice_seekers", "or") if cfg.has("advice_seekers") else "the DSL"
        section.blocks.append(
            p(
                f"When the right next step is unclear, {seekers} can ask {the(cfg.get('advice_service'))} for "
                "advice; the advice given is recorded with the concern.",
                "REP-15",
            )
        )
    social_care = cfg.get("childrens_social_care_name") or "children's social care"
    partnership = cfg.get("local_safeguarding_partnership")
    section.blocks.append(
        p(
            f"The DSL decides whether a concern needs a referral to {social_care} or another agency"
            f"{', using the thresholds of ' + the(partnership) if partnership else ''}, and records the decision "
            "and the reasons for it.",
            "REP-18",
        )
    )
    section.blocks.append(
        p(
            "The DSL also decides whether, when and how parents or carers are told. Telling a family can sometimes "
            "put a child at greater risk, so no message about a concern is ever sent automatically.",
            "REP-19",
            "REP-20",
        )
    )
    if cfg.has("external_sharing_precondition"):
        section.blocks.append(
            p(
                "Before anything about an incident is shared outside the school (for example a warning to other "
                f"schools or to the public), the school will {cfg.get('external_sharing_precondition')}.",
                "REP-17",
            )
        )
    return section


def after(cfg: Config) -> Section:
    """REP-11, REP-12, REP-13, REP-21."""
    section = Section(
        "Afterwards: learning, complaints and working together",
        key="after",
        covers=("REP-11", "REP-12", "REP-13", "REP-14", "REP-21"),
    )
    if cfg.is_("debrief_rule", "always"):
        debrief = f"After every incident, the {cfg.leadership} reviews what happened"
    else:
        debrief = f"After an incident, where it is helpful, the {cfg.leadership} reviews what happened"
    section.blocks.append(
        p(f"{debrief} and records what should change in teaching, procedures or this policy.", "REP-13")
    )
    section.blocks.append(
        p(
            "Where a concern is dealt with under the behaviour or anti-bullying policy, the school records both "
            "any sanction and the support offered to everyone involved.",
            "REP-21",
        )
    )
    if cfg.flag("complaints_and_whistleblowing") is not False:
        section.blocks.append(
            p(
                "Learners, parents, carers and staff can use the school's complaints procedure if they are unhappy "
                "with how a concern was handled. Staff can also use the whistleblowing procedure to raise worries "
                "about practice in the school.",
                "REP-11",
            )
        )
    section.blocks.append(
        p("Staff, parents, carers and learners are all expected to work with the school to put things right.", "REP-12")
    )
    return section


def _filtering(cfg: Config) -> list:
    first = (
        cfg.roles("filtering_breach_first_recipients", "or")
        if cfg.has("filtering_breach_first_recipients")
        else "the DSL"
    )
    blocks = [
        bullets(
            [
                "the learner turns off or covers the screen and tells an adult at once;",
                f"the adult notes the web address, time and device and reports it to {first};",
                "the technical staff block the material and check how it got through.",
            ],
            "When unsuitable material gets through the filter:",
            "INC-FILT-01",
            "INC-FILT-02",
            "INC-FILT-03",
        )
    ]
    if cfg.is_("filtering_breach_parent_notice", "always"):
        blocks.append(
            p("Parents and carers are always told about a filtering breach involving their child.", "INC-FILT-07")
        )
    bodies = cfg.items("illegal_content_reporting_bodies")
    if bodies:
        blocks.append(p(f"Material that may be illegal is reported to {join(bodies, 'or')}.", "INC-FILT-08"))
    return blocks


def _nudes(cfg: Config) -> list:
    return [
        bullets(
            [
                "do not open, view, copy, print, forward or delete the image, and do not ask anyone to send it;",
                "keep the device safe and switched off, and tell the DSL at once;",
                "the DSL follows national guidance on nude and semi-nude images shared by children, decides whether "
                f"to involve {cfg.get('childrens_social_care_name') or SOCIAL_CARE} or the police, and "
                "makes sure the children involved are supported.",
            ],
            "If a learner has made, sent or received a nude or semi-nude image:",
            "INC-YPSI-02",
        )
    ]


def _cyberbullying(cfg: Config) -> list:
    url = cfg.get("anti_bullying_policy_url")
    where = f" (published at {url})" if url else ""
    return [
        p(
            f"Bullying online is treated like any other bullying, under the school's anti-bullying policy{where}. "
            "Evidence is kept, everyone involved is supported, and the police are involved where a crime may have "
            "been committed.",
            "INC-CYB-01",
            "INC-CYB-03",
        )
    ]


def _illegal(cfg: Config) -> list:
    bodies = cfg.items("illegal_content_reporting_bodies") or cfg.items("illegal_activity_first_contacts")
    to = join(bodies, "or") if bodies else missing("who illegal content is reported to")
    return [
        p(
            "Nobody investigates suspected illegal content themselves. The device is kept safe, the DSL is told "
            f"at once, and the DSL reports it to {to}.",
            "REP-16",
        )
    ]


def _exploitation(cfg: Config) -> list:
    blocks = [
        p(
            "If a child may be being groomed or exploited online, the DSL is told at once and acts under the child "
            f"protection policy, involving {cfg.get('childrens_social_care_name') or SOCIAL_CARE} and "
            "the police as needed. Learners and families can also report directly to CEOP.",
            "INC-CSAE-02",
            "INC-CSAE-03",
        )
    ]
    if cfg.has("cse_intelligence_recipient"):
        blocks.append(
            p(
                "Information that may help protect other children is passed to the "
                f"{cfg.get('cse_intelligence_recipient')}.",
                "INC-CSAE-07",
            )
        )
    return blocks


def _iioc(cfg: Config) -> list:
    lado = the(cfg.get("lado") or "LADO")
    return [
        p(
            "Indecent images of children are never viewed, copied, printed or sent on, even to show someone. The "
            "device is isolated and the DSL reports the matter to the police; where a member of staff may be "
            f"involved, the {cfg.head} and {lado} are told as well.",
            "INC-IIOC-03",
            "INC-IIOC-09",
        )
    ]


def _hate(cfg: Config) -> list:
    return [
        p(
            "Online hate aimed at anyone's identity is not tolerated. It is dealt with under the behaviour and "
            "anti-bullying policies, reported to the police where it may be a crime, and the community is told how "
            "to report it.",
            "INC-HATE-03",
        )
    ]


def _radicalisation(cfg: Config) -> list:
    about_staff = (
        f" Concerns about a member of staff are taken to {cfg.role_of('staff_radicalisation_recipient')}."
        if cfg.has("staff_radicalisation_recipient")
        else ""
    )
    return [
        p(
            "Worries that a learner is being drawn into extremist ideas online are passed to the DSL, who follows "
            f"the school's Prevent duty procedures.{about_staff}",
            "INC-RAD-03",
        )
    ]


# Word in the school's category name -> (title, builder, the requirement rows the procedure covers).
PROCEDURES: dict[str, tuple[str, Callable[[Config], list], tuple[str, ...]]] = {
    "filtering": ("Filtering breaches", _filtering, ("INC-FILT-*",)),
    "sexual imagery": ("Nude and semi-nude images shared by children", _nudes, ("INC-YPSI-*",)),
    "cyberbullying": ("Cyberbullying", _cyberbullying, ("INC-CYB-*",)),
    "illegal content": ("Illegal content", _illegal, ()),
    "exploitation": ("Online sexual abuse and exploitation", _exploitation, ("INC-CSAE-*",)),
    "indecent images": ("Indecent images of children", _iioc, ("INC-IIOC-*",)),
    "hate": ("Online hate", _hate, ("INC-HATE-*",)),
    "radicalisation": ("Radicalisation and extremism", _radicalisation, ("INC-RAD-*",)),
}
# Where the procedures live in the child protection policy, the one "types" section speaks for them all.
ALL_PROCEDURE_ROWS = ("REP-04", *(row for _, _, rows in PROCEDURES.values() for row in rows if row != "INC-FILT-*"))


def _procedure_for(category: str) -> tuple[str, Callable[[Config], list], tuple[str, ...]] | None:
    lowered = category.lower()
    for word, procedure in PROCEDURES.items():
        if word in lowered:
            return procedure
    return None


def concern_types(cfg: Config) -> list[Section]:
    """REP-04 and the INC-* procedures the school keeps in this policy."""
    categories = cfg.items("concern_categories_named")
    if not cfg.is_("incident_procedures_location", "in_this_policy"):
        section = Section("Types of online concern", key="types", covers=ALL_PROCEDURE_ROWS)
        section.blocks.append(
            bullets(
                [cap(c) for c in categories] or [missing("concern types")],
                "Staff should recognise these kinds of online concern and report them as above:",
                "REP-04",
            )
        )
        section.blocks.append(
            p("The detailed procedures for each are in the school's child protection policy.", "REP-04")
        )
        return [section]
    sections = []
    seen: set[str] = set()
    for category in categories:
        procedure = _procedure_for(category)
        title, build, covers = procedure if procedure else (cap(category), None, ())
        if title in seen:
            continue
        seen.add(title)
        section = Section(title, key="type-" + title.lower().replace(" ", "-"), covers=covers)
        section.blocks = (
            build(cfg)
            if build
            else [
                p(
                    f"Concerns of this kind are reported to {who_to_tell(cfg)} and handled under the child "
                    "protection policy.",
                    "REP-04",
                )
            ]
        )
        sections.append(section)
    return sections


def staff_conduct(cfg: Config) -> Section:
    """INC-STAFF-01..05."""
    section = Section("Concerns about a member of staff", key="staff-conduct", covers=("INC-STAFF-*",))
    to = cfg.role_of("staff_misuse_referral_to", "who staff misuse is referred to")
    basis = join(cfg.items("staff_misuse_action_basis"))
    section.blocks.append(
        p(
            f"A concern that a member of staff has misused technology is referred to {to}. Where it could mean a "
            f"risk to children, {the(cfg.get('lado') or 'LADO')} is consulted under the procedure for managing "
            f"allegations.{(' Action may follow under the ' + basis + '.') if basis else ''}",
            "INC-STAFF-01",
            "INC-STAFF-02",
            "INC-STAFF-03",
        )
    )
    if cfg.has("allegation_against_head_or_dsl_route"):
        section.blocks.append(
            p(
                f"A concern about the {cfg.head} or the DSL goes to "
                f"{cfg.role_of('allegation_against_head_or_dsl_route')}.",
                "INC-STAFF-05",
            )
        )
    else:
        section.blocks.append(
            p(
                f"A concern about the {cfg.head} is taken to the chair of governors, following the school's "
                "procedure for allegations against staff.",
                "INC-STAFF-05",
            )
        )
    return section


def reporting(cfg: Config) -> Section:
    section = Section("Reporting and responding to concerns", key="reporting")
    section.subsections = [raising(cfg), *concern_types(cfg), staff_conduct(cfg), after(cfg)]
    return section
