"""Small builders shared by the filtering tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from harbour.filtering import breaches, services_checks
from harbour.filtering.models import Breach, Check

ADDRESS = "https://bad-example.test/page.html"


def report(actor: Any, **extra: Any) -> Breach:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(hours=1),
        "what_seen": f"An advert for a casino appeared; it said to visit {ADDRESS} for more.",
        "address": ADDRESS,
        "device": "Year 4 laptop 7",
        "device_group": Breach.DeviceGroup.LAPTOP,
        "location": Breach.Location.CLASSROOM,
        "category": Breach.Category.GAMBLING,
        "user_label": "pupil4.login",
    }
    values.update(extra)
    return breaches.breach_report(actor=actor, **values)


def check(actor: Any, *, days_ago: int = 1, result: str = Check.Result.PASS, **extra: Any) -> Check:
    values: dict[str, Any] = {
        "checked_at": timezone.now() - timedelta(days=days_ago),
        "system": Check.System.FILTERING,
        "method": Check.Method.TEST_SITE,
        "test_detail": "filtering test site",
        "device": "ICT PC 3",
        "result": result,
        "follow_up": "Ticket raised" if result == Check.Result.FAIL else "",
    }
    values.update(extra)
    return services_checks.check_record(actor=actor, **values)
