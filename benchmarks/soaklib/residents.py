"""Simulated residents texting the app: signed Twilio webhooks, real conversations.

Each resident waits for the app's reply (it reaches the fake Twilio REST server, which hands
it to `deliver_reply`) and answers as a person would: a place when asked where, a number when
offered choices, a correction, STATUS, a photo, STOP and later START, in English or Spanish.
A pacer sends `rate` texts a second in all, each from a resident who is not waiting on a reply.

Like Twilio with a retry policy on its webhook (connection overrides `rc`/`rp`, or a fallback
URL), a text that gets no 200 is posted again with the same MessageSid, for up to RETRY_FOR_S.
"""

from __future__ import annotations

import random
import secrets
import string
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from benchmarks.soaklib.stats import Recorder
from benchmarks.soaklib.web import ADDRESSES
from community.sms.signature import sign

TO_NUMBER = "+14145550100"
ENDPOINT = "POST /sms/inbound"
TIMEOUT_S = 10.0
RETRY_FOR_S = 90.0  # Twilio's retries (and the fallback URL) keep trying about this long
REPLY_WAIT_S = 8.0  # a resident who hears nothing back texts again after this long
STOP_PAUSE_S = (20.0, 60.0)  # how long an opted-out resident stays out before START

PROBLEMS = {
    "en": (
        "people selling drugs out of the house at {place} every night",
        "shots fired near {place} again",
        "abandoned house at {place}, doors open, people going in",
        "someone dumped tires and trash in the alley at {place}",
        "cars racing down the street by {place} every evening",
    ),
    "es": (
        "venden drogas en la casa de {place} todas las noches",
        "disparos cerca de {place} otra vez",
        "casa abandonada en {place} con las puertas abiertas",
        "tiraron llantas y basura en el callejon de {place}",
    ),
}
NO_PLACE = {
    "en": ("people dealing drugs on our block all night", "someone keeps dumping trash"),
    "es": ("venden drogas en nuestra cuadra toda la noche", "siempre tiran basura aqui"),
}
AMBIGUOUS = ("drug house at 1518 35th st", "shots fired at 2700 35th st")
CORRECTIONS = {"en": "wrong place, it was at {place}", "es": "perdon, es en {place}"}
FOLLOW_UPS = {"en": "here is a photo of it", "es": "aqui esta una foto"}
KEYWORDS = {
    "en": {"new": "NEW", "status": "STATUS", "stop": "STOP", "start": "START"},
    "es": {"new": "NUEVO", "status": "ESTADO", "stop": "PARAR", "start": "INICIO"},
}


@dataclass
class Text:
    """One inbound text as Twilio delivers it, and what became of it."""

    sid: str
    number: str
    body: str
    kind: str  # report, answer, choice, correction, status, photo, new, stop, start
    token: str | None = None  # a report's unique word, looked for in the concerns later
    media_url: str | None = None
    sent_at: float = 0.0  # first attempt
    ok_at: float | None = None  # when the app answered 200
    attempts: int = 0
    last_status: int = 0


@dataclass
class Resident:
    """One phone number and the conversation it is having."""

    number: str
    language: str
    rng: random.Random
    plan: list[tuple[str, str, str | None]] = field(default_factory=list)  # (kind, body, token)
    waiting_since: float | None = None
    expects_reply: bool = False
    opted_out: bool = False
    resume_at: float = 0.0
    has_case: bool = False
    replies: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ready(self, now: float) -> bool:
        if now < self.resume_at:
            return False
        if self.waiting_since is None:
            return True
        return not self.expects_reply or now - self.waiting_since > REPLY_WAIT_S

    def next_text(self, new_token: Callable[[], str]) -> tuple[str, str, str | None]:
        """What this resident texts next: the plan first, else a new episode."""
        if not self.plan:
            self.plan = self._episode(new_token)
        return self.plan.pop(0)

    def hear(self, body: str, at: float) -> None:
        """A reply arrived: answer a question at once (it goes first in the plan)."""
        self.replies.append((at, body))
        self.waiting_since = None
        lowered = body.lower()
        if any(w in lowered for w in ("which place", "qué lugar", "que lugar")):
            self.plan.insert(0, ("choice", self.rng.choice(("1", "2")), None))
        elif any(w in lowered for w in ("where is this", "still need", "dónde", "necesitamos")):
            self.plan.insert(0, ("answer", self._place(), None))
        if "case" in lowered or "caso" in lowered:
            self.has_case = True

    def _place(self) -> str:
        return self.rng.choice(ADDRESSES)[0]

    def _episode(self, new_token: Callable[[], str]) -> list[tuple[str, str, str | None]]:
        words = KEYWORDS[self.language]
        roll = self.rng.random()
        if roll < 0.04 and not self.opted_out:
            return [("stop", words["stop"], None)]
        if roll < 0.12 and self.has_case:
            return [("status", words["status"], None)]
        if roll < 0.20 and self.has_case:
            return [("correction", CORRECTIONS[self.language].format(place=self._place()), None)]
        if roll < 0.26 and self.has_case:
            return [("photo", FOLLOW_UPS[self.language], None)]
        token = new_token()
        if roll < 0.34:
            body = f"{self.rng.choice(AMBIGUOUS)} ref {token}"
        elif roll < 0.50:
            body = f"{self.rng.choice(NO_PLACE[self.language])} ref {token}"
        else:
            problem = self.rng.choice(PROBLEMS[self.language])
            body = f"{problem.format(place=self._place())} ref {token}"
        # NEW first, so the report is a new case and not a follow-up of the last one.
        return [("new", words["new"], None), ("report", body, token)]


def _cause(exc: BaseException) -> str:
    """The innermost exception's name: refused, reset, or a keep-alive the server closed."""
    while exc.__cause__ is not None or (exc.args and isinstance(exc.args[0], BaseException)):
        exc = exc.__cause__ or exc.args[0]
    return type(exc).__name__


class SmsResidents:
    """`count` residents texting at `rate` texts per second in all, until `stop` is set."""

    def __init__(
        self,
        base_url: str,
        auth_token: str,
        recorder: Recorder,
        *,
        rate: float,
        count: int = 500,
        seed: int = 11,
        media_url: str | None = None,
        senders: int = 48,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth_token = auth_token
        self.recorder = recorder
        self.rate = rate
        self.media_url = media_url
        self.rng = random.Random(seed)
        self.residents = {
            number: Resident(number, "es" if i % 5 == 0 else "en", random.Random(seed * 7919 + i))
            for i, number in enumerate(f"+1262555{i:04d}" for i in range(count))
        }
        self.texts: list[Text] = []
        self.skipped = 0  # pacer slots with no resident free to text
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=senders, thread_name_prefix="resident")
        self._local = threading.local()
        self._tokens: set[str] = set()

    # -- what the fake Twilio hands over ---------------------------------------------------

    def deliver_reply(self, to: str, body: str, at: float) -> None:
        """Called for every text the app got Twilio to accept."""
        resident = self.residents.get(to)
        if resident is not None:
            with resident.lock:
                resident.hear(body, at)

    # -- sending ---------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Pace texts at `rate` a second until `stop` is set."""
        interval = 1.0 / self.rate
        next_at = time.monotonic()
        order = list(self.residents.values())
        cursor = 0
        while not stop.is_set():
            now = time.time()
            for _ in range(len(order)):
                resident = order[cursor % len(order)]
                cursor += 1
                with resident.lock:
                    if resident.ready(now):
                        text = self._compose(resident, now)
                        break
            else:
                text = None
                self.skipped += 1
            if text is not None:
                self._pool.submit(self._deliver, text)
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0:
                stop.wait(delay)

    def drain(self, timeout: float) -> None:
        """Wait for texts still being (re)tried; then stop the sender threads."""
        self._pool.shutdown(wait=True, cancel_futures=False)
        del timeout  # retries end by themselves within RETRY_FOR_S

    def _compose(self, resident: Resident, now: float) -> Text:
        kind, body, token = resident.next_text(self._new_token)
        media = None
        if kind == "photo" and self.media_url:
            media = self.media_url
        if kind == "stop":
            resident.opted_out = True
            resident.resume_at = now + resident.rng.uniform(*STOP_PAUSE_S)
            resident.plan.insert(0, ("start", KEYWORDS[resident.language]["start"], None))
        elif kind == "start":
            resident.opted_out = False
        # Carrier keywords get no answer from the app; the opted out get none at all.
        resident.expects_reply = not resident.opted_out and body not in ("STOP", "START")
        resident.waiting_since = now
        text = Text(
            sid="SM" + secrets.token_hex(16),
            number=resident.number,
            body=body,
            kind=kind,
            token=token,
            media_url=media,
        )
        with self._lock:
            self.texts.append(text)
        return text

    def _new_token(self) -> str:
        with self._lock:
            while True:
                token = "".join(self.rng.choice(string.ascii_lowercase) for _ in range(8))
                if token not in self._tokens:
                    self._tokens.add(token)
                    return token

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def _form(self, text: Text) -> dict[str, str]:
        form = {
            "MessageSid": text.sid,
            "SmsSid": text.sid,
            "AccountSid": "AC" + "0" * 32,
            "From": text.number,
            "To": TO_NUMBER,
            "Body": text.body,
            "NumMedia": "1" if text.media_url else "0",
        }
        if text.media_url:
            form["MediaUrl0"] = text.media_url
            form["MediaContentType0"] = "image/jpeg"
        return form

    def _deliver(self, text: Text) -> None:
        """Post the text until it gets a 200, backing off like Twilio's retries."""
        url = f"{self.base_url}/sms/inbound"
        form = self._form(text)
        headers = {"X-Twilio-Signature": sign(self.auth_token, url, form)}
        text.sent_at = time.time()
        backoff = 0.5
        while True:
            started = time.time()
            text.attempts += 1
            try:
                response = self._session().post(url, data=form, headers=headers, timeout=TIMEOUT_S)
                status, error = response.status_code, None
                if status != 200:
                    error = f"http {status}"
            except requests.Timeout:
                status, error = 0, "timeout"
            except requests.ConnectionError as exc:
                status, error = 0, f"connection ({_cause(exc)})"
            self.recorder.record(ENDPOINT, started, status, error)
            text.last_status = status
            if status == 200:
                text.ok_at = time.time()
                return
            if time.time() - text.sent_at > RETRY_FOR_S:
                return  # Twilio gives up: error 11200 in its console; not counted as saved
            time.sleep(backoff)
            backoff = min(backoff * 2, 8.0)
