"""Debrief's URLs plus two floors for bench/load/run.sh to measure the real pages against,
behind the same middleware: `/bench/hello`, a django-ninja hello-world endpoint (the floor the
target is set against), and `/bench/me`, the cheapest signed-in answer (the session and the
user read, as every Debrief page and API call must, and nothing else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI

from debrief.urls import urlpatterns as debrief_urlpatterns

hello_api = NinjaAPI(urls_namespace="bench-hello", docs_url=None, openapi_url=None)


@hello_api.get("/hello")
def hello(request: HttpRequest) -> dict[str, str]:
    return {"hello": "world"}


@login_required
def me(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"user": request.user.pk})


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/me", me),
    path("bench/", hello_api.urls),
    *debrief_urlpatterns,
]
