"""Ask a school's published policy a "Can I…?" question (GOV-23; policy-questions.md §1).

    manage.py policy_ask st-james learner bring_personal_phone_on_site --where reason=medical_need --json

Prints the answer ({"verdict", "conditions", "clauses", "explanation"} with --json, readable text
without). An unknown school, actor, action, context key or value is refused with exit status 2 and a
message listing the valid words.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.policy import selectors
from harbour.policy.api_ask import parse_where
from harbour.policy.rules import engine
from harbour.policy.rules.vocabulary import ACTIONS, CONTEXT_KEY_INFO
from harbour.schools.models import School

_VERDICT_WORDS = {
    engine.ALLOWED: "Allowed",
    engine.FORBIDDEN: "Not allowed",
    engine.CONDITIONAL: "Allowed only if",
    engine.NOT_COVERED: "The policy does not say",
}


class Command(BaseCommand):
    help = "Ask a school's published policy whether an actor may do an action (policy-questions.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school", help="The school's slug, e.g. st-james.")
        parser.add_argument("actor", help="Who asks, e.g. staff, learner, visitor.")
        parser.add_argument("action", help="What they want to do, e.g. use_personal_phone_on_site.")
        parser.add_argument(
            "--where",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A fact about the situation; repeat for several (e.g. --where location=classroom).",
        )
        parser.add_argument("--json", action="store_true", help="Print the answer as JSON.")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Answer from the open draft (the version being worked on) instead of the one in force.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(slug=options["school"], is_active=True).first()
        if school is None:
            raise CommandError(f"No active school has the slug '{options['school']}'.", returncode=2)
        where, bad = parse_where(options["where"], "=")
        if bad is not None:
            action = options["action"]
            keys = ACTIONS[action].context_keys if action in ACTIONS else tuple(CONTEXT_KEY_INFO)
            listed = ", ".join(keys) or "(none)"
            raise CommandError(f"'{bad}' is not a KEY=VALUE fact. Keys: {listed}.", returncode=2)
        # Issue #21 point 4: an operator or a test can ask a draft before it is published.
        if options.get("draft"):
            config = selectors.working_config(school=school)
        else:
            config = selectors.published_config(school=school)
        try:
            answer = engine.ask(config, options["actor"], options["action"], where)
        except engine.UnknownTerm as exc:
            raise CommandError(exc.message, returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._readable(answer))

    def _readable(self, answer: engine.Answer) -> str:
        lines = [f"{_VERDICT_WORDS[answer.verdict]}{':' if answer.conditions else '.'}"]
        lines += [f"  - {condition}" for condition in answer.conditions]
        lines.append(answer.explanation)
        if answer.clauses:
            lines.append(f"Clauses: {', '.join(answer.clauses)}")
        return "\n".join(lines)
