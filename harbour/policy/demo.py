"""Demo policy history for a demo school: what a DSL would see a term into using Harbour.

Version 1 is the school's real policy (from its seed configuration), adopted as approved on the
date it was agreed. Version 2 is a draft in consultation with two realistic changes (the current
KCSIE edition and a second deputy DSL). The guidance register holds the editions version 1 cites
plus the newer KCSIE, so version 1 is flagged as due for review (GOV-07). Linked policies come
from the configuration; one review trigger, two exceptions, a risk review and a governors' report
are recorded; about half the staff have acknowledged version 1.

Everything is written through the real services, so the demo carries the same transitions and
audit events as work done by hand. Call it after the school's logins exist.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.people.models import Learner
from harbour.policy import acknowledgements, config_support, services, services_registers
from harbour.policy.models import PeriodicReview, PolicyException, PolicyVersion, ReviewTrigger
from harbour.schools.models import School

NEWER_KCSIE = 2025
GUIDANCE_TITLES = {
    "kcsie": "Keeping children safe in education",
    "eyfs": "Statutory framework for the early years foundation stage",
    "working_together": "Working together to safeguard children",
}


def _member(school: School, role: str) -> Membership | None:
    return Membership.objects.select_related("user", "school").filter(school=school, role=role).order_by("pk").first()


def _draft_changes(config: dict[str, Any], school: School) -> dict[str, Any]:
    draft = copy.deepcopy(config)
    draft["kcsie_edition"] = NEWER_KCSIE
    deputy = _member(school, Role.SLT)
    name = deputy.user.display_name if deputy is not None else "A second deputy"
    deputies = list(draft.get("deputy_dsl_names") or [])
    if name not in deputies:
        deputies.append(name)
    draft["deputy_dsl_names"] = deputies
    draft["date_written"] = timezone.localdate().strftime("%Y-%m")
    return draft


def load_demo(school: School, config: dict[str, Any]) -> PolicyVersion:
    """Write the demo policy history for ``school``; returns the version in force (version 1)."""
    approved_on = config_support.parse_month_or_date(config.get("date_agreed"))
    v1 = services.policy_version_adopt(
        school=school,
        config=config,
        note=(
            "Agreed before it was entered in Harbour; the governors' ratification is still pending."
            if config.get("ratification_status") == "agreed_pending_ratification"
            else "The school's policy as approved before it was entered in Harbour."
        ),
        approved_on=approved_on,
    )
    dsl, head = _member(school, Role.DSL), _member(school, Role.HEADTEACHER)
    if dsl is None or head is None:
        return v1
    today = timezone.localdate()

    # GOV-06: the editions version 1 relies on, then the newer KCSIE that flags it (GOV-07).
    for key, title in GUIDANCE_TITLES.items():
        year = config.get(f"{key}_edition")
        if isinstance(year, int):
            services_registers.guidance_edition_add(
                actor=dsl, key=key, title=title, edition_year=year, entered_on=approved_on or today
            )
    if not isinstance(config.get("kcsie_edition"), int) or config["kcsie_edition"] < NEWER_KCSIE:
        services_registers.guidance_edition_add(
            actor=dsl,
            key="kcsie",
            title=GUIDANCE_TITLES["kcsie"],
            edition_year=NEWER_KCSIE,
            notes="Came into force on 1 September 2025.",
        )

    # GOV-08: linked policies named in the configuration.
    owner = config.get("head_role_title") or "Headteacher"
    for index, name in enumerate(config.get("linked_policies") or []):
        services_registers.linked_policy_save(
            actor=dsl,
            values={
                "name": str(name)[:1].upper() + str(name)[1:],
                "owner": owner if index % 2 else "Designated safeguarding lead",
                "version": str(today.year - 1),
                "review_date": date(today.year + 1, 9 if index % 2 else 7, 1),
            },
        )

    # GOV-04: a trigger and its out-of-cycle task.
    services_registers.review_trigger_record(
        actor=dsl,
        kind=ReviewTrigger.Kind.INFRASTRUCTURE,
        description="New wireless network and a different filtering service installed over the summer holiday.",
    )

    # GOV-14, GOV-21: a risk review and a report to governors earlier this year.
    services_registers.periodic_review_record(
        actor=dsl,
        kind=PeriodicReview.Kind.RISK,
        held_on=today - timedelta(days=150),
        summary="Apps and games learners mention in class, smart watches, AI chat tools on home devices.",
        findings="Several Year 5 and 6 learners use an AI chat app with no age check.",
        actions="Add AI tools to the Year 5/6 online safety lessons; send a parent guide.",
    )
    services_registers.periodic_review_record(
        actor=dsl,
        kind=PeriodicReview.Kind.GOVERNORS_REPORT,
        held_on=today - timedelta(days=100),
        summary="Termly online safety report: incidents by type, filtering checks, training completed.",
    )

    # GOV-22: two exceptions, one ending soon.
    learner = Learner.objects.filter(school=school).order_by("last_name", "pk").first()
    teacher = _member(school, Role.TEACHER)
    if learner is not None:
        services_registers.policy_exception_record(
            actor=head,
            kind=PolicyException.Kind.LEARNER_DEVICE,
            person=f"{learner.first_name} {learner.last_name}",
            granted_by=f"{head.user.display_name}, {owner}",
            conditions="Phone kept in the office; used only for the medical monitoring app. Written agreement signed.",
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=20),
        )
    if teacher is not None:
        services_registers.policy_exception_record(
            actor=head,
            kind=PolicyException.Kind.STAFF_DEVICE_IN_LESSONS,
            person=teacher.user.display_name,
            granted_by=f"{head.user.display_name}, {owner}",
            conditions="Own phone used as a visualiser in maths lessons; no photos of learners.",
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=120),
        )

    # ROL-09: version 1 sent to staff; about half have confirmed.
    v1.acknowledgement_roles = acknowledgements.roles_for_groups(["staff"])
    v1.save(update_fields=["acknowledgement_roles", "updated_at"])
    # In-app only: a demo load should not print twenty emails to the console.
    requests = acknowledgements.acknowledgement_request_all(actor=None, version=v1, email=False)
    for ack in requests[: len(requests) // 2 + 1]:
        if ack.membership is not None:
            acknowledgements.acknowledgement_record(actor=ack.membership, acknowledgement=ack)

    # GOV-05: version 2, a draft now in consultation.
    v2 = services.policy_version_save_draft(
        actor=dsl,
        school=school,
        config=_draft_changes(config, school),
        note=f"Update to KCSIE {NEWER_KCSIE}; a second deputy DSL.",
    )
    consultees = ", ".join(str(c) for c in (config.get("policy_consultees") or [])) or "staff"
    services.policy_version_start_consultation(actor=dsl, version=v2, note=f"Consulting: {consultees}.")
    v1.refresh_from_db()
    return v1
