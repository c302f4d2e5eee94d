"""The fixed cast every test uses, and the few helpers that build their world.

Team North: Maya (manager), Rita and Nico (reps). Team South: Sam (manager), Oscar (rep).
Adam is the admin, Ana the analyst. Everyone's password is PASSWORD.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "correct-horse-battery-staple"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent


def _find_shared_data() -> Path:
    """The public data sets (IBM, Maven, Salvirt, CRM headers), read in place, never copied:
    `DEBRIEF_SHARED_DATA` if set, else ../shared/data beside this checkout, else beside the
    repository this one was cloned from (CI tests a fresh clone kept elsewhere)."""
    candidates = [ROOT.parent / "shared" / "data"]
    if os.environ.get("DEBRIEF_SHARED_DATA"):
        candidates.insert(0, Path(os.environ["DEBRIEF_SHARED_DATA"]))
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if origin and "://" not in origin and ":" not in origin.split("/")[0]:
        candidates.append(Path(origin).resolve().parent / "shared" / "data")
    return next((path for path in candidates if path.is_dir()), candidates[0])


SHARED_DATA = _find_shared_data()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing costs half a second a user; tests only need the check to be real.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"public data: {SHARED_DATA}" + ("" if SHARED_DATA.is_dir() else " (MISSING)")]
    if not _chromium_available():
        lines.append(
            "browser tests: SKIPPED — no Chromium at /usr/bin/chromium (apt-get install chromium)"
        )
    return lines


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _chromium_available():
        return
    skip = pytest.mark.skip(reason="no Chromium on this machine")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _user(email: str, name: str, role: str) -> Any:
    from debrief.org.models import User

    return User.objects.create_user(email, PASSWORD, full_name=name, role=role)


@pytest.fixture
def north(db: None) -> Any:
    from debrief.org.models import Team

    return Team.objects.create(name="North")


@pytest.fixture
def south(db: None) -> Any:
    from debrief.org.models import Team

    return Team.objects.create(name="South")


@pytest.fixture
def maya(north: Any) -> Any:
    """Manager of North."""
    user = _user("maya@example.com", "Maya Moreau", "manager")
    north.managers.add(user)
    return user


@pytest.fixture
def rita(north: Any) -> Any:
    """A rep in North."""
    user = _user("rita@example.com", "Rita Reyes", "rep")
    north.members.add(user)
    return user


@pytest.fixture
def nico(north: Any) -> Any:
    """Rita's teammate in North."""
    user = _user("nico@example.com", "Nico Nowak", "rep")
    north.members.add(user)
    return user


@pytest.fixture
def sam(south: Any) -> Any:
    """Manager of South."""
    user = _user("sam@example.com", "Sam Sato", "manager")
    south.managers.add(user)
    return user


@pytest.fixture
def oscar(south: Any) -> Any:
    """A rep in South: the other team."""
    user = _user("oscar@example.com", "Oscar Olsen", "rep")
    south.members.add(user)
    return user


@pytest.fixture
def adam(db: None) -> Any:
    """The admin."""
    return _user("adam@example.com", "Adam Achebe", "admin")


@pytest.fixture
def ana(db: None) -> Any:
    """The analyst: reads everything, changes nothing."""
    return _user("ana@example.com", "Ana Alvarez", "analyst")


@pytest.fixture
def cast(maya: Any, rita: Any, nico: Any, sam: Any, oscar: Any, adam: Any, ana: Any) -> Any:
    class Cast:
        pass

    c = Cast()
    for name, user in {
        "maya": maya,
        "rita": rita,
        "nico": nico,
        "sam": sam,
        "oscar": oscar,
        "adam": adam,
        "ana": ana,
    }.items():
        setattr(c, name, user)
    return c


@pytest.fixture
def stages(db: None) -> dict[str, Any]:
    """The seeded pipeline stages by name."""
    from debrief.pipeline.models import Stage

    return {s.name: s for s in Stage.objects.all()}


@pytest.fixture
def make_customer(db: None) -> Any:
    from debrief.pipeline import actions

    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Any:
        fields.setdefault("name", f"Customer {next(counter)} Ltd")
        fields.setdefault("segment", "Manufacturing")
        return actions.create_customer(None, **fields)

    return make


@pytest.fixture
def make_deal(db: None, make_customer: Any, stages: dict[str, Any]) -> Any:
    """make_deal(owner, **fields): a deal through the real action, in the owner's team."""
    from debrief.pipeline import actions

    counter = iter(range(1, 10_000))

    def make(owner: Any, **fields: Any) -> Any:
        fields.setdefault("name", f"Deal {next(counter)}")
        fields.setdefault("customer", make_customer(team=actions.owner_team(owner)))
        fields.setdefault("team", actions.owner_team(owner))
        fields.setdefault("stage", stages["Prospecting"])
        fields.setdefault("amount", Decimal("25000"))
        fields.setdefault("currency", "USD")
        return actions.create_deal(None, owner=owner, **fields)

    return make


@pytest.fixture
def api_client(client: Any) -> Any:
    """The test client, speaking JSON to /api/v1 with a user's bearer token."""
    from debrief.org import actions

    class ApiClient:
        def __init__(self) -> None:
            self.headers: dict[str, str] = {}

        def as_user(self, user: Any) -> ApiClient:
            _, raw = actions.create_api_token(user, None, "tests")
            self.headers = {"Authorization": f"Bearer {raw}"}
            return self

        def get(self, url: str, **params: Any) -> Any:
            return client.get(url, params, headers=self.headers)

        def post(self, url: str, data: Any = None) -> Any:
            return client.post(
                url, data or {}, content_type="application/json", headers=self.headers
            )

        def patch(self, url: str, data: Any = None) -> Any:
            return client.patch(
                url, data or {}, content_type="application/json", headers=self.headers
            )

        def put(self, url: str, data: Any = None) -> Any:
            return client.put(
                url, data or {}, content_type="application/json", headers=self.headers
            )

        def delete(self, url: str) -> Any:
            return client.delete(url, headers=self.headers)

    return ApiClient()


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    """A Playwright page in Debian's Chromium, headless, against the live server."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def login_in_browser(page: Any, live_server: Any, user: Any) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
