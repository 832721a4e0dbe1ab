"""Schema variables, part 1: the version, the school and its policy, people and roles, guidance and
agencies (policy-variables.md §1–§3, plus the school-profile variables other schools need: GOV-24).

The help texts are Harbour's own words.
"""

from __future__ import annotations

from harbour.policy.rules.schema_types import Variable as V

VERSION = [
    V(
        "effective_from",
        "effective_from",
        "date",
        "The date this configuration takes effect. A single value can carry its own later date "
        "(see the value form {value: ..., effective_from: ...}).",
        rows=("GOV-24",),
    ),
]

IDENTITY = [
    V(
        "school_name",
        "identity.school.name",
        "text",
        "The school's full name, as shown at the top of the policy.",
        nullable=False,
        required_for_publication=True,
        label="School name",
        rows=("GOV-01", "GOV-09", "GOV-19"),
    ),
    V(
        "school_phase",
        "identity.school.phase",
        "enum",
        "The kind of setting. It decides which age-related wording and duties apply (early years, "
        "examinations, sixth form).",
        # Issue #21 point 3: alternative provision and out-of-school settings write policies too.
        choices=(
            "nursery",
            "primary",
            "secondary",
            "all_through",
            "special",
            "alternative_provision",
            "out_of_school_setting",
        ),
        default="primary",
    ),
    V(
        "school_nation",
        "identity.school.nation",
        "enum",
        "The UK nation the school is in. Statutory safeguarding guidance has different names and "
        "editions in each nation.",
        choices=("england", "wales", "scotland", "northern_ireland"),
        default="england",
    ),
    V(
        "local_authority",
        "identity.school.local_authority",
        "text",
        "The local authority whose procedures and services the school follows.",
    ),
    V("school_website", "identity.school.website", "text", "The school's public website address."),
    V(
        "policy_title",
        "identity.policy.title",
        "text",
        "The title of the policy document.",
        rows=("GOV-01", "GOV-09"),
    ),
    V(
        "policy_scope",
        "identity.policy.scope",
        "enum",
        "Whether this is a whole-school online safety policy or a topic policy (mobile technology and "
        "social media) that leaves other topics to the child protection policy.",
        choices=("topic_mobile_and_social_media", "whole_school_online_safety"),
        default="whole_school_online_safety",
        rows=("GOV-01", "GOV-10"),
    ),
    V(
        "policy_template_basis",
        "identity.policy.template_basis",
        "text",
        "The template or model policy this one was adapted from.",
        rows=("GOV-01",),
    ),
    V(
        "policy_consultees",
        "identity.policy.consultees",
        "text[]",
        "Who was consulted while the policy was written.",
        rows=("GOV-05",),
    ),
    V(
        "incident_procedures_location",
        "identity.policy.incident_procedures_location",
        "enum",
        "Where the step-by-step procedures for each kind of incident live: in this policy or in the "
        "child protection policy.",
        choices=("in_this_policy", "child_protection_policy"),
        rows=("REP-04", "INC-YPSI-02", "INC-CSAE-02", "INC-IIOC-03"),
    ),
    V(
        "risk_area_model",
        "identity.policy.risk_area_model",
        "text[]",
        "The risk areas the school uses to classify online harm (for example content, contact, conduct).",
        rows=("GOV-11",),
    ),
    V(
        "linked_policies",
        "identity.policy.linked_policies",
        "text[]",
        "Other school policies this one relies on; rules and workflows point to them.",
        rows=("GOV-08", "GOV-09"),
    ),
    V(
        "curriculum_vehicles",
        "identity.policy.curriculum_vehicles",
        "text[]",
        "The subjects and schemes through which online safety is taught.",
        rows=("EDU-LRN-01", "SOC-LRN-01"),
    ),
    V(
        "date_written",
        "identity.dates.written",
        "month-or-date",
        "When this version was written or last updated.",
        rows=("GOV-02",),
    ),
    V(
        "date_agreed",
        "identity.dates.agreed",
        "month-or-date",
        "When this version was agreed (approved).",
        required_for_publication=True,
        label="Approval date",
        rows=("GOV-02", "GOV-19"),
    ),
    V(
        "ratification_status",
        "identity.dates.ratification_status",
        "enum",
        "Whether the governing body has ratified the policy or it is agreed and awaiting ratification.",
        choices=("ratified", "agreed_pending_ratification"),
        rows=("GOV-02", "GOV-19"),
    ),
    V(
        "next_review_date",
        "identity.dates.next_review",
        "month-or-date",
        "When the policy is next due for review.",
        required_for_publication=True,
        label="Next review date",
        rows=("GOV-02", "GOV-03", "GOV-19"),
    ),
    V(
        "review_interval_max",
        "identity.review.interval_max",
        "duration",
        "The longest the policy may go without a review.",
        default="P12M",
        rows=("GOV-03",),
    ),
    V(
        "review_triggers",
        "identity.review.triggers",
        "text[]",
        "Events that call for a review before the routine date.",
        rows=("GOV-04",),
    ),
    V(
        "risk_review_interval",
        "identity.review.risk_review_interval",
        "duration",
        "How often leaders review the way online risks are identified, assessed and reduced.",
        rows=("GOV-21",),
    ),
    V(
        "monitoring_review_frequency",
        "identity.review.monitoring_review_frequency",
        "duration",
        "How often the monitoring of internet use on school devices and systems is evaluated.",
        rows=("GOV-16",),
    ),
]

PEOPLE = [
    V(
        "dsl_name",
        "people.dsl.name",
        "text",
        "The designated safeguarding lead named in the policy.",
        required_for_publication=True,
        label="Designated safeguarding lead",
        rows=("ROL-01", "GOV-09", "GOV-19"),
    ),
    V("dsl_job_title", "people.dsl.job_title", "text", "The DSL's job title.", rows=("ROL-01",)),
    V(
        "dsl_is_online_safety_lead",
        "people.dsl.is_online_safety_lead",
        "bool",
        "Whether the DSL is also the school's online safety lead.",
        rows=("ROL-01",),
    ),
    V(
        "deputy_dsl_names",
        "people.dsl.deputies",
        "text[]",
        "The deputy safeguarding leads, in the order alerts should reach them.",
        rows=("ROL-01", "ROL-02", "REP-01"),
    ),
    V(
        "online_safety_lead_name",
        "people.online_safety_lead",
        "text",
        "The online safety lead, where that is someone other than the DSL.",
        rows=("ROL-01",),
    ),
    V(
        "named_governors",
        "people.governors.named",
        "text[]",
        "The governor or governors with lead responsibility for online safety.",
        required_for_publication=True,
        label="Named governor",
        rows=("GOV-18", "GOV-13", "GOV-19"),
    ),
    V(
        "governing_body_name",
        "people.governors.body_name",
        "text",
        "What the school calls its governing body (for example 'governing body', 'local governing board').",
        default="governing body",
        rows=("GOV-05", "GOV-13"),
    ),
    V(
        "governor_report_scope",
        "people.governors.report_scope",
        "text[]",
        "What the governors' online safety report covers.",
        rows=("GOV-13",),
    ),
    V(
        "governor_report_frequency",
        "people.governors.report_frequency",
        "duration",
        "How often governors receive the online safety report.",
        rows=("GOV-14",),
    ),
    V(
        "staff_definition_includes",
        "people.staff_definition_includes",
        "text[]",
        "Who the policy counts as staff besides employees (for example governor, volunteer, contractor, "
        "visitor). Left empty, Harbour uses the wide definition both template families give.",
        rows=("GOV-10",),
    ),
    V(
        "head_role_title",
        "people.head.title",
        "text",
        "What the school calls its head (for example Headteacher, Executive Headteacher, Principal). "
        "Rules always route to the head role; this is only the title shown.",
        default="Headteacher",
        rows=("GOV-12", "INC-STAFF-01"),
    ),
    V(
        "oversight_recipient",
        "people.head.oversight_recipient",
        "role",
        "Who receives the oversight view of online safety concerns.",
        rows=("GOV-12", "REP-01"),
    ),
    V(
        "leadership_body_names",
        "people.leadership.names",
        "text[]",
        "The names the policy uses for its leadership team; all of them mean the one leadership role.",
        rows=("GOV-15",),
    ),
    V(
        "technical_role_name",
        "people.technical_role_name",
        "text",
        "What the school calls the person who runs its technical systems.",
        rows=("INC-FILT-03", "INC-FILT-05", "EML-05"),
    ),
    V(
        "lp_site_administrator",
        "people.lp_site_administrator",
        "role",
        "Who administers the learning platform.",
        rows=("LP-06",),
    ),
    V(
        "pta_officers",
        "people.pta_officers",
        "role[]",
        "PTA roles the policy gives duties to (approving or checking PTA channels).",
        rows=("SOC-OFF-01", "SOC-OFF-07"),
    ),
    V(
        "allegation_against_head_or_dsl_route",
        "people.allegation_against_head_or_dsl_route",
        "role",
        "Who handles an allegation about the head or the DSL; agree this with the school.",
        rows=("INC-STAFF-05",),
    ),
    # Issue #21 point 3: lists, so a federation, a trust or a school with a DPO and an IT company can
    # name everyone its policy names. Edited in the YAML file (the web form keeps the single fields).
    V(
        "key_people",
        "people.key_people",
        "person[]",
        "Everyone the policy names, each with a role (dsl, deputy_dsl, online_safety_lead, "
        "data_protection_officer, data_protection_lead, pshe_rshe_lead, network_manager, it_provider, "
        "link_governor, chair_of_governors, trust_safeguarding_lead, …), a name, and optionally a contact, "
        "notes and, in a federation, the school.",
        rows=("GOV-18", "ROL-01"),
        extra={"yaml_only": True},
    ),
    V(
        "governance_bodies",
        "people.bodies",
        "body[]",
        "The bodies that adopt and review the policy: kind (governing_board, committee, "
        "local_governing_body, trust_board, proprietor, management_committee), name, adopts, reviews.",
        rows=("GOV-02", "GOV-05"),
        extra={"yaml_only": True},
    ),
]
