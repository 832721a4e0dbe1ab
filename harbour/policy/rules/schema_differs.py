"""Which variable holds each "Differs —" row of REQUIREMENTS.md (GOV-24).

The catalogue marks 34 rows where the two seed schools take different positions; each difference must
come from configuration, never from code that asks which school it is. The test
``test_schema_differs.py`` checks this table against the catalogue (every Differs row listed, every
variable known) and against the demo YAML files (each row's variables differ between the schools, or
the clause map does).
"""

from __future__ import annotations

DIFFERS_ROWS: dict[str, tuple[str, ...]] = {
    "GOV-01": ("policy_scope", "incident_procedures_location", "policy_consultees"),
    "GOV-02": ("date_written", "date_agreed", "ratification_status", "next_review_date"),
    "GOV-06": (
        "kcsie_edition",
        "eyfs_edition",
        "working_together_edition",
        "local_safeguarding_partnership",
        "covid_guidance_cited",
        "data_protection_law_cited",
    ),
    "GOV-18": ("named_governors",),
    "ROL-01": ("dsl_name", "dsl_job_title", "dsl_is_online_safety_lead", "deputy_dsl_names"),
    "REP-04": ("concern_categories_named",),
    "REP-13": ("debrief_rule",),
    "REP-15": ("advice_service", "advice_seekers"),
    "INC-STAFF-01": ("staff_misuse_referral_to", "head_role_title"),
    "INC-STAFF-03": ("staff_misuse_action_basis", "staff_device_breach_procedure"),
    "FLT-01": ("broadband_provider", "filtering_provider"),
    "DEV-GEN-05": ("device_free_rule_extends_to_visits",),
    "DEV-STF-03": ("staff_teaching_time_device_approver", "head_role_title", "staff_covid_contact_exception"),
    "DEV-STF-08": ("staff_relationship_reviewers_devices",),
    "DEV-LRN-02": ("learner_phone_rule", "phone_free_school_day"),
    "DEV-LRN-08": ("learner_contact_home_method",),
    "DEV-LRN-11": ("learner_lesson_device_use_approval",),
    "DEV-VIS-01": ("visitor_phone_rule",),
    "DEV-VIS-03": ("visitor_aup_scope",),
    "DEV-VIS-04": ("visitor_breach_report_to",),
    "DEV-OFF-02": ("work_phone_issue_criterion",),
    "DEV-CNF-01": ("confiscation_duty", "confiscation_grounds", "confiscation_trigger"),
    "DEV-CNF-04": (
        "confiscated_device_release_when",
        "confiscation_longer_for_repeat",
        "confiscated_device_release_rule",
    ),
    "DEV-SRC-01": ("device_search_rule", "searching_guidance"),
    "DEV-EXM-02": ("exam_device_reporting_scope",),
    "SOC-GEN-03": ("staff_personal_social_media_in_school_hours", "learner_personal_social_media_in_school_hours"),
    "SOC-GEN-05": ("social_media_misuse_consequences",),
    "SOC-GEN-06": ("social_media_conduct_concern_recipient",),
    "SOC-STF-10": ("staff_personal_contact_with_learners_parents",),
    "SOC-STF-13": ("relationship_exception_reviewers_social", "head_role_title"),
    "SOC-STF-16": ("personal_account_contact_report_to",),
    "SOC-LRN-02": ("learner_account_min_age_rule",),
    "SOC-OFF-01": ("official_school_channels", "pta_channels", "channel_operator", "channel_approver"),
    "SOC-OFF-03": ("leadership_channel_access",),
}
