"""The "Can I…?" rules engine: actor + action + context -> verdict with conditions and clauses (GOV-23).

Every RULE row of REQUIREMENTS.md that answers a permission question is an action of
policy-questions.md; each action has exactly one rule, a function registered with ``@rule("action")``
that reads the school's flat configuration (variables plus the ``clauses`` map) through a
:class:`Question` and returns an :class:`Answer`.

Pure module: imports nothing from Django or from harbour outside ``harbour.policy.rules``.
Differences between schools come only from the configuration, never from the school's identity.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from harbour.policy.rules import rule_rows
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS, CONTEXT_KEYS, RETIRED_ACTIONS

ALLOWED = "allowed"
FORBIDDEN = "forbidden"
CONDITIONAL = "conditional"
NOT_COVERED = "not_covered"
VERDICTS = (ALLOWED, FORBIDDEN, CONDITIONAL, NOT_COVERED)

_KIND_PLURALS = {
    "actor": "actors",
    "action": "actions",
    "context key": "context keys",
    "context value": "values",
}


class UnknownTerm(ValueError):
    """A word of the question the vocabulary does not know; ``valid`` lists what would be accepted.

    ``kind`` is "actor", "action", "context key" or "context value". ``replacement`` is set when the
    action was retired and renamed (policy-questions.md §5).
    """

    def __init__(
        self,
        kind: str,
        value: str,
        valid: Iterable[str],
        *,
        message: str | None = None,
        replacement: str | None = None,
    ) -> None:
        self.kind = kind
        self.value = value
        self.valid = list(valid)
        self.replacement = replacement
        if message is None:
            listed = ", ".join(self.valid) if self.valid else "(none)"
            message = f"Unknown {kind} '{value}'. Valid {_KIND_PLURALS.get(kind, kind + 's')}: {listed}."
        self.message = message
        super().__init__(message)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"detail": self.message, "kind": self.kind, "value": self.value, "valid": self.valid}
        if self.replacement:
            data["replacement"] = self.replacement
        return data


class MissingRule(LookupError):
    """An action of the vocabulary with no registered rule (a test forbids this in a release)."""


@dataclass(frozen=True)
class Answer:
    """The engine's reply, shaped exactly like the JSON of policy-questions.md §1.

    Invariants (checked on creation so a rule author finds mistakes at once): conditions are given
    if and only if the verdict is conditional; not_covered cites no clauses; any other verdict cites
    at least one clause.
    """

    verdict: str
    conditions: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    explanation: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "conditions", tuple(self.conditions))
        object.__setattr__(self, "clauses", tuple(self.clauses))
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {self.verdict!r}")
        if (self.verdict == CONDITIONAL) != bool(self.conditions):
            raise ValueError("conditions are required for a conditional verdict and only then")
        if self.verdict == NOT_COVERED and self.clauses:
            raise ValueError("a not_covered answer cites no clauses")
        if self.verdict != NOT_COVERED and not self.clauses:
            raise ValueError(f"a {self.verdict} answer must cite the clauses it rests on")
        if not self.explanation:
            raise ValueError("every answer needs an explanation")

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "conditions": list(self.conditions),
            "clauses": list(self.clauses),
            "explanation": self.explanation,
        }


# Display names for the role keys used in configuration values (policy_defaults.py docstring).
_ROLE_NAMES = {
    "dsl": "the designated safeguarding lead (DSL)",
    "deputy_dsl": "a deputy DSL",
    "governor": "a governor",
    "line_manager": "their line manager",
    "pta_chair": "the Chair of the PTA",
    "pta_member": "another PTA member",
    "colleague": "another colleague",
    "school": "the school",
}

_HEAD_TITLES = {"headteacher": "Headteacher", "executive_headteacher": "Executive Headteacher"}

# Actors employed by the school. Both seed templates define "staff" more widely (GOV-10): governors,
# volunteers, contractors and visitors too; a school sets its own list in staff_definition_includes.
EMPLOYEE_ACTORS = ("staff", "technical_staff", "dsl", "headteacher", "leadership_team")
DEFAULT_STAFF_DEFINITION = (*EMPLOYEE_ACTORS, "governor", "volunteer", "contractor", "visitor")


@dataclass(frozen=True)
class Question:
    """One question being answered, with helpers that keep rules short and data-driven."""

    actor: str
    action: str
    where: Mapping[str, str]
    config: Mapping[str, Any]
    _clause_map: Mapping[str, Any] = field(default_factory=dict, repr=False)

    # --- configuration -------------------------------------------------------------------
    def var(self, name: str, default: Any = None) -> Any:
        """A policy variable; ``default`` when it is absent or None (the policy is silent)."""
        value = self.config.get(name)
        return default if value is None else value

    def ctx(self, key: str) -> str | None:
        """A context fact the asker gave (``where``), or None."""
        return self.where.get(key)

    def covered(self, *rows: str) -> bool:
        """Whether the school's policy states any of these rows (they are in its clause map)."""
        return any(self._clause_map.get(row) for row in rows)

    def clauses(self, *rows: str) -> tuple[str, ...]:
        """The school's own clause references for these rows, in order, without repeats."""
        seen: dict[str, None] = {}
        for row in rows:
            for ref in self._clause_map.get(row) or ():
                seen.setdefault(str(ref), None)
        return tuple(seen)

    def clauses_matching(self, row: str, predicate: Callable[[str], bool]) -> tuple[str, ...]:
        """The refs of ``row`` that satisfy ``predicate`` (e.g. only the sub-clauses of one point)."""
        return tuple(str(ref) for ref in self._clause_map.get(row) or () if predicate(str(ref)))

    def refs_at(self, row: str, *positions: int) -> tuple[str, ...]:
        """The refs of ``row`` at these positions (REQUIREMENTS.md order); missing positions are skipped."""
        refs = [str(ref) for ref in self._clause_map.get(row) or ()]
        return tuple(refs[i] for i in positions if -len(refs) <= i < len(refs))

    # --- who the rule reaches --------------------------------------------------------------
    @property
    def is_employee(self) -> bool:
        return self.actor in EMPLOYEE_ACTORS

    @property
    def is_staff(self) -> bool:
        """Whether the school's policy counts this actor as "staff" (GOV-10, staff_definition_includes)."""
        # Left empty, the wide definition both template families give applies (schema help text).
        included = self.config.get("staff_definition_includes") or DEFAULT_STAFF_DEFINITION
        return self.actor in EMPLOYEE_ACTORS or self.actor in included

    def staff_scope_clauses(self) -> tuple[str, ...]:
        """The clause defining "staff" widely, cited when a staff rule reaches a non-employee (GOV-10).

        The first ref of GOV-10 is the definition in both template families (St James 2.2, Joy Lane 2 p4).
        """
        if self.is_employee or not self.is_staff:
            return ()
        return self.refs_at("GOV-10", 0)

    # --- names for wording ---------------------------------------------------------------
    @property
    def school_name(self) -> str:
        return str(self.var("school_name", "the school"))

    @property
    def head_title(self) -> str:
        """What the school calls its head, e.g. "Headteacher" or "Executive Headteacher"."""
        raw = str(self.var("head_role_title", "headteacher"))
        return _HEAD_TITLES.get(raw, raw)

    @property
    def the_head(self) -> str:
        return f"the {self.head_title}"

    @property
    def leadership_name(self) -> str:
        """The school's own name for its leadership body (first of leadership_body_names)."""
        names = self.var("leadership_body_names") or ["leadership team"]
        return str(names[0])

    def role_name(self, role: str | None) -> str:
        """A configured role key in words, using the school's own titles where it has them."""
        if not role:
            return "the school"
        if role == "headteacher":
            return self.the_head
        if role == "slt":
            return f"the {self.leadership_name}"
        if role == "technician":
            name = self.var("technical_role_name")
            return f"the {name}" if name else "the technical staff"
        return _ROLE_NAMES.get(role, role.replace("_", " "))

    def role_names(self, roles: Iterable[str] | None, joiner: str = "or") -> str:
        """Several role keys in words ("the DSL or the Headteacher"); deputy DSLs fold into the DSL."""
        keys = [r for r in (roles or []) if r]
        if "dsl" in keys and "deputy_dsl" in keys:
            keys.remove("deputy_dsl")
            names = ["the designated safeguarding lead (DSL) or a deputy"]
            names += [self.role_name(r) for r in keys if r != "dsl"]
        else:
            names = [self.role_name(r) for r in keys]
        return join_words(names, joiner) if names else "the school"

    # --- answers -------------------------------------------------------------------------
    def allowed(self, explanation: str, *rows: str, clauses: Iterable[str] | None = None) -> Answer:
        return Answer(ALLOWED, (), self._refs(rows, clauses), explanation)

    def forbidden(self, explanation: str, *rows: str, clauses: Iterable[str] | None = None) -> Answer:
        return Answer(FORBIDDEN, (), self._refs(rows, clauses), explanation)

    def conditional(
        self, conditions: Iterable[str], explanation: str, *rows: str, clauses: Iterable[str] | None = None
    ) -> Answer:
        return Answer(CONDITIONAL, tuple(conditions), self._refs(rows, clauses), explanation)

    def not_covered(self, explanation: str | None = None) -> Answer:
        if explanation is None:
            meaning = ACTIONS[self.action].meaning.rstrip(".")
            explanation = (
                f"{self.school_name}'s policy does not answer this for {ACTORS[self.actor].plural} (“{meaning}”)."
            )
            if self._incident_procedures_elsewhere():
                explanation += (
                    " This school keeps its procedures for handling incidents in its child protection policy."
                )
            if self.actor not in ("dsl", "headteacher"):
                explanation += f" Ask the designated safeguarding lead or {self.the_head}."
            explanation = explanation[:1].upper() + explanation[1:]
        return Answer(NOT_COVERED, (), (), explanation)

    def _incident_procedures_elsewhere(self) -> bool:
        # A topic policy (e.g. St James') leaves incident handling to the child protection policy, so
        # silence on an incident question there points to that policy rather than to a gap (REP-04).
        incident_sections = ("4.12", "4.13")
        return (
            ACTIONS[self.action].section in incident_sections
            and self.var("incident_procedures_location") == "child_protection_policy"
        )

    def _refs(self, rows: Iterable[str], clauses: Iterable[str] | None) -> tuple[str, ...]:
        refs = list(self.clauses(*rows))
        for ref in clauses or ():
            if ref not in refs:
                refs.append(ref)
        return tuple(sorted(refs, key=clause_sort_key))


_NUMBER = re.compile(r"(\d+)")


def clause_sort_key(ref: str) -> tuple[Any, ...]:
    """Document order for clause refs of either numbering ("6.3.5" < "6.3.5(a)"; "9.2 p3" < "9.2 p10").

    Named parts (Title, KD(a), Contents) come first, as they open the document.
    """
    parts = _NUMBER.split(ref)
    named = 0 if parts[0] else 1
    return (named, *[int(p) if i % 2 else p for i, p in enumerate(parts)])


def join_words(items: Iterable[str], joiner: str = "and") -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"


# --- the registry ----------------------------------------------------------------------------

RuleFn = Callable[[Question], Answer]
RULES: dict[str, RuleFn] = {}


def rule(action: str) -> Callable[[RuleFn], RuleFn]:
    """Register the rule answering ``action``; one rule per action, and only vocabulary actions."""

    def register(fn: RuleFn) -> RuleFn:
        if action not in ACTIONS:
            raise ValueError(f"@rule({action!r}): not an action of the vocabulary")
        if action in RULES and RULES[action] is not fn:
            raise ValueError(f"@rule({action!r}): already registered by {RULES[action].__qualname__}")
        RULES[action] = fn
        return fn

    return register


# Precomputed at import so validation is a few dict/set look-ups.
_ACTOR_LIST = list(ACTORS)
_ACTION_LIST = list(ACTIONS)
_ACCEPTED_KEYS = {aid: frozenset(spec.context_keys) for aid, spec in ACTIONS.items()}
_KEY_VALUES = {key: frozenset(values) for key, values in CONTEXT_KEYS.items()}


def validate(actor: str, action: str, where: Mapping[str, str] | None) -> dict[str, str]:
    """Check every term of a question, raising :class:`UnknownTerm`; returns the context as a dict."""
    if actor not in ACTORS:
        raise UnknownTerm("actor", actor, _ACTOR_LIST)
    if action not in ACTIONS:
        if action in RETIRED_ACTIONS:
            new = RETIRED_ACTIONS[action]
            raise UnknownTerm(
                "action",
                action,
                _ACTION_LIST,
                replacement=new,
                message=f"The action '{action}' has been retired; ask '{new}' instead.",
            )
        raise UnknownTerm("action", action, _ACTION_LIST)
    facts = dict(where or {})
    accepted = _ACCEPTED_KEYS[action]
    for key, value in facts.items():
        if key not in accepted:
            keys = list(ACTIONS[action].context_keys)
            if keys:
                msg = f"The context key '{key}' does not apply to '{action}'. It accepts: {', '.join(keys)}."
            else:
                msg = f"The context key '{key}' does not apply to '{action}', which takes no context keys."
            raise UnknownTerm("context key", key, keys, message=msg)
        if not isinstance(value, str) or value not in _KEY_VALUES[key]:
            values = list(CONTEXT_KEYS[key])
            raise UnknownTerm(
                "context value",
                value,
                values,
                message=f"Unknown value '{value}' for '{key}'. Valid values: {', '.join(values)}.",
            )
    return facts


def ask(config: Mapping[str, Any], actor: str, action: str, where: Mapping[str, str] | None = None) -> Answer:
    """Answer "may ``actor`` do ``action`` in situation ``where``?" from a school's flat configuration.

    Raises :class:`UnknownTerm` for any word outside the vocabulary (policy-questions.md §1).
    """
    facts = validate(actor, action, where)
    # The school's own rule rows come first (issue #21 point 1); the shipped rule answers the rest.
    own = rule_rows.matching_row(config.get(rule_rows.RULES_KEY), actor, action, facts)
    if own is not None:
        return rule_rows.answer_row(own, Question(actor, action, facts, config, config.get("clauses") or {}))
    if not _rules_loaded:
        load_rules()
    fn = RULES.get(action)
    if fn is None:
        raise MissingRule(f"no rule is registered for the action '{action}'")
    question = Question(actor, action, facts, config, config.get("clauses") or {})
    return fn(question)


RULE_MODULES = (
    "rules_conduct",
    "rules_devices",
    "rules_devices_lessons",
    "rules_devices_staff",
    "rules_safeguarding",
    "rules_systems",
)
_rules_loaded = False


def load_rules() -> dict[str, RuleFn]:
    """Import every rule module so its ``@rule`` functions register; returns the registry."""
    global _rules_loaded
    if not _rules_loaded:
        _rules_loaded = True
        _register_shipped_rows()
        from harbour.policy.rules import (  # noqa: F401
            rules_conduct,
            rules_devices,
            rules_devices_lessons,
            rules_devices_staff,
            rules_safeguarding,
            rules_systems,
        )
    return RULES


def _register_shipped_rows() -> None:
    """Harbour's rules that ship as data (shipped_rules.yaml, issue #21) register like the Python ones."""
    for action, rows in rule_rows.shipped_rows().items():

        def answer(q: Question, rows: Any = rows) -> Answer:
            row = rule_rows.matching_row({q.action: rows}, q.actor, q.action, q.where)
            return rule_rows.answer_row(row, q) if row is not None else q.not_covered()

        answer.__qualname__ = f"shipped_rules.yaml:{action}"
        rule(action)(answer)


# The rule modules import this one. Imported first, the engine loads them all now; imported by a rule
# module half-way through its own import, it waits until the first question (rules may import each other).
if not any(f"harbour.policy.rules.{name}" in sys.modules for name in RULE_MODULES):
    load_rules()
