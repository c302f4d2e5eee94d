"""Ten failed sign-ins for one account, or from one address, within fifteen minutes lock that
account or address for fifteen minutes, with a message that says so; every sign-in form obeys
the lock, and nine failures lock nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import PASSWORD
from debrief.org.models import SignInFailure

LOCKED = "Too many failed sign-ins for this account or from this address."


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_ten_wrong_passwords_lock_the_account_even_with_the_right_one(client, cast):
    # given ten wrong guesses from ten different addresses
    for n in range(10):
        response = sign_in(client, cast.rita.email, "wrong", address=f"10.0.1.{n}")
        assert LOCKED not in response.content.decode()

    # when the right password comes from an eleventh address
    response = sign_in(client, cast.rita.email, PASSWORD, address="10.0.2.1")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert LOCKED in page
    assert "Try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session
    # and attempts while locked don't prolong the lock
    assert SignInFailure.objects.filter(email=cast.rita.email).count() == 10


def test_the_lock_ends_after_fifteen_minutes(client, cast):
    # given a locked account whose last failure was sixteen minutes ago
    for _ in range(10):
        sign_in(client, cast.rita.email, "wrong")
    SignInFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=16))

    # when
    response = sign_in(client, cast.rita.email, PASSWORD, address="10.9.9.9")

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.rita.pk)


def test_ten_failures_from_one_address_lock_that_address_for_every_account(client, cast):
    # given ten guesses at ten accounts from one address
    for n in range(10):
        sign_in(client, f"nobody{n}@example.com", "wrong", address="192.0.2.7")

    # when
    from_there = sign_in(client, cast.nico.email, PASSWORD, address="192.0.2.7")
    from_elsewhere = sign_in(client, cast.nico.email, PASSWORD, address="192.0.2.8")

    # then
    assert LOCKED in from_there.content.decode()
    assert from_elsewhere.status_code == 302


def test_nine_failures_lock_nothing(client, cast):
    for _ in range(9):
        sign_in(client, cast.rita.email, "wrong")

    response = sign_in(client, cast.rita.email, PASSWORD)

    assert response.status_code == 302


def test_the_django_admin_sign_in_obeys_the_lock(client, cast):
    # given a locked admin account
    for _ in range(10):
        sign_in(client, cast.adam.email, "wrong")

    # when the right password goes to the Django admin's own form
    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": cast.adam.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )

    # then
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_behind_a_proxy_the_lock_follows_the_forwarded_address(client, cast, settings):
    # given a proxy that overwrites X-Forwarded-For with the client's address
    settings.BEHIND_PROXY = True
    for n in range(10):
        client.post(
            "/login/",
            {"username": f"nobody{n}@example.com", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.4",
        )

    # when another client comes through the same proxy
    other = client.post(
        "/login/",
        {"username": cast.nico.email, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.5",
    )

    # then only the guessing client is locked
    assert other.status_code == 302
    assert SignInFailure.objects.filter(address="198.51.100.4").count() == 10
