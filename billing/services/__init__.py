"""Billing's writes. Each takes `now` from its caller and locks the payer's account row first (then the
document counter), so two writes to one account never interleave and numbers never repeat."""

from .ledger import (  # noqa: F401
    BillingRefused,
    account_for_organisation,
    account_for_reservation,
    deposit_settle,
    deposits_return_due,
    documents_issue,
    invoices_issue_monthly,
    reservation_sync,
    reservations_sync_all,
)
from .payments import (  # noqa: F401
    bank_import,
    intent_start,
    paid_bookings_confirm,
    parse_amount,
    payment_record,
    refund_record,
    sandbox_checkout,
    webhook_receive,
)
from .reminders import overdue_remind  # noqa: F401
from .rents import leases_bill  # noqa: F401
