"""The migrated database holds every index and constraint the models declare, and no
single-column index on a foreign key the models say needs none.

Migrations can drift from the models without `makemigrations --check` noticing: Django's
AlterField, told that a foreign key needs no index of its own, drops every index on that
column on PostgreSQL, including a partial unique one ("one primary reason per loss")."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models

pytestmark = pytest.mark.django_db


def _ours() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("debrief.")]


def _constraints(model: type[models.Model]) -> dict[str, Any]:
    with connection.cursor() as cursor:
        return dict(connection.introspection.get_constraints(cursor, model._meta.db_table))


def _wants_own_index(field: Any) -> bool:
    """A field's `db_index` (django-stubs only knows it as an argument)."""
    return bool(field.db_index)


def test_every_declared_index_and_constraint_is_in_the_database() -> None:
    missing = [
        f"{model._meta.label}: {name}"
        for model in _ours()
        for name in [i.name for i in model._meta.indexes]
        + [c.name for c in model._meta.constraints]
        if name not in _constraints(model)
    ]
    assert missing == []


def test_a_foreign_key_has_an_index_of_its_own_only_when_it_asks_for_one() -> None:
    wrong = []
    for model in _ours():
        found = _constraints(model)
        declared = {i.name for i in model._meta.indexes} | {c.name for c in model._meta.constraints}
        for field in model._meta.local_fields:
            if not isinstance(field, models.ForeignKey) or field.unique:
                continue
            own = [
                name
                for name, info in found.items()
                if info["index"]
                and not info["unique"]
                and info["columns"] == [field.column]
                and name not in declared
            ]
            if bool(own) != _wants_own_index(field):
                wrong.append(f"{model._meta.label}.{field.name}: {own or 'no index'}")
    assert wrong == []


def test_a_foreign_key_without_its_own_index_leads_one_that_serves_it() -> None:
    """`db_index=False` is only for a key that another index already starts with."""
    unserved = []
    for model in _ours():
        leading = {
            tuple(info["columns"][:1])
            for info in _constraints(model).values()
            if info["index"] or info["unique"]
        }
        for field in model._meta.local_fields:
            unindexed = isinstance(field, models.ForeignKey) and not _wants_own_index(field)
            if unindexed and (field.column,) not in leading:
                unserved.append(f"{model._meta.label}.{field.name}")
    assert unserved == []
