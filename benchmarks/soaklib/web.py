"""Simulated residents: reports through the public web form and through Open311 clients."""

from __future__ import annotations

import contextlib
import ipaddress
import random
import re
import time
import uuid
from html.parser import HTMLParser

import requests

from benchmarks.soaklib.stats import Recorder
from benchmarks.soaklib.target import Target

TIMEOUT_S = 10.0
# Real Milwaukee address points (maps/milwaukee), five around each of six corners, so that
# reports cluster into hotspots as neighbours' reports do.
ADDRESSES: tuple[tuple[str, float, float], ...] = (
    ("2847 N 35th St", 43.069883, -87.957406),
    ("3511 W Center St", 43.067648, -87.957911),
    ("2720 N 37th St", 43.068346, -87.959461),
    ("2677 N 36th St", 43.067759, -87.958849),
    ("2715 N 36th St", 43.068266, -87.958896),
    ("3331 N 45th St", 43.079832, -87.970107),
    ("3281 N 44th St", 43.078776, -87.968941),
    ("3311 N 45th St", 43.079491, -87.970113),
    ("3319 N 44th St", 43.079614, -87.968924),
    ("3272 N 45th St", 43.078566, -87.969457),
    ("1341 W Windlake Ave", 43.003684, -87.928950),
    ("1300 W Lincoln Ave", 43.003172, -87.928946),
    ("2215 S 12th St", 43.004229, -87.927593),
    ("2243 S 13th St", 43.003824, -87.928716),
    ("1238 S 22nd St", 43.018179, -87.940467),
    ("1132 S 21st St", 43.019391, -87.939082),
    ("1213 S 21st St", 43.018737, -87.939869),
    ("2030 W Scott St", 43.019260, -87.939108),
    ("119 W Hadley St", 43.069123, -87.911711),
    ("218 W Hadley St", 43.069582, -87.913199),
    ("2725 N 1st St", 43.068124, -87.911495),
    ("2759 N 2nd St", 43.068904, -87.912983),
    ("4201 W Silver Spring Dr", 43.118989, -87.965012),
    ("5551 N 41st St", 43.118566, -87.963845),
    ("5569 N 41st St", 43.118950, -87.963836),
    ("4235 W Silver Spring Dr", 43.118951, -87.965812),
    ("2263 N Lake Dr", 43.059547, -87.881408),
)
TEXTS = {
    "en": (
        "Cars stop at the house for two minutes and leave, all night long.",
        "Young men hang out on the corner and people are scared to walk past.",
        "Heard several shots around midnight, again this week.",
        "The empty house has a broken door and people go in and out.",
        "Someone dumped tires and a mattress in the alley behind the store.",
        "Cars race down the street every evening, kids play here.",
    ),
    "es": (
        "Los carros paran frente a la casa dos minutos y se van, toda la noche.",
        "Hay jóvenes en la esquina y la gente tiene miedo de pasar.",
        "Se oyeron varios disparos cerca de la medianoche otra vez esta semana.",
        "La casa vacía tiene la puerta rota y entra y sale gente.",
        "Tiraron llantas y un colchón en el callejón detrás de la tienda.",
    ),
}
AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
)
CASE_RE = re.compile(r'data-testid="case-number">\s*([^<\s]+)\s*<')


class FormParser(HTMLParser):
    """Every form on a page: its action, the values a browser would send, each select's options."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "options": {}})
        if not self.forms or (not a.get("name") and tag != "option"):
            return
        form, name = self.forms[-1], a.get("name", "")
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                form["fields"][name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            form["options"][name] = []
        elif tag == "option" and self._select:
            form["options"][self._select].append(a.get("value", ""))
            if "selected" in a or self._select not in form["fields"]:
                form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form["fields"][name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self.forms:
            # As in a browser: the newline right after <textarea> is not part of the value.
            fields = self.forms[-1]["fields"]
            fields[self._textarea] = re.sub(r"^\r?\n", "", fields[self._textarea])
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def page_forms(html: str) -> list[dict]:
    """The forms of an HTML page (see FormParser)."""
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def fake_public_ipv4(rng: random.Random) -> str:
    """A random globally routable IPv4 address: one simulated client behind the proxy."""
    while True:
        address = ipaddress.IPv4Address(rng.getrandbits(32))
        if address.is_global and not address.is_multicast:
            return str(address)


def new_session(target: Target, rng: random.Random) -> requests.Session:
    """A browser-like session; behind the pretend TLS proxy, with its own client address."""
    session = requests.Session()
    session.headers["User-Agent"] = rng.choice(AGENTS)
    if target.proxied:
        session.headers["X-Forwarded-Proto"] = "https"
        session.headers["X-Forwarded-For"] = fake_public_ipv4(rng)
    return session


def send(
    session: requests.Session,
    recorder: Recorder,
    label: str,
    method: str,
    url: str,
    expect: tuple[int, ...] = (200, 302),
    **kwargs: object,
) -> requests.Response | None:
    """One request, recorded (an error unless expected); None when no answer came."""
    # Redirects are never followed: the caller sees them (a thank-you page, a sign-in page).
    started = time.time()
    try:
        response = session.request(method, url, timeout=TIMEOUT_S, allow_redirects=False, **kwargs)
    except requests.Timeout:
        recorder.record(label, started, 0, "timeout")
        return None
    except requests.RequestException:
        recorder.record(label, started, 0, "connection")
        return None
    # Behind the pretend TLS proxy the app marks cookies Secure, and requests never sends
    # those over http: keep every cookie sendable, as the browser on https would.
    for cookie in session.cookies:
        cookie.secure = False
    if method == "GET" and response.status_code == 200:
        # The next form post names this page, as a browser does: over https Flask-WTF
        # refuses a POST without a same-origin Referer.
        proxied = session.headers.get("X-Forwarded-Proto") == "https"
        session.headers["Referer"] = url.replace("http://", "https://", 1) if proxied else url
    status = response.status_code
    error = None if status in expect else "conflict 409" if status == 409 else f"http {status}"
    if status in (301, 302, 303) and "/login" in response.headers.get("Location", ""):
        error = "signed out"  # a staff page sent us to sign in again
    recorder.record(label, started, status, error)
    return response


class WebReporter:
    """One resident (one browser, one client address) reporting by web form or an Open311 app."""

    def __init__(self, target: Target, recorder: Recorder, seed: int) -> None:
        self.target = target
        self.recorder = recorder
        self.rng = random.Random(seed)
        self.session = new_session(target, self.rng)
        self._service_codes: list[str] = []

    def _send(
        self, label: str, method: str, path: str, expect: tuple[int, ...], **kwargs: object
    ) -> requests.Response | None:
        url = self.target.base_url.rstrip("/") + path
        return send(self.session, self.recorder, label, method, url, expect, **kwargs)

    def _text(self, lang: str, token: str) -> str:
        return f"{self.rng.choice(TEXTS[lang])} Ref {token}"

    def report(self, token: str) -> str | None:
        """Send one report through /report; the case number shown after, or None on failure."""
        lang = "es" if self.rng.random() < 0.25 else "en"
        # Named each time: the session remembers a language chosen for an earlier report.
        path = f"/report?lang={lang}"
        page = self._send("GET /report", "GET", path, (200,))
        if page is None or page.status_code != 200:
            return None
        form = next((f for f in page_forms(page.text) if "category" in f["options"]), None)
        if form is None:
            return None
        address, lat, lon = self.rng.choice(ADDRESSES)
        data = dict(form["fields"])
        data.update(
            category=self.rng.choice([c for c in form["options"]["category"] if c]),
            text=self._text(lang, token),
            location=address,
            action="send",
        )
        if self.rng.random() < 0.3:  # picked a suggestion: the browser sends its point too
            data["point"] = f"{lat:.6f},{lon:.6f}"
        if self.rng.random() < 0.3:
            data.update(phone=f"414-555-01{self.rng.randrange(100):02d}", consent="y")
        sent = self._send("POST /report", "POST", path, (302,), data=data)
        if sent is None or sent.status_code != 302:  # only a redirect means it was saved
            return None
        case_number = sent.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
        if not case_number:
            return None
        # The thank-you page, which shows the number to this browser only (its session).
        thanks = self._send("GET /report/<case>", "GET", f"/report/{case_number}", (200,))
        if thanks is not None and (found := CASE_RE.search(thanks.text)):
            return found.group(1)
        return case_number  # saved all the same: the redirect named it

    def _services(self) -> list[str]:
        if not self._service_codes:
            path = "/open311/v2/services.json"
            answer = self._send("GET /open311 services", "GET", path, (200,))
            if answer is not None and answer.status_code == 200:
                with contextlib.suppress(ValueError, TypeError, KeyError):  # asked again next time
                    self._service_codes = [s["service_code"] for s in answer.json()]
        return self._service_codes

    def open311(self, token: str) -> str | None:
        """POST one Open311 request; its service_request_id (or token), or None on failure."""
        codes = self._services()
        if not codes:
            return None
        address, lat, lon = self.rng.choice(ADDRESSES)
        lang = "es" if self.rng.random() < 0.25 else "en"
        data = {
            "api_key": self.target.api_key,
            "service_code": self.rng.choice(codes),
            "description": self._text(lang, token),
            "attribute[language]": lang,
        }
        if self.rng.random() < 0.5:  # the app's map pin, a few metres off the house
            data["lat"] = f"{lat + self.rng.uniform(-0.0002, 0.0002):.6f}"
            data["long"] = f"{lon + self.rng.uniform(-0.0002, 0.0002):.6f}"
        else:
            data["address_string"] = address
        # Random, not seeded: a re-run with the same seed must not replay an earlier request.
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        path = "/open311/v2/requests.json"
        for _attempt in range(2):  # a real client retries once, with the same key
            answer = self._send(
                "POST /open311 requests", "POST", path, (200,), data=data, headers=headers
            )
            if answer is not None and answer.status_code < 500:
                break
        if answer is None or answer.status_code != 200:
            return None
        try:
            created = answer.json()[0]
            return created.get("service_request_id") or created.get("token")
        except (ValueError, TypeError, IndexError, KeyError, AttributeError):
            return None
