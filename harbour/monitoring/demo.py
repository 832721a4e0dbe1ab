"""Demo monitoring data: settings, a DHCP lease and device register, and one scanned log per school.

``load_demo(school)`` gives the DSL a few grouped alerts to work on first start: repeated visits to
an invented casino site by a learner known by username, a worrying search by a learner known only
through the DHCP lease of a school laptop, a VPN site, and an adult site from an address nobody can
be tied to. Every domain is an invented ``.test`` name from ``demo_lists/``.

The log goes through the real ingestion (upload, split, scan, merge), run in this process so the
demo does not wait for a worker. Writing the mappings directly is a system action, like the rest
of the demo loader.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from harbour.people.models import Learner, StaffMember
from harbour.schools.models import School

from . import ingest
from .chunks import chunk_process
from .models import AccountMapping, DeviceAssignment, DeviceLease, LogChunk, LogUpload
from .services import settings_for

LAPTOP_MAC = "02:00:5e:10:00:07"
LAPTOP_IP = "10.20.0.57"
UNKNOWN_IP = "10.20.9.200"


def _line(when: datetime, user: str, url: str, ip: str) -> str:
    return f"{when.timestamp():.3f}    95 {ip} TCP_MISS/200 2048 GET {url} {user} HIER_DIRECT/192.0.2.10 text/html"


def demo_log(start: datetime, *, username: str, staff_username: str) -> str:
    """A morning's Squid log: ordinary traffic with the findings mixed in."""
    rows = [
        (0, username, "http://www.bbc.co.uk/bitesize", "10.20.0.21"),
        (30, username, "http://example-casino.test/", "10.20.0.21"),
        (95, username, "http://www.example-casino.test/roulette", "10.20.0.21"),
        (400, username, "http://spin-and-win.test/free-spins", "10.20.0.21"),
        (900, "-", "https://www.google.co.uk/search?q=how+to+hide+cuts+from+parents", LAPTOP_IP),
        (960, "-", "https://www.google.co.uk/search?q=hide+cuts", LAPTOP_IP),
        (1500, username, "http://free-vpn.test/download", "10.20.0.21"),
        (1800, "-", "http://example-adult.test/", UNKNOWN_IP),
        (2400, staff_username, "http://www.gov.uk/guidance", "10.20.1.5"),
        (2500, "-", "http://photoshare.test/explore", LAPTOP_IP),
    ]
    return "\n".join(_line(start + timedelta(seconds=s), u, url, ip) for s, u, url, ip in rows) + "\n"


def load_demo(school: School) -> LogUpload | None:
    """Settings, mappings and one ingested log for a demo school. Returns the upload (None if no learners)."""
    learners = list(Learner.objects.filter(school=school, left_on__isnull=True).order_by("pk")[:2])
    staff = StaffMember.objects.filter(school=school).order_by("pk").first()
    if len(learners) < 2:
        return None
    settings_for(school)
    name = f"{learners[0].first_name[:1]}{learners[0].last_name}".lower()
    username = "".join(ch for ch in name if ch.isascii() and ch.isalnum())[:20] + "07"
    AccountMapping.objects.get_or_create(school=school, username=username, defaults={"learner": learners[0]})
    staff_username = "staff.demo"
    if staff is not None:
        AccountMapping.objects.get_or_create(school=school, username=staff_username, defaults={"staff": staff})
    # Yesterday morning, so the alerts look fresh but the DHCP lease is already over.
    start = (timezone.now() - timedelta(days=1)).astimezone(UTC).replace(hour=9, minute=5, second=0, microsecond=0)
    DeviceLease.objects.create(
        school=school,
        ip=LAPTOP_IP,
        mac=LAPTOP_MAC,
        hostname="lap-y5-07",
        starts_at=start - timedelta(hours=1),
        ends_at=start + timedelta(hours=6),
    )
    DeviceAssignment.objects.create(
        school=school, device=LAPTOP_MAC, learner=learners[1], starts_at=start - timedelta(days=30)
    )
    text = demo_log(start, username=username, staff_username=staff_username)
    upload = ingest.upload_create(
        actor=None,
        school=school,
        stream=io.BytesIO(text.encode()),
        name=f"demo-access-{start:%Y%m%d}.log",
        fmt="squid",
        source=LogUpload.Source.DEMO,
    )
    ingest.upload_split(upload.pk)
    for chunk_id in LogChunk.objects.filter(upload=upload, status=LogChunk.Status.PENDING).values_list("pk", flat=True):
        chunk_process(chunk_id)
    upload.refresh_from_db()
    return upload
