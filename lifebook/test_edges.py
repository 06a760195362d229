"""A hand-made URL on the life book's timeline is refused by the form, never by the database."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("year", ["-1", "0", "10000", "99999999999999999999", "1899", "2101"])
def test_a_year_out_of_range_shows_the_whole_book(child, caseworker, client_for, year):
    response = client_for(caseworker).get(
        reverse("lifebook:timeline", args=[child.pk]), {"year": year}
    )
    assert response.status_code == 200


def test_a_year_in_range_filters(child, caseworker, client_for):
    response = client_for(caseworker).get(
        reverse("lifebook:timeline", args=[child.pk]), {"year": "2024"}
    )
    assert response.status_code == 200 and response.context["filters"].is_valid()
