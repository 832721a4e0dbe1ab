"""The standards register as a PDF for governors (FLT-01..11), rendered with WeasyPrint.

Counts and dates only about breaches: never an address, a name or a description, so the file can
go in a governors' pack. Making it is audited as an export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.filtering import selectors, selectors_breaches, wording


@dataclass(frozen=True)
class RegisterPdf:
    content: bytes
    filename: str


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Self-contained document: no text in the register can make the renderer reach out anywhere.
    raise ValueError(f"Fetching {url!r} is not allowed while rendering the register")


def register_pdf_export(*, actor: Membership) -> RegisterPdf:
    from weasyprint import HTML  # loading pango takes a moment; most requests never need it

    status = selectors.register_viewed(actor=actor)
    school = actor.school
    since = timezone.now() - timedelta(days=365)
    context = {
        "school": school,
        "status": status,
        "groups": status.groups,
        "learners_social": status.social_media("learners"),
        "staff_social": status.social_media("staff"),
        "decision": selectors.decision_list(actor=actor).filter(superseded_at__isnull=True).first(),
        "privacy": selectors.privacy_list(actor=actor).filter(superseded_at__isnull=True).first(),
        "reviews": list(selectors.review_list(actor=actor)[:5]),
        "checks": list(selectors.check_list(actor=actor)[:20]),
        "breach_count": selectors_breaches.breach_count_since(school=school, since=since),
        "usage_reviews": list(selectors.usage_review_list(actor=actor)[:5]),
        "supervision": wording.SUPERVISION_STATEMENT,
        "generated_by": actor.user.display_name,
        "generated_at": timezone.localtime(),
    }
    html = render_to_string("filtering/register_pdf.html", context)
    content = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    audit.record(action="filtering.register_export", actor=actor, changes={"format": [None, "pdf"]})
    return RegisterPdf(
        content=content, filename=f"filtering-register-{school.slug}-{timezone.localdate():%Y-%m-%d}.pdf"
    )
