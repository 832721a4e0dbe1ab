"""The learner chronology as a PDF, for a case conference or a referral pack (issue 4 item 8).

The file carries the OFFICIAL-SENSITIVE marking on every page, who made it and when, and exactly
the events its maker may see. Making it is audited as an export (``learner.chronology_export``),
separately from viewing, because a copy is about to leave Harbour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.concerns import chronology
from harbour.concerns.chronology import ChronologyEvent
from harbour.people.models import Learner

MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class ChronologyPdf:
    content: bytes
    filename: str
    events: int


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The document is self-contained; refusing every fetch means no text in a record can make the
    # renderer reach out to a file or a web address.
    raise ValueError(f"Fetching {url!r} is not allowed while rendering a chronology")


def render_chronology_pdf(
    *,
    actor: Membership,
    learner: Learner,
    events: list[ChronologyEvent],
    filters_description: str = "",
) -> bytes:
    """Render already-selected events. Callers get them from ``chronology.chronology_for_export``."""
    from weasyprint import HTML  # imported here: loading pango takes a moment and most requests never need it

    html = render_to_string(
        "concerns/chronology_pdf.html",
        {
            "marking": MARKING,
            "school": actor.school,
            "learner": learner,
            "events": events,
            "concern_count": len({event.concern_id for event in events}),
            "generated_by": actor.user.display_name,
            "generated_role": actor.get_role_display(),
            "generated_at": timezone.localtime(),
            "filters_description": filters_description,
        },
    )
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def chronology_pdf_export(
    *,
    actor: Membership,
    learner: Learner,
    kinds: list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    pinned_only: bool = False,
    filters_description: str = "",
) -> ChronologyPdf:
    """Select (audited as an export) and render the learner's chronology."""
    events = chronology.chronology_for_export(
        actor=actor, learner=learner, kinds=kinds, date_from=date_from, date_to=date_to, pinned_only=pinned_only
    )
    content = render_chronology_pdf(
        actor=actor, learner=learner, events=events, filters_description=filters_description
    )
    # The file name carries no name of a child: downloads folders and mail attachments get seen.
    filename = f"chronology-learner-{learner.pk}-{timezone.localdate():%Y-%m-%d}.pdf"
    return ChronologyPdf(content=content, filename=filename, events=len(events))
