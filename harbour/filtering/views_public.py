"""Pages the school publishes to everyone: the breach-reporting procedure and the classroom notice.

INC-FILT-01 and INC-FILT-02. Generated in Harbour's own words from the school's published policy
settings; they name no person and hold no record, so they need no sign-in (they go on classroom
walls and in induction packs).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from harbour.core.middleware import public_school_page
from harbour.filtering import config, wording


@require_safe
@public_school_page
def procedure(request: HttpRequest, school_slug: str) -> HttpResponse:
    """INC-FILT-01: what learners and staff do when something gets through the filter."""
    school = request.school
    cfg = config.for_school(school)
    context = {
        "school": school,
        "steps": wording.breach_procedure(cfg),
        "no_guarantee": wording.NO_GUARANTEE,
        "is_member": request.membership is not None,
    }
    return render(request, "filtering/procedure.html", context)


@require_safe
@public_school_page
def classroom_notice(request: HttpRequest, school_slug: str) -> HttpResponse:
    """INC-FILT-02: a printable notice for classroom walls."""
    return render(
        request, "filtering/classroom_notice.html", {"school": request.school, "lines": wording.CLASSROOM_NOTICE_LINES}
    )
