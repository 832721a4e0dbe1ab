"""Roles and what each may do: the single role → capability map (ROL-01, ROL-08).

Everything that asks "may this person do X?" ends up here, and the "who can do what" page is
generated from these tables, so the page can never drift from the code. Plain Python, no Django
model import, so it can be read and tested alone.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    DSL = "dsl", "Designated safeguarding lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy safeguarding lead"
    HEADTEACHER = "headteacher", "Headteacher"
    SLT = "slt", "Senior leadership"
    TEACHER = "teacher", "Teacher"
    SUPPORT_STAFF = "support_staff", "Support staff"
    TECHNICIAN = "technician", "Technician"
    OFFICE = "office", "Office staff"
    GOVERNOR = "governor", "Governor"
    TRUST_SAFEGUARDING_LEAD = "trust_safeguarding_lead", "Trust safeguarding lead"
    TRUST_AUDITOR = "trust_auditor", "Trust auditor"
    SCHOOL_ADMIN = "school_admin", "School administrator"


class Capability(StrEnum):
    VIEW_ALL_LEARNERS = "view_all_learners"
    VIEW_CLASS_LEARNERS = "view_class_learners"
    VIEW_VULNERABILITY = "view_vulnerability"
    VIEW_PARENTS = "view_parents"
    VIEW_STAFF = "view_staff"
    VIEW_CLASSES = "view_classes"
    IMPORT_PEOPLE = "import_people"
    VIEW_MEMBERSHIPS = "view_memberships"
    MANAGE_MEMBERSHIPS = "manage_memberships"
    VIEW_AUDIT = "view_audit"
    AUDIT_EVERY_RECORD = "audit_every_record"
    VIEW_SCHOOL_SUMMARY = "view_school_summary"
    USE_API = "use_api"
    REPORT_CONCERN = "report_concern"
    HANDLE_CONCERNS = "handle_concerns"
    READ_CONCERNS = "read_concerns"
    VIEW_POLICY_RECORDS = "view_policy_records"
    MANAGE_POLICY = "manage_policy"
    UPLOAD_FILTER_LOGS = "upload_filter_logs"
    HANDLE_FILTER_ALERTS = "handle_filter_alerts"
    VIEW_FILTERING_STANDARDS = "view_filtering_standards"
    MANAGE_FILTERING_STANDARDS = "manage_filtering_standards"
    HANDLE_FILTERING_BREACHES = "handle_filtering_breaches"
    APPOINT_SAFEGUARDING_LEADS = "appoint_safeguarding_leads"


CAPABILITY_LABELS: dict[Capability, str] = {
    Capability.VIEW_ALL_LEARNERS: "See every learner in the school",
    Capability.VIEW_CLASS_LEARNERS: "See the learners in the classes they teach or support",
    Capability.VIEW_VULNERABILITY: "See SEND, looked-after and other vulnerability flags",
    Capability.VIEW_PARENTS: "See parents' and carers' contact details",
    Capability.VIEW_STAFF: "See the staff list",
    Capability.VIEW_CLASSES: "See classes and who teaches them",
    Capability.IMPORT_PEOPLE: "Import learners, staff, parents and classes from the MIS",
    Capability.VIEW_MEMBERSHIPS: "See who has a Harbour login and in which role",
    Capability.MANAGE_MEMBERSHIPS: "Invite people, change roles, deactivate leavers",
    Capability.VIEW_AUDIT: "Browse and export the audit trail (events about records they may open)",
    Capability.AUDIT_EVERY_RECORD: "Read the audit trail of every record, allegations about staff included",
    Capability.VIEW_SCHOOL_SUMMARY: "See anonymised school-level figures",
    Capability.USE_API: "Create personal API tokens and use the API",
    Capability.REPORT_CONCERN: "Log a safeguarding concern and follow its receipt",
    Capability.HANDLE_CONCERNS: "See and handle the school's concerns (allegations about staff: head only)",
    Capability.READ_CONCERNS: "Read the school's concerns without changing them",
    Capability.VIEW_POLICY_RECORDS: "See policy versions, reviews, registers and who has acknowledged",
    Capability.MANAGE_POLICY: "Edit the policy configuration, move versions through approval, run reviews",
    Capability.UPLOAD_FILTER_LOGS: "Upload filtering logs and device-to-person mappings",
    Capability.HANDLE_FILTER_ALERTS: "Work the filtering and monitoring alert queue",
    Capability.VIEW_FILTERING_STANDARDS: "See the filtering and monitoring standards register",
    Capability.MANAGE_FILTERING_STANDARDS: "Keep the filtering and monitoring register and its checks",
    Capability.HANDLE_FILTERING_BREACHES: "See and work reported filtering breaches",
    Capability.APPOINT_SAFEGUARDING_LEADS: "Appoint or remove the DSL and deputy DSLs",
}

C = Capability
_EVERY_STAFF_ROLE = {
    C.VIEW_STAFF,
    C.VIEW_CLASSES,
    C.VIEW_SCHOOL_SUMMARY,
    C.USE_API,
    C.REPORT_CONCERN,
    C.VIEW_POLICY_RECORDS,
    C.VIEW_FILTERING_STANDARDS,
}
_POLICY_AND_FILTERING_LEADS = {C.MANAGE_POLICY, C.MANAGE_FILTERING_STANDARDS}
_FILTER_ALERTS = {C.HANDLE_FILTER_ALERTS, C.UPLOAD_FILTER_LOGS, C.HANDLE_FILTERING_BREACHES}
_SAFEGUARDING_READ = {C.VIEW_ALL_LEARNERS, C.VIEW_VULNERABILITY, C.VIEW_PARENTS, C.VIEW_MEMBERSHIPS}
_CONCERN_TEAM = {C.HANDLE_CONCERNS, C.READ_CONCERNS}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.DSL: frozenset(
        _EVERY_STAFF_ROLE
        | _SAFEGUARDING_READ
        | _CONCERN_TEAM
        | _POLICY_AND_FILTERING_LEADS
        | _FILTER_ALERTS
        # The DSL imports the vulnerability flag columns, which office staff may not (issue #12.6).
        | {C.VIEW_AUDIT, C.IMPORT_PEOPLE}
    ),
    Role.DEPUTY_DSL: frozenset(_EVERY_STAFF_ROLE | _SAFEGUARDING_READ | _CONCERN_TEAM | _FILTER_ALERTS),
    Role.HEADTEACHER: frozenset(
        _EVERY_STAFF_ROLE
        | _SAFEGUARDING_READ
        | _CONCERN_TEAM
        | _POLICY_AND_FILTERING_LEADS
        | _FILTER_ALERTS
        | {C.VIEW_AUDIT, C.MANAGE_MEMBERSHIPS, C.APPOINT_SAFEGUARDING_LEADS}
    ),
    Role.SLT: frozenset(_EVERY_STAFF_ROLE | _POLICY_AND_FILTERING_LEADS | {C.VIEW_ALL_LEARNERS, C.VIEW_PARENTS}),
    Role.TEACHER: frozenset(_EVERY_STAFF_ROLE | {C.VIEW_CLASS_LEARNERS}),
    Role.SUPPORT_STAFF: frozenset(_EVERY_STAFF_ROLE | {C.VIEW_CLASS_LEARNERS}),
    Role.TECHNICIAN: frozenset(
        _EVERY_STAFF_ROLE | {C.UPLOAD_FILTER_LOGS, C.MANAGE_FILTERING_STANDARDS, C.HANDLE_FILTERING_BREACHES}
    ),
    Role.OFFICE: frozenset(_EVERY_STAFF_ROLE | {C.VIEW_ALL_LEARNERS, C.VIEW_PARENTS, C.IMPORT_PEOPLE}),
    Role.GOVERNOR: frozenset({C.VIEW_SCHOOL_SUMMARY, C.VIEW_POLICY_RECORDS, C.VIEW_FILTERING_STANDARDS}),
    Role.TRUST_SAFEGUARDING_LEAD: frozenset(
        (_EVERY_STAFF_ROLE - {C.REPORT_CONCERN})
        | _SAFEGUARDING_READ
        | {C.VIEW_AUDIT, C.READ_CONCERNS, C.APPOINT_SAFEGUARDING_LEADS}
    ),
    # Independent oversight of who did what, restricted records included; reads the trail only
    # (issue 12 point 3): no concern, learner or other record opens to this role.
    Role.TRUST_AUDITOR: frozenset({C.VIEW_AUDIT, C.AUDIT_EVERY_RECORD, C.VIEW_SCHOOL_SUMMARY, C.USE_API}),
    Role.SCHOOL_ADMIN: frozenset(
        _EVERY_STAFF_ROLE
        | {C.VIEW_ALL_LEARNERS, C.VIEW_PARENTS, C.IMPORT_PEOPLE, C.VIEW_MEMBERSHIPS, C.MANAGE_MEMBERSHIPS}
        | {C.MANAGE_POLICY, C.UPLOAD_FILTER_LOGS}
    ),
}

# Roles whose holders must have passed MFA before any safeguarding page (settings can extend it).
MFA_ROLES_DEFAULT = frozenset(
    {Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_SAFEGUARDING_LEAD, Role.TRUST_AUDITOR}
)

# Roles that read but never change anything in a school.
READ_ONLY_ROLES = frozenset({Role.TRUST_SAFEGUARDING_LEAD, Role.TRUST_AUDITOR, Role.GOVERNOR})

# Roles held across a trust (``TrustRole``), never given in a school's own "who does what".
TRUST_ROLES = frozenset({Role.TRUST_SAFEGUARDING_LEAD, Role.TRUST_AUDITOR})


def has_capability(role: str, capability: Capability) -> bool:
    try:
        return capability in ROLE_CAPABILITIES[Role(role)]
    except ValueError:
        return False


def capability_matrix() -> list[tuple[Capability, str, list[bool]]]:
    """Rows for the "who can do what" page: each capability with a tick per role, in Role order."""
    roles = list(Role)
    return [(cap, CAPABILITY_LABELS[cap], [cap in ROLE_CAPABILITIES[role] for role in roles]) for cap in Capability]


# --- Who may give which role (issue #12 point 5) ------------------------------------------------

# How much each role may see and decide, highest first. Nobody may give a role ranked above their
# own, nor change the role of someone ranked above them, nor change their own role. The ranks
# follow access to safeguarding information, not seniority in the staff room: a school
# administrator manages logins but sees no concern, so ranks below the safeguarding team.
ROLE_RANK: dict[Role, int] = {
    Role.TRUST_SAFEGUARDING_LEAD: 100,
    Role.HEADTEACHER: 90,
    Role.DSL: 80,
    Role.DEPUTY_DSL: 70,
    Role.SCHOOL_ADMIN: 60,
    Role.SLT: 50,
    Role.OFFICE: 40,
    Role.TECHNICIAN: 30,
    Role.TEACHER: 30,
    Role.SUPPORT_STAFF: 30,
    Role.GOVERNOR: 20,
    # Reads the audit trail only, across the trust; held through TrustRole, never given in a school.
    Role.TRUST_AUDITOR: 10,
}

# Appointing or removing these needs APPOINT_SAFEGUARDING_LEADS (the head, or the trust lead).
SAFEGUARDING_LEAD_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL})


def role_rank(role: str) -> int:
    """Unknown roles (and any role added without a rank) rank lowest, so they can grant nothing."""
    try:
        return ROLE_RANK.get(Role(role), 0)
    except ValueError:
        return 0


def role_change_refusal(*, actor_role: str, current_role: str | None, new_role: str, is_self: bool) -> str | None:
    """Why ``actor_role`` may not move someone from ``current_role`` (None: a new login) to
    ``new_role``, in words for the person asking; None when the change is allowed."""
    if is_self:
        return "Nobody can change their own role. Ask the headteacher or another administrator."
    touches_leads = new_role in SAFEGUARDING_LEAD_ROLES or current_role in SAFEGUARDING_LEAD_ROLES
    if touches_leads and new_role != current_role and not has_capability(actor_role, C.APPOINT_SAFEGUARDING_LEADS):
        return (
            "Only the headteacher (or the trust's safeguarding lead) can appoint or remove a "
            "designated safeguarding lead or deputy."
        )
    if touches_leads and has_capability(actor_role, C.APPOINT_SAFEGUARDING_LEADS):
        return None
    if not has_capability(actor_role, C.MANAGE_MEMBERSHIPS):
        return "Your role cannot change other people's roles."
    ceiling = role_rank(actor_role)
    if role_rank(new_role) > ceiling:
        return "You cannot give someone a role above your own."
    if current_role is not None and role_rank(current_role) > ceiling:
        return "You cannot change the role of someone whose role is above your own."
    return None


def deactivation_refusal(*, actor_role: str, member_role: str) -> str | None:
    """Why ``actor_role`` may not end the access of someone in ``member_role``; None if allowed."""
    if member_role in SAFEGUARDING_LEAD_ROLES and not has_capability(actor_role, C.APPOINT_SAFEGUARDING_LEADS):
        return "Only the headteacher (or the trust's safeguarding lead) can end a DSL's or deputy's access."
    if role_rank(member_role) > role_rank(actor_role):
        return "You cannot end the access of someone whose role is above your own."
    return None


def grantable_roles(actor_role: str) -> list[Role]:
    """The school roles ``actor_role`` may give to someone else, in Role order."""
    return [
        role
        for role in Role
        if role not in TRUST_ROLES
        and role_change_refusal(actor_role=actor_role, current_role=None, new_role=role, is_self=False) is None
    ]
