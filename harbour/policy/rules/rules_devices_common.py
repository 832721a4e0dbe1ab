"""Shared pieces of the personal-device rules (policy-questions.md §4.1): the learner phone rule's
settings, the device-free areas (DEV-GEN-05), the visitor rule (DEV-VIS-01), the head's written
permission in teaching time (DEV-STF-03) and exceptional medical arrangements (DEV-LRN-05/07).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harbour.policy.rules.rules_devices_facts import LOCATION_NAMES, device_free_locations, device_free_words

if TYPE_CHECKING:  # the engine imports the rule modules, which import this one: no import cycle at run time
    from harbour.policy.rules.engine import Answer, Question

OFFICE_WAITING = "office_waiting_area_only"
HAND_IN = "hand_in_at_office"
HEAD_PERMISSION = "not_allowed_except_written_head_permission"
OFF_AND_HIDDEN = "switched_off_out_of_sight"


def off_and_hidden_conditions(q: Question) -> list[str]:
    """learner_phone_rule switched_off_out_of_sight; phone_free_school_day may add pouches."""
    conditions = ["The device stays switched off for the whole school day."]
    if q.var("phone_free_school_day") == "phone_pouches":
        conditions.append("It stays locked in its pouch until the end of the day.")
    else:
        conditions.append("It stays out of sight, in a bag or locker, until the end of the day.")
    return conditions


def learner_permission_conditions(q: Question) -> list[str]:
    return [
        f"{q.the_head[:1].upper()}{q.the_head[1:]} has given written permission because the circumstances are "
        "exceptional.",
        "The device is kept out of sight except when it is being used for the purpose that was agreed.",
    ]


def device_free_answer(q: Question) -> Answer | None:
    """DEV-GEN-05: no one uses a device in a device-free area of the site."""
    place = q.ctx("location")
    if place and place in device_free_locations(q) and q.covered("DEV-GEN-05"):
        return q.forbidden(
            f"Nobody may use a phone or other personal device in {LOCATION_NAMES[place]}: it is one of the "
            f"school's device-free areas ({device_free_words(q)}).",
            "DEV-GEN-05",
        )
    return None


def head_permission_in_lessons(q: Question) -> Answer:
    """DEV-STF-03: staff leave personal devices alone in teaching time unless the head approved in writing."""
    approver = q.role_name(q.var("staff_teaching_time_device_approver", "headteacher"))
    reason = q.ctx("reason")
    if reason == "suspected_covid_case" and q.var("staff_covid_contact_exception") is True:
        return q.conditional(
            [
                f"It is used only to tell {q.the_head} about a suspected case of Covid-19.",
                f"There is no other way of reaching {q.the_head} at that moment.",
            ],
            "During teaching time personal devices stay put away, but the policy makes one exception: "
            f"reporting a suspected Covid-19 case to {q.the_head} when nothing else will reach them.",
            "DEV-STF-03",
        )
    if reason == "educational_activity" and q.covered("DEV-STF-11"):
        return q.forbidden(
            "Work with learners in lessons is done on school equipment only, never on a personal device.",
            "DEV-STF-11",
            clauses=q.staff_scope_clauses(),
        )
    example = " An emergency is the kind of reason that can justify it." if reason == "emergency" else ""
    return q.conditional(
        [f"{approver[:1].upper()}{approver[1:]} has given written permission for this use, and it is on record."],
        "Personal devices are not used during lessons or other teaching time unless "
        f"{approver} has agreed in writing, for example in an emergency.{example}",
        "DEV-STF-03",
        clauses=q.staff_scope_clauses(),
    )


def visitor_rule(q: Question, place: str | None, what: str = "use a phone") -> Answer:
    """DEV-VIS-01 for parents/carers, visitors, volunteers and contractors."""
    setting = q.var("visitor_phone_rule")
    if setting == OFFICE_WAITING:
        if place == "office_waiting_area":
            return q.allowed(
                "Parents, carers and visitors (volunteers and contractors included) may use their phones in "
                "the office waiting area.",
                "DEV-VIS-01",
            )
        if place:
            return q.forbidden(
                f"Parents, carers and visitors may {what} only in the office waiting area, so not in "
                f"{LOCATION_NAMES[place]}.",
                "DEV-VIS-01",
            )
        return q.conditional(
            ["You are in the office waiting area."],
            "Parents, carers and visitors (volunteers and contractors included) may use their phones only in "
            "the office waiting area.",
            "DEV-VIS-01",
        )
    conditions = ["The use follows the school's acceptable use policy and the other policies linked to it."]
    refs = ["DEV-VIS-01"]
    if not place and q.covered("DEV-GEN-05"):
        conditions.append(f"You are not in a device-free area ({device_free_words(q)}).")
        refs.append("DEV-GEN-05")
    return q.conditional(
        conditions,
        "The policy sets no area limit for parents, carers and visitors, but any use of their phones must "
        "keep to the school's acceptable use policy and related policies.",
        *refs,
    )


def medical_arrangement(q: Question, *more_rows: str) -> Answer:
    """DEV-LRN-05/06/07: an exceptional arrangement agreed with the head, recorded and signed."""
    return q.conditional(
        [
            f"The need has been discussed with {q.the_head} and agreed before the device is used.",
            "The school has recorded the arrangement.",
            "The learner and their parents or carers have agreed in writing to the expectations, including "
            "what happens if the device is misused.",
        ],
        "A learner who needs their own device for a medical reason, such as monitoring a condition, may have "
        "it under an individual arrangement agreed in advance.",
        "DEV-LRN-05",
        "DEV-LRN-07",
        *more_rows,
    )
