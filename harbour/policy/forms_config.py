"""Forms of the configuration import page (GOV-24). They parse input only; the services write."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms

from harbour.policy.rules.config_io import MAX_FILE_BYTES, ConfigError, load_yaml, load_yaml_bytes


def fingerprint(config: dict[str, Any]) -> str:
    """A short hash of a configuration, so a confirmation can tell that the draft moved on meanwhile."""
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()[:32]


class ConfigUploadForm(forms.Form):
    """Step 1: the YAML file. A good file gives ``self.config``; a bad one gives ``self.config_errors``."""

    file = forms.FileField(
        label="Policy configuration file (YAML)",
        help_text="A file exported from Harbour and edited, or written from the schema. Nothing is saved yet: "
        "you will see what changes first.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config: dict[str, Any] = {}
        self.config_errors: list[ConfigError] = []
        self.text = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is too large to be a policy configuration.")
        data = upload.read()
        self.config, self.config_errors = load_yaml_bytes(data)
        if not self.config_errors:
            self.text = data.decode("utf-8-sig")
        return upload


class ConfigConfirmForm(forms.Form):
    """Step 2: save the previewed file as the draft. The text travels back and is checked again."""

    yaml_text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_FILE_BYTES, strip=False)
    base = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(
        label="What changed and why",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the draft, for example 'New DSL from September'.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config: dict[str, Any] = {}
        self.config_errors: list[ConfigError] = []

    def clean_yaml_text(self) -> str:
        text = self.cleaned_data["yaml_text"]
        self.config, self.config_errors = load_yaml(text)
        return text
