"""Forms of the monitoring pages: parse and explain; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.concerns import categories

from .models import Alert, ListEntry
from .scanning import FORMATS
from .severity import Severity

FORMAT_LABELS = {
    "auto": "Work it out from the file",
    "squid": "Squid access.log (native)",
    "combined": "Squid or Apache combined",
    "e2guardian": "e2guardian access log",
    "pihole": "Pi-hole / dnsmasq query log",
    "csv": "CSV: timestamp,username,client_ip,url",
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Log file",
        help_text="A filter or proxy log, plain or .gz. Large files are fine: they are split and scanned in parts.",
    )
    format = forms.ChoiceField(label="Format", choices=[(f, FORMAT_LABELS[f]) for f in FORMATS], initial="auto")


class MappingUploadForm(forms.Form):
    KINDS = [
        ("leases", "DHCP lease export (ip,mac,hostname,start,end)"),
        ("devices", "Device register (device,person,start,end)"),
        ("usernames", "Network usernames (username,person)"),
    ]
    kind = forms.ChoiceField(label="What the file holds", choices=KINDS, widget=forms.RadioSelect)
    file = forms.FileField(label="CSV file", help_text="UTF-8, with the column names on the first line.")

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 50 * 1024 * 1024:
            raise forms.ValidationError("The file is over 50 MB: split it and import each part.")
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text. Save it as CSV (UTF-8) and try again.") from None


class AlertFilterForm(forms.Form):
    q = forms.CharField(label="Person", required=False, max_length=100, help_text="Name, username or IP address.")
    severity = forms.ChoiceField(label="Severity", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    category = forms.ChoiceField(label="Category", required=False)

    def __init__(self, *args: Any, categories_seen: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = [("", "Any severity"), *[c for c in Severity.choices if c[0] != "none"]]
        self.fields["status"].choices = [("", "Any status"), *Alert.Status.choices]
        self.fields["category"].choices = [("", "Any category"), *[(c, c.replace("_", " ")) for c in categories_seen]]

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {"status": Alert.Status.OPEN}
        if not self.is_valid():
            return {"status": Alert.Status.OPEN}
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "severity", "status", "category")}


class ConvertForm(forms.Form):
    category = forms.ChoiceField(label="Concern category", choices=categories.CHOICES)
    learner = forms.TypedChoiceField(label="Learner", coerce=int, required=False, empty_value=None)
    summary = forms.CharField(label="Short title", max_length=200)
    description = forms.CharField(
        label="What the logs show",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Addresses are kept as plain text.",
    )

    def __init__(self, *args: Any, learner_choices: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["learner"].choices = [("", "No learner (nobody could be identified)"), *learner_choices]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    host = forms.CharField(label="Site to allow", required=False, max_length=253)


class SettingsForm(forms.Form):
    retention_days = forms.IntegerField(label="Keep raw log files for (days)", min_value=1, max_value=365)
    grouping_minutes = forms.IntegerField(label="Group hits within (minutes)", min_value=1, max_value=7 * 24 * 60)
    alert_threshold = forms.ChoiceField(
        label="Raise an alert from this severity", choices=[c for c in Severity.choices if c[0] != "none"]
    )
    digest_enabled = forms.BooleanField(label="Send the daily digest to the DSL and deputies", required=False)

    def __init__(self, *args: Any, list_categories: list[str], keyword_categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.list_categories = list_categories
        self.keyword_categories = keyword_categories
        for name in list_categories:
            self.fields[f"cat__{name}"] = forms.ChoiceField(label=name.replace("_", " "), choices=Severity.choices)
        for name in keyword_categories:
            self.fields[f"kw__{name}"] = forms.ChoiceField(label=name.replace("_", " "), choices=Severity.choices)

    def category_fields(self) -> list[forms.BoundField]:
        return [self[f"cat__{name}"] for name in self.list_categories]

    def keyword_fields(self) -> list[forms.BoundField]:
        return [self[f"kw__{name}"] for name in self.keyword_categories]

    def severities(self, prefix: str) -> dict[str, str]:
        return {key.split("__", 1)[1]: value for key, value in self.cleaned_data.items() if key.startswith(prefix)}


class ListEntryForm(forms.Form):
    kind = forms.ChoiceField(label="List", choices=ListEntry.Kind.choices)
    entry = forms.CharField(label="Domain or address", max_length=500, help_text="example.org, or example.org/page")
    reason = forms.CharField(label="Why", max_length=2000)


class RemoveEntryForm(forms.Form):
    reason = forms.CharField(label="Why remove it", max_length=2000)
