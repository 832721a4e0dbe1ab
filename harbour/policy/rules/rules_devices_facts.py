"""Reading the device-related policy variables into the facts the device rules decide on.

Some variables of policy-variables.md are free text (confiscation_trigger, device_search_rule, …). Each
reader below first looks for a structured variable the schema may add (named in the docstring) and
otherwise reads the text variable by its key phrases, so a school's position always comes from its
configuration. Pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine imports the rule modules, which import this one: no import cycle at run time
    from harbour.policy.rules.engine import Question

# Actors the visitor phone rule names: parents/carers and visitors, including volunteers and
# contractors (DEV-VIS-01); PTA officers are parents acting for the PTA.
VISITOR_RULE_ACTORS = ("visitor", "volunteer", "contractor", "parent", "pta")
PARENT_ACTORS = ("parent", "pta")

_LOCATION_WORDS = {
    "changing room": "changing_room",
    "toilet": "toilet",
    "swimming pool": "swimming_pool",
    "classroom": "classroom",
    "hall": "hall",
    "playground": "playground",
    "staff room": "staff_room",
    "office waiting area": "office_waiting_area",
    "exam room": "exam_room",
}

LOCATION_NAMES = {
    "classroom": "a classroom",
    "hall": "the hall",
    "playground": "the playground",
    "staff_room": "the staff room",
    "office": "the office",
    "office_waiting_area": "the office waiting area",
    "changing_room": "a changing room",
    "toilet": "a toilet",
    "swimming_pool": "a swimming pool",
    "exam_room": "an exam room",
}

DEVICE_NAMES = {
    "phone": "a mobile phone",
    "tablet": "a tablet",
    "smart_watch": "a smart watch",
    "camera": "a camera",
    "games_console": "a games console",
    "laptop": "a laptop",
}

# Devices that can call, message or go online; a camera on its own cannot (DEV-EXM-02).
COMMUNICATING_DEVICES = frozenset({"phone", "tablet", "smart_watch", "laptop", "games_console"})


def _words(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, Iterable):
        return " ; ".join(str(v).lower() for v in value)
    return str(value).lower()


def location_key(text: str) -> str:
    """A configured place ("changing rooms") as a context value ("changing_room")."""
    cleaned = text.strip().lower().rstrip("s")
    return _LOCATION_WORDS.get(cleaned, cleaned.replace(" ", "_"))


def device_free_locations(q: Question) -> tuple[str, ...]:
    """Context values of the device-free areas (device_free_locations, DEV-GEN-05/06)."""
    return tuple(location_key(str(t)) for t in q.var("device_free_locations", []))


def device_free_words(q: Question) -> str:
    from harbour.policy.rules.engine import join_words

    return join_words([str(t) for t in q.var("device_free_locations", [])], "or")


def device_name(q: Question) -> str:
    return DEVICE_NAMES.get(q.ctx("device") or "phone", "a personal device")


def _reason_keys(text: str) -> set[str]:
    found = set()
    if "child protection" in text:
        found.add("child_protection")
    if "behaviour" in text:
        found.add("behaviour_breach")
    if "bullying" in text:
        found.add("bullying")
    if "sexual imagery" in text or "sexting" in text or "nude" in text:
        found.add("suspected_nude_image")
    return found


def confiscation_grounds(q: Question) -> tuple[frozenset[str], bool]:
    """(reasons for which staff may confiscate, whether any breach of the policy requires it) — DEV-CNF-01.

    Reads ``confiscation_grounds`` (each ground in words) and ``confiscation_duty``; a configuration
    holding only ``confiscation_trigger`` is read by its key phrases.
    """
    listed = q.var("confiscation_grounds")
    duty = q.var("confiscation_duty")
    trigger = _words(q.var("confiscation_trigger"))
    grounds = _reason_keys(_words(listed) if listed else trigger)
    # Without the structured duty, the school's own words decide.
    by_words = "will confiscate" in trigger or "any policy breach" in trigger
    required = duty == "must_on_any_breach" if duty else by_words
    if listed and any("any breach" in str(g).lower() for g in listed):
        required = True
    return frozenset(grounds), required


def release_rule(q: Question) -> str | None:
    """How a confiscated device goes back (DEV-CNF-04): "end_of_day_longer_for_repeat", "end_of_day",
    "appropriate_time" or None (silent). Reads ``confiscated_device_release_when`` and
    ``confiscation_longer_for_repeat``, else the words of ``confiscated_device_release_rule``."""
    when = q.var("confiscated_device_release_when")
    longer = q.var("confiscation_longer_for_repeat")
    text = _words(q.var("confiscated_device_release_rule"))
    if when is None:
        if "end of" in text and "day" in text:
            when = "end_of_school_day"
        elif "appropriate time" in text:
            when = "appropriate_time"
    if longer is None:
        longer = "repeat" in text
    if when == "end_of_school_day":
        return "end_of_day_longer_for_repeat" if longer else "end_of_day"
    return when


def search_rule(q: Question) -> dict[str, Any] | None:
    """Who may search a learner's device and whether consent is needed (DEV-SRC-01), or None when the
    policy gives no rule of its own. Structured ``device_search_by`` / ``device_search_consent_required``
    win over the key phrases of ``device_search_rule``."""
    by = q.var("device_search_by")
    consent = q.var("device_search_consent_required")
    text = _words(q.var("device_search_rule"))
    if by is None and not text:
        return None
    if by is None:
        by = "slt" if ("leadership" in text or "senior" in text) else None
    if consent is None:
        consent = "consent" in text
    return {"by": by, "consent": bool(consent), "may_delete": "delet" in text or q.var("device_search_may_delete")}


def lesson_approval_conditions(q: Question) -> list[str]:
    """What makes a learner's device use in a lesson acceptable (learner_lesson_device_use_approval)."""
    conditions = ["The use is part of a planned, teacher-directed learning activity."]
    for item in q.var("learner_lesson_device_use_approval", []):
        word = str(item).lower()
        if "consent" in word:
            conditions.append("A member of staff has agreed to it.")
        elif "risk" in word:
            conditions.append("The activity has been risk assessed.")
        elif "leadership" in word or "slt" in word or "approv" in word:
            conditions.append(f"The {q.leadership_name} has approved the activity.")
        else:
            conditions.append(f"{str(item)[:1].upper()}{str(item)[1:]}.")
    return conditions


def supervision_by_key_stage(q: Question) -> dict[str, str]:
    """Internet supervision per key stage (TOOL-06): "direct" (adult demonstration or directly
    supervised use only) or "teacher_directed". Structured ``internet_supervision_by_key_stage`` wins."""
    value = q.var("internet_supervision_by_key_stage")
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    text = _words(q.var("internet_supervision_model"))
    stages: dict[str, str] = {}
    for part in text.split(";"):
        head = part.split(":")[0]
        mode = "direct" if ("supervis" in part or "demonstration" in part) else "teacher_directed"
        if "teacher" in part and "direct" in part and "supervis" not in part:
            mode = "teacher_directed"
        for stage in ("eyfs", "ks1", "ks2"):
            if stage in head:
                stages[stage] = mode
    return stages
