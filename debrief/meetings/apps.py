from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "debrief.meetings"
    label = "meetings"
