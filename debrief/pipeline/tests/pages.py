"""Reading the pipeline pages the way a person does: which deals and customers a page lists,
and the error shown beside a field."""

from __future__ import annotations

import html
import re
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
