"""The main menu: on a phone it is folded under a "Menu" button that opens it (keyboard
included); on a wide screen every link shows, with no button."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import login_in_browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_menu_folds_on_a_phone_and_opens_from_the_keyboard(
    browser_page: Any, live_server: Any, rita: Any
) -> None:
    # given
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    login_in_browser(page, live_server, rita)
    menu = page.locator("summary", has_text="Menu")
    pipeline = page.get_by_role("navigation", name="Main").get_by_role("link", name="Pipeline")

    # then the links wait behind the button
    expect(menu).to_be_visible()
    expect(pipeline).to_be_hidden()

    # when she opens it from the keyboard
    menu.focus()
    page.keyboard.press("Enter")

    # then
    expect(pipeline).to_be_visible()
    pipeline.click()
    page.wait_for_url(f"{live_server.url}/deals/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_menu_is_open_on_a_wide_screen(browser_page: Any, live_server: Any, rita: Any) -> None:
    # given
    page = browser_page
    login_in_browser(page, live_server, rita)
    nav = page.get_by_role("navigation", name="Main")

    # then
    expect(page.locator("summary", has_text="Menu")).to_be_hidden()
    expect(nav.get_by_role("link", name="Pipeline")).to_be_visible()
    expect(nav.get_by_role("link", name="API")).to_have_attribute("href", "/api/v1/docs")
    page.goto(f"{live_server.url}/me/")
    expect(nav.locator('a[aria-current="page"]')).to_have_attribute("href", "/me/")
