"""Every page of the crawl on a phone and at a desk, for a few roles of the demo: nothing
scrolls sideways at 320 and 375 px, radios and checkboxes sit by their labels with tap targets
of 24 px (44 px where a child answers), tables keep their column names, the staff menu folds,
and the focus ring stands out. With STEMME_SCREENSHOTS set, each page is photographed at 375 and
1280 px into that folder."""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core import testing

pytestmark = pytest.mark.browser

WIDTHS = (320, 375)
SHOTS = os.environ.get("STEMME_SCREENSHOTS")

MEASURE = """() => {
  const visible = (e) => e.getClientRects().length > 0;
  const child = !!document.querySelector("body.child, main.portal");
  const choices = [...document.querySelectorAll("input[type=radio], input[type=checkbox]")]
    .filter(visible).map((input) => {
      const box = input.getBoundingClientRect();
      const around = input.closest("label");
      const beside = input.id && document.querySelector(`label[for="${input.id}"]`);
      const label = around || beside;
      const area = around ? around.getBoundingClientRect() : box;
      const text = label ? label.getBoundingClientRect() : box;
      return {name: input.name, width: box.width, target: Math.max(box.height, area.height),
              gap: beside && !around ? Math.max(0, text.left - box.right) : 0};
    });
  const cells = [...document.querySelectorAll("table.stacks tbody td")].filter(visible)
    .filter((td) => td.textContent.trim())
    .map((td) => ({label: td.dataset.label || "",
                   before: getComputedStyle(td, "::before").content}));
  const wide = [...document.querySelectorAll("main *")].filter(visible)
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map((e) => e.tagName + "." + e.className + " " + e.textContent.slice(0, 40));
  return {scroll: document.documentElement.scrollWidth, child, choices, cells, wide};
}"""


def _context(browser, live_server, client, width, language="da"):
    context = browser.new_context(
        locale="da-DK", viewport={"width": width, "height": 740}, is_mobile=width < 600
    )
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.LANGUAGE_COOKIE_NAME] = language
    context.add_cookies(
        [{"name": name, "value": value, "url": live_server.url} for name, value in cookies.items()]
    )
    return context


def _check_pages(browser, live_server, client, urls, who, language="da"):
    problems = []
    context = _context(browser, live_server, client, WIDTHS[0], language)
    page = context.new_page()
    for url in urls:
        page.set_viewport_size({"width": WIDTHS[0], "height": 740})
        page.goto(live_server.url + url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            found = page.evaluate(MEASURE)
            if found["scroll"] > width:
                problems.append(
                    f"{who} {url} at {width} px is {found['scroll']} px wide: {found['wide']}"
                )
        least = 44 if found["child"] else 24
        for choice in found["choices"]:
            if choice["width"] > 40 or choice["gap"] > 24 or choice["target"] < least:
                problems.append(
                    f"{who} {url}: the choice {choice} is not a {least} px target by its label"
                )
        for cell in found["cells"]:
            if not cell["label"] or cell["label"] not in cell["before"]:
                problems.append(f"{who} {url}: a table cell without its column name {cell}")
        if SHOTS:
            name = re.sub(r"[^a-z0-9]+", "-", f"{who}{url}".lower()).strip("-")
            page.screenshot(path=str(Path(SHOTS) / f"{name}-375.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 800})
            page.screenshot(path=str(Path(SHOTS) / f"{name}-1280.png"), full_page=True)
    context.close()
    return problems


def _load_demo():
    from feedback.defaults import ensure_default_instruments
    from feedback.models import Instrument, InstrumentVersion, Item

    ensure_default_instruments(Instrument, InstrumentVersion, Item)  # flushed by live_server
    call_command("demo", stdout=StringIO())


def test_no_page_scrolls_sideways_and_choices_sit_by_their_labels(live_server, browser):
    from accounts.models import User
    from survey import services as survey_services
    from survey.models import Survey

    _load_demo()
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
    problems = []
    # English words are longer in places: the caseworker's pages are also opened in English.
    for who, language in (("rikke", "da"), ("hanne", "da"), ("barn", "da"), ("rikke", "en")):
        client = testing.demo_client(who)
        pages, _errors = testing.crawl(client, start="/me/" if who == "barn" else "/", limit=40)
        urls = [url for url, _body in pages]
        problems += _check_pages(browser, live_server, client, urls, f"{who}-{language}", language)
    # The children's survey: a child on their own phone, no sign-in.
    hanne = User.objects.get(username="hanne")
    (token,) = survey_services.survey_links_make(
        actor=hanne, survey=Survey.objects.first(), count=1
    )
    client = testing.demo_client("rikke")
    problems += _check_pages(browser, live_server, client, [f"/s/{token}/"], "survey")
    assert not problems, "\n".join(problems)


def test_the_staff_menu_folds_on_a_phone_and_the_focus_ring_stands_out(live_server, browser):
    _load_demo()
    client = testing.demo_client("hanne")
    context = _context(browser, live_server, client, 375)
    page = context.new_page()
    page.goto(f"{live_server.url}/audit/")
    menu = page.get_by_role("button", name="Menu")
    log_link = page.get_by_role("link", name="Adgangslog")
    assert menu.is_visible() and not log_link.is_visible()
    assert page.locator("header").bounding_box()["height"] <= 90
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and log_link.is_visible()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "hanne-menu-open-375.png"))
    menu.click()
    assert not log_link.is_visible()
    # The access log's table keeps its column names on the phone: each cell leads with one.
    names = page.locator("main table thead th").all_text_contents()
    leads = page.evaluate(
        """() => [...document.querySelectorAll("main table tbody tr:first-child td")]
          .map((td) => td.textContent.trim() ? getComputedStyle(td, "::before").content : "")"""
    )
    assert names and len(leads) == len(names)
    shown = [(name, lead) for name, lead in zip(names, leads, strict=True) if lead]
    assert len(shown) >= 4 and all(name.strip() in lead for name, lead in shown), leads
    # Keyboard focus: the ring has 3:1 against what it sits on (WCAG 2.1, 1.4.11).
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    ring, background = page.evaluate(
        """() => {
          const element = document.activeElement;
          let behind = element.parentElement;
          while (behind && getComputedStyle(behind).backgroundColor === "rgba(0, 0, 0, 0)") {
            behind = behind.parentElement;
          }
          return [getComputedStyle(element).outlineColor,
                  behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)"];
        }"""
    )
    assert testing.contrast(testing.rgb(ring), testing.rgb(background)) >= 3, (ring, background)
    # At a desk the menu is simply there.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not menu.is_visible() and log_link.is_visible()
    context.close()
