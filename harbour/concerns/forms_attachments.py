"""Forms of the attachments area. The upload form is written out in the template, because the
concern page includes it without a form object; its checks are in ``harbour.core.uploads``."""

from __future__ import annotations

from django import forms


class DestroyForm(forms.Form):
    """Destroying a withheld file cannot be undone, so it takes a ticked confirmation (INC-YPSI-13)."""

    reason = forms.CharField(
        label="Anything to add to the reason it was withheld? (optional)",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="I understand that the file will be deleted for good. Only the record that it existed will be kept.",
        error_messages={"required": "Tick the box to confirm that the file should be destroyed."},
    )


class DocumentsForm(forms.Form):
    """INC-CSAE-12: the DSL's decision to let text documents be added to one concern, or not."""

    switch = forms.ChoiceField(choices=[("on", "Switch on"), ("off", "Switch off")], widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the police asked for the referral form to be kept with the record.",
        error_messages={"required": "Say why, so the decision is on record."},
    )


class FileActionForm(forms.Form):
    """REP-08: what the team may do to a file instead of deleting it."""

    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[
            ("replace", "Add a corrected version (the old one is kept, marked as replaced)"),
            ("hide", "Hide it from everyone but the safeguarding team"),
            ("withhold", "It may show a sexual image of a child: make it unreachable for everyone, then destroy it"),
        ],
        error_messages={"required": "Choose what to do with the file."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason; it is kept on the concern's record."},
    )
