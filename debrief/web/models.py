from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """A token that changes whenever a body of data changes (say, everything the pipeline
    list shows), so that answers computed from it can be kept until then. A fresh random
    token rather than a counter: after a restore or a flush it cannot repeat an old one."""

    name = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.token}"
