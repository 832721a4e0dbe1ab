"""Badges for alert severity and status, so every monitoring page colours them the same way."""

from django import template

register = template.Library()

_SEVERITY = {"critical": "danger", "high": "danger", "medium": "warn", "low": "info"}
_STATUS = {"open": "warn", "converted": "ok", "false_positive": "info", "dismissed": "info"}
_UPLOAD = {"done": "ok", "failed": "danger"}


@register.filter
def severity_badge(value: str) -> str:
    return _SEVERITY.get(value, "info")


@register.filter
def alert_status_badge(value: str) -> str:
    return _STATUS.get(value, "info")


@register.filter
def upload_badge(value: str) -> str:
    return _UPLOAD.get(value, "warn")
