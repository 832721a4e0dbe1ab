"""Schema variables, part 5: reporting and incidents, access and training, remote learning
(policy-variables.md §7–§9, GOV-24), plus the concern-alert settings the concerns app reads."""

from __future__ import annotations

from harbour.policy.rules.schema_types import Variable as V

REPORTING = [
    V(
        "concern_categories_named",
        "reporting.concern_categories_named",
        "text[]",
        "The kinds of online safety concern the policy names.",
        rows=("REP-04",),
    ),
    V(
        "debrief_rule",
        "reporting.debrief_rule",
        "enum",
        "Whether leaders always hold a debrief after an incident or only where appropriate.",
        choices=("if_appropriate", "always"),
        rows=("REP-13", "REP-14"),
    ),
    V(
        "acknowledge_within_minutes",
        "reporting.acknowledge_within_minutes",
        "int",
        "Minutes the DSL team has to acknowledge a new concern before the alert moves on.",
        default=60,
        rows=("REP-09",),
    ),
    V(
        "alert_head_on_new_concern",
        "reporting.alert_head_on_new_concern",
        "bool",
        "Whether the head is alerted to every new concern as well as the DSL team.",
        rows=("REP-01",),
    ),
    V(
        "staff_misuse_referral_to",
        "reporting.staff_misuse.referral_to",
        "role",
        "Who receives complaints about staff misuse.",
        rows=("INC-STAFF-01",),
    ),
    V(
        "staff_misuse_action_basis",
        "reporting.staff_misuse.action_basis",
        "text[]",
        "The policies under which action is taken about staff misuse.",
        rows=("INC-STAFF-03",),
    ),
    V(
        "staff_radicalisation_recipient",
        "reporting.staff_radicalisation_recipient",
        "role",
        "Who is told about a concern that a member of staff may be radicalised.",
        rows=("INC-RAD-03", "INC-RAD-04"),
    ),
    V(
        "filtering_breach_first_recipients",
        "reporting.filtering_breach.first_recipients",
        "role[]",
        "Who hears first about a filtering breach.",
        rows=("INC-FILT-03",),
    ),
    V(
        "filtering_breach_escalation",
        "reporting.filtering_breach.escalation",
        "text[]",
        "Where a filtering breach is escalated.",
        rows=("INC-FILT-05",),
    ),
    V(
        "filtering_breach_parent_notice",
        "reporting.filtering_breach.parent_notice",
        "enum",
        "Whether parents are always told of a filtering breach involving their child or as appropriate.",
        choices=("always", "as_appropriate"),
        rows=("INC-FILT-07",),
    ),
    V(
        "offensive_email_report_to",
        "reporting.offensive_email_report_to",
        "role[]",
        "Who is told about an offensive email.",
        rows=("EML-05",),
    ),
    V(
        "complaints_and_whistleblowing",
        "reporting.complaints_and_whistleblowing",
        "bool",
        "Whether the complaints and whistleblowing procedures are published with the policy.",
        default=True,
        rows=("REP-11",),
    ),
]

ACCESS = [
    V(
        "aup_required_before_access",
        "access.aup_required_before_access",
        "bool",
        "Whether everyone must accept an acceptable use policy before using school systems.",
        rows=("ACC-02",),
    ),
    V("aup_set", "access.aup_set", "text[]", "The acceptable use policies and codes in use.", rows=("ACC-03",)),
    V(
        "staff_training_frequency",
        "access.training.staff_frequency",
        "duration",
        "How often staff have online safety training.",
        rows=("EDU-STF-01", "EDU-STF-02", "SOC-STF-01"),
    ),
    V(
        "staff_guidance_resend_frequency",
        "access.training.guidance_resend_frequency",
        "duration",
        "How often the social media guidance is sent to staff again.",
        rows=("SOC-STF-05",),
    ),
    V(
        "parent_engagement_channels",
        "access.parent_engagement_channels",
        "text[]",
        "How the school reaches parents about online safety.",
        rows=("EDU-PAR-01", "EDU-PAR-02", "EDU-PAR-03"),
    ),
    V(
        "vulnerable_learner_groups",
        "access.vulnerable_learner_groups",
        "text[]",
        "Groups of learners who get tailored online safety teaching.",
        rows=("EDU-LRN-09",),
    ),
    V(
        "awareness_events",
        "access.awareness_events",
        "text[]",
        "Awareness days and events the school takes part in.",
        rows=("EDU-LRN-11",),
    ),
]

REMOTE_LEARNING = [
    V(
        "remote_learning_provisions_enabled",
        "remote_learning.enabled",
        "bool",
        "Whether the policy has provisions for teaching pupils remotely during closures.",
        default=False,
        rows=("RML-01",),
    ),
    V(
        "remote_learning_aup",
        "remote_learning.aup",
        "text",
        "The acceptable use policy for remote learning.",
        rows=("RML-02", "RML-06", "RML-09"),
    ),
    V(
        "remote_personal_device_approver",
        "remote_learning.personal_device_approver",
        "role",
        "Who may approve staff using a personal device for remote teaching, after a risk assessment.",
        rows=("RML-03", "RML-04", "RML-05"),
    ),
    V(
        "remote_platform_risk_assessor",
        "remote_learning.platform_risk_assessors",
        "role[]",
        "Who assesses the risks of a remote-teaching platform.",
        rows=("RML-07", "RML-08"),
    ),
]
