"""Query filters refuse values they do not know (issue #12 point 8).

django-filter quietly ignores a yes/no filter it cannot read (``?left=maybe``) and an empty
choice (``?risk=``), and answers with the unfiltered list: a client would take every concern for
the high-risk ones. This backend, the API's default, answers 400 with the values it accepts.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.request import Request

_BOOLEAN_VALUES = ("true", "false")


def _allowed_choices(filter_: django_filters.Filter) -> list[str]:
    return [str(value) for value, _label in filter_.field.choices if value not in ("", None)]


def refuse_unknown_values(filterset: django_filters.FilterSet, params: Any) -> None:
    errors: dict[str, list[str]] = {}
    for name, filter_ in filterset.filters.items():
        if name not in params:
            continue
        values = params.getlist(name)
        if isinstance(filter_, django_filters.BooleanFilter):
            if any(value not in _BOOLEAN_VALUES for value in values):
                errors[name] = ["Give true or false."]
        elif isinstance(filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
            allowed = _allowed_choices(filter_)
            unknown = [value for value in values if value not in allowed]
            if unknown:
                errors[name] = [f"'{unknown[0]}' is not one of: {', '.join(allowed)}."]
    if errors:
        raise exceptions.ValidationError(errors)


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request: Request, queryset: QuerySet, view: Any) -> django_filters.FilterSet | None:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_unknown_values(filterset, request.query_params)
        return filterset
