"""Rules as data: a school's own answer to a "Can I…?" question, written as a row of its configuration.

Issue #21 point 1 (GOV-23, GOV-24, every RULE row). Each row sets, for one action of
policy-questions.md (and optionally only some actors, devices or places):

* ``verdict``: allowed / forbidden / conditional / not_covered;
* ``conditions``: items of a typed vocabulary (:data:`CONDITION_KINDS`), each worded by Harbour and,
  where a context key settles it, decided by the question's facts (a place outside the named places
  makes a conditional row forbidden; consent given settles a consent condition, and so on);
* ``explanation``: the school's own words (Harbour writes one when it is left out);
* ``clause``: optional. An unreferenced row cites the school's clause refs for the action's
  requirement rows, else the school's own heading for that part of the policy (``rule_sections``),
  else the name of the part of the policy the question belongs to. A row never answers "silent"
  just because nothing is numbered.

In YAML::

    rules:
      take_photo_of_learner:
        - actors: [staff]
          devices: [phone, tablet, camera]
          verdict: conditional
          conditions:
            - purpose: linked to a school activity
            - moved_to_school_storage_and_deleted: true
          explanation: Occasionally, for school activities; copy to school storage and delete.
          clause: "Mobile phones"

A single mapping stands for a list of one row. The first row whose ``actors``/``devices``/``places``
match the question answers it; when no row matches, the shipped rule answers (the preset's default).

Pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harbour.policy.rules.schema_types import ROLE_VALUES, ROW_ID_RE, show, suggest
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS, CONTEXT_KEYS, SECTIONS

RULES_KEY = "rules"
RULE_SECTIONS_KEY = "rule_sections"
VERDICT_WORDS = ("allowed", "forbidden", "conditional", "not_covered")
ROW_KEYS = (
    "actors",
    "devices",
    "places",
    "verdict",
    "conditions",
    "explanation",
    "clause",
    "when_covered",
    "cites",
    "scope",
)
# ``scope: staff`` reaches whoever the school's policy counts as staff (GOV-10) and cites the clause
# defining staff when it reaches a non-employee; ``scope: employees`` reaches the school's employees only.
SCOPES = ("staff", "employees")

# Who may be asked for consent (``consent_of``).
CONSENT_HOLDERS = ("learner", "parent", "participants", "person_pictured", "staff_member")
CONSENT_WORDS = {
    "learner": "the learner agrees",
    "parent": "a parent or carer has given consent",
    "participants": "everyone taking part has agreed",
    "person_pictured": "the person shown has agreed",
    "staff_member": "the member of staff has agreed",
}


@dataclass(frozen=True)
class ConditionKind:
    """One word of the condition vocabulary: what its value must be and how it reads."""

    id: str
    value: str  # "role", "role[]", "places", "text", "true", "consent", "year_groups", "key_stages", "devices"
    help: str


CONDITION_KINDS: dict[str, ConditionKind] = {
    k.id: k
    for k in (
        ConditionKind("approval_by", "role[]", "Someone in a named role approves it first."),
        ConditionKind("written_approval_by", "role[]", "Someone in a named role gives written permission first."),
        ConditionKind("in_places", "places", "Only in the named places (a location word or the school's own name)."),
        ConditionKind("not_in_places", "places", "Never in the named places."),
        ConditionKind("school_devices_only", "true", "Only with a device the school provides."),
        ConditionKind("consent_of", "consent", "With the consent of the learner, a parent, or everyone taking part."),
        ConditionKind("purpose", "text", "Only for the purpose named."),
        ConditionKind("year_groups", "text[]", "Only for the named year groups (e.g. Year 5, Year 6)."),
        ConditionKind("key_stages", "key_stages", "Only for learners in the named stages (eyfs, ks1, ks2)."),
        ConditionKind("time_limited", "text", "Only for the time or times named."),
        ConditionKind("moved_to_school_storage_and_deleted", "true", "Copied to school storage, then deleted."),
        ConditionKind("risk_assessment", "true", "Only after a risk assessment."),
        ConditionKind("emergency_only", "true", "Only in an emergency."),
        ConditionKind("no_learners_present", "true", "Only where no learners are present."),
        ConditionKind("switched_off", "true", "Switched off (or silent) and out of sight."),
        ConditionKind("repeat_offence_only", "true", "Only when it has happened before (a repeat)."),
        ConditionKind("handed_in", "text", "Handed in where named (e.g. the office, a locked box)."),
        ConditionKind("other", "text", "Any other condition, in the school's words."),
    )
}

_KEY_STAGES = CONTEXT_KEYS["key_stage"]
_HOLDERS = ", ".join(CONSENT_HOLDERS)
_LOCATIONS = CONTEXT_KEYS["location"]
_DEVICES = CONTEXT_KEYS["device"]


# --- checking --------------------------------------------------------------------------------------


def check_rules(rules: Any, *, known_rows: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Every problem with a ``rules`` mapping, as (path, message) pairs (issue #21 point 6)."""
    if rules is None:
        return []
    if not isinstance(rules, dict):
        return [(RULES_KEY, f"expected a mapping of actions to rule rows; got {show(rules)}")]
    problems: list[tuple[str, str]] = []
    for action, rows in rules.items():
        path = f"{RULES_KEY}.{action}"
        if action not in ACTIONS:
            hint = suggest(str(action), ACTIONS)
            problems.append((path, f"unknown action{hint} (the actions are in policy-questions.md)"))
            continue
        if isinstance(rows, dict):
            rows = [rows]
        if not isinstance(rows, list) or not rows:
            problems.append((path, f"expected a rule row or a list of rows; got {show(rows)}"))
            continue
        for index, row in enumerate(rows):
            row_path = path if len(rows) == 1 and isinstance(rules[action], dict) else f"{path}[{index}]"
            problems.extend(_check_row(action, row, row_path))
    return problems


def _check_row(action: str, row: Any, path: str) -> list[tuple[str, str]]:
    if not isinstance(row, dict):
        return [(path, f"expected a rule row (verdict, conditions, explanation, clause); got {show(row)}")]
    problems: list[tuple[str, str]] = []
    for key in row:
        if key not in ROW_KEYS:
            hint = suggest(str(key), ROW_KEYS)
            problems.append((f"{path}.{key}", f"unknown field{hint}; a row has {', '.join(ROW_KEYS)}"))
    verdict = row.get("verdict")
    if verdict not in VERDICT_WORDS:
        hint = suggest(verdict, VERDICT_WORDS) if isinstance(verdict, str) else ""
        problems.append((f"{path}.verdict", f"expected one of {', '.join(VERDICT_WORDS)}; got {show(verdict)}{hint}"))
    problems.extend(_check_word_list(row.get("actors"), ACTORS, f"{path}.actors", "actor"))
    problems.extend(_check_word_list(row.get("devices"), _DEVICES, f"{path}.devices", "device"))
    places = row.get("places")
    if places is not None and (not isinstance(places, list) or not all(isinstance(p, str) and p for p in places)):
        problems.append((f"{path}.places", "expected a list of places (location words or the school's own names)"))
    conditions = row.get("conditions") or []
    if not isinstance(conditions, list):
        problems.append((f"{path}.conditions", f"expected a list of conditions; got {show(conditions)}"))
        conditions = []
    for index, item in enumerate(conditions):
        problems.extend(_check_condition(item, f"{path}.conditions[{index}]"))
    if verdict == "conditional" and not conditions:
        problems.append((f"{path}.conditions", "a conditional rule needs at least one condition"))
    if verdict in ("allowed", "forbidden", "not_covered") and conditions:
        problems.append((f"{path}.conditions", f"only a conditional rule has conditions (this one is {verdict})"))
    if row.get("scope") is not None and row["scope"] not in SCOPES:
        problems.append((f"{path}.scope", f"expected one of {', '.join(SCOPES)}; got {show(row['scope'])}"))
    for key in ("when_covered", "cites"):
        rows = row.get(key)
        if rows is not None and (
            not isinstance(rows, list) or not all(isinstance(r, str) and ROW_ID_RE.match(r) for r in rows)
        ):
            problems.append((f"{path}.{key}", "expected a list of requirement IDs such as [DEV-LRN-02]"))
    explanation = row.get("explanation")
    if explanation is not None and (not isinstance(explanation, str) or not explanation.strip()):
        problems.append((f"{path}.explanation", f"expected text in the school's own words; got {show(explanation)}"))
    clause = row.get("clause")
    if clause is not None:
        refs = clause if isinstance(clause, list) else [clause]
        for ref in refs:
            if not isinstance(ref, str) or not ref.strip():
                problems.append(
                    (f"{path}.clause", f'expected a clause reference as text, e.g. "6.3.2" (quote it); got {show(ref)}')
                )
            elif ROW_ID_RE.match(ref):
                message = f'"{ref}" is a requirement ID; give the policy\'s own clause number or heading'
                problems.append((f"{path}.clause", message))
        if verdict == "not_covered":
            problems.append((f"{path}.clause", "a not_covered rule cites no clause"))
    return problems


def _check_word_list(value: Any, allowed: Iterable[str], path: str, kind: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    allowed = list(allowed)
    if not isinstance(value, list) or not value:
        return [(path, f"expected a list of {kind}s, e.g. [{allowed[0]}]; got {show(value)}")]
    return [
        (f"{path}[{i}]", f"unknown {kind} {show(v)}{suggest(str(v), allowed)}; allowed: {', '.join(allowed)}")
        for i, v in enumerate(value)
        if v not in allowed
    ]


def _check_condition(item: Any, path: str) -> list[tuple[str, str]]:
    if not isinstance(item, dict) or len(item) != 1:
        return [(path, f"expected one condition such as 'approval_by: [headteacher]'; got {show(item)}")]
    ((kind_id, value),) = item.items()
    kind = CONDITION_KINDS.get(kind_id)
    if kind is None:
        return [
            (
                f"{path}.{kind_id}",
                f"unknown condition{suggest(str(kind_id), CONDITION_KINDS)}; conditions: {', '.join(CONDITION_KINDS)}",
            )
        ]
    here = f"{path}.{kind_id}"
    if kind.value == "role[]":
        roles = value if isinstance(value, list) else [value]
        return [
            (here, f"unknown role {show(r)}{suggest(str(r), ROLE_VALUES)}; roles: {', '.join(ROLE_VALUES)}")
            for r in roles
            if r not in ROLE_VALUES
        ]
    if kind.value == "true":
        return [] if value is True else [(here, f"write 'true' for this condition; got {show(value)}")]
    if kind.value == "text":
        ok = isinstance(value, str) and value.strip()
        return [] if ok else [(here, f"expected text (quote it if it looks like a number); got {show(value)}")]
    if kind.value in ("text[]", "places"):
        ok = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
        return [] if ok else [(here, f"expected a list of names as text; got {show(value)}")]
    if kind.value == "consent":
        holders = value if isinstance(value, list) else [value]
        return [
            (here, f"unknown consent holder {show(h)}{suggest(str(h), CONSENT_HOLDERS)}; allowed: {_HOLDERS}")
            for h in holders
            if h not in CONSENT_HOLDERS
        ]
    if kind.value == "key_stages":
        stages = value if isinstance(value, list) else [value]
        allowed = ", ".join(_KEY_STAGES)
        return [(here, f"unknown key stage {show(s)}; allowed: {allowed}") for s in stages if s not in _KEY_STAGES]
    raise AssertionError(kind.value)  # a vocabulary bug, not bad input


# --- answering -------------------------------------------------------------------------------------


def matching_row(rules: Mapping[str, Any] | None, actor: str, action: str, where: Mapping[str, str]) -> dict | None:
    """The school's row answering this question, or None (the shipped rule answers)."""
    if not rules:
        return None
    rows = rules.get(action)
    if rows is None:
        return None
    for row in [rows] if isinstance(rows, dict) else rows:
        if row.get("actors") and actor not in row["actors"]:
            continue
        if row.get("devices") and where.get("device", "phone") not in row["devices"]:
            continue
        if row.get("places") and where.get("location") and where["location"] not in row["places"]:
            continue
        return row
    return None


_UNSETTLED, _MET, _FAILED = "unsettled", "met", "failed"


def condition_text(kind_id: str, value: Any, question: Any) -> str:
    """A condition in Harbour's words, with the school's own names for roles."""
    if kind_id == "approval_by":
        return f"{question.role_names(_as_list(value))} approves it first"
    if kind_id == "written_approval_by":
        return f"{question.role_names(_as_list(value))} gives written permission first"
    if kind_id == "in_places":
        return f"only in {_places(value)}"
    if kind_id == "not_in_places":
        return f"never in {_places(value)}"
    if kind_id == "school_devices_only":
        return "only with a device the school provides, never a personal one"
    if kind_id == "consent_of":
        from harbour.policy.rules.engine import join_words

        return join_words([CONSENT_WORDS[h] for h in _as_list(value)], "and")
    if kind_id == "purpose":
        return f"only for this purpose: {value}"
    if kind_id == "year_groups":
        from harbour.policy.rules.engine import join_words

        return f"only for {join_words(list(value), 'and')}"
    if kind_id == "key_stages":
        names = {"eyfs": "the Early Years Foundation Stage", "ks1": "Key Stage 1", "ks2": "Key Stage 2"}
        from harbour.policy.rules.engine import join_words

        return f"only for learners in {join_words([names[s] for s in _as_list(value)], 'or')}"
    if kind_id == "time_limited":
        return f"only {value}" if not str(value).lower().startswith(("only", "for ", "until", "during")) else str(value)
    if kind_id == "moved_to_school_storage_and_deleted":
        return "the images are copied to school storage as soon as possible and deleted from the device"
    if kind_id == "risk_assessment":
        return "a risk assessment has been done and recorded first"
    if kind_id == "emergency_only":
        return "only in an emergency"
    if kind_id == "no_learners_present":
        return "only where no learners are present"
    if kind_id == "switched_off":
        return "the device stays switched off or silent and out of sight"
    if kind_id == "repeat_offence_only":
        return "only when it has happened before"
    if kind_id == "handed_in":
        return f"the device is handed in ({value})"
    return str(value)


def _settle(kind_id: str, value: Any, where: Mapping[str, str]) -> str:
    """Whether the question's facts settle a condition (met / failed) or leave it open."""
    if kind_id == "in_places" and where.get("location"):
        return _MET if where["location"] in value else _FAILED
    if kind_id == "not_in_places" and where.get("location"):
        return _FAILED if where["location"] in value else _MET
    if kind_id == "consent_of" and where.get("consent"):
        return _MET if where["consent"] == "given" else _FAILED
    if kind_id == "emergency_only" and where.get("reason"):
        return _MET if where["reason"] == "emergency" else _FAILED
    if kind_id == "no_learners_present" and where.get("learners_present"):
        return _MET if where["learners_present"] == "no" else _FAILED
    if kind_id == "key_stages" and where.get("key_stage"):
        return _MET if where["key_stage"] in _as_list(value) else _FAILED
    if kind_id == "repeat_offence_only" and where.get("reason"):
        return _MET if where["reason"] == "repeat_offence" else _FAILED
    if kind_id == "school_devices_only" and where.get("device"):
        return _FAILED  # every device word of the vocabulary is a personal device
    return _UNSETTLED


def answer_row(row: Mapping[str, Any], question: Any):
    """The Answer a school's row gives to ``question`` (an engine.Question)."""
    from harbour.policy.rules.engine import Answer, clause_sort_key

    verdict = row["verdict"]
    scope = row.get("scope")
    if (scope == "staff" and not question.is_staff) or (scope == "employees" and not question.is_employee):
        return question.not_covered()
    if row.get("when_covered") and not question.covered(*row["when_covered"]):
        return question.not_covered()
    if verdict == "not_covered":
        if row.get("explanation"):
            return Answer("not_covered", (), (), str(row["explanation"]))
        return question.not_covered()
    open_conditions: list[str] = []
    failed: list[str] = []
    for item in row.get("conditions") or []:
        ((kind_id, value),) = item.items()
        text = condition_text(kind_id, value, question)
        state = _settle(kind_id, value, question.where)
        if state == _FAILED:
            failed.append(text)
        elif state == _UNSETTLED:
            open_conditions.append(text)
    refs = row_clauses(row, question)
    if scope == "staff":
        refs = (*refs, *question.staff_scope_clauses())
    refs = tuple(sorted(dict.fromkeys(refs), key=clause_sort_key))
    # "{school}" in an explanation is the school's name (shipped rules are written for every school).
    explanation = str(row.get("explanation") or "").strip().replace("{school}", question.school_name)
    if verdict == "conditional":
        if failed:
            why = f"Not in this case: {failed[0]}."
            return Answer("forbidden", (), refs, f"{why} {explanation}".strip())
        if not open_conditions:
            return Answer("allowed", (), refs, explanation or "Yes: every condition the policy sets is met here.")
        if not explanation:
            explanation = "Only when " + "; and ".join(open_conditions) + "."
        return Answer("conditional", tuple(_sentence(c) for c in open_conditions), refs, explanation)
    if not explanation:
        explanation = (
            f"{question.school_name}'s policy allows this."
            if verdict == "allowed"
            else f"{question.school_name}'s policy does not allow this."
        )
    return Answer(verdict, (), refs, explanation)


def row_clauses(row: Mapping[str, Any], question: Any) -> tuple[str, ...]:
    """The row's own clause, else the school's refs for the action's rows, else its section heading."""
    clause = row.get("clause")
    if clause:
        return tuple(str(c) for c in _as_list(clause))
    if row.get("cites"):
        return question.clauses(*row["cites"])
    spec = ACTIONS[question.action]
    mapped = question.clauses(*spec.rows)
    if mapped:
        return mapped
    own_sections = question.config.get(RULE_SECTIONS_KEY) or {}
    heading = own_sections.get(spec.section)
    return (str(heading) if heading else SECTIONS[spec.section],)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _places(value: Any) -> str:
    from harbour.policy.rules.engine import join_words

    words = [p.replace("_", " ") if p in _LOCATIONS else p for p in _as_list(value)]
    return join_words(words, "or")


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


# --- the shipped rules -------------------------------------------------------------------------------

SHIPPED_FILE = Path(__file__).with_name("shipped_rules.yaml")


def shipped_rows() -> dict[str, Any]:
    """Harbour's own rules that are data (shipped_rules.yaml), checked like a school's rows."""
    import yaml

    rows = yaml.safe_load(SHIPPED_FILE.read_text(encoding="utf-8")) or {}
    problems = check_rules(rows)
    if problems:  # a packaging mistake, found at the first question and by the tests
        raise ValueError(f"shipped_rules.yaml: {problems[:3]}")
    return rows
