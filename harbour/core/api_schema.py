"""The OpenAPI schema tells the truth about errors and blank values (issue #12 point 8).

* ``document_problem_responses`` (a drf-spectacular post-processing hook): every operation lists
  400, 401, 403, 404 and 429, and every error answer it lists, as ``application/problem+json``
  with the ``Problem`` schema that ``harbour.core.api.problem_details_handler`` renders.
* ``AutoSchema``: a read-only field copied from a model field that may be blank says so, so that
  a concern not yet graded (``risk: ""``) or a member of staff without an e-mail address matches
  the schema of the answer that carries it.

``harbour/core/tests/test_api_fuzz.py`` runs schemathesis against the result.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers

from harbour.core.api import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details. Some answers add fields of their own.",
    "properties": {
        "type": {"type": "string", "description": "Always about:blank."},
        "title": {"type": "string", "description": "Short, fixed text for the status."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, in plain words."},
        "instance": {"type": "string", "description": "The path that was asked for."},
        "errors": {
            "description": "On 400: the message(s) for each field that is not valid.",
            "oneOf": [{"type": "object", "additionalProperties": {}}, {"type": "array", "items": {}}],
        },
    },
    "required": ["type", "title", "status"],
}

ERROR_RESPONSES: dict[str, str] = {
    "400": "The request is not valid: nothing was changed. `errors` says why, field by field.",
    "401": "No valid token was sent.",
    "403": "The token may not be used here (for example, multi-factor sign-in is not set up).",
    "404": "No such record, or not one the caller may see. The two are never told apart.",
    "429": "Too many requests: wait for the number of seconds in Retry-After.",
}

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def document_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool, **_: Any
) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for component in schemas.values():
        # "Either the record or a receipt": the two shapes share fields and allow others, so an
        # answer matches both and breaks "exactly one of". "At least one of" is what we promise.
        if "oneOf" in component and "discriminator" not in component:
            component["anyOf"] = component.pop("oneOf")
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": _PROBLEM_REF}}
                    if not response.get("description"):
                        response["description"] = ERROR_RESPONSES.get(code, "Error, as problem details.")
    return result


def _model_field(field: serializers.Field) -> Any:
    meta = getattr(field.parent, "Meta", None)
    model = getattr(meta, "model", None)
    source = getattr(field, "source", "")
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field: serializers.Field, direction: str, bypass_extensions: bool = False) -> Any:
        if field.read_only and hasattr(field, "allow_blank") and getattr(_model_field(field), "blank", False):
            # DRF drops allow_blank from read-only fields, yet the stored value can be "" (a risk not
            # graded yet, an unknown e-mail address): drf-spectacular then adds "" to the enum or
            # the format.
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)
