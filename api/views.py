"""The API's views: thin, as the pages' are. Each reads through the selectors the pages use (one source of every
figure and rule) and answers in the request's language (`Accept-Language: ko` or `en`; otherwise the portal's
choice, Korean first)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from anchors import selectors as anchor_selectors
from anchors.models import Anchor
from common import pagecache
from facilities import selectors as facility_selectors
from facilities.pricing import QuoteError
from reservations import selectors as reservation_selectors
from reservations.views.base import parse_day

from . import serializers
from .authentication import ScopePermission, request_now
from .problems import problem

LANGUAGES = ("ko", "en")


def header_language(request: Any) -> str | None:
    """The first of Korean or English the client asks for in Accept-Language, if any."""
    for part in request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return None


class LanguageMixin:
    """The request's language (Accept-Language first) and its one clock reading (`request.now`, taken before
    authentication, which records a token's last use, and used by everything the request does)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        request.now = timezone.now()  # type: ignore[attr-defined]
        language = header_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response.headers["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language", "Cookie", "Authorization"))  # who asks, in what language
        return with_etag(request, response)


def with_etag(request: Request, response: Any) -> Any:
    """A successful GET carries an ETag (a hash of its body); asked again with `If-None-Match` and unchanged, it is
    answered 304 without the body. The body is made either way: the ETag saves the transfer, not the work."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or getattr(response, "streaming", False):
        return response
    if hasattr(response, "render"):
        response.render()
    etag = pagecache.etag_of(response.content)  # as the pages' cache makes them
    response["ETag"] = etag
    if pagecache.etag_matches(request, etag):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Vary", "Content-Language", "Cache-Control"):
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response


class ApiView(LanguageMixin, APIView):
    """The base of the API's views."""

    permission_classes = [ScopePermission]


class AnchorPagination(pagination.CursorPagination):
    ordering = ("sort_order", "id")
    page_size = 50


class AnchorList(LanguageMixin, generics.ListAPIView):
    """The anchor facilities, in the portal's order."""

    serializer_class = serializers.AnchorSerializer
    pagination_class = AnchorPagination

    def get_queryset(self):
        return anchor_selectors.anchor_list()


class AnchorDetail(LanguageMixin, generics.RetrieveAPIView):
    """One anchor facility, by its slug (as in its page's address)."""

    serializer_class = serializers.AnchorSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return anchor_selectors.anchor_list()


class AnchorResources(ApiView):
    """The spaces and machines of an anchor that can be booked online."""

    @extend_schema(responses=serializers.ResourceSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        anchor = get_object_or_404(Anchor, slug=slug)
        resources = reservation_selectors.anchor_resources(anchor=anchor)
        return Response(serializers.ResourceSerializer(resources, many=True).data)


class ResourceWeek(ApiView):
    """A space's or machine's week, for the one asking: a cell is "free" only when a booking of the shortest
    allowed length starting there passes every booking rule for them (the same selector as the booking page)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("week", OpenApiTypes.DATE, description="Any day of the week asked; today by default."),
        ],
        responses=serializers.WeekSerializer,
    )
    def get(self, request: Request, key: str) -> Response:
        resource = reservation_selectors.resource_by_key(key)
        now = request_now(request)
        week_of = parse_day(request.query_params.get("week"), timezone.localdate(now))
        length = reservation_selectors.booking_length(resource)
        days, rows = reservation_selectors.week_for_viewer(
            resource=resource, week_of=week_of, now=now, viewer=request.user, length=length
        )
        labels = {state: str(label) for state, label in reservation_selectors.GRID_STATES.items()}
        # The cells (a hundred and more) as WeekCellSerializer describes them, built directly: through a serializer
        # per cell they were two thirds of the request's time (bench/pages.py).
        cells = [
            {
                "start": cell.start.isoformat(),
                "end": cell.end.isoformat(),
                "state": cell.state,
                "label": labels[cell.state],
                "fee_won": cell.fee_won,
                "fee_is_example": cell.fee_is_example,
            }
            for i in range(len(days))
            for row in rows
            for cell in (row.cells[i],)
        ]
        return Response(
            {
                "resource": serializers.ResourceSerializer(resource).data,
                "days": [day.isoformat() for day in days],
                "length_minutes": int(length / timedelta(minutes=1)),
                "cells": cells,
            }
        )


class AnchorRates(ApiView):
    """An anchor's rate table as its rates page shows it: the version in force today and the next published one."""

    @extend_schema(responses=serializers.RatesSerializer)
    def get(self, request: Request, slug: str) -> Response:
        anchor = get_object_or_404(Anchor, slug=slug)
        versions = facility_selectors.rate_versions(anchor=anchor)
        current, upcoming = facility_selectors.current_and_next_version(
            versions, timezone.localdate(request_now(request))
        )
        return Response(serializers.RatesSerializer({"current": current, "next": upcoming}).data)


class ResourceQuote(ApiView):
    """The fee of a booking of a space or machine from `start` to `end`, itemised, from the anchor's rate table:
    the quote the rates page and the booking's confirmation show (for the one asking: their verified category's
    discount applies)."""

    @extend_schema(parameters=[serializers.QuoteQuerySerializer], responses=serializers.QuoteSerializer)
    def get(self, request: Request, key: str) -> Response:
        resource = reservation_selectors.resource_by_key(key)
        query = serializers.QuoteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            quote = facility_selectors.quote_for(
                resource=resource,
                start=query.validated_data["start"],
                end=query.validated_data["end"],
                categories=reservation_selectors.discount_categories(user=request.user),
            )
        except QuoteError as err:
            return problem(
                request,
                status_code=422,
                code="no_price",
                title=_("This booking cannot be priced."),
                detail=facility_selectors.quote_error_message(err),
            )
        return Response(serializers.QuoteSerializer(quote).data)


class Problems(ApiView):
    """What each problem `code` means (the `type` of every error points here)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response({code: str(text) for code, text in PROBLEM_CODES.items()})


PROBLEM_CODES = {
    "invalid": gettext_lazy("Some of what was sent is not valid; `errors` names the fields."),
    "not_found": gettext_lazy("No such object, or not one you may see."),
    "not_authenticated": gettext_lazy("Log in first."),
    "permission_denied": gettext_lazy("Your role does not allow this."),
    "throttled": gettext_lazy("Too many requests: wait the seconds `Retry-After` gives."),
    "no_price": gettext_lazy("The rate table gives no price for this booking."),
    "method_not_allowed": gettext_lazy("This address does not take that method."),
    "token_invalid": gettext_lazy("The API token is not one the portal knows."),
    "token_revoked": gettext_lazy("The API token was revoked by its owner."),
    "token_expired": gettext_lazy("The API token has expired: make a new one on your profile page."),
    "token_scope": gettext_lazy("The API token is read only: make a token that may act."),
    "idempotency_key_reused": gettext_lazy("The Idempotency-Key was already used for a different request."),
    "too_large": gettext_lazy("The request body is too large."),
    "unsupported_media_type": gettext_lazy("Send JSON (Content-Type: application/json)."),
    "parse_error": gettext_lazy("The body is not valid JSON."),
    "state": gettext_lazy("The reservation's status or the time does not allow this now."),
    "charge_changed": gettext_lazy("Cancelling costs more than the charge accepted: accept the new charge."),
    "fee_changed": gettext_lazy("The fee changed since it was shown: check the new fee and send it again."),
    "clash": gettext_lazy("The time is taken; `suggestions` lists free times for you."),
    "quota": gettext_lazy("The weekly hours allowed for this kind of space or machine are used up."),
    "untrained": gettext_lazy("This machine needs a valid training certificate."),
    "past": gettext_lazy("The time has already begun or passed."),
    "lead_time": gettext_lazy("Too little notice: book further ahead."),
    "window": gettext_lazy("Too far ahead: bookings open a set number of days in advance."),
    "hours": gettext_lazy("Outside the opening hours."),
    "closed_day": gettext_lazy("The anchor is closed that day."),
    "unit": gettext_lazy("Times must fall on the booking unit (e.g. whole half hours)."),
    "min_duration": gettext_lazy("Shorter than the shortest booking allowed."),
    "max_duration": gettext_lazy("Longer than the longest booking allowed."),
    "capacity": gettext_lazy("More people than the room holds."),
    "maintenance": gettext_lazy("The machine is out of service then."),
    "not_bookable": gettext_lazy("This space or machine is not booked online."),
    "order": gettext_lazy("The end must be after the start."),
    "who": gettext_lazy("Say who the booking is for."),
    "already_registered": gettext_lazy("You are already registered for this programme."),
    "lottery": gettext_lazy("The slot is allocated by lottery: apply in its window on the portal."),
    "offered": gettext_lazy("The freed slot is held for a maker from its waiting list until their offer lapses."),
    "suspended": gettext_lazy("Your online booking is suspended after repeated no-shows; the desk can book for you."),
}
