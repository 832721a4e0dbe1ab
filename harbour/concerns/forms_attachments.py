"""Forms of the attachments area. The upload form is written out in the template, because the
concern page includes it without a form object; its checks are in ``attachments.assess``."""

from __future__ import annotations

from typing import Any

from django import forms


class DestroyForm(forms.Form):
    """Destroying a file cannot be undone, so it takes a ticked confirmation (INC-YPSI-13)."""

    reason = forms.CharField(
        label="Why must this file be destroyed?",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the screenshot shows a sexual image of a child.",
    )
    confirm = forms.BooleanField(
        label="I understand that the file will be deleted for good. Only the record that it existed will be kept.",
        error_messages={"required": "Tick the box to confirm that the file should be destroyed."},
    )

    def __init__(self, *args: Any, needs_reason: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Say why this file must be destroyed."
        else:
            del self.fields["reason"]
