"""Rules for personal phones and devices (policy-questions.md §4.1).

Rows: DEV-LRN-02, DEV-STF-02, DEV-GEN-05, DEV-VIS-01, DEV-STF-03, DEV-LRN-11, DEV-GEN-07, DEV-LRN-05,
DEV-EXM-01 (plus DEV-STF-11, DEV-EXM-02 and GOV-10 where they decide a case). Each school's position
comes from its variables (learner_phone_rule, visitor_phone_rule, device_free_locations,
device_free_rule_extends_to_visits, staff_teaching_time_device_approver, staff_covid_contact_exception,
learner_lesson_device_use_approval, exam_device_reporting_scope, …) and its clause map.
Lesson use, abusive messages, medical needs and exams are in rules_devices_lessons.py; shared pieces in
rules_devices_common.py; §4.2–4.4 in rules_devices_staff.py and §4.5 in rules_systems.py.
"""

from __future__ import annotations

from harbour.policy.rules.engine import Answer, Question, rule
from harbour.policy.rules.rules_devices_common import (
    HAND_IN,
    HEAD_PERMISSION,
    OFF_AND_HIDDEN,
    device_free_answer,
    head_permission_in_lessons,
    learner_permission_conditions,
    medical_arrangement,
    off_and_hidden_conditions,
    visitor_rule,
)
from harbour.policy.rules.rules_devices_facts import (
    LOCATION_NAMES,
    VISITOR_RULE_ACTORS,
    device_free_locations,
    device_free_words,
)


@rule("bring_personal_phone_on_site")
def bring_personal_phone_on_site(q: Question) -> Answer:
    """DEV-LRN-02 (learners, Differs: learner_phone_rule); adults may bring theirs (DEV-STF-02, DEV-VIS-01)."""
    if q.actor == "learner":
        setting = q.var("learner_phone_rule")
        if not q.covered("DEV-LRN-02") or setting is None:
            return q.not_covered()
        if setting == HEAD_PERMISSION:
            if q.ctx("reason") == "medical_need" and q.covered("DEV-LRN-05"):
                return medical_arrangement(q, "DEV-LRN-02")
            return q.conditional(
                learner_permission_conditions(q),
                f"Learners do not bring phones or other personal devices to school unless {q.the_head} "
                "has agreed in writing, which happens only in exceptional circumstances.",
                "DEV-LRN-02",
            )
        if q.ctx("reason") == "medical_need" and not q.covered("DEV-LRN-05"):
            return q.not_covered(
                f"{q.school_name}'s policy does not say how a learner who needs their own device for a medical "
                f"reason is looked after; agree it with {q.the_head} before the device comes in."
            )
        if setting == HAND_IN:
            return q.conditional(
                ["The device is handed in at the school office on arrival and stays there until home time."],
                "Learners' phones and devices are left at the school office for the day; they are not kept "
                "in class or in bags.",
                "DEV-LRN-02",
            )
        if setting == OFF_AND_HIDDEN:
            return q.conditional(
                off_and_hidden_conditions(q),
                "Learners may bring a phone, but it is switched off and put away for the whole school day.",
                "DEV-LRN-02",
            )
        return q.not_covered()
    if q.actor in VISITOR_RULE_ACTORS and q.covered("DEV-VIS-01"):
        return q.allowed(
            "Parents, carers and visitors may bring their phones; the policy only limits where and how they "
            "are used on site.",
            "DEV-VIS-01",
        )
    if q.is_staff and q.covered("DEV-STF-02"):
        return q.allowed(
            "Staff may bring their own phones and devices; the policy asks them to keep them secured and "
            "silent during lessons.",
            clauses=(*(q.refs_at("DEV-STF-02", 1) or q.clauses("DEV-STF-02")), *q.staff_scope_clauses()),
        )
    return q.not_covered()


@rule("keep_personal_phone_with_them")
def keep_personal_phone_with_them(q: Question) -> Answer:
    """DEV-LRN-02 for learners; DEV-STF-02 (secured, silent, Bluetooth off in lessons) for staff."""
    place = q.ctx("location")
    if q.actor == "learner":
        setting = q.var("learner_phone_rule")
        if place == "exam_room" and q.covered("DEV-EXM-01"):
            return q.forbidden("No phone or personal device may be taken into an exam.", "DEV-EXM-01")
        if not q.covered("DEV-LRN-02"):
            return q.not_covered()
        if setting == HAND_IN:
            return q.forbidden(
                "Learners hand their phones and devices in at the school office and leave them there for the day.",
                "DEV-LRN-02",
            )
        if setting == HEAD_PERMISSION:
            return q.conditional(
                learner_permission_conditions(q),
                f"A learner may have a device in school only with {q.the_head}'s written permission, and it "
                "must then stay out of sight unless it is being used for the agreed purpose.",
                "DEV-LRN-02",
            )
        if setting == OFF_AND_HIDDEN:
            return q.conditional(
                off_and_hidden_conditions(q),
                "A learner may keep their phone, switched off and out of sight, for the school day.",
                "DEV-LRN-02",
            )
        return q.not_covered()
    if q.is_staff and q.covered("DEV-STF-02"):
        if place in ("staff_room", "office", "office_waiting_area"):
            return q.allowed(
                "The policy only asks staff to put their phones away during lessons; away from teaching "
                "they may keep them.",
                "DEV-STF-02",
                clauses=q.staff_scope_clauses(),
            )
        storage = str(q.var("staff_phone_storage_in_lessons", "safe and secure place"))
        return q.conditional(
            [
                f"During lessons it is kept in a {storage}.",
                "During lessons it is switched off or set to silent.",
                "During lessons Bluetooth, AirDrop and similar sharing are hidden or turned off.",
            ],
            "Staff may keep their own device with them, but in lesson time it is put away securely, silenced "
            "and not discoverable.",
            "DEV-STF-02",
            clauses=q.staff_scope_clauses(),
        )
    return q.not_covered()


@rule("use_personal_phone_on_site")
def use_personal_phone_on_site(q: Question) -> Answer:
    """DEV-GEN-05 (device-free areas, everyone) and DEV-VIS-01 (visitors; Differs: visitor_phone_rule)."""
    banned = device_free_answer(q)
    if banned:
        return banned
    place = q.ctx("location")
    if q.actor in VISITOR_RULE_ACTORS:
        return visitor_rule(q, place) if q.covered("DEV-VIS-01") else q.not_covered()
    if q.actor == "learner":
        setting = q.var("learner_phone_rule")
        if place == "exam_room" and q.covered("DEV-EXM-01"):
            return q.forbidden("No phone or personal device may be taken into an exam.", "DEV-EXM-01")
        if not q.covered("DEV-LRN-02") or setting is None:
            return q.not_covered()
        if setting == HAND_IN:
            return q.forbidden(
                "Learners' devices stay at the school office during the day, so they are not used around "
                "school (use in a lesson is a separate question).",
                "DEV-LRN-02",
            )
        if setting == OFF_AND_HIDDEN:
            return q.forbidden(
                "Learners' phones stay switched off and out of sight for the whole school day.",
                "DEV-LRN-02",
            )
        if setting != HEAD_PERMISSION:
            return q.not_covered()
        conditions = learner_permission_conditions(q)
        if not place and q.covered("DEV-GEN-05"):
            conditions.append(f"It is not used in a device-free area ({device_free_words(q)}).")
        return q.conditional(
            conditions,
            f"A learner may use a device in school only for the purpose {q.the_head} agreed in writing.",
            "DEV-LRN-02",
            *(("DEV-GEN-05",) if not place else ()),
        )
    if q.is_staff:
        return _staff_use_on_site(q, place)
    return q.not_covered()


def _staff_use_on_site(q: Question, place: str | None) -> Answer:
    if not q.covered("DEV-STF-03", "DEV-GEN-05"):
        return q.not_covered()
    teaching = place in ("classroom", "hall", "exam_room") and q.ctx("learners_present") != "no"
    if teaching and q.covered("DEV-STF-03"):
        return head_permission_in_lessons(q)
    if place or q.ctx("learners_present") == "no":
        refs = [r for r in ("DEV-STF-03", "DEV-GEN-05") if q.covered(r)]
        return q.allowed(
            "Outside teaching time and away from device-free areas the policy does not limit staff use of "
            "their own devices.",
            *refs,
            clauses=q.staff_scope_clauses(),
        )
    conditions = []
    if q.covered("DEV-STF-03"):
        approver = q.role_name(q.var("staff_teaching_time_device_approver", "headteacher"))
        conditions.append(f"It is not lesson or teaching time, unless {approver} has given written permission.")
    if q.covered("DEV-GEN-05"):
        conditions.append(f"It is not used in a device-free area ({device_free_words(q)}).")
    return q.conditional(
        conditions,
        "Staff may use their own devices on site, except in device-free areas and, without written "
        "permission, during teaching time.",
        "DEV-STF-03",
        "DEV-GEN-05",
        clauses=q.staff_scope_clauses(),
    )


@rule("use_personal_phone_on_school_trip")
def use_personal_phone_on_school_trip(q: Question) -> Answer:
    """DEV-GEN-05 off site (Differs: device_free_rule_extends_to_visits)."""
    if not q.covered("DEV-GEN-05") or not q.var("device_free_rule_extends_to_visits", False):
        if q.covered("DEV-GEN-05"):
            return q.not_covered(
                f"{q.school_name}'s device-free rule covers the school site only; its policy says nothing "
                "about using personal devices on school trips. Check with the trip leader."
            )
        return q.not_covered()
    place = q.ctx("location")
    if place and place in device_free_locations(q):
        return q.forbidden(
            f"The device-free areas also apply on school visits, so no one may use a device in "
            f"{LOCATION_NAMES[place]} at the place visited.",
            "DEV-GEN-05",
        )
    if q.actor == "learner" and q.var("learner_phone_rule") == HEAD_PERMISSION and q.covered("DEV-LRN-02"):
        conditions = learner_permission_conditions(q)
        if not place:
            conditions.append(f"It is not used in a device-free area ({device_free_words(q)}).")
        return q.conditional(
            conditions,
            f"Learners have devices only with {q.the_head}'s written permission, and on visits the "
            "device-free areas still apply.",
            "DEV-LRN-02",
            "DEV-GEN-05",
        )
    if place:
        return q.allowed(
            f"On visits the policy rules out devices only in device-free areas ({device_free_words(q)}), "
            f"and {LOCATION_NAMES[place]} is not one of them.",
            "DEV-GEN-05",
        )
    return q.conditional(
        [f"It is not used in a device-free area at the place visited ({device_free_words(q)})."],
        "The school's device-free areas apply on school visits as well as on site.",
        "DEV-GEN-05",
    )
