"""factory-boy factories shared by every app's tests."""

from __future__ import annotations

import datetime

import factory
from allauth.mfa.totp.internal.auth import TOTP

from harbour.accounts.models import Membership, TrustRole, User
from harbour.accounts.roles import Role
from harbour.people.models import Learner, Parent, ParentLink, SchoolClass, StaffMember
from harbour.schools.models import Organisation, School

TEST_PASSWORD = "correct-horse-battery-staple"
# A fixed TOTP secret lets tests compute a valid code at any moment.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Trust {n}")
    slug = factory.Sequence(lambda n: f"trust-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def mfa(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted:
            TOTP.activate(self, TEST_TOTP_SECRET)
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


class TrustRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrustRole

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    year_group = "3"


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = datetime.date(2017, 5, 4)
    year_group = "3"
    upn = factory.Sequence(lambda n: f"A{n:012d}")


class ParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parent

    school = factory.SubFactory(SchoolFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.Sequence(lambda n: f"parent{n}@example.org")


class ParentLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentLink

    parent = factory.SubFactory(ParentFactory)
    learner = factory.SubFactory(LearnerFactory)
    relationship = "Mother"
