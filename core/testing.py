"""Test support: read a page's links and forms as a browser does, and fill a form the way a
person would with what the page itself offers. Used by the crawl tests and by tests that
submit one form "exactly as offered"."""

import copy
import re
import traceback
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from django.db import transaction
from django.test import Client

TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "number", "date", "time"}
TEXT_TYPES |= {"datetime-local", "month", "week", "color", "range", ""}

SKIP = re.compile(
    r"logout|/pdf/|\.ics$|/download|/photos?/|/media/|/stream/|/drawings/|^/static/|^/api/"
    r"|/oidc/|format=csv|/mitid/|/originals/|/i18n/|/caseworker/photo/|/jsi18n/"
)
DEMO_CHILD_CODE, DEMO_CHILD_PIN = "UNGE-HEJ3-3579", "3579"  # Malik, 15, in the demo's portal
PAGE_LIMIT = 70  # pages per role; a crawl keeps one page of each URL shape


@dataclass
class Control:
    """One named control of a form: an input, a select, a textarea or a submit button."""

    tag: str
    name: str
    type: str = ""
    value: str = ""
    checked: bool = False
    disabled: bool = False
    multiple: bool = False
    attrs: dict = field(default_factory=dict)
    options: list = field(default_factory=list)  # (value, selected, disabled) of a select

    @property
    def is_text(self) -> bool:
        """Typed by a person: text, number, date and the like, or a textarea."""
        return self.tag == "textarea" or (self.tag == "input" and self.type in TEXT_TYPES)


@dataclass
class Form:
    """A <form> on a page: where and how it is sent, and its controls in document order."""

    action: str
    method: str
    enctype: str
    attrs: dict
    controls: list = field(default_factory=list)
    uses_htmx: bool = False

    def names(self) -> tuple:
        return tuple(sorted({c.name for c in self.controls if c.tag != "button"}))

    def offered(self) -> list:
        """The (name, value) pairs a browser sends when a person keeps what the page offers,
        picks the first real option of each select, radio group and checkbox group, and types
        valid text of the right kind into each empty field."""
        pairs = []
        seen_groups = set()
        controls = [c for c in self.controls if not c.disabled]
        for control in controls:
            if control.tag == "button" or control.type in ("submit", "image", "reset", "button"):
                continue
            if control.type == "file":
                continue
            if control.type in ("radio", "checkbox"):
                if control.name in seen_groups:
                    continue
                seen_groups.add(control.name)
                group = [c for c in controls if c.name == control.name and c.type == control.type]
                real = [c for c in group if c.value or "value" not in c.attrs]
                chosen = [c for c in group if c.checked] or real[:1] or group[:1]
                pairs += [(c.name, c.value if "value" in c.attrs else "on") for c in chosen]
            elif control.tag == "select":
                real = [(v, s) for v, s, d in control.options if not d]
                chosen = [v for v, s in real if s and v]
                if not chosen:
                    first_real = next((v for v, _s in real if v), None)
                    chosen = [first_real] if first_real is not None else []
                    if not chosen and real:
                        chosen = [real[0][0]]
                pairs += [(control.name, value) for value in chosen]
            elif control.tag == "textarea" or control.type != "hidden":
                pairs.append((control.name, control.value or valid_text(control)))
            else:
                pairs.append((control.name, control.value))
        submit = self.submit_button()
        if submit is not None and submit.name:
            pairs.append((submit.name, submit.value))
        return pairs

    def submit_button(self):
        return next(
            (
                c
                for c in self.controls
                if not c.disabled
                and (
                    (c.tag == "button" and c.type in ("", "submit"))
                    or (c.tag == "input" and c.type in ("submit", "image"))
                )
            ),
            None,
        )


def valid_text(control: Control) -> str:
    """A value a person would type into an empty field of this kind."""
    attrs = control.attrs
    kind = control.type
    today = date.today()
    if kind == "email":
        return "ida@example.dk"
    if kind == "url":
        return "https://example.dk/"
    if kind == "tel":
        return "12345678"
    if kind in ("number", "range"):
        return attrs.get("min") or "1"
    if kind == "date":
        return attrs.get("min") or (today + timedelta(days=1)).isoformat()
    if kind == "time":
        return "10:00"
    if kind == "datetime-local":
        return f"{today + timedelta(days=1):%Y-%m-%d}T10:00"
    if kind == "month":
        return f"{today:%Y-%m}"
    if kind == "color":
        return "#0b5394"
    if kind == "password":
        return "en-lang-adgangskode-2026"
    text = "Ida vil gerne tale om skolen"
    if attrs.get("maxlength", "").isdigit():
        text = text[: int(attrs["maxlength"])]
    return text


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: list | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = attrs.get("action")
            uses_htmx = False
            for verb in ("post", "get"):
                if action is None and f"hx-{verb}" in attrs:
                    action, method, uses_htmx = attrs[f"hx-{verb}"], verb, True
            self._form = Form(
                action=action or "",
                method=method,
                enctype=attrs.get("enctype", ""),
                attrs=attrs,
                uses_htmx=uses_htmx,
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button") and attrs.get("name") is not None:
            kind = attrs.get("type", "submit" if tag == "button" else "text").lower()
            self._form.controls.append(
                Control(
                    tag=tag,
                    name=attrs["name"],
                    type=kind,
                    value=attrs.get("value", ""),
                    checked="checked" in attrs,
                    disabled="disabled" in attrs,
                    attrs=attrs,
                )
            )
        elif tag == "button":
            kind = attrs.get("type", "submit").lower()
            control = Control(tag=tag, name="", type=kind, disabled="disabled" in attrs)
            self._form.controls.append(control)
        elif tag == "select" and attrs.get("name"):
            self._select = Control(
                tag="select",
                name=attrs["name"],
                multiple="multiple" in attrs,
                disabled="disabled" in attrs,
                attrs=attrs,
            )
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, "disabled" in attrs, ""]
            self._select.options.append(self._option)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = Control(
                tag="textarea", name=attrs["name"], disabled="disabled" in attrs, attrs=attrs
            )
            self._form.controls.append(self._textarea)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option[3] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            self._select.options = [
                (text.strip() if value is None else value, selected, disabled)
                for value, selected, disabled, text in self._select.options
            ]
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None


def parse(html: str) -> tuple[list[str], list[Form]]:
    """The page's link targets and its forms."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.links, parser.forms


def forms_of(response) -> list[Form]:
    return parse(response.content.decode())[1]


def target(page_url: str, form: Form) -> str:
    """Where the browser sends the form: its action resolved against the page."""
    return urljoin(page_url, form.action) if form.action else page_url


def same_site_path(page_url: str, href: str) -> str | None:
    """The path and query of a link on this site, or None for another site or a fragment."""
    absolute = urljoin(page_url, href)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("testserver", ""):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def submit(client, page_url: str, form: Form, pairs: list, **extra):
    """Send the form with these (name, value) pairs, as a browser would (no redirects
    followed)."""
    url = target(page_url, form)
    headers = {"HX-Request": "true"} if form.uses_htmx else {}
    if form.method == "post":
        data = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        if "multipart" in form.enctype:
            return client.post(url, data, headers=headers, **extra)
        return client.post(
            url,
            urlencode(pairs),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
            **extra,
        )
    base = url.split("?", 1)[0]
    return client.get(f"{base}?{urlencode(pairs)}", headers=headers, **extra)


def shape(path: str) -> str:
    """One URL shape per page kind: ids and the query (sorting, filters, pages) do not make a
    new page."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def demo_client(username: str) -> Client:
    if username == "barn":
        client = Client()
        answer = client.post(
            "/me/login/", {"code": DEMO_CHILD_CODE, "pin": DEMO_CHILD_PIN, "step": "pin"}
        )
        assert answer.status_code == 302, answer.content.decode()[:2000]
        return client
    from accounts.models import User
    from conftest import signed_in

    return signed_in(User.objects.get(username=username))


def rolled_back(client, send):
    """Send one request in a transaction that is rolled back, keeping the client's cookies
    (a sign-out, a new session or a language switch must not carry over)."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = send()
            transaction.set_rollback(True)
        return response, None
    except Exception as error:  # noqa: BLE001 - every server error is reported, not raised
        lines = traceback.format_exception(error)
        return None, "".join(lines[-6:])
    finally:
        client.cookies = cookies


def crawl(client, start="/", limit=PAGE_LIMIT):
    """The pages reachable by links from the start page (one per URL shape), as
    (url, html) pairs, and the server errors met on the way."""
    pages, problems, seen, queue = [], [], set(), [start]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if shape(url) in seen or SKIP.search(url):
            continue
        seen.add(shape(url))
        response, error = rolled_back(client, lambda url=url: client.get(url, follow=True))
        if error:
            problems.append(f"GET {url}: server error\n{error}")
            continue
        if response.status_code >= 500:
            problems.append(f"GET {url}: {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        if response.request.get("QUERY_STRING"):
            final += "?" + response.request["QUERY_STRING"]
        body = response.content.decode()
        pages.append((final, body))
        links, _forms = parse(body)
        for href in links:
            path = same_site_path(final, href)
            if path and shape(path) not in seen:
                queue.append(path)
    return pages, problems


def _luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    """The WCAG contrast ratio of two colours given as (r, g, b) or "#rrggbb"."""
    first, second = (rgb(c) if isinstance(c, str) else c for c in (first, second))
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(css: str) -> tuple:
    """(r, g, b) of "#rgb", "#rrggbb" or "rgb(r, g, b)"."""
    if css.startswith("#"):
        digits = css[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])
