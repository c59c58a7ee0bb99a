"""Programmes: creation, sessions booked through reservations, registration with a waiting list, attendance.

Registration and cancellation lock the programme row, so places are counted by one transaction at a
time: a place freed by a cancellation goes to the first person on the waiting list, exactly once.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anchors.models import Anchor
from facilities import services as facility_services
from facilities.models import EquipmentKind, Space
from reservations import services as reservation_services

from .models import Attendance, Outcome, Programme, ProgrammeKind, Registration, RegistrationStatus, Session


@transaction.atomic
def programme_create(
    *,
    anchor: Anchor,
    kind: str,
    title_ko: str,
    capacity: int,
    created_by,
    title_en: str = "",
    description_ko: str = "",
    description_en: str = "",
    audience_ko: str = "",
    audience_en: str = "",
    fee_won: int = 0,
    certifies: EquipmentKind | None = None,
    is_example: bool = False,
) -> Programme:
    if kind == ProgrammeKind.SAFETY_TRAINING and (certifies is None or not certifies.requires_certification):
        raise ValidationError(
            {"certifies": _("A safety training must name an equipment kind that needs a certification.")}
        )
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
        created_by=created_by,
        is_example=is_example,
    )
    p.full_clean()
    p.save()
    return p


@transaction.atomic
def session_add(
    *, programme: Programme, space: Space, start: datetime, end: datetime, booked_by, now: datetime | None = None
) -> Session:
    """Book the room through the reservations rules (a clash with any booking is refused), then add the session."""
    if space.anchor_id != programme.anchor_id:
        raise ValidationError({"space": _("The room must be at the programme's anchor.")})
    reservation = reservation_services.reservation_create(
        resource=space,
        start=start,
        end=end,
        booked_by=booked_by,
        guest_name=_("Programme: %(title)s") % {"title": programme.title_ko},
        as_staff=True,
        purpose=programme.title_ko,
        party_size=min(programme.capacity, space.capacity or programme.capacity),
        discount_category="partner_programme",
        now=now,
    )
    # The room is held for the programme, not rented: no fee, so it does not count as fee revenue.
    type(reservation).objects.filter(pk=reservation.pk).update(fee_won=0, discount_won=0, fee_lines=[], deposit_won=0)
    session = Session(programme=programme, space=space, starts_at=start, ends_at=end, reservation=reservation)
    session.full_clean()
    session.save()
    return session


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _registered_count(programme: Programme) -> int:
    return programme.registrations.filter(status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def register(*, programme: Programme, user, now: datetime | None = None) -> Registration:
    """A place if one is free, else a place on the waiting list; never twice for one maker."""
    now = now or timezone.now()
    programme = _locked(programme)
    if not programme.is_published:
        raise ValidationError(_("This programme is not open for registration."))
    first = programme.sessions.order_by("starts_at").first()
    if first is None:
        raise ValidationError(_("This programme has no session yet."))
    if first.starts_at <= now:
        raise ValidationError(_("Registration closed when the programme started."))
    if programme.registrations.filter(
        user=user, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    ).exists():
        raise ValidationError(_("You are already registered for this programme."))
    status = (
        RegistrationStatus.REGISTERED
        if _registered_count(programme) < programme.capacity
        else RegistrationStatus.WAITLISTED
    )
    reg = Registration(programme=programme, user=user, status=status)
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError as err:
        raise ValidationError(_("You are already registered for this programme.")) from err
    return reg


@transaction.atomic
def registration_cancel(*, registration: Registration, now: datetime | None = None) -> Registration | None:
    """Cancel; a freed place goes to the first on the waiting list. Returns the promoted registration, if any."""
    now = now or timezone.now()
    programme = _locked(registration.programme)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if reg.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration was already cancelled."))
    was_registered = reg.status == RegistrationStatus.REGISTERED
    reg.status, reg.cancelled_at = RegistrationStatus.CANCELLED, now
    reg.save(update_fields=["status", "cancelled_at", "updated_at"])
    if not was_registered or _registered_count(programme) >= programme.capacity:
        return None
    nxt = (
        programme.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .select_for_update()
        .first()
    )
    if nxt is None:
        return None
    nxt.status, nxt.promoted_at = RegistrationStatus.REGISTERED, now
    nxt.save(update_fields=["status", "promoted_at", "updated_at"])
    from .tasks import send_promotion_email

    transaction.on_commit(lambda: send_promotion_email.delay(nxt.pk))
    return nxt


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
    recorded_by,
    now: datetime | None = None,
) -> Attendance:
    """Mark who came; for a safety training, a pass grants the certification (valid at every anchor)."""
    if registration.programme_id != session.programme_id or registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(_("Only registered participants of this programme can be marked."))
    if result and not attended:
        raise ValidationError(_("Someone who did not attend can neither pass nor fail."))
    programme = session.programme
    if result and programme.kind != ProgrammeKind.SAFETY_TRAINING:
        raise ValidationError(_("Only safety trainings have a pass or fail result."))
    row, _created = Attendance.objects.update_or_create(
        session=session,
        registration=registration,
        defaults={"attended": attended, "result": result, "recorded_by": recorded_by},
    )
    if result == "pass":
        from facilities.selectors import user_is_certified

        if not user_is_certified(user=registration.user, kind=programme.certifies):
            facility_services.certification_grant(
                user=registration.user,
                kind=programme.certifies,
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
    satisfaction,
    notes: str = "",
    participants: int | None = None,
) -> Outcome:
    """Outcomes; the participant count defaults to the people marked as attending at least one session."""
    if participants is None:
        participants = (
            Attendance.objects.filter(session__programme=programme, attended=True)
            .values("registration")
            .distinct()
            .count()
        )
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


def promote_waitlists(*, now: datetime | None = None) -> int:
    """Give free places (after a capacity change) to the waiting list in order; safe to run twice."""
    now = now or timezone.now()
    promoted = 0
    waiting = (
        Programme.objects.filter(registrations__status=RegistrationStatus.WAITLISTED)
        .distinct()
        .values_list("pk", flat=True)
    )
    for pk in waiting:
        with transaction.atomic():
            programme = Programme.objects.select_for_update().get(pk=pk)
            free = programme.capacity - _registered_count(programme)
            for reg in programme.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
                "created_at", "pk"
            )[: max(free, 0)]:
                reg.status, reg.promoted_at = RegistrationStatus.REGISTERED, now
                reg.save(update_fields=["status", "promoted_at", "updated_at"])
                promoted += 1
    return promoted
