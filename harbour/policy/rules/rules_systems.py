"""Rules for school-provided devices, systems and data (policy-questions.md §4.5).

Rows: DEV-OFF-03/04/05, APP-05, ACC-02, ACC-13, TOOL-06, FLT-09, ACC-08, DPS-04, WEB-02. A school
whose policy does not state a row answers not_covered; otherwise the variables decide.
"""

from __future__ import annotations

from harbour.policy.rules.engine import Answer, Question, rule
from harbour.policy.rules.rules_devices_facts import supervision_by_key_stage

_KEY_STAGE_WORDS = {"eyfs": "the Early Years Foundation Stage", "ks1": "Key Stage 1", "ks2": "Key Stage 2"}


@rule("use_staff_work_device")
def use_staff_work_device(q: Question) -> Answer:
    """DEV-OFF-03 (staff only, passcode-protected) and DEV-OFF-05 (used under the school's policies)."""
    if not q.covered("DEV-OFF-03"):
        return q.not_covered()
    if not q.is_staff:
        return q.forbidden(
            "School phones and devices issued for staff use are used only by staff.",
            "DEV-OFF-03",
        )
    conditions = [
        "The school has issued the device to you for your work.",
        "It is protected by a passcode, password or PIN.",
    ]
    rows = ["DEV-OFF-03"]
    if q.covered("DEV-OFF-05"):
        conditions.append("You use it in line with the acceptable use policy and the other policies it links to.")
        rows.append("DEV-OFF-05")
    note = ""
    if q.var("official_device_monitoring_notice_before_use") and q.covered("DEV-OFF-04"):
        note = " You are told before first use that activity on it may be monitored."
        rows.append("DEV-OFF-04")
    return q.conditional(
        conditions,
        f"School-issued phones and devices are for staff, kept locked, and used under the school's policies.{note}",
        *rows,
        clauses=q.staff_scope_clauses(),
    )


@rule("use_school_computers_or_internet")
def use_school_computers_or_internet(q: Question) -> Answer:
    """ACC-02 (AUP signed before access: aup_required_before_access, visitor_aup_scope); ACC-13 (parents)."""
    if q.actor in ("parent", "pta"):
        if not q.covered("ACC-13"):
            return q.not_covered()
        return q.conditional(
            ["You use the school's systems, such as the learning platform, safely and appropriately."],
            "Parents and carers who use the school's systems are expected to use them safely and appropriately.",
            "ACC-13",
        )
    if not q.covered("ACC-02") or not q.var("aup_required_before_access", False):
        return q.not_covered()
    if q.actor in ("visitor", "volunteer", "contractor") and q.var("visitor_aup_scope") != "all_visitors":
        return q.not_covered()
    return q.conditional(
        ["You have read and signed the acceptable use policy that applies to you."],
        "Staff, learners and visitors read and sign an acceptable use policy before they are given access to "
        "the school's computers, systems or internet.",
        "ACC-02",
    )


@rule("use_internet_unsupervised")
def use_internet_unsupervised(q: Question) -> Answer:
    """TOOL-06 (internet_supervision_model): about a learner, so the same for every asker."""
    stages = supervision_by_key_stage(q)
    if not q.covered("TOOL-06") or not stages:
        return q.not_covered()
    refs = q.clauses("TOOL-06")
    # The row cites the general sentence, then each stage's heading and items in document order.
    early, later = _stage_refs(refs)
    search = q.var("child_safe_search_tool")
    tools = f", child-safe search ({search})" if search else ", child-safe search"
    stage = q.ctx("key_stage")
    if stage and stages.get(stage) == "direct":
        return q.forbidden(
            f"In {_KEY_STAGE_WORDS[stage]} learners go online only when an adult shows them or directly "
            "supervises them with approved materials.",
            clauses=early,
        )
    if stage and stages.get(stage) == "teacher_directed":
        return q.conditional(
            [
                f"The learner uses only approved resources{tools} and tools.",
                "The teacher has directed the learner to the materials they use.",
            ],
            f"In {_KEY_STAGE_WORDS[stage]} learners may work online without an adult at their side, using "
            "approved resources the teacher directs them to.",
            clauses=later,
        )
    if stage:
        return q.not_covered()
    direct = [s for s in ("eyfs", "ks1", "ks2") if stages.get(s) == "direct"]
    conditions = (
        [f"The learner is not in {_words_or(direct)}, where an adult demonstrates or directly supervises."]
        if direct
        else []
    )
    conditions += [
        f"The learner uses only approved resources{tools} and tools.",
        "The teacher has directed the learner to the materials they use.",
    ]
    return q.conditional(
        conditions,
        "How far learners may go online without an adult beside them depends on their age: the youngest only "
        "with an adult, older ones on approved resources the teacher directs.",
        "TOOL-06",
    )


def _words_or(stages: list[str]) -> str:
    names = [_KEY_STAGE_WORDS[s] for s in stages]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _stage_refs(refs: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split TOOL-06's refs into (general + younger stages, general + older stages) by document order.

    With the six items of the seed layout (general, EYFS/KS1 heading, its item, KS2 heading, its two items)
    this is positions 0–2 and 0, 3–5; any other layout falls back to every ref for both.
    """
    if len(refs) == 6:
        return refs[:3], (refs[0], *refs[3:])
    return refs, refs


@rule("access_social_media_on_school_device")
def access_social_media_on_school_device(q: Question) -> Answer:
    """FLT-09: learners' and staff access to social media on school devices is set by the filtering."""
    if not q.covered("FLT-09") or not (q.actor == "learner" or q.is_staff):
        return q.not_covered()
    return q.conditional(
        ["The school's filtering allows it for your group of users."],
        "On school devices and systems, access to social media is controlled by the school's filtering and "
        "monitoring, set for each group of users.",
        "FLT-09",
        clauses=q.staff_scope_clauses(),
    )


@rule("log_in_as_another_user")
def log_in_as_another_user(q: Question) -> Answer:
    """ACC-08 (the rules every user follows) and ACC-07 (the point itself): no one signs in as another user.

    ACC-08's first ref is the lead-in naming all users; the login point is cited by ACC-07.
    """
    if not q.covered("ACC-07"):
        return q.not_covered()
    return q.forbidden(
        "Everyone signs in to school systems with their own account only, never as someone else.",
        clauses=(*q.refs_at("ACC-08", 0), *q.clauses("ACC-07")),
    )
