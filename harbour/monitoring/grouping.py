"""Turning the engine's flags into alerts the DSL can work, without drowning them (FLT-08).

A flag is one request worth showing. Flags by the same person in the same category (web category or
keyword category) that fall within the school's grouping window of each other make one alert with
a count; later flags extend an open alert whose time span they touch. Only categories whose
severity reaches the school's threshold make alerts at all; everything else is only counted.

Callers hold the school's monitoring-settings row locked (``select_for_update``) while merging, so
two workers merging chunks of the same school never create the same alert twice.

Chunks of one log are scanned in parallel and merged in whatever order they finish. The result is
still the grouping a single pass in time order would give (issue #13): a group joins every open
alert of the same person and category that it comes within the window of, and when it touches
several, which happens when a later part of the log was merged before an earlier one, they become
one alert. The earliest-created alert keeps the whole count; the others are kept, never deleted,
with the status "merged" and a link to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from harbour.audit import services as audit
from harbour.schools.models import School

from .attribution import Person, Resolver
from .engine.types import Flag
from .models import Alert, LogUpload, MonitoringSettings
from .severity import DEFAULT_CATEGORY_SEVERITY, DEFAULT_KEYWORD_SEVERITY, RANK, at_least, severity_for

MAX_HOSTS = 10
MAX_URLS = 5
MAX_TERMS = 5
MAX_PHRASES = 10


@dataclass
class Group:
    """Flags gathered in memory before they meet the database."""

    person_key: str
    person_label: str
    person: Person | None
    kind: str
    category: str
    severity: str
    first: datetime
    last: datetime
    count: int = 0
    hosts: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)

    def add(self, flag: Flag, when: datetime) -> None:
        self.first, self.last = min(self.first, when), max(self.last, when)
        self.count += 1
        _add_capped(self.hosts, [flag.host], MAX_HOSTS)
        _add_capped(self.urls, [flag.url], MAX_URLS)
        _add_capped(self.terms, [flag.terms] if flag.terms else [], MAX_TERMS)
        _add_capped(self.phrases, list(flag.phrases), MAX_PHRASES)


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    merged: int = 0  # open alerts folded into another (parts merged out of order)
    alert_ids: list[int] = field(default_factory=list)


def _add_capped(target: list[str], values: Iterable[str], cap: int) -> None:
    for value in values:
        if len(target) >= cap:
            return
        if value and value not in target:
            target.append(value)


def flag_severity(flag: Flag, config: MonitoringSettings) -> str:
    if flag.kind == Alert.Kind.KEYWORD:
        return severity_for(flag.category, config.keyword_severity, DEFAULT_KEYWORD_SEVERITY)
    return severity_for(flag.category, config.category_severity, DEFAULT_CATEGORY_SEVERITY)


def flag_categories(config: MonitoringSettings, known: Iterable[str]) -> frozenset[str]:
    """The web categories whose requests the engine should hand back as flags."""
    names = set(known) | set(DEFAULT_CATEGORY_SEVERITY) | set(config.category_severity)
    return frozenset(
        name
        for name in names
        if at_least(
            severity_for(name, config.category_severity, DEFAULT_CATEGORY_SEVERITY),
            config.alert_threshold,
        )
    )


def group_flags(flags: Iterable[Flag], *, config: MonitoringSettings, resolver: Resolver) -> list[Group]:
    """Flags worth an alert, grouped in memory by person, category and window (time order)."""
    window = timedelta(minutes=config.grouping_minutes)
    open_groups: dict[tuple[str, str, str], Group] = {}
    groups: list[Group] = []
    for flag in sorted(flags, key=Flag.sort_key):
        severity = flag_severity(flag, config)
        if not at_least(severity, config.alert_threshold):
            continue
        when = datetime.fromtimestamp(flag.ts, tz=UTC)
        person = resolver.resolve(username=flag.username, client_ip=flag.client_ip, when=when)
        person_key = person.key if person else f"raw:{flag.person}"
        key = (person_key, flag.kind, flag.category)
        group = open_groups.get(key)
        if group is None or when - group.last > window:
            group = Group(person_key, flag.person, person, flag.kind, flag.category, severity, when, when)
            open_groups[key] = group
            groups.append(group)
        group.add(flag, when)
    return groups


def merge_groups(
    groups: list[Group], *, school: School, config: MonitoringSettings, upload: LogUpload | None
) -> MergeCounts:
    """Fold the groups into the school's open alerts, or open new ones. Call inside a transaction.

    A group and an alert belong together exactly when some flag of one is within the window of a
    flag of the other, that is when ``[first - window, last + window]`` of the alert meets the
    group's span (an alert's flags are never more than a window apart). So taking every open alert
    that meets the group, and folding them all into one, gives the alerts a single in-order pass
    would have made, whatever order the chunks arrive in.
    """
    window = timedelta(minutes=config.grouping_minutes)
    counts = MergeCounts()
    for group in groups:
        touching = list(
            Alert.objects.select_for_update()
            .filter(
                school=school,
                status=Alert.Status.OPEN,
                person_key=group.person_key,
                kind=group.kind,
                category=group.category,
            )
            .filter(Q(first_seen__lte=group.last + window) & Q(last_seen__gte=group.first - window))
            .order_by("pk")
        )
        if not touching:
            alert = Alert.objects.create(
                school=school,
                person_key=group.person_key,
                person_label=group.person_label,
                learner_id=group.person.learner_id if group.person else None,
                staff_id=group.person.staff_id if group.person else None,
                kind=group.kind,
                category=group.category,
                severity=group.severity,
                first_seen=group.first,
                last_seen=group.last,
                count=group.count,
                hosts=group.hosts,
                sample_urls=group.urls,
                terms=group.terms,
                phrases=group.phrases,
                upload=upload,
            )
            counts.created += 1
        else:
            # The first-created alert stays: links already sent to the DSL point at it.
            alert, others = touching[0], touching[1:]
            _fold(alert, group.first, group.last, group.count, group.severity, group)
            for other in others:
                _fold(alert, other.first_seen, other.last_seen, other.count, other.severity, other)
                _retire(other, into=alert, school=school)
                counts.merged += 1
            alert.save()
            counts.updated += 1
        counts.alert_ids.append(alert.pk)
    return counts


def _fold(alert: Alert, first: datetime, last: datetime, count: int, severity: str, source: Group | Alert) -> None:
    """Add a group's or another alert's span, count, severity and samples to ``alert`` (not saved)."""
    alert.first_seen = min(alert.first_seen, first)
    alert.last_seen = max(alert.last_seen, last)
    alert.count += count
    if RANK[severity] > RANK.get(alert.severity, 0):
        alert.severity = severity
    if isinstance(source, Alert):
        hosts, urls, terms, phrases = source.hosts, source.sample_urls, source.terms, source.phrases
        if alert.learner_id is None and alert.staff_id is None:
            alert.learner_id, alert.staff_id = source.learner_id, source.staff_id
    else:
        hosts, urls, terms, phrases = source.hosts, source.urls, source.terms, source.phrases
    _add_capped(alert.hosts, hosts, MAX_HOSTS)
    _add_capped(alert.sample_urls, urls, MAX_URLS)
    _add_capped(alert.terms, terms, MAX_TERMS)
    _add_capped(alert.phrases, phrases, MAX_PHRASES)


def _retire(other: Alert, *, into: Alert, school: School) -> None:
    """Close an alert that turned out to be part of ``into``; it stays on record, pointing there."""
    other.status = Alert.Status.MERGED
    other.merged_into = into
    other.status_reason = f"Part of alert {into.pk}: parts of the log were scanned out of order."
    other.status_at = timezone.now()
    other.save(update_fields=["status", "merged_into", "status_reason", "status_at", "updated_at"])
    audit.record(
        action="monitoring.alert_merged",
        school=school,
        obj=other,
        changes={"status": ["open", "merged"], "merged_into": [None, into.pk]},
    )
