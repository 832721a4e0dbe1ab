"""Rules for email and social media: policy-questions.md §4.6–4.8 (GOV-23); §4.9–4.10 are in
rules_conduct_channels.py.

One rule per action. Each rule first decides whether the school's policy reaches the asking actor for
that point (the requirement rows must be in the school's clause map, and the rows' Actors column says
who they speak to); if not, the answer is not_covered. Otherwise the verdict and its conditions come
from the configuration variables, worded in Harbour's own words with the school's own names.

Rows answered here: EML-02, EML-03, EML-04, EML-07, SOC-GEN-03, INC-CYB-01, INC-HATE-01, SOC-STF-06,
SOC-STF-08, SOC-STF-10, SOC-STF-12, SOC-STF-13, SOC-STF-14, SOC-STF-15, SOC-OFF-13.

Pure module: nothing from Django or from harbour outside ``harbour.policy.rules``.
"""

from __future__ import annotations

from harbour.policy.rules.engine import Answer, Question, rule

# §4.9 and §4.10 live in their own module (kept small); importing it here also registers their rules.
from harbour.policy.rules.rules_conduct_channels import channel_owner

# --- who a row speaks to -----------------------------------------------------------------------
# A row whose Actors column says "Staff" reaches whoever the school's policy calls staff
# (``q.is_staff``: employees plus, in both template families, governors, volunteers, contractors and
# visitors, GOV-10). When it reaches a non-employee the answer also cites the school's definition of
# staff (``q.staff_scope_clauses()``).


def cap(text: str) -> str:
    """First letter upper-case: names from the configuration start sentences ("The Headteacher …")."""
    text = text.strip()
    return text[0].upper() + text[1:] if text else text


# --- §4.6 Email --------------------------------------------------------------------------------


@rule("use_personal_email_for_school_business")
def personal_email_for_school_business(q: Question) -> Answer:
    """EML-07: official school business goes through a school email address."""
    if not q.covered("EML-07") or not q.is_staff:
        return q.not_covered()
    return q.forbidden(
        f"Everyone working for {q.school_name} uses a school email address for official business; "
        "a personal address is never used for it.",
        "EML-07",
        clauses=q.staff_scope_clauses(),
    )


@rule("send_personal_data_by_unencrypted_email")
def unencrypted_personal_data(q: Question) -> Answer:
    """EML-03: sensitive or personal information is only sent by secure, encrypted email."""
    if not q.covered("EML-03") or not q.is_staff:
        return q.not_covered()
    return q.forbidden(
        "Messages carrying sensitive or personal information go only by secure, encrypted email.",
        "EML-03",
        clauses=q.staff_scope_clauses(),
    )


@rule("register_personal_social_media_with_school_email")
def school_email_for_personal_social_media(q: Question) -> Answer:
    """EML-04: school email addresses and official contact details are not used for personal accounts."""
    if not q.covered("EML-04") or not (q.is_staff or q.actor == "learner"):
        return q.not_covered()
    return q.forbidden(
        "A school email address, or any other official school contact detail, is never used to open a "
        "personal social media account.",
        "EML-04",
        clauses=q.staff_scope_clauses(),
    )


# --- §4.7 Social media: everyone ---------------------------------------------------------------


@rule("use_personal_social_media_in_school_hours")
def personal_social_media_in_school_hours(q: Question) -> Answer:
    """SOC-GEN-03: personal social media in the school day (staff_personal_social_media_in_school_hours,
    learner_personal_social_media_in_school_hours)."""
    if not q.covered("SOC-GEN-03"):
        return q.not_covered()
    if q.actor == "learner":
        return _learner_social_media_in_hours(q)
    if not q.is_staff:
        return q.not_covered()
    setting = q.var("staff_personal_social_media_in_school_hours")
    # The row lists the staff point before the learner point; cite the staff one.
    refs = q.refs_at("SOC-GEN-03", 0)
    if setting == "not_permitted":
        return q.forbidden(
            f"{q.school_name} does not allow personal use of social media during the school day.",
            clauses=(*refs, *q.staff_scope_clauses()),
        )
    if setting == "allowed_when_no_learners_present":
        present = q.ctx("learners_present")
        if present == "yes":
            return q.forbidden(
                "Personal social media is only used during the school day when no learners are present.",
                clauses=(*refs, *q.staff_scope_clauses()),
            )
        if present == "no":
            return q.allowed(
                "With no learners present, staff may use social media for themselves during the school day.",
                clauses=(*refs, *q.staff_scope_clauses()),
            )
        return q.conditional(
            ["No learners are present."],
            "Staff may use social media for themselves during the school day only away from learners.",
            clauses=(*refs, *q.staff_scope_clauses()),
        )
    return q.not_covered()


def _learner_social_media_in_hours(q: Question) -> Answer:
    setting = q.var("learner_personal_social_media_in_school_hours")
    refs = q.refs_at("SOC-GEN-03", -1)  # the learner point comes last in the row
    if setting == "not_permitted":
        return q.forbidden(
            f"Learners do not use social media for themselves during the school day at {q.school_name}.",
            clauses=refs,
        )
    if setting == "not_permitted_unless_written_head_permission_for_education":
        reason = q.ctx("reason")
        if reason is not None and reason != "educational_activity":
            return q.forbidden(
                f"Learners may use social media in the school day only for an educational purpose that "
                f"{q.the_head} has agreed in writing.",
                clauses=refs,
            )
        conditions = [f"{cap(q.the_head)} has given written permission."]
        if reason is None:
            conditions.append("It is for an educational purpose.")
        return q.conditional(
            conditions,
            f"Learners do not use social media for themselves in the school day unless {q.the_head} has "
            "agreed in writing to its use for learning.",
            clauses=refs,
        )
    return q.not_covered()


@rule("post_hate_content_online")
def post_hate_content_online(q: Question) -> Answer:
    """INC-HATE-01: hateful content aimed at members of the community is not tolerated. Where the school
    names online hate as a concern type it has its own procedure; otherwise the general expectation
    about threatening or hurtful posts (SOC-GEN-02) is what rules it out."""
    if not q.covered("INC-HATE-01"):
        return q.not_covered()
    named = any("hate" in str(c).lower() for c in q.var("concern_categories_named", []))
    if named:
        why = (
            "Online hate aimed at, or posted by, members of the school community is not tolerated and is "
            "dealt with under the anti-bullying and behaviour policies."
        )
    else:
        why = (
            f"Everyone in the {q.school_name} community is expected not to post anything threatening, hurtful "
            "or defamatory about others, which rules out hateful content."
        )
    return q.forbidden(why, "INC-HATE-01")


# --- §4.8 Staff personal social media ----------------------------------------------------------


@rule("share_learner_information_on_social_media")
def share_learner_information(q: Question) -> Answer:
    """SOC-STF-08: what staff know through their work stays off social media."""
    if not q.covered("SOC-STF-08") or not q.is_staff:
        return q.not_covered()
    return q.forbidden(
        "Photos and details of learners, their families or colleagues that you know through your work are "
        "never posted or discussed on social media.",
        "SOC-STF-08",
        clauses=q.staff_scope_clauses(),
    )


def _personal_contact(q: Question, who: str, *extra_rows: str) -> Answer:
    """SOC-STF-10 (staff_personal_contact_with_learners_parents) for contact with ``who``."""
    rows = ("SOC-STF-10", *extra_rows)
    if not q.covered("SOC-STF-10") or not q.is_staff:
        return q.not_covered()
    setting = q.var("staff_personal_contact_with_learners_parents")
    if setting == "forbidden":
        return q.forbidden(
            f"Personal social media accounts are never used for contact with {who}, and contact from them "
            "is not accepted.",
            *rows,
            clauses=q.staff_scope_clauses(),
        )
    if setting == "forbidden_unless_prior_head_approval":
        return q.conditional(
            [f"{cap(q.the_head)} approved this contact before it happened."],
            f"Personal social media accounts are not used for contact with {who}, and contact from them is "
            f"not accepted, unless {q.the_head} has approved it in advance.",
            *rows,
            clauses=q.staff_scope_clauses(),
        )
    return q.not_covered()


@rule("contact_learner_via_personal_social_media")
def contact_learner_via_personal_social_media(q: Question) -> Answer:
    """SOC-STF-10 for learners."""
    return _personal_contact(q, "learners")


@rule("contact_parent_via_personal_social_media")
def contact_parent_via_personal_social_media(q: Question) -> Answer:
    """SOC-STF-10 for parents and carers."""
    return _personal_contact(q, "parents and carers")


@rule("accept_learner_friend_request")
def accept_learner_friend_request(q: Question) -> Answer:
    """SOC-STF-10 (contact is not accepted) with SOC-STF-12 (no learners as friends)."""
    return _personal_contact(q, "learners", "SOC-STF-12")


@rule("befriend_former_learner_or_family")
def befriend_former_learner_or_family(q: Question) -> Answer:
    """SOC-STF-12 (advice against), with the exception route of SOC-STF-13 and, where the school records
    decisions, SOC-STF-14 (relationship_exception_reviewers_social, relationship_decisions_formally_recorded)."""
    if not q.covered("SOC-STF-12") or not q.is_staff:
        return q.not_covered()
    reviewers = q.var("relationship_exception_reviewers_social")
    if not (q.covered("SOC-STF-13") and reviewers):
        return q.forbidden(
            "Staff are advised not to add or chat with current or former learners, or their family members, "
            "on personal accounts.",
            "SOC-STF-12",
            clauses=q.staff_scope_clauses(),
        )
    who = q.role_names(reviewers, "and/or")
    conditions = [
        f"It is an exception, such as a relationship that existed before, that you have talked through with {who}."
    ]
    rows = ["SOC-STF-12", "SOC-STF-13"]
    if q.var("relationship_decisions_formally_recorded") and q.covered("SOC-STF-14"):
        conditions.append("The decision and the advice you were given have been formally recorded.")
        rows.append("SOC-STF-14")
    return q.conditional(
        conditions,
        "Staff are advised not to add or chat with current or former learners, or their family members, on "
        f"personal accounts; a pre-existing relationship or other exception is discussed with {who} first.",
        *rows,
        clauses=q.staff_scope_clauses(),
    )


@rule("keep_in_contact_with_former_learner")
def keep_in_contact_with_former_learner(q: Question) -> Answer:
    """SOC-STF-15: only through alumni networks or the school's official tools."""
    if not q.covered("SOC-STF-15") or not q.is_staff:
        return q.not_covered()
    return q.conditional(
        ["You use an alumni network or a communication tool the school provides, not a personal account."],
        "Contact that has to continue after a learner leaves goes through alumni networks or the school's "
        "official tools.",
        "SOC-STF-15",
        clauses=q.staff_scope_clauses(),
    )


@rule("follow_school_social_media_from_personal_account")
def follow_channels_from_personal_account(q: Question) -> Answer:
    """SOC-OFF-13: advice to follow the channels from a separate professional account where possible."""
    if not q.covered("SOC-OFF-13") or not q.is_staff:
        return q.not_covered()
    return q.allowed(
        f"It is not banned, but staff who follow or like {channel_owner(q)}'s channels are advised to do so "
        "from a separate, work-only account where they can, to keep professional boundaries clear.",
        "SOC-OFF-13",
        clauses=q.staff_scope_clauses(),
    )
