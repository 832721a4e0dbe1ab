"""Schemathesis against our own OpenAPI schema, as ``schemathesis run --checks all`` would (issue #12
point 8): no server error, no answer that breaks the schema, no status or media type it does not
list, unknown values refused.

Bounded: every operation gets schemathesis's boundary cases (the coverage phase, negative mode:
empty strings, wrong types, values outside an enum) and a few generated examples, through the WSGI
application in-process, authenticated as the DSL with an API token. About a minute on two cores.

Two tolerances, each for a reason the schema cannot express:
* ``positive_data_acceptance`` also accepts 400: some rules span fields or the database ("a failed
  check needs a follow-up", "this learner is not at your school"). The 400 is documented.
* ``negative_data_rejection`` ignores JSON bodies whose only fault is a scalar of another type
  (``0`` for a text field): DRF reads it as the text ``"0"``, which is harmless.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest

# CI's bound; HARBOUR_FUZZ_EXAMPLES=100 for a longer hunt before a release.
MAX_EXAMPLES = int(os.environ.get("HARBOUR_FUZZ_EXAMPLES", "10"))


def _tolerated(check: Any) -> bool:
    message = check.failure_info.failure.message
    return check.name == "negative_data_rejection" and "in body" in message and "Incorrect type" in message


def _describe(recorder: Any, case_id: str, check: Any) -> str:
    case = recorder.cases[case_id].value
    interaction = recorder.interactions.get(case_id)
    response = interaction.response if interaction else None
    status = response.status_code if response else "?"
    content = response.content[:300] if response else b""
    body = str(case.body)[:200]
    failure = check.failure_info.failure
    return (
        f"{recorder.label} [{check.name}] {failure.title}\n    {status} {case.method} {case.formatted_path}"
        f" query={case.query} body={body}\n    -> {content!r}\n    {failure.message[:400]}"
    )


@pytest.fixture
def wsgi_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """schemathesis 4.32 passes network-only options to its in-process WSGI client outside the
    coverage phase; drop them (they mean nothing without a socket)."""
    from schemathesis.transport.wsgi import WSGITransport

    send = WSGITransport.send

    def send_without_socket_options(self: Any, case: Any, *, session: Any = None, **kwargs: Any) -> Any:
        for name in ("max_redirects", "verify", "cert", "proxies"):
            kwargs.pop(name, None)
        return send(self, case, session=session, **kwargs)

    monkeypatch.setattr(WSGITransport, "send", send_without_socket_options)


def in_worker_thread(application: Any) -> Any:
    """schemathesis calls the application from its worker threads: each closes its database
    connection after every request, so none outlives the test and blocks dropping the test database."""
    from django.db import connections

    def app(environ: Any, start_response: Any) -> Any:
        try:
            return list(application(environ, start_response))
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()

    return app


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(world, wsgi_transport) -> None:
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events

    from harbour.accounts import services as account_services
    from harbour.wsgi import application

    token = account_services.api_token_create(user=world.dsl.user, school=world.school, name="schemathesis")
    config = SchemathesisConfig.from_dict(
        {
            "cache": {"enabled": False},  # no .schemathesis/ directory left in the tree
            "headers": {"Authorization": f"Token {token.raw_key}"},
            "workers": 1,
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404", "429"]},
            },
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {
                "coverage": {"generation": {"mode": "negative"}},
                "stateful": {"enabled": False},
            },
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", in_worker_thread(application), config=config)
    started = time.monotonic()
    failures: dict[tuple[str, str, str], str] = {}  # one example of each kind of failure
    requests = 0
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            requests += len(event.recorder.interactions)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None and not _tolerated(check):
                        key = (event.recorder.label, check.name, check.failure_info.failure.title)
                        failures.setdefault(key, _describe(event.recorder, case_id, check))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            label = str(getattr(event, "label", ""))
            failures.setdefault(("error", label, ""), f"schemathesis error: {label} {getattr(event, 'value', event)!r}")
    print(f"schemathesis: {requests} requests in {time.monotonic() - started:.0f} s")
    assert requests > 500, "schemathesis hardly ran: is the schema served?"
    assert not failures, "\n".join(failures.values())
