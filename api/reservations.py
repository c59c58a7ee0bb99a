"""Reservations through the API: a maker's own (list, book, see, move, cancel, iCal) and the desk's actions
(approve, reject, check in, no-show, complete, waive) and day list. Each asks the one policy who may act
(`anchors.policy.may`, as the pages' views do) and calls the same service; refusals are the services' own, with
their rule codes, as problem details."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, pagination, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from anchors.models import Anchor
from anchors.policy import may
from common.time import start_of_day
from reservations import calendars, services
from reservations import selectors as reservation_selectors
from reservations.examples import annotate_examples
from reservations.models import Reservation, Status
from reservations.views.base import parse_day

from . import serializers
from .authentication import request_now
from .idempotency import HEADER, respond_once
from .views import ApiView, LanguageMixin

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): a retry with the same key and body gets the first answer again "
    "(marked `Idempotent-Replayed: true`) and never acts twice.",
)
PROBLEM = OpenApiResponse(OpenApiTypes.OBJECT, description="A problem (RFC 9457) with the rule's `code`.")


class ReservationPagination(pagination.CursorPagination):
    ordering = ("-start_at", "-id")
    page_size = 50


def status_asked(request: Request) -> str | None:
    """The `status` filter, if one is asked: a status the portal knows, else a 400 problem."""
    wanted = request.query_params.get("status") or None
    if wanted is not None and wanted not in Status.values:
        raise ValidationError({"status": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Status.values)}]})
    return wanted


def reservation_items(rows: list[Reservation], request: Request) -> list[dict[str, Any]]:
    """Reservations as ReservationSerializer describes them, built directly: through the serializer, fifty rows were
    about twenty times the one-query view (bench/pages.py). A test holds the two equal."""
    when = serializers.ReservationSerializer().fields["start"]  # DRF's own datetime output, made once
    labels = {value: str(label) for value, label in Status.choices}
    detail = request.build_absolute_uri(reverse("reservations:detail", kwargs={"pk": 0}))
    head, tail = detail.rsplit("/0/", 1)
    out = []
    for r in rows:
        resource = r.resource
        out.append(
            {
                "id": r.pk,
                "anchor": r.anchor.slug,
                "resource": reservation_selectors.resource_key(resource),
                "resource_name": str(resource.name),
                "start": when.to_representation(r.start_at),
                "end": when.to_representation(r.end_at),
                "status": r.status,
                "status_label": labels[r.status],
                "hold_expires_at": when.to_representation(r.hold_expires_at) if r.hold_expires_at else None,
                "holder_name": r.holder_name,
                "purpose": r.purpose,
                "party_size": r.party_size,
                "fee_won": r.fee_won,
                "deposit_won": r.deposit_won,
                "fee_is_example": r.fee_is_example,
                "charge_won": r.charge_won,
                "charge_is_example": r.charge_is_example,
                "page": f"{head}/{r.pk}/{tail}",
            }
        )
    return out


def reservation_data(request: Request, r: Reservation) -> dict[str, Any]:
    """One reservation with what the one asking may do now and what cancelling would cost."""
    now = request_now(request)
    actions = reservation_selectors.reservation_actions(user=request.user, reservation=r, now=now)
    r.actions = actions  # type: ignore[attr-defined]
    r.cancellation_charge_won = services.cancellation_charge(r, now=now) if actions["cancel"] else None  # type: ignore[attr-defined]
    r.ics = request.build_absolute_uri(reverse("api:reservation_ics", kwargs={"pk": r.pk}))  # type: ignore[attr-defined]
    return serializers.ReservationDetailSerializer(r, context={"request": request}).data


class MyReservations(LanguageMixin, generics.GenericAPIView):
    """The reservations of the one asking (as the maker), newest first; `when=upcoming` for the coming ones."""

    permission_classes = [permissions.IsAuthenticated, *ApiView.permission_classes]
    pagination_class = ReservationPagination
    serializer_class = serializers.ReservationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("when", OpenApiTypes.STR, enum=["upcoming", "past"], description="Coming or past."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(Status.values)),
        ],
        responses=serializers.ReservationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        upcoming = {"upcoming": True, "past": False}.get(request.query_params.get("when", ""))
        wanted = status_asked(request)
        qs = reservation_selectors.reservations_held_by(
            user=request.user, now=request_now(request), upcoming=upcoming, status=wanted
        )
        page = self.paginate_queryset(qs)
        annotate_examples(page)
        return self.get_paginated_response(reservation_items(page, request))

    @extend_schema(
        parameters=[IDEMPOTENCY],
        request=serializers.BookingRequestSerializer,
        responses={201: serializers.ReservationDetailSerializer, 400: PROBLEM, 409: PROBLEM},
    )
    def post(self, request: Request) -> Response:
        """Book a space or machine for yourself, through the booking page's rules: a refusal carries the rule's
        code (`clash` with `suggestions` of free times, `quota`, `untrained`, `fee_changed`, …)."""
        now = request_now(request)

        def act() -> Response:
            body = serializers.BookingRequestSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            resource = reservation_selectors.resource_by_key(data["resource"])
            if not may(request.user, "reservations.book", resource):
                raise PermissionDenied
            r = services.reservation_create(
                resource=resource,
                start=data["start"],
                end=data["end"],
                user=request.user,
                booked_by=request.user,
                purpose=data["purpose"],
                party_size=data["party_size"],
                notes=data["notes"],
                fee_shown_won=data["fee_shown_won"],
                now=now,
            )
            r = reservation_selectors.reservation_for_viewer(pk=r.pk, user=request.user)
            response = Response(reservation_data(request, r), status=status.HTTP_201_CREATED)
            response["Location"] = reverse("api:reservation", kwargs={"pk": r.pk})
            return response

        return respond_once(request, now=now, act=act)


class ReservationDetail(ApiView):
    """One reservation its maker or its anchor's desk may see (anyone else: 404)."""

    permission_classes = [permissions.IsAuthenticated, *ApiView.permission_classes]

    @extend_schema(responses={200: serializers.ReservationDetailSerializer, 404: PROBLEM})
    def get(self, request: Request, pk: int) -> Response:
        r = reservation_selectors.reservation_for_viewer(pk=pk, user=request.user)
        return Response(reservation_data(request, r))


class ReservationIcs(ApiView):
    """One reservation as an iCalendar file."""

    permission_classes = [permissions.IsAuthenticated, *ApiView.permission_classes]

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY, 404: PROBLEM})
    def get(self, request: Request, pk: int) -> HttpResponse:
        r = reservation_selectors.reservation_for_viewer(pk=pk, user=request.user)
        response = HttpResponse(
            calendars.reservation_ics(r, now=request_now(request)), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="reservation-{r.pk}.ics"'
        return response


class ReservationAction(ApiView):
    """An action on one reservation: the policy says who may (404 to whoever may not see it, 403 to whoever sees
    it but may not act), then the service checks the state under a row lock (`state` problem when it does not
    allow the action now)."""

    permission_classes = [permissions.IsAuthenticated, *ApiView.permission_classes]
    action = ""
    body: type[serializers.StrictSerializer] = serializers.EmptyRequestSerializer

    def post(self, request: Request, pk: int) -> Response:
        now = request_now(request)

        def act() -> Response:
            r = reservation_selectors.reservation_for_viewer(pk=pk, user=request.user)
            if not may(request.user, f"reservations.{self.action}", r):
                raise PermissionDenied
            body = self.body(data=request.data)  # no body is {}; a JSON null, list or number is refused
            body.is_valid(raise_exception=True)
            self.perform(r, body.validated_data, request, now)
            return Response(
                reservation_data(request, reservation_selectors.reservation_for_viewer(pk=pk, user=request.user))
            )

        return respond_once(request, now=now, act=act)

    def perform(self, r: Reservation, data: dict[str, Any], request: Request, now: Any) -> None:
        by = request.user
        match self.action:
            case "cancel":
                services.reservation_cancel(
                    reservation=r,
                    by=by,
                    now=now,
                    accepted_charge_won=data["accepted_charge_won"],
                    reason=data["reason"],
                )
            case "move":
                as_staff = may(by, "reservations.manage_anchor", r.anchor)
                services.reservation_move(
                    reservation=r, start=data["start"], end=data["end"], by=by, now=now, as_staff=as_staff
                )
            case "approve":
                services.reservation_approve(reservation=r, by=by, now=now)
            case "reject":
                services.reservation_reject(reservation=r, by=by, reason=data["reason"], now=now)
            case "check_in":
                services.reservation_check_in(reservation=r, by=by, now=now)
            case "no_show":
                services.reservation_mark_no_show(reservation=r, by=by, now=now)
            case "complete":
                services.reservation_complete(reservation=r, by=by, now=now)
            case "waive":
                services.reservation_waive_charge(reservation=r, by=by, reason=data["reason"], now=now)
            case _:  # pragma: no cover - the URL conf names only the actions above
                raise PermissionDenied


ACTION_BODIES: dict[str, type[serializers.StrictSerializer]] = {
    "cancel": serializers.CancelRequestSerializer,
    "move": serializers.MoveRequestSerializer,
    "approve": serializers.EmptyRequestSerializer,
    "reject": serializers.ReasonRequestSerializer,
    "check_in": serializers.EmptyRequestSerializer,
    "no_show": serializers.EmptyRequestSerializer,
    "complete": serializers.EmptyRequestSerializer,
    "waive": serializers.ReasonRequestSerializer,
}


def action_view(action: str) -> Any:
    """The view of one action, with its own schema entry (its body and its operation id)."""
    body = ACTION_BODIES[action]
    view = type(
        f"Reservation{action.title().replace('_', '')}",
        (ReservationAction,),
        {"action": action, "body": body, "__doc__": ReservationAction.__doc__},
    )

    def post(self: ReservationAction, request: Request, pk: int) -> Response:
        return ReservationAction.post(self, request, pk)

    view.post = extend_schema(  # type: ignore[method-assign]  # a function of its own: the schema is kept on it
        operation_id=f"reservation_{action}",
        parameters=[IDEMPOTENCY],
        request=body,
        responses={
            200: serializers.ReservationDetailSerializer,
            400: PROBLEM,
            403: PROBLEM,
            404: PROBLEM,
            409: PROBLEM,
        },
    )(post)
    return view.as_view()


class DeskDay(ApiView):
    """An anchor's reservations of one day, for its desk (its staff and city admins)."""

    permission_classes = [permissions.IsAuthenticated, *ApiView.permission_classes]

    @extend_schema(
        parameters=[
            OpenApiParameter("day", OpenApiTypes.DATE, description="The day; today by default."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(Status.values)),
        ],
        responses={200: serializers.ReservationSerializer(many=True), 403: PROBLEM, 404: PROBLEM},
    )
    def get(self, request: Request, slug: str) -> Response:
        anchor = get_object_or_404(Anchor, slug=slug)
        if not may(request.user, "reservations.manage_anchor", anchor):
            raise PermissionDenied
        now = request_now(request)
        day = parse_day(request.query_params.get("day"), timezone.localdate(now))
        start = start_of_day(day)
        qs = reservation_selectors.reservation_list_for_anchor(
            anchor=anchor, start=start, end=start + timedelta(days=1)
        )
        wanted = status_asked(request)
        if wanted:
            qs = qs.filter(status=wanted)
        rows = list(qs.select_related("anchor"))
        annotate_examples(rows)
        return Response(reservation_items(rows, request))
