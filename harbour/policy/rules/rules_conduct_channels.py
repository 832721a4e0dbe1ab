"""Rules for learners and social media, official and PTA channels, and images of learners:
policy-questions.md §4.9–4.10 (GOV-23). Conventions as in rules_conduct.py.

Rows answered here: SOC-LRN-02, SOC-LRN-03, SOC-OFF-01, SOC-OFF-02, SOC-OFF-06, SOC-OFF-11, SOC-OFF-17,
IMG-01, IMG-03.

Pure module: nothing from Django or from harbour outside ``harbour.policy.rules``.
"""

from __future__ import annotations

from harbour.policy.rules.engine import EMPLOYEE_ACTORS, Answer, Question, rule


def channel_owner(q: Question) -> str:
    """Who runs the community's social media channels, in words ("the school" / "the PTA")."""
    return "the PTA" if q.var("channel_operator") == "pta" else "the school"


# --- §4.9 Learners and social media -------------------------------------------------------------


@rule("create_social_media_account_for_learner")
def create_account_for_learner(q: Question) -> Answer:
    """SOC-LRN-02 (learner_account_min_age_rule): no accounts for learners below the service's age."""
    if not q.covered("SOC-LRN-02") or not q.is_staff:
        return q.not_covered()
    rule_kind = q.var("learner_account_min_age_rule")
    age = q.ctx("learner_age")
    if rule_kind == "fixed_13":
        if age == "under_13":
            return q.forbidden(
                "The school does not set up social media accounts for children under 13.",
                "SOC-LRN-02",
                clauses=q.staff_scope_clauses(),
            )
        if age == "13_or_over":
            return q.allowed(
                "The school's age limit for social media accounts is 13, and this learner has reached it.",
                "SOC-LRN-02",
                clauses=q.staff_scope_clauses(),
            )
        return q.conditional(
            ["The learner is 13 or older."],
            "The school does not set up social media accounts for children under 13.",
            "SOC-LRN-02",
            clauses=q.staff_scope_clauses(),
        )
    if rule_kind == "service_terms":
        why = (
            "The school never sets up an account for a learner younger than the minimum age in the service's "
            "own terms, which is 13 or higher."
        )
        if age == "under_13":
            return q.forbidden(why, "SOC-LRN-02", clauses=q.staff_scope_clauses())
        return q.conditional(
            ["The learner has reached the minimum age in that service's terms."],
            why,
            "SOC-LRN-02",
            clauses=q.staff_scope_clauses(),
        )
    return q.not_covered()


@rule("meet_online_friend_in_person")
def meet_online_friend(q: Question) -> Answer:
    """SOC-LRN-03: never without a parent's or trusted adult's permission, and a trusted adult there."""
    if not q.covered("SOC-LRN-03") or q.actor != "learner":
        return q.not_covered()
    return q.conditional(
        [
            "A parent, carer or other trusted adult has said yes first.",
            "A trusted adult is there with you.",
        ],
        "Someone known only from online may not be who they say they are, so learners are taught never to "
        "meet them without permission and a trusted adult present.",
        "SOC-LRN-03",
    )


# --- §4.10 Official and PTA social media; images of learners ------------------------------------


def _channel_runners(q: Question) -> tuple[str, ...]:
    """The actors who open and post on the community's channels (channel_operator)."""
    return ("pta",) if q.var("channel_operator") == "pta" else EMPLOYEE_ACTORS


@rule("set_up_social_media_channel")
def set_up_social_media_channel(q: Question) -> Answer:
    """SOC-OFF-01, SOC-OFF-02, SOC-OFF-06 (channel_operator, channel_purpose, channel_approver,
    channel_registration_email)."""
    if not q.covered("SOC-OFF-01", "SOC-OFF-02") or q.actor not in _channel_runners(q):
        return q.not_covered()
    owner = channel_owner(q)
    purpose = q.var("channel_purpose", "community engagement")
    approver = q.role_name(q.var("channel_approver"))
    conditions = [
        f"The channel has clear objectives ({purpose}) and the outcomes it is meant to achieve are written down.",
        f"Using it has been formally risk assessed and approved by {approver}.",
        "It is a separate account used only for that purpose.",
    ]
    rows = ["SOC-OFF-01", "SOC-OFF-02"]
    if q.var("channel_registration_email") and q.covered("SOC-OFF-06"):
        conditions.append(f"It is registered and managed with {q.var('channel_registration_email')}.")
        rows.append("SOC-OFF-06")
    return q.conditional(
        conditions,
        f"Social media channels that speak for {owner} are opened only for a stated purpose, after a risk "
        f"assessment and with the approval of {approver}.",
        *rows,
    )


def _posts_images(q: Question) -> bool:
    """Staff post for the school; the PTA too where it runs channels (channel_operator, pta_channels)."""
    if q.actor == "pta":
        return q.var("channel_operator") == "pta" or bool(q.var("pta_channels"))
    return q.is_staff


@rule("post_learner_images_on_official_social_media")
def post_learner_images_on_channels(q: Question) -> Answer:
    """SOC-OFF-11 and IMG-01: only with current written consent for that use, under the image use policy."""
    if not q.covered("SOC-OFF-11", "IMG-01") or not _posts_images(q):
        return q.not_covered()
    rows = ("SOC-OFF-11", "IMG-01")
    consent = q.ctx("consent")
    if consent == "not_given":
        return q.forbidden(
            "Without written consent from the learner's parent or carer for this use, the image is not posted.",
            *rows,
            clauses=q.staff_scope_clauses(),
        )
    if consent == "given":
        return q.allowed(
            "With written consent for this use, the image may be posted, following the image use policy.",
            *rows,
            clauses=q.staff_scope_clauses(),
        )
    return q.conditional(
        ["A parent or carer has given written consent for the image to be used this way, and has not withdrawn it."],
        f"Images of learners go on {channel_owner(q)}'s channels only with written consent for that use, and "
        "always under the image use policy.",
        *rows,
        clauses=q.staff_scope_clauses(),
    )


@rule("post_learner_images_online_without_consent")
def post_learner_images_without_consent(q: Question) -> Answer:
    """IMG-01, IMG-03 (and SOC-OFF-11 for PTA channels): never without written consent for that use."""
    if not q.covered("IMG-01", "IMG-03") or not _posts_images(q):
        return q.not_covered()
    rows = ["IMG-01", "IMG-03"]
    if q.actor == "pta":
        if not q.covered("SOC-OFF-11"):
            return q.not_covered()
        rows.append("SOC-OFF-11")
    return q.forbidden(
        "Images of learners are published online only when written consent covers that use; without it they "
        "are not published anywhere.",
        *rows,
        clauses=q.staff_scope_clauses(),
    )


@rule("private_message_from_school_social_media_account")
def private_message_from_school_account(q: Question) -> Answer:
    """SOC-OFF-17: no direct or private messages with learners or parents from a school account."""
    if not q.covered("SOC-OFF-17") or not q.is_staff:
        return q.not_covered()
    return q.forbidden(
        "When posting for the school, staff do not exchange direct or private messages with current or former "
        "learners, parents or carers.",
        "SOC-OFF-17",
        clauses=q.staff_scope_clauses(),
    )
