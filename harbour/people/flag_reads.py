"""One audit event for every bulk read of vulnerability flags (issue #12 point 6).

Opening one learner is audited by ``selectors.learner_get``. A list that carries flags (the API
learner list for roles cleared to see them, the learner page with its flag column, a ``flag``
filter) is one read of many children's flags: it writes ONE event naming where it came from, the
filters used and how many learners matched, never one event per child and never the children.
"""

from __future__ import annotations

from collections.abc import Mapping

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.people import permissions

ACTION = "learner.flags.bulk_read"
# Query parameters worth recording; anything else (a typo, a tracking parameter) is left out.
_RECORDED_FILTERS = ("flag", "q", "search", "year_group", "school_class", "left", "ordering", "page", "page_size")


def record_bulk_flag_read(*, actor: Membership, source: str, filters: Mapping[str, object], count: int) -> None:
    """Write the single audit event for one list of learners that showed vulnerability flags."""
    if not permissions.sees_vulnerability(actor):
        return  # no flags were shown, so nothing to record
    named = {key: str(filters[key])[:100] for key in _RECORDED_FILTERS if filters.get(key) not in (None, "")}
    audit.record(
        action=ACTION,
        actor=actor,
        changes={"source": source, "filters": named, "count": count},
    )
