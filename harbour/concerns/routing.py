"""Need-to-know for concerns about staff: who a concern is about, who must be left out, where it goes.

One module answers three questions for the access door (``selectors``), the predicates
(``permissions``) and the alerts (``alerts``), so they can never disagree:

- Who is the concern about? Any concern, in any category, may name one or more members of staff
  (INC-STAFF-05, INC-RAD-04, INC-IIOC-09). Named people never see it, hear of it or work on it.
- Who has a conflict of interest? A member of staff who is a parent or carer of a learner in the
  concern is left out of its alerts (REP-20) and of access to it, unless the DSL shares it with them
  by name with a reason (issue 12, point 4).
- Where does a concern about staff go? To the head; if the head is one of the people named (alone or
  with the DSL), to the chair of governors; if no chair can take it, to the school's second route
  (the trust safeguarding lead, or the LADO by email); if none is set, to the trust safeguarding
  lead, and every leader's dashboard says the route is missing. Never to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from harbour.accounts.models import Membership, TrustRole, User
from harbour.accounts.roles import Role
from harbour.concerns.models import AllegationRoute, Concern, ConcernLearner, ConcernStaffSubject
from harbour.schools.models import School

# Route kinds, stored on ``Concern.routed_to`` and shown to the reporter in plain words.
TEAM = "team"
HEAD = "head"
CHAIR = "chair"
TRUST_LEAD = "trust_lead"
LADO = "lado"
FALLBACK = "fallback"
# Last resort when there is no chair, no trust lead and no LADO address: the DSL team members not named.
TEAM_FALLBACK = "team_fallback"
HEAD_ROUTE_KINDS = (CHAIR, TRUST_LEAD, LADO, FALLBACK)

RECEIPT_WORDS = {
    TEAM: "the safeguarding team",
    HEAD: "the headteacher",
    CHAIR: "the chair of governors",
    TRUST_LEAD: "the trust's safeguarding lead",
    LADO: "the LADO (local authority designated officer)",
    FALLBACK: "the trust's safeguarding lead",
    TEAM_FALLBACK: (
        "the safeguarding team, because the school has not set who receives allegations about the headteacher"
    ),
}


@dataclass(frozen=True)
class Route:
    """Who receives a concern: logins told and given access, plus outside addresses told by email only."""

    kind: str
    users: tuple[User, ...] = ()
    emails: tuple[str, ...] = ()
    # True when the school has set no route for allegations about the head (dashboard warning).
    missing: bool = False
    user_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def words(self) -> str:
        return RECEIPT_WORDS.get(self.kind, RECEIPT_WORDS[TEAM])


def receipt_words(concern: Concern) -> str:
    """Where the report went, for the reporter: a role, never a colleague's name."""
    return RECEIPT_WORDS.get(concern.routed_to or TEAM, RECEIPT_WORDS[TEAM])


# --- who the concern is about ------------------------------------------------------------------


def subject_links(school: School) -> QuerySet[ConcernStaffSubject]:
    return ConcernStaffSubject.objects.filter(concern__school=school)


def _email_q(prefix: str, emails: set[str]) -> Q:
    """Case-insensitive match of ``prefix`` against any of ``emails`` (an empty set matches nothing)."""
    q = Q(pk__in=[])
    for address in emails:
        q |= Q(**{f"{prefix}__iexact": address})
    return q


def subject_user_ids(concern: Concern) -> set[int]:
    """Logins of the members of staff a concern is about (the ONE definition, red-team finding 2).

    A named person's login is the one linked to their staff record, OR any active member of the
    school whose login address matches the staff record's address (case-insensitive): records
    imported from the MIS often have no linked login, and the person named must still be left out.
    """
    rows = ConcernStaffSubject.objects.filter(concern=concern).values_list("staff__user_id", "staff__email")
    linked = {user_id for user_id, _ in rows if user_id}
    emails = {email.strip() for _, email in rows if email and email.strip()}
    if emails:
        linked |= set(
            Membership.objects.filter(
                _email_q("user__email", emails), school=concern.school, is_active=True
            ).values_list("user_id", flat=True)
        )
    return linked


def concern_ids_naming(school: School, user: User) -> QuerySet:
    """Concerns of the school that name this login (linked record, or a record with their address)."""
    q = Q(staff__user=user)
    if getattr(user, "email", ""):
        q |= Q(staff__email__iexact=user.email)
    return subject_links(school).filter(q).values("concern_id")


def head_subject_links(school: School) -> QuerySet[ConcernStaffSubject]:
    """Links naming a head in post: by linked login or by the head's login address."""
    # Lazy subqueries (no extra query per page): the address is compared lower-cased on both sides.
    heads = Membership.objects.filter(school=school, role=Role.HEADTEACHER, is_active=True)
    head_emails = heads.exclude(user__email="").annotate(e=Lower("user__email")).values("e")
    return (
        subject_links(school)
        .annotate(staff_email_lower=Lower("staff__email"))
        .filter(Q(staff__user__in=heads.values("user_id")) | Q(staff_email_lower__in=head_emails))
    )


def subject_emails(concern: Concern) -> set[str]:
    rows = ConcernStaffSubject.objects.filter(concern=concern).values_list("staff__email", "staff__user__email")
    return {address.strip().lower() for pair in rows for address in pair if address and address.strip()}


def has_subjects(concern: Concern) -> bool:
    if concern.pk is None:
        return False
    return ConcernStaffSubject.objects.filter(concern=concern).exists()


def head_user_ids(school: School) -> QuerySet:
    return Membership.objects.filter(school=school, role=Role.HEADTEACHER, is_active=True).values("user_id")


def about_head(concern: Concern) -> bool:
    """The head is one of the people named, or the school has no head in post to take it."""
    heads = set(head_user_ids(concern.school).values_list("user_id", flat=True))
    return not heads or bool(heads & subject_user_ids(concern))


# --- conflict of interest ----------------------------------------------------------------------


def conflicted_concern_ids(*, school: School, user: User) -> QuerySet:
    """Concerns of the school involving a learner whose parent or carer has this login's address (REP-20)."""
    if not user.email:
        return ConcernLearner.objects.none().values("concern_id")
    return ConcernLearner.objects.filter(
        concern__school=school, learner__parent_links__parent__email__iexact=user.email
    ).values("concern_id")


def is_conflicted(*, concern: Concern, user: User) -> bool:
    return conflicted_concern_ids(school=concern.school, user=user).filter(concern_id=concern.pk).exists()


def has_live_share(*, concern: Concern, user: User) -> bool:
    return concern.shares.filter(user=user, revoked_at__isnull=True).exists()


# --- where a concern about staff goes ----------------------------------------------------------


def _members(school: School, flt: Q) -> list[User]:
    rows = Membership.objects.filter(flt, school=school, is_active=True, user__is_active=True).select_related("user")
    return [m.user for m in rows.order_by("user__email")]


def _trust_leads(school: School) -> list[User]:
    if school.organisation_id is None:
        return []
    rows = TrustRole.objects.filter(organisation_id=school.organisation_id, is_active=True, user__is_active=True)
    return [t.user for t in rows.select_related("user").order_by("user__email")]


def lado_emails(school: School) -> list[str]:
    """The LADO address the school set on its route, else the LADO in its agency directory."""
    configured = AllegationRoute.objects.filter(school=school).values_list("lado_email", flat=True).first()
    if configured:
        return [configured]
    from harbour.concerns.models import Agency

    return list(
        Agency.objects.filter(school=school, kind=Agency.Kind.LADO, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)[:1]
    )


def second_route(school: School) -> str:
    return AllegationRoute.objects.filter(school=school).values_list("second_route", flat=True).first() or ""


def chairs(school: School) -> list[User]:
    # Only a governor can be chair (red-team finding 1): a stray flag on another role is ignored.
    return _members(school, Q(is_chair_of_governors=True, role=Role.GOVERNOR))


def _route(kind: str, users: list[User], *, emails: list[str] | None = None, missing: bool = False) -> Route:
    return Route(
        kind=kind,
        users=tuple(users),
        emails=tuple(emails or ()),
        missing=missing,
        user_ids=frozenset(u.pk for u in users),
    )


def head_route(school: School, *, exclude: set[int] | None = None) -> Route:
    """Where an allegation about the head goes (INC-STAFF-05, issue 12 point 2).

    ``exclude`` holds logins that may not receive this one concern (the people named, anyone
    conflicted); without it the answer is the school-wide route used by the access door.
    """
    exclude = exclude or set()
    chair = [u for u in chairs(school) if u.pk not in exclude]
    if chair:
        return _route(CHAIR, chair)
    leads = [u for u in _trust_leads(school) if u.pk not in exclude]
    configured = second_route(school)
    if configured == AllegationRoute.Second.LADO and lado_emails(school):
        # The LADO has no login: told by email; a trust lead, if any, keeps the record in Harbour.
        return _route(LADO, leads, emails=lado_emails(school))
    if configured == AllegationRoute.Second.TRUST_LEAD and leads:
        return _route(TRUST_LEAD, leads)
    # No route set (or the one set cannot be reached): never to nobody.
    if leads:
        return _route(FALLBACK, leads, missing=True)
    if lado_emails(school):
        return _route(LADO, [], emails=lado_emails(school), missing=True)
    team = [u for u in _members(school, Q(role__in=[Role.DSL, Role.DEPUTY_DSL])) if u.pk not in exclude]
    return _route(TEAM_FALLBACK, team, missing=True)


def route_missing(school: School) -> bool:
    """No chair of governors and no second route: allegations about the head would fall back."""
    if chairs(school):
        return False
    configured = second_route(school)
    if configured == AllegationRoute.Second.TRUST_LEAD and _trust_leads(school):
        return False
    return not (configured == AllegationRoute.Second.LADO and lado_emails(school))


def route_for(concern: Concern) -> Route:
    """Where a concern naming members of staff goes: the head, or the head route when the head is named."""
    excluded = subject_user_ids(concern) | excluded_by_conflict(concern)
    if not about_head(concern):
        heads = [u for u in _members(concern.school, Q(role=Role.HEADTEACHER)) if u.pk not in excluded]
        if heads:
            return _route(HEAD, heads)
    return head_route(concern.school, exclude=excluded)


def excluded_by_conflict(concern: Concern) -> set[int]:
    """Logins of the school whose address is a parent's or carer's of a learner in the concern (REP-20)."""
    emails = set(
        ConcernLearner.objects.filter(concern=concern)
        .exclude(learner__parent_links__parent__email="")
        .values_list("learner__parent_links__parent__email", flat=True)
    )
    if not emails:
        return set()
    q = Q()
    for address in emails:
        if address:
            q |= Q(email__iexact=address)
    return set(User.objects.filter(q).values_list("pk", flat=True)) if q else set()
