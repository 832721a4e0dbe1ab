"""The breach summary for filtering reviews with the provider (INC-FILT-10): counts by category,
location and device group over a period, as a table, an SVG chart and a CSV file.

Only counts leave this module: no address, no name, no description, so the summary can be shared
with the provider as it is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.core import csv_export
from harbour.filtering import selectors_breaches
from harbour.filtering.models import Breach

DIMENSIONS: dict[str, tuple[str, type]] = {
    "category": ("Category", Breach.Category),
    "location": ("Location", Breach.Location),
    "device_group": ("Device group", Breach.DeviceGroup),
}


@dataclass(frozen=True)
class Summary:
    date_from: date
    date_to: date
    total: int
    rows: dict[str, list[tuple[str, int]]]  # dimension -> [(label, count)], largest first

    def title(self) -> str:
        return f"Filtering breaches {self.date_from:%d %b %Y} to {self.date_to:%d %b %Y}"


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=365), today


def breach_summary(*, actor: Membership, date_from: date | None = None, date_to: date | None = None) -> Summary:
    """Counts of the actor's school's breaches that happened in the period (handlers only, else 404)."""
    start, end = default_period()
    date_from, date_to = date_from or start, date_to or end
    qs = selectors_breaches.breach_search(actor=actor, date_from=date_from, date_to=date_to)
    rows: dict[str, list[tuple[str, int]]] = {}
    for field, (_title, choices) in DIMENSIONS.items():
        labels = dict(choices.choices)
        counted = qs.order_by().values(field).annotate(n=Count("id")).order_by("-n", field)
        rows[field] = [(labels.get(r[field], r[field]), r["n"]) for r in counted]
    return Summary(date_from=date_from, date_to=date_to, total=qs.count(), rows=rows)


def summary_csv(*, actor: Membership, summary: Summary) -> str:
    """One row per dimension and value; the export is audited."""
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(["period_from", "period_to", "dimension", "value", "breaches"])
    for field, (title, _choices) in DIMENSIONS.items():
        for label, count in summary.rows[field]:
            writer.writerow([summary.date_from.isoformat(), summary.date_to.isoformat(), title, label, count])
    audit.record(
        action="filtering.breach_summary_export",
        actor=actor,
        changes={"period": [None, f"{summary.date_from}..{summary.date_to}"], "total": [None, summary.total]},
    )
    return out.getvalue()


def summary_svg(summary: Summary, *, dimension: str = "category") -> str:
    """A horizontal bar chart of one dimension, as self-contained SVG text (no fonts or links fetched)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    title, _choices = DIMENSIONS[dimension]
    rows = summary.rows[dimension] or [("No breaches in this period", 0)]
    labels = [label for label, _ in rows][::-1]
    counts = [count for _, count in rows][::-1]
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: readable by screen readers and searchable
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(rows) + 1.2))
    try:
        ax.barh(labels, counts, color="#0b5c8a")
        ax.set_xlabel("Breaches")
        ax.set_title(f"{title}: {summary.title()}")
        ax.xaxis.get_major_locator().set_params(integer=True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    return buffer.getvalue()
