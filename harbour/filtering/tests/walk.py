"""Records of the filtering app for the project's URL walk (harbour/core/tests/test_url_walk.py).

The walk needs one record of each kind a filtering URL's ``<pk>`` names, per school, and the
need-to-know question asked of the same selectors the views use.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.core.tests.crafted_files import clean_pdf
from harbour.filtering import breaches, selectors, selectors_breaches, services, services_checks

# URL-name words → kind of record, checked before the project's generic words ("receipt", "concern"…).
PK_KINDS: tuple[tuple[str, str], ...] = (
    ("filtering:breach_", "filtering_breach"),
    ("api-filtering-breach", "filtering_breach"),
    ("filtering:check_", "filtering_check"),
    ("api-filtering-check", "filtering_check"),
    ("filtering:group_", "filtering_group"),
    ("filtering:decision_", "filtering_decision"),
    ("filtering:usage_review_", "filtering_usage_review"),
    ("filtering:review_", "filtering_review"),
)
PUBLIC_PAGES: dict[str, str] = {
    "filtering:procedure": "INC-FILT-01: the breach-reporting procedure for learners and staff; names no one",
    "filtering:classroom_notice": "INC-FILT-02: the classroom notice to print; holds no record",
}
_PDF = clean_pdf()  # a complete PDF: the upload guard parses it (issue #13)


def walk_records(dsl: Membership) -> dict[str, models.Model]:
    """A breach the DSL reported, a check, a user group, a decision with its document and two reviews."""
    now = timezone.now()
    breach = breaches.breach_report(
        actor=dsl, occurred_at=now - timedelta(hours=1), what_seen="Walk breach", address="walk.example"
    )
    check = services_checks.check_record(
        actor=dsl,
        checked_at=now - timedelta(days=1),
        system="filtering",
        method="test_site",
        test_detail="walk test",
        device="Walk PC",
        result="pass",
    )
    group = services.user_group_record(
        actor=dsl, name="Walk group", audience="learners", filtering_profile="walk", social_media="blocked"
    )
    decision = services.decision_record(
        actor=dsl,
        decided_on=date.today(),
        decided_by="Walkers",
        summary="walk",
        age_and_ability="walk",
        risk_assessment_summary="walk",
        document_name="walk.pdf",
        document_data=_PDF,
    )
    review = services_checks.review_start(actor=dsl, trigger="annual")
    usage = services_checks.usage_review_record(
        actor=dsl, period_start=date.today() - timedelta(days=7), period_end=date.today(), scope="walk", findings="walk"
    )
    return {
        "filtering_breach": breach,
        "filtering_check": check,
        "filtering_group": group,
        "filtering_decision": decision,
        "filtering_review": review,
        "filtering_usage_review": usage,
    }


def may_see(actor: Membership, kind: str, record: models.Model) -> bool:
    if kind == "filtering_breach":
        handler = _exists(lambda: selectors_breaches.breach_list(actor=actor), record)
        return handler or selectors_breaches.receipt_rows(actor=actor).filter(pk=record.pk).exists()
    lists = {
        "filtering_check": selectors.check_list,
        "filtering_group": selectors.user_group_list,
        "filtering_decision": selectors.decision_list,
        "filtering_review": selectors.review_list,
        "filtering_usage_review": selectors.usage_review_list,
    }
    return _exists(lambda: lists[kind](actor=actor), record)


def _exists(queryset, record: models.Model) -> bool:
    try:
        return queryset().filter(pk=record.pk).exists()
    except Http404:
        return False
