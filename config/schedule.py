"""The periodic schedule, declared once: `manage.py sync_schedule` writes it to django-celery-beat (where staff
may then edit times in the admin site), and `manage.py run_periodic` runs the same jobs in-process."""

from __future__ import annotations

SCHEDULE: dict[str, dict] = {
    "Send due messages": {"task": "notifications.tasks.outbox_deliver_due_task", "every_minutes": 5},
    "Bookings: expire requests, mark no-shows, queue reminders": {
        "task": "reservations.tasks.booking_housekeeping",
        "every_minutes": 5,
    },
    "Lotteries, offers of freed slots": {"task": "allocation.tasks.allocation_housekeeping", "every_minutes": 5},
    "Programme reminders and waiting lists": {"task": "programs.tasks.programme_housekeeping", "every_minutes": 10},
    "Warn of expiring certifications": {
        "task": "facilities.tasks.certification_warnings",
        "crontab": {"minute": "0", "hour": "9"},
    },
    "API: forget day-old idempotency keys": {
        "task": "api.tasks.api_housekeeping",
        "crontab": {"minute": "30", "hour": "4"},
    },
    "Open data: publish the month that has ended": {
        "task": "opendata.tasks.publish_previous_month",
        "crontab": {"minute": "30", "hour": "6", "day_of_month": "1"},
    },
    "Billing: confirm bookings paid": {"task": "billing.tasks.billing_frequent", "every_minutes": 5},
    "Billing: rents, monthly invoices, deposits to return, overdue reminders": {
        "task": "billing.tasks.billing_daily",
        "crontab": {"minute": "0", "hour": "1"},
    },
    "Monthly reports": {
        "task": "budgets.tasks.monthly_reports",
        "crontab": {"minute": "0", "hour": "6", "day_of_month": "1"},
    },
}

# Names this schedule used before; sync_schedule removes them from django-celery-beat.
RETIRED = ("Send due reminders and messages", "Expire unapproved requests, mark no-shows")
