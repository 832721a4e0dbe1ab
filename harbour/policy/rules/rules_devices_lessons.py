"""Rules for personal devices in lessons and exams, abusive messages and medical needs (policy-questions.md
§4.1, second half).

Rows: DEV-STF-03 (head's written permission; Covid-19 exception), DEV-STF-11, DEV-LRN-11 (Differs:
learner_lesson_device_use_approval), DEV-GEN-07 (abusive_message_breach_policies), DEV-LRN-05/07,
DEV-EXM-01/02 (exam_device_reporting_scope), DEV-VIS-01 for parents and visitors in a classroom.
"""

from __future__ import annotations

from harbour.policy.rules.engine import Answer, Question, join_words, rule
from harbour.policy.rules.rules_devices_common import (
    OFFICE_WAITING,
    head_permission_in_lessons,
    medical_arrangement,
    visitor_rule,
)
from harbour.policy.rules.rules_devices_facts import (
    COMMUNICATING_DEVICES,
    PARENT_ACTORS,
    VISITOR_RULE_ACTORS,
    device_name,
    lesson_approval_conditions,
)


@rule("use_personal_phone_in_lesson")
def use_personal_phone_in_lesson(q: Question) -> Answer:
    """DEV-STF-03 for staff (head's written permission; Covid exception) and DEV-LRN-11 for learners."""
    if q.actor == "learner":
        return _learner_in_lesson(q)
    if q.actor in VISITOR_RULE_ACTORS and q.var("visitor_phone_rule") == OFFICE_WAITING:
        return visitor_rule(q, "classroom") if q.covered("DEV-VIS-01") else q.not_covered()
    if q.actor in PARENT_ACTORS:
        return visitor_rule(q, "classroom") if q.covered("DEV-VIS-01") else q.not_covered()
    if q.is_staff and q.covered("DEV-STF-03"):
        return head_permission_in_lessons(q)
    return q.not_covered()


def _learner_in_lesson(q: Question) -> Answer:
    if not q.covered("DEV-LRN-11"):
        return q.not_covered()
    reason = q.ctx("reason")
    if reason == "medical_need":
        return (
            medical_arrangement(q)
            if q.covered("DEV-LRN-05")
            else q.not_covered(
                f"{q.school_name}'s policy allows learners' devices in lessons only for approved learning "
                f"activities and says nothing about medical needs; ask {q.the_head}."
            )
        )
    if reason and reason != "educational_activity":
        return q.forbidden(
            "Learners use their own devices in lessons only as part of an approved learning activity.",
            "DEV-LRN-11",
        )
    return q.conditional(
        lesson_approval_conditions(q),
        "Learners do not use their own devices in lessons unless it is part of an approved, teacher-directed "
        "activity; approval covers that activity only, not use in general.",
        "DEV-LRN-11",
    )


@rule("send_abusive_message")
def send_abusive_message(q: Question) -> Answer:
    """DEV-GEN-07: forbidden for every member of the community (abusive_message_breach_policies)."""
    if not q.covered("DEV-GEN-07"):
        return q.not_covered()
    policies = join_words([str(p) for p in q.var("abusive_message_breach_policies", [])], "and")
    handled = (
        f" Breaches are dealt with under the {policies} {'policies' if ' and ' in policies else 'policy'}."
        if policies
        else ""
    )
    return q.forbidden(
        f"No one in the school community may send abusive or inappropriate messages or content from a phone "
        f"or other device.{handled}",
        "DEV-GEN-07",
    )


@rule("use_personal_device_for_medical_needs")
def use_personal_device_for_medical_needs(q: Question) -> Answer:
    """DEV-LRN-05 (with DEV-LRN-06/07): the same answer whoever asks, as it is about a learner."""
    if not q.covered("DEV-LRN-05"):
        return q.not_covered(
            f"{q.school_name}'s policy does not describe arrangements for learners who need a device for "
            f"medical reasons; ask {q.the_head}."
        )
    return medical_arrangement(q)


@rule("take_personal_device_into_exam")
def take_personal_device_into_exam(q: Question) -> Answer:
    """DEV-EXM-01 (forbidden for learners); DEV-EXM-02 decides which devices are reported."""
    if q.actor != "learner" or not q.covered("DEV-EXM-01"):
        return q.not_covered()
    scope = q.var("exam_device_reporting_scope")
    device = q.ctx("device") or "phone"
    if scope == "communication_or_internet_capable" and device not in COMMUNICATING_DEVICES:
        note = (
            " A device that cannot communicate or go online is not reported to the exam board, but is still "
            "not allowed."
        )
    elif scope == "communication_or_internet_capable":
        note = (
            f" A learner found with {device_name(q)} in an exam is reported to the exam board, which can mean "
            "losing that exam or all of them."
        )
    elif scope:
        note = (
            " A learner found with any personal device in an exam is reported to the exam board, which can mean "
            "losing that exam or all of them."
        )
    else:
        note = ""
    return q.forbidden(
        f"Phones and other personal devices must not be taken into exams.{note}",
        "DEV-EXM-01",
        *(("DEV-EXM-02",) if note and scope else ()),
    )
