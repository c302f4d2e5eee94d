"""The audit trail: who changed what, when, before and after."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "debrief.audit"
    label = "audit"

    def ready(self) -> None:
        from debrief.audit import recorder

        recorder.connect()
