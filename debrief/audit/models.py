"""The audit trail: who changed what, when, with the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"


class AuditEntry(models.Model):
    """One change to an audited record. `before` and `after` hold only the fields that
    changed (all of them on creation or deletion); secrets are never stored, only that
    they changed."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # no index of its own: "audit_actor" starts with it
    )
    actor_label = models.CharField(
        max_length=254, help_text="The actor's email then, or how the change was made."
    )
    action = models.CharField(max_length=8, choices=AuditAction.choices)
    model = models.CharField(max_length=60, help_text="app.Model, e.g. losses.LossRecord")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at"),
            models.Index(fields=["model", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "-at"], name="audit_actor"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.model} {self.object_id}"

    @property
    def changed_fields(self) -> list[str]:
        return sorted(set(self.before) | set(self.after))

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field the change touched."""
        return [(f, self.before.get(f), self.after.get(f)) for f in self.changed_fields]
