"""The billing pages as their users and strangers meet them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from billing import selectors
from billing.models import Document, Method, Payment

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(book, maker):
    book(start=at(3, 10), end=at(3, 12))
    return Document.objects.get(account__user=maker)


def test_the_maker_sees_and_pays_their_invoice_online_in_the_sandbox(client, maker, invoice):
    client.force_login(maker)
    page = client.get("/me/billing/")
    assert page.status_code == 200 and invoice.code in page.content.decode()
    page = client.get(invoice.get_absolute_url())
    assert page.status_code == 200 and f"/billing/{invoice.code}/pay/" in page.content.decode()
    start = client.post(f"/billing/{invoice.code}/pay/")
    assert start.status_code == 302 and "/billing-sandbox/" in start["Location"]
    again = client.post(f"/billing/{invoice.code}/pay/")
    assert again["Location"] == start["Location"]  # a double click continues the same payment
    checkout = client.get(start["Location"])
    assert checkout.status_code == 200 and "샌드박스" in checkout.content.decode()
    done = client.post(start["Location"], {"outcome": "pay"})
    assert done.status_code == 302
    assert selectors.document_states([invoice])[invoice.pk].due == 0
    assert client.post(start["Location"], {"outcome": "pay"}).status_code == 302
    assert Payment.objects.filter(method=Method.ONLINE).count() == 1
    pdf = client.get(f"/billing/{invoice.code}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_others_get_404_and_the_wrong_role_403(client, other_maker, maker, invoice, changsin_staff):
    client.force_login(other_maker)
    for url in (invoice.get_absolute_url(), f"/billing/{invoice.code}/pdf/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/billing/{invoice.code}/pay/").status_code == 404
    assert (
        client.post(f"/billing/{invoice.code}/payments/", {"amount": "1", "method": "cash", "once": "x"}).status_code
        == 404
    )
    client.force_login(maker)
    assert (
        client.post(f"/billing/{invoice.code}/payments/", {"amount": "1", "method": "cash", "once": "x"}).status_code
        == 403
    )
    assert client.get("/desk/geumcheon/billing/").status_code == 403
    client.force_login(changsin_staff)
    assert client.get("/desk/geumcheon/billing/").status_code == 403
    assert not Payment.objects.exists()


@pytest.mark.parametrize("code", ["x", "A1-2026-I00001'--", "A999999-9999-I9999999", "%00", "A1-2026-I" + "9" * 50])
def test_hostile_codes_are_404(client, maker, code):
    client.force_login(maker)
    assert client.get(f"/billing/{code}/").status_code in (400, 404)


def test_staff_record_a_desk_payment_and_close_the_day(client, geumcheon_staff, invoice):
    client.force_login(geumcheon_staff)
    page = client.get(invoice.get_absolute_url())
    assert page.status_code == 200
    once = page.context["payment_form"].initial["once"]
    bad = client.post(f"/billing/{invoice.code}/payments/", {"amount": "이만원", "method": "card", "once": once})
    assert bad.status_code == 400 and not Payment.objects.exists()
    over = client.post(
        f"/billing/{invoice.code}/payments/", {"amount": f"{invoice.total_won + 1:,}", "method": "card", "once": once}
    )
    assert over.status_code == 400 and not Payment.objects.exists()
    data = {"amount": f"{invoice.total_won:,}", "method": "card", "once": once}
    assert client.post(f"/billing/{invoice.code}/payments/", data).status_code == 302
    assert client.post(f"/billing/{invoice.code}/payments/", data).status_code == 302  # a double click
    assert Payment.objects.count() == 1
    day = timezone.localdate()
    closing = client.get(f"/desk/geumcheon/billing/closing/?day={day:%Y-%m-%d}")
    assert closing.status_code == 200 and f"{invoice.total_won:,}" in closing.content.decode()
    csv = client.get(f"/desk/geumcheon/billing/closing/?day={day:%Y-%m-%d}&export=csv")
    assert csv.status_code == 200 and invoice.code in csv.content.decode("utf-8-sig")
    assert client.get("/desk/geumcheon/billing/closing/?day=2026-13-45").status_code == 302
    assert client.get("/desk/geumcheon/billing/").status_code == 200


def test_the_desk_form_takes_only_the_ways_it_offered(client, geumcheon_staff, invoice):
    """An online payment is the provider's to confirm: a hand-made POST of one at the desk records nothing."""
    client.force_login(geumcheon_staff)
    for method in ("online", "credit", "bitcoin"):
        data = {"amount": "1,000", "method": method, "once": f"forged-{method}"}
        response = client.post(f"/billing/{invoice.code}/payments/", data)
        assert response.status_code == 400
        assert "online" not in [v for v, _label in response.context["payment_form"].fields["method"].choices]
    assert not Payment.objects.exists()
