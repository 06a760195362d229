"""The head of department imports the case system's file in a real browser: the dry run shows
a refused row in Danish, the corrected file imports whole; no WCAG 2.1 AA violations."""

from datetime import date

import pytest

from cases.cpr import make_cpr
from cases.models import Child
from conftest import IMMEDIATE_TASKS, PASSWORD
from e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser


def _file(tmp_path, caseworker_of_second: str):
    path = tmp_path / "eksport.csv"
    path.write_text(
        "barn_id;cpr;fornavn;efternavn;raadgiver;sag_id;sag_aabnet\n"
        f"K-1;{make_cpr(date(2015, 3, 1), 2)};Alma;Holm;rikke;S-1;01-09-2026\n"
        f"K-2;{make_cpr(date(2016, 4, 2), 2)};Bo;Holm;{caseworker_of_second};S-2;02-09-2026\n",
        encoding="utf-8",
    )
    return path


def test_the_head_of_department_imports_the_case_systems_file(
    live_server, browser, head, caseworker, settings, tmp_path
):
    settings.STEMME_REQUIRE_2FA = False
    settings.TASKS = IMMEDIATE_TASKS  # the worker's check and import run as soon as asked
    page = browser.new_context(locale="da-DK").new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(head.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Import").click()
    assert_accessible(page)
    page.get_by_label("Sagssystemets fil (CSV eller Excel)").set_input_files(
        _file(tmp_path, "ingen")
    )
    page.get_by_role("button", name="Kontrollér filen").click()
    page.get_by_role("heading", name="Afviste rækker").wait_for()
    assert page.get_by_text("Der er ingen aktiv rådgiver med det brugernavn.").is_visible()
    assert page.get_by_role("button", name="Importér").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Importér en anden fil").click()
    page.get_by_label("Sagssystemets fil (CSV eller Excel)").set_input_files(
        _file(tmp_path, "rikke")
    )
    page.get_by_role("button", name="Kontrollér filen").click()
    page.get_by_role("button", name="Importér 2 rækker").click()
    page.get_by_text("Importeret").first.wait_for()
    assert_accessible(page)
    assert Child.objects.filter(external_id__in=["K-1", "K-2"]).count() == 2
