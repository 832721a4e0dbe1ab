"""Walks every URL pattern of the project as people who must not get in (architecture.md, Tenancy).

The list of URLs is read from the resolver when the tests are collected, so a view added tomorrow
is walked tomorrow without anyone touching this file. Every school-scoped URL is requested:

* as the outsider (the DSL of another school): 404, never the record, never a 200, never a 403;
* as a member of one school with the id of the other school's record in the URL (the classic
  "change the number in the address bar" leak);
* as teacher2, who does not teach ``world.learner``'s class, on records they have no need to know;
* anonymously: sent to sign in (web) or refused with problem JSON (API);

and every POST an intruder makes must change nothing. Only the explicit allow-list ``PUBLIC``
below may answer an anonymous visitor.

Requirements: REP-07 (need-to-know access to safeguarding records), DPS-01 (personal data only
processed lawfully, so never shown to another school), ROL-01 (access follows the role register).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from django.utils.html import escape

from harbour.accounts.models import ApiToken, Invitation, Membership
from harbour.accounts.selectors import invitation_list, membership_list
from harbour.audit import services as audit
from harbour.audit.selectors import audit_event_list
from harbour.concerns import services as concern_services
from harbour.concerns.agencies import agency_list
from harbour.concerns.models import Agency, Attachment, Concern
from harbour.concerns.selectors import concern_list, receipt_list
from harbour.core.tests import factories as f
from harbour.filtering.tests import walk as filtering_walk
from harbour.monitoring.tests import walk as monitoring_walk
from harbour.people import selectors as people
from harbour.people.import_selectors import import_batch_list
from harbour.people.models import ImportBatch
from harbour.policy import permissions as policy_permissions
from harbour.policy.models import PolicyVersion

PROBLEM_JSON = "application/problem+json"
LOGIN_PATH = "/accounts/login/"
# allauth asks for the password again before touching security keys; being sent there is a refusal too.
REAUTHENTICATE_PATH = "/accounts/reauthenticate/"

# Anonymous visitors may get a 200 from these URL names and from no others. Each says why.
PUBLIC: dict[str, str] = {
    "account_login": "the way in",
    "account_signup": "allauth answers with a 'sign-up is closed' page: accounts come only by invitation",
    "account_reset_password": "someone who forgot their password is by definition not signed in",
    "account_reset_password_done": "the 'check your email' page after asking for a reset link",
    "account_reset_password_from_key": "the emailed reset link; the secret key in it is the credential",
    "account_reset_password_from_key_done": "the 'password changed' page that follows the reset link",
    "account_inactive": "tells a deactivated user why they cannot sign in",
    "account_email_verification_sent": "allauth's 'check your email' page; shows no account data",
    "account_confirm_email": "the emailed confirmation link; the key in it is the credential",
    "socialaccount_login_cancelled": "where single sign-on sends someone who cancelled",
    "socialaccount_login_error": "where single sign-on sends someone whose sign-in failed",
    "healthz": "probed by the load balancer and uptime monitors; reports no personal data",
    "api-schema": "the OpenAPI description of the API: shapes of data, never the data",
    "api-docs": "interactive API documentation built from the schema",
    "accounts:invitation_accept": "the invitee has no login yet; the secret token in the link is the credential",
    "concerns_public:report": "REP-03: parents, carers and visitors report a worry without a login (throttled)",
    "concerns_public:thanks": "the thank-you after the public form; names the school only, no reference",
    "concerns_public:help": "REP-24: where learners and families find help; names only published safeguarding contacts",
    "policy:document": "GOV-09: the school's published online safety policy, for its whole community",
    "policy:document_pdf": "GOV-09: the published policy as a PDF (the same text as the page)",
    "policy:document_docx": "GOV-09: the published policy as a Word file (the same text as the page)",
    "policy:document_list": "GOV-09: lists the published policy pages; shows nothing else",
    "policy:document_responsibilities": "ROL-08: who does what, drawn from the published policy",
    "policy:document_responsibilities_pdf": "ROL-08: the same page as a PDF",
    "policy:document_visitors": "DEV-VIS-01..04: what visitors must know on arrival, from the published policy",
    "policy:document_visitors_pdf": "DEV-VIS-02: the same page as a PDF, for the entrance",
    "policy:document_parents": "ROL-11: what families are asked and told, from the published policy",
    "policy:document_parents_pdf": "ROL-11: the same page as a PDF",
    "policy:document_monitoring_notice": "FLT-06, GOV-17: the monitoring notice every user must be able to read",
    "policy:document_monitoring_notice_pdf": "FLT-06: the same notice as a PDF",
    "policy:document_reporting": "REP-24: reporting routes, naming only the published safeguarding contacts",
    "policy:document_reporting_pdf": "REP-24: the same page as a PDF",
    "policy:guide_learners": "GOV-23: the 'Can I…?' guide for pupils, answered from the published policy only",
    "policy:guide_parents": "GOV-23: the 'Can I…?' guide for parents and carers, from the published policy only",
    "policy:guide_visitors": "GOV-23: the 'Can I…?' guide for visitors, volunteers, contractors; published policy only",
    **filtering_walk.PUBLIC_PAGES,
}

# The only URLs allowed to answer 5xx, and why: that answer is their purpose, not a crash.
MAY_ANSWER_5XX: dict[str, str] = {
    "healthz": "503 tells the load balancer the service is unhealthy (in tests no worker has beaten yet)",
}

# Which kind of record a URL's ``pk`` names, told by a word in the URL name. Order matters:
# "members:invitation_revoke" names an invitation although it contains "member".
PK_KIND_BY_NAME_WORD: tuple[tuple[str, str], ...] = (
    *monitoring_walk.PK_KINDS,
    *filtering_walk.PK_KINDS,
    ("policy:version_", "policy_version"),  # policy versions, their workflow steps and acknowledgement reports
    ("api-concern-attachment-download", "attachment"),  # its <pk> is the file; <concern_pk> the concern
    ("receipt", "receipt"),
    ("agenc", "agency"),
    ("webauthn", "authenticator"),
    ("invitation", "invitation"),
    ("token", "api_token"),
    ("import", "import_batch"),
    ("learner", "learner"),
    ("class", "school_class"),
    ("staff", "staff"),
    ("member", "membership"),
    ("audit", "audit_event"),
    ("event", "audit_event"),
    ("concern", "concern"),  # every other concerns URL with a <pk> names the concern itself
)

# Other ids in concern URLs name something inside the concern: filled from the same school's concern.
CONCERN_PART_PARAMS = {
    "item_pk": "entry",
    "step_pk": "step",
    "referral_pk": "entry",
    "attachment_pk": "attachment",
    "concern_pk": "concern",
    "learner_pk": "learner",
}

# Data that must never reach anyone outside the school, and words it could be escaped into.
POST_PAYLOAD = {
    "email": "mallory@beta.test",
    "role": "dsl",
    "name": "Injected by the URL walk",
    "first_name": "Injected",
    "last_name": "Walker",
    "full_name": "Injected Walker",
    "reason": "walk",
    "confirm": "1",
    "action": "apply",
    "password1": "a-long-password-for-the-walk",
    "password2": "a-long-password-for-the-walk",
}

# Fields that change on every visit by design (sign-in times, token use) and say nothing about a leak.
VOLATILE_FIELDS = {"last_login", "last_seen_at", "last_used_at"}
NOT_SNAPSHOTTED = {"audit.AuditEvent", "core.WorkerHeartbeat", "core.ScheduledJobRun"}


# --------------------------------------------------------------------------- the URL list


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern of the project, with what is needed to turn it into a concrete URL."""

    route: str
    name: str
    segments: tuple[Any, ...]
    callback: Callable[..., Any]
    params: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.name or self.route

    @property
    def school_scoped(self) -> bool:
        return "school_slug" in self.params

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def pk_kind(self) -> str | None:
        if "pk" not in self.params:
            return None
        lowered = self.name.lower()
        for word, kind in PK_KIND_BY_NAME_WORD:
            if word in lowered:
                return kind
        return "unknown"

    def build(self, values: dict[str, str]) -> str:
        """The concrete URL, checked to resolve back to this very pattern."""
        path = "/" + "".join(_fill(segment, values) for segment in self.segments)
        match = resolve(path)
        problem = f"{path} built from {self.route} resolves to {match.view_name} {match.kwargs}; extend _fill()"
        assert match.func is self.callback, problem
        # Extra kwargs a route passes to its view (e.g. {"action": ...}) are not in the URL; ignore them.
        captured = {k: str(v) for k, v in match.kwargs.items() if k in self.params}
        assert captured == {p: values[p] for p in self.params}, problem
        return path


def _fill(pattern: Any, values: dict[str, str]) -> str:
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], text)
        return re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], str(pattern))


def _walk(patterns: list[Any], segments: tuple[Any, ...] = (), namespace: str = "") -> Iterator[Endpoint]:
    for entry in patterns:
        here = (*segments, entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, here, inner or "")
        elif isinstance(entry, URLPattern):
            params = tuple(name for segment in here for name in segment.regex.groupindex)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Endpoint(
                route="".join(str(s) for s in here), name=name, segments=here, callback=entry.callback, params=params
            )


ENDPOINTS: list[Endpoint] = list(_walk(get_resolver().url_patterns))
SCHOOL_ENDPOINTS = [e for e in ENDPOINTS if e.school_scoped]
SCHOOL_API_ENDPOINTS = [e for e in SCHOOL_ENDPOINTS if e.is_api]
PK_ENDPOINTS = [e for e in ENDPOINTS if "pk" in e.params]
SCHOOL_PK_ENDPOINTS = [e for e in SCHOOL_ENDPOINTS if "pk" in e.params]
# URLs that name something of one school: every school-scoped URL, plus per-user URLs with an id
# (a token to revoke, a security key to remove) that would name another person's record.
RECORD_ENDPOINTS = SCHOOL_ENDPOINTS + [e for e in PK_ENDPOINTS if not e.school_scoped]


def _ids(endpoint: Endpoint) -> str:
    return endpoint.label


def _published(endpoint: Endpoint) -> bool:
    """A /s/<slug>/ page in PUBLIC: the school publishes it to everyone, so it names the school by design
    (and may answer 405 to a POST, which reveals nothing)."""
    return endpoint.school_scoped and endpoint.name in PUBLIC


def _unpublished(endpoint: Endpoint, texts: list[str], school_name: str) -> list[str]:
    return [t for t in texts if t != school_name] if _published(endpoint) else texts


# --------------------------------------------------------------------------- the records


@dataclass
class Records:
    """One record of each kind a URL can name, in each school, and who may see which."""

    alpha: dict[str, models.Model]
    beta: dict[str, models.Model]

    def pk_for(self, endpoint: Endpoint, school: str) -> str:
        kind = endpoint.pk_kind
        if kind == "unknown":
            pytest.fail(
                f"{endpoint.route} ({endpoint.name or 'unnamed'}) takes a pk, but the URL walk cannot tell what it "
                "names: add a word of its URL name to PK_KIND_BY_NAME_WORD and a record to the `records` fixture."
            )
        records = self.alpha if school == "alpha" else self.beta
        return str(records[kind].pk)


def _import_batch(school: Any, user: Any) -> ImportBatch:
    return ImportBatch.objects.create(school=school, kind="learners", uploaded_by=user, original_filename="walk.csv")


def _invitation(school: Any, inviter: Any, email: str) -> Invitation:
    _, token_hash = Invitation.new_token()
    return Invitation.objects.create(
        school=school,
        email=email,
        role="teacher",
        token_hash=token_hash,
        invited_by=inviter,
        expires_at=timezone.now() + timedelta(days=7),
    )


def _api_token(membership: Membership) -> ApiToken:
    _, prefix, key_hash = ApiToken.new_key()
    return ApiToken.objects.create(
        user=membership.user, school=membership.school, name="walk", key_prefix=prefix, key_hash=key_hash
    )


def _concern(reporter: Membership, learner: Any) -> Concern:
    return concern_services.concern_report(
        actor=reporter,
        category="cyberbullying",
        occurred_at=timezone.now() - timedelta(hours=2),
        summary="Walk concern",
        description="Messages in a group chat.",
        involvements=[concern_services.Involvement(learner.pk, "affected")],
    )


def _attachment(concern: Concern, user: Any) -> Attachment:
    from django.core.files.base import ContentFile

    attachment = Attachment(
        concern=concern, original_name="walk.txt", content_type="text/plain", size=4, sha256="0" * 64, uploaded_by=user
    )
    attachment.file.save("walk.txt", ContentFile(b"walk"), save=True)
    return attachment


def _agency(school: Any) -> Agency:
    return Agency.objects.create(school=school, kind=Agency.Kind.POLICE, name="Walk Constabulary", phone="101")


@pytest.fixture
def records(world, secrets_of, settings, tmp_path) -> Records:
    """Built after ``secrets_of`` renamed alpha's people, so the audit event below carries the new name."""
    settings.MEDIA_ROOT = tmp_path
    alpha_concern = _concern(world.teacher, world.learner)
    beta_concern = _concern(world.outsider, world.other_learner)
    other_staff = f.StaffMemberFactory(school=world.other_school, user=world.outsider.user, first_name="Bea")
    alpha = {
        "learner": world.learner,
        "school_class": world.class_a,
        "staff": people.staff_record_of(actor=world.teacher),
        "membership": world.teacher,
        "invitation": _invitation(world.school, world.head.user, "newcomer@alpha.test"),
        "api_token": _api_token(world.teacher),
        "import_batch": _import_batch(world.school, world.office.user),
        "audit_event": audit.record(action="walk.alpha", actor=world.dsl, obj=world.learner),
        "authenticator": Authenticator.objects.filter(user=world.dsl.user).first(),
        "concern": alpha_concern,
        "receipt": alpha_concern,
        "entry": alpha_concern.entries.first(),
        "step": alpha_concern.steps.first(),
        "attachment": _attachment(alpha_concern, world.dsl.user),
        "agency": _agency(world.school),
        "policy_version": PolicyVersion.objects.create(school=world.school, number=1, config={}),
        **monitoring_walk.walk_records(world.dsl, world.learner),
        **filtering_walk.walk_records(world.dsl),
    }
    beta = {
        "learner": world.other_learner,
        "school_class": world.other_learner.school_class,
        "staff": other_staff,
        "membership": world.outsider,
        "invitation": _invitation(world.other_school, world.outsider.user, "newcomer@beta.test"),
        "api_token": _api_token(world.outsider),
        "import_batch": _import_batch(world.other_school, world.outsider.user),
        "audit_event": audit.record(action="walk.beta", actor=world.outsider, obj=world.other_learner),
        "authenticator": Authenticator.objects.filter(user=world.outsider.user).first(),
        "concern": beta_concern,
        "receipt": beta_concern,
        "entry": beta_concern.entries.first(),
        "step": beta_concern.steps.first(),
        "attachment": _attachment(beta_concern, world.outsider.user),
        "agency": _agency(world.other_school),
        "policy_version": PolicyVersion.objects.create(school=world.other_school, number=1, config={}),
        **monitoring_walk.walk_records(world.outsider, world.other_learner),
        **filtering_walk.walk_records(world.outsider),
    }
    return Records(alpha=alpha, beta=beta)


@dataclass
class Secrets:
    """Surnames found nowhere else in the test data, so a leak shows whatever the page's name format."""

    alpha: list[str]  # everything only alpha's members may see, with the school's name
    learner_and_family: list[str]  # world.learner and their parent: teacher2 has no need to know them


@pytest.fixture
def secrets_of(world) -> Secrets:
    parent = world.learner.parent_links.select_related("parent").first().parent
    for record, surname in ((world.learner, "Quillfeather"), (world.learner2, "Marchbank"), (parent, "Oakhollow")):
        record.last_name = surname
        record.save(update_fields=["last_name"])
    family = ["Quillfeather", "Oakhollow"]
    return Secrets(alpha=[world.school.name, "Marchbank", "@alpha.test", *family], learner_and_family=family)


def _may_see(actor: Membership, kind: str, record: models.Model) -> bool:
    """Whether ``actor`` has a need to know ``record``, asked of the same selectors the views use."""
    checks: dict[str, Callable[[], bool]] = {
        "learner": lambda: people.learner_list(actor=actor, include_leavers=True).filter(pk=record.pk).exists(),
        "school_class": lambda: people.class_list(actor=actor).filter(pk=record.pk).exists(),
        "staff": lambda: people.staff_list(actor=actor, include_leavers=True).filter(pk=record.pk).exists(),
        "membership": lambda: membership_list(actor=actor).filter(pk=record.pk).exists(),
        "invitation": lambda: invitation_list(actor=actor).filter(pk=record.pk).exists(),
        "api_token": lambda: record.user_id == actor.user_id,
        "import_batch": lambda: import_batch_list(actor=actor).filter(pk=record.pk).exists(),
        "audit_event": lambda: audit_event_list(actor=actor).filter(pk=record.pk).exists(),
        "authenticator": lambda: record.user_id == actor.user_id,
        "concern": lambda: concern_list(actor=actor).filter(pk=record.pk).exists(),
        "receipt": lambda: receipt_list(actor=actor).filter(pk=record.pk).exists(),
        "attachment": lambda: concern_list(actor=actor).filter(pk=record.concern_id).exists(),
        "agency": lambda: agency_list(actor=actor).filter(pk=record.pk).exists(),
        "policy_version": lambda: policy_permissions.can_view_records(actor) and record.school_id == actor.school_id,
        **{kind: (lambda k=kind: monitoring_walk.may_see(actor, k, record)) for _, kind in monitoring_walk.PK_KINDS},
        **{kind: (lambda k=kind: filtering_walk.may_see(actor, k, record)) for _, kind in filtering_walk.PK_KINDS},
    }
    return checks[kind]()


def _values(endpoint: Endpoint, *, slug: str, records: Records, pk_school: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for param in endpoint.params:
        if param == "school_slug":
            values[param] = slug
        elif param == "pk":
            values[param] = records.pk_for(endpoint, pk_school)
        elif param == "key" and "procedure" in endpoint.name:
            values[param] = "record_people"  # a step of the cyberbullying procedure
        elif param in {"token", "key"}:
            values[param] = secrets.token_urlsafe(16)
        elif param == "uidb36":
            values[param] = "zz" + secrets.token_hex(3)
        elif param in CONCERN_PART_PARAMS:
            school_records = records.alpha if pk_school == "alpha" else records.beta
            values[param] = str(school_records[CONCERN_PART_PARAMS[param]].pk)
        elif param == "category":
            values[param] = "cyberbullying"
        elif param == "section" and endpoint.name == "policy:config_edit_section":
            values[param] = "devices"  # a section of the policy settings schema
        elif param == "slug":
            # The public report form (/report/<slug>/) names its school to anyone, by design; walked
            # on beta so that alpha's name, one of the secrets above, is not a false alarm.
            values[param] = "beta"
        else:
            pytest.fail(f"{endpoint.route}: the URL walk does not know how to fill <{param}>; add it to _values()")
    return values


# --------------------------------------------------------------------------- helpers


def _client(membership: Membership | None = None) -> Client:
    client = Client()
    if membership is not None:
        client.force_login(membership.user)
    return client


def _assert_never_shows(response, texts: list[str], who: str) -> None:
    # Exports stream; reading them here also checks every row of a CSV download.
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    for text in texts:
        assert text not in body, f"{who} was shown {text!r} by {response.request['PATH_INFO']}"
        assert escape(text) not in body, f"{who} was shown {text!r} by {response.request['PATH_INFO']}"


def _assert_not_server_error(response, what: str) -> None:
    if resolve(response.request["PATH_INFO"]).view_name in MAY_ANSWER_5XX:
        return
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def _assert_refused(response, endpoint: Endpoint, what: str) -> None:
    """School pages refuse with 404 (405 for a method the view never takes, which reveals nothing);
    per-user pages may instead send the caller to prove who they are again."""
    if response.status_code in (404, 405):
        return
    sent_to_sign_in = response.status_code == 302 and response["Location"].startswith((LOGIN_PATH, REAUTHENTICATE_PATH))
    assert not endpoint.school_scoped, f"{what} answered {response.status_code}, not 404"
    assert sent_to_sign_in, f"{what} answered {response.status_code}, not 404"


def _assert_problem_404(response, what: str, *, method_may_be_wrong: bool = False) -> None:
    """404 as problem JSON. A member of the right school may instead meet 405 on a POST-only API view:
    DRF checks the method only after the school door let them in, so it reveals nothing of the record."""
    if method_may_be_wrong and response.status_code == 405:
        assert response["Content-Type"].startswith(PROBLEM_JSON), f"{what} answered {response['Content-Type']}"
        return
    assert response.status_code == 404, f"{what} answered {response.status_code}, not 404"
    assert response["Content-Type"].startswith(PROBLEM_JSON), f"{what} answered {response['Content-Type']}"


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Harbour table (and the MFA authenticators), minus fields that tick by design."""
    tracked = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("harbour.") and model._meta.label not in NOT_SNAPSHOTTED
    ]
    tracked.append(Authenticator)
    return {
        model._meta.label: [
            {k: v for k, v in row.items() if k not in VOLATILE_FIELDS}
            for row in model._default_manager.order_by("pk").values()
        ]
        for model in tracked
    }


def _assert_unchanged(before: dict[str, list[dict[str, Any]]], what: str) -> None:
    after = _snapshot()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"{what} changed {', '.join(changed)}"


# --------------------------------------------------------------------------- sanity of the walk


def test_walk_finds_school_pages_and_api():
    """The walk is not vacuous: it sees the dashboard, the school API and allauth."""
    names = {e.name for e in ENDPOINTS}
    assert {"core:dashboard", "account_login", "api-school-list"} <= names
    assert SCHOOL_API_ENDPOINTS, "no /api/v1/schools/<slug>/ URL was found"
    assert SCHOOL_PK_ENDPOINTS, "no school-scoped URL with a record id was found"


def test_public_allow_list_names_real_urls():
    """A stale entry in PUBLIC would hide a renamed URL from the anonymous check."""
    names = {e.name for e in ENDPOINTS}
    assert set(PUBLIC) <= names, set(PUBLIC) - names


def test_every_school_url_takes_the_school_slug():
    """The walk recognises school pages by <school_slug>; a school page with another name for it would
    escape both the walk and SchoolMiddleware."""
    stray = [e.route for e in ENDPOINTS if e.route.startswith(("s/", "api/v1/schools/<")) and not e.school_scoped]
    assert not stray, f"name the school argument <slug:school_slug> in: {stray}"


def test_every_pk_url_names_a_known_kind_of_record():
    unknown = [e.route for e in PK_ENDPOINTS if e.pk_kind == "unknown"]
    assert not unknown, f"add these to PK_KIND_BY_NAME_WORD: {unknown}"


# --------------------------------------------------------------------------- the outsider


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
def test_outsider_never_sees_alpha(world, records, secrets_of, endpoint):
    """The DSL of another school gets 404 on every alpha URL, and no page shows them alpha's people."""
    url = endpoint.build(_values(endpoint, slug="alpha", records=records, pk_school="alpha"))
    response = _client(world.outsider).get(url)
    _assert_not_server_error(response, f"GET {url} as the outsider")
    _assert_never_shows(response, _unpublished(endpoint, secrets_of.alpha, world.school.name), "the outsider")
    if endpoint.school_scoped and not _published(endpoint):
        if endpoint.is_api:
            _assert_problem_404(response, f"GET {url} as the outsider")
        else:
            assert response.status_code == 404, f"GET {url} as the outsider answered {response.status_code}"


@pytest.mark.parametrize("endpoint", SCHOOL_ENDPOINTS, ids=_ids)
def test_outsiders_own_school_pages_show_nothing_of_alpha(world, records, secrets_of, endpoint):
    """Every page of beta, opened by beta's DSL (who sees all of beta), lists beta's records only: a
    list that forgot to filter by school would show alpha's pupils here."""
    url = endpoint.build(_values(endpoint, slug="beta", records=records, pk_school="beta"))
    response = _client(world.outsider).get(url)
    _assert_not_server_error(response, f"GET {url} as beta's DSL")
    _assert_never_shows(response, secrets_of.alpha, "beta's DSL")


@pytest.mark.parametrize("endpoint", SCHOOL_API_ENDPOINTS, ids=_ids)
def test_outsider_token_gets_404_problem_on_alpha_api(world, records, secrets_of, endpoint):
    """A token issued for beta opens nothing of alpha, even where its user has a role (it has not here)."""
    url = endpoint.build(_values(endpoint, slug="alpha", records=records, pk_school="alpha"))
    raw, prefix, key_hash = ApiToken.new_key()
    ApiToken.objects.create(
        user=world.outsider.user, school=world.other_school, name="walk", key_prefix=prefix, key_hash=key_hash
    )
    response = Client().get(url, headers={"Authorization": f"Token {raw}"})
    _assert_problem_404(response, f"GET {url} with the outsider's token")
    _assert_never_shows(response, secrets_of.alpha, "the outsider's token")


@pytest.mark.parametrize("endpoint", RECORD_ENDPOINTS, ids=_ids)
def test_outsider_post_to_alpha_changes_nothing(world, records, secrets_of, endpoint):
    """Bad input from an intruder: refused, and nothing changes (no row created, edited or removed)."""
    url = endpoint.build(_values(endpoint, slug="alpha", records=records, pk_school="alpha"))
    before = _snapshot()
    response = _client(world.outsider).post(url, POST_PAYLOAD)
    what = f"POST {url} as the outsider"
    _assert_not_server_error(response, what)
    if endpoint.school_scoped:
        allowed = (404, 405) if _published(endpoint) else (404,)
        assert response.status_code in allowed, f"{what} answered {response.status_code}"
    else:
        _assert_refused(response, endpoint, what)
    _assert_unchanged(before, what)
    _assert_never_shows(response, _unpublished(endpoint, secrets_of.alpha, world.school.name), "the outsider")


# --------------------------------------------------------------------------- the other school's ids


@pytest.mark.parametrize("persona", ["head", "admin", "outsider"])
@pytest.mark.parametrize("endpoint", SCHOOL_PK_ENDPOINTS, ids=_ids)
def test_own_school_url_with_other_schools_id_is_404(world, records, endpoint, persona):
    """Changing the number in the address bar never opens, or changes, the other school's record."""
    actor = world.persona(persona)
    own, other = ("beta", "alpha") if persona == "outsider" else ("alpha", "beta")
    url = endpoint.build(_values(endpoint, slug=own, records=records, pk_school=other))
    client = _client(actor)
    response = client.get(url)
    _assert_refused(response, endpoint, f"GET {url} as {persona}")
    if endpoint.is_api:
        _assert_problem_404(response, f"GET {url} as {persona}", method_may_be_wrong=True)
    before = _snapshot()
    response = client.post(url, POST_PAYLOAD)
    _assert_refused(response, endpoint, f"POST {url} as {persona}")
    _assert_unchanged(before, f"POST {url} as {persona}")


@pytest.mark.parametrize("endpoint", SCHOOL_ENDPOINTS, ids=_ids)
def test_some_member_gets_past_the_door(world, records, endpoint):
    """The 404s above mean something only if the URL opens for the right member of its own school."""
    url = endpoint.build(_values(endpoint, slug="alpha", records=records, pk_school="alpha"))
    answers = {}
    for persona in ("head", "admin", "dsl", "office", "teacher"):
        answers[persona] = _client(world.persona(persona)).get(url).status_code
        if answers[persona] != 404:
            return
    pytest.fail(f"GET {url} answered 404 to every member tried: {answers} (a placeholder view, or a broken door)")


# --------------------------------------------------------------------------- need to know


@pytest.mark.parametrize("endpoint", RECORD_ENDPOINTS, ids=_ids)
def test_teacher2_sees_nothing_of_a_learner_they_do_not_teach(world, records, secrets_of, endpoint):
    """REP-07: teacher2 does not teach world.learner, so no page names that learner or their family
    to teacher2, and a record teacher2 has no need to know answers 404."""
    assert not people.learner_list(actor=world.teacher2).filter(pk=world.learner.pk).exists()
    url = endpoint.build(_values(endpoint, slug="alpha", records=records, pk_school="alpha"))
    client = _client(world.teacher2)
    response = client.get(url)
    what = f"GET {url} as teacher2"
    _assert_not_server_error(response, what)
    _assert_never_shows(response, secrets_of.learner_and_family, "teacher2")
    kind = endpoint.pk_kind
    if kind is None or _may_see(world.teacher2, kind, records.alpha[kind]):
        return
    _assert_refused(response, endpoint, what)
    if endpoint.is_api:
        _assert_problem_404(response, what, method_may_be_wrong=True)
    before = _snapshot()
    response = client.post(url, POST_PAYLOAD)
    _assert_refused(response, endpoint, f"POST {url} as teacher2")
    _assert_unchanged(before, f"POST {url} as teacher2")


def test_teacher2_gets_404_on_learner_they_do_not_teach(world, client_for):
    """REP-07, spelled out: the learner page of another teacher's pupil is 404, the teacher's own is not."""
    url = reverse("people:learner_detail", args=["alpha", world.learner.pk])
    assert client_for("teacher2").get(url).status_code == 404
    assert client_for("teacher").get(url).status_code == 200


# --------------------------------------------------------------------------- anonymous


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
def test_anonymous_is_sent_to_sign_in_except_on_public_pages(world, records, secrets_of, endpoint):
    """Without signing in, only the pages in PUBLIC answer; school pages send you to sign in and
    the API refuses with problem JSON."""
    url = endpoint.build(_values(endpoint, slug="alpha", records=records, pk_school="alpha"))
    response = Client().get(url)
    what = f"GET {url} anonymously"
    _assert_not_server_error(response, what)
    _assert_never_shows(response, _unpublished(endpoint, secrets_of.alpha, world.school.name), "an anonymous visitor")
    if endpoint.name in PUBLIC:
        return
    if endpoint.is_api:
        assert response.status_code in (401, 403), f"{what} answered {response.status_code}"
        assert response["Content-Type"].startswith(PROBLEM_JSON), f"{what} answered {response['Content-Type']}"
    elif endpoint.school_scoped:
        assert response.status_code == 302, f"{what} answered {response.status_code}"
        assert response["Location"].startswith(LOGIN_PATH), f"{what} sent to {response['Location']}"
    else:
        assert not 200 <= response.status_code < 300, (
            f"{what} answered {response.status_code}; add it to PUBLIC (with the reason) if it is meant to be public"
        )
