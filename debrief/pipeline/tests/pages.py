"""Reading the pipeline pages the way a person does: which deals and customers a page lists,
the error shown beside a field, and a form's values as a browser would send them back."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

DEAL_ROW = re.compile(r'data-label="Deal"><a href="/deals/(\d+)/">([^<]*)</a>')
CUSTOMER_ROW = re.compile(r'data-label="Customer"><a href="/customers/(\d+)/">([^<]*)</a>')


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def deal_names(response: Any) -> list[str]:
    """The deals listed in a page's deal table, in order."""
    return [html.unescape(name) for _, name in DEAL_ROW.findall(response.content.decode())]


def customer_names(response: Any) -> list[str]:
    return [html.unescape(name) for _, name in CUSTOMER_ROW.findall(response.content.decode())]


def field_error(response: Any, field: str) -> str:
    """The error list rendered beside a form field (empty if there is none)."""
    match = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


class _FormReader(HTMLParser):
    """Collects each <form>'s fields as a browser would send them, untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and "name" in a and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].append((a["name"], a.get("value", "on" if "checked" in a else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1].append((a.get("name", ""), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            name, value = self.forms[-1][-1]
            self.forms[-1][-1] = (name, value + data.removeprefix("\n"))


def form_values(response: Any, having: str) -> dict[str, Any]:
    """The values of the page's form that has a field called `having`, exactly as rendered:
    what a browser would send back if the user changed nothing. Repeated names (a multiple
    select) give a list."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    for fields in reader.forms:
        if any(name == having for name, _ in fields):
            values: dict[str, Any] = {}
            for name, value in fields:
                if name in values:
                    previous = values[name]
                    values[name] = (
                        [*previous, value] if isinstance(previous, list) else [previous, value]
                    )
                else:
                    values[name] = value
            return values
    raise AssertionError(f"no form with a field {having!r}")
