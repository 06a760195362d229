"""Values the databases refuse never reach them: every list endpoint takes any offset Python
accepts in changed_since (PostgreSQL refuses offsets beyond ±15:59) and answers a problem, not
a server error, for one it does not."""

import pytest

from api import services
from api.tests import call

LISTS = ["/children", "/decisions", "/conversations", "/plans", "/feedback"]


@pytest.fixture
def token(administrator):
    return services.api_client_create(actor=administrator, name="Sagssystemet")[1]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("moment", ["2026-01-01T00:00:00-22:15", "2026-01-01T00:00:00+23:59"])
def test_changed_since_with_an_offset_postgresql_refuses_is_answered(token, child, path, moment):
    response = call(token, "get", f"{path}?changed_since={moment}".replace("+", "%2B"))
    assert response.status_code == 200, response.content
    assert "count" in response.json()


@pytest.mark.parametrize("moment", ["2026-01-01T00:00:00-24:00", "0001-01-01T00:00:00+01:00"])
def test_changed_since_that_is_no_moment_gets_a_problem(token, child, moment):
    response = call(token, "get", f"/children?changed_since={moment}".replace("+", "%2B"))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
