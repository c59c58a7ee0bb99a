"""Programmes: creation and changes, sessions holding their rooms through the reservation rules, registration
with a waiting list, attendance (a training pass grants the certification) and outcomes.

Registration and cancellation lock the programme row, so places are counted by one transaction at a
time: a place freed by a cancellation goes to the first person on the waiting list, exactly once.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anchors.models import Anchor
from common import pagecache
from common.examples import refusal
from facilities import selectors as facility_selectors
from facilities import services as facility_services
from facilities.models import EquipmentKind, Space
from notifications.services import outbox_enqueue
from reservations import services as reservation_services

from .models import (
    Attendance,
    AttendanceResult,
    Outcome,
    Programme,
    ProgrammeKind,
    Registration,
    RegistrationStatus,
    Session,
    TrainingAlert,
)
from .selectors import attended_count, upcoming_programmes

if TYPE_CHECKING:
    from accounts.models import User
    from reservations.models import Reservation

PROGRAMME_FIELDS = (
    "kind",
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
    "audience_ko",
    "audience_en",
    "capacity",
    "fee_won",
    "certifies",
    "is_published",
)


def _check_kind(kind: str, certifies: EquipmentKind | None) -> None:
    if kind == ProgrammeKind.SAFETY_TRAINING and (certifies is None or not certifies.requires_certification):
        raise ValidationError(
            {"certifies": _("A safety training must name an equipment kind that needs a certification.")}
        )


def _too_small(programme: Programme, space: Space) -> ValidationError:

    return ValidationError(
        refusal(
            _(
                "%(room)s holds at most %(n)s people but the programme has %(places)s places: "
                "choose a larger room or fewer places."
            )
            % {"room": space.name, "n": space.capacity, "places": programme.capacity},
            space.is_example,
        )
    )


@transaction.atomic
def programme_create(
    *,
    anchor: Anchor,
    kind: str,
    title_ko: str,
    capacity: int,
    created_by: User | None,
    title_en: str = "",
    description_ko: str = "",
    description_en: str = "",
    audience_ko: str = "",
    audience_en: str = "",
    fee_won: int = 0,
    certifies: EquipmentKind | None = None,
    is_published: bool = True,
    is_example: bool = False,
) -> Programme:
    _check_kind(kind, certifies)
    p = Programme(
        anchor=anchor,
        kind=kind,
        title_ko=title_ko.strip(),
        title_en=title_en.strip(),
        description_ko=description_ko.strip(),
        description_en=description_en.strip(),
        audience_ko=audience_ko.strip(),
        audience_en=audience_en.strip(),
        capacity=capacity,
        fee_won=fee_won,
        certifies=certifies if kind == ProgrammeKind.SAFETY_TRAINING else None,
        is_published=is_published,
        created_by=created_by,
        is_example=is_example,
    )
    p.full_clean()
    p.save()
    return p


def programme_check(programme: Programme, *, now: datetime) -> None:
    """The rules a programme's details must keep, asked by programme_update and by the admin's form."""
    _check_kind(programme.kind, programme.certifies)
    if programme.pk is None:
        return
    for session in programme.sessions.filter(ends_at__gt=now).select_related("space"):
        if session.space.capacity and programme.capacity > session.space.capacity:
            raise _too_small(programme, session.space)
    registered = _registered_count(programme)
    if programme.capacity < registered:
        raise ValidationError(
            {
                "capacity": _("%(n)s people are registered already; cancel registrations before lowering the places.")
                % {"n": registered}
            }
        )


@transaction.atomic
def programme_update(*, programme: Programme, now: datetime, **changes: Any) -> Programme:
    """Change a programme's details; more places than a coming session's room holds are refused, and places
    added go to the waiting list at once."""
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValueError(f"not a programme field: {sorted(unknown)}")
    p = _locked(programme)
    for name, value in changes.items():
        setattr(p, name, value.strip() if isinstance(value, str) and name != "kind" else value)
    if p.kind != ProgrammeKind.SAFETY_TRAINING:
        p.certifies = None
    p.full_clean()
    programme_check(p, now=now)
    p.save()
    _promote(p, now=now)
    training_alerts_notify(programme=p, now=now)  # published just now, or made a training
    return p


def _hold_room(
    *, programme: Programme, space: Space, start: datetime, end: datetime, booked_by: User | None, now: datetime
) -> Reservation:
    """A programme's hold on its room: every booking rule applies except the fee (it is not a rental)."""
    if space.anchor_id != programme.anchor_id:
        raise ValidationError({"space": _("The room must be at the programme's anchor.")})
    if space.capacity and programme.capacity > space.capacity:
        raise _too_small(programme, space)
    return reservation_services.reservation_create(
        resource=space,
        start=start,
        end=end,
        booked_by=booked_by,
        guest_name=_("Programme: %(title)s") % {"title": programme.title_ko},
        as_staff=True,
        purpose=programme.title_ko,
        party_size=programme.capacity,
        fee_exempt=True,
        notify=False,
        now=now,
    )


@transaction.atomic
def session_add(
    *, programme: Programme, space: Space, start: datetime, end: datetime, booked_by: User | None, now: datetime
) -> Session:
    """Hold the room through the reservation rules (a clash with any booking is refused), then add the session."""
    programme = _locked(programme)
    reservation = _hold_room(programme=programme, space=space, start=start, end=end, booked_by=booked_by, now=now)
    session = Session(programme=programme, space=space, starts_at=start, ends_at=end, reservation=reservation)
    session.full_clean()
    session.save()
    training_alerts_notify(programme=programme, now=now)
    return session


@transaction.atomic
def session_move(
    *, session: Session, space: Space, start: datetime, end: datetime, moved_by: User | None, now: datetime
) -> Session:
    """Move a session to another time or room; its room hold moves with it, and the registered makers are told."""
    s = (  # the session row only: the reservation is locked by reservation_move, in the bookings' lock order
        Session.objects.select_for_update(of=("self",))
        .select_related("programme", "space", "reservation")
        .get(pk=session.pk)
    )
    if s.starts_at <= now:
        raise ValidationError(_("This session has started; it can no longer be moved."))
    programme = _locked(s.programme)
    if space.pk == s.space_id:
        reservation = reservation_services.reservation_move(
            reservation=s.reservation, start=start, end=end, by=moved_by, as_staff=True, notify=False, now=now
        )
    else:
        reservation = _hold_room(programme=programme, space=space, start=start, end=end, booked_by=moved_by, now=now)
        reservation_services.reservation_cancel(
            reservation=s.reservation,
            by=moved_by,
            reason=_("The session moved to another room."),
            notify=False,
            now=now,
        )
    old_start = s.starts_at
    s.space, s.starts_at, s.ends_at, s.reservation = space, start, end, reservation
    s.full_clean()
    s.save()
    for user_id in programme.registrations.filter(status=RegistrationStatus.REGISTERED).values_list(
        "user_id", flat=True
    ):
        outbox_enqueue(
            key=f"session-moved:{s.pk}:{user_id}:{old_start.isoformat()}>{start.isoformat()}:{space.pk}",
            kind="session-moved",
            user_id=user_id,
            object_id=s.pk,
            anchor_id=programme.anchor_id,
            now=now,
        )
    return s


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _registered_count(programme: Programme) -> int:
    return programme.registrations.filter(status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def registration_create(*, programme: Programme, user: User, now: datetime) -> Registration:
    """A place if one is free, else a place on the waiting list; never twice for one maker."""
    programme = _locked(programme)
    if not programme.is_published:
        raise ValidationError(_("This programme is not open for registration."), code="state")
    first = programme.sessions.order_by("starts_at").first()
    if first is None:
        raise ValidationError(_("This programme has no session yet."), code="state")
    if first.starts_at <= now:
        raise ValidationError(_("Registration closed when the programme started."), code="state")
    if programme.registrations.filter(
        user=user, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    ).exists():
        raise ValidationError(_("You are already registered for this programme."), code="already_registered")
    status = (
        RegistrationStatus.REGISTERED
        if _registered_count(programme) < programme.capacity
        else RegistrationStatus.WAITLISTED
    )
    reg = Registration(programme=programme, user=user, status=status, created_at=now)
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as err:
        raise ValidationError(_("You are already registered for this programme."), code="already_registered") from err
    return reg


def _promote(programme: Programme, *, now: datetime) -> list[Registration]:
    """Give the free places of a locked programme to its waiting list in order, and tell each person promoted."""
    free = programme.capacity - _registered_count(programme)
    if free <= 0:
        return []
    promoted = list(
        programme.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .select_for_update()[:free]
    )
    for reg in promoted:
        reg.status, reg.promoted_at = RegistrationStatus.REGISTERED, now
        reg.save(update_fields=["status", "promoted_at", "updated_at"])
        outbox_enqueue(
            key=f"promotion:{reg.pk}",
            kind="promotion",
            user_id=reg.user_id,
            object_id=reg.pk,
            anchor_id=programme.anchor_id,
            now=now,
        )
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, now: datetime) -> Registration | None:
    """Cancel; a freed place goes to the first on the waiting list. Returns the promoted registration, if any."""
    programme = _locked(registration.programme)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration was already cancelled."), code="state")
    reg.status, reg.cancelled_at = RegistrationStatus.CANCELLED, now
    reg.save(update_fields=["status", "cancelled_at", "updated_at"])
    promoted = _promote(programme, now=now)
    return promoted[0] if promoted else None


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        registration.programme.registrations.filter(
            status=RegistrationStatus.WAITLISTED, created_at__lte=registration.created_at
        )
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )


@transaction.atomic
def attendance_record(
    *,
    session: Session,
    registration: Registration,
    attended: bool,
    result: str,
    recorded_by: User | None,
    now: datetime,
) -> Attendance:
    """Mark who came; for a safety training, a pass grants the certification (valid at every anchor)."""
    if registration.programme_id != session.programme_id or registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(_("Only registered participants of this programme can be marked."))
    if result and not attended:
        raise ValidationError(_("Someone who did not attend can neither pass nor fail."))
    programme = session.programme
    if result and programme.kind != ProgrammeKind.SAFETY_TRAINING:
        raise ValidationError(_("Only safety trainings have a pass or fail result."))
    if session.starts_at > now:
        raise ValidationError(_("Attendance is taken once the session has started."))
    row, _created = Attendance.objects.update_or_create(
        session=session,
        registration=registration,
        defaults={"attended": attended, "result": result, "recorded_by": recorded_by, "recorded_at": now},
    )
    if result == AttendanceResult.PASS:
        kind = programme.certifies
        assert kind is not None  # only a safety training has a result, and a safety training names its kind
        if not facility_selectors.user_is_certified(user=registration.user, kind=kind, on=timezone.localdate(now)):
            facility_services.certification_grant(
                user=registration.user,
                kind=kind,
                granted_by=recorded_by,
                anchor=programme.anchor,
                reason=_("Passed the safety training “%(title)s” on %(date)s.")
                % {"title": programme.title_ko, "date": timezone.localtime(session.starts_at).date().isoformat()},
                now=now,
            )
    return row


@transaction.atomic
def outcome_save(
    *,
    programme: Programme,
    matches: int,
    jobs_created: int,
    satisfaction: Decimal | None,
    notes: str = "",
    participants: int | None = None,
) -> Outcome:
    """Outcomes; the participant count defaults to the people marked as attending at least one session."""
    if participants is None:
        participants = attended_count(programme=programme)
    outcome, _created = Outcome.objects.update_or_create(
        programme=programme,
        defaults={
            "participants": participants,
            "matches": matches,
            "jobs_created": jobs_created,
            "satisfaction": satisfaction,
            "notes": notes.strip(),
        },
    )
    outcome.full_clean()
    return outcome


def promote_waitlists(*, now: datetime) -> int:
    """Give free places (after a capacity change made elsewhere) to the waiting lists in order; safe to run twice."""
    promoted = 0
    waiting = (
        Programme.objects.filter(registrations__status=RegistrationStatus.WAITLISTED)
        .distinct()
        .values_list("pk", flat=True)
    )
    for pk in waiting:
        with transaction.atomic():
            promoted += len(_promote(Programme.objects.select_for_update().get(pk=pk), now=now))
    return promoted


def training_alert_request(*, user: User, kind: EquipmentKind, now: datetime) -> TrainingAlert:
    """A maker asks to be told when a safety training for `kind` is scheduled at any anchor. Asking twice keeps the
    one request; refused when the kind needs no training, the maker holds the certification, or one is scheduled."""
    if not kind.requires_certification:
        raise ValidationError(_("%(kind)s needs no safety training.") % {"kind": kind.name})
    if facility_selectors.user_is_certified(user=user, kind=kind, on=timezone.localdate(now)):
        raise ValidationError(_("You hold the certification for %(kind)s already.") % {"kind": kind.name})
    if upcoming_programmes(now=now, certifies=kind).exists():
        raise ValidationError(
            _("A training for %(kind)s is scheduled: register for it on its page.") % {"kind": kind.name}
        )
    try:
        with transaction.atomic():
            return TrainingAlert.objects.create(user=user, kind=kind, created_at=now)
    except IntegrityError:  # asked before and not yet told: the same request
        return TrainingAlert.objects.get(user=user, kind=kind, notified_at__isnull=True)


def training_alert_cancel(*, user: User, kind: EquipmentKind) -> bool:
    """Withdraw the maker's waiting request for `kind`; False when there was none."""
    deleted, _rows = TrainingAlert.objects.filter(user=user, kind=kind, notified_at__isnull=True).delete()
    return bool(deleted)


@transaction.atomic
def training_alerts_notify(*, programme: Programme, now: datetime) -> int:
    """Tell every maker waiting for a training of the kind this programme certifies, once each: only a published
    safety training with a session still to come tells them, and each request is closed as it is told (the row lock
    keeps two sessions added at once from telling anyone twice). Returns how many were told."""
    if programme.kind != ProgrammeKind.SAFETY_TRAINING or programme.certifies_id is None or not programme.is_published:
        return 0
    if not programme.sessions.filter(ends_at__gt=now).exists():
        return 0
    waiting = list(
        TrainingAlert.objects.select_for_update()
        .filter(kind_id=programme.certifies_id, notified_at__isnull=True)
        .order_by("pk")
    )
    for alert in waiting:
        outbox_enqueue(
            key=f"training-scheduled:{alert.pk}",
            kind="training-scheduled",
            user_id=alert.user_id,
            object_id=programme.pk,
            anchor_id=programme.anchor_id,
            now=now,
        )
        alert.notified_at, alert.programme = now, programme
    TrainingAlert.objects.bulk_update(waiting, ["notified_at", "programme"])
    pagecache.touch(catalogue=False)  # bulk_update() sends no signal; alerts are not the catalogue
    return len(waiting)
