"""Settings, allow/block lists, the mapping imports and attribution (FLT-08, FLT-11)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harbour.audit.models import AuditEvent
from harbour.core.tests import factories as f
from harbour.monitoring import mappings, services
from harbour.monitoring.attribution import Person, Resolver, normalise_device, username_keys
from harbour.monitoring.models import AccountMapping, DeviceAssignment, DeviceLease, ListEntry

pytestmark = pytest.mark.django_db

SETTINGS = {
    "retention_days": 14,
    "grouping_minutes": 30,
    "alert_threshold": "high",
    "category_severity": {"gambling": "low"},
    "keyword_severity": {"drugs": "high"},
    "digest_enabled": False,
}


def test_dsl_changes_settings_audited(world):
    config = services.settings_update(actor=world.dsl, **SETTINGS)
    assert (config.retention_days, config.grouping_minutes, config.alert_threshold) == (14, 30, "high")
    assert config.category_severity == {"gambling": "low"}
    event = AuditEvent.objects.get(action="monitoring.settings_update")
    assert event.changes["retention_days"] == [30, 14]


@pytest.mark.parametrize(
    "change",
    [{"retention_days": 0}, {"grouping_minutes": 0}, {"alert_threshold": "none"}, {"category_severity": {"x": "huge"}}],
)
def test_bad_settings_change_nothing(world, change):
    with pytest.raises(ValidationError):
        services.settings_update(actor=world.dsl, **{**SETTINGS, **change})
    config = services.settings_for(world.school)
    assert (config.retention_days, config.alert_threshold) == (30, "medium")
    assert not AuditEvent.objects.filter(action="monitoring.settings_update").exists()


@pytest.mark.parametrize("persona", ["technician", "teacher", "governor", "slt"])
def test_only_the_dsl_team_changes_settings(world, persona):
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=world.persona(persona), **SETTINGS)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Example.ORG", "example.org"),
        ("https://www.Example.org:443/Page?x=1", "www.example.org/Page?x=1"),
        ("example.org/", "example.org"),
        ("user:pw@example.org", "example.org"),
    ],
)
def test_list_entries_are_normalised(world, raw, stored):
    entry = services.list_entry_add(actor=world.technician, kind="block", entry=raw, reason="test")
    assert entry.entry == stored


def test_list_entry_rules(world):
    with pytest.raises(ValidationError):
        services.list_entry_add(actor=world.dsl, kind="allow", entry="not a host!", reason="x")
    with pytest.raises(ValidationError):
        services.list_entry_add(actor=world.dsl, kind="allow", entry="example.org", reason=" ")
    with pytest.raises(PermissionDenied):
        services.list_entry_add(actor=world.teacher, kind="allow", entry="example.org", reason="x")
    entry = services.list_entry_add(actor=world.dsl, kind="allow", entry="example.org", reason="x")
    with pytest.raises(ValidationError, match="already"):
        services.list_entry_add(actor=world.dsl, kind="allow", entry="EXAMPLE.org", reason="x")
    removed = services.list_entry_remove(actor=world.technician, entry=entry, reason="No longer needed")
    assert removed.removed_by == world.technician.user
    assert ListEntry.objects.count() == 1  # never deleted
    assert services.live_entries(world.school, "allow") == []
    with pytest.raises(PermissionDenied):
        services.list_entry_remove(actor=world.outsider, entry=entry, reason="x")


# --- mapping imports ----------------------------------------------------------------------------


def test_dhcp_leases_import_and_skip_duplicates(world):
    content = (
        "ip,mac,hostname,start,end\n"
        "10.0.0.7,AA:BB:CC:DD:EE:01,lap-1,2026-11-02T08:00:00Z,2026-11-02T16:00:00Z\n"
        "10.0.0.8,,lap-2,1793606400,\n"
    )
    summary = mappings.leases_import(actor=world.technician, content=content)
    assert (summary.created, summary.skipped_duplicates) == (2, 0)
    again = mappings.leases_import(actor=world.technician, content=content)
    assert (again.created, again.skipped_duplicates) == (0, 2)
    lease = DeviceLease.objects.get(ip="10.0.0.7")
    assert (lease.mac, lease.hostname, lease.imported_by) == ("aa:bb:cc:dd:ee:01", "lap-1", world.technician.user)
    assert AuditEvent.objects.filter(action="monitoring.leases_import").count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("address,when\n1.2.3.4,now\n", "missing: ip, start"),
        ("ip,mac,start\nnot-an-ip,aa:bb:cc:dd:ee:ff,2026-11-02T08:00\n", "line 2: 'not-an-ip' is not an IP address"),
        ("ip,mac,start\n10.0.0.1,zz,2026-11-02T08:00\n", "is not a MAC address"),
        ("ip,start\n10.0.0.1,2026-11-02T08:00\n", "MAC address or hostname"),
        ("ip,mac,start,end\n10.0.0.1,aa:bb:cc:dd:ee:ff,2026-11-02T08:00,2026-11-01T08:00\n", "end is not after"),
        ("ip,mac,start\n10.0.0.1,aa:bb:cc:dd:ee:ff,yesterday\n", "is not a date"),
        ("ip,mac,start\n", "no rows"),
    ],
)
def test_bad_lease_files_import_nothing(world, content, message):
    with pytest.raises(ValidationError, match=message):
        mappings.leases_import(actor=world.technician, content=content)
    assert not DeviceLease.objects.exists()


def test_one_bad_line_among_good_ones_imports_nothing(world):
    content = "ip,mac,start\n10.0.0.9,aa:bb:cc:dd:ee:09,2026-11-02T08:00\n10.0.0.10,aa:bb:cc:dd:ee:10,soon\n"
    with pytest.raises(ValidationError, match=r"Nothing was imported\. line 3"):
        mappings.leases_import(actor=world.technician, content=content)
    assert not DeviceLease.objects.exists()
    assert not AuditEvent.objects.filter(action="monitoring.leases_import").exists()


def test_device_register_and_usernames_resolve_people(world):
    world.learner.upn = "A111111111111"
    world.learner.save()
    staff = f.StaffMemberFactory(school=world.school, staff_code="JSM", email="j.smith@alpha.test")
    mappings.devices_import(
        actor=world.technician,
        content="device,person,start,end\nAA-BB-CC-DD-EE-01,a111111111111,,\nlap-9,JSM,2026-09-01,\n",
    )
    assert {(a.device, a.learner_id, a.staff_id) for a in DeviceAssignment.objects.all()} == {
        ("aa:bb:cc:dd:ee:01", world.learner.pk, None),
        ("lap-9", None, staff.pk),
    }
    mappings.usernames_import(actor=world.technician, content="username,person\nSCHOOL\\AdaQ07,A111111111111\n")
    assert AccountMapping.objects.get().username == "adaq07"
    with pytest.raises(ValidationError, match="nobody at this school"):
        mappings.usernames_import(actor=world.technician, content="username,person\nzz,nobody\n")
    with pytest.raises(PermissionDenied):
        mappings.usernames_import(actor=world.teacher, content="username,person\nzz,A111111111111\n")


# --- attribution ---------------------------------------------------------------------------------


def test_username_forms_and_device_names():
    assert username_keys("SCHOOL\\Ada.Q") == ["school\\ada.q", "ada.q"]
    assert username_keys("ada.q@alpha.sch.uk") == ["ada.q@alpha.sch.uk", "ada.q"]
    assert username_keys("-") == []
    assert normalise_device("AA-BB-CC-DD-EE-FF") == "aa:bb:cc:dd:ee:ff"
    assert normalise_device("aabb.ccdd.eeff") == "aa:bb:cc:dd:ee:ff"
    assert normalise_device("Lap-7.") == "lap-7"


def test_resolver_uses_mis_identifiers_and_refuses_ambiguous_ones(world):
    world.learner.mis_id = "ada.q"
    world.learner.save()
    f.StaffMemberFactory(school=world.school, email="sam@alpha.test", staff_code="SMO")
    f.StaffMemberFactory(school=world.school, email="sam@other.test")  # "sam" now fits two people
    resolver = Resolver(world.school)
    when = datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert resolver.resolve(username="ADA.Q", client_ip="", when=when) == Person(learner_id=world.learner.pk)
    assert resolver.resolve(username="sam", client_ip="", when=when) is None
    assert resolver.resolve(username="smo", client_ip="", when=when) is not None  # the staff code is unique
    assert resolver.resolve(username="dsl@beta.test", client_ip="", when=when) is None
