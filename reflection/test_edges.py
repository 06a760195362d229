"""A hand-made joint-reflection form with an id no database can hold gets a message, not a
server error (SQLite refuses integers above 64 bits)."""

import pytest
from django.urls import reverse

from reflection.tests import _session


@pytest.mark.parametrize("participant", ["99999999999999999999", "²", "-1", "1.5"])
def test_a_participant_id_out_of_range_is_an_invalid_choice(
    caseworker, team_leader, client_for, participant
):
    session = _session(team_leader, caseworker)
    url = reverse("reflection:session", args=[session.pk])
    response = client_for(team_leader).post(
        url, {"presentation": "En pige på 11 år.", "participants": [participant]}
    )
    assert response.status_code in (200, 400)
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert "En pige på 11 år." in response.content.decode()  # what was typed stays
