"""What a member of staff does when worried, per kind of concern, and whom to tell (REP-24, REP-25).

The steps are Harbour's own plain-language summary, written for the person who notices something,
not for the DSL's procedure (that lives in the per-category checklists). None of them ever asks
anyone to look at, save, copy or send a suspected image: for those kinds they say the opposite.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.accounts.selectors import safeguarding_contacts
from harbour.concerns import categories

NEVER_HANDLE_IMAGES = (
    "Do not look at, ask to see, copy, screenshot, print, forward or save the picture or video, and never "
    "ask a child or anyone else to send it to you. Describe it only from what you were told."
)


@dataclass(frozen=True)
class RouteContact:
    name: str
    role: str
    job_title: str
    when: str


@dataclass(frozen=True)
class RouteGuidance:
    category_id: str
    label: str
    steps: tuple[str, ...]
    signpost: str


def reporting_contacts(*, actor: Membership) -> list[RouteContact]:
    """Who to tell inside school: the DSL first, then deputies, then the head and the chair (ROL-03)."""
    school = actor.school
    contacts = [
        RouteContact(
            name=m.user.display_name,
            role=m.get_role_display(),
            job_title=m.job_title,
            when="Any worry about a child." if m.role == Role.DSL else "Any worry about a child, if the DSL is away.",
        )
        for m in safeguarding_contacts(school=school)
    ]
    leaders = (
        Membership.objects.filter(school=school, is_active=True, user__is_active=True)
        .filter(Q(role=Role.HEADTEACHER) | Q(is_chair_of_governors=True))
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    for m in sorted(leaders, key=lambda m: m.role != Role.HEADTEACHER):
        if m.role == Role.HEADTEACHER:
            role, when = school.head_title, "A worry about how a member of staff behaves with children."
        else:
            role, when = "Chair of governors", f"A worry about the {school.head_title.lower()}."
        contacts.append(RouteContact(name=m.user.display_name, role=role, job_title=m.job_title, when=when))
    return contacts


_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "filtering_breach": (
        (
            "Turn the screen off or close the lid; do not keep browsing to see how far it goes.",
            "Note the device, the time and what the pupil was doing. If the content could be a sexual image "
            "of a child, follow the steps for indecent images instead and take no screenshot.",
            "Log it and tell the DSL and the technician, so the site can be blocked quickly.",
            "Reassure the pupil: coming across something by accident is not their fault.",
        ),
        "The school's filtering provider (in the directory) blocks or unblocks sites.",
    ),
    "peer_on_peer_abuse": (
        (
            "If anyone is at risk, separate the children and keep each one with an adult.",
            "Listen, let the child talk, and write down what they said in their own words. Ask open "
            "questions only, and never promise to keep it secret.",
            "Do not treat it as banter or part of growing up.",
            "Log it and tell the DSL today; straight away if anyone is hurt or frightened.",
        ),
        "Childline gives children someone to talk to at any time.",
    ),
    "cyberbullying": (
        (
            "Tell the child they did the right thing in telling you.",
            "Ask them not to reply and not to delete anything. Note the dates, the app or game and the "
            "account names involved.",
            "If the messages include a nude or sexual image, stop and follow those steps instead.",
            "Log it; the DSL decides whether it is handled under the behaviour policy or as safeguarding.",
        ),
        "Children can talk to Childline; the Professionals Online Safety Helpline helps staff get posts removed.",
    ),
    "youth_produced_sexual_imagery": (
        (
            NEVER_HANDLE_IMAGES,
            "If you have to take a device, switch it off or lock it and give it to the DSL without looking through it.",
            "Tell the DSL in person at once, then log it. Only the safeguarding team deals with these.",
            "Do not contact parents or the other children involved yourself: the DSL decides who is told.",
            "Reassure the child that help is available and that they are not in trouble for asking for it.",
        ),
        "Childline can help a young person get a nude image of themselves taken down.",
    ),
    "online_sexual_harassment": (
        (
            "Take it seriously even if it was called a joke.",
            "Write down what was said or done, when and on which app, using the child's own words.",
            "If pictures are involved, follow the steps for nude or sexual images: do not look or copy.",
            "Log it and tell the DSL today.",
        ),
        "Childline for children; CEOP if an adult is involved.",
    ),
    "online_abuse_exploitation": (
        (
            "If a child is in danger now or is about to meet someone, call 999.",
            "Tell the DSL in person at once, then log it.",
            "Do not contact the suspected person and do not ask the child to keep chatting to them.",
            NEVER_HANDLE_IMAGES,
            "Leave any device as it is and keep it safe; do not tell parents yourself.",
        ),
        "CEOP takes reports of online sexual abuse and grooming, including from children.",
    ),
    "indecent_images_of_children": (
        (
            "Stop at once. " + NEVER_HANDLE_IMAGES,
            "Do not delete or move anything, and make sure nobody else uses the device.",
            "Tell the DSL in person straight away; if the device belongs to a member of staff, tell the head instead.",
            "The DSL decides with the police what happens next.",
        ),
        "The IWF takes reports of web addresses only, never the images themselves.",
    ),
    "illegal_content": (
        (
            "Do not download, copy or share it. Write down where you saw it and when.",
            "If someone is at risk right now, call 999.",
            "Log it and tell the DSL, who decides whether to report it to the police.",
        ),
        "The police on 101; Action Fraud for scams and cyber crime.",
    ),
    "online_hate": (
        (
            "Support the person targeted and make it clear hate is not accepted here.",
            "Write down what was said, where and by whom; do not pass it on.",
            "Log it; the DSL decides about sanctions, support, and whether the police should know.",
        ),
        "Hate crime can be reported to the police on 101; children can talk to Childline.",
    ),
    "radicalisation_extremism": (
        (
            "If there is a threat to anyone's safety, call 999.",
            "Write down what the child said or showed you, in their own words, without arguing or debating.",
            "Tell the DSL today and log it; the DSL decides whether to seek Prevent advice.",
        ),
        "The DSL contacts the local Prevent team through the police.",
    ),
    "staff_misuse_allegation": (
        (
            "Tell the head, not the person it is about. If it is about the head, tell the chair of governors.",
            "Do not look into it yourself or discuss it with colleagues.",
            "Log it as a concern about a member of staff: only the head (or the chair) will see it.",
            "Write down facts: what you saw or were told, and when.",
        ),
        "The head, or the chair of governors, contacts the LADO.",
    ),
    "data_breach": (
        (
            "Contain it if you can: recall the email, ask the person who received it to delete it, or "
            "report the lost device.",
            "Tell the DSL and the school's data protection lead at once: some breaches must be reported to "
            "the Information Commissioner within 72 hours.",
            "Log it with what was lost, whose data it was and when it happened.",
        ),
        "The school's data protection lead advises on what happens next.",
    ),
    "other": (
        (
            "If you are unsure, log it anyway: it is better to report something that turns out to be nothing.",
            "Write down what you saw or were told, in the child's own words.",
            "Tell the DSL, and never try to sort a safeguarding worry out on your own.",
        ),
        "Ask the DSL where to signpost the child or family.",
    ),
}


def route_guidance() -> list[RouteGuidance]:
    """The "what to do" steps for every category, in the category list's order (REP-25)."""
    guidance = []
    for category in categories.CATEGORIES:
        steps, signpost = _STEPS.get(category.id, _STEPS["other"])
        guidance.append(RouteGuidance(category.id, category.label, steps, signpost))
    return guidance
