"""Severities and the defaults a school starts from (FLT-08: the school decides what matters).

A school changes any of these on its monitoring settings page; what it stores overrides the
defaults below category by category. A category that is in neither table is "none": counted in the
daily figures, never an alert.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models


class Severity(models.TextChoices):
    NONE = "none", "None (count only)"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


RANK: dict[str, int] = {value: rank for rank, value in enumerate(Severity.values)}

# Web categories (UT1 folder names) and our own "school_block" for the school's block list.
DEFAULT_CATEGORY_SEVERITY: dict[str, str] = {
    "adult": Severity.HIGH,
    "gambling": Severity.MEDIUM,
    "violence": Severity.MEDIUM,
    "drugs": Severity.MEDIUM,
    "weapons": Severity.HIGH,
    "self_harm": Severity.CRITICAL,
    "vpn": Severity.MEDIUM,
    "proxy": Severity.MEDIUM,
    "hacking": Severity.LOW,
    "dating": Severity.MEDIUM,
    "school_block": Severity.MEDIUM,
}

# Keyword categories of the default keyword file (keywords/default.tsv).
DEFAULT_KEYWORD_SEVERITY: dict[str, str] = {
    "self_harm": Severity.CRITICAL,
    "suicide": Severity.CRITICAL,
    # A child searching for help with abuse, or being exploited (INC-CSAE): told at once, not in the digest.
    "abuse": Severity.CRITICAL,
    "extremism": Severity.HIGH,
    "weapons": Severity.HIGH,
    "drugs": Severity.MEDIUM,
    "sexual": Severity.MEDIUM,
}


def severity_for(category: str, chosen: Mapping[str, str], defaults: Mapping[str, str]) -> str:
    """The school's choice for ``category``, else the default, else none."""
    value = chosen.get(category) or defaults.get(category) or Severity.NONE
    return value if value in RANK else Severity.NONE


def at_least(severity: str, threshold: str) -> bool:
    """True when ``severity`` reaches ``threshold``; "none" never does."""
    return severity != Severity.NONE and RANK.get(severity, 0) >= RANK.get(threshold, 0)
