"""The words of the "Can I…?" guide (GOV-23): how each action is asked, per audience, and the short
child-friendly reasons shown to learners.

Three ways of asking an action: ``adult`` (an adult asking for themselves, or about pupils in
general), ``kid`` (a learner asking, short and plain) and ``child`` (a parent asking about their child).
Reasons for learners say why a rule exists without saying what the rule is, so they read right for
every school's answer. All text is Harbour's own. Pure module: no Django, no other harbour app.
"""

from __future__ import annotations

from typing import NamedTuple


class Wording(NamedTuple):
    adult: str
    kid: str | None = None
    child: str | None = None


QUESTIONS: dict[str, Wording] = {
    # 4.1 Personal phones and devices
    "bring_personal_phone_on_site": Wording(
        "Can I bring my phone or another personal device onto the school site?",
        "Can I bring my phone to school?",
        "Can my child bring a phone or other device to school?",
    ),
    "keep_personal_phone_with_them": Wording(
        "Can I keep my phone with me during the school day?",
        "Can I keep my phone in my bag or pocket during the day?",
        "Can my child keep their phone with them during the day?",
    ),
    "use_personal_phone_on_site": Wording(
        "Can I use my phone while I am on the school site?", "Can I use my phone at school?"
    ),
    "use_personal_phone_on_school_trip": Wording(
        "Can I use my phone on a school trip?",
        "Can I use my phone on a school trip?",
        "Can my child use their phone on a school trip?",
    ),
    "use_personal_phone_in_lesson": Wording(
        "Can I use my phone during lessons or teaching time?",
        "Can I use my phone in lessons?",
        "Can my child use their phone in lessons?",
    ),
    "send_abusive_message": Wording(
        "Can I send abusive or inappropriate messages or pictures from my phone?",
        "Can I send mean or rude messages or pictures?",
    ),
    "use_personal_device_for_medical_needs": Wording(
        "Can a pupil keep their own device for a medical need, such as a phone linked to a glucose sensor?",
        "Can I have my phone or device with me because of a medical need?",
        "Can my child keep a device with them because of a medical need?",
    ),
    "take_personal_device_into_exam": Wording(
        "Can a pupil take a phone or other device into an exam?",
        "Can I take my phone or smart watch into a test or exam?",
        "Can my child take a phone into an exam?",
    ),
    # 4.2 Staff use of their own devices
    "contact_learner_via_personal_phone": Wording("Can I call or message a pupil from my own phone?"),
    "contact_parent_via_personal_phone": Wording("Can I call or message a parent or carer from my own phone?"),
    "photograph_learners_on_personal_device": Wording(
        "Can I take photos or videos of pupils on my own phone, tablet or camera?"
    ),
    "use_personal_device_to_teach": Wording("Can I use my own device to work with pupils in a lesson?"),
    "teach_remotely_on_personal_device": Wording("Can I teach remotely from my own device?"),
    "use_personal_device_for_pupil_tracking_app": Wording(
        "Can I open or upload to the pupil tracking app from my own phone or device?"
    ),
    # 4.3 Contact between home and learners
    "use_school_phone_to_call_home": Wording(
        "Can a pupil use a school phone to call home?",
        "Can I use a school phone to call home?",
        "Can my child use a school phone to call me?",
    ),
    "contact_child_directly_in_school_hours": Wording("Can I call or message my child directly during the school day?"),
    # 4.4 Confiscating and searching
    "confiscate_learner_device": Wording("Can I take a pupil's phone or device away from them?"),
    "keep_confiscated_device_beyond_end_of_day": Wording(
        "Can I keep a confiscated device after the end of the school day?"
    ),
    "search_learner_device": Wording("Can I look through what is on a pupil's phone or device?"),
    "delete_content_on_learner_device": Wording("Can I delete, or tell a pupil to delete, something on their device?"),
    # 4.5 School devices, systems and data
    "use_staff_work_device": Wording(
        "Can I use a school phone or device that has been issued to staff?",
        "Can I use a teacher's school phone or tablet?",
    ),
    "take_school_device_off_site_unencrypted": Wording(
        "Can I take a school laptop, tablet or phone off site if it is not encrypted?"
    ),
    "use_school_computers_or_internet": Wording(
        "Can I use the school's computers, network or internet?", "Can I use the school computers and internet?"
    ),
    "use_internet_unsupervised": Wording(
        "Can pupils go online at school without an adult supervising?",
        "Can I go online at school without a grown-up watching?",
        "Can my child go online at school without an adult watching?",
    ),
    "access_social_media_on_school_device": Wording(
        "Can I reach social media on a school device or the school network?",
        "Can I use social media apps on a school computer or tablet?",
    ),
    "share_school_account_password": Wording(
        "Can I tell someone my school password, or leave it written down where others can see it?",
        "Can I tell a friend my school password?",
    ),
    "log_in_as_another_user": Wording(
        "Can I log in to a school system with someone else's account?", "Can I log in as someone else?"
    ),
    "use_portable_media_on_school_device": Wording(
        "Can I plug a USB stick, memory card or external drive into a school device?",
        "Can I plug a USB stick into a school computer?",
    ),
    "publish_personal_information_on_school_website": Wording(
        "Can I put a pupil's or colleague's personal details on the school website?"
    ),
    # 4.6 Email
    "use_personal_email_for_school_business": Wording("Can I use my personal email address for school business?"),
    "forward_chain_email": Wording("Can I forward chain emails or chain messages?", "Can I send on a chain message?"),
    "send_personal_data_by_unencrypted_email": Wording(
        "Can I email personal or sensitive information without using secure, encrypted email?"
    ),
    "register_personal_social_media_with_school_email": Wording(
        "Can I use my school email address to sign up for a personal social media account?",
        "Can I use my school email to sign up for apps or games?",
    ),
    # 4.7 Social media: everyone
    "use_personal_social_media_in_school_hours": Wording(
        "Can I use social media for myself during the school day?",
        "Can I go on social media during the school day?",
        "Can my child use social media during the school day?",
    ),
    "bully_someone_online": Wording(
        "Can I post or send things online that bully someone in the school community?",
        "Can I be mean to someone online, even as a joke?",
    ),
    "post_hate_content_online": Wording(
        "Can I post hateful content aimed at members of the school community?",
        "Can I post hateful things about people online?",
    ),
    # 4.8 Staff personal social media
    "share_learner_information_on_social_media": Wording(
        "Can I post or talk about pupils, their families or colleagues on social media?"
    ),
    "identify_school_as_employer_on_personal_social_media": Wording(
        "Can I name the school as my employer on my personal social media?"
    ),
    "contact_learner_via_personal_social_media": Wording("Can I contact a pupil from my personal social media?"),
    "contact_parent_via_personal_social_media": Wording(
        "Can I contact a parent or carer about school from my personal social media?"
    ),
    "accept_learner_friend_request": Wording("Can I accept a friend or follow request from a pupil?"),
    "befriend_former_learner_or_family": Wording(
        "Can I be friends on social media with a former pupil or a pupil's family member?"
    ),
    "keep_in_contact_with_former_learner": Wording("Can I stay in touch with a pupil after they have left?"),
    "follow_school_social_media_from_personal_account": Wording(
        "Can I follow or like the school's or PTA's social media from my personal account?"
    ),
    # 4.9 Learners and social media
    "create_social_media_account_for_learner": Wording("Can I set up a social media account for a pupil?"),
    "meet_online_friend_in_person": Wording(
        "Can a pupil meet someone they only know from online?",
        "Can I meet up with someone I only know online?",
        "Can my child meet someone they only know from online?",
    ),
    # 4.10 Official and PTA social media; images
    "set_up_social_media_channel": Wording("Can I set up a social media account or channel for the school or the PTA?"),
    "post_learner_images_on_official_social_media": Wording(
        "Can I post photos or videos of pupils on the school's or the PTA's social media?"
    ),
    "post_learner_images_online_without_consent": Wording(
        "Can I publish photos of pupils online without written consent?"
    ),
    "private_message_from_school_social_media_account": Wording(
        "Can I private-message pupils or parents from a school social media account?"
    ),
    # 4.11 Remote learning and live lessons
    "use_app_as_remote_learning_platform": Wording("Can I use a social media service or app for remote learning?"),
    "include_learners_in_videoconference": Wording("Can pupils take part in a video call or webcam session?"),
    "record_video_lesson": Wording("Can I record a live video lesson or video call?"),
    # 4.12 Nude and indecent images
    "view_suspected_nude_image": Wording("Can I look at a suspected nude image of a child?"),
    "forward_suspected_nude_image": Wording(
        "Can I send or show a suspected nude image to someone else, even the DSL?",
        "Can I send on or show a picture of someone without their clothes on?",
    ),
    "save_copy_of_suspected_nude_image": Wording("Can I save, screenshot or print a suspected nude image?"),
    "delete_suspected_nude_image": Wording("Can I delete a suspected nude image I have come across?"),
    "ask_learner_to_send_suspected_nude_image": Wording("Can I ask a pupil to send me the image as evidence?"),
    "handle_nude_image_or_sexual_abuse_concern": Wording(
        "Can I deal with a concern about a nude image or online sexual abuse myself?"
    ),
    "keep_copy_of_indecent_image": Wording(
        "Can I keep a copy of an indecent image found on school devices as evidence?"
    ),
    # 4.13 Concerns and incidents
    "resolve_concern_without_reporting": Wording(
        "Can I sort out an online safety concern myself, without reporting it?",
        "Can I sort out a worry about something online on my own, without telling anyone at school?",
    ),
    "share_incident_with_other_schools": Wording(
        "Can I share details of an incident with other schools or warn the public?"
    ),
}

# Why the rule exists, for learners: true whatever the school's answer is.
KID_WHY: dict[str, str] = {
    "bring_personal_phone_on_site": "Phones can get lost or broken, and they can take your mind off learning.",
    "keep_personal_phone_with_them": "Keeping phones out of the way helps everyone concentrate.",
    "use_personal_phone_on_site": (
        "Some places, like toilets and changing rooms, are private. Phones are never used there."
    ),
    "use_personal_phone_on_school_trip": (
        "On trips, grown-ups need to keep everyone safe, and other people's privacy matters."
    ),
    "use_personal_phone_in_lesson": "Lessons are for learning. A phone is only used if your teacher has planned it.",
    "send_abusive_message": "Unkind messages and pictures hurt people.",
    "use_personal_device_for_medical_needs": (
        "Some children need a device to stay well. School and your family agree a plan."
    ),
    "take_personal_device_into_exam": "Tests and exams have to be fair for everyone.",
    "use_school_phone_to_call_home": "If you need to speak to your family, a grown-up at school will help you.",
    "use_staff_work_device": "School phones and tablets for staff are only for staff to use.",
    "use_school_computers_or_internet": "School computers are for learning, used the way our school rules say.",
    "use_internet_unsupervised": "Grown-ups help keep you safe online while you learn.",
    "access_social_media_on_school_device": "School controls which websites and apps school computers can open.",
    "share_school_account_password": "Your password keeps your work safe. It is only for you.",
    "log_in_as_another_user": "Your account is yours, and other people's accounts are theirs.",
    "use_portable_media_on_school_device": "Things you plug in can carry viruses that harm school computers.",
    "forward_chain_email": "Chain messages can be scary or untrue. Show a grown-up instead of sending them on.",
    "register_personal_social_media_with_school_email": "Your school email is only for school work.",
    "use_personal_social_media_in_school_hours": "School time is for learning and for friends in real life.",
    "bully_someone_online": (
        "Bullying online is still bullying. If it happens to you or a friend, tell a grown-up you trust."
    ),
    "post_hate_content_online": "Everyone in our school deserves respect, online too.",
    "meet_online_friend_in_person": "People online are not always who they say they are.",
    "forward_suspected_nude_image": (
        "If you see a picture like this, do not share it. Tell a grown-up you trust straight away."
    ),
    "resolve_concern_without_reporting": (
        "Worries get smaller when you share them. Tell a grown-up you trust at school."
    ),
}

# The badge and headline for each verdict, for adults and for learners.
BADGES = {
    "allowed": "Allowed",
    "forbidden": "Not allowed",
    "conditional": "Only if…",
    "not_covered": "Policy silent",
}
KID_BADGES = {
    "allowed": "Yes",
    "forbidden": "No",
    "conditional": "Only if…",
    "not_covered": "Ask a grown-up",
}
KID_HEADLINES = {
    "allowed": "Yes, you can.",
    "forbidden": "No, you can't.",
    "conditional": "Only if all of these are true:",
    "not_covered": "Our school's rules don't say. Ask your teacher or another grown-up you trust.",
}

# Topic titles: the vocabulary's sections, with friendlier names for learners.
KID_TOPICS = {
    "general": "About our rules",
    "4.1": "Phones and devices",
    "4.3": "Talking to your family in the day",
    "4.5": "School computers and the internet",
    "4.6": "Email",
    "4.7": "Social media and being kind online",
    "4.9": "Staying safe online",
    "4.11": "Learning at home",
    "4.12": "Pictures that are not OK",
    "4.13": "Telling someone",
}
GENERAL_TOPIC = "About this policy"
