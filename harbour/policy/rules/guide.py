"""The "Can I…?" guide of a school for one audience, built from its rules (GOV-23).

``build_guide(config, audience, query="")`` asks the rules engine every question the audience would
ask (``ask()``), adds who can grant an exception (from the configuration) and the statements of
statements.py, groups everything by topic and, when a search is given, keeps only what matches.

Audiences: ``staff`` (signed-in staff of the school, with the answers for the DSL, the head and the
leadership team where they differ), ``learners`` (child-friendly wording), ``parents`` (their own
questions and questions about their child) and ``visitors`` (visitors, volunteers and contractors).

Pure module: no Django, nothing from harbour outside ``harbour.policy.rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from harbour.policy.rules import rule_rows
from harbour.policy.rules.engine import Answer, Question, ask
from harbour.policy.rules.guide_wording import (
    BADGES,
    GENERAL_TOPIC,
    KID_BADGES,
    KID_HEADLINES,
    KID_TOPICS,
    KID_WHY,
    QUESTIONS,
)
from harbour.policy.rules.statements import statements
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS, SECTIONS

AUDIENCES: tuple[str, ...] = ("staff", "learners", "parents", "visitors")

TITLES = {
    "staff": "Can I…? A guide for staff",
    "learners": "Can I…? Our online safety rules",
    "parents": "Can I…? A guide for parents and carers",
    "visitors": "Can I…? A guide for visitors, volunteers and contractors",
}

# Per audience: the actors it asks as, the first being the audience's own; the others are shown only
# where their answer differs from the first's (e.g. the DSL on viewing a suspected image).
_AUDIENCE_ACTORS = {
    "staff": ("staff", "dsl", "headteacher", "leadership_team", "technical_staff"),
    "learners": ("learner",),
    "parents": ("parent",),
    "visitors": ("visitor", "volunteer", "contractor"),
}


class UnknownAudience(ValueError):
    """An audience other than those in AUDIENCES."""


@dataclass(frozen=True)
class Cite:
    """One clause reference as cited, with the anchor of the generated policy's section holding it
    ("" when the generated document does not hold it: the citation is then shown as plain text)."""

    ref: str
    anchor: str = ""


def cites(clauses: tuple[str, ...], anchors: Mapping[str, str]) -> tuple[Cite, ...]:
    """The clauses as cites, each with its anchor from ``anchors`` (ref -> anchor) when it has one."""
    return tuple(Cite(ref, anchors.get(ref, "")) for ref in clauses)


@dataclass(frozen=True)
class Entry:
    """One question of the guide with its answer."""

    action: str
    actor: str
    topic: str
    question: str
    verdict: str
    badge: str
    headline: str
    conditions: tuple[str, ...]
    explanation: str
    clauses: tuple[str, ...]
    exception_by: str = ""  # who can make an exception, in words
    asked_as: str = ""  # "As the DSL" when not the audience's own actor
    cites: tuple[Cite, ...] = ()  # the clauses again, each with where the generated policy holds it

    @property
    def haystack(self) -> str:
        parts = (self.question, self.badge, self.headline, self.explanation, self.exception_by, self.asked_as)
        return " ".join((*parts, *self.conditions, *self.clauses)).lower()


@dataclass(frozen=True)
class GuideStatement:
    row: str
    text: str
    clauses: tuple[str, ...]
    cites: tuple[Cite, ...] = ()

    @property
    def haystack(self) -> str:
        return " ".join((self.text, *self.clauses)).lower()


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    entries: tuple[Entry, ...]
    statements: tuple[GuideStatement, ...] = ()


@dataclass(frozen=True)
class Guide:
    audience: str
    title: str
    school_name: str
    topics: tuple[Topic, ...]
    query: str = ""
    total: int = 0  # entries before the search
    counts: Mapping[str, int] = field(default_factory=dict)  # verdict -> entries shown

    @property
    def shown(self) -> int:
        return sum(len(t.entries) for t in self.topics)


# --- who can grant an exception ------------------------------------------------------------------

_Granter = Callable[[Question], list[str]]


def _when(var: str, value: str, roles: list[str]) -> _Granter:
    return lambda q: roles if q.var(var) == value else []


def _roles(var: str, *, fallback: tuple[str, ...] = ()) -> _Granter:
    def granter(q: Question) -> list[str]:
        value = q.var(var)
        if isinstance(value, str):
            return [value]
        return list(value or fallback)

    return granter


def _social_contact(q: Question) -> list[str]:
    if q.var("staff_personal_contact_with_learners_parents") == "forbidden_unless_prior_head_approval":
        return ["headteacher"]
    return list(q.var("relationship_exception_reviewers_social") or [])


def _in_lesson(q: Question) -> list[str]:
    if q.actor == "learner":
        return ["slt"] if q.var("learner_lesson_device_use_approval") else []
    return [q.var("staff_teaching_time_device_approver")] if q.var("staff_teaching_time_device_approver") else []


EXCEPTION_GRANTERS: dict[str, _Granter] = {
    "bring_personal_phone_on_site": lambda q: (
        ["headteacher"]
        if q.actor == "learner" and q.var("learner_phone_rule") == "not_allowed_except_written_head_permission"
        else []
    ),
    "use_personal_phone_in_lesson": _in_lesson,
    "use_personal_device_for_medical_needs": lambda q: (
        ["headteacher"] if q.var("learner_exceptional_device_process") else []
    ),
    "contact_child_directly_in_school_hours": lambda q: ["headteacher"] if q.var("parent_contact_child_route") else [],
    "contact_learner_via_personal_phone": _roles("staff_relationship_reviewers_devices"),
    "contact_parent_via_personal_phone": _roles("staff_relationship_reviewers_devices"),
    "teach_remotely_on_personal_device": _roles("remote_personal_device_approver"),
    "use_personal_social_media_in_school_hours": lambda q: (
        ["headteacher"]
        if q.actor == "learner"
        and q.var("learner_personal_social_media_in_school_hours")
        == "not_permitted_unless_written_head_permission_for_education"
        else []
    ),
    "contact_learner_via_personal_social_media": _social_contact,
    "contact_parent_via_personal_social_media": _social_contact,
    "accept_learner_friend_request": _social_contact,
    "befriend_former_learner_or_family": _roles("relationship_exception_reviewers_social"),
    "set_up_social_media_channel": _roles("channel_approver"),
    "use_app_as_remote_learning_platform": _roles("remote_platform_risk_assessor"),
}


def exception_granter(config: Mapping[str, Any], actor: str, action: str) -> str:
    """Who can make an exception to the answer for ``actor`` and ``action``, in words ("" if nobody)."""
    granter = EXCEPTION_GRANTERS.get(action)
    if granter is None:
        return ""
    q = Question(actor, action, {}, config, config.get("clauses") or {})
    roles = [r for r in granter(q) if r]
    return q.role_names(roles, "or") if roles else ""


# --- building ------------------------------------------------------------------------------------


def _asked_as(config: Mapping[str, Any], actor: str) -> str:
    q = Question(actor, "", {}, config)
    labels = {
        "leadership_team": f"As a member of the {q.leadership_name}",
        "headteacher": f"As {q.the_head}",
        "dsl": "As the DSL or a deputy",
        "technical_staff": f"As {q.role_name('technician')}",
        "volunteer": "As a volunteer",
        "contractor": "As a contractor",
    }
    return labels.get(actor, f"As {ACTORS[actor].plural}")


def _question_text(action: str, audience: str, actor: str) -> str:
    wording = QUESTIONS.get(action)
    if wording is None:  # a new action without guide wording still appears, by its meaning
        return ACTIONS[action].meaning
    if audience == "learners":
        return wording.kid or wording.adult
    if audience == "parents" and actor == "learner":
        return wording.child or wording.adult
    return wording.adult


def _entry(config: Mapping[str, Any], audience: str, action: str, actor: str, answer: Answer, asked_as: str) -> Entry:
    kid = audience == "learners"
    explanation = answer.explanation
    # A school's own rule row (issue #21) speaks in the school's words and names no exception the
    # school did not write; Harbour's child wording and exception look-up are for the shipped rules.
    own = rule_rows.matching_row(config.get(rule_rows.RULES_KEY), actor, action, {})
    if kid and own is None:
        explanation = KID_WHY.get(action, explanation)
    if own is not None:
        granter = ""
    else:
        granter = exception_granter(config, actor, action) if answer.verdict in ("forbidden", "conditional") else ""
    return Entry(
        action=action,
        actor=actor,
        topic=ACTIONS[action].section,
        question=_question_text(action, audience, actor),
        verdict=answer.verdict,
        badge=(KID_BADGES if kid else BADGES)[answer.verdict],
        headline=KID_HEADLINES[answer.verdict] if kid else "",
        conditions=answer.conditions,
        explanation=explanation,
        clauses=answer.clauses,
        exception_by=granter,
        asked_as=asked_as,
    )


def _entries_for(config: Mapping[str, Any], audience: str, action: str) -> list[Entry]:
    typical = ACTIONS[action].typical_actors
    actors = [a for a in _AUDIENCE_ACTORS[audience] if a in typical]
    if audience == "parents" and "learner" in typical:
        wording = QUESTIONS.get(action)
        if wording is not None and wording.child:  # the parent asks about their child
            actors = ["learner"]
    if not actors:
        return []
    first = actors[0]
    first_answer = ask(config, first, action, {})
    own = _AUDIENCE_ACTORS[audience][0]
    label = "" if first in (own, "learner") else _asked_as(config, first)
    out = [_entry(config, audience, action, first, first_answer, label)]
    for actor in actors[1:]:
        answer = ask(config, actor, action, {})
        if (answer.verdict, answer.conditions) != (first_answer.verdict, first_answer.conditions):
            out.append(_entry(config, audience, action, actor, answer, _asked_as(config, actor)))
    return out


def _topic_title(topic: str, audience: str) -> str:
    if audience == "learners" and topic in KID_TOPICS:
        return KID_TOPICS[topic]
    return GENERAL_TOPIC if topic == "general" else SECTIONS.get(topic, topic)


def search_terms(query: str) -> list[str]:
    """The words of a search, lower-cased; every one must appear for an entry to match."""
    return [t for t in query.lower().split() if t][:12]


def build_guide(
    config: Mapping[str, Any], audience: str, query: str = "", anchors: Mapping[str, str] | None = None
) -> Guide:
    """The guide of this school for ``audience``; with ``query``, only the entries and statements
    that contain every word of it (GOV-23). ``anchors`` (clause ref -> section anchor of the generated
    policy, from ``harbour.policy.documents.clause_index``) lets each citation link to its section."""
    anchors = anchors or {}
    if audience not in AUDIENCES:
        raise UnknownAudience(f"Unknown audience '{audience}'. Valid audiences: {', '.join(AUDIENCES)}.")
    entries: dict[str, list[Entry]] = {}
    for action in ACTIONS:
        for entry in _entries_for(config, audience, action):
            entries.setdefault(entry.topic, []).append(replace(entry, cites=cites(entry.clauses, anchors)))
    said: dict[str, list[GuideStatement]] = {}
    for st in statements(config, audience):
        said.setdefault(st.topic, []).append(
            GuideStatement(st.row, st.text_for(audience), st.clauses, cites(st.clauses, anchors))
        )
    total = sum(len(v) for v in entries.values())
    terms = search_terms(query)
    topics: list[Topic] = []
    counts: dict[str, int] = {}
    for topic in ("general", *SECTIONS):
        shown = [e for e in entries.get(topic, []) if all(t in e.haystack for t in terms)]
        notes = [s for s in said.get(topic, []) if all(t in s.haystack for t in terms)]
        if not (shown or notes):
            continue
        for e in shown:
            counts[e.verdict] = counts.get(e.verdict, 0) + 1
        topics.append(Topic(topic, _topic_title(topic, audience), tuple(shown), tuple(notes)))
    school = str(config.get("school_name") or "the school")
    return Guide(audience, TITLES[audience], school, tuple(topics), query.strip(), total, counts)
