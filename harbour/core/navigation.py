"""The role-aware navigation: each item shows only to roles holding its capability.

Items that belong together sit in a group shown as a drop-down, so the bar stays on one line at
1280 px however many areas a role can reach; a group with one visible item is shown as that item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from harbour.accounts.roles import Capability, has_capability

C = Capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capabilities: tuple[Capability, ...] = ()  # any one of them is enough; empty = everyone
    group: str = ""


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "core:dashboard"),
    NavItem("Report a concern", "concerns:report", (C.REPORT_CONCERN,)),
    NavItem("Concerns", "concerns:list", (C.READ_CONCERNS,), group="Concerns"),
    NavItem("Queue", "concerns:queue", (C.HANDLE_CONCERNS,), group="Concerns"),
    NavItem("What to do", "concerns:routes", (C.REPORT_CONCERN, C.READ_CONCERNS), group="Concerns"),
    NavItem("Learners", "people:learner_list", (C.VIEW_ALL_LEARNERS, C.VIEW_CLASS_LEARNERS), group="People"),
    NavItem("Classes", "people:class_list", (C.VIEW_CLASSES,), group="People"),
    NavItem("Staff", "people:staff_list", (C.VIEW_STAFF,), group="People"),
    NavItem("Import", "people:import_upload", (C.IMPORT_PEOPLE,), group="People"),
    NavItem("People with logins", "members:member_list", (C.VIEW_MEMBERSHIPS,), group="People"),
    NavItem("Policy home", "policy:home", (C.VIEW_POLICY_RECORDS,), group="Policy"),
    NavItem("Can I…?", "policy:guide_staff", (C.VIEW_POLICY_RECORDS,), group="Policy"),
    NavItem("Published policy", "policy:document_list", (C.VIEW_POLICY_RECORDS,), group="Policy"),
    NavItem("Monitoring alerts", "monitoring:alert_list", (C.HANDLE_FILTER_ALERTS,), group="Filtering"),
    NavItem("Filter logs", "monitoring:upload_list", (C.UPLOAD_FILTER_LOGS,), group="Filtering"),
    NavItem("Filtering breaches", "filtering:breach_list", (C.HANDLE_FILTERING_BREACHES,), group="Filtering"),
    NavItem("Report a filtering breach", "filtering:breach_report", (C.REPORT_CONCERN,), group="Filtering"),
    NavItem("Standards register", "filtering:register", (C.VIEW_FILTERING_STANDARDS,), group="Filtering"),
    NavItem("Audit trail", "audit:event_list", (C.VIEW_AUDIT,)),
    NavItem("Who can do what", "core:roles"),
)


def _visible(role: str, item: NavItem) -> bool:
    return not item.capabilities or any(has_capability(role, cap) for cap in item.capabilities)


def _mark_current(request: HttpRequest, items: list[dict[str, object]]) -> None:
    # The deepest matching address wins, so /concerns/queue/ marks "Queue", not "Concerns" as well.
    dashboard = items[0]["url"]
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != dashboard and request.path.startswith(str(item["url"])))
    ]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["current"] = True


def navigation_for(request: HttpRequest, membership: object) -> list[dict[str, object]]:
    """Top-level entries: plain links ({label, url, current}) and groups ({label, children, current})."""
    role = getattr(membership, "role", "")
    slug = membership.school.slug  # type: ignore[attr-defined]
    visible = [item for item in NAV_ITEMS if _visible(role, item)]
    links = [
        {"label": item.label, "url": reverse(item.url_name, kwargs={"school_slug": slug}), "current": False}
        for item in visible
    ]
    _mark_current(request, links)
    entries: list[dict[str, object]] = []
    groups: dict[str, dict[str, object]] = {}
    for item, link in zip(visible, links, strict=True):
        if not item.group:
            entries.append(link)
            continue
        group = groups.get(item.group)
        if group is None:
            group = groups[item.group] = {"label": item.group, "children": [], "current": False}
            entries.append(group)
        group["children"].append(link)  # type: ignore[attr-defined]
        group["current"] = group["current"] or link["current"]
    # A group with a single item reads better as that item.
    return [e["children"][0] if "children" in e and len(e["children"]) == 1 else e for e in entries]  # type: ignore[index,arg-type]
