"""The pages every user starts from: signing in and out, and the home page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from debrief.org.forms import EmailAuthenticationForm
from debrief.org.models import User
from debrief.web.panels import render_home_panels
from debrief.web.queries import DUE_WITHIN_DAYS, RESULTS_WINDOW_DAYS, home_for


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "home": home_for(user),
        "due_days": DUE_WITHIN_DAYS,
        "window_days": RESULTS_WINDOW_DAYS,
        "panels": render_home_panels(request),
    }
    return render(request, "web/home.html", context)
