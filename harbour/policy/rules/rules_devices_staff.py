"""Rules for staff devices, contact with home, confiscation and searching (policy-questions.md §4.2–4.4).

Rows: DEV-STF-07/08, DEV-STF-09, DEV-STF-11, RML-03, APP-03, DEV-LRN-08, DEV-LRN-09, DEV-CNF-01,
DEV-CNF-04, DEV-CNF-07/08, DEV-SRC-01/03/04 (and GOV-10 when a staff rule reaches governors, volunteers,
contractors or visitors). Positions come from the configuration only.
"""

from __future__ import annotations

from harbour.policy.rules.engine import Answer, Question, join_words, rule
from harbour.policy.rules.rules_devices_facts import (
    LOCATION_NAMES,
    PARENT_ACTORS,
    confiscation_grounds,
    device_free_locations,
    release_rule,
    search_rule,
)

# Actors who act for the school in its disciplinary powers over learners' devices (DEV-CNF, DEV-SRC).
_SCHOOL_ROLES = ("staff", "technical_staff", "dsl", "headteacher", "leadership_team")
_LEADERS = ("leadership_team", "headteacher")
# Reasons that describe no misuse of the device, so never ground a confiscation (DEV-CNF-01).
_NOT_GROUNDS = frozenset({"emergency", "suspected_covid_case", "educational_activity", "medical_need"})

_REASON_WORDS = {
    "child_protection": "a child protection concern",
    "behaviour_breach": "a breach of the behaviour policy",
    "bullying": "bullying",
    "suspected_nude_image": "a suspected nude or semi-nude image of a child",
    "suspected_illegal_material": "possibly illegal material or evidence of a crime",
}


def _staff_forbidden(q: Question, row: str, explanation: str, *more_rows: str) -> Answer:
    """A staff prohibition, reaching whoever the school's policy counts as staff (GOV-10)."""
    if not q.is_staff or not q.covered(row):
        return q.not_covered()
    return q.forbidden(explanation, row, *more_rows, clauses=q.staff_scope_clauses())


@rule("contact_learner_via_personal_phone")
def contact_learner_via_personal_phone(q: Question) -> Answer:
    """DEV-STF-07: forbidden; pre-existing relationships are talked through (DEV-STF-08)."""
    reviewers = q.role_names(q.var("staff_relationship_reviewers_devices"), "and")
    return _staff_forbidden(
        q,
        "DEV-STF-07",
        "Staff do not call or message learners from their own phones or devices. If a relationship that "
        f"existed before makes this hard, it is talked through with {reviewers}.",
        "DEV-STF-08",
    )


@rule("contact_parent_via_personal_phone")
def contact_parent_via_personal_phone(q: Question) -> Answer:
    """DEV-STF-07: forbidden; pre-existing relationships are talked through (DEV-STF-08)."""
    reviewers = q.role_names(q.var("staff_relationship_reviewers_devices"), "and")
    return _staff_forbidden(
        q,
        "DEV-STF-07",
        "Staff contact parents and carers about school matters through school channels, not from their own "
        f"phones or devices. A relationship that existed before is talked through with {reviewers}.",
        "DEV-STF-08",
    )


@rule("photograph_learners_on_personal_device")
def photograph_learners_on_personal_device(q: Question) -> Answer:
    """DEV-STF-09 (staff: school equipment only); DEV-VIS-01 for parents and carers; DEV-GEN-05."""
    place = q.ctx("location")
    if place and place in device_free_locations(q) and q.covered("DEV-GEN-05"):
        return q.forbidden(
            f"No personal device may be used in {LOCATION_NAMES[place]}, let alone to photograph children.",
            "DEV-GEN-05",
            *(("DEV-STF-09",) if q.is_staff else ()),
        )
    if q.is_staff:
        return _staff_forbidden(
            q,
            "DEV-STF-09",
            "Photos and videos of learners are taken only on school equipment, following the image use policy, "
            "never on a personal phone, tablet or camera.",
        )
    if q.actor in PARENT_ACTORS and q.covered("DEV-VIS-01"):
        if q.var("visitor_phone_rule") == "office_waiting_area_only":
            if place == "office_waiting_area":
                return q.not_covered(
                    "Parents and carers may use their phones in the office waiting area, but the policy says "
                    "nothing about photographing learners there; ask the office."
                )
            return q.forbidden(
                "Parents and carers may use their phones only in the office waiting area, so not to photograph "
                "learners around the school.",
                "DEV-VIS-01",
            )
        return q.conditional(
            ["It follows the school's acceptable use policy and its image use policy."],
            "Parents and carers may use their own devices on site only in line with the school's acceptable "
            "use and image use policies.",
            "DEV-VIS-01",
        )
    return q.not_covered()


@rule("teach_remotely_on_personal_device")
def teach_remotely_on_personal_device(q: Question) -> Answer:
    """RML-03 (remote_learning_provisions_enabled, remote_personal_device_approver)."""
    if not q.is_staff or not q.covered("RML-03") or not q.var("remote_learning_provisions_enabled", False):
        return q.not_covered()
    approver = q.role_name(q.var("remote_personal_device_approver", "headteacher"))
    conditions = [
        "No school equipment is available for the remote teaching.",
        "A formal risk assessment has been made.",
        f"{approver[:1].upper()}{approver[1:]} has approved the use of the personal device in advance.",
    ]
    aup = q.var("remote_learning_aup")
    if aup:
        conditions.append(f"The teaching follows the acceptable use policy and the {aup}.")
    return q.conditional(
        conditions,
        "Remote teaching is delivered on school equipment; a personal device is a fallback that needs a risk "
        f"assessment and {approver}'s prior approval.",
        "RML-03",
        clauses=q.staff_scope_clauses(),
    )


@rule("use_school_phone_to_call_home")
def use_school_phone_to_call_home(q: Question) -> Answer:
    """DEV-LRN-08 (Differs: learner_contact_home_method); about a learner, so the same for every asker."""
    method = q.var("learner_contact_home_method")
    if not q.covered("DEV-LRN-08") or not method:
        return q.not_covered()
    if method == "learner_uses_school_phone":
        return q.allowed(
            "A learner who needs to speak to their parent or carer during the day may use a school phone.",
            "DEV-LRN-08",
        )
    return q.conditional(
        ["The office agrees that the learner may make the call; usually the office rings home for them."],
        "When a learner needs their parent or carer, the office normally makes the call; sometimes the "
        "learner may use an office phone themselves.",
        "DEV-LRN-08",
    )


@rule("contact_child_directly_in_school_hours")
def contact_child_directly_in_school_hours(q: Question) -> Answer:
    """DEV-LRN-09: through the office; exceptions case by case with the head's approval."""
    if not q.covered("DEV-LRN-09"):
        return q.not_covered()
    approver = q.role_name(q.var("parent_contact_exception_approver", "headteacher"))
    return q.conditional(
        [f"{approver[:1].upper()}{approver[1:]} has approved an exception for this child."],
        "During the school day parents and carers reach their child through the school office; "
        f"{approver} can agree an exception case by case.",
        "DEV-LRN-09",
    )


@rule("confiscate_learner_device")
def confiscate_learner_device(q: Question) -> Answer:
    """DEV-CNF-01 (Differs: confiscation_trigger); DEV-CNF-08 hands suspected illegal material to police."""
    if q.actor not in _SCHOOL_ROLES or not q.covered("DEV-CNF-01"):
        return q.not_covered()
    grounds, required = confiscation_grounds(q)
    reason = q.ctx("reason")
    if reason == "suspected_illegal_material" and q.covered("DEV-CNF-08"):
        return q.allowed(
            "A device that may hold illegal material or evidence of a crime is taken and handed to the "
            "police; do not look through it.",
            "DEV-CNF-08",
        )
    ground_words = join_words([_REASON_WORDS[g] for g in _ordered(grounds)], "or")
    if required and reason == "behaviour_breach":
        return q.allowed(
            "A learner's device is taken when the learner breaks the policy with it, and kept somewhere secure.",
            "DEV-CNF-01",
        )
    if reason in grounds or (reason == "suspected_nude_image" and "child_protection" in grounds):
        # A suspected nude image of a child is itself a child protection matter.
        return q.allowed(
            f"Staff may take a learner's device when they believe it is involved in {_REASON_WORDS[reason]}; "
            "it is then kept somewhere secure.",
            "DEV-CNF-01",
        )
    if required:
        belief = f", or you believe it is involved in {ground_words}" if ground_words else ""
        also = f"; staff may also take it when they believe it is involved in {ground_words}" if ground_words else ""
        return q.conditional(
            [f"The learner has broken the school's policy with the device{belief}."],
            f"A learner's device is taken whenever the learner breaks the policy with it{also}.",
            "DEV-CNF-01",
        )
    if reason in _NOT_GROUNDS:
        return q.forbidden(
            f"The policy lets staff confiscate a device only when they believe it is involved in {ground_words}.",
            "DEV-CNF-01",
        )
    return q.conditional(
        [f"You believe the device is involved in {ground_words}."],
        f"Staff may confiscate a learner's device when they believe it is involved in {ground_words}.",
        "DEV-CNF-01",
    )


def _ordered(grounds: frozenset[str]) -> list[str]:
    return [g for g in _REASON_WORDS if g in grounds]


@rule("keep_confiscated_device_beyond_end_of_day")
def keep_confiscated_device_beyond_end_of_day(q: Question) -> Answer:
    """DEV-CNF-04 (Differs: confiscated_device_release_rule); DEV-CNF-07 holds evidence for the police."""
    if q.actor not in _SCHOOL_ROLES or not q.covered("DEV-CNF-04"):
        return q.not_covered()
    reason = q.ctx("reason")
    if reason in ("suspected_illegal_material", "suspected_nude_image") and q.covered("DEV-CNF-07"):
        return q.allowed(
            "A device that may be evidence is not handed back: it stays secure until it goes to the police.",
            "DEV-CNF-07",
        )
    rule_kind = release_rule(q)
    if rule_kind == "end_of_day_longer_for_repeat":
        if reason == "repeat_offence":
            return q.allowed(
                "After a repeat offence the school may hold the device for longer than the day.",
                "DEV-CNF-04",
            )
        if reason:
            return q.forbidden(
                "Confiscated devices go back to a parent or carer at the end of the day; only a repeat "
                "offence lets the school keep one longer.",
                "DEV-CNF-04",
            )
        return q.conditional(
            ["This is a repeat offence."],
            "Confiscated devices go back to a parent or carer at the end of the day, unless it is a repeat offence.",
            "DEV-CNF-04",
        )
    if rule_kind == "end_of_day":
        return q.forbidden("Confiscated devices go back to a parent or carer at the end of the day.", "DEV-CNF-04")
    if rule_kind == "appropriate_time":
        return q.conditional(
            ["The school judges that a later time is appropriate, and the device then goes to a parent or carer."],
            "Confiscated devices are released to parents or carers at a time the school judges appropriate, "
            "which need not be the end of the day.",
            "DEV-CNF-04",
        )
    return q.not_covered()


def _evidence_answer(q: Question, doing: str, *image_rows: str) -> Answer | None:
    """DEV-SRC-04 / DEV-CNF-08 / INC-YPSI-14: no searching or deleting when the device may be evidence."""
    reason = q.ctx("reason")
    if reason == "suspected_illegal_material":
        rows = [r for r in ("DEV-CNF-08", "DEV-SRC-04") if q.covered(r)]
        if rows:
            return q.forbidden(
                f"Do not {doing} a device that may hold illegal material or evidence of a crime: keep it secure "
                "and unchanged for the police.",
                *rows,
            )
    if reason == "suspected_nude_image":
        rows = [r for r in ("DEV-SRC-04", *image_rows) if q.covered(r)]
        if rows:
            dsl = q.role_name("dsl")
            return q.forbidden(
                f"Do not {doing} a device thought to hold a nude or semi-nude image of a child: secure it and "
                f"pass the concern to {dsl}.",
                *rows,
            )
    return None


@rule("search_learner_device")
def search_learner_device(q: Question) -> Answer:
    """DEV-SRC-01 (Differs: device_search_rule; Joy Lane defers to its separate searching policy)."""
    if q.actor in ("learner", *PARENT_ACTORS) or not q.covered("DEV-SRC-01"):
        return q.not_covered()
    evidence = _evidence_answer(q, "look through", "INC-YPSI-14")
    if evidence:
        return evidence
    found = search_rule(q)
    if found is None:
        return _separate_policy(q, "searched")
    guidance = q.var("searching_guidance")
    follows = f", following the {guidance} guidance" if guidance else ""
    searcher_ok = found["by"] is None or (found["by"] == "slt" and q.actor in _LEADERS)
    leadership = q.leadership_name
    if not searcher_ok and q.actor != "dsl":
        return q.forbidden(
            f"Only a member of the {leadership} may search a learner's device{follows}.",
            "DEV-SRC-01",
        )
    conditions = [] if searcher_ok else [f"You are a member of the {leadership}."]
    consent = q.ctx("consent")
    if found["consent"]:
        if consent == "not_given":
            return q.forbidden(
                "A learner's device is searched only if the learner, or one of their parents or carers, agrees.",
                "DEV-SRC-01",
            )
        if consent != "given":
            conditions.append("The learner or a parent or carer consents to the search.")
    explanation = (
        f"A member of the {leadership} may search a learner's device"
        + (" once the learner, or one of their parents or carers, has agreed" if found["consent"] else "")
        + f"{follows}."
    )
    if not conditions:
        return q.allowed(explanation, "DEV-SRC-01")
    return q.conditional(conditions, explanation, "DEV-SRC-01")


def _separate_policy(q: Question, done: str) -> Answer:
    """A school whose online-safety policy defers device searches to its own searching policy."""
    return q.conditional(
        ["It is done exactly as the school's separate searching, screening and confiscation policy sets out."],
        f"{q.school_name}'s online safety policy does not set its own rule: learners' devices are {done} "
        "only under its separate searching, screening and confiscation policy.",
        "DEV-SRC-01",
    )


@rule("delete_content_on_learner_device")
def delete_content_on_learner_device(q: Question) -> Answer:
    """DEV-SRC-01/03: content breaking the guidance may be deleted in a search; never evidence (DEV-SRC-04)."""
    if q.actor in ("learner", *PARENT_ACTORS) or not q.covered("DEV-SRC-01"):
        return q.not_covered()
    evidence = _evidence_answer(q, "delete anything on, or ask the learner to delete anything on,")
    if evidence:
        return evidence
    found = search_rule(q)
    if found is None:
        return _separate_policy(q, "searched, and content deleted,")
    if not found["may_delete"]:
        return q.not_covered()
    guidance = q.var("searching_guidance") or "searching"
    leadership = q.leadership_name
    if found["by"] == "slt" and q.actor not in _LEADERS and q.actor != "dsl":
        return q.forbidden(
            f"Only the member of the {leadership} carrying out a search may delete content, or ask for it to "
            "be deleted.",
            "DEV-SRC-01",
        )
    conditions = []
    if found["by"] == "slt" and q.actor == "dsl":
        conditions.append(f"You are a member of the {leadership}.")
    conditions += [
        "The content was found in a search carried out under the policy.",
        f"The content breaks the {guidance} guidance.",
        "The deletion, or the request to delete, is written in the search record.",
    ]
    return q.conditional(
        conditions,
        f"During a search a member of the {leadership} may delete content that breaks the {guidance} guidance, "
        "or ask the learner to delete it, except where it may be evidence.",
        "DEV-SRC-01",
        "DEV-SRC-03",
    )
