"""The policy variables of the two seed schools, as the demo loads them (GOV-24).

Each dict is keyed by the variable names of policy-variables.md, every section included. The values are
data taken from each school's own published policy, so they may quote it.

How the values are written:

* ``None`` means the school's policy is silent (or the feature does not exist there): the product
  falls back to a default or asks the school. An empty list means the policy says "none".
* ``year-month`` values are ISO strings ("2020-09"); editions are plain years (ints).
* ``duration`` values are ISO 8601 durations ("P12M") when the policy fixes one, or "regular" when it
  only says "regularly" without a period.
* ``role`` / ``role[]`` values use the keys of the role register (harbour.accounts.roles.Role: "dsl",
  "deputy_dsl", "headteacher", "slt", "technician", "governor") and snake_case keys for roles outside it
  ("pta_chair", "line_manager"). What a school *calls* its head lives in ``head_role_title``, so
  Joy Lane's Executive Headteacher is still the ``headteacher`` role.
* ``contact[]`` values are lists of dicts with name, role, email, phone, url and last_verified.
* ``deputy_dsl_names`` lists the demo deputies: St James' policy mentions deputies without naming them
  and Joy Lane's names none, but a school using Harbour records the deputies it has (ROL-01, ROL-02).
"""

from __future__ import annotations

from typing import Any

# The demo logins' names that the policies also name; demo.py uses the same constants.
ST_JAMES_DSL = "Lucy Hayward"
ST_JAMES_DEPUTY_DSL = "Sarah Okonjo"
ST_JAMES_GOVERNORS = ["Jess Austen", "Matt Atkinson"]
JOY_LANE_DSL = "Ms D Hines"
JOY_LANE_DEPUTY_DSL = "Rajesh Mistry"
JOY_LANE_GOVERNORS = ["Mrs S Strudley"]


def _contact(name: str, role: str = "", email: str = "", phone: str = "", url: str = "") -> dict[str, Any]:
    return {"name": name, "role": role, "email": email, "phone": phone, "url": url, "last_verified": None}


ST_JAMES: dict[str, Any] = {
    # 1. Identity, document and review
    "school_name": "St James' CE Primary School",
    "policy_title": "Online Safety: Mobile Technology and Social Media Policy",
    "policy_scope": "topic_mobile_and_social_media",
    "policy_template_basis": "The Education People policy template",
    "policy_consultees": ["staff", "learners", "parents/carers", "specialist advice as required"],
    "incident_procedures_location": "child_protection_policy",
    "risk_area_model": None,
    "date_written": "2020-09",
    "date_agreed": "2020-09",
    "ratification_status": "ratified",
    "next_review_date": "2021-09",
    "review_interval_max": "P12M",
    "review_triggers": [
        "concerns",
        "updates to national or local guidance or procedures",
        "national or local policy updates",
        "local child protection concerns",
        "changes to technical infrastructure",
    ],
    "linked_policies": [
        "anti-bullying",
        "AUPs and Staff Code of Conduct",
        "behaviour and discipline",
        "cameras and image use",
        "child protection",
        "confidentiality",
        "curriculum (Computing, PSHE, Citizenship, RSE)",
        "data security",
        "searching, screening and confiscation",
    ],
    "curriculum_vehicles": ["Computing", "PSHE", "Citizenship", "RSE", "RSE policy", "Computing Scheme of Work"],
    # 2. People and roles
    "dsl_name": ST_JAMES_DSL,
    "dsl_job_title": "Deputy Headteacher",
    "dsl_is_online_safety_lead": None,
    "deputy_dsl_names": [ST_JAMES_DEPUTY_DSL],
    "named_governors": list(ST_JAMES_GOVERNORS),
    "head_role_title": "Headteacher",
    "leadership_body_names": ["leadership team", "leadership staff"],
    "technical_role_name": None,
    "lp_site_administrator": None,
    "pta_officers": ["pta_chair", "pta_member"],
    "oversight_recipient": "headteacher",
    "governor_report_scope": ["online safety practice", "incidents", "outcomes"],
    "governor_report_frequency": "regular",
    "allegation_against_head_or_dsl_route": None,
    # 3. Guidance editions, agencies and contacts
    "kcsie_edition": 2020,
    "eyfs_edition": 2017,
    "working_together_edition": 2018,
    "local_safeguarding_partnership": "Kent Safeguarding Children Multi-agency Partnership (KSCMP)",
    "data_protection_law_cited": None,
    "covid_guidance_cited": "DfE 'Safeguarding and remote education during coronavirus (COVID-19)', 2020",
    "searching_guidance": "DfE 'Searching, Screening and Confiscation'",
    "advice_service": "The Education People's Education Safeguarding Service",
    "advice_seekers": ["dsl", "deputy_dsl", "headteacher"],
    "police_service": "the police (101; 999 in an emergency)",
    "illegal_activity_first_contacts": ["police"],
    "external_sharing_precondition": None,
    "childrens_social_care_name": None,
    "cse_intelligence_recipient": None,
    "illegal_content_reporting_bodies": ["police"],
    "lado": "LADO (Local Authority Designated Officer)",
    "local_online_safety_contacts": [],
    "technical_support_contacts": [],
    "national_support_links": [],
    "click_ceop_button": None,
    "anti_bullying_policy_url": None,
    # 4. Technology, providers and systems
    "broadband_provider": None,
    "filtering_provider": None,
    "monitoring_system": None,
    "filtering_check_frequency": None,
    "safeguarding_recording_system": None,
    "learning_platform": None,
    "progress_tracking_systems": None,
    "child_safe_search_tool": None,
    "approved_online_resources": None,
    "internet_supervision_model": None,
    "pupil_accounts_from_year": None,
    "classroom_technology": ["computers", "tablets", "mobile phones", "smart watches", "games consoles"],
    # 5. Social media
    "official_school_channels": [],
    "pta_channels": ["Facebook Page", "Parent Rep Facebook Groups", "Instagram", "Twitter"],
    "channel_operator": "pta",
    "channel_purpose": "PTA community engagement",
    "channel_approver": "pta_chair",
    "leadership_channel_access": "none_periodic_content_check",
    "channel_registration_email": None,
    "post_second_reader": "pta_member",
    "staff_social_media_aup_required": None,
    "official_channel_concern_recipients": None,
    "staff_personal_social_media_in_school_hours": "allowed_when_no_learners_present",
    "learner_personal_social_media_in_school_hours": "not_permitted_unless_written_head_permission_for_education",
    "social_media_misuse_consequences": ["removal of internet access", "disciplinary action"],
    "social_media_conduct_concern_recipient": ["dsl", "headteacher"],
    "staff_personal_contact_with_learners_parents": "forbidden",
    "relationship_exception_reviewers_social": ["dsl", "headteacher"],
    "relationship_decisions_formally_recorded": True,
    "personal_account_contact_report_to": ["dsl", "deputy_dsl", "headteacher"],
    "conflicting_content_notify": "slt",
    "staff_privacy_setting_standard": "appropriate privacy levels",
    "learner_account_min_age_rule": "service_terms",
    "learner_social_media_concern_policies": ["anti-bullying", "child protection", "behaviour"],
    # 6. Devices and mobile phones
    "device_types_in_scope": [
        "computers",
        "tablets",
        "mobile phones",
        "e-readers",
        "games consoles",
        "wearables (smart watches, fitness trackers)",
    ],
    "device_free_locations": ["changing rooms", "toilets", "swimming pools"],
    "device_free_rule_extends_to_visits": True,
    "abusive_message_breach_policies": ["anti-bullying", "behaviour"],
    "staff_phone_storage_in_lessons": "safe and secure place, out of sight and reach of children",
    "staff_teaching_time_device_approver": "headteacher",
    "staff_covid_contact_exception": True,
    "staff_relationship_reviewers_devices": ["dsl", "deputy_dsl", "headteacher"],
    "staff_device_breach_procedure": ["staff Discipline and Conduct Policy", "Managing Allegations Against Staff"],
    "staff_illegal_content_notify": ["police", "LADO"],
    "learner_phone_rule": "not_allowed_except_written_head_permission",
    "learner_exceptional_device_process": (
        "discussed with the headteacher before use; documented; written agreement with sanctions, "
        "accepted by learner and parents"
    ),
    "learner_contact_home_method": "office_calls_office_phone_sometimes",
    "parent_contact_child_route": "via the school office; exceptions approved by the headteacher",
    "learner_lesson_device_use_approval": ["staff consent", "risk assessment", "leadership team approval"],
    "exam_device_reporting_scope": "communication_or_internet_capable",
    "confiscation_trigger": (
        "may confiscate if believed used against child protection, behaviour or anti-bullying policy"
    ),
    "confiscated_device_release_rule": "to parents/carers at the end of the day; longer for a repeat offence",
    "device_search_rule": (
        "by a leadership team member with consent of the learner or parent/carer, following DfE guidance; "
        "content may be deleted or deletion requested"
    ),
    "visitor_phone_rule": "office_waiting_area_only",
    "visitor_signage_location": "office entrance area",
    "visitor_aup_scope": "regular_or_extended_visitors",
    "visitor_breach_report_to": ["dsl", "deputy_dsl", "headteacher"],
    "work_phone_issue_criterion": "where contact around the site is needed (e.g. site staff)",
    "official_device_use_examples": None,
    "official_device_monitoring_notice_before_use": True,
    # 7. Reporting, incidents and staff conduct
    "concern_categories_named": [
        "filtering breaches",
        "peer-on-peer abuse incl. cyberbullying and youth-produced sexual imagery",
        "online sexual violence and harassment",
        "online abuse and exploitation",
        "illegal content",
    ],
    "debrief_rule": "if_appropriate",
    "staff_misuse_referral_to": "headteacher",
    "staff_misuse_action_basis": ["staff Code of Conduct (disciplinary, civil and/or legal action)"],
    "staff_radicalisation_recipient": None,
    "filtering_breach_first_recipients": None,
    "filtering_breach_escalation": None,
    "filtering_breach_parent_notice": None,
    "offensive_email_report_to": None,
    "complaints_and_whistleblowing": True,
    # 8. Access, AUPs, training and engagement
    "aup_required_before_access": None,
    "aup_set": ["Acceptable Use Policy", "Staff Code of Conduct", "Remote Learning AUP"],
    "staff_training_frequency": "regular",
    "staff_guidance_resend_frequency": "regular",
    "parent_engagement_channels": None,
    "vulnerable_learner_groups": None,
    "awareness_events": None,
    # 9. Remote learning (Covid-19)
    "remote_learning_provisions_enabled": True,
    "remote_learning_aup": "Remote Learning AUP",
    "remote_personal_device_approver": "headteacher",
    "remote_platform_risk_assessor": ["dsl", "headteacher"],
}


JOY_LANE: dict[str, Any] = {
    # 1. Identity, document and review
    "school_name": "Joy Lane Primary School",
    "policy_title": "Online Safety Policy",
    "policy_scope": "whole_school_online_safety",
    "policy_template_basis": "Kent County Council (KCC) online safety policy template",
    "policy_consultees": ["specialist advice as required"],
    "incident_procedures_location": "in_this_policy",
    "risk_area_model": ["content", "contact", "conduct"],
    "date_written": "2018-05",
    "date_agreed": "2018-06",
    "ratification_status": "agreed_pending_ratification",
    "next_review_date": None,
    "review_interval_max": "P12M",
    "review_triggers": [
        "concerns",
        "updates to national or local guidance or procedures",
        "national or local policy requirements",
        "any child protection concerns",
        "changes to technical infrastructure",
    ],
    "linked_policies": [
        "anti-bullying",
        "AUPs and/or Code of conduct",
        "behaviour and discipline",
        "child protection",
        "confidentiality",
        "curriculum (Computing, PSHE, Citizenship, SRE)",
        "data security",
        "image use",
        "mobile phone and social media policies",
        "searching, screening and confiscation",
    ],
    "curriculum_vehicles": ["Computing", "PSHE", "Citizenship", "SRE"],
    # 2. People and roles
    "dsl_name": JOY_LANE_DSL,
    "dsl_job_title": None,
    "dsl_is_online_safety_lead": True,
    "deputy_dsl_names": [JOY_LANE_DEPUTY_DSL],
    "named_governors": list(JOY_LANE_GOVERNORS),
    "head_role_title": "Executive Headteacher",
    "leadership_body_names": ["leadership team", "Senior Leadership Team (SLT)", "management team"],
    "technical_role_name": "ICT Technician",
    "lp_site_administrator": "learning_platform_site_administrator",
    "pta_officers": None,
    "oversight_recipient": "headteacher",
    "governor_report_scope": ["online safety incidents", "outcomes"],
    "governor_report_frequency": "regular",
    "allegation_against_head_or_dsl_route": None,
    # 3. Guidance editions, agencies and contacts
    "kcsie_edition": 2016,
    "eyfs_edition": 2017,
    "working_together_edition": None,
    "local_safeguarding_partnership": "Kent Safeguarding Children Board (KSCB)",
    "data_protection_law_cited": ["GDPR (25 May 2018)", "Data Protection Act 1998"],
    "covid_guidance_cited": None,
    "searching_guidance": None,
    "advice_service": "KCC Education Safeguarding Team",
    "advice_seekers": ["dsl"],
    "police_service": "Kent Police (101; 999 in an emergency)",
    "illegal_activity_first_contacts": ["Education Safeguarding Team", "Kent Police"],
    "external_sharing_precondition": "consult Kent Police and/or the Education Safeguarding Team first",
    "childrens_social_care_name": "Specialist Children's Services",
    "cse_intelligence_recipient": "Child Sexual Exploitation Team (CSET)",
    "illegal_content_reporting_bodies": [
        "IWF, Kent Police or CEOP (filtering)",
        "IWF, Kent Police or LADO (indecent images)",
    ],
    "lado": "LADO",
    "local_online_safety_contacts": [
        _contact(
            "Rebecca Avery",
            role="Education Safeguarding Adviser (Online Protection), KCC Education Safeguarding Team",
            email="esafetyofficer@kent.gov.uk",
            phone="03000 415797",
        ),
        _contact(
            "Ashley Assiter",
            role="e-Safety Development Officer, KCC Education Safeguarding Team",
            email="esafetyofficer@kent.gov.uk",
            phone="03000 415797",
        ),
        _contact(
            "KELSI child protection and safeguarding",
            url="http://www.kelsi.org.uk/support-for-children-and-young-people/child-protection-and-safeguarding",
        ),
        _contact(
            "KELSI e-safety classroom materials",
            url="http://www.kelsi.org.uk/child-protection-and-safeguarding/e-safety/e-safety-classroom-materials",
        ),
        _contact(
            "KELSI e-safety useful links",
            url="http://www.kelsi.org.uk/child-protection-and-safeguarding/e-safety/e-safety-useful-links",
        ),
        _contact("Kent e-Safety Blog", url="http://www.kentsafety.wordpress.com"),
        _contact("KSCB", url="http://www.kscb.org.uk"),
        _contact("Kent Police", phone="101 (999 in an emergency)", url="http://www.kent.police.uk/internetsafety"),
    ],
    "technical_support_contacts": [
        _contact("Kent Public Service Network (KPSN)", url="http://www.kpsn.net"),
        _contact("EiS ICT Support / Kent Schools Broadband Service Desk", url="http://www.eiskent.co.uk"),
    ],
    "national_support_links": [
        _contact("Action Fraud", url="http://www.actionfraud.police.uk"),
        _contact("CEOP / Thinkuknow", url="http://www.thinkuknow.co.uk"),
        _contact("CEOP", url="http://www.ceop.police.uk"),
        _contact("Childnet", url="http://www.childnet.com"),
        _contact("Get Safe Online", url="http://www.getsafeonline.org"),
        _contact("Internet Matters", url="http://www.internetmatters.org"),
        _contact("Internet Watch Foundation (IWF)", url="http://www.iwf.org.uk"),
        _contact("Lucy Faithfull Foundation", url="http://www.lucyfaithfull.org"),
        _contact("NSPCC", url="http://www.nspcc.org.uk/onlinesafety"),
        _contact("ChildLine", url="http://www.childline.org.uk"),
        _contact("Net Aware", url="http://www.net-aware.org.uk"),
        _contact("The Marie Collins Foundation", url="http://www.mariecollinsfoundation.org.uk"),
        _contact("UK Safer Internet Centre", url="http://www.saferinternet.org.uk"),
        _contact("Professional Online Safety Helpline", url="http://www.saferinternet.org.uk/about/helpline"),
        _contact("360 Safe self-review tool", url="http://www.360safe.org.uk"),
    ],
    "click_ceop_button": True,
    "anti_bullying_policy_url": "http://www.joylane.kent.sch.uk/parents/policies",
    # 4. Technology, providers and systems
    "broadband_provider": "Kent Public Service Network (KPSN)",
    "filtering_provider": "LightSpeed Filtering",
    "monitoring_system": None,
    "filtering_check_frequency": "regular",
    "safeguarding_recording_system": "MyConcern",
    "learning_platform": "KLZ",
    "progress_tracking_systems": ["SIMS", "bespoke (in-house) assessment system"],
    "child_safe_search_tool": "Squiggle",
    "approved_online_resources": ["Learning Resources"],
    "internet_supervision_model": (
        "EYFS/KS1: adult demonstration and occasional directly supervised access to approved materials; "
        "KS2: approved resources, age-appropriate search engines and tools, teacher-directed"
    ),
    "pupil_accounts_from_year": "R",
    "classroom_technology": [
        "computers, laptops and other digital devices",
        "internet (search engines, educational websites)",
        "KLZ",
        "games consoles",
        "digital cameras, webcams and video cameras",
    ],
    # 5. Social media
    "official_school_channels": ["Twitter", "Facebook", "Class Dojo"],
    "pta_channels": [],
    "channel_operator": "school",
    "channel_purpose": "educational or community engagement",
    "channel_approver": "headteacher",
    "leadership_channel_access": "slt_hold_logins",
    "channel_registration_email": "school-provided email addresses",
    "post_second_reader": "colleague",
    "staff_social_media_aup_required": True,
    "official_channel_concern_recipients": ["line_manager", "dsl", "headteacher"],
    "staff_personal_social_media_in_school_hours": "not_permitted",
    "learner_personal_social_media_in_school_hours": "not_permitted",
    "social_media_misuse_consequences": ["disciplinary or legal action", "removal of internet facilities"],
    "social_media_conduct_concern_recipient": ["school"],
    "staff_personal_contact_with_learners_parents": "forbidden_unless_prior_head_approval",
    "relationship_exception_reviewers_social": ["dsl", "headteacher"],
    "relationship_decisions_formally_recorded": None,
    "personal_account_contact_report_to": ["dsl"],
    "conflicting_content_notify": "slt",
    "staff_privacy_setting_standard": "privacy settings as strict as they can be",
    "learner_account_min_age_rule": "fixed_13",
    "learner_social_media_concern_policies": ["anti-bullying", "behaviour"],
    # 6. Devices and mobile phones
    "device_types_in_scope": ["computers", "tablets", "mobile phones", "games consoles"],
    "device_free_locations": ["changing rooms", "toilets", "swimming pools"],
    "device_free_rule_extends_to_visits": False,
    "abusive_message_breach_policies": ["behaviour"],
    "staff_phone_storage_in_lessons": "safe and secure place",
    "staff_teaching_time_device_approver": "headteacher",
    "staff_covid_contact_exception": False,
    "staff_relationship_reviewers_devices": ["headteacher"],
    "staff_device_breach_procedure": ["behaviour and allegations policy"],
    "staff_illegal_content_notify": ["police"],
    "learner_phone_rule": "hand_in_at_office",
    "learner_exceptional_device_process": None,
    "learner_contact_home_method": "learner_uses_school_phone",
    "parent_contact_child_route": (
        "via the school office during school hours; exceptions approved by the Executive Headteacher"
    ),
    "learner_lesson_device_use_approval": ["leadership team approval"],
    "exam_device_reporting_scope": "any_device",
    "confiscation_trigger": (
        "will confiscate on any policy breach; may if believed used against behaviour or bullying policy, "
        "or could contain youth-produced sexual imagery"
    ),
    "confiscated_device_release_rule": "to parents/carers at an appropriate time",
    "device_search_rule": None,
    "visitor_phone_rule": "per_aup_no_area_limit",
    "visitor_signage_location": None,
    "visitor_aup_scope": "all_visitors",
    "visitor_breach_report_to": ["dsl"],
    "work_phone_issue_criterion": "where contact with pupils or parents/carers is required",
    "official_device_use_examples": ["residential visits", "school trips"],
    "official_device_monitoring_notice_before_use": None,
    # 7. Reporting, incidents and staff conduct
    "concern_categories_named": [
        "filtering breaches",
        "youth-produced sexual imagery",
        "cyberbullying",
        "illegal content",
        "online child sexual abuse and exploitation",
        "indecent images of children",
        "online hate",
        "radicalisation and extremism",
    ],
    "debrief_rule": "always",
    "staff_misuse_referral_to": "headteacher",
    "staff_misuse_action_basis": ["Behaviour policy", "Code of conduct"],
    "staff_radicalisation_recipient": "headteacher",
    "filtering_breach_first_recipients": ["dsl", "technician"],
    "filtering_breach_escalation": ["dsl", "leadership team", "Internet Service Provider or other services"],
    "filtering_breach_parent_notice": "always",
    "offensive_email_report_to": ["slt", "technician"],
    "complaints_and_whistleblowing": True,
    # 8. Access, AUPs, training and engagement
    "aup_required_before_access": True,
    "aup_set": ["AUP(s) and/or Code of conduct", "home-school agreement", "Social media acceptable use policy"],
    "staff_training_frequency": "P12M",
    "staff_guidance_resend_frequency": "regular",
    "parent_engagement_channels": [
        "newsletters",
        "letters",
        "prospectus",
        "website",
        "parent evenings",
        "transition events",
        "fetes",
        "sports days",
        "Joy Lane welcome pack",
    ],
    "vulnerable_learner_groups": ["children in care", "SEND", "mental health needs", "EAL", "trauma or loss"],
    "awareness_events": ["Safer Internet Day"],
    # 9. Remote learning (Covid-19)
    "remote_learning_provisions_enabled": False,
    "remote_learning_aup": None,
    "remote_personal_device_approver": None,
    "remote_platform_risk_assessor": None,
}

# Looked up by school slug when the demo loads.
BY_SLUG: dict[str, dict[str, Any]] = {"st-james": ST_JAMES, "joy-lane": JOY_LANE}
