"""Shared test data for the policy versions tests."""

from __future__ import annotations

import copy
from typing import Any

from harbour.schools import policy_defaults


def base_config(**extra: Any) -> dict[str, Any]:
    """A real, publishable configuration (St James' seed: every GOV-19 key detail present)."""
    config = copy.deepcopy(policy_defaults.BY_SLUG["st-james"])
    config.update(
        {
            "school_name": "Alpha Primary School",
            "dsl_name": "Dee Lead",
            "named_governors": ["Gill Governor"],
            "date_agreed": "2025-09",
            "next_review_date": "2026-09",
            "review_interval_max": "P12M",
            "kcsie_edition": 2024,
        }
    )
    config.update(extra)
    return config
