"""What /healthz reports: the database answers, migrations are applied, the worker is alive."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def _database() -> dict[str, Any]:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connections[DEFAULT_DB_ALIAS].vendor}
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", reported not raised
        return {"ok": False, "error": exc.__class__.__name__}


def _migrations() -> dict[str, Any]:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return {"ok": not pending, "pending": len(pending)}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}


def _worker() -> dict[str, Any]:
    from harbour.core.models import WorkerHeartbeat

    try:
        latest = WorkerHeartbeat.objects.order_by("-beat_at").first()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    if latest is None:
        return {"ok": False, "last_heartbeat": None, "age_seconds": None}
    age = (timezone.now() - latest.beat_at).total_seconds()
    stale_after = settings.HARBOUR_HEARTBEAT_SECONDS * 3
    return {"ok": age <= stale_after, "last_heartbeat": latest.beat_at.isoformat(), "age_seconds": round(age)}


def health_report() -> dict[str, Any]:
    checks = {"database": _database()}
    if checks["database"]["ok"]:
        checks["migrations"] = _migrations()
        checks["worker"] = _worker()
    healthy = all(check["ok"] for check in checks.values())
    return {"status": "ok" if healthy else "error", "checks": checks, "time": timezone.now().isoformat()}
