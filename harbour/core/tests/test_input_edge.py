"""Bad input never becomes a 500 and changes nothing (issue #12 point 8).

Control characters are cleaned at the edge (query strings, form fields, API bodies) and by the
audit trail; dates outside 1900..next year are refused on every date field; unknown filter
values are refused; the schema documents every error answer as problem details.

The NUL tests also run on PostgreSQL, where a NUL used to crash the audit write:
``DATABASE_URL=postgres://… pytest harbour/core/tests/test_input_edge.py -k nul``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from harbour.audit import services as audit
from harbour.audit.models import AuditEvent
from harbour.concerns.models import Concern
from harbour.core import dates
from harbour.core.api import PROBLEM_CONTENT_TYPE
from harbour.core.text import clean_data, clean_text

ALERTS = "/api/v1/schools/alpha/monitoring/alerts/"
CONCERNS = "/api/v1/schools/alpha/concerns/"


def report_url(name: str = "report") -> str:
    return reverse(f"concerns:{name}", args=["alpha"])


def concern_payload(world, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "cyberbullying",
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "summary": "Group chat name-calling",
        "description": "Messages calling Ada names were shared in a year group chat.",
        "learners": [{"learner": world.learner.pk, "part": "affected"}],
    }
    data.update(overrides)
    return data


def web_report(world, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "cyberbullying",
        "summary": "Name-calling in a game chat",
        "description": "Ada showed me messages in a game chat calling her names.",
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "off_site",
        "equipment": "personal",
        "learner": [world.learner.pk],
        f"part_{world.learner.pk}": "affected",
        "send": "1",
    }
    data.update(overrides)
    return data


# --- control characters ------------------------------------------------------------------------


def test_clean_text_keeps_tabs_and_line_breaks_and_drops_the_rest():
    assert clean_text("a\x00b\x1bc\x7fd\x85e\ud800f") == "abcdef"
    assert clean_text("line one\r\nline two\tend") == "line one\r\nline two\tend"
    # Word's manual line break and page break become line breaks, not glued words.
    assert clean_text("first\x0bsecond\x0cthird") == "first\nsecond\nthird"
    assert clean_data({"k\x00": ["v\x00", 3, None, {"n": "\x00x"}]}) == {"k": ["v", 3, None, {"n": "x"}]}


def test_nul_in_monitoring_alert_search_is_no_500_and_audited_clean(world, client_for):
    response = client_for("dsl").get(ALERTS + "?q=%00Ada%00&category=%00")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="monitoring.alert_list").latest("pk")
    assert event.changes == {"filters": {"q": "Ada"}}


def test_nul_in_learner_search_on_the_report_form_is_no_500(world, client_for):
    client = client_for("teacher")
    response = client.post(report_url(), {**web_report(world), "find_learners": "1", "learner_q": "\x00Ada"})
    assert response.status_code == 200
    response = client.get(report_url("report_learner_search"), {"learner_q": "Ad\x00a"})
    assert response.status_code == 200
    assert "Ada" in response.content.decode()


def test_nul_in_a_web_report_is_cleaned_and_the_report_kept(world, client_for):
    description = "Ada said:\x00 they\x0bkeep\tsending\r\nmessages"
    response = client_for("teacher").post(report_url(), web_report(world, description=description, summary="Chat\x00"))
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.summary == "Chat"
    assert concern.description == "Ada said: they\nkeep\tsending\r\nmessages"


def test_nul_in_an_api_body_value_is_cleaned(world, client_for):
    response = client_for("dsl").post(
        CONCERNS,
        concern_payload(world, summary="Name\x00calling\x1b", description="Line\x00 one\nline two"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    concern = Concern.objects.get()
    assert (concern.summary, concern.description) == ("Namecalling", "Line one\nline two")


def test_a_control_character_in_an_api_field_name_is_refused(world, client_for):
    """Cleaning a name could turn junk into a real field ("summ\x00ary" into "summary")."""
    payload = concern_payload(world)
    payload["summ\x00ary"] = payload.pop("summary")
    response = client_for("dsl").post(CONCERNS, payload, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert "control character" in response.json()["detail"]
    assert not Concern.objects.exists()


def test_nul_in_an_audit_record_is_dropped(world):
    event = audit.record(action="test.nul", actor=world.dsl, changes={"q\x00": ["\x00", "file\x00.pdf"]})
    event.refresh_from_db()
    assert event.changes == {"q": ["", "file.pdf"]}


def test_nul_in_a_user_agent_is_no_500(world, client_for):
    response = client_for("dsl").get(ALERTS, HTTP_USER_AGENT="curl\x00/8")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="monitoring.alert_list").latest("pk").user_agent == "curl/8"


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [8, 1899, timezone.now().year + 2, 2999])
def test_web_report_refuses_an_implausible_date_and_stores_nothing(world, client_for, year):
    data = web_report(world, occurred_at=f"{year:04d}-03-01T10:00")
    response = client_for("teacher").post(report_url(), data)
    assert response.status_code == 200
    assert "Enter a date between 1900 and the end of" in response.content.decode()
    assert not Concern.objects.exists()


@pytest.mark.parametrize("year", [8, 2999])
def test_api_refuses_an_implausible_date_as_problem_details(world, client_for, year):
    payload = concern_payload(world, occurred_at=f"{year:04d}-03-01T10:00:00Z")
    response = client_for("dsl").post(CONCERNS, payload, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert "Enter a date between 1900" in response.json()["errors"]["occurred_at"][0]
    assert not Concern.objects.exists()


@pytest.mark.parametrize("year", [8, 2999])
def test_chronology_refuses_an_implausible_date_on_the_api_and_the_page(world, client_for, year):
    client = client_for("dsl")
    api = client.get(
        f"/api/v1/schools/alpha/learners/{world.learner.pk}/chronology/", {"date_from": f"{year:04d}-01-01"}
    )
    assert api.status_code == 400
    assert "Enter a date between 1900" in api.json()["errors"]["date_from"][0]
    page = client.get(
        reverse("concerns:chronology", args=["alpha", world.learner.pk]), {"date_to": f"{year:04d}-01-01"}
    )
    assert page.status_code in (200, 400)
    assert "Enter a date between 1900" in page.content.decode()


def test_a_date_this_year_and_next_year_is_accepted():
    bound = dates.PlausibleDate()
    bound(timezone.localdate().replace(month=1, day=1, year=1900))
    bound(timezone.localdate().replace(month=12, day=31, year=timezone.localdate().year + 1))


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_harbour_form_date_field_carries_the_bound():
    """Form fields copy their validators when the form class is built: this proves the bound was
    installed before any Harbour form module was imported."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view and so every form module
    checked = 0
    for form_class in _subclasses(forms.BaseForm):
        if not form_class.__module__.startswith("harbour."):
            continue
        for name, field in getattr(form_class, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                checked += 1
                assert dates.is_bounded(field), f"{form_class.__module__}.{form_class.__name__}.{name}"
    assert checked >= 10


def test_every_api_date_field_carries_the_bound():
    assert dates.is_bounded(serializers.DateField())
    assert dates.is_bounded(serializers.DateTimeField())
    assert dates.is_bounded(forms.DateTimeField())


# --- unknown values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (CONCERNS, {"risk": ""}, "risk"),
        (CONCERNS, {"risk": "extreme"}, "risk"),
        ("/api/v1/schools/alpha/learners/", {"left": "maybe"}, "left"),
        (ALERTS, {"status": "AAA"}, "status"),
        (ALERTS, {"severity": ""}, "severity"),
        (CONCERNS, {"page_size": "0"}, "page_size"),
        (CONCERNS, {"page_size": "many"}, "page_size"),
    ],
)
def test_unknown_filter_values_are_refused_with_a_clear_message(world, client_for, url, params, field):
    response = client_for("dsl").get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response.json()["errors"][field]


def test_known_filter_values_still_filter(world, client_for):
    client = client_for("dsl")
    assert client.get(CONCERNS, {"risk": "high"}).status_code == 200
    assert client.get(ALERTS, {"status": "open", "q": "Ada"}).status_code == 200


def test_api_takes_json_bodies_only(world, client_for):
    response = client_for("dsl").post(CONCERNS, concern_payload(world, learners=[]))  # form-encoded
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert not Concern.objects.exists()


# --- the schema --------------------------------------------------------------------------------


def test_schema_documents_problem_details_for_every_error_on_every_operation(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "Problem" in schema["components"]["schemas"]
    operations = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            operations += 1
            for code in ("400", "401", "403", "404", "429"):
                response = operation["responses"].get(code)
                assert response, f"{method.upper()} {path} lacks {code}"
                assert list(response["content"]) == [PROBLEM_CONTENT_TYPE], f"{method.upper()} {path} {code}"
    assert operations > 30


def test_middleware_cleans_form_fields_and_file_names_when_the_body_is_read(rf, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # Django's own handlers: "/" takes no file, so the upload gate (harbour.core.uploads,
    # issue #13) would rightly refuse this one before the cleaning could be seen.
    settings.FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
    from django.http import HttpResponse

    from harbour.core.middleware_input import CleanInputMiddleware

    seen = {}

    def view(request):
        seen.update(q=request.GET["q"], note=request.POST["note"], name=request.FILES["file"].name)
        return HttpResponse()

    request = rf.post("/?q=a%00b", {"note": "x\x00y", "file": SimpleUploadedFile("re\x00port.pdf", b"%PDF-1.4")})
    CleanInputMiddleware(view)(request)
    assert seen == {"q": "ab", "note": "xy", "name": "report.pdf"}


def test_a_refused_api_input_is_audited_by_field_name_only(world, client_for):
    """Issue #12 "Bad input": a refusal is audited, naming the fields and never their values."""
    payload = concern_payload(world, occurred_at="0008-03-01T10:00:00Z", summary="=HYPERLINK(secret)")
    response = client_for("dsl").post(CONCERNS, payload, content_type="application/json")
    assert response.status_code == 400
    event = AuditEvent.objects.get(action="api.input_refused")
    assert event.school == world.school
    assert event.actor == world.dsl.user
    assert event.changes["fields"] == [None, ["occurred_at"]]
    assert event.changes["path"] == [None, CONCERNS]
    assert "0008" not in str(event.changes)
    assert "HYPERLINK" not in str(event.changes)
    assert not Concern.objects.exists()


def test_an_outsiders_refused_input_is_not_recorded_against_the_school(world, client_for):
    response = client_for("outsider").get(CONCERNS, {"risk": "extreme"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="api.input_refused").exists()
