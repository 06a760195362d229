"""A label never states a figure the settings can change: change the setting, and the page says
the new figure (the rules read the same setting)."""

from datetime import date

from django.urls import reverse

from cases import services as case_services


def test_the_childs_page_states_the_continuity_window_of_the_settings(
    child, caseworker, client_for, settings
):
    page = client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    assert "de seneste 12 måneder" in page.content.decode()
    settings.STEMME_CONTINUITY_WINDOW_MONTHS = 24
    page = client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    html = page.content.decode()
    assert "de seneste 24 måneder" in html and "de seneste 12 måneder" not in html


def test_the_decision_states_the_party_age_of_the_settings(child, caseworker, client_for, settings):
    decision = case_services.decision_add(
        actor=caseworker, child=child, decided_on=date(2026, 11, 2), subject="Kontaktperson"
    )
    url = reverse("plans:decision", args=[child.pk, decision.pk])
    assert "barnet er 10 år eller ældre" in client_for(caseworker).get(url).content.decode()
    settings.STEMME_PARTY_AGE = 11  # the child (born 2014) is 12
    html = client_for(caseworker).get(url).content.decode()
    assert "barnet er 11 år eller ældre" in html and "10 år eller ældre" not in html


def test_the_bisidder_age_on_the_forms_is_the_setting(child, caseworker, client_for, settings):
    settings.STEMME_BISIDDER_MIN_AGE = 16
    client = client_for(caseworker)
    plan = client.get(reverse("conversations:plan", args=[child.pk])).content.decode()
    assert "mindst 16 år (Barnets lov § 6, stk. 4)" in plan
    network = client.get(reverse("cases:network_add", args=[child.pk])).content.decode()
    assert "mindst 16 år" in network and "15 år" not in network
