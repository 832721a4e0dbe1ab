"""Schema variables, part 2: guidance editions, agencies and contacts (policy-variables.md §3, GOV-24)."""

from __future__ import annotations

from harbour.policy.rules.schema_types import Variable as V

# The main statutory safeguarding guidance for schools in each nation, used when a school leaves
# ``statutory_guidance_title`` empty. Titles are public document names.
STATUTORY_GUIDANCE_BY_NATION: dict[str, str] = {
    "england": "Keeping Children Safe in Education",
    "wales": "Keeping Learners Safe",
    "scotland": "National Guidance for Child Protection in Scotland",
    "northern_ireland": "Safeguarding and Child Protection in Schools",
}

GUIDANCE = [
    V(
        "statutory_guidance_title",
        "guidance.statutory.title",
        "text",
        "The title of the statutory safeguarding guidance the policy follows. Left empty, the title for "
        "the school's nation is used.",
        rows=("GOV-06",),
    ),
    V(
        "kcsie_edition",
        "guidance.statutory.edition",
        "year",
        "The edition (year) of that statutory guidance the policy cites.",
        rows=("GOV-06", "GOV-07"),
    ),
    V(
        "eyfs_edition",
        "guidance.editions.eyfs",
        "year",
        "The edition of the early years framework cited, where the school has early years pupils.",
        rows=("GOV-06",),
    ),
    V(
        "working_together_edition",
        "guidance.editions.working_together",
        "year",
        "The edition of the multi-agency safeguarding guidance cited, if any.",
        rows=("GOV-06",),
    ),
    V(
        "local_safeguarding_partnership",
        "guidance.local_safeguarding_partnership",
        "text",
        "The local multi-agency safeguarding partnership whose procedures and thresholds apply.",
        rows=("GOV-06", "REP-18"),
    ),
    V(
        "data_protection_law_cited",
        "guidance.data_protection_law_cited",
        "text[]",
        "The data protection law the policy names.",
        rows=("DPS-01",),
    ),
    V(
        "covid_guidance_cited",
        "guidance.covid_guidance_cited",
        "text",
        "Any pandemic remote-education guidance the policy cites.",
        rows=("GOV-06", "RML-02"),
    ),
    V(
        "searching_guidance",
        "guidance.searching_guidance",
        "text",
        "The guidance on searching, screening and confiscation the policy follows.",
        rows=("DEV-SRC-01",),
    ),
    V(
        "advice_service",
        "guidance.agencies.advice_service",
        "text",
        "The local education safeguarding service staff turn to for advice.",
        rows=("REP-15", "INC-CSAE-06", "INC-IIOC-02", "INC-HATE-05"),
    ),
    V(
        "advice_seekers",
        "guidance.agencies.advice_seekers",
        "role[]",
        "Who may contact that service on the school's behalf.",
        rows=("REP-15",),
    ),
    V(
        "police_service",
        "guidance.agencies.police_service",
        "text",
        "The police force and numbers to use.",
        rows=("REP-16", "INC-CSAE-03"),
    ),
    V(
        "illegal_activity_first_contacts",
        "guidance.agencies.illegal_activity_first_contacts",
        "text[]",
        "Who to contact first when illegal activity is suspected.",
        rows=("REP-16",),
    ),
    V(
        "external_sharing_precondition",
        "guidance.agencies.external_sharing_precondition",
        "text",
        "Who must be consulted before anything about an incident is shared outside the school.",
        rows=("REP-17", "INC-CSAE-08"),
    ),
    V(
        "childrens_social_care_name",
        "guidance.agencies.childrens_social_care",
        "text",
        "The local name of children's social care.",
        rows=("INC-YPSI-08", "INC-IIOC-05", "REP-18"),
    ),
    V(
        "cse_intelligence_recipient",
        "guidance.agencies.cse_intelligence_recipient",
        "text",
        "Where intelligence about child sexual exploitation is passed.",
        rows=("INC-CSAE-07",),
    ),
    V(
        "illegal_content_reporting_bodies",
        "guidance.agencies.illegal_content_reporting_bodies",
        "text[]",
        "Where illegal content is reported.",
        rows=("INC-FILT-08", "INC-IIOC-03"),
    ),
    V(
        "lado",
        "guidance.agencies.lado",
        "text",
        "The local authority designated officer for allegations against adults.",
        rows=("INC-STAFF-02", "INC-STAFF-04", "INC-IIOC-09"),
    ),
    V(
        "local_online_safety_contacts",
        "guidance.contacts.local",
        "contact[]",
        "Local advisers and services for online safety, each with name, role, email, phone, url and "
        "the date it was last checked.",
        rows=("REP-23", "REP-24"),
    ),
    V(
        "technical_support_contacts",
        "guidance.contacts.technical",
        "contact[]",
        "Technical support providers (network, filtering, service desk).",
        rows=("REP-23", "INC-FILT-05"),
    ),
    V(
        "national_support_links",
        "guidance.contacts.national",
        "contact[]",
        "National help and reporting services the school points people to.",
        rows=("REP-24", "INC-CSAE-10"),
    ),
    V(
        "click_ceop_button",
        "guidance.click_ceop_button",
        "bool",
        "Whether the CEOP reporting button is shown on learner-facing and community pages.",
        rows=("INC-CSAE-09", "WEB-04"),
    ),
    V(
        "anti_bullying_policy_url",
        "guidance.anti_bullying_policy_url",
        "text",
        "Where the anti-bullying policy is published.",
        rows=("INC-CYB-03",),
    ),
]
