from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.roles import Role, has_role
from accounts.services import maker_sign_up
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "New.Maker@Example.com",
    "full_name": "김메이커",
    "password1": "sewing-overlock-2026",
    "password2": "sewing-overlock-2026",
    "preferred_language": "en",
    "category_claimed": "small_manufacturer",
}


def _link(message) -> str:
    import re

    return re.search(r"https?://\S+/accounts/signup/confirm/\S+/", message.body).group(0).split("testserver", 1)[1]


@pytest.mark.smoke
def test_a_maker_signs_up_confirms_the_address_and_lands_on_the_dashboard_in_their_language(client):
    response = client.post("/accounts/signup/", GOOD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    user = User.objects.get(email__iexact="new.maker@example.com")
    assert not user.is_active and has_role(user, Role.MAKER) and user.category_claimed == "small_manufacturer"
    assert (
        client.post("/accounts/login/", {"username": GOOD["email"], "password": GOOD["password1"]}).status_code == 200
    )
    (message,) = mail.outbox
    assert message.to == [user.email] and "confirm" in message.subject.lower()  # in the maker's language (English)
    confirmed = client.get(_link(message))
    assert confirmed.status_code == 302 and confirmed.url == "/welcome/"
    assert confirmed.cookies["anchor_language"].value == "en"
    html = client.get("/dashboard/").content.decode()
    assert "Your maker account" in html and "awaiting staff check" in html


@pytest.mark.smoke
def test_sign_up_says_the_same_whether_or_not_the_address_has_an_account(client):
    owner = UserFactory(email="new.maker@example.com", full_name="원래 주인")
    owner.last_login = owner.date_joined
    owner.save()
    taken = client.post("/accounts/signup/", GOOD)
    fresh = client.post("/accounts/signup/", {**GOOD, "email": "someone.else@example.com"})

    def normalise(response) -> str:
        import re

        html = response.content.decode().replace("New.Maker@Example.com", "X").replace("someone.else@example.com", "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)

    assert taken.status_code == fresh.status_code == 200 and normalise(taken) == normalise(fresh)
    assert User.objects.filter(email__iexact="new.maker@example.com").count() == 1
    owner.refresh_from_db()
    assert owner.full_name == "원래 주인" and owner.check_password("correct-horse-battery")  # nothing changed
    to_owner = next(m for m in mail.outbox if m.to == [owner.email])
    assert "/accounts/signup/confirm/" not in to_owner.body and "/accounts/password/reset/" in to_owner.body


def test_a_confirmation_link_that_is_forged_expired_or_for_another_address_activates_nothing(client):
    import time_machine
    from django.utils import timezone

    client.post("/accounts/signup/", GOOD)
    link = _link(mail.outbox[0])
    assert client.get(link[:-3] + "xx/").status_code == 400
    with time_machine.travel(timezone.now() + timezone.timedelta(days=4)):
        assert client.get(link).status_code == 400
    user = User.objects.get(email__iexact=GOOD["email"])
    user.email = "changed@example.com"
    user.save()
    assert client.get(link).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_the_service_and_the_database_also_refuse_a_case_variant_duplicate():
    first = UserFactory(email="dup@example.com")
    assert maker_sign_up(email="DUP@example.com", full_name="x", password="whatever-long-1") == (first, False)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Dup@Example.com", full_name="y")


def test_sign_up_with_mismatched_or_weak_passwords_shows_field_errors_in_korean(client):
    bad = {**GOOD, "password2": "something-else-99"}
    html = client.post("/accounts/signup/", bad).content.decode()
    assert "두 비밀번호가 일치하지 않습니다" in html
    weak = {**GOOD, "password1": "12345678901", "password2": "12345678901"}
    html = client.post("/accounts/signup/", weak).content.decode()
    assert "is-invalid" in html
    assert not User.objects.filter(email__iexact=GOOD["email"]).exists()


def test_sign_up_with_an_invalid_email_re_renders_without_a_500(client):
    response = client.post("/accounts/signup/", {**GOOD, "email": "not an email"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()


def test_login_by_email_is_case_insensitive_and_sets_the_saved_language(client):
    UserFactory(email="maker@example.com", preferred_language="en")
    response = client.post("/accounts/login/", {"username": "Maker@Example.COM", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.cookies["anchor_language"].value == "en"


def test_a_wrong_password_gets_a_clear_message(client):
    UserFactory(email="maker@example.com")
    client.cookies["anchor_language"] = "en"
    html = client.post("/accounts/login/", {"username": "maker@example.com", "password": "nope"}).content.decode()
    assert "Please enter a correct e-mail address and password" in html


def test_switching_language_saves_it_to_the_profile_and_sets_the_cookie(client):
    user = UserFactory(preferred_language="ko")
    client.force_login(user)
    response = client.post("/accounts/language/", {"language": "en", "next": "/anchors/"})
    assert response.status_code == 302 and response.url == "/anchors/"
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert response.cookies["anchor_language"].value == "en"


def test_switching_to_an_unknown_language_or_an_outside_next_url_is_harmless(client):
    response = client.post("/accounts/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"
    assert "anchor_language" not in response.cookies


def test_password_reset_sends_a_link_that_lets_the_user_choose_a_new_password(client):
    UserFactory(email="maker@example.com")
    response = client.post("/accounts/password/reset/", {"email": "maker@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "brand-new-pattern-7", "new_password2": "brand-new-pattern-7"})
    assert response.status_code == 302
    assert client.login(email="maker@example.com", password="brand-new-pattern-7")


def test_the_profile_saves_name_phone_and_language(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "새 이름",
            "phone": "010-0000-0000",
            "preferred_language": "en",
            "category_claimed": "student_youth",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.preferred_language, user.category_claimed) == (
        "새 이름",
        "010-0000-0000",
        "en",
        "student_youth",
    )


def test_a_bad_profile_category_re_renders_and_changes_nothing(client):
    user = UserFactory(full_name="원래 이름")
    client.force_login(user)
    response = client.post(
        "/accounts/profile/", {"full_name": "", "preferred_language": "zz", "category_claimed": "king"}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "원래 이름"


@pytest.mark.django_db
def test_roles_are_read_once_per_request_and_a_revoked_role_ends_at_the_next_request(client):
    """accounts.roles reads a user's groups in plain SQL once per request; nothing is kept between requests, so a
    role taken away in the admin stops working at once, and groups that are not roles are no roles."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.roles import user_roles

    staff = UserFactory(roles=[Role.FACILITY_STAFF, Role.MAKER])
    staff.groups.add(Group.objects.create(name="newsletter"))
    fresh = User.objects.get(pk=staff.pk)
    with CaptureQueriesContext(connection) as read:
        assert user_roles(fresh) == {Role.FACILITY_STAFF, Role.MAKER}
        assert user_roles(fresh) == {Role.FACILITY_STAFF, Role.MAKER}
    assert len(read.captured_queries) == 1
    assert user_roles(UserFactory(is_superuser=True)) == {Role.CITY_ADMIN}

    client.force_login(staff, backend="accounts.backends.EmailBackend")
    assert client.get("/certifications/").status_code == 200
    staff.groups.remove(Group.objects.get(name=Role.FACILITY_STAFF))
    assert client.get("/certifications/").status_code == 403
