"""The role-aware navigation: each item shows only to roles holding its capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from harbour.accounts.roles import Capability, has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capabilities: tuple[Capability, ...] = ()  # any one of them is enough; empty = everyone


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Dashboard", "core:dashboard"),
    NavItem("Report a concern", "concerns:report", (Capability.REPORT_CONCERN,)),
    NavItem("Concerns", "concerns:list", (Capability.READ_CONCERNS,)),
    NavItem("Queue", "concerns:queue", (Capability.HANDLE_CONCERNS,)),
    NavItem("Learners", "people:learner_list", (Capability.VIEW_ALL_LEARNERS, Capability.VIEW_CLASS_LEARNERS)),
    NavItem("Classes", "people:class_list", (Capability.VIEW_CLASSES,)),
    NavItem("Staff", "people:staff_list", (Capability.VIEW_STAFF,)),
    NavItem("Import", "people:import_upload", (Capability.IMPORT_PEOPLE,)),
    NavItem("People with logins", "members:member_list", (Capability.VIEW_MEMBERSHIPS,)),
    NavItem("Audit trail", "audit:event_list", (Capability.VIEW_AUDIT,)),
    NavItem("What to do", "concerns:routes", (Capability.REPORT_CONCERN, Capability.READ_CONCERNS)),
    NavItem("Who can do what", "core:roles"),
)


def navigation_for(request: HttpRequest, membership: object) -> list[dict[str, object]]:
    role = getattr(membership, "role", "")
    slug = membership.school.slug  # type: ignore[attr-defined]
    items = [
        {"label": item.label, "url": reverse(item.url_name, kwargs={"school_slug": slug}), "current": False}
        for item in NAV_ITEMS
        if not item.capabilities or any(has_capability(role, cap) for cap in item.capabilities)
    ]
    # The deepest matching address wins, so /concerns/queue/ marks "Queue", not "Concerns" as well.
    dashboard = items[0]["url"]
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != dashboard and request.path.startswith(str(item["url"])))
    ]
    if matches:
        max(matches, key=lambda item: len(str(item["url"])))["current"] = True
    return items
