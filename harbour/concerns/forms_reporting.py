"""Forms for logging a concern: the staff form (REP-01, REP-02, REP-05) and the public one (REP-03).

Neither form has a file field, on purpose: suspected images must never be uploaded, copied or
saved (INC-YPSI-12, INC-CSAE-12, INC-IIOC-06). Rules that need the database (learners on roll,
dates in the future, staff of this school) live in the services; the views copy their messages
back onto these forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from harbour.concerns import categories
from harbour.concerns.models import Concern, ConcernLearner
from harbour.concerns.selectors_reporting import MAX_CHOSEN_LEARNERS, StaffChoice
from harbour.core.text_limits import FORM_ERRORS, LONG_TEXT_MAX, form_text_kwargs
from harbour.core.widgets import IsoDateTimeInput as DateTimeLocalInput

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
STAFF_CATEGORY = "staff_misuse_allegation"
# What a parent or visitor is likely to see. School-side matters (the web filter, data handling,
# other illegal content) are for staff; worries about an adult in school go to the head directly.
PUBLIC_CATEGORY_IDS = (
    "cyberbullying",
    "peer_on_peer_abuse",
    "online_sexual_harassment",
    "youth_produced_sexual_imagery",
    "online_abuse_exploitation",
    "indecent_images_of_children",
    "online_hate",
    "radicalisation_extremism",
    "other",
)


def _now_for_input() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


@dataclass(frozen=True)
class CategoryOption:
    """One radio of the category list, with its position for stable ids (``id_category_<n>``)."""

    index: int
    category: categories.Category
    checked: bool


def _category_options(form: forms.Form, allowed: tuple[categories.Category, ...]) -> list[CategoryOption]:
    chosen = form["category"].value()
    return [CategoryOption(i, category, category.id == chosen) for i, category in enumerate(allowed)]


class ReportForm(forms.Form):
    """A member of staff logs a concern. Learners are picked outside the form (see ``chosen_learners``)."""

    category = forms.ChoiceField(
        label="What is the concern about?",
        choices=categories.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of concern. If none fits, choose “Something else”."},
    )
    subject_staff = forms.TypedMultipleChoiceField(
        label="Which members of staff is it about?",
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Choose one or more (hold Ctrl, or Cmd on a Mac, to choose several).",
    )
    summary = forms.CharField(
        label="Short title",
        max_length=200,
        help_text="A few factual words, for example “Unkind messages in a class group chat”.",
        error_messages={"required": "Give the report a short title."},
    )
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you saw, heard or were told, as facts. Who, what, where. Leave out opinions.",
        max_length=LONG_TEXT_MAX,
        error_messages={
            **FORM_ERRORS,
            "required": "Describe what happened: this is what the safeguarding lead will act on.",
        },
    )
    childs_own_words = forms.CharField(
        label="What the child said, in their own words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        **form_text_kwargs(),
        help_text="Write their words exactly, even if they are rude or unclear. Do not tidy them up.",
    )
    on_behalf_of_learner = forms.BooleanField(
        label="I am recording this for a learner who came to me",
        required=False,
        help_text="Tick this when a child told you and asked for help, so the record shows it started with them.",
    )
    occurred_at = forms.DateTimeField(
        label="When it happened (or when you were told)",
        widget=DateTimeLocalInput(),
        error_messages={
            "required": "Give the date and time it happened, or when you found out.",
            "invalid": "Enter a date and time, for example 14/03/2026 09:30.",
        },
    )
    location = forms.ChoiceField(
        label="Where",
        choices=Concern.Location.choices,
        initial=Concern.Location.UNKNOWN,
        widget=forms.RadioSelect,
    )
    equipment = forms.ChoiceField(
        label="On what equipment",
        choices=Concern.Equipment.choices,
        initial=Concern.Equipment.UNKNOWN,
        widget=forms.RadioSelect,
    )
    immediate_actions = forms.CharField(
        label="What you have done so far",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        **form_text_kwargs(),
        help_text="For example: reassured the child, took the device and switched it off, told the DSL in person.",
    )
    # Asked whatever the category, because a report can be filed under the wrong one. The service
    # decides whether it matters: on the sexual-imagery categories it is flagged to the DSL (INC-YPSI-14).
    viewed_image = forms.BooleanField(
        label="I viewed an image or video connected with this concern",
        required=False,
        help_text="Never look at, copy or forward a nude or sexual image of a child, not even to show someone. "
        "If you have already seen one, even by accident, tick this so the safeguarding lead knows.",
    )

    def __init__(self, *args: Any, staff_choices: list[StaffChoice], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_at", _now_for_input())
        super().__init__(*args, **kwargs)
        self.fields["subject_staff"].choices = [(str(choice.id), choice.name) for choice in staff_choices]

    def category_options(self) -> list[CategoryOption]:
        return _category_options(self, categories.CATEGORIES)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Any category may name members of staff (INC-STAFF-05, INC-RAD-04, INC-IIOC-09); a concern
        # about a member of staff must name at least one.
        if (
            data.get("category") == STAFF_CATEGORY
            and not data.get("subject_staff")
            and "subject_staff" not in self.errors
        ):
            self.add_error("subject_staff", "Choose the member of staff this concern is about.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "occurred_at": data["occurred_at"],
            "summary": data["summary"],
            "description": data["description"],
            "location": data["location"],
            "equipment": data["equipment"],
            "childs_own_words": data["childs_own_words"],
            "immediate_actions": data["immediate_actions"],
            "on_behalf_of_learner": data["on_behalf_of_learner"],
            "subject_staff_ids": data.get("subject_staff") or [],
            "viewed_image": bool(data.get("viewed_image")),
        }


def initial_from(data: QueryDict) -> dict[str, Any]:
    """Values typed so far, to redraw the form unbound (no error messages) after a picker action."""
    initial: dict[str, Any] = {name: data.get(name, "") for name in ReportForm.base_fields}
    initial["on_behalf_of_learner"] = bool(data.get("on_behalf_of_learner"))
    initial["viewed_image"] = bool(data.get("viewed_image"))
    initial["subject_staff"] = data.getlist("subject_staff")
    if not initial["occurred_at"]:
        initial.pop("occurred_at")
    return initial


PARTS = dict(ConcernLearner.Part.choices)


def chosen_learners(data: QueryDict) -> list[tuple[int, str]]:
    """(learner id, part) pairs as posted by the picker, applying its add/remove buttons.

    Posted as ``learner=<id>`` with ``part_<id>=<part>``; a part the browser mangled is kept as
    sent so the service rejects it with its own clear message rather than guessing.
    """
    ids: list[int] = []
    for raw in data.getlist("learner"):
        if raw.isdigit() and int(raw) not in ids:
            ids.append(int(raw))
    added = data.get("add_learner", "")
    if added.isdigit() and int(added) not in ids:
        ids.append(int(added))
    removed = data.get("remove_learner", "")
    if removed.isdigit() and int(removed) in ids:
        ids.remove(int(removed))
    return [(pk, data.get(f"part_{pk}", ConcernLearner.Part.AFFECTED)) for pk in ids[:MAX_CHOSEN_LEARNERS]]


class PublicReportForm(forms.Form):
    """A parent, carer or visitor tells the school about a worry (REP-03). No login, no upload."""

    # Honeypot: hidden from people (CSS, aria-hidden, out of the tab order) but tempting to bots.
    website = forms.CharField(label="Leave this box empty", required=False)
    reporter_kind = forms.ChoiceField(
        label="Who are you?",
        choices=[
            (Concern.ReporterKind.PARENT, "A parent or carer of a child at the school"),
            (Concern.ReporterKind.VISITOR, "A visitor, volunteer or someone else"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you are a parent or carer, or someone else."},
    )
    reporter_name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={"required": "Give your name so the school knows who to contact."},
    )
    reporter_contact = forms.CharField(
        label="Phone number or email address",
        max_length=200,
        help_text="The safeguarding lead may need to talk to you. Only the safeguarding team sees it.",
        error_messages={"required": "Give a phone number or email address so the school can reply."},
    )
    category = forms.ChoiceField(
        label="What is it about?",
        choices=[(cid, categories.get(cid).label) for cid in PUBLIC_CATEGORY_IDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what it is about. If you are not sure, choose “Something else”."},
    )
    summary = forms.CharField(
        label="In a few words",
        max_length=200,
        help_text="For example “Messages to my child from an adult they do not know”.",
        error_messages={"required": "Give a short title in a few words."},
    )
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Who was involved, what you saw or were told, and where. Include children's names if you know them.",
        max_length=LONG_TEXT_MAX,
        error_messages={**FORM_ERRORS, "required": "Tell the school what happened."},
    )
    occurred_at = forms.DateTimeField(
        label="When it happened (roughly is fine)",
        widget=DateTimeLocalInput(),
        error_messages={
            "required": "Give the date and time, roughly if you are not sure.",
            "invalid": "Enter a date and time, for example 14/03/2026 18:00.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_at", _now_for_input())
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"class": "visually-hidden", "aria-hidden": "true", "tabindex": "-1", "autocomplete": "off"}
        )

    def category_options(self) -> list[CategoryOption]:
        return _category_options(self, tuple(categories.get(cid) for cid in PUBLIC_CATEGORY_IDS))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reporter_kind": data["reporter_kind"],
            "reporter_name": data["reporter_name"],
            "reporter_contact": data["reporter_contact"],
            "category": data["category"],
            "occurred_at": data["occurred_at"],
            "summary": data["summary"],
            "description": data["description"],
        }


def is_bot(data: QueryDict) -> bool:
    """The honeypot was filled in: only software reads the hidden box."""
    return bool(data.get("website", "").strip())
