"""Every page answers with the secure headers (a Content-Security-Policy with a per-request
nonce and no inline code, no framing, no sniffing), session cookies scripts cannot read, and
every form refuses a POST without its CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD


def test_pages_send_the_secure_headers(client, cast):
    client.force_login(cast.rita)

    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert re.search(r"script-src 'self' 'nonce-[\w+/=-]+'", csp)
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    nonce = re.search(r"'nonce-([\w+/=-]+)'", csp).group(1)  # type: ignore[union-attr]
    page = response.content.decode()
    assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script[^>]*>", page))


def test_the_session_cookie_is_http_only_and_same_site(cast):
    client = Client()

    response = client.post("/login/", {"username": cast.rita.email, "password": PASSWORD})

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/login/", {"username": "rita@example.com", "password": PASSWORD}),
        ("/deals/new/", {"name": "Sneaky"}),
        ("/settings/", {"name": "Sneaky"}),
        ("/me/tokens/", {"name": "sneaky"}),
    ],
)
def test_forms_refuse_a_post_without_the_csrf_token(cast, url, data):
    client = Client(enforce_csrf_checks=True)
    if url != "/login/":
        client.force_login(cast.adam)

    response = client.post(url, data)

    assert response.status_code == 403


def test_the_login_page_carries_a_csrf_token(db):
    page = Client(enforce_csrf_checks=True).get(reverse("web-login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
