"""Policy API under /api/v1/schools/<slug>/policy/ (the prefix is set in harbour/api_urls.py).

The paths are those of policy-questions.md, without a trailing slash; the same path with a slash is
accepted too but left out of the schema.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view

from harbour.policy.api_ask import PolicyAskAPI, PolicyVocabularyAPI

_hidden = extend_schema_view(get=extend_schema(exclude=True))

urlpatterns = [
    path("ask", PolicyAskAPI.as_view(), name="api-policy-ask"),
    path("ask/", _hidden(type("PolicyAskSlashAPI", (PolicyAskAPI,), {})).as_view()),
    path("vocabulary", PolicyVocabularyAPI.as_view(), name="api-policy-vocabulary"),
    path("vocabulary/", _hidden(type("PolicyVocabularySlashAPI", (PolicyVocabularyAPI,), {})).as_view()),
]
