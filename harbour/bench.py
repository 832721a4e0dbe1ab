"""`make bench`: performance figures for the foundation, printed, never asserted in unit tests.

Runs against a throw-away SQLite database (or DATABASE_URL when set), loads the demo trust, then
times the paths people wait on: the demo load, the DSL's learner list, a learner page, the API
list, and validating a large MIS export. Each figure is the median of several runs, with the
number of SQL queries, so a regression in either shows.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
os.environ.setdefault("HARBOUR_VAR_DIR", tempfile.mkdtemp(prefix="harbour-bench-"))
os.environ.setdefault("HARBOUR_TASKS", "immediate")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from harbour.accounts.models import Membership  # noqa: E402
from harbour.people import importing  # noqa: E402
from harbour.people.models import Learner  # noqa: E402
from harbour.schools import demo  # noqa: E402

RUNS = 7


def _measure(label: str, action: Callable[[], object], runs: int = RUNS) -> None:
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    median, worst = statistics.median(timings), max(timings)
    print(f"{label:<48} median {median:8.1f} ms   max {worst:8.1f} ms   {queries:4d} queries")


def _large_learner_csv(rows: int) -> str:
    lines = ["UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,Gender"]
    for n in range(rows):
        digits = f"{n:012d}"
        upn = demo.upn_check_letter(digits) + digits
        lines.append(f"{upn},Surname{n},Forename{n},04/05/2018,3,Year 3 Oak,F")
    return "\n".join(lines) + "\n"


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not demo.demo_present():
        demo.load_demo(password=demo.DEFAULT_PASSWORD)
    print(f"{'demo load (2 schools, ~400 learners)':<48} {(time.perf_counter() - started) * 1000:8.1f} ms")

    dsl = Membership.objects.select_related("user").get(user__email="dsl@st-james.example")
    client = Client()
    client.force_login(dsl.user)
    learner = Learner.objects.filter(school=dsl.school).first()
    assert learner is not None

    _measure("web: DSL dashboard", lambda: client.get("/s/st-james/"))
    _measure("web: learner list, page 1 of 204", lambda: client.get("/s/st-james/learners/"))
    _measure("web: learner list, search 'ja'", lambda: client.get("/s/st-james/learners/?q=ja"))
    _measure("web: learner page (audited read)", lambda: client.get(f"/s/st-james/learners/{learner.pk}/"))
    _measure("web: audit trail", lambda: client.get("/s/st-james/audit/"))
    _measure("api: learner list (50 per page)", lambda: client.get("/api/v1/schools/st-james/learners/"))

    text = _large_learner_csv(5000)
    refs = importing.References(class_names=frozenset({"year 3 oak"}))
    _measure(
        "import: validate 5,000 learner rows (no DB)",
        lambda: importing.parse(importing.Kind.LEARNERS, text, refs=refs),
        runs=3,
    )

    # Policy as code (issue #5): the rules engine warm, and the full policy PDF.
    from harbour.policy.documents import bench as policy_document_bench
    from harbour.policy.rules import bench as policy_rules_bench

    _measure("web: 'Can I…?' guide for staff", lambda: client.get("/s/st-james/policy/can-i/"))
    _measure(
        "api: policy ask (learner, phone in lesson)",
        lambda: client.get("/api/v1/schools/st-james/policy/ask?actor=learner&action=use_personal_phone_in_lesson"),
    )
    for line in policy_rules_bench.run():
        print(line)
    for line in policy_document_bench.run():
        print(line)


if __name__ == "__main__":
    main()
