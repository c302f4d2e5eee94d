"""The audit trail: who changed what, when, before and after."""

from __future__ import annotations
