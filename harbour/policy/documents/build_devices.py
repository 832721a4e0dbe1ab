"""Devices and mobile phones (DEV-GEN, DEV-STF, DEV-LRN, DEV-EXM, DEV-CNF, DEV-SRC, DEV-VIS, DEV-OFF).

Each position comes from the school's configuration; enum values are put into Harbour's words here,
and a value this module does not know yet is shown as written rather than guessed at.
"""

from __future__ import annotations

from .model import Block, Section, bullets, note, p
from .words import Config, join, missing, the

LEARNER_PHONE_RULE = {
    "not_allowed_except_written_head_permission": (
        "Learners do not bring mobile phones or other personal devices into school unless the {head} has given "
        "written permission in exceptional circumstances. A device brought in with permission stays out of sight "
        "except for the purpose agreed."
    ),
    "hand_in_at_office": (
        "Learners who bring a mobile phone or other personal device to school hand it in at the school office "
        "when they arrive and collect it at the end of the day."
    ),
}
CONTACT_HOME = {
    "office_calls_office_phone_sometimes": (
        "If a learner needs to contact home during the day, the school office makes the call; sometimes the "
        "learner may speak on the office phone."
    ),
    "learner_uses_school_phone": "If a learner needs to contact home during the day, they use a school phone.",
}
VISITOR_RULE = {
    "office_waiting_area_only": (
        "Visitors may use their mobile phones only in the office waiting area. Elsewhere in school, phones are "
        "kept switched off or silent and out of sight."
    ),
    "per_aup_no_area_limit": (
        "Visitors use their mobile phones and devices in line with the acceptable use agreement they are given "
        "on arrival."
    ),
}
EXAM_SCOPE = {
    "communication_or_internet_capable": "any device that can communicate or go online",
    "any_device": "any electronic device",
}


PHONE_FREE_DAY = {
    "phones_handed_in": "The school day is phone-free for learners.",
    "phone_pouches": "The school day is phone-free for learners: phones brought in are locked in a pouch until "
    "the end of the day.",
    "phones_not_on_site": "The school day is phone-free for learners: phones are not brought onto the site.",
}
RELEASE = {"end_of_school_day": "at the end of the school day", "appropriate_time": "at a suitable time"}
CONFISCATION_DUTY = {
    "may_when_suspected": "Staff may confiscate a learner's device",
    "must_on_any_breach": "Staff confiscate a learner's device",
}


def _confiscation(cfg: Config) -> Block | None:
    """DEV-CNF-01: from the structured grounds when the school has them, else its own summary."""
    grounds = cfg.items("confiscation_grounds")
    if grounds:
        lead = CONFISCATION_DUTY.get(cfg.get("confiscation_duty"), "Staff may confiscate a learner's device")
        return bullets(grounds, f"{lead} on any of these grounds:", "DEV-CNF-01")
    if cfg.has("confiscation_trigger"):
        return p(f"Confiscation: staff {cfg.get('confiscation_trigger')}.", "DEV-CNF-01")
    return None


def _search(cfg: Config) -> Block:
    """DEV-SRC-01, DEV-SRC-02."""
    who = cfg.role_of("device_search_by")
    if cfg.is_("device_search_by", "slt"):
        who = f"a member of {who}"
    consent = ", once the learner or a parent or carer has agreed" if cfg.flag("device_search_consent_required") else ""
    guidance = f", following {cfg.get('searching_guidance')}" if cfg.has("searching_guidance") else ""
    text = f"Only {who} may search a learner's device{consent}{guidance}."
    if cfg.flag("device_search_may_delete"):
        text += " Content found may be deleted, or the owner asked to delete it, unless it may be illegal."
    return p(text, "DEV-SRC-01", "DEV-SRC-02")


def _value_words(table: dict[str, str], cfg: Config, name: str, label: str) -> str:
    value = cfg.get(name)
    if value is None:
        return ""
    return table.get(value, f"{label}: {str(value).replace('_', ' ')}.").format(head=cfg.head)


def all_users(cfg: Config) -> Section:
    """DEV-GEN-01..07."""
    section = Section("Everyone", key="devices-all", covers=("DEV-GEN-*",))
    section.blocks.append(
        p(
            "School policies apply to personal devices as much as to school ones. Using any device on site or for "
            "school must respect the law and the school's behaviour, anti-bullying and child protection policies.",
            "DEV-GEN-01",
        )
    )
    section.blocks.append(
        bullets(
            [
                "owners are responsible for any device they bring into school and should keep it safe; the school "
                "accepts no liability for loss, theft or damage;",
                "devices should be locked with a PIN, password or biometric, codes kept private and devices not "
                "lent to others;",
            ],
            "For every device brought on site:",
            "DEV-GEN-03",
            "DEV-GEN-04",
        )
    )
    places = cfg.items("device_free_locations")
    if places:
        where = (
            "on the school site and on school trips and visits"
            if cfg.flag("device_free_rule_extends_to_visits")
            else "on the school site"
        )
        section.blocks.append(
            p(
                f"No one uses a device to take photos, film or record in {join(places)}, {where}.",
                "DEV-GEN-05",
                "DEV-GEN-06",
            )
        )
    policies = cfg.items("abusive_message_breach_policies")
    if policies:
        section.blocks.append(
            p(
                f"Sending abusive or inappropriate messages or content by any device is dealt with under the "
                f"{join(policies)} polic{'ies' if len(policies) > 1 else 'y'}.",
                "DEV-GEN-07",
            )
        )
    return section


def staff_devices(cfg: Config) -> Section:
    """DEV-STF-01..09, INC-STAFF-03, INC-STAFF-04."""
    section = Section("Staff", key="devices-staff", covers=("DEV-STF-*",))
    # Not stated -> no place is named (issue #21: null prints nothing); a value that brings its own
    # article ("a locked drawer") is not given a second one.
    storage = str(cfg.get("staff_phone_storage_in_lessons") or "").strip()
    if storage.lower().startswith(("a ", "an ", "the ")):
        storage = storage.split(" ", 1)[1]
    where = f" and in a {storage}" if storage else ""
    approver = cfg.role_of("staff_teaching_time_device_approver", "who may allow device use in lessons")
    items = [
        f"keep personal phones and devices switched off or silent{where} during lessons and other time with learners;",
        f"use personal devices during teaching time only with written permission from {approver}, for example in "
        "an emergency;",
        "never use a personal device to photograph or record learners; school equipment is used instead;",
        "never give personal phone numbers or personal accounts to learners or their families.",
    ]
    section.blocks.append(bullets(items, "Members of staff:", "DEV-STF-02", "DEV-STF-03", "DEV-STF-04", "IMG-04"))
    if cfg.flag("staff_covid_contact_exception"):
        section.blocks.append(
            p(
                f"During the Covid-19 arrangements, staff may use a personal phone to tell the {cfg.head} about a "
                "suspected case if they have no other way to do so.",
                "DEV-STF-03",
            )
        )
    if cfg.has("staff_relationship_reviewers_devices"):
        # One person "agrees", several "agree" (issue #21: "the Headteacher, who decide").
        agree = "agree" if len(cfg.items("staff_relationship_reviewers_devices")) > 1 else "agrees"
        section.blocks.append(
            p(
                "Where a member of staff has an existing relationship with a learner's family outside school (as a "
                "relative or family friend, say), they tell "
                f"{cfg.roles('staff_relationship_reviewers_devices', 'and')}, "
                f"who {agree} how contact will be managed.",
                "DEV-STF-08",
            )
        )
    procedure = join(cfg.items("staff_device_breach_procedure"), "or")
    notify = join(the(x) for x in cfg.items("staff_illegal_content_notify"))
    text = "A breach of these expectations is dealt with under the " + (procedure or "staff code of conduct") + "."
    if notify:
        text += f" If a staff device may hold illegal content, the school tells {notify}."
    section.blocks.append(p(text, "INC-STAFF-03", "INC-STAFF-04"))
    return section


def learner_devices(cfg: Config) -> Section:
    """DEV-LRN-01..13, DEV-CNF-01..05, DEV-SRC-01..02."""
    section = Section("Learners", key="devices-learners", covers=("DEV-LRN-*", "DEV-CNF-*", "DEV-SRC-*"))
    rule = _value_words(LEARNER_PHONE_RULE, cfg, "learner_phone_rule", "Learners' phones")
    phone_free = PHONE_FREE_DAY.get(cfg.get("phone_free_school_day"), "")
    if phone_free:
        section.blocks.append(p(phone_free, "DEV-LRN-01"))
    section.blocks.append(
        p(rule or f"Learners' phones: {missing('rule for learners’ phones')}.", "DEV-LRN-02", "DEV-LRN-03")
    )
    if cfg.has("learner_exceptional_device_process"):
        section.blocks.append(
            p(
                f"How an exception is agreed: {cfg.get('learner_exceptional_device_process')}.",
                "DEV-LRN-05",
                "DEV-LRN-06",
                "DEV-LRN-07",
            )
        )
    contact = _value_words(CONTACT_HOME, cfg, "learner_contact_home_method", "Contacting home")
    if contact:
        section.blocks.append(p(contact, "DEV-LRN-08"))
    if cfg.has("parent_contact_child_route"):
        section.blocks.append(
            p(
                "Parents and carers who need to reach their child during the day do so "
                f"{cfg.get('parent_contact_child_route')}.",
                "DEV-LRN-09",
                "DEV-LRN-10",
            )
        )
    approval = cfg.items("learner_lesson_device_use_approval")
    if approval:
        section.blocks.append(
            p(
                f"Learners may use personal devices in a lesson only with {join(approval)}; approval is given for a "
                "particular activity, not once for all.",
                "DEV-LRN-11",
                "DEV-LRN-12",
                "DEV-LRN-13",
            )
        )
    confiscation = _confiscation(cfg)
    if confiscation:
        section.blocks.append(confiscation)
    release = RELEASE.get(cfg.get("confiscated_device_release_when"))
    if release:
        repeat = (
            " A device may be kept for longer after a repeat offence."
            if cfg.flag("confiscation_longer_for_repeat")
            else ""
        )
        section.blocks.append(
            p(
                f"Confiscated devices are kept securely and handed back to a parent or carer {release}.{repeat}",
                "DEV-CNF-04",
                "DEV-CNF-05",
            )
        )
    elif cfg.has("confiscated_device_release_rule"):
        section.blocks.append(
            p(
                f"Confiscated devices are kept securely and returned {cfg.get('confiscated_device_release_rule')}.",
                "DEV-CNF-04",
                "DEV-CNF-05",
            )
        )
    if cfg.has("device_search_by"):
        section.blocks.append(_search(cfg))
    elif cfg.has("device_search_rule"):
        guidance = f" ({cfg.get('searching_guidance')})" if cfg.has("searching_guidance") else ""
        section.blocks.append(
            p(f"Searching a device: {cfg.get('device_search_rule')}{guidance}.", "DEV-SRC-01", "DEV-SRC-02")
        )
    section.blocks.append(
        note(
            "A device that may hold evidence of harm to a child, or a nude or semi-nude image of a child, is never "
            "searched or looked through by staff: it is kept safe and handed to the DSL.",
            "DEV-CNF-01",
        )
    )
    return section


def exams(cfg: Config) -> Section:
    """DEV-EXM-01..03."""
    section = Section("Exams and tests", key="devices-exams", covers=("DEV-EXM-*",))
    scope = EXAM_SCOPE.get(cfg.get("exam_device_reporting_scope"), "any device that can communicate or go online")
    section.blocks.append(
        p(
            f"Learners may not have {scope} with them in an exam or formal test. Bringing one in is reported to "
            "the exam board and can lead to the learner's work being disqualified.",
            "DEV-EXM-01",
            "DEV-EXM-02",
            "DEV-EXM-03",
        )
    )
    return section


def visitor_devices(cfg: Config) -> Section:
    """DEV-VIS-01..04."""
    section = Section("Visitors", key="devices-visitors", covers=("DEV-VIS-*",))
    rule = _value_words(VISITOR_RULE, cfg, "visitor_phone_rule", "Visitors' phones")
    section.blocks.append(p(rule or f"Visitors' phones: {missing('rule for visitors’ phones')}.", "DEV-VIS-01"))
    if cfg.has("visitor_signage_location"):
        section.blocks.append(
            p(f"Signs in the {cfg.get('visitor_signage_location')} explain these rules.", "DEV-VIS-02")
        )
    if cfg.is_("visitor_aup_scope", "all_visitors"):
        aup = "Every visitor is asked to read and agree to the school's acceptable use agreement."
    else:
        aup = (
            "Visitors who come regularly or stay for longer, such as volunteers and contractors, are asked to read "
            "and agree to the acceptable use agreement."
        )
    section.blocks.append(p(aup, "DEV-VIS-03"))
    if cfg.has("visitor_breach_report_to"):
        section.blocks.append(
            p(
                f"Staff who see a visitor breaking these rules tell {cfg.roles('visitor_breach_report_to', 'or')}.",
                "DEV-VIS-04",
            )
        )
    return section


def official_devices(cfg: Config) -> Section:
    """DEV-OFF-01..04, FLT-06."""
    section = Section("Devices provided by the school", key="devices-official", covers=("DEV-OFF-*",))
    if cfg.has("work_phone_issue_criterion"):
        section.blocks.append(
            p(f"The school provides work phones {cfg.get('work_phone_issue_criterion')}.", "DEV-OFF-02")
        )
    examples = cfg.items("official_device_use_examples")
    uses = f", for example on {join(examples)}" if examples else ""
    section.blocks.append(
        p(
            f"School phones and devices are used only for school business{uses}, kept secure, and not used by "
            "family or friends. Staff use them, not their own devices, for any contact with learners or families.",
            "DEV-OFF-01",
            "DEV-OFF-03",
        )
    )
    if cfg.flag("official_device_monitoring_notice_before_use"):
        section.blocks.append(
            p(
                "Before anyone uses a school-provided device they are told that its use can be monitored.",
                "DEV-OFF-04",
                "FLT-06",
            )
        )
    return section


def devices(cfg: Config) -> Section:
    section = Section("Mobile phones and personal devices", key="devices")
    section.subsections = [
        all_users(cfg),
        staff_devices(cfg),
        learner_devices(cfg),
        exams(cfg),
        visitor_devices(cfg),
        official_devices(cfg),
    ]
    return section
