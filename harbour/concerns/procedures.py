"""The default response procedure for each concern category, as plain data (REQUIREMENTS section 4).

Each category gets an ordered list of steps that is copied onto a concern as its checklist when the
concern is reported or moved into the category (INC-YPSI-02, INC-CSAE-02, INC-IIOC-03, INC-CYB-02,
INC-HATE-04, INC-RAD-02, INC-FILT-03, INC-STAFF-01, REP-25). Schools reword, reorder, hide or add
steps without code through ``SchoolProcedureStep`` rows, matched on the step ``key`` — so keys are
stable identifiers and must never be renamed once shipped.

Immediate-referral criteria are steps with ``is_question=True``: a "yes" shows a "refer now"
banner at the step. All wording here is Harbour's own, written from the requirement rows.

Plain Python, no Django, so the table can be read and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from harbour.concerns import categories

# Shown when the answer to an immediate-referral question is "yes" (REP-16, INC-CSAE-03).
REFER_NOW = (
    "Refer now: if anyone is in immediate danger call 999, then tell the police and children's social care "
    "without waiting. Record who you spoke to, when, and any reference they give you."
)
REFER_POLICE_LADO = (
    "Refer now: tell the police (999 if anyone is in danger, otherwise 101) and the LADO today. "
    "Do not speak to the member of staff about it, and record who you spoke to and their reference."
)
REFER_ILLEGAL_CONTENT = (
    "Refer now: report it to the right body straight away (the IWF for images of children online, CEOP for "
    "online abuse, the police otherwise), and move this concern to the indecent images or abuse category."
)
REFER_TO_DSL = (
    "Treat this as a safeguarding concern: the DSL takes it over under the child protection procedures, "
    "and it stays linked to this record."
)
REFER_SEXUAL_IMAGERY = (
    "Change the category of this concern to the sexual imagery or abuse category so the right checklist "
    "and image guard apply. If a child is in danger, call 999 first."
)
REFER_HATE_CRIME = (
    "Refer now: tell the police (999 if anyone is in danger, otherwise 101) and record who you spoke to "
    "and the reference they give you."
)
REFER_DATA_BREACH = (
    "Act now: tell the data protection officer today. A breach that puts people at risk must usually be "
    "reported to the ICO within 72 hours of the school becoming aware of it."
)

# Gaps between default positions let a school slot its own steps in between without renumbering.
POSITION_STEP = 10


@dataclass(frozen=True)
class Step:
    key: str
    text: str
    guidance: str = ""
    is_question: bool = False
    # What a "yes" means; only questions carry it. Empty means the general REFER_NOW text.
    refer: str = ""


@dataclass(frozen=True)
class Procedure:
    category: str
    title: str
    requirements: tuple[str, ...]
    steps: tuple[Step, ...]

    def position_of(self, key: str) -> int:
        for index, step in enumerate(self.steps, start=1):
            if step.key == key:
                return index * POSITION_STEP
        raise KeyError(key)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


# --- questions shared by several procedures ------------------------------------------------------

Q_DANGER = Step(
    "q_immediate_danger",
    "Is any child in immediate danger?",
    "Think about right now: a child who is missing, about to meet someone, hurt, or at risk of hurting "
    "themselves. If so, call 999 before anything else on this list.",
    is_question=True,
)
Q_ADULT = Step(
    "q_adult_involved",
    "Does an adult appear to be involved?",
    "Include anyone who says they are a child but whose messages suggest an adult, and older young people "
    "who hold power over the child.",
    is_question=True,
)
Q_COERCION = Step(
    "q_coercion",
    "Is there any sign of coercion, blackmail or threats?",
    "For example a child being pressured to send more, threatened with having pictures shown to others, "
    "or asked for money or favours.",
    is_question=True,
)
Q_UNDER_13 = Step(
    "q_under_13_or_no_consent",
    "Is any child involved under 13, or unable to consent?",
    "Consider age, any special educational need or disability, and whether the child understood what was "
    "happening or felt able to say no.",
    is_question=True,
)
Q_EXTREME = Step(
    "q_violent_or_unusual_acts",
    "From what you have been told, do the images involve violent or unusual sexual acts?",
    "Answer from what the child or reporter described. Do not look at any image to answer this question.",
    is_question=True,
)


# --- steps shared by several procedures ------------------------------------------------------------

DSL_INFORMED = Step(
    "dsl_informed",
    "The DSL has been told and is leading the response under the child protection procedures",
    "Whoever heard about this tells the DSL (or a deputy) at once, in person or by phone, as well as "
    "recording it here. Staff do not investigate on their own.",
)
PARENTS = Step(
    "parents",
    "Decide whether, when and how to tell parents or carers",
    "Record the decision on the concern either way. Usually families are told, but hold back and take advice "
    "if telling them could put a child at risk or get in the way of a police or social care enquiry.",
)
SUPPORT = Step(
    "support",
    "Arrange support for every child involved",
    "Think about each child, including any who caused harm: a trusted adult to talk to, pastoral or "
    "counselling support, and outside services. Note what was offered and whether it was taken up.",
)
REVIEW = Step(
    "review",
    "Review how the incident was handled",
    "Once things have settled, the DSL and leadership look back at what worked and what did not, and note "
    "any change to the policy, the teaching or the filtering that should follow.",
)
ASSESS_RISK = Step(
    "assess_risk",
    "Assess the risk to each child involved",
    "Take into account each child's vulnerabilities, their history, their home situation and what other "
    "agencies already know about them. Record the checks you made and with whom.",
)
SEEK_ADVICE = Step(
    "seek_advice",
    "If you are unsure what to do or whether a crime was committed, ask for advice now",
    "Phone the education safeguarding service or the police and record the question you asked, the advice "
    "you were given and who gave it.",
)
DO_NOT_COPY = Step(
    "do_not_copy",
    "Make sure nobody views, copies, forwards or saves the material",
    "This includes sending it to the DSL or a colleague 'as evidence'. Describe what was reported in words "
    "only; leave any device as it is.",
)
SANCTIONS = Step(
    "consider_sanctions",
    "Consider whether a sanction under the behaviour policy is right",
    "Record any sanction with the support given alongside it. Do not sanction a child who was harmed unless "
    "the DSL agrees it will not add to their distress.",
)


PROCEDURES_LIST: tuple[Procedure, ...] = (
    Procedure(
        "youth_produced_sexual_imagery",
        "Nude or sexual images shared by children",
        (
            "INC-YPSI-02",
            "INC-YPSI-04",
            "INC-YPSI-05",
            "INC-YPSI-06",
            "INC-YPSI-07",
            "INC-YPSI-08",
            "INC-YPSI-09",
            "INC-YPSI-10",
            "INC-YPSI-11",
        ),
        (
            Q_DANGER,
            Q_ADULT,
            Q_COERCION,
            Q_UNDER_13,
            Q_EXTREME,
            DSL_INFORMED,
            Step(
                "secure_devices",
                "Secure any device involved without searching it",
                "Switch it off or put it in flight mode and lock it away. Do not scroll through it, and never copy, "
                "forward or save anything from it. Record where it is kept, who secured it and every hand-over.",
            ),
            Step(
                "block_school_systems",
                "If school devices or the school network were used, have the material blocked and isolated",
                "Ask the technician to stop everyone reaching it without opening, viewing or copying it, and to "
                "confirm when that is done.",
            ),
            ASSESS_RISK,
            PARENTS,
            Step(
                "referral",
                "Refer to children's social care and/or the police where needed",
                "Any 'yes' to the questions above means a referral now. Otherwise decide with the DSL and record "
                "the decision and reasons, including a decision not to refer.",
            ),
            SUPPORT,
            SANCTIONS,
            REVIEW,
        ),
    ),
    Procedure(
        "online_abuse_exploitation",
        "Online sexual abuse or exploitation",
        ("INC-CSAE-02", "INC-CSAE-03", "INC-CSAE-05", "INC-CSAE-06", "INC-CSAE-07", "INC-CSAE-08", "INC-CSAE-12"),
        (
            Q_DANGER,
            Q_COERCION,
            Q_UNDER_13,
            DSL_INFORMED,
            Step(
                "secure_devices",
                "Secure any device involved and leave the evidence on it",
                "Lock it away unchanged for the police. Do not search it, delete anything, or take screenshots.",
            ),
            Step(
                "inform_police",
                "Tell the police straight away",
                "999 if a child is at immediate risk, 101 otherwise. Record when, which number, who you spoke to and "
                "the reference. If you decide not to, record why.",
            ),
            SEEK_ADVICE,
            ASSESS_RISK,
            PARENTS,
            Step(
                "referral",
                "Refer to children's social care where needed",
                "Record the decision and reasons either way, with the date and reference of any referral.",
            ),
            Step(
                "cse_team",
                "Pass on anything that may point to sexual exploitation to the CSE team",
                "Record what you passed on and when, whether it happened online or offline.",
            ),
            Step(
                "child_voice",
                "Involve the child in the decisions and offer help to report to CEOP",
                "Note how their views were heard and whether they wanted help to make a report to CEOP themselves.",
            ),
            Step(
                "other_schools",
                "If pupils at other schools may have been targeted, take advice before contacting those schools",
                "Speak to the police or the education safeguarding service first so that nothing alerts a suspect.",
            ),
            SUPPORT,
            REVIEW,
        ),
    ),
    Procedure(
        "indecent_images_of_children",
        "Indecent images of children",
        (
            "INC-IIOC-02",
            "INC-IIOC-03",
            "INC-IIOC-04",
            "INC-IIOC-05",
            "INC-IIOC-06",
            "INC-IIOC-08",
            "INC-IIOC-09",
            "INC-IIOC-10",
        ),
        (
            Q_DANGER,
            Step(
                "q_staff_involved",
                "Is a member of staff thought to have made, held or looked at the images?",
                "This includes images found on a device a member of staff uses.",
                is_question=True,
                refer=REFER_POLICE_LADO,
            ),
            DSL_INFORMED,
            DO_NOT_COPY,
            Step(
                "secure_devices",
                "Secure any device involved",
                "Lock it away unchanged. A device a member of staff uses stays quarantined: it is not wiped, "
                "repaired, reissued or returned until the police say so.",
            ),
            SEEK_ADVICE,
            Step(
                "report_iwf",
                "Report the web address to the Internet Watch Foundation",
                "Send the address only, never an image or a screenshot. Record the date and the report reference.",
            ),
            Step(
                "inform_police",
                "Tell the police where images were found on a device or a child may be at risk",
                "999 if anyone is in immediate danger, 101 otherwise. Not usually needed after an accidental "
                "sighting online that has been reported to the IWF; record why if you do not.",
            ),
            Step(
                "referral",
                "Refer to children's social care if a child may be at risk",
                "Record the decision and reasons either way.",
            ),
            Step(
                "copies_deleted",
                "Once reported, make sure every copy is deleted",
                "Check email, downloads, shared drives and browser caches. If the police ask the school to keep a "
                "copy, it is never kept in Harbour: record the request under “Police request to keep a copy”.",
            ),
            Step(
                "staff_allegation",
                "If a member of staff is involved, tell the head and the LADO under the allegations procedure",
                "Only the head (or the chair of governors if it concerns the head) takes it forward.",
            ),
            PARENTS,
            REVIEW,
        ),
    ),
    Procedure(
        "cyberbullying",
        "Cyberbullying",
        ("INC-CYB-02", "INC-CYB-04", "REP-21"),
        (
            Q_DANGER,
            Step(
                "q_safeguarding_risk",
                "Does this amount to abuse between children, or carry a wider safeguarding risk?",
                "For example sexual content, threats of violence, or a child who seems to be at risk of harm "
                "to themselves.",
                is_question=True,
                refer=REFER_TO_DSL,
            ),
            Step(
                "record_people",
                "Record who was targeted, who is said to be responsible, and which app, site or device was used",
            ),
            Step(
                "describe_evidence",
                "Describe the evidence in words",
                "Write down what was posted or sent, when and where. Do not ask children to forward messages or "
                "pictures to staff.",
            ),
            Step(
                "anti_bullying",
                "Follow the anti-bullying policy, as for any other bullying",
            ),
            SANCTIONS,
            SUPPORT,
            PARENTS,
            REVIEW,
        ),
    ),
    Procedure(
        "peer_on_peer_abuse",
        "Peer-on-peer abuse",
        ("REP-04", "INC-CYB-04", "REP-21"),
        (
            Q_DANGER,
            Step(
                "q_sexual_content",
                "Were nude or sexual images made, shared or asked for, or is there sexual abuse?",
                "Answer from what you were told; do not look at any image.",
                is_question=True,
                refer=REFER_SEXUAL_IMAGERY,
            ),
            Q_COERCION,
            DSL_INFORMED,
            Step(
                "safety_plan",
                "Make a plan to keep the children safe in school",
                "Think about lessons, travel, breaks and online contact, for the child harmed and the child "
                "alleged to have caused harm.",
            ),
            ASSESS_RISK,
            PARENTS,
            Step(
                "referral",
                "Refer to children's social care and/or the police where needed",
                "Record the decision and reasons either way.",
            ),
            SUPPORT,
            SANCTIONS,
            REVIEW,
        ),
    ),
    Procedure(
        "online_sexual_harassment",
        "Online sexual harassment",
        ("REP-04", "REP-19", "REP-21"),
        (
            Q_DANGER,
            Q_ADULT,
            Step(
                "q_images",
                "Were nude or sexual images made, shared or asked for?",
                "Answer from what you were told; do not look at any image.",
                is_question=True,
                refer=REFER_SEXUAL_IMAGERY,
            ),
            DSL_INFORMED,
            Step(
                "describe_evidence",
                "Describe what was said or sent, in words",
                "Note the app or site, the dates and who took part. Do not collect screenshots.",
            ),
            ASSESS_RISK,
            PARENTS,
            SUPPORT,
            SANCTIONS,
            REVIEW,
        ),
    ),
    Procedure(
        "illegal_content",
        "Other illegal content",
        ("REP-16", "INC-FILT-08"),
        (
            Q_DANGER,
            Step(
                "q_child_images",
                "Could the content include indecent images of children or sexual abuse of a child?",
                "Answer from what you were told; do not look again to check.",
                is_question=True,
                refer=REFER_ILLEGAL_CONTENT,
            ),
            DSL_INFORMED,
            DO_NOT_COPY,
            Step(
                "secure_devices",
                "Secure any device involved",
                "Lock it away unchanged. Do not wipe or repair it until any police interest is settled.",
            ),
            Step(
                "block_school_systems",
                "If school systems were used, have the content blocked",
                "Ask the technician to block it without opening or copying it, and to tell the filtering provider.",
            ),
            Step(
                "inform_police",
                "Tell the police or report to the right national body",
                "101, or 999 if anyone is in danger. Record who you told, when and the reference.",
            ),
            REVIEW,
        ),
    ),
    Procedure(
        "online_hate",
        "Online hate",
        ("INC-HATE-02", "INC-HATE-04", "INC-HATE-05"),
        (
            Q_DANGER,
            Step(
                "q_crime",
                "Could a crime have been committed, such as threats or stirring up hatred?",
                "If you are not sure, answer no and use the advice step below.",
                is_question=True,
                refer=REFER_HATE_CRIME,
            ),
            Step(
                "aimed_or_posted",
                "Record whether the content was aimed at, or posted by, someone in the school community",
            ),
            Step(
                "describe_evidence",
                "Describe the content in words, with where and when it appeared",
            ),
            SEEK_ADVICE,
            Step(
                "behaviour_policy",
                "Deal with it under the anti-bullying and behaviour policies",
                "Record any sanction and the support given to everyone affected.",
            ),
            SUPPORT,
            PARENTS,
            REVIEW,
        ),
    ),
    Procedure(
        "radicalisation_extremism",
        "Radicalisation or extremism",
        ("INC-RAD-01", "INC-RAD-02", "INC-RAD-03", "INC-RAD-04"),
        (
            Step(
                "q_imminent_harm",
                "Is anyone at risk of immediate harm, or is violence being planned?",
                "If so, call 999 now.",
                is_question=True,
            ),
            Step(
                "q_staff_involved",
                "Is the worry about a member of staff?",
                "If so, only the head takes it forward, under the child protection and allegations procedures, "
                "and the person concerned must not see this record.",
                is_question=True,
                refer=(
                    "Tell the head now. The head follows the allegations procedure and decides who else needs to "
                    "know; the person concerned is not told."
                ),
            ),
            DSL_INFORMED,
            Step(
                "record_worry",
                "Record exactly what was seen, heard or searched for, and when",
                "Use the words people used. Describe material in words; do not save or share it.",
            ),
            SEEK_ADVICE,
            Step(
                "prevent_referral",
                "Decide whether to make a Prevent referral",
                "Record the decision and the reasons, with the date and reference of any referral.",
            ),
            Step(
                "filtering_check",
                "Ask the technician to check that the filtering blocks this kind of material",
                "Record the result and when it was checked.",
            ),
            PARENTS,
            SUPPORT,
            REVIEW,
        ),
    ),
    Procedure(
        "filtering_breach",
        "Filtering breach",
        ("INC-FILT-03", "INC-FILT-04", "INC-FILT-05", "INC-FILT-06", "INC-FILT-07", "INC-FILT-08"),
        (
            Step(
                "q_illegal",
                "Could the material be illegal, such as images of child abuse or terrorist content?",
                "Answer from what was described; do not go back to the page to check.",
                is_question=True,
                refer=REFER_ILLEGAL_CONTENT,
            ),
            Step(
                "make_safe",
                "Make sure the screen was switched off and nothing was copied",
                "The device is not used again until the technician has looked at it.",
            ),
            Step(
                "record_details",
                "Record the web address if known, the device, who was using it, the time and what was seen",
                "Type the address as plain text. Never open it to check.",
            ),
            Step(
                "technician",
                "Ask the technician to block the address and find out why it got through",
            ),
            Step(
                "provider",
                "Report the breach to the internet or filtering provider",
                "Record the provider's ticket reference.",
            ),
            Step(
                "q_safeguarding_risk",
                "Does the breach point to a risk to a child, such as searches about self-harm?",
                "If so, it becomes a safeguarding concern for the DSL.",
                is_question=True,
                refer=REFER_TO_DSL,
            ),
            Step(
                "parents",
                "Tell the parents or carers of any child involved",
                "Record when they were told and by whom, or why not.",
            ),
            REVIEW,
        ),
    ),
    Procedure(
        "staff_misuse_allegation",
        "Concern about a member of staff",
        ("INC-STAFF-01", "INC-STAFF-02", "INC-STAFF-03", "INC-STAFF-04", "INC-STAFF-05", "INC-STAFF-06"),
        (
            Q_DANGER,
            Step(
                "q_illegal",
                "Is the member of staff thought to hold illegal content, or to have used a device to commit an "
                "offence?",
                "",
                is_question=True,
                refer=REFER_POLICE_LADO,
            ),
            Step(
                "head_informed",
                "The head is leading (the chair of governors if it is about the head)",
                "Nobody else investigates, and the person concerned is not told or shown this record until the LADO "
                "or police agree.",
            ),
            Step(
                "lado",
                "Speak to the LADO within one working day",
                "Record the date, who you spoke to, their advice and any reference.",
            ),
            Step(
                "secure_devices",
                "Secure any device involved until the police or LADO advise",
                "It is not wiped, repaired, reissued or returned in the meantime.",
            ),
            Step(
                "procedure_chosen",
                "Record which procedure is being followed",
                "Managing allegations, staff conduct or disciplinary; note who decided and why.",
            ),
            Step(
                "outcome",
                "Record the outcome and any disciplinary, civil or legal action",
            ),
            Step(
                "support",
                "Arrange support for any child affected and for the member of staff",
            ),
            REVIEW,
        ),
    ),
    Procedure(
        "data_breach",
        "Data breach",
        ("REP-04",),
        (
            Step(
                "q_high_risk",
                "Could the breach put anyone at risk, for example a child's address reaching someone it must be "
                "kept from?",
                "",
                is_question=True,
                refer=REFER_DATA_BREACH,
            ),
            Step(
                "contain",
                "Contain the breach",
                "Recall or delete the message, ask whoever received it to delete it, change passwords or lock the "
                "account.",
            ),
            Step(
                "record_details",
                "Record what information was involved, whose it was, and when and how it got out",
            ),
            Step(
                "dpo",
                "Tell the school's data protection officer",
                "They decide, within 72 hours of the school becoming aware, whether the ICO must be told.",
            ),
            Step(
                "tell_people_affected",
                "Decide whether to tell the people whose information it was",
                "Record the decision and what they were told.",
            ),
            REVIEW,
        ),
    ),
    Procedure(
        "other",
        "Something else",
        ("REP-18", "REP-19", "REP-25"),
        (
            Q_DANGER,
            DSL_INFORMED,
            Step(
                "check_category",
                "Check whether a more specific category fits",
                "If one does, change the category so its checklist is added.",
            ),
            ASSESS_RISK,
            PARENTS,
            SUPPORT,
            REVIEW,
        ),
    ),
)

PROCEDURES: dict[str, Procedure] = {procedure.category: procedure for procedure in PROCEDURES_LIST}


@dataclass(frozen=True)
class Variant:
    """A shorter procedure the DSL may add to a concern of ``category`` when the situation fits it.

    ``key`` is stored as the steps' procedure on the concern, so it is stable and at most 40
    characters long. The category's full procedure stays on the concern; steps that do not apply
    are marked so with a reason.
    """

    key: str
    category: str
    title: str
    when: str
    requirements: tuple[str, ...]
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


VARIANTS_LIST: tuple[Variant, ...] = (
    Variant(
        "iioc_accidental_exposure",
        "indecent_images_of_children",
        "Accidental exposure online",
        "A member of staff or a learner came across such images online by accident, and no device holds them.",
        ("INC-IIOC-04", "INC-IIOC-07", "INC-IIOC-08"),
        (
            Step(
                "q_child_known",
                "Could a child shown be known to the school, or be in danger now?",
                "Answer from what the person described. Nobody looks again to check.",
                is_question=True,
            ),
            DSL_INFORMED,
            DO_NOT_COPY,
            Step(
                "report_iwf",
                "Report the web address to the Internet Watch Foundation",
                "The address only, typed as plain text: never a screenshot or the images. Record the date and the "
                "report reference under “Record a referral or report”.",
            ),
            Step(
                "copies_deleted",
                "Make sure no copy is left anywhere",
                "Check email (including anything forwarded to the DSL), downloads, shared drives and browser history "
                "on the device used, and record that it was done.",
            ),
            Step(
                "filtering_check",
                "Ask the technician to block the address and find out why the filter let it through",
                "Record the result, and the filtering provider's reference if it was reported to them.",
            ),
            Step(
                "parents",
                "If a learner saw the images, decide whether and how to tell their parents or carers",
                "Record the decision either way.",
            ),
            Step(
                "support",
                "Offer support to whoever saw the images",
                "Seeing such material can be distressing. Note what was offered and whether it was taken up.",
            ),
            REVIEW,
        ),
    ),
)

VARIANTS: dict[str, Variant] = {variant.key: variant for variant in VARIANTS_LIST}


def variants_for(category_id: str) -> list[Variant]:
    return [variant for variant in VARIANTS_LIST if variant.category == category_id]


def procedure_for(category_id: str) -> Procedure:
    """The default procedure of a category; KeyError for an unknown category."""
    return PROCEDURES[category_id]


def refer_text(category_id: str, key: str) -> str:
    """What a "yes" to a question means. A school's own questions get the general referral text."""
    procedure = PROCEDURES.get(category_id) or VARIANTS.get(category_id)
    if procedure is not None:
        try:
            return procedure.step(key).refer or REFER_NOW
        except KeyError:
            pass
    return REFER_NOW


def missing_categories() -> list[str]:
    """Categories without a procedure: the table must cover the whole fixed list (tested)."""
    return [category.id for category in categories.CATEGORIES if category.id not in PROCEDURES]
