"""The words of the "Can I…?" rules engine, exactly as policy-questions.md fixes them (GOV-23).

ACTORS: who asks; CONTEXT_KEYS: the optional facts (key -> allowed values); ACTIONS: what they want
to do, with the context keys each accepts and the requirement rows it answers. New actions go at the
end of their section and are never renamed; a retired id moves to RETIRED_ACTIONS (old -> new) and
keeps answering with an error naming its replacement (policy-questions.md §5).

Pure module: no Django, no harbour import. The tables are data, laid out one entry per block.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: str
    meaning: str
    plural: str  # for wording: "not covered for visitors"


@dataclass(frozen=True)
class ContextKey:
    id: str
    values: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class Action:
    id: str
    section: str  # "4.1" … "4.13"
    meaning: str
    typical_actors: tuple[str, ...]  # "everyone" in the table is expanded to every actor
    context_keys: tuple[str, ...]
    rows: tuple[str, ...]  # REQUIREMENTS.md rows the answer rests on


# fmt: off
_ACTORS = (
    Actor('staff', meaning=(
        'An employee of the school in an ordinary role: teacher, teaching assistant, support, office or '
        'site staff.'
    ), plural='staff'),
    Actor('learner', meaning=(
        'A pupil on the school roll.'
    ), plural='learners'),
    Actor('parent', meaning=(
        'A parent or carer of a learner.'
    ), plural='parents and carers'),
    Actor('visitor', meaning=(
        'Someone visiting the site who is not there as a parent, volunteer or contractor (e.g. a visiting'
        ' speaker or inspector).'
    ), plural='visitors'),
    Actor('volunteer', meaning=(
        'An unpaid helper working with the school (reading helper, trip helper, club helper).'
    ), plural='volunteers'),
    Actor('contractor', meaning=(
        'A worker from an outside firm on site or working for the school (builder, IT engineer, caterer).'
    ), plural='contractors'),
    Actor('governor', meaning=(
        'A member of the governing body.'
    ), plural='governors'),
    Actor('technical_staff', meaning=(
        "The ICT technician or anyone else who manages the school's technical environment."
    ), plural='technical staff'),
    Actor('dsl', meaning=(
        'The designated safeguarding lead, or a deputy DSL, acting in that role.'
    ), plural='the DSL and deputies'),
    Actor('headteacher', meaning=(
        'The head of the school (headteacher or executive headteacher).'
    ), plural='the head'),
    Actor('leadership_team', meaning=(
        "Someone on the school's leadership team or SLT, other than the head."
    ), plural='the leadership team'),
    Actor('pta', meaning=(
        'An officer or member of the parent-teacher association acting for it.'
    ), plural='the PTA'),
)
ACTORS: dict[str, Actor] = {a.id: a for a in _ACTORS}

_CONTEXT_KEYS = (
    ContextKey('location', values=(
        'classroom', 'hall', 'playground', 'staff_room', 'office', 'office_waiting_area', 'changing_room',
        'toilet', 'swimming_pool', 'exam_room',
    ), meaning=(
        'Where the action happens (on site, or at the place visited for '
        '`use_personal_phone_on_school_trip`).'
    )),
    ContextKey('device', values=(
        'phone', 'tablet', 'smart_watch', 'camera', 'games_console', 'laptop',
    ), meaning=(
        'The kind of personal device involved. Omitted means a mobile phone.'
    )),
    ContextKey('reason', values=(
        'emergency', 'suspected_covid_case', 'educational_activity', 'medical_need', 'behaviour_breach',
        'bullying', 'child_protection', 'suspected_nude_image', 'suspected_illegal_material',
        'repeat_offence',
    ), meaning=(
        'Why it is being done. For confiscation and searching it is what the member of staff believes the'
        ' device is being used for or contains.'
    )),
    ContextKey('learners_present', values=(
        'yes', 'no',
    ), meaning=(
        'Whether learners are present at the time.'
    )),
    ContextKey('consent', values=(
        'given', 'not_given',
    ), meaning=(
        "Whether the consent that matters for this action (learner's, parent's or participants', as the "
        'action says) has been given, in the form the policy needs.'
    )),
    ContextKey('learner_age', values=(
        'under_13', '13_or_over',
    ), meaning=(
        'Age of the learner the action concerns.'
    )),
    ContextKey('key_stage', values=(
        'eyfs', 'ks1', 'ks2',
    ), meaning=(
        "The learner's stage: Early Years Foundation Stage, Key Stage 1 or Key Stage 2."
    )),
)
CONTEXT_KEYS: dict[str, tuple[str, ...]] = {k.id: k.values for k in _CONTEXT_KEYS}
CONTEXT_KEY_INFO: dict[str, ContextKey] = {k.id: k for k in _CONTEXT_KEYS}

SECTIONS: dict[str, str] = {
    '4.1': 'Personal phones and devices (everyone)',
    '4.2': 'Staff use of their own devices',
    '4.3': 'Contact between home and learners during the day',
    '4.4': "Confiscating and searching learners' devices",
    '4.5': 'School-provided devices, systems and data',
    '4.6': 'Email',
    '4.7': 'Social media: everyone',
    '4.8': 'Staff personal social media',
    '4.9': 'Learners and social media',
    '4.10': 'Official and PTA social media; images of learners',
    '4.11': 'Remote learning and live lessons',
    '4.12': 'Nude and indecent images of children; online sexual abuse',
    '4.13': 'Concerns and incidents',
}

_EVERYONE = tuple(ACTORS)


def _a(section: str, id: str, typical: tuple[str, ...], keys: tuple[str, ...], rows: tuple[str, ...],
       *meaning: str) -> Action:
    return Action(id, section, "".join(meaning), typical, keys, rows)


# _a(section, id, typical actors, context keys, rows, meaning...)
_ACTIONS = (
    # 4.1 Personal phones and devices (everyone)
    _a('4.1', 'bring_personal_phone_on_site',
       ('learner', 'staff', 'visitor'), ('device', 'reason'), ('DEV-LRN-02',),
       "Bring one's own phone or other personal device onto the school site at all."),
    _a('4.1', 'keep_personal_phone_with_them',
       ('learner', 'staff'), ('device', 'location'), ('DEV-LRN-02', 'DEV-STF-02'),
       "Keep one's own device on one's person or in one's bag during the school day, rather than handing ",
       'it in or storing it away.'),
    _a('4.1', 'use_personal_phone_on_site',
       ('visitor', 'parent', 'volunteer', 'contractor', 'staff', 'learner'),
       ('location', 'device', 'learners_present'), ('DEV-GEN-05', 'DEV-VIS-01'),
       "Use one's own device somewhere on the school premises (use during lessons is asked with ",
       '`use_personal_phone_in_lesson`).'),
    _a('4.1', 'use_personal_phone_on_school_trip',
       ('staff', 'volunteer', 'learner'), ('location', 'device'), ('DEV-GEN-05',),
       "Use one's own device while away from the site on a school visit or trip."),
    _a('4.1', 'use_personal_phone_in_lesson',
       ('staff', 'learner'), ('reason', 'device'), ('DEV-STF-03', 'DEV-LRN-11'),
       "Use one's own device during lesson or other teaching time."),
    _a('4.1', 'send_abusive_message', _EVERYONE, ('device',), ('DEV-GEN-07',),
       'Send abusive or inappropriate messages, images or other content from a phone or personal device.'),
    _a('4.1', 'use_personal_device_for_medical_needs', ('learner', 'parent'), ('device',), ('DEV-LRN-05',),
       'A learner has and uses their own device for medical help or monitoring (e.g. a phone linked to a ',
       'glucose sensor).'),
    _a('4.1', 'take_personal_device_into_exam', ('learner',), ('device',), ('DEV-EXM-01',),
       'Have a phone or other personal device with one in an examination.'),
    # 4.2 Staff use of their own devices
    _a('4.2', 'contact_learner_via_personal_phone', ('staff', 'governor', 'volunteer'), (), ('DEV-STF-07',),
       "Call, text or message a learner from one's own phone or device."),
    _a('4.2', 'contact_parent_via_personal_phone', ('staff', 'governor', 'volunteer'), (), ('DEV-STF-07',),
       "Call, text or message a parent or carer, about school matters, from one's own phone or device."),
    _a('4.2', 'photograph_learners_on_personal_device',
       ('staff', 'volunteer', 'visitor', 'parent'), ('location', 'device'), ('DEV-STF-09',),
       "Take photos or video of learners with one's own phone, tablet or camera."),
    _a('4.2', 'use_personal_device_to_teach', ('staff', 'volunteer'), ('device',), ('DEV-STF-11',),
       "Use one's own device to work directly with learners in a lesson or other educational activity."),
    _a('4.2', 'teach_remotely_on_personal_device', ('staff',), (), ('RML-03',),
       "Deliver remote learning (live or recorded) to learners from one's own device."),
    _a('4.2', 'use_personal_device_for_pupil_tracking_app', ('staff',), ('device',), ('APP-03',),
       "Open, or upload to, an app that holds learners' personal details, attainment or photos, from ",
       "one's own device."),
    # 4.3 Contact between home and learners during the day
    _a('4.3', 'use_school_phone_to_call_home', ('learner',), (), ('DEV-LRN-08',),
       'A learner uses a school (office) phone to speak to their parent or carer during the day.'),
    _a('4.3', 'contact_child_directly_in_school_hours', ('parent',), (), ('DEV-LRN-09',),
       'A parent or carer reaches their child directly (calls or messages the child) during the school ',
       'day instead of going through the office.'),
    # 4.4 Confiscating and searching learners' devices
    _a('4.4', 'confiscate_learner_device', ('staff', 'leadership_team'), ('reason', 'device'), ('DEV-CNF-01',),
       "Take a learner's phone or device away from them."),
    _a('4.4', 'keep_confiscated_device_beyond_end_of_day',
       ('staff', 'leadership_team'), ('reason',), ('DEV-CNF-04',),
       'Hold a confiscated device after the school day has ended instead of handing it back.'),
    _a('4.4', 'search_learner_device',
       ('leadership_team', 'headteacher', 'staff', 'dsl'), ('consent', 'reason'), ('DEV-SRC-01',),
       "Look through the content of a learner's phone or device (consent here is the learner's or a ",
       "parent's)."),
    _a('4.4', 'delete_content_on_learner_device',
       ('leadership_team', 'staff'), ('reason',), ('DEV-SRC-01', 'DEV-SRC-03'),
       "Delete, or tell the learner to delete, content found on the learner's device."),
    # 4.5 School-provided devices, systems and data
    _a('4.5', 'use_staff_work_device', ('learner', 'parent', 'visitor', 'staff'), (), ('DEV-OFF-03', 'DEV-OFF-05'),
       'Use a school-provided mobile phone or device that has been issued for staff use.'),
    _a('4.5', 'take_school_device_off_site_unencrypted', ('staff',), ('device',), ('APP-05',),
       'Take a school laptop, tablet or phone that holds school data off site without it being encrypted.'),
    _a('4.5', 'use_school_computers_or_internet',
       ('visitor', 'learner', 'staff', 'parent'), (), ('ACC-02', 'ACC-13'),
       "Be given, and use, access to the school's computers, network, IT resources or internet ",
       'connection.'),
    _a('4.5', 'use_internet_unsupervised', ('learner',), ('key_stage',), ('TOOL-06',),
       'A learner goes online on school systems without an adult directly supervising.'),
    _a('4.5', 'access_social_media_on_school_device', ('learner', 'staff'), ('key_stage',), ('FLT-09',),
       'Reach social media sites or apps from a school device or the school network on site.'),
    _a('4.5', 'share_school_account_password', _EVERYONE, (), ('ACC-08',),
       "Tell someone else one's password for a school system, or leave it written down where it could be ",
       'seen.'),
    _a('4.5', 'log_in_as_another_user', _EVERYONE, (), ('ACC-08',),
       "Sign in to a school system with someone else's account."),
    _a('4.5', 'use_portable_media_on_school_device', ('staff', 'learner'), (), ('DPS-04',),
       'Connect a USB stick, memory card or external drive to a school device.'),
    _a('4.5', 'publish_personal_information_on_school_website', ('staff', 'leadership_team'), (), ('WEB-02',),
       'Put personal details of an individual member of staff or learner on the school website.'),
    # 4.6 Email
    _a('4.6', 'use_personal_email_for_school_business', ('staff', 'governor'), (), ('EML-07',),
       'Use a personal email address for official school communication.'),
    _a('4.6', 'forward_chain_email', _EVERYONE, (), ('EML-02',),
       'Pass on chain emails or chain messages.'),
    _a('4.6', 'send_personal_data_by_unencrypted_email', ('staff',), (), ('EML-03',),
       'Email sensitive or personal information without using secure, encrypted email.'),
    _a('4.6', 'register_personal_social_media_with_school_email', ('staff', 'learner'), (), ('EML-04',),
       'Use a school email address (or other official contact detail) to open a personal social media ',
       'account.'),
    # 4.7 Social media: everyone
    _a('4.7', 'use_personal_social_media_in_school_hours',
       ('staff', 'learner'), ('learners_present', 'reason'), ('SOC-GEN-03',),
       "Use social media for one's own purposes during the school day."),
    _a('4.7', 'bully_someone_online', ('learner', 'staff', 'parent'), (), ('INC-CYB-01',),
       'Bully another member of the school community online (cyberbullying).'),
    _a('4.7', 'post_hate_content_online', _EVERYONE, (), ('INC-HATE-01',),
       'Post hateful content online aimed at members of the school community.'),
    # 4.8 Staff personal social media
    _a('4.8', 'share_learner_information_on_social_media', ('staff', 'governor', 'volunteer'), (), ('SOC-STF-08',),
       'Post or discuss on social media photos or details about learners, their families or colleagues ',
       'that one knows through work.'),
    _a('4.8', 'identify_school_as_employer_on_personal_social_media', ('staff',), (), ('SOC-STF-06',),
       "Name the school as one's employer on a personal social networking profile."),
    _a('4.8', 'contact_learner_via_personal_social_media', ('staff', 'governor', 'volunteer'), (), ('SOC-STF-10',),
       'Message or otherwise contact a current learner from a personal social media account.'),
    _a('4.8', 'contact_parent_via_personal_social_media', ('staff', 'governor', 'volunteer'), (), ('SOC-STF-10',),
       'Message or otherwise contact a parent or carer, about school matters, from a personal social ',
       'media account.'),
    _a('4.8', 'accept_learner_friend_request', ('staff',), (), ('SOC-STF-10', 'SOC-STF-12'),
       'Accept a friend, follow or contact request from a current learner on a personal account.'),
    _a('4.8', 'befriend_former_learner_or_family', ('staff',), (), ('SOC-STF-12',),
       'Add or accept as a "friend", or chat with, a former learner or a learner\'s family member on a ',
       'personal account.'),
    _a('4.8', 'keep_in_contact_with_former_learner', ('staff',), (), ('SOC-STF-15',),
       'Stay in touch with a learner after they have left the school.'),
    _a('4.8', 'follow_school_social_media_from_personal_account', ('staff',), (), ('SOC-OFF-13',),
       "Follow or like the school's or PTA's channels from one's personal account rather than a separate ",
       'professional one.'),
    # 4.9 Learners and social media
    _a('4.9', 'create_social_media_account_for_learner',
       ('staff', 'leadership_team'), ('learner_age',), ('SOC-LRN-02',),
       'The school sets up an account for a learner on a social media service whose terms set a minimum ',
       'age of 13 or more.'),
    _a('4.9', 'meet_online_friend_in_person', ('learner',), (), ('SOC-LRN-03',),
       'A learner meets face to face someone they know only from online.'),
    # 4.10 Official and PTA social media; images of learners
    _a('4.10', 'set_up_social_media_channel',
       ('staff', 'leadership_team', 'pta'), (), ('SOC-OFF-01', 'SOC-OFF-02', 'SOC-OFF-06'),
       'Open a social media account or channel that speaks for the school or for the PTA.'),
    _a('4.10', 'post_learner_images_on_official_social_media',
       ('staff', 'pta'), ('consent',), ('SOC-OFF-11', 'IMG-01'),
       "Post photos or video of learners on the school's official channels or on PTA channels (consent ",
       "here is the parent's written consent for that use)."),
    _a('4.10', 'post_learner_images_online_without_consent', ('staff', 'pta', 'parent'), (), ('IMG-01', 'IMG-03'),
       'Publish images of learners online (website or social media) when no written consent covers that ',
       'use.'),
    _a('4.10', 'private_message_from_school_social_media_account', ('staff',), (), ('SOC-OFF-17',),
       'Exchange direct or private messages with current or former learners or parents while posting for ',
       'the school.'),
    # 4.11 Remote learning and live lessons
    _a('4.11', 'use_app_as_remote_learning_platform', ('staff', 'dsl', 'headteacher'), (), ('RML-07',),
       'Use a social media service or app as the platform for formal remote learning.'),
    _a('4.11', 'include_learners_in_videoconference', ('staff',), ('consent',), ('VC-02',),
       "Have learners take part in a videoconference or webcam session (consent here is the parent's)."),
    _a('4.11', 'record_video_lesson', ('staff',), ('consent',), ('VC-03',),
       'Record a live video lesson or videoconference (consent here is that of everyone taking part).'),
    # 4.12 Nude and indecent images of children; online sexual abuse
    _a('4.12', 'view_suspected_nude_image',
       ('staff', 'dsl', 'headteacher', 'technical_staff', 'leadership_team'), (), ('INC-YPSI-14',),
       'Look at a suspected nude image of a child.'),
    _a('4.12', 'forward_suspected_nude_image', ('staff', 'dsl', 'learner'), (), ('INC-YPSI-16',),
       'Send or share such an image onward, to anyone, including a colleague or the DSL.'),
    _a('4.12', 'save_copy_of_suspected_nude_image', ('staff', 'dsl'), (), ('INC-YPSI-16',),
       'Save, screenshot, print or otherwise copy such an image.'),
    _a('4.12', 'delete_suspected_nude_image', ('staff', 'dsl', 'leadership_team'), (), ('INC-IIOC-11',),
       'Delete such an image from a device, email or account.'),
    _a('4.12', 'ask_learner_to_send_suspected_nude_image', ('staff', 'dsl'), (), ('INC-YPSI-16',),
       'Ask or let a learner send, share or save such an image (e.g. "as evidence").'),
    _a('4.12', 'handle_nude_image_or_sexual_abuse_concern',
       ('staff', 'dsl', 'headteacher'), (), ('INC-YPSI-01', 'INC-CSAE-01'),
       'Take charge of a concern about such an image, or about online sexual abuse or exploitation of a ',
       'child (investigate, decide, close), instead of passing it on.'),
    _a('4.12', 'keep_copy_of_indecent_image',
       ('dsl', 'technical_staff', 'headteacher'), (), ('INC-IIOC-06', 'INC-IIOC-11'),
       'Keep a copy of an indecent image of a child that was found on school devices (e.g. as evidence).'),
    # 4.13 Concerns and incidents
    _a('4.13', 'resolve_concern_without_reporting', _EVERYONE, (), ('REP-10',),
       'Deal with an online safety concern oneself, or talk it over outside the official route, without ',
       'reporting it.'),
    _a('4.13', 'share_incident_with_other_schools', ('dsl', 'headteacher'), (), ('REP-17', 'INC-CSAE-08'),
       'Pass details of an incident beyond the school community, e.g. to other schools or as a public ',
       'warning.'),
)
# fmt: on
ACTIONS: dict[str, Action] = {a.id: a for a in _ACTIONS}

# Retired action id -> the id that replaced it; asking the old one is an error naming the new one.
RETIRED_ACTIONS: dict[str, str] = {}

assert len(ACTIONS) == len(_ACTIONS), "duplicate action id"
assert not set(RETIRED_ACTIONS) & set(ACTIONS), "a retired id cannot also be live"
