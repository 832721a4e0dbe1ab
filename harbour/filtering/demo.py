"""Demo data for the filtering register and breaches, written through the real services.

Joy Lane's policy names its broadband (KPSN) and filter (LightSpeed), so its register is filled in
from the configuration; St James names no provider, so its register shows "not recorded yet"
prompts instead. Each school gets a few checks, and Joy Lane's last check is older than its check
interval, so the overdue reminder goes out; one breach is reported at each school.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.filtering import breaches, config, services, services_checks, tasks
from harbour.filtering.models import Breach, Check, UserGroup
from harbour.schools.models import School


def _member(school: School, role: str) -> Membership | None:
    return Membership.objects.select_related("user", "school").filter(school=school, role=role).order_by("pk").first()


def load_demo(school: School, cfg_data: dict[str, Any]) -> dict[str, int]:
    """Fill the register of one demo school from its policy configuration. Returns what was made."""
    technician, dsl, teacher = (_member(school, r) for r in (Role.TECHNICIAN, Role.DSL, Role.TEACHER))
    keeper = technician or dsl
    if keeper is None:
        return {}
    cfg = config.from_dict(cfg_data)
    now = timezone.now()
    made = {"groups": 0, "checks": 0, "breaches": 0}
    if cfg.filtering_provider or cfg.broadband_provider:
        services.arrangement_record(
            actor=keeper,
            broadband_provider=cfg.broadband_provider,
            filtering_provider=cfg.filtering_provider,
            monitoring_system=cfg.monitoring_system,
            contacts=[
                {k: c.get(k) or "" for k in ("name", "role", "email", "phone", "url")} for c in cfg.technical_contacts
            ],
            dsl=dsl,
            it_lead=technician,
            governor_lead_name=cfg.governor_names[0] if cfg.governor_names else "",
            check_frequency_days=cfg.check_frequency_days,
        )
        for name, audience, profile, social in (
            (
                "Key stage 1 learners",
                "learners",
                "Strictest profile: approved sites and child-safe search only.",
                "blocked",
            ),
            ("Key stage 2 learners", "learners", "Education profile with safe search enforced.", "blocked"),
            ("Staff", "staff", "Staff profile: wider access, video sites allowed.", "limited"),
        ):
            _group(keeper, name, audience, profile, social)
            made["groups"] += 1
    services.notice_publish(actor=keeper)
    # Joy Lane's last check is older than its interval, so a reminder is due; St James' is recent.
    last_gap = 40 if cfg.filtering_provider else 5
    for days_ago, method, detail, result, follow_up in (
        (last_gap + 60, Check.Method.TEST_SITE, "Filtering test site, all categories", Check.Result.PASS, ""),
        (
            last_gap + 30,
            Check.Method.CATEGORY_URL,
            "gambling test address in the blocked list",
            Check.Result.FAIL,
            "Provider asked to re-apply the gambling category to the KS2 profile.",
        ),
        (last_gap, Check.Method.KEYWORD, "search for a self-harm phrase on a learner login", Check.Result.PASS, ""),
    ):
        services_checks.check_record(
            actor=keeper,
            checked_at=now - timedelta(days=days_ago),
            system=Check.System.FILTERING,
            method=method,
            test_detail=detail,
            device="ICT suite PC 3",
            location="ICT suite",
            result=result,
            follow_up=follow_up,
        )
        made["checks"] += 1
    if teacher is not None:
        breaches.breach_report(
            actor=teacher,
            occurred_at=now - timedelta(days=2, hours=3),
            what_seen="A pop-up advert for an online casino appeared during a maths game.",
            address="http://casino-example.invalid/promo",
            device="Year 4 laptop 7",
            device_group=Breach.DeviceGroup.LAPTOP,
            location=Breach.Location.CLASSROOM,
            category=Breach.Category.GAMBLING,
            immediate_action="Closed the lid and told the class to carry on with the worksheet.",
        )
        made["breaches"] += 1
    tasks.reminders_send_due(school=school)
    return made


def _group(keeper: Membership, name: str, audience: str, profile: str, social: str) -> UserGroup:
    return services.user_group_record(
        actor=keeper, name=name, audience=audience, filtering_profile=profile, social_media=social
    )
