"""Rules for remote learning, nude and indecent images of children, and concerns: policy-questions.md
§4.11–4.13 (GOV-23).

As in rules_conduct: a rule answers not_covered unless the school's clause map holds its rows and the
rows speak to the asking actor; verdicts and conditions come from configuration variables only.

Rows answered here: RML-07, VC-02, VC-03, INC-YPSI-01, INC-YPSI-14, INC-YPSI-16, INC-CSAE-01,
INC-CSAE-08, INC-IIOC-06, INC-IIOC-11, REP-10, REP-17. The [SAFETY] rows among them (INC-YPSI-14,
INC-IIOC-06, REP-17, INC-CSAE-08) have tests in harbour/policy/tests/test_rules_safeguarding.py.

Pure module: nothing from Django or from harbour outside ``harbour.policy.rules``.
"""

from __future__ import annotations

from harbour.policy.rules.engine import Answer, Question, rule
from harbour.policy.rules.rules_conduct import cap

# Those who decide, for the school, what goes beyond it.
_SCHOOL_LEADS: tuple[str, ...] = ("dsl", "headteacher", "leadership_team")


# --- §4.11 Remote learning and live lessons ------------------------------------------------------


@rule("use_app_as_remote_learning_platform")
def app_as_remote_learning_platform(q: Question) -> Answer:
    """RML-07 (remote_learning_provisions_enabled, remote_platform_risk_assessor, remote_learning_aup):
    a social media service or app becomes a formal remote-learning platform only after a risk assessment."""
    if not (q.var("remote_learning_provisions_enabled", False) and q.covered("RML-07")):
        return q.not_covered()
    if not (q.is_staff or q.actor == "learner"):
        return q.not_covered()
    assessors = q.role_names(q.var("remote_platform_risk_assessor") or ["dsl", "headteacher"], "and/or")
    conditions = [f"{cap(assessors)} has risk assessed the service or app thoroughly before anyone uses it."]
    aup = q.var("remote_learning_aup")
    if aup:
        conditions.append(f"It is used only as the {aup} sets out.")
    return q.conditional(
        conditions,
        "A social media service or app is used for formal remote learning only once it has been properly risk "
        f"assessed by {assessors}.",
        "RML-07",
        clauses=q.staff_scope_clauses(),
    )


@rule("include_learners_in_videoconference")
def learners_in_videoconference(q: Question) -> Answer:
    """VC-02: parents' consent before learners take part in videoconferencing."""
    if not q.covered("VC-02") or not q.is_staff:
        return q.not_covered()
    consent = q.ctx("consent")
    if consent == "not_given":
        return q.forbidden(
            "Without a parent's or carer's consent, a learner does not take part in a videoconference.",
            "VC-02",
            clauses=q.staff_scope_clauses(),
        )
    if consent == "given":
        return q.allowed(
            "With a parent's or carer's consent, the learner may take part.", "VC-02", clauses=q.staff_scope_clauses()
        )
    return q.conditional(
        ["The learner's parent or carer has given consent beforehand."],
        "Learners join videoconferences or webcam sessions only once their parents or carers have agreed.",
        "VC-02",
        clauses=q.staff_scope_clauses(),
    )


@rule("record_video_lesson")
def record_video_lesson(q: Question) -> Answer:
    """VC-03: everyone told at the start, written permission from all, a reason, secure storage."""
    if not q.covered("VC-03") or not q.is_staff:
        return q.not_covered()
    consent = q.ctx("consent")
    why = (
        "A video lesson is recorded only in the open: everyone knows from the start, everyone taking part has "
        "agreed in writing, the reason is given and the recording is kept securely."
    )
    if consent == "not_given":
        return q.forbidden(why, "VC-03", clauses=q.staff_scope_clauses())
    conditions = ["Everyone is told at the very start that the session is being recorded."]
    if consent != "given":
        conditions.append("Every participant has given written permission.")
    conditions += ["The reason for recording is given.", "The recording is stored securely."]
    return q.conditional(conditions, why, "VC-03", clauses=q.staff_scope_clauses())


# --- §4.12 Nude and indecent images of children --------------------------------------------------


@rule("view_suspected_nude_image")
def view_suspected_nude_image(q: Question) -> Answer:
    """INC-YPSI-14 [SAFETY]: only the DSL, only when there is no other option or a clear need, with the
    justification written down; nobody else looks."""
    if not q.covered("INC-YPSI-14") or not q.is_staff:
        return q.not_covered()
    if q.actor == "dsl":
        return q.conditional(
            [
                "Looking at it is the only way forward, or you have a clear and specific reason to see it.",
                "You write down why you viewed it.",
            ],
            "Suspected nude images of children are not looked at. The designated safeguarding lead is the only "
            "exception, when there is no other way or a clear need, and records the reason.",
            "INC-YPSI-14",
            clauses=q.staff_scope_clauses(),
        )
    return q.forbidden(
        "Do not look at it. Only the designated safeguarding lead may ever view a suspected nude image of a "
        "child, and only when there is no other option; tell the DSL straight away instead.",
        "INC-YPSI-14",
        clauses=q.staff_scope_clauses(),
    )


_NEVER_COPY = (
    "Suspected nude images of children are never sent, shared, saved or copied by anyone, not even to show "
    "the designated safeguarding lead. Tell the DSL and leave the image where it is."
)


@rule("forward_suspected_nude_image")
def forward_suspected_nude_image(q: Question) -> Answer:
    """INC-YPSI-16: forbidden for everyone."""
    if not q.covered("INC-YPSI-16"):
        return q.not_covered()
    return q.forbidden(_NEVER_COPY, "INC-YPSI-16")


@rule("save_copy_of_suspected_nude_image")
def save_copy_of_suspected_nude_image(q: Question) -> Answer:
    """INC-YPSI-16: forbidden for everyone."""
    if not q.covered("INC-YPSI-16"):
        return q.not_covered()
    return q.forbidden(_NEVER_COPY, "INC-YPSI-16")


@rule("ask_learner_to_send_suspected_nude_image")
def ask_learner_to_send(q: Question) -> Answer:
    """INC-YPSI-16: the school never asks or lets a learner send, share or save such an image."""
    if not q.covered("INC-YPSI-16") or not q.is_staff:
        return q.not_covered()
    return q.forbidden(
        "Never ask a learner to send, share or save a suspected nude image, not even as evidence, and do not "
        "let them do it. Tell the designated safeguarding lead.",
        "INC-YPSI-16",
        clauses=q.staff_scope_clauses(),
    )


@rule("delete_suspected_nude_image")
def delete_suspected_nude_image(q: Question) -> Answer:
    """INC-IIOC-11: stray copies are deleted once the reporting steps are done; the device holding the
    original is secured, and a copy is kept only where the police ask."""
    if not q.covered("INC-IIOC-11") or not q.is_staff:
        return q.not_covered()
    conditions = [
        "The designated safeguarding lead knows about the image and the reporting steps have been completed.",
        "It is a stray copy (for example in an email), not the original on a device that has been secured.",
        "The police have not asked the school to keep a copy.",
    ]
    if q.actor != "dsl":
        conditions.insert(0, "The designated safeguarding lead has asked you to.")
    return q.conditional(
        conditions,
        "Copies of such images are deleted once the concern has been reported, so none stay in email or on "
        "shared systems; the device itself is kept safe as evidence.",
        "INC-IIOC-11",
        clauses=q.staff_scope_clauses(),
    )


@rule("handle_nude_image_or_sexual_abuse_concern")
def handle_sexual_imagery_or_abuse_concern(q: Question) -> Answer:
    """INC-YPSI-01, INC-CSAE-01: these concerns are safeguarding matters that the DSL takes and closes."""
    rows = ("INC-YPSI-01", "INC-CSAE-01")
    if not q.covered(*rows) or not q.is_staff:
        return q.not_covered()
    if q.actor == "dsl":
        return q.allowed(
            "These are safeguarding concerns: the designated safeguarding lead takes charge of them, decides "
            "what happens and closes them.",
            *rows,
            clauses=q.staff_scope_clauses(),
        )
    return q.forbidden(
        "These are safeguarding concerns: pass them to the designated safeguarding lead at once, who deals with "
        "them. Do not investigate or decide anything yourself.",
        *rows,
        clauses=q.staff_scope_clauses(),
    )


@rule("keep_copy_of_indecent_image")
def keep_copy_of_indecent_image(q: Question) -> Answer:
    """INC-IIOC-06 [SAFETY], INC-IIOC-11: a copy is kept only at the police's request, securely, outside
    Harbour, with every other copy deleted."""
    rows = ("INC-IIOC-06", "INC-IIOC-11")
    if not q.covered(*rows) or not q.is_staff:
        return q.not_covered()
    conditions = [
        "The police have asked the school to keep a copy.",
        "It is stored securely where nobody else can reach it, never in Harbour.",
        "Every other copy has been deleted.",
    ]
    if q.actor not in ("dsl", "headteacher"):
        conditions.insert(0, "The designated safeguarding lead has arranged it with you.")
    return q.conditional(
        conditions,
        "Copies of indecent images of children are not kept. The one exception is a copy the police ask the "
        "school to hold, stored securely with all other copies deleted.",
        *rows,
        clauses=q.staff_scope_clauses(),
    )


# --- §4.13 Concerns and incidents ---------------------------------------------------------------


@rule("resolve_concern_without_reporting")
def resolve_concern_without_reporting(q: Question) -> Answer:
    """REP-10: every concern goes through the official reporting route, in confidence."""
    if not q.covered("REP-10"):
        return q.not_covered()
    return q.forbidden(
        f"Online safety concerns at {q.school_name} are reported through the official route and kept "
        "confidential; they are not sorted out privately or talked over elsewhere.",
        "REP-10",
    )


@rule("share_incident_with_other_schools")
def share_incident_beyond_school(q: Question) -> Answer:
    """REP-17 and INC-CSAE-08 [SAFETY] (external_sharing_precondition): nothing goes beyond the school
    community before the agencies named have been consulted, so no investigation is compromised."""
    rows = ("REP-17", "INC-CSAE-08")
    precondition = q.var("external_sharing_precondition")
    if not (precondition and q.covered(*rows)) or q.actor not in _SCHOOL_LEADS:
        return q.not_covered()
    return q.conditional(
        [f"{cap(str(precondition)).rstrip('.')}, so that no investigation is put at risk."],
        "Details of an incident go beyond the school community (to other schools, or as a public warning) only "
        "after the school has taken advice, because sharing too early can spoil a police investigation.",
        *rows,
    )
