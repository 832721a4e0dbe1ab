"""Forms for MIS imports: upload a CSV, choose columns by hand, confirm."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.people import importing
from harbour.people.models import ImportBatch

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file contains",
        choices=ImportBatch.Kind.choices,
        help_text="Import staff first if your classes file names teachers, then classes, learners and parents.",
    )
    file = forms.FileField(
        label="CSV file exported from your MIS",
        help_text="SIMS and Arbor headings are recognised. At most 5 MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a file ending in .csv. Save spreadsheets as CSV first.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB. Split it into smaller files.")
        try:
            self.cleaned_data["text"] = importing.decode(upload.read())
        except importing.UnreadableFile as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class ImportMappingForm(forms.Form):
    """One select per field, listing the file's headings; blank means "do not import"."""

    def __init__(self, *args: Any, kind: str, headers: list[str], mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not imported"), *((h, h) for h in dict.fromkeys(headers) if h)]
        for spec in importing.FIELDS[importing.Kind(kind)]:
            self.fields[f"map_{spec.key}"] = forms.ChoiceField(
                label=f"{spec.label}{' (required)' if spec.required else ''}",
                choices=choices,
                required=False,
                initial=mapping.get(spec.key, ""),
            )
        self.kind = kind

    def mapping(self) -> dict[str, str]:
        return {name.removeprefix("map_"): value for name, value in self.cleaned_data.items()}


class ImportConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label="Skip the rows with problems and import the rest",
        required=False,
        help_text="Nothing is changed for the skipped rows. Correct them in your MIS and import the file again later.",
    )
