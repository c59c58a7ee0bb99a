"""Programmes and registration through the API: the programme pages' selectors and the registration services
(a place if one is free, else the waiting list; a cancelled place goes to the first waiting)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, pagination, permissions, serializers, status
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from anchors.models import Anchor
from programs import selectors as programme_selectors
from programs import services as programme_services
from programs.models import Programme

from .authentication import request_now
from .idempotency import respond_once
from .serializers import EmptyRequestSerializer
from .views import ApiView, LanguageMixin

PROBLEM = OpenApiResponse(OpenApiTypes.OBJECT, description="A problem (RFC 9457) with the rule's `code`.")


class SessionSerializer(serializers.Serializer):
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    room = serializers.CharField(source="space.name", help_text="In the request's language.")


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    anchor = serializers.CharField(source="anchor.slug")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField(help_text="In the request's language.")
    title_ko = serializers.CharField()
    title_en = serializers.CharField()
    capacity = serializers.IntegerField()
    fee_won = serializers.IntegerField()
    certifies = serializers.CharField(
        source="certifies.slug", allow_null=True, help_text="The machine kind a pass certifies."
    )
    is_example = serializers.BooleanField()
    page = serializers.SerializerMethodField()

    def get_page(self, obj: Programme) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.get_absolute_url()) if request is not None else obj.get_absolute_url()


class ProgrammeListItemSerializer(ProgrammeSerializer):
    first_start = serializers.DateTimeField()
    registered = serializers.IntegerField()
    waitlisted = serializers.IntegerField()


class ProgrammeDetailSerializer(ProgrammeSerializer):
    description = serializers.CharField(help_text="In the request's language.")
    sessions = SessionSerializer(many=True)
    registered = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    places_left = serializers.IntegerField()
    my_registration = serializers.ChoiceField(
        choices=["registered", "waitlisted"], allow_null=True, help_text="The one asking's registration, if any."
    )
    my_waitlist_position = serializers.IntegerField(allow_null=True)


def programme_data(request: Request, pk: int) -> dict[str, Any]:
    p = programme_selectors.programme_for_viewer(pk=pk, user=request.user)
    registered, waitlisted = programme_selectors.registration_counts(programme=p)
    reg = programme_selectors.live_registration(programme=p, user=request.user)
    p.registered, p.waitlisted = registered, waitlisted  # type: ignore[attr-defined]
    p.places_left = max(p.capacity - registered, 0)  # type: ignore[attr-defined]
    p.my_registration = reg.status if reg else None  # type: ignore[attr-defined]
    p.my_waitlist_position = programme_services.waitlist_position(reg) if reg else None  # type: ignore[attr-defined]
    return ProgrammeDetailSerializer(p, context={"request": request}).data


class ProgrammePagination(pagination.CursorPagination):
    ordering = ("first_start", "id")
    page_size = 50


class ProgrammeList(LanguageMixin, generics.GenericAPIView):
    """Published programmes with a session still to come, soonest first (the programmes page's list)."""

    permission_classes = ApiView.permission_classes
    pagination_class = ProgrammePagination
    serializer_class = ProgrammeListItemSerializer

    @extend_schema(
        parameters=[OpenApiParameter("anchor", OpenApiTypes.STR, description="An anchor's slug: its programmes only.")],
        responses=ProgrammeListItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        slug = request.query_params.get("anchor")
        anchor = get_object_or_404(Anchor, slug=slug) if slug else None
        page = self.paginate_queryset(programme_selectors.upcoming_programmes(now=request_now(request), anchor=anchor))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProgrammeDetail(ApiView):
    """One programme with its sessions, places left and the one asking's registration."""

    @extend_schema(responses={200: ProgrammeDetailSerializer, 404: PROBLEM})
    def get(self, request: Request, pk: int) -> Response:
        return Response(programme_data(request, pk))


class ProgrammeRegister(ApiView):
    """Register for a programme: a place if one is free, else the waiting list."""

    permission_classes = [permissions.IsAuthenticated, *ApiView.permission_classes]

    @extend_schema(request=None, responses={201: ProgrammeDetailSerializer, 400: PROBLEM, 404: PROBLEM, 409: PROBLEM})
    def post(self, request: Request, pk: int) -> Response:
        now = request_now(request)

        def act() -> Response:
            _no_body(request)
            p = programme_selectors.programme_for_viewer(pk=pk, user=request.user)
            programme_services.registration_create(programme=p, user=request.user, now=now)
            return Response(programme_data(request, pk), status=status.HTTP_201_CREATED)

        return respond_once(request, now=now, act=act)


class ProgrammeCancelRegistration(ApiView):
    """Cancel your registration; a freed place goes to the first on the waiting list."""

    permission_classes = [permissions.IsAuthenticated, *ApiView.permission_classes]

    @extend_schema(request=None, responses={200: ProgrammeDetailSerializer, 400: PROBLEM, 404: PROBLEM})
    def post(self, request: Request, pk: int) -> Response:
        now = request_now(request)

        def act() -> Response:
            _no_body(request)
            p = programme_selectors.programme_for_viewer(pk=pk, user=request.user)
            reg = programme_selectors.live_registration(programme=p, user=request.user)
            if reg is None:
                raise DRFValidationError({"": [_("You are not registered for this programme.")]})
            programme_services.registration_cancel(registration=reg, now=now)
            return Response(programme_data(request, pk))

        return respond_once(request, now=now, act=act)


def _no_body(request: Request) -> None:
    """These actions take no body: nothing, or an empty JSON object."""
    EmptyRequestSerializer(data=request.data).is_valid(raise_exception=True)
