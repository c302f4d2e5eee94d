"""Debrief's URLs plus `/bench/hello`: a django-ninja hello-world endpoint, behind the same
middleware, the floor against which bench/load/run.sh measures the real pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI

from debrief.urls import urlpatterns as debrief_urlpatterns

hello_api = NinjaAPI(urls_namespace="bench-hello", docs_url=None, openapi_url=None)


@hello_api.get("/hello")
def hello(request: HttpRequest) -> dict[str, str]:
    return {"hello": "world"}


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/", hello_api.urls),
    *debrief_urlpatterns,
]
