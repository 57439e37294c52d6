"""API of integrity pacts: templates, signing events and their participants, pacts, signing
(with re-authentication), the signed PDF, and the public verification of a signed document.

Reads need ``pacts.view`` (pacts unit-scoped for Kepala OPD), writes ``pacts.manage``; every write
goes through ``pakta.pacts.services`` and a ``DomainError`` answers 400.

Signing (``sign/``, ``witness-sign/``) and the PDF (``pdf/``) need ``pacts.sign`` and see the pacts
the HTML pages show: the user's own (as signer or witness) and, with ``pacts.view``, those in their
unit scope; any other pact answers 404, as if it did not exist. A visible pact the caller is not
the signer (or witness) of answers 400: the signing service refuses to sign for someone else.
The re-authentication ``credential`` (password, or a current TOTP code when enrolled) is required
even with token authentication: it is the signer's consent.

Verification (``/api/v1/verify/...``) is public, like the portal pages it mirrors: no login, no
audit, nothing kept of an uploaded file, answers never cached.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pakta.core.api import TenantModelSerializer, TenantRelated
from pakta.core.documents import document_read
from pakta.core.downloads import PDF, download_response
from pakta.core.limits import YEAR_MAX, YEAR_MIN
from pakta.core.zone import pemda_zone
from pakta.org.api import PemdaScopedViewSet
from pakta.org.models import Official, Unit
from pakta.pacts import selectors, services
from pakta.pacts.models import Pact, PactTemplate, SigningEvent
from pakta.pacts.rendering import verification_url
from pakta.signing import services as signing
from pakta.signing import verification as portal
from pakta.signing.forms import MemoryOnlyUploadHandler, PdfCheckForm
from pakta.signing.models import PendingSignature, Signature

# --- Serializers ------------------------------------------------------------------------------


class PactTemplateSerializer(TenantModelSerializer):
    clauses = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="The commitments; {instansi} is replaced by the unit's name. Defaults to the "
        "standard seven (PermenPAN-RB 49/2011).",
    )

    class Meta:
        model = PactTemplate
        fields = [
            "id",
            "name",
            "version",
            "status",
            "title",
            "opening",
            "statement",
            "clauses",
            "published_at",
        ]
        read_only_fields = ["id", "version", "status", "published_at"]


class SigningEventSerializer(TenantModelSerializer):
    template = TenantRelated(
        queryset=PactTemplate.objects.all(), help_text="A published template of this Pemda."
    )
    leader = TenantRelated(queryset=Official.objects.all(), required=False, allow_null=True)
    year = serializers.IntegerField(
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text="The year of the commitment; defaults to the event's year.",
    )
    participants = serializers.IntegerField(source="pacts.count", read_only=True)

    class Meta:
        model = SigningEvent
        fields = [
            "id",
            "title",
            "occasion",
            "date",
            "place",
            "year",
            "leader",
            "leader_title",
            "template",
            "status",
            "participants",
        ]
        read_only_fields = ["id", "status", "participants"]


PARTICIPANT_KINDS = (*selectors.PARTICIPANT_FILTERS, "eselon_2")


class ParticipantFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=PARTICIPANT_KINDS,
        help_text="kepala_opd: the heads of the OPDs; eselon_ii (or eselon_2): JPT Madya and "
        "JPT Pratama; unit: everyone in `unit` and its sub-units; nips: the officials in `nips`.",
    )
    unit = TenantRelated(queryset=Unit.objects.all(), required=False, allow_null=True)
    nips = serializers.ListField(child=serializers.CharField(), required=False)


class ParticipantsAddedSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="Officials invited by this request.")
    not_found = serializers.ListField(
        child=serializers.CharField(), help_text="NIPs that match no official of this Pemda."
    )
    participants = serializers.IntegerField(help_text="Participants of the event in total.")


class PactSerializer(TenantModelSerializer):
    official_name = serializers.CharField(source="official.full_name", read_only=True)
    official_nip = serializers.CharField(source="official.nip", read_only=True)
    position_title = serializers.CharField(source="position.title", read_only=True, default="")
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    witness_name = serializers.CharField(source="witness.full_name", read_only=True, default="")
    verification_url = serializers.SerializerMethodField()

    class Meta:
        model = Pact
        fields = [
            "id",
            "year",
            "status",
            "origin",
            "official",
            "official_name",
            "official_nip",
            "position_title",
            "unit",
            "unit_name",
            "witness",
            "witness_name",
            "event",
            "template",
            "due_date",
            "signed_at",
            "excused_reason",
            "verification_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_verification_url(self, obj: Pact) -> str:
        return verification_url(obj.document.token) if obj.document_id else ""  # type: ignore[union-attr]


class ExcuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="e.g. leave, or a vacant position.")


class SignSerializer(serializers.Serializer):
    credential = serializers.CharField(
        trim_whitespace=True,
        style={"input_type": "password"},
        help_text="The signer's password, or a current code of their authenticator app: the "
        "explicit consent to sign, required with every kind of authentication.",
    )


class SignatureResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=("signed", "pending"),
        help_text="pending: the timestamp authority was unavailable; the consent is kept and the "
        "signature is applied when it answers again (202).",
    )
    signature = serializers.IntegerField(allow_null=True)
    role = serializers.CharField()
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    pact_status = serializers.CharField()


class PdfRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; errors are still JSON text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


# --- Templates ----------------------------------------------------------------------------------


class PactsApi(PemdaScopedViewSet):
    permission = "pacts.view"
    write_permission = "pacts.manage"

    def fake(self) -> bool:
        return bool(getattr(self, "swagger_fake_view", False))


class PactTemplateViewSet(
    PactsApi,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Versions of the pact text. A draft can be changed; a published version never changes."""

    serializer_class = PactTemplateSerializer
    queryset = PactTemplate.objects.none()
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[PactTemplate]:
        if self.fake():
            return PactTemplate.objects.none()
        return selectors.template_list_for(pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.template_create(
            pemda=self.pemda, acting_user=self.request.user, **data
        )

    def perform_update(self, serializer: Any) -> None:
        template: PactTemplate = serializer.instance
        data = dict(serializer.validated_data)
        clauses = data.pop("clauses", template.clauses)
        serializer.instance = services.template_update(
            template=template, acting_user=self.request.user, clauses=clauses, **data
        )

    @extend_schema(request=None, responses=PactTemplateSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Publish a draft: from now on it is the text new pacts use, and it cannot change."""
        template = services.template_publish(template=self.get_object(), acting_user=request.user)
        return Response(PactTemplateSerializer(template).data)

    @extend_schema(request=None, responses={201: PactTemplateSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A draft copy of this version, with the next version number."""
        draft = services.template_new_version(template=self.get_object(), acting_user=request.user)
        return Response(PactTemplateSerializer(draft).data, status=status.HTTP_201_CREATED)


# --- Signing events -------------------------------------------------------------------------------


class SigningEventViewSet(
    PactsApi, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Signing ceremonies: prepared (participants added), opened for signing, closed."""

    serializer_class = SigningEventSerializer
    queryset = SigningEvent.objects.none()
    filterset_fields = ["year", "status", "template"]

    def get_queryset(self) -> QuerySet[SigningEvent]:
        if self.fake():
            return SigningEvent.objects.none()
        return selectors.event_list_for(pemda=self.pemda)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.event_create(
            pemda=self.pemda,
            acting_user=self.request.user,
            title=data["title"],
            date=data["date"],
            place=data["place"],
            template=data["template"],
            occasion=data.get("occasion", ""),
            year=data.get("year"),
            leader=data.get("leader"),
            leader_title=data.get("leader_title", ""),
        )

    @extend_schema(request=ParticipantFilterSerializer, responses=ParticipantsAddedSerializer)
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Invite the officials a filter designates; those already invited are left as they are."""
        event = self.get_object()
        given = ParticipantFilterSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        given.is_valid(raise_exception=True)
        data = given.validated_data
        kind = "eselon_ii" if data["kind"] == "eselon_2" else data["kind"]
        unit = data.get("unit")
        if kind == "unit" and (unit is None or unit.pemda_id != self.pemda.pk):
            raise ValidationError({"unit": [_("Choose a unit of this Pemda.")]})
        if kind == "nips" and not data.get("nips"):
            raise ValidationError({"nips": [_("Give at least one NIP.")]})
        officials, not_found = selectors.participants_by_filter(
            pemda=self.pemda, kind=kind, unit=unit, nips=data.get("nips", ())
        )
        added = services.event_add_participants(
            event=event, officials=officials, acting_user=request.user
        )
        return Response(
            ParticipantsAddedSerializer(
                {"added": len(added), "not_found": not_found, "participants": event.pacts.count()}
            ).data
        )

    @extend_schema(request=None, responses=SigningEventSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open the event for signing (it needs participants)."""
        event = services.event_open(event=self.get_object(), acting_user=request.user)
        return Response(SigningEventSerializer(event).data)

    @extend_schema(request=None, responses=SigningEventSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Close an open event; pacts not signed stay pending."""
        event = services.event_close(event=self.get_object(), acting_user=request.user)
        return Response(SigningEventSerializer(event).data)


# --- Pacts --------------------------------------------------------------------------------------


class PactViewSet(PactsApi, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The pacts of the Pemda (of their own units for a Kepala OPD)."""

    serializer_class = PactSerializer
    queryset = Pact.objects.none()
    filterset_fields = ["year", "status", "event", "unit"]

    def get_queryset(self) -> QuerySet[Pact]:
        if self.fake():
            return Pact.objects.none()
        return selectors.pact_list_for(pemda=self.pemda, scope=self.scope)

    @extend_schema(request=ExcuseSerializer, responses=PactSerializer)
    @action(detail=True, methods=["post"])
    def excuse(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Excuse a pact not yet signed (leave, vacancy…), with the reason."""
        pact = self.get_object()
        given = ExcuseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        pact = services.pact_excuse(
            pact=pact, reason=given.validated_data["reason"], acting_user=request.user
        )
        return Response(PactSerializer(selectors.pact_get_for(pemda=self.pemda, pk=pact.pk)).data)


class PactSigningViewSet(PactsApi):
    """Signing one's own pact, countersigning as witness, and the PDF (see the module docstring)."""

    permission = "pacts.sign"
    write_permission = "pacts.sign"
    object_permission = "pacts.view"
    model = Pact
    queryset = Pact.objects.none()
    serializer_class = SignSerializer

    def personal_pact(self) -> tuple[Pact, str]:
        return selectors.pact_personal_get(
            user=self.request.user,
            pemda=self.pemda,
            pk=self.kwargs["pk"],
            object_permission=self.object_permission,
        )

    def _sign(self, request: Request, service: Any) -> Response:
        pact, _part = self.personal_pact()
        given = SignSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = service(
            pact=pact,
            acting_user=request.user,
            credential=given.validated_data["credential"],
        )
        pact.refresh_from_db(fields=["status"])
        data: dict[str, Any]
        code: int
        if isinstance(result, PendingSignature):
            data = {
                "status": "pending",
                "signature": None,
                "role": result.role,
                "name": result.official.full_name,
                "position": result.signer_position,
                "signed_at": None,
                "pact_status": pact.status,
            }
            code = status.HTTP_202_ACCEPTED
        else:
            signature: Signature = result
            data = {
                "status": "signed",
                "signature": signature.pk,
                "role": signature.role,
                "name": signature.signer_name,
                "position": signature.signer_position,
                "signed_at": signature.signed_at,
                "pact_status": pact.status,
            }
            code = status.HTTP_200_OK
        return Response(SignatureResultSerializer(data).data, status=code)

    @extend_schema(
        request=SignSerializer,
        responses={
            200: SignatureResultSerializer,
            202: SignatureResultSerializer,
            400: OpenApiResponse(
                description="Wrong credential, the event is not open, the pact is excused, or "
                "the caller is not its official: nothing was signed."
            ),
            404: OpenApiResponse(description="No such pact visible to the caller."),
            429: OpenApiResponse(
                description="Too many wrong credentials (here or at login): the account is "
                "locked out for a while and even the right credential is refused."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Sign one's own pact. Signing again returns the same signature."""
        return self._sign(request, services.pact_sign)

    @extend_schema(
        request=SignSerializer,
        responses={
            200: SignatureResultSerializer,
            202: SignatureResultSerializer,
            400: OpenApiResponse(
                description="Wrong credential, the official has not signed yet, or the caller "
                "is not the witness: nothing was signed."
            ),
            404: OpenApiResponse(description="No such pact visible to the caller."),
            429: OpenApiResponse(
                description="Too many wrong credentials (here or at login): the account is "
                "locked out for a while and even the right credential is refused."
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="witness-sign")
    def witness_sign(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Countersign a signed pact as its witness. Countersigning again changes nothing."""
        return self._sign(request, services.pact_witness_sign)

    @extend_schema(
        request=None,
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such pact visible to the caller."),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """The pact's current PDF, with every signature so far."""
        pact, _part = self.personal_pact()
        document = services.pact_document(pact=pact, acting_user=request.user)
        content = document_read(document.pdf)  # type: ignore[arg-type]
        return download_response(
            content, f"pakta-integritas-{pact.year}-{pact.official.nip}.pdf", PDF
        )


# --- Public verification ------------------------------------------------------------------------


class VerifiedSignatureSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)
    signed_at = serializers.DateTimeField()
    status = serializers.ChoiceField(
        choices=("valid", "revoked", "modified", "untrusted"),
        help_text="The signature as checked in the document's current PDF.",
    )


STATES = ("current", "superseded", "withdrawn", "revoked")


def state_fields(document: Any) -> dict[str, Any]:
    """The state of a document and since when, in the Pemda's zone (its UTC offset)."""
    when = document.state_at
    zone = pemda_zone(document.pemda)
    return {
        "state": document.state,
        "state_at": when.astimezone(zone).isoformat() if when is not None else None,
        "superseded_by": (
            document.superseded_by.get_verification_url() if document.superseded_by else None
        ),
    }


class VerifiedDocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    pemda = serializers.CharField(help_text="The Pemda that issued the document.")
    status = serializers.CharField(help_text="The document's signing status.")
    sha256 = serializers.CharField(allow_blank=True, help_text="Of the current PDF.")
    stored_intact = serializers.BooleanField()
    standing = serializers.ChoiceField(
        choices=("current", "superseded", "withdrawn"),
        help_text="Whether the document still holds: superseded by a revision, or withdrawn.",
    )
    superseded_by = serializers.CharField(
        allow_null=True, help_text="Verification address of the version that replaced it."
    )
    withdrawal_reason = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(
        choices=STATES,
        help_text="What a reader must know first: withdrawn, superseded, revoked (a signer's "
        "certificate was revoked since) or current.",
    )
    state_at = serializers.CharField(
        allow_null=True,
        help_text="Since when the document is in that state (null while current): ISO 8601 "
        "in the Pemda's zone, e.g. 2026-12-06T20:57:00+08:00 (WITA).",
    )
    all_valid = serializers.BooleanField(
        help_text="Every signature is valid and the document still holds (not superseded or "
        "withdrawn)."
    )
    signatures = VerifiedSignatureSerializer(many=True)


class UploadCheckSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    signing_time = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=("valid", "revoked", "modified", "untrusted"))


class UploadDocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    pemda = serializers.CharField()
    token = serializers.CharField()
    is_latest = serializers.BooleanField(help_text="Whether this is the document's last version.")
    standing = serializers.ChoiceField(choices=("current", "superseded", "withdrawn"))
    state = serializers.ChoiceField(choices=STATES)
    state_at = serializers.CharField(allow_null=True)
    superseded_by = serializers.CharField(
        allow_null=True, help_text="Verification address of the version that replaced it."
    )


class UploadResultSerializer(serializers.Serializer):
    authentic = serializers.BooleanField(
        help_text="The file is a version this system issued, all its signatures are valid, and "
        "the document still holds (not superseded or withdrawn)."
    )
    sha256 = serializers.CharField()
    document = UploadDocumentSerializer(allow_null=True)
    checks = UploadCheckSerializer(many=True)


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The PDF to check (kept in memory, never stored).")


class PublicApi(APIView):
    """No login and no session; answers are never cached, indexed or sent on as a referrer."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


class VerifyDocumentView(PublicApi):
    @extend_schema(
        auth=[],
        responses={
            200: VerifiedDocumentSerializer,
            404: OpenApiResponse(description="No document issued by this system has this token."),
        },
    )
    def get(self, request: Request, token: str) -> Response:
        """The public record of a signed document (the token of its QR code)."""
        document = portal.document_get_by_token(token)
        if document is None:
            raise NotFound(
                _(
                    "No document issued by this system has this address. Check the code and "
                    "try again."
                )
            )
        checks = portal.document_checks_cached(document)
        rows = portal.signature_rows(document, checks)
        data = {
            "title": document.title,
            "pemda": document.pemda.name,
            "status": document.status,
            "sha256": checks.sha256,
            "stored_intact": checks.stored_intact,
            "standing": document.standing,
            **state_fields(document),
            "withdrawal_reason": document.withdrawal_reason,
            "all_valid": bool(rows)
            and all(r.status == "valid" for r in rows)
            and document.standing == "current",
            "signatures": [
                {
                    "role": r.role,
                    "name": r.name,
                    "position": r.position,
                    "signed_at": r.signed_at,
                    "status": r.status,
                }
                for r in rows
            ],
        }
        return Response(VerifiedDocumentSerializer(data).data)


class VerifyUploadView(PublicApi):
    parser_classes = [MultiPartParser]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # The file stays in memory: no temporary file is written.
        request.upload_handlers = [MemoryOnlyUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        auth=[],
        request={"multipart/form-data": UploadInputSerializer},
        responses={
            200: UploadResultSerializer,
            400: OpenApiResponse(description="No file, not a PDF, too large, or damaged."),
        },
    )
    def post(self, request: Request) -> Response:
        """Check any PDF: is it a document this system issued, unchanged, with valid signatures?"""
        form = PdfCheckForm(data={}, files=request.FILES)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        result = signing.document_verify(content=form.cleaned_data["file"])
        if not result.readable:
            raise ValidationError({"file": [_("The PDF document is damaged and cannot be read.")]})
        document = None
        if result.version is not None and result.document is not None:
            document = {
                "title": result.document.title,
                "pemda": result.document.pemda.name,
                "token": result.document.token,
                "is_latest": result.document.pdf_id == result.version.pdf_id,
                "standing": result.document.standing,
                **state_fields(result.document),
            }
        data = {
            "authentic": result.authentic
            and (result.document is None or result.document.standing == "current"),
            "sha256": result.sha256,
            "document": document,
            "checks": [
                {"name": c.signer_name, "signing_time": c.signing_time, "status": c.status}
                for c in result.checks
            ],
        }
        return Response(UploadResultSerializer(data).data)
