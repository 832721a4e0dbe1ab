"""The "Can I…?" rules engine over HTTP (GOV-23, issue 5 item 7; policy-questions.md §1).

    GET /api/v1/schools/{school}/policy/ask?actor=..&action=..&where=KEY:VALUE[&where=...]
    GET /api/v1/schools/{school}/policy/vocabulary

Any member of the school may ask (the guide is for everyone); a caller who cannot see the school
gets 404, as everywhere. The answer comes from the school's published configuration. Unknown words
get 400 with the detail and the list of valid ones.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from harbour.core.api import PROBLEM_CONTENT_TYPE, SchoolScopedAPIMixin
from harbour.policy import selectors
from harbour.policy.rules import engine
from harbour.policy.rules.vocabulary import ACTIONS, ACTORS, CONTEXT_KEY_INFO, SECTIONS


class AnswerSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=engine.VERDICTS)
    conditions = serializers.ListField(
        child=serializers.CharField(), help_text="All must hold; non-empty only for 'conditional'."
    )
    clauses = serializers.ListField(
        child=serializers.CharField(), help_text="The school's own clause numbers; empty for 'not_covered'."
    )
    explanation = serializers.CharField()


class UnknownTermSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    kind = serializers.CharField(help_text="actor, action, context key, context value or parameter.")
    value = serializers.CharField()
    valid = serializers.ListField(child=serializers.CharField(), help_text="What would have been accepted.")


class VocabularyActionSerializer(serializers.Serializer):
    id = serializers.CharField()
    section = serializers.CharField()
    section_title = serializers.CharField()
    meaning = serializers.CharField()
    typical_actors = serializers.ListField(child=serializers.CharField())
    context_keys = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.CharField())


class VocabularySerializer(serializers.Serializer):
    actors = serializers.ListField(child=serializers.DictField())
    actions = VocabularyActionSerializer(many=True)
    context_keys = serializers.ListField(child=serializers.DictField())
    retired_actions = serializers.DictField(child=serializers.CharField())


def _bad_request(detail: str, kind: str, value: str, valid: list[str]) -> Response:
    body = {
        "type": "about:blank",
        "title": "Invalid request",
        "status": 400,
        "detail": detail,
        "kind": kind,
        "value": value,
        "valid": valid,
    }
    return Response(body, status=400, content_type=PROBLEM_CONTENT_TYPE)


def parse_where(values: list[str], separator: str) -> tuple[dict[str, str], str | None]:
    """["location:classroom", ...] -> {"location": "classroom"}; second item is the first bad entry."""
    facts: dict[str, str] = {}
    for raw in values:
        key, sep, value = raw.partition(separator)
        if not sep or not key.strip() or not value.strip():
            return facts, raw
        facts[key.strip()] = value.strip()
    return facts, None


@extend_schema(
    summary="Ask the school's policy a “Can I…?” question",
    parameters=[
        OpenApiParameter("actor", OpenApiTypes.STR, required=True, enum=list(ACTORS), description="Who asks."),
        OpenApiParameter(
            "action", OpenApiTypes.STR, required=True, enum=list(ACTIONS), description="What they want to do."
        ),
        OpenApiParameter(
            "where",
            OpenApiTypes.STR,
            many=True,
            description="One fact per parameter as KEY:VALUE (e.g. location:classroom); the keys an action "
            "accepts are listed by /policy/vocabulary.",
        ),
    ],
    responses={
        200: AnswerSerializer,
        400: OpenApiResponse(UnknownTermSerializer, description="An unknown actor, action, context key or value."),
        404: OpenApiResponse(description="No such school, or the caller cannot see it."),
    },
    examples=[
        OpenApiExample(
            "Conditional answer",
            value={
                "verdict": "conditional",
                "conditions": ["The Headteacher has given written permission for this use, and it is on record."],
                "clauses": ["6.2.2(d)"],
                "explanation": "Personal devices are not used during lessons unless the Headteacher has agreed in "
                "writing.",
            },
            response_only=True,
        )
    ],
)
class PolicyAskAPI(SchoolScopedAPIMixin, APIView):
    """The answer of the school's published policy to one question (policy-questions.md §1)."""

    def get(self, request: Request, school_slug: str) -> Response:
        params = request.query_params
        actor, action = params.get("actor", ""), params.get("action", "")
        if not actor:
            return _bad_request("The 'actor' parameter is required.", "parameter", "actor", list(ACTORS))
        if not action:
            return _bad_request("The 'action' parameter is required.", "parameter", "action", list(ACTIONS))
        where, bad = parse_where(params.getlist("where"), ":")
        if bad is not None:
            keys = list(ACTIONS[action].context_keys) if action in ACTIONS else list(CONTEXT_KEY_INFO)
            return _bad_request(f"'{bad}' is not a KEY:VALUE fact.", "parameter", bad, keys)
        config = selectors.published_config(school=self.membership.school)
        try:
            answer = engine.ask(config, actor, action, where)
        except engine.UnknownTerm as exc:
            return _bad_request(exc.message, exc.kind, exc.value, exc.valid)
        return Response(answer.as_dict())


def vocabulary_dict() -> dict[str, Any]:
    """The words the engine understands, for clients building questions."""
    return {
        "actors": [{"id": a.id, "meaning": a.meaning} for a in ACTORS.values()],
        "actions": [
            {
                "id": a.id,
                "section": a.section,
                "section_title": SECTIONS[a.section],
                "meaning": a.meaning,
                "typical_actors": list(a.typical_actors),
                "context_keys": list(a.context_keys),
                "rows": list(a.rows),
            }
            for a in ACTIONS.values()
        ],
        "context_keys": [
            {"id": k.id, "values": list(k.values), "meaning": k.meaning} for k in CONTEXT_KEY_INFO.values()
        ],
        "retired_actions": dict(engine.RETIRED_ACTIONS),
    }


@extend_schema(summary="The “Can I…?” vocabulary: actors, actions and context keys", responses=VocabularySerializer)
class PolicyVocabularyAPI(SchoolScopedAPIMixin, APIView):
    """Every actor, action (with the context keys it accepts) and context key with its values."""

    def get(self, request: Request, school_slug: str) -> Response:
        return Response(vocabulary_dict())
