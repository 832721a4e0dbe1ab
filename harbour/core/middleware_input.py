"""Control characters are taken out of every text input before any view sees it (issue #12 point 8).

One place for the web: the query string (``request.GET``) and form fields (``request.POST``,
names of uploaded files) of every request. The API's bodies are cleaned by its parsers
(``harbour.core.api_parsers``); its query parameters are this ``request.GET``.

Cleaning rather than refusing: a teacher who pastes a report out of Word brings invisible line
and page breaks with it, and a safeguarding report must not be lost over them. The text that
arrives is what a reader would see. See docs/decisions/0013-input-edge.md.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict

from harbour.core.text import clean_text, has_control


def clean_querydict(data: QueryDict) -> QueryDict:
    """The same QueryDict, or an immutable copy without control characters when it had any."""
    if not any(has_control(key) or any(has_control(v) for v in values) for key, values in data.lists()):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


def clean_file_names(files: MultiValueDict) -> None:
    for _key, uploads in files.lists():
        for upload in uploads:
            if upload.name and has_control(upload.name):
                upload.name = clean_text(upload.name)


class CleanInputMiddleware:
    """Cleans ``request.GET`` now and ``request.POST``/``FILES`` when they are first read.

    The body is parsed lazily, as Django does, because an upload view must be able to choose its
    upload handlers before anything reads the body (``concerns.views_attachments``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = clean_querydict(request.GET)
        load = request._load_post_and_files

        def load_and_clean() -> None:
            load()
            request._post = clean_querydict(request._post)  # type: ignore[attr-defined]
            clean_file_names(request._files)  # type: ignore[attr-defined]

        request._load_post_and_files = load_and_clean  # type: ignore[method-assign]
        return self.get_response(request)
