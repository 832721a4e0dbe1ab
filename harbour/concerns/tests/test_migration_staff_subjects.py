"""The migration to many subjects keeps every old allegation's subject (issue 12 point 1).

Were a link lost, the member of staff an old allegation is about would suddenly see it.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("concerns", "0002_notification_link")]
AFTER = [("concerns", "0003_staff_subjects_and_allegation_route")]


@pytest.mark.django_db(transaction=True)
def test_old_single_subject_becomes_a_subject_link():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    trust = old.get_model("schools", "Organisation").objects.create(name="Old Trust", slug="old-trust", kind="trust")
    school = old.get_model("schools", "School").objects.create(organisation=trust, name="Old School", slug="old-school")
    staff = old.get_model("people", "StaffMember").objects.create(school=school, first_name="Sam", last_name="Old")
    Concern = old.get_model("concerns", "Concern")
    now = timezone.now()
    fields = {"school": school, "category": "staff_misuse_allegation", "occurred_at": now, "summary": "s"}
    about = Concern.objects.create(reference="C-1", subject_staff=staff, description="d", **fields)
    ordinary = Concern.objects.create(reference="C-2", description="d", **fields)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    links = new.get_model("concerns", "ConcernStaffSubject").objects.all()
    assert [(link.concern_id, link.staff_id) for link in links] == [(about.pk, staff.pk)]
    routed = dict(new.get_model("concerns", "Concern").objects.values_list("pk", "routed_to"))
    assert routed == {about.pk: "head", ordinary.pk: ""}

    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
