"""Files on a concern through the API: the same guard and rules as the web page (INC-YPSI-12..15).

``POST`` takes ``multipart/form-data`` with one ``file`` field. The file is held in memory (or
skipped unread when the concern takes no file), proved by parsing, and stored only if the
concern accepts it; a refusal answers 400 with the reason and the advice, and is logged on the
concern without the file's name.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from harbour.concerns import attachments, selectors
from harbour.concerns.models import Attachment
from harbour.concerns.views_attachments import file_response
from harbour.core.api import PROBLEM_CONTENT_TYPE, SchoolScopedAPIMixin
from harbour.core.api_parsers import MultiPartParser


class AttachmentSerializer(serializers.ModelSerializer):
    """A file on a concern. Withheld and destroyed files keep their row but lose name and link."""

    name = serializers.SerializerMethodField(help_text="The file's name; null once withheld or destroyed.")
    state = serializers.CharField(
        read_only=True,
        help_text="available, superseded, hidden (team only), withheld (unreachable) or destroyed.",
    )
    content_type = serializers.CharField(read_only=True, help_text="Proved by parsing the file, not from its name.")
    uploaded_by = serializers.EmailField(source="uploaded_by.email", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "name",
            "state",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "withheld_at",
            "destroyed_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_name(self, attachment: Attachment) -> str | None:
        return attachment.original_name if attachment.state not in ("withheld", "destroyed") else None

    def get_download_url(self, attachment: Attachment) -> str | None:
        if attachment.state in ("withheld", "destroyed"):
            return None
        kwargs = {
            "school_slug": self.context["school_slug"],
            "concern_pk": attachment.concern_id,
            "pk": attachment.pk,
        }
        return self.context["request"].build_absolute_uri(reverse("api-concern-attachment-download", kwargs=kwargs))


class AttachmentUploadSerializer(serializers.Serializer):
    """For the schema: the upload is read by the memory-only handler, not by this serializer."""

    file = serializers.FileField(help_text="The document (or, where allowed, a PNG or JPEG screenshot).")


class AttachmentListAPI(SchoolScopedAPIMixin, APIView):
    """Files on a concern. Anyone who may see the concern lists them; managers and colleagues it is
    shared with may add one. Everyone else gets 404."""

    parser_classes = [MultiPartParser]
    upload_guard: attachments.GuardedUploadHandler | None = None

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Before DRF (or its CSRF check) reads the body: uploads stay in memory, never on disk, and
        # are skipped unread when the concern takes no file.
        if request.method == "POST":
            self.upload_guard = attachments.upload_guard(
                request, school_slug=kwargs.get("school_slug", ""), pk=kwargs.get("concern_pk", "")
            )
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(responses=AttachmentSerializer(many=True), operation_id="concern_attachments_list")
    def get(self, request: Request, school_slug: str, concern_pk: int) -> Response:
        concern = selectors.concern_get(actor=self.membership, pk=concern_pk)
        items = attachments.attachment_list(concern=concern, actor=self.membership)
        context = {"request": request, "school_slug": school_slug}
        return Response(AttachmentSerializer(items, many=True, context=context).data)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={
            201: AttachmentSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "Refused: problem details with `reason` (uploads_off, not_allowed, picture_inside, encoded_data, "
                    "markup, trailing_data, unreadable, too_large...) and advice."
                ),
            ),
            404: OpenApiResponse(description="No such concern, or no right to add files to it."),
        },
        operation_id="concern_attachments_create",
    )
    def post(self, request: Request, school_slug: str, concern_pk: int) -> Response:
        concern = selectors.concern_get(actor=self.membership, pk=concern_pk)
        if not attachments.can_add(self.membership, concern):
            return _problem(status.HTTP_404_NOT_FOUND, "Not found.", request)
        guard = self.upload_guard
        received = attachments.received_file(request.FILES.get("file"), guard) if guard is not None else None
        if received is None:
            return _problem(status.HTTP_400_BAD_REQUEST, "Send the file in a field named 'file'.", request)
        try:
            attachment = attachments.attachment_add(
                actor=self.membership,
                concern=concern,
                name=received.name,
                data=received.data,
                refused=received.refused,
            )
        except attachments.AttachmentRefused as refusal:
            return _problem(status.HTTP_400_BAD_REQUEST, refusal.messages[0], request, reason=refusal.reason)
        context = {"request": request, "school_slug": school_slug}
        return Response(AttachmentSerializer(attachment, context=context).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadAPI(SchoolScopedAPIMixin, APIView):
    """The file itself, as a download. Withheld or destroyed files: 404. Audited."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: OpenApiResponse()},
        operation_id="concern_attachments_download",
    )
    def get(self, request: Request, school_slug: str, concern_pk: int, pk: int) -> FileResponse:
        concern = selectors.concern_get(actor=self.membership, pk=concern_pk)
        attachment, handle = attachments.attachment_open(actor=self.membership, concern=concern, pk=pk)
        return file_response(attachment, handle)


class DocumentsSwitchSerializer(serializers.Serializer):
    switch = serializers.ChoiceField(choices=["on", "off"], help_text="on: text documents allowed; off: files off.")
    reason = serializers.CharField(max_length=1000, help_text="Why; kept on the concern's record and audited.")


class AttachmentDocumentsAPI(SchoolScopedAPIMixin, APIView):
    """INC-CSAE-12: the DSL switches text documents on (or off again) for one abuse or exploitation
    concern, with a reason. Anyone else, or any other category, gets 404."""

    @extend_schema(
        request=DocumentsSwitchSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="Problem details."), 404: None},
        operation_id="concern_attachments_documents_switch",
    )
    def post(self, request: Request, school_slug: str, concern_pk: int) -> Response:
        concern = selectors.concern_get(actor=self.membership, pk=concern_pk)
        if not attachments.can_switch_documents(self.membership, concern):
            return _problem(status.HTTP_404_NOT_FOUND, "Not found.", request)
        body = DocumentsSwitchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        switch = body.validated_data["switch"]
        act = attachments.documents_switch_on if switch == "on" else attachments.documents_switch_off
        act(actor=self.membership, concern=concern, reason=body.validated_data["reason"])
        place = attachments.upload_place(concern)
        return Response({"documents": switch, "accepts": attachments.accepted_summary(place)})


def _problem(code: int, detail: str, request: Request, **extra: str) -> Response:
    body = {
        "type": "about:blank",
        "title": "Not found" if code == status.HTTP_404_NOT_FOUND else "File refused",
        "status": code,
        "detail": detail,
        "instance": request.get_full_path(),
        **extra,
    }
    if code == status.HTTP_400_BAD_REQUEST:
        body["errors"] = {"file": [detail]}
    return Response(body, status=code, content_type=PROBLEM_CONTENT_TYPE)


urlpatterns = [
    path(
        "concerns/<int:concern_pk>/attachments/",
        AttachmentListAPI.as_view(),
        name="api-concern-attachment-list",
    ),
    path(
        "concerns/<int:concern_pk>/attachments/documents/",
        AttachmentDocumentsAPI.as_view(),
        name="api-concern-attachment-documents",
    ),
    path(
        "concerns/<int:concern_pk>/attachments/<int:pk>/download/",
        AttachmentDownloadAPI.as_view(),
        name="api-concern-attachment-download",
    ),
]
