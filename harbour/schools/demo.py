"""Demo data: a trust with two primary schools, their people and one login per role.

The generator is split in two. ``build_plan`` is pure: from a fixed seed it describes every school,
class, learner, parent, staff member and login in plain dataclasses, so it can be tested without a
database and always gives the same result. ``load_demo`` writes a plan in one transaction with bulk
inserts. The demo is set in the 2026/27 school year: every date is fixed relative to
``REFERENCE_DATE``, not to today, apart from the start dates of the logins' memberships.

Loading demo data is a system action, so it writes models directly rather than through services,
and leaves one ``demo.load`` audit event per school. The demo logins share a published password
and have fixed two-step secrets: they exist for trying Harbour, never for real use.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from harbour.accounts.models import Membership, TrustRole, User
from harbour.accounts.roles import MFA_ROLES_DEFAULT, Role
from harbour.audit import services as audit
from harbour.concerns.agency_seed import agency_seed_from_policy
from harbour.concerns.demo import load_demo_concerns
from harbour.filtering.demo import load_demo as load_filtering_demo
from harbour.monitoring.demo import load_demo as load_monitoring_demo
from harbour.people import importing
from harbour.people.models import Learner, Parent, ParentLink, SchoolClass, StaffMember
from harbour.policy.demo import load_demo as load_policy_demo
from harbour.schools import policy_defaults
from harbour.schools.models import Organisation, School

SEED = 20260901
REFERENCE_DATE = date(2026, 9, 1)  # first day of the school year the demo is set in
DEFAULT_PASSWORD = "harbour-demo-2026"
ORGANISATION_NAME = "Harbour Demo Trust"
ORGANISATION_SLUG = "harbour-demo"
TRUST_LOGIN_EMAIL = "trust@harbour-demo.example"
SCHOOL_SLUGS = ("st-james", "joy-lane")
# Changing this changes every demo login's two-step secret, and so every authenticator app set up for them.
_TOTP_SALT = "harbour-demo-totp-v1"

YEAR_GROUPS = ("R", "1", "2", "3", "4", "5", "6")
_KENT_LA = "886"

# Login keys in the order the logins table lists them; the role each holds.
LOGIN_ROLES: dict[str, Role] = {
    "dsl": Role.DSL,
    "deputy": Role.DEPUTY_DSL,
    "head": Role.HEADTEACHER,
    "slt": Role.SLT,
    "teacher": Role.TEACHER,
    "teacher2": Role.TEACHER,
    "support": Role.SUPPORT_STAFF,
    "technician": Role.TECHNICIAN,
    "office": Role.OFFICE,
    "governor": Role.GOVERNOR,
    "admin": Role.SCHOOL_ADMIN,
    # Receives allegations about the headteacher (INC-STAFF-05); holds the governor role, needs MFA.
    "chair": Role.GOVERNOR,
}


class DemoAlreadyLoaded(Exception):
    """The demo's organisation, schools or logins already exist in this database."""


# --- Names ------------------------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(sep))


GIRLS = _words(
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily Ella Poppy "
    "Evie Elsie Charlotte Evelyn Sienna Daisy Phoebe Sofia Alice Harper Matilda Ruby Emilia Maya Millie Esme "
    "Isabelle Ellie Arabella Layla Eliza Amber Hannah Chloe Jessica Scarlett Lola Maisie Erin Holly Imogen "
    "Niamh Orla Ada Iris Mabel Bonnie Nancy Thea Harriet Beatrice Elizabeth Martha Lottie Summer"
)
BOYS = _words(
    "Noah Oliver George Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Alfie Jacob Thomas "
    "Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Luca Edward James Joshua Albie Elijah Max "
    "Reuben Mason Sebastian Rory Jude Louis Benjamin Ethan Hugo Joseph Reggie Ronnie Louie Toby Harrison "
    "Dylan Samuel Daniel Frankie Ezra Jenson Zachary Riley Ollie Stanley Alfred Sonny Bobby Frederick"
)
# Names more common in families who speak another language at home, for learners with EAL.
GIRLS_WORLD = _words("Aisha Zara Fatima Maryam Amira Priya Anaya Simran Zofia Lena Julia Hana Mei Adaeze Nneka Elif")
BOYS_WORLD = _words("Muhammad Mohammed Ibrahim Yusuf Adam Kacper Jakub Arjun Aarav Kai Omar Emre Tobi Kwame Wei Filip")
SURNAMES = _words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White "
    "Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore "
    "Clark King Harrison Lewis Baker Lee Allen Morris Scott Watson Davis Parker James Bennett Young Phillips "
    "Richardson Mitchell Bailey Carter Cook Shaw Bell Collins Morgan Kelly Miller Cox Marshall Simpson Price "
    "Anderson Adams Wilkinson Foster Ellis Murphy Chapman Mason Gray Richards Webb Griffiths Hunt Palmer "
    "Campbell Holmes Mills Barnes Knight Matthews Barker Powell Stevens Fisher Butler Dixon Russell Harvey "
    "Pearson Graham O'Brien Fletcher Chambers Lloyd Sutton Hayes Marsh Gill Reid Kemp Rowe Doherty McCarthy"
)
SURNAMES_WORLD = _words(
    "Patel Khan Singh Begum Hussain Kaur Ali Ahmed Okafor Adeyemi Nowak Kowalski Mensah Sharma Osei Novak "
    "Popescu Ozturk Nguyen Chen Mistry Rahman Wisniewska Kumar"
)
WOMEN = _words(
    "Sarah Emma Laura Gemma Rebecca Kelly Claire Hayley Amy Charlotte Victoria Jennifer Lisa Natalie Stacey "
    "Rachel Katie Jade Danielle Nicola Louise Zoe Hannah Stephanie Samantha Kirsty Leanne Joanne Michelle Helen "
    "Amanda Lucy Sophie Jessica Kerry Anna Vicky Becky Carly Jodie"
)
MEN = _words(
    "James David Daniel Michael Christopher Matthew Mark Paul Andrew Richard Thomas Steven Lee Craig Adam Ben "
    "Jamie Ryan Gareth Stuart Robert Simon Darren Scott Jonathan Luke Nathan Dean Carl Wayne Chris Tom Sam"
)
WOMEN_WORLD = _words("Agnieszka Nadia Ayesha Shabana Priya Funmi Chioma Mei Leila Ioana Deepa Yasmin")
MEN_WORLD = _words("Imran Tariq Rajesh Piotr Tomasz Kwame Emeka Wei Ahmet Sanjay Bogdan Samir")
NICKNAMES = {
    "Alexander": "Alex",
    "Theodore": "Theo",
    "Benjamin": "Ben",
    "Elizabeth": "Libby",
    "Isabella": "Bella",
    "Frederick": "Freddie",
    "Samuel": "Sam",
    "Zachary": "Zach",
    "Charlotte": "Lottie",
    "Muhammad": "Mo",
}
STREETS = _words(
    "Orchard Close, Church Lane, Station Road, Mill Road, Victoria Street, The Crescent, Kingfisher Way, "
    "Hawthorn Avenue, Cherry Tree Gardens, Hop Garden Lane, Oast Court, Bramley Drive, Saxon Road, "
    "Copper Beech Walk, Harbour View, Ropewalk, Sandpiper Rise, Meadow Bank, Priory Fields, Cobb Lane",
    sep=",",
)


# --- The plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginPlan:
    key: str
    email: str
    role: str
    full_name: str
    job_title: str
    is_named_governor: bool = False
    is_chair: bool = False

    @property
    def totp_secret(self) -> str:
        return demo_totp_secret(self.email)


@dataclass
class StaffPlan:
    title: str
    first_name: str
    last_name: str
    job_title: str
    email: str
    staff_code: str
    mis_id: str
    started_on: date
    login: LoginPlan | None = None
    class_years: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassPlan:
    name: str
    year_group: str
    mis_id: str


@dataclass
class LearnerPlan:
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    gender: str
    year_group: str
    upn: str
    mis_id: str
    admitted_on: date
    send_status: str = ""
    is_looked_after: bool = False
    is_previously_looked_after: bool = False
    has_child_protection_plan: bool = False
    has_child_in_need_plan: bool = False
    is_young_carer: bool = False
    has_eal: bool = False
    is_pupil_premium: bool = False


@dataclass(frozen=True)
class LinkPlan:
    learner: int  # index into SchoolPlan.learners
    relationship: str
    contact_priority: int
    has_parental_responsibility: bool = True
    lives_with_learner: bool = True


@dataclass
class ParentPlan:
    title: str
    first_name: str
    last_name: str
    email: str
    mobile: str
    phone: str
    address: str
    mis_id: str
    links: list[LinkPlan] = field(default_factory=list)

    @property
    def learners(self) -> set[int]:
        return {link.learner for link in self.links}


@dataclass
class SchoolPlan:
    slug: str
    name: str
    policy_settings: dict[str, Any]
    classes: list[ClassPlan]
    staff: list[StaffPlan]
    learners: list[LearnerPlan]
    parents: list[ParentPlan]

    def class_for_year(self, year_group: str) -> ClassPlan:
        return next(c for c in self.classes if c.year_group == year_group)

    @property
    def logins(self) -> list[LoginPlan]:
        found = {s.login.key: s.login for s in self.staff if s.login is not None}
        return [found[key] for key in LOGIN_ROLES]


@dataclass
class DemoPlan:
    schools: list[SchoolPlan]
    trust_login: LoginPlan

    @property
    def logins(self) -> list[LoginPlan]:
        return [login for school in self.schools for login in school.logins] + [self.trust_login]


@dataclass(frozen=True)
class _NamedStaff:
    """A hand-picked member of staff: the leaders and everyone who gets a login."""

    login: str | None
    title: str
    first_name: str
    last_name: str
    job_title: str
    class_years: tuple[str, ...] = ()
    full_name: str = ""  # when the policy names them differently from "first last"
    is_named_governor: bool = False
    is_chair: bool = False


@dataclass(frozen=True)
class _SchoolSpec:
    slug: str
    name: str
    class_names: tuple[str, ...]  # one form per year, R to 6
    year_sizes: tuple[int, ...]
    establishment: str  # the DfE establishment number UPNs are allocated under
    town: str
    named_staff: tuple[_NamedStaff, ...]
    other_staff: tuple[str, ...]  # job titles; "Reception Teacher" style titles get a class


_ST_JAMES = _SchoolSpec(
    slug="st-james",
    name="St James' CE Primary School",
    class_names=("Willow", "Rowan", "Hazel", "Oak", "Beech", "Cedar", "Chestnut"),
    year_sizes=(30, 29, 28, 30, 29, 28, 30),
    establishment="3917",
    town="Harbourton",
    named_staff=(
        _NamedStaff("head", "Mr", "Andrew", "Pennington", "Headteacher"),
        _NamedStaff(
            "dsl",
            "Mrs",
            "Lucy",
            "Hayward",
            "Deputy Headteacher and Designated Safeguarding Lead",
            full_name=policy_defaults.ST_JAMES_DSL,
        ),
        _NamedStaff(
            "deputy",
            "Mrs",
            "Sarah",
            "Okonjo",
            "SENCo and Deputy Designated Safeguarding Lead",
            full_name=policy_defaults.ST_JAMES_DEPUTY_DSL,
        ),
        _NamedStaff("slt", "Mr", "Tom", "Fairbrother", "Assistant Headteacher (Key Stage 2)"),
        _NamedStaff("teacher", "Miss", "Hannah", "Cole", "Year 3 Teacher", class_years=("3",)),
        _NamedStaff("teacher2", "Mr", "Daniel", "Reeves", "Year 5 Teacher", class_years=("5",)),
        _NamedStaff("support", "Mrs", "Karen", "Doyle", "Teaching Assistant", class_years=("4",)),
        _NamedStaff("technician", "Mr", "Gavin", "Price", "IT Technician (contracted)"),
        _NamedStaff("office", "Mrs", "Julie", "Marsh", "School Office Manager"),
        _NamedStaff(
            "governor",
            "Ms",
            "Jess",
            "Austen",
            "Governor (online safety and safeguarding)",
            full_name=policy_defaults.ST_JAMES_GOVERNORS[0],
            is_named_governor=True,
        ),
        _NamedStaff("admin", "Mrs", "Nicola", "Sandhu", "School Business Manager"),
        _NamedStaff(None, "Mr", "Matt", "Atkinson", "Governor (online safety and safeguarding)"),
        _NamedStaff("chair", "Mrs", "Ruth", "Ellingham", "Chair of Governors", is_chair=True),
    ),
    other_staff=(
        "Reception Teacher",
        "Year 1 Teacher",
        "Year 2 Teacher",
        "Year 4 Teacher",
        "Year 6 Teacher",
        "Early Years Practitioner",
        "Teaching Assistant",
        "Teaching Assistant",
        "Teaching Assistant",
        "Higher Level Teaching Assistant",
        "Site Manager",
        "Midday Meals Supervisor",
        "Midday Meals Supervisor",
        "Cook",
        "Sports Coach",
    ),
)

_JOY_LANE = _SchoolSpec(
    slug="joy-lane",
    name="Joy Lane Primary School",
    class_names=("Robin", "Wren", "Kingfisher", "Owl", "Heron", "Kestrel", "Osprey"),
    year_sizes=(29, 30, 29, 28, 30, 29, 28),
    establishment="2468",
    town="Harbourton",
    named_staff=(
        _NamedStaff("head", "Mrs", "Catherine", "Bell", "Executive Headteacher"),
        _NamedStaff(
            "dsl",
            "Ms",
            "D",
            "Hines",
            "Designated Safeguarding Lead and Online Safety Lead",
            full_name=policy_defaults.JOY_LANE_DSL,
        ),
        _NamedStaff(
            "deputy",
            "Mr",
            "Rajesh",
            "Mistry",
            "Assistant Headteacher and Deputy Designated Safeguarding Lead",
            full_name=policy_defaults.JOY_LANE_DEPUTY_DSL,
        ),
        _NamedStaff("slt", "Mrs", "Emma", "Whitfield", "Head of School"),
        _NamedStaff("teacher", "Mr", "James", "Holloway", "Year 3 Teacher", class_years=("3",)),
        _NamedStaff("teacher2", "Miss", "Chloe", "Adebayo", "Year 5 Teacher", class_years=("5",)),
        _NamedStaff("support", "Mrs", "Tracey", "Gould", "Higher Level Teaching Assistant", class_years=("4",)),
        _NamedStaff("technician", "Mr", "Kieran", "Walsh", "ICT Technician"),
        _NamedStaff("office", "Mrs", "Amanda", "Frost", "School Administrator"),
        _NamedStaff(
            "governor",
            "Mrs",
            "S",
            "Strudley",
            "Governor (online safety)",
            full_name=policy_defaults.JOY_LANE_GOVERNORS[0],
            is_named_governor=True,
        ),
        _NamedStaff("admin", "Mr", "Paul", "Denton", "School Business Manager"),
        _NamedStaff("chair", "Mr", "Graham", "Oduya", "Chair of Governors", is_chair=True),
    ),
    other_staff=(
        "Reception Teacher",
        "Year 1 Teacher",
        "Year 2 Teacher",
        "Year 4 Teacher",
        "Year 6 Teacher",
        "Early Years Practitioner",
        "Teaching Assistant",
        "Teaching Assistant",
        "Teaching Assistant",
        "Teaching Assistant",
        "Family Liaison Officer",
        "Site Manager",
        "Midday Meals Supervisor",
        "Midday Meals Supervisor",
        "Breakfast Club Lead",
    ),
)

_TRUST_LEAD = ("Dr", "Helen", "Marlow", "Trust Safeguarding Lead")


def demo_totp_secret(email: str) -> str:
    """The fixed two-step secret of a demo login: base32 of a SHA-1 of a constant and the address."""
    digest = hashlib.sha1(f"{_TOTP_SALT}:{email.lower()}".encode(), usedforsecurity=False).digest()
    return base64.b32encode(digest).decode("ascii")


def mfa_roles() -> frozenset[str]:
    """Roles that must pass MFA: the default set plus any the installation added in settings."""
    return frozenset(str(r) for r in MFA_ROLES_DEFAULT) | frozenset(settings.HARBOUR_MFA_REQUIRED_ROLES)


def upn_check_letter(digits: str) -> str:
    """The DfE check letter for the 12 digits of a unique pupil number (the importer's rule)."""
    return importing.upn_check_letter("?" + digits)


def is_valid_upn(upn: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\d{12}", upn)) and upn[0] == upn_check_letter(upn[1:])


def year_index(year_group: str) -> int:
    return YEAR_GROUPS.index(year_group)


def birth_range(year_group: str) -> tuple[date, date]:
    """First and last birthday of the year group in 2026/27: Reception is born Sep 2021 to Aug 2022."""
    first_year = REFERENCE_DATE.year - 5 - year_index(year_group)
    return date(first_year, 9, 1), date(first_year + 1, 8, 31)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


class _Numbers:
    """Fictional phone numbers from Ofcom's drama ranges, each used once per school."""

    def __init__(self, rng: random.Random) -> None:
        self._mobiles = iter(rng.sample(range(1000), 1000))
        self._landlines = iter(rng.sample(range(1000), 1000))

    def mobile(self) -> str:
        return f"07700 900{next(self._mobiles):03d}"

    def landline(self) -> str:
        return f"01632 960{next(self._landlines):03d}"


@dataclass
class _Family:
    years: list[str]
    surname: str
    world: bool  # speaks another language at home (most of the children have EAL)
    kind: str = "two_parents"
    pupil_premium: bool = False


class _SchoolBuilder:
    """Builds one school's plan from its own random stream, so the schools do not affect each other."""

    def __init__(self, spec: _SchoolSpec, seed: int, used_emails: set[str]) -> None:
        self.spec = spec
        self.rng = random.Random(f"{seed}:{spec.slug}")
        self.numbers = _Numbers(self.rng)
        self.used_emails = used_emails
        self.upn_serials: Counter[str] = Counter()
        self.households: list[tuple[list[int], int]] = []  # (learner indices, number of carers)

    def build(self) -> SchoolPlan:
        classes = [
            ClassPlan(name=self._class_name(year, name), year_group=year, mis_id=f"CLS-{year}")
            for year, name in zip(YEAR_GROUPS, self.spec.class_names, strict=True)
        ]
        plan = SchoolPlan(
            slug=self.spec.slug,
            name=self.spec.name,
            policy_settings=copy.deepcopy(policy_defaults.BY_SLUG[self.spec.slug]),
            classes=classes,
            staff=self._staff(),
            learners=[],
            parents=[],
        )
        families = self._families()
        self._mark_care_arrangements(families)
        for family in families:
            self._add_family(plan, family)
        self._mark_vulnerabilities(plan)
        return plan

    @staticmethod
    def _class_name(year: str, name: str) -> str:
        return f"Reception {name}" if year == "R" else f"Year {year} {name}"

    # Staff

    def _staff(self) -> list[StaffPlan]:
        staff: list[StaffPlan] = []
        codes: set[str] = set()
        for person in self.spec.named_staff:
            login = None
            if person.login is not None:
                login = LoginPlan(
                    key=person.login,
                    email=f"{person.login}@{self.spec.slug}.example",
                    role=LOGIN_ROLES[person.login],
                    full_name=person.full_name or f"{person.first_name} {person.last_name}",
                    job_title=person.job_title,
                    is_named_governor=person.is_named_governor,
                    is_chair=person.is_chair,
                )
            staff.append(
                self._staff_member(person.title, person.first_name, person.last_name, person.job_title, codes, login)
            )
            staff[-1].class_years = person.class_years
        for job_title in self.spec.other_staff:
            woman = self.rng.random() < 0.75  # primary school staff are mostly women
            first = self.rng.choice(WOMEN if woman else MEN)
            title = self.rng.choice(("Mrs", "Ms", "Miss")) if woman else "Mr"
            member = self._staff_member(title, first, self.rng.choice(SURNAMES), job_title, codes, None)
            match = re.fullmatch(r"(Reception|Year (\d)) Teacher", job_title)
            if match:
                member.class_years = ("R" if match.group(1) == "Reception" else match.group(2),)
            staff.append(member)
        # Early years and teaching assistants work alongside the class teachers of the younger years.
        assistants = [s for s in staff if s.login is None and ("Assistant" in s.job_title or "Early" in s.job_title)]
        for member, year in zip(assistants, ("R", "1", "2", "6", "R"), strict=False):
            member.class_years = (year,)
        return staff

    def _staff_member(
        self, title: str, first: str, last: str, job_title: str, codes: set[str], login: LoginPlan | None
    ) -> StaffPlan:
        code = (first[0] + last[:2]).upper()
        suffix = 1
        while code in codes:
            suffix += 1
            code = f"{(first[0] + last[:2]).upper()}{suffix}"
        codes.add(code)
        if login is not None:
            email = login.email
        else:
            email = self._unique_email(f"{_ascii(first)[:1]}.{_ascii(last)}", f"{self.spec.slug}.example")
        years_in_post = self.rng.randint(0, 18)
        return StaffPlan(
            title=title,
            first_name=first,
            last_name=last,
            job_title=job_title,
            email=email,
            staff_code=code,
            mis_id=f"S{len(codes):04d}",
            started_on=date(REFERENCE_DATE.year - years_in_post, 9, 1),
            login=login,
        )

    def _unique_email(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        n = 1
        while email in self.used_emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.used_emails.add(email)
        return email

    # Families and learners

    def _families(self) -> list[_Family]:
        """Group the places in each year group into families of one to three children."""
        capacity = dict(zip(YEAR_GROUPS, self.spec.year_sizes, strict=True))
        families: list[_Family] = []
        while any(capacity.values()):
            open_years = [y for y in YEAR_GROUPS if capacity[y]]
            size = min(self.rng.choices((1, 2, 3), weights=(72, 23, 5))[0], len(open_years))
            years = sorted(self.rng.sample(open_years, size), key=year_index)
            for year in years:
                capacity[year] -= 1
            world = self.rng.random() < 0.16
            surname = self.rng.choice(SURNAMES_WORLD if world else SURNAMES)
            kind = self.rng.choices(
                ("two_parents", "mother", "father", "mother_stepfather", "grandparents", "separated"),
                weights=(58, 20, 4, 6, 3, 9),
            )[0]
            families.append(_Family(years=years, surname=surname, world=world, kind=kind))
        return families

    def _mark_care_arrangements(self, families: list[_Family]) -> None:
        """Two children in foster care, two adopted from care: realistic numbers for a primary school."""
        only_children = [i for i, f in enumerate(families) if len(f.years) == 1]
        chosen = self.rng.sample(only_children, 4)
        for i in chosen[:2]:
            families[i].kind = "foster"
        for i in chosen[2:]:
            families[i].kind = "adoptive"
        for family in families:
            family.pupil_premium = family.kind in {"foster", "adoptive"} or self.rng.random() < 0.22

    def _child_name(self, world: bool) -> tuple[str, str]:
        girl = self.rng.random() < 0.5
        if world and self.rng.random() < 0.65:
            return self.rng.choice(GIRLS_WORLD if girl else BOYS_WORLD), "F" if girl else "M"
        return self.rng.choice(GIRLS if girl else BOYS), "F" if girl else "M"

    def _upn(self, year_group: str, in_year: bool) -> str:
        if in_year:  # arrived from another school, which allocated the number
            la, establishment = self.rng.choice(("886", "887", "208", "305")), f"{self.rng.randint(2000, 3999)}"
        else:
            la, establishment = _KENT_LA, self.spec.establishment
        allocated = (REFERENCE_DATE.year - year_index(year_group)) % 100
        key = f"{la}{establishment}{allocated:02d}"
        self.upn_serials[key] += 1
        digits = f"{key}{self.upn_serials[key]:03d}"
        return upn_check_letter(digits) + digits

    def _add_family(self, plan: SchoolPlan, family: _Family) -> None:
        first_index = len(plan.learners)
        for year in family.years:
            plan.learners.append(self._learner(family, year, number=len(plan.learners) + 1))
        children = list(range(first_index, len(plan.learners)))
        address = f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}, {self.spec.town}"
        home_phone = self.numbers.landline() if self.rng.random() < 0.4 else ""
        carers = self._carers(family)
        for priority, ((title, first, last), relationship, has_pr, lives_with) in enumerate(carers, start=1):
            links = [
                LinkPlan(
                    learner=i,
                    relationship=relationship,
                    contact_priority=priority,
                    has_parental_responsibility=has_pr,
                    lives_with_learner=lives_with,
                )
                for i in children
            ]
            plan.parents.append(
                ParentPlan(
                    title=title,
                    first_name=first,
                    last_name=last,
                    email=self._unique_email(f"{_ascii(first)}.{_ascii(last)}", "example.org"),
                    mobile=self.numbers.mobile(),
                    phone=home_phone if lives_with else "",
                    address=address if lives_with else f"{self.rng.randint(1, 80)} {self.rng.choice(STREETS)}",
                    mis_id=f"C{len(plan.parents) + 1:05d}",
                    links=links,
                )
            )
        self.households.append((children, len(carers)))

    def _learner(self, family: _Family, year: str, number: int) -> LearnerPlan:
        first, gender = self._child_name(family.world)
        born_first, born_last = birth_range(year)
        start = date(REFERENCE_DATE.year - year_index(year), 9, 3)
        in_year = year != "R" and self.rng.random() < 0.08
        admitted = _random_date(self.rng, start, REFERENCE_DATE - timedelta(days=40)) if in_year else start
        return LearnerPlan(
            first_name=first,
            last_name=family.surname,
            preferred_name=NICKNAMES.get(first, "") if self.rng.random() < 0.5 else "",
            date_of_birth=_random_date(self.rng, born_first, born_last),
            gender=gender,
            year_group=year,
            upn=self._upn(year, in_year),
            mis_id=f"{self.spec.establishment}-{number:05d}",
            admitted_on=admitted,
            has_eal=family.world and self.rng.random() < 0.8,
            is_pupil_premium=family.pupil_premium,
            is_looked_after=family.kind == "foster",
            is_previously_looked_after=family.kind == "adoptive",
        )

    def _carers(self, family: _Family) -> list[tuple[tuple[str, str, str], str, bool, bool]]:
        """(title, first, last), relationship, parental responsibility, lives with the children."""
        rng = self.rng
        women = WOMEN_WORLD if family.world and rng.random() < 0.7 else WOMEN
        men = MEN_WORLD if family.world and rng.random() < 0.7 else MEN
        mother = (
            rng.choices(("Mrs", "Ms", "Miss", "Dr"), weights=(60, 22, 15, 3))[0],
            rng.choice(women),
            family.surname,
        )
        father = (rng.choices(("Mr", "Dr"), weights=(97, 3))[0], rng.choice(men), family.surname)
        other_surname = rng.choice(SURNAMES)
        carers: list[tuple[tuple[str, str, str], str, bool, bool]]
        match family.kind:
            case "mother":
                carers = [(mother, "Mother", True, True)]
            case "father":
                carers = [(father, "Father", True, True)]
            case "mother_stepfather":
                stepfather = ("Mr", rng.choice(men), other_surname)
                carers = [(mother, "Mother", True, True), (stepfather, "Stepfather", False, True)]
            case "grandparents":
                carers = [(("Mrs", rng.choice(WOMEN), family.surname), "Grandmother", True, True)]
            case "separated":
                carers = [
                    (mother, "Mother", True, True),
                    ((father[0], father[1], other_surname), "Father", True, False),
                ]
            case "foster":
                carer = (rng.choice(("Mrs", "Ms")), rng.choice(WOMEN), other_surname)
                carers = [(carer, "Foster carer", False, True)]
            case _:
                carers = [(mother, "Mother", True, True), (father, "Father", True, True)]
        if rng.random() < 0.3:
            carers.reverse()  # not every family puts the mother first
        return carers

    def _mark_vulnerabilities(self, plan: SchoolPlan) -> None:
        """Shares close to national figures for primary schools, with fixed counts so every demo has some."""
        rng = self.rng
        learners = plan.learners
        everyone = list(range(len(learners)))
        for i in rng.sample(everyone, 26):
            learners[i].send_status = Learner.SendStatus.SEN_SUPPORT
        for i in rng.sample([i for i in everyone if not learners[i].send_status], 5):
            learners[i].send_status = Learner.SendStatus.EHCP
        # Brothers and sisters come onto a child protection plan together.
        siblings = [kids for kids, _ in self.households if len(kids) > 1]
        for i in rng.choice(siblings):
            learners[i].has_child_protection_plan = True
        settled = [i for i in everyone if not learners[i].has_child_protection_plan and not learners[i].is_looked_after]
        for i in rng.sample(settled, 5):
            learners[i].has_child_in_need_plan = True
        with_one_carer = [
            kids[0] for kids, carers in self.households if carers == 1 and not learners[kids[0]].is_looked_after
        ]
        for i in rng.sample(with_one_carer, 3):
            learners[i].is_young_carer = True


def build_plan(seed: int = SEED) -> DemoPlan:
    """Everything the demo will create, without touching the database. Same seed, same plan."""
    used_emails: set[str] = set()
    schools = [_SchoolBuilder(spec, seed, used_emails).build() for spec in (_ST_JAMES, _JOY_LANE)]
    title, first, last, job_title = _TRUST_LEAD
    trust_login = LoginPlan(
        key="trust",
        email=TRUST_LOGIN_EMAIL,
        role=Role.TRUST_SAFEGUARDING_LEAD,
        full_name=f"{title} {first} {last}",
        job_title=job_title,
    )
    return DemoPlan(schools=schools, trust_login=trust_login)


def plan_digest(plan: DemoPlan) -> str:
    """A fingerprint of the people in a plan, to show two builds are identical."""
    h = hashlib.sha256()
    for school in plan.schools:
        for learner in school.learners:
            h.update(f"{school.slug}|{learner.first_name}|{learner.last_name}|{learner.upn}|".encode())
            h.update(f"{learner.date_of_birth}|{learner.year_group}\n".encode())
        for parent in school.parents:
            h.update(f"{parent.email}|{parent.mobile}|{sorted(parent.learners)}\n".encode())
        for member in school.staff:
            h.update(f"{member.email}|{member.job_title}\n".encode())
    return h.hexdigest()


# --- Writing the plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    schools: int
    learners: int
    parents: int
    staff: int
    logins: int


def demo_present() -> bool:
    """True once any school exists: ``--if-empty`` then leaves the database alone."""
    return School.objects.exists()


def _refuse_if_loaded(plan: DemoPlan) -> None:
    emails = [login.email for login in plan.logins]
    if (
        Organisation.objects.filter(slug=ORGANISATION_SLUG).exists()
        or School.objects.filter(slug__in=[s.slug for s in plan.schools]).exists()
        or User.objects.filter(email__in=emails).exists()
    ):
        raise DemoAlreadyLoaded(
            "The demo trust, its schools or its logins already exist in this database. "
            "Use --if-empty to skip loading, or start from an empty database."
        )


@transaction.atomic
def load_demo(*, password: str = DEFAULT_PASSWORD, plan: DemoPlan | None = None) -> DemoSummary:
    """Write the demo trust, schools, people and logins. Raises DemoAlreadyLoaded if any exist."""
    plan = plan or build_plan()
    _refuse_if_loaded(plan)
    # One slow hash for all the demo logins: they share the password anyway.
    hashed = make_password(password)
    users = {
        user.email: user
        for user in User.objects.bulk_create(
            [User(email=login.email, full_name=login.full_name, password=hashed) for login in plan.logins]
        )
    }
    organisation = Organisation.objects.create(
        name=ORGANISATION_NAME, slug=ORGANISATION_SLUG, kind=Organisation.Kind.TRUST
    )
    TrustRole.objects.create(
        user=users[plan.trust_login.email], organisation=organisation, role=Role.TRUST_SAFEGUARDING_LEAD
    )
    totals = Counter[str]()
    for school_plan in plan.schools:
        counts = _load_school(school_plan, organisation, users)
        totals.update(counts)
    roles_needing_mfa = mfa_roles()
    for login in plan.logins:
        # The chair of governors handles allegations about the head, so needs MFA like the leaders.
        if login.role in roles_needing_mfa or login.is_chair:
            TOTP.activate(users[login.email], login.totp_secret)
            RecoveryCodes.activate(users[login.email])
    for school in School.objects.filter(organisation=organisation):
        load_demo_concerns(school=school)
        load_policy_demo(school, copy.deepcopy(policy_defaults.BY_SLUG[school.slug]))
        load_monitoring_demo(school)
        load_filtering_demo(school, copy.deepcopy(policy_defaults.BY_SLUG[school.slug]))
    return DemoSummary(
        schools=len(plan.schools),
        learners=totals["learners"],
        parents=totals["parents"],
        staff=totals["staff"],
        logins=len(plan.logins),
    )


def _load_school(plan: SchoolPlan, organisation: Organisation, users: dict[str, User]) -> dict[str, int]:
    school = School.objects.create(
        organisation=organisation, name=plan.name, slug=plan.slug, policy_settings=plan.policy_settings
    )
    classes = {
        c.year_group: c
        for c in SchoolClass.objects.bulk_create(
            [SchoolClass(school=school, name=c.name, year_group=c.year_group, mis_id=c.mis_id) for c in plan.classes]
        )
    }
    staff = StaffMember.objects.bulk_create(
        [
            StaffMember(
                school=school,
                user=users[s.login.email] if s.login else None,
                title=s.title,
                first_name=s.first_name,
                last_name=s.last_name,
                email=s.email,
                job_title=s.job_title,
                staff_code=s.staff_code,
                mis_id=s.mis_id,
                started_on=s.started_on,
            )
            for s in plan.staff
        ]
    )
    SchoolClass.teachers.through.objects.bulk_create(
        [
            SchoolClass.teachers.through(schoolclass_id=classes[year].pk, staffmember_id=member.pk)
            for member, member_plan in zip(staff, plan.staff, strict=True)
            for year in member_plan.class_years
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=users[login.email],
                school=school,
                role=login.role,
                job_title=login.job_title,
                is_named_online_safety_governor=login.is_named_governor,
                is_chair_of_governors=login.is_chair,
            )
            for login in plan.logins
        ]
    )
    learners = Learner.objects.bulk_create(
        [Learner(school=school, school_class=classes[lp.year_group], **_learner_fields(lp)) for lp in plan.learners]
    )
    parents = Parent.objects.bulk_create(
        [
            Parent(
                school=school,
                title=p.title,
                first_name=p.first_name,
                last_name=p.last_name,
                email=p.email,
                phone=p.phone,
                mobile=p.mobile,
                address=p.address,
                mis_id=p.mis_id,
            )
            for p in plan.parents
        ]
    )
    ParentLink.objects.bulk_create(
        [
            ParentLink(
                parent=parent,
                learner=learners[link.learner],
                relationship=link.relationship,
                has_parental_responsibility=link.has_parental_responsibility,
                contact_priority=link.contact_priority,
                lives_with_learner=link.lives_with_learner,
            )
            for parent, parent_plan in zip(parents, plan.parents, strict=True)
            for link in parent_plan.links
        ]
    )
    agency_seed_from_policy(school=school)  # REP-23: the directory starts from the school's policy
    counts = {"learners": len(learners), "parents": len(parents), "staff": len(staff), "logins": len(plan.logins)}
    audit.record(
        action="demo.load",
        school=school,
        obj=school,
        changes={name: [0, number] for name, number in counts.items()},
    )
    return counts


def _learner_fields(lp: LearnerPlan) -> dict[str, Any]:
    return {
        "first_name": lp.first_name,
        "last_name": lp.last_name,
        "preferred_name": lp.preferred_name,
        "date_of_birth": lp.date_of_birth,
        "gender": lp.gender,
        "year_group": lp.year_group,
        "upn": lp.upn,
        "mis_id": lp.mis_id,
        "admitted_on": lp.admitted_on,
        "send_status": lp.send_status,
        "is_looked_after": lp.is_looked_after,
        "is_previously_looked_after": lp.is_previously_looked_after,
        "has_child_protection_plan": lp.has_child_protection_plan,
        "has_child_in_need_plan": lp.has_child_in_need_plan,
        "is_young_carer": lp.is_young_carer,
        "has_eal": lp.has_eal,
        "is_pupil_premium": lp.is_pupil_premium,
    }


# --- The logins table -------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginRow:
    place: str
    email: str
    role: str
    full_name: str
    needs_mfa: bool
    totp_secret: str


def login_rows() -> list[LoginRow]:
    """The demo logins as they are in the database, in the order of the logins table."""
    roles_needing_mfa = mfa_roles()
    order = {key: i for i, key in enumerate(LOGIN_ROLES)}
    memberships = (
        Membership.objects.filter(school__organisation__slug=ORGANISATION_SLUG, school__slug__in=SCHOOL_SLUGS)
        .select_related("user", "school")
        .order_by("school__slug", "user__email")
    )

    def sort_key(m: Membership) -> tuple[int, int, str]:
        return (SCHOOL_SLUGS.index(m.school.slug), order.get(m.user.email.split("@")[0], len(order)), m.user.email)

    trust_roles = TrustRole.objects.filter(organisation__slug=ORGANISATION_SLUG).select_related("user")
    user_ids = [m.user_id for m in memberships] + [t.user_id for t in trust_roles]
    secrets = {
        a.user_id: decrypt(a.data["secret"])
        for a in Authenticator.objects.filter(user_id__in=user_ids, type=Authenticator.Type.TOTP)
    }
    rows = [
        LoginRow(
            place=m.school.name,
            email=m.user.email,
            role=m.get_role_display(),
            full_name=m.user.display_name,
            needs_mfa=m.role in roles_needing_mfa or m.is_chair_of_governors,
            totp_secret=secrets.get(m.user_id, ""),
        )
        for m in sorted(memberships, key=sort_key)
    ]
    rows += [
        LoginRow(
            place=f"{ORGANISATION_NAME} (every school)",
            email=t.user.email,
            role=t.get_role_display(),
            full_name=t.user.display_name,
            needs_mfa=Role.TRUST_SAFEGUARDING_LEAD in roles_needing_mfa,
            totp_secret=secrets.get(t.user_id, ""),
        )
        for t in trust_roles
    ]
    return rows


def format_logins(rows: list[LoginRow], password: str) -> str:
    """The logins table and how to get past the password and the two-step check."""
    if not rows:
        return "No demo logins in this database. Load them with: python manage.py harbour_demo\n"
    headers = ("School", "Email", "Role", "Name", "MFA", "TOTP secret (demo only)")
    table = [headers] + [
        (r.place, r.email, r.role, r.full_name, "yes" if r.needs_mfa else "no", r.totp_secret or "-") for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    example = next((r.email for r in rows if r.needs_mfa), rows[0].email)
    footer = [
        "",
        f"Password for every demo login: {password}",
        "Logins marked MFA = yes ask for a 6-digit code after the password. To get it, run",
        f"  make totp EMAIL={example}",
        f"  (or: python manage.py harbour_totp {example})",
        "for the current code, or add the TOTP secret shown to an authenticator app.",
        "These passwords and secrets are published: use them only on a demo installation.",
    ]
    return "\n".join(lines + footer) + "\n"
