"""The shared page links keep every other query parameter (filters, search) of the page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def render_page(query: str, number: int) -> str:
    request = RequestFactory().get(f"/deals/?{query}")
    page = Paginator(range(100), 10).get_page(number)
    return render_to_string("web/_pagination.html", {"page": page}, request=request)


def test_page_links_keep_the_filters():
    # when
    html = render_page("status=open&q=acme&page=5", 5)

    # then
    assert 'href="?status=open&amp;q=acme&amp;page=4" rel="prev"' in html
    assert 'href="?status=open&amp;q=acme&amp;page=6" rel="next"' in html
    assert 'href="?status=open&amp;q=acme&amp;page=1"' in html
    assert 'href="?status=open&amp;q=acme&amp;page=10"' in html
    assert '<span class="current" aria-current="page">5</span>' in html


def test_the_first_page_has_no_previous_link():
    # when
    html = render_page("", 1)

    # then
    assert 'rel="prev"' not in html
    assert 'href="?page=2" rel="next"' in html


def test_a_single_page_needs_no_links():
    # given
    request = RequestFactory().get("/deals/")
    page = Paginator(range(5), 10).get_page(1)

    # when
    html = render_to_string("web/_pagination.html", {"page": page}, request=request)

    # then
    assert html.strip() == ""
