"""The API's body parsers, without control characters (issue #12 point 8).

The same cleaning as ``harbour.core.middleware_input`` does for web forms, for the bodies DRF
parses itself: JSON (keys and values), form-encoded and multipart fields, uploaded file names.
Settings make these the default; a view that names its own parsers uses these classes too.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers

from harbour.core.middleware_input import clean_file_names, clean_querydict
from harbour.core.text import clean_data


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        return clean_data(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        return clean_querydict(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        clean_file_names(result.files)
        return parsers.DataAndFiles(clean_querydict(result.data), result.files)
