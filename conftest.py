"""Test personas used across Harbour (architecture.md): one school with every role, a second
school of another trust with its own DSL (the outsider), and learners in two classes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from harbour.accounts.models import Membership
from harbour.accounts.roles import MFA_ROLES_DEFAULT, Role
from harbour.core.tests import factories as f
from harbour.people.models import Learner, SchoolClass
from harbour.schools.models import School


@dataclass
class World:
    school: School
    other_school: School
    dsl: Membership
    deputy: Membership
    head: Membership
    slt: Membership
    teacher: Membership
    teacher2: Membership
    support: Membership
    technician: Membership
    office: Membership
    governor: Membership
    admin: Membership
    outsider: Membership
    class_a: SchoolClass
    class_b: SchoolClass
    learner: Learner  # in class_a, taught by `teacher`
    learner2: Learner  # in class_b, taught by `teacher2`
    other_learner: Learner  # at the other school

    def persona(self, name: str) -> Membership:
        return getattr(self, name)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing costs ~0.3 s per user; tests create dozens. Production keeps the strong default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Tasks declared at import (core's AppConfig imports every tasks module) already built the
    # backend from the old value; this signal makes django-tasks rebuild it from the new one.
    from django.core.signals import setting_changed

    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)
    # On PostgreSQL the audit table refuses TRUNCATE; the runner's own flush between tests may.
    from harbour.audit.testing import let_the_test_runner_flush

    let_the_test_runner_flush()


PERSONAS = (
    "dsl",
    "deputy",
    "head",
    "slt",
    "teacher",
    "teacher2",
    "support",
    "technician",
    "office",
    "governor",
    "admin",
    "outsider",
)


def make_member(school: School, role: str, email: str, **extra: object) -> Membership:
    user = f.UserFactory(email=email, mfa=role in MFA_ROLES_DEFAULT)
    return f.MembershipFactory(user=user, school=school, role=role, **extra)


@pytest.fixture
def world(db) -> World:
    school = f.SchoolFactory(name="Alpha Primary School", slug="alpha")
    other = f.SchoolFactory(name="Beta Primary School", slug="beta")
    members = {
        "dsl": make_member(school, Role.DSL, "dsl@alpha.test"),
        "deputy": make_member(school, Role.DEPUTY_DSL, "deputy@alpha.test"),
        "head": make_member(school, Role.HEADTEACHER, "head@alpha.test"),
        "slt": make_member(school, Role.SLT, "slt@alpha.test"),
        "teacher": make_member(school, Role.TEACHER, "teacher@alpha.test"),
        "teacher2": make_member(school, Role.TEACHER, "teacher2@alpha.test"),
        "support": make_member(school, Role.SUPPORT_STAFF, "support@alpha.test"),
        "technician": make_member(school, Role.TECHNICIAN, "technician@alpha.test"),
        "office": make_member(school, Role.OFFICE, "office@alpha.test"),
        "governor": make_member(school, Role.GOVERNOR, "governor@alpha.test", is_named_online_safety_governor=True),
        "admin": make_member(school, Role.SCHOOL_ADMIN, "admin@alpha.test"),
        "outsider": make_member(other, Role.DSL, "dsl@beta.test"),
    }
    teacher_staff = f.StaffMemberFactory(school=school, user=members["teacher"].user, first_name="Tess")
    teacher2_staff = f.StaffMemberFactory(school=school, user=members["teacher2"].user, first_name="Theo")
    class_a = f.SchoolClassFactory(school=school, name="3 Oak", year_group="3")
    class_a.teachers.add(teacher_staff)
    class_b = f.SchoolClassFactory(school=school, name="4 Ash", year_group="4")
    class_b.teachers.add(teacher2_staff)
    learner = f.LearnerFactory(
        school=school, school_class=class_a, year_group="3", first_name="Ada", send_status="K", is_looked_after=True
    )
    learner2 = f.LearnerFactory(school=school, school_class=class_b, year_group="4", first_name="Ben")
    other_class = f.SchoolClassFactory(school=other, name="3 Elm")
    other_learner = f.LearnerFactory(school=other, school_class=other_class, first_name="Cleo")
    f.ParentLinkFactory(parent=f.ParentFactory(school=school), learner=learner)
    return World(
        school=school,
        other_school=other,
        class_a=class_a,
        class_b=class_b,
        learner=learner,
        learner2=learner2,
        other_learner=other_learner,
        **members,
    )


@pytest.fixture
def client_for(world):
    """``client_for("teacher")``: a test client signed in as that persona (MFA already set up)."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.persona(name).user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and allauth's used-TOTP-code memory live in the cache; user ids repeat
    across rolled-back tests, so one test's sign-ins must not throttle or replay into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
