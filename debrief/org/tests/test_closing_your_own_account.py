"""An admin who unticks their own "Active" is told so beside that box, and stays active."""

from __future__ import annotations

from debrief.org.models import User
from debrief.pipeline.tests.pages import field_error


def test_an_admin_cannot_close_their_own_account(client, cast):
    # given
    client.force_login(cast.adam)

    # when "Active" is left unticked on their own user
    response = client.post(
        f"/settings/users/{cast.adam.pk}/",
        {"full_name": "Adam Achebe", "role": "admin", "time_zone": "UTC"},
    )

    # then the error is beside the box they unticked
    assert response.status_code == 400
    assert "cannot close your own account" in field_error(response, "is_active")
    assert field_error(response, "role") == ""
    assert User.objects.get(pk=cast.adam.pk).is_active
