"""The API's body parsers, without control characters (issue #12 point 8).

The same cleaning as ``harbour.core.middleware_input`` does for web forms, for the bodies DRF
parses itself: JSON values, form-encoded and multipart fields, uploaded file names. A JSON key with
a control character is refused (400).
Settings make these the default; a view that names its own parsers uses these classes too.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, parsers

from harbour.core.middleware_input import clean_file_names, clean_querydict
from harbour.core.text import clean_data, has_control_in_keys


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        # A field name is never typed by a person: one with a control character is refused, not
        # cleaned, so "what\x00_seen" can never turn into the real field "what_seen".
        if has_control_in_keys(data):
            raise exceptions.ParseError("A field name contains a control character.")
        return clean_data(data)


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        return clean_querydict(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        clean_file_names(result.files)
        return parsers.DataAndFiles(clean_querydict(result.data), result.files)
