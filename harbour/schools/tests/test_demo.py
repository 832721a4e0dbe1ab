"""The demo trust: its plan, the harbour_demo command and the harbour_totp helper (ROL-01, GOV-24)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.test import Client
from django.urls import reverse

from harbour.accounts.models import Membership, TrustRole, User
from harbour.accounts.roles import MFA_ROLES_DEFAULT, Role
from harbour.audit.models import AuditEvent
from harbour.core.tests import factories as f
from harbour.people.models import Learner, Parent, ParentLink, SchoolClass, StaffMember
from harbour.schools import demo, policy_defaults
from harbour.schools.models import Organisation, School


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def plan() -> demo.DemoPlan:
    return demo.build_plan()


@pytest.fixture
def loaded(db) -> str:
    """The demo loaded through the command; returns what the command printed."""
    return run("harbour_demo")


# --- The plan, without a database ---------------------------------------------------------------


def test_plan_is_the_same_every_time(plan):
    assert demo.plan_digest(demo.build_plan()) == demo.plan_digest(plan)
    assert demo.plan_digest(demo.build_plan(seed=1)) != demo.plan_digest(plan)


def test_each_school_has_about_200_learners_in_seven_classes(plan):
    assert [s.slug for s in plan.schools] == ["st-james", "joy-lane"]
    for school in plan.schools:
        assert 195 <= len(school.learners) <= 215
        sizes = Counter(learner.year_group for learner in school.learners)
        assert set(sizes) == set(demo.YEAR_GROUPS)
        assert all(27 <= n <= 31 for n in sizes.values())
        assert [c.year_group for c in school.classes] == list(demo.YEAR_GROUPS)
        assert school.class_for_year("3").name.startswith("Year 3 ")
        assert 24 <= len(school.staff) <= 30


def test_birth_dates_fit_the_year_group_in_2026_27(plan):
    assert demo.birth_range("R") == (datetime(2021, 9, 1).date(), datetime(2022, 8, 31).date())
    assert demo.birth_range("6") == (datetime(2015, 9, 1).date(), datetime(2016, 8, 31).date())
    for school in plan.schools:
        for learner in school.learners:
            first, last = demo.birth_range(learner.year_group)
            assert first <= learner.date_of_birth <= last, learner


def test_upns_are_well_formed_with_a_check_letter_and_unique(plan):
    upns = [learner.upn for school in plan.schools for learner in school.learners]
    assert len(set(upns)) == len(upns)
    assert all(demo.is_valid_upn(upn) for upn in upns)
    tampered = upns[0][:-1] + str((int(upns[0][-1]) + 1) % 10)
    assert not demo.is_valid_upn(tampered)
    assert not demo.is_valid_upn("A12345678901")  # one digit short


def test_every_learner_has_one_or_two_carers_and_siblings_share_them(plan):
    for school in plan.schools:
        carers = Counter(link.learner for parent in school.parents for link in parent.links)
        assert set(carers) == set(range(len(school.learners)))
        assert set(carers.values()) <= {1, 2}
        shared = [p for p in school.parents if len(p.learners) > 1]
        assert len(shared) >= 20
        for parent in shared:
            assert len({school.learners[i].year_group for i in parent.learners}) == len(parent.learners)
        priorities = [link.contact_priority for p in school.parents for link in p.links]
        assert set(priorities) == {1, 2}


def test_contact_details_use_reserved_domains_and_drama_numbers(plan):
    emails = [p.email for s in plan.schools for p in s.parents]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@example.org") for e in emails)
    for school in plan.schools:
        for parent in school.parents:
            assert re.fullmatch(r"07700 900\d{3}", parent.mobile)
            assert parent.phone == "" or re.fullmatch(r"01632 960\d{3}", parent.phone)
        assert all(s.email.endswith(f"@{school.slug}.example") for s in school.staff)


def test_vulnerability_flags_are_present_but_rare(plan):
    for school in plan.schools:
        learners = school.learners
        count = Counter()
        for learner in learners:
            count["send"] += bool(learner.send_status)
            for flag in (
                "is_looked_after",
                "has_child_protection_plan",
                "has_child_in_need_plan",
                "is_young_carer",
                "has_eal",
                "is_pupil_premium",
            ):
                count[flag] += getattr(learner, flag)
        assert 1 <= count["is_looked_after"] <= 4
        assert 1 <= count["has_child_protection_plan"] <= 4
        assert 1 <= count["is_young_carer"] <= 5
        assert 0.1 < count["send"] / len(learners) < 0.25
        assert 0.03 < count["has_eal"] / len(learners) < 0.35
        assert 0.15 < count["is_pupil_premium"] / len(learners) < 0.4


def test_looked_after_learners_are_with_foster_carers_without_parental_responsibility(plan):
    for school in plan.schools:
        looked_after = {i for i, learner in enumerate(school.learners) if learner.is_looked_after}
        links = [link for p in school.parents for link in p.links if link.learner in looked_after]
        assert links
        assert all(link.relationship == "Foster carer" and not link.has_parental_responsibility for link in links)


def test_each_demo_login_has_its_own_fixed_totp_secret(plan):
    secrets = [login.totp_secret for login in plan.logins]
    assert len(set(secrets)) == len(secrets)
    assert demo.demo_totp_secret("dsl@st-james.example") == demo.demo_totp_secret("DSL@st-james.example")
    assert all(re.fullmatch(r"[A-Z2-7]{32}", s) for s in secrets)


def test_policy_variables_cover_the_same_names_for_both_schools():
    """GOV-24: every variable is set (or explicitly None) for both seed schools."""
    assert set(policy_defaults.ST_JAMES) == set(policy_defaults.JOY_LANE)
    assert len(policy_defaults.ST_JAMES) >= 130


def test_policy_variables_differ_where_the_seed_policies_differ():
    st_james, joy_lane = policy_defaults.ST_JAMES, policy_defaults.JOY_LANE
    assert (st_james["head_role_title"], joy_lane["head_role_title"]) == ("Headteacher", "Executive Headteacher")
    assert (st_james["debrief_rule"], joy_lane["debrief_rule"]) == ("if_appropriate", "always")
    assert st_james["named_governors"] == ["Jess Austen", "Matt Atkinson"]
    assert joy_lane["named_governors"] == ["Mrs S Strudley"]
    assert st_james["dsl_job_title"] == "Deputy Headteacher"
    assert st_james["remote_learning_provisions_enabled"] is True
    assert joy_lane["remote_learning_provisions_enabled"] is False
    assert st_james["eyfs_edition"] == joy_lane["eyfs_edition"] == 2017


# --- Loading ------------------------------------------------------------------------------------


def test_load_creates_the_trust_its_schools_and_people_from_the_plan(loaded, plan):
    organisation = Organisation.objects.get(slug="harbour-demo")
    assert organisation.name == "Harbour Demo Trust"
    schools = {s.slug: s for s in School.objects.filter(organisation=organisation)}
    assert set(schools) == {"st-james", "joy-lane"}
    assert schools["st-james"].name == "St James' CE Primary School"
    assert schools["joy-lane"].name == "Joy Lane Primary School"
    for school_plan in plan.schools:
        school = schools[school_plan.slug]
        assert school.policy_settings == school_plan.policy_settings
        # The database holds exactly the planned learners: loading is as deterministic as the plan.
        upns = set(Learner.objects.filter(school=school).values_list("upn", flat=True))
        assert upns == {learner.upn for learner in school_plan.learners}
        assert Parent.objects.filter(school=school).count() == len(school_plan.parents)
        assert ParentLink.objects.filter(learner__school=school).count() == sum(
            len(p.links) for p in school_plan.parents
        )
        assert StaffMember.objects.filter(school=school).count() == len(school_plan.staff)
        assert SchoolClass.objects.filter(school=school).count() == 7
        assert not Learner.objects.filter(school=school, school_class__isnull=True).exists()
        assert not Learner.objects.filter(school=school).exclude(school_class__year_group=F("year_group")).exists()
    assert "Loaded Harbour Demo Trust" in loaded


def test_policy_settings_differ_between_the_schools_and_name_the_demo_people(loaded):
    st_james = School.objects.get(slug="st-james")
    joy_lane = School.objects.get(slug="joy-lane")
    assert st_james.head_title == "Headteacher"
    assert joy_lane.head_title == "Executive Headteacher"
    assert st_james.policy_settings["debrief_rule"] == "if_appropriate"
    assert joy_lane.policy_settings["debrief_rule"] == "always"
    for school in (st_james, joy_lane):
        dsl = Membership.objects.get(school=school, role=Role.DSL).user
        assert school.policy_settings["dsl_name"] == dsl.full_name
        governor = Membership.objects.get(school=school, role=Role.GOVERNOR, is_named_online_safety_governor=True)
        assert governor.user.full_name in school.policy_settings["named_governors"]
    assert Membership.objects.get(school=st_james, role=Role.DSL).user.full_name == "Lucy Hayward"
    assert Membership.objects.get(school=joy_lane, role=Role.DSL).user.full_name == "Ms D Hines"


def test_every_role_has_one_login_linked_to_a_staff_record(loaded):
    for slug in ("st-james", "joy-lane"):
        memberships = Membership.objects.filter(school__slug=slug).select_related("user")
        by_key = {m.user.email.split("@")[0]: m for m in memberships}
        assert {key: m.role for key, m in by_key.items()} == {k: str(r) for k, r in demo.LOGIN_ROLES.items()}
        for key, membership in by_key.items():
            assert membership.user.email == f"{key}@{slug}.example"
            staff = StaffMember.objects.get(school__slug=slug, user=membership.user)
            assert staff.job_title == membership.job_title
        teacher_classes = SchoolClass.objects.filter(teachers__user=by_key["teacher"].user)
        assert [c.year_group for c in teacher_classes] == ["3"]
        assert teacher_classes[0].learners.count() >= 25
        assert [c.year_group for c in SchoolClass.objects.filter(teachers__user=by_key["teacher2"].user)] == ["5"]
        assert SchoolClass.objects.filter(teachers__user=by_key["support"].user).exists()
    assert Membership.objects.get(user__email="dsl@st-james.example").job_title.startswith("Deputy Headteacher")
    assert Membership.objects.get(user__email="head@joy-lane.example").job_title == "Executive Headteacher"
    trust_role = TrustRole.objects.get(user__email=demo.TRUST_LOGIN_EMAIL)
    assert trust_role.role == Role.TRUST_SAFEGUARDING_LEAD
    assert trust_role.organisation.slug == "harbour-demo"


def test_mfa_roles_have_a_fixed_totp_secret_and_recovery_codes_and_others_have_none(loaded):
    mfa_emails = set(Membership.objects.filter(role__in=MFA_ROLES_DEFAULT).values_list("user__email", flat=True)) | {
        demo.TRUST_LOGIN_EMAIL
    }
    # Issue 12: the chair of governors handles allegations about the head, so needs MFA too.
    chairs = set(Membership.objects.filter(is_chair_of_governors=True).values_list("user__email", flat=True))
    assert chairs == {"chair@st-james.example", "chair@joy-lane.example"}
    mfa_emails |= chairs
    assert len(mfa_emails) == 11
    for user in User.objects.filter(email__endswith=".example"):
        types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        if user.email in mfa_emails:
            assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
            totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
            assert decrypt(totp.data["secret"]) == demo.demo_totp_secret(user.email)
        else:
            assert types == set(), user.email


def test_demo_logins_share_the_password_given(db):
    run("harbour_demo", "--password", "another-demo-password")
    users = User.objects.filter(email__endswith=".example")
    assert users.count() == 25
    assert all(user.check_password("another-demo-password") for user in users[:3])
    assert len(set(users.values_list("password", flat=True))) == 1


def test_load_writes_one_demo_load_audit_event_per_school(loaded):
    events = AuditEvent.objects.filter(action="demo.load")
    assert sorted(e.school.slug for e in events) == ["joy-lane", "st-james"]
    event = events.get(school__slug="st-james")
    assert event.changes["learners"][1] == Learner.objects.filter(school__slug="st-james").count()


def test_demo_dsl_signs_in_with_the_password_and_the_printed_code(loaded):
    cache.clear()
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "dsl@st-james.example", "password": demo.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = run("harbour_totp", "dsl@st-james.example").strip()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard", args=["st-james"])).status_code == 200


# --- Guards -------------------------------------------------------------------------------------


def test_if_empty_does_nothing_when_any_school_exists(db):
    f.SchoolFactory(slug="someone-elses")
    out = run("harbour_demo", "--if-empty")
    assert "demo data already present" in out
    assert not Organisation.objects.filter(slug="harbour-demo").exists()
    assert not User.objects.filter(email__endswith=".example").exists()


def test_if_empty_loads_into_an_empty_database_once(db):
    first = run("harbour_demo", "--if-empty")
    assert "Loaded Harbour Demo Trust" in first
    learners = Learner.objects.count()
    second = run("harbour_demo", "--if-empty")
    assert "demo data already present" in second
    assert Learner.objects.count() == learners
    assert AuditEvent.objects.filter(action="demo.load").count() == 2


def test_loading_twice_without_if_empty_is_refused_and_changes_nothing(loaded):
    learners = Learner.objects.count()
    with pytest.raises(CommandError, match="already exist"):
        run("harbour_demo")
    assert Learner.objects.count() == learners
    assert School.objects.count() == 2


def test_blank_password_is_refused(db):
    with pytest.raises(CommandError, match="not blank"):
        run("harbour_demo", "--password", "  ")
    assert not School.objects.exists()


def test_demo_refuses_to_load_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run("harbour_demo", "--if-empty")
    assert not School.objects.exists()


def test_print_logins_lists_every_login_with_mfa_and_secrets(loaded):
    out = run("harbour_demo", "--print-logins")
    assert "Loaded" not in out
    for login in demo.build_plan().logins:
        line = next(line for line in out.splitlines() if f" {login.email} " in line)
        needs_mfa = login.role in MFA_ROLES_DEFAULT or login.is_chair
        assert (" yes " in line) is needs_mfa
        assert (login.totp_secret in line) is needs_mfa
    assert "Password for every demo login: harbour-demo-2026" in out
    assert "make totp EMAIL=dsl@st-james.example" in out
    assert "harbour_totp" in out
    assert School.objects.count() == 2


def test_print_logins_on_an_empty_database_says_how_to_load(db):
    out = run("harbour_demo", "--print-logins", "--password", "whatever-it-was")
    assert "No demo logins" in out
    assert not School.objects.exists()


# --- harbour_totp -------------------------------------------------------------------------------


def test_harbour_totp_prints_the_current_code_that_allauth_accepts(loaded):
    cache.clear()
    moment = datetime(2026, 11, 2, 9, 30, 10, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        code = run("harbour_totp", "head@joy-lane.example").strip()
        secret = demo.demo_totp_secret("head@joy-lane.example")
        assert code == format_hotp_value(hotp_value(secret, int(moment.timestamp()) // 30))
        assert re.fullmatch(r"\d{6}", code)
        authenticator = Authenticator.objects.get(user__email="head@joy-lane.example", type=Authenticator.Type.TOTP)
        assert TOTP(authenticator).validate_code(code)


def test_harbour_totp_refuses_an_unknown_address(db):
    with pytest.raises(CommandError, match="No login"):
        run("harbour_totp", "nobody@st-james.example")


def test_harbour_totp_refuses_a_login_without_an_authenticator(loaded):
    with pytest.raises(CommandError, match="no authenticator"):
        run("harbour_totp", "teacher@st-james.example")


def test_harbour_totp_refuses_in_production(loaded, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run("harbour_totp", "dsl@st-james.example")


@pytest.mark.django_db
def test_demo_has_concerns_in_every_state_for_each_school():
    """The DSL's queue, a handled concern and a closed one exist on first start."""
    from harbour.concerns.models import Concern, Referral

    demo.load_demo(password="a-demo-password-for-tests")
    for slug in ("st-james", "joy-lane"):
        statuses = set(Concern.objects.filter(school__slug=slug).values_list("status", flat=True))
        assert statuses == {"new", "open", "closed"}
        assert Referral.objects.filter(concern__school__slug=slug, agency="police").exists()
