"""JSON lines for `debrief backup` and `restore` (and dumpdata/loaddata), keeping times to the
microsecond: Django's own encoder cuts them to milliseconds, so a round trip would change
every timestamp."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer as Deserializer
from django.core.serializers.jsonl import Serializer as JsonlSerializer


class ExactTimeEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JsonlSerializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", ExactTimeEncoder)
        super()._init_options()  # type: ignore[misc]  # untyped in django-stubs


__all__ = ["Deserializer", "Serializer"]
