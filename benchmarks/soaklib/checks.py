"""After the soak: what the database and the fake Twilio's log say happened to every input."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from benchmarks.soaklib.residents import Text

TOKEN = re.compile(r"\bref ([a-z]{8})\b")
GOODBYES = ("no more texts", "No recibirá más")  # the one text allowed after PARAR


@dataclass
class Findings:
    """Every check's count; `problems` holds a few examples of each failure for the printout."""

    inbound_ok: int = 0
    inbound_lost: int = 0
    inbound_duplicated: int = 0
    reports_ok: int = 0
    reports_lost: int = 0
    reports_duplicated: int = 0
    texts_after_stop: int = 0
    stop_windows: int = 0
    resolved_hotspots: int = 0
    resolution_expected: int = 0
    resolution_missing: int = 0
    resolution_extra: int = 0
    staff_changes: int = 0
    staff_lost: int = 0
    owed: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.inbound_lost + self.reports_lost + self.staff_lost + self.resolution_missing

    @property
    def duplicated(self) -> int:
        return self.inbound_duplicated + self.reports_duplicated + self.resolution_extra

    def note(self, problem: str) -> None:
        if len(self.problems) < 40:
            self.problems.append(problem)


def owed_work(redis_url: str) -> dict[str, int]:
    """Work the database (and the queue) says is not done yet; all zero when drained."""
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

    from community.extensions import db
    from community.intake.sms_service import pending_texts
    from community.jobs import QUEUE_NAME
    from community.models import Concern, GeocodeStatus, Message, MessageStatus, Notice

    db.session.expire_all()
    count = db.func.count
    owed = {
        "unanswered texts": len(pending_texts()),
        "texts not yet sent": db.session.scalar(
            db.select(count(Message.id)).where(
                Message.status.in_([MessageStatus.PENDING, MessageStatus.SENDING])
            )
        ),
        "owed notices": db.session.scalar(
            db.select(count(Notice.id)).where(Notice.done_at.is_(None))
        ),
        "concerns to locate": db.session.scalar(
            db.select(count(Concern.id)).where(Concern.geocode_status == GeocodeStatus.PENDING)
        ),
        "concerns to cluster": db.session.scalar(
            db.select(count(Concern.id)).where(
                Concern.geocode_status == GeocodeStatus.LOCATED, Concern.clustered_at.is_(None)
            )
        ),
    }
    db.session.rollback()
    try:
        queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))
        owed["jobs queued"] = len(queue)
        owed["jobs running"] = len(StartedJobRegistry(queue=queue))
        owed["jobs failed"] = len(FailedJobRegistry(queue=queue))
        owed["jobs scheduled"] = len(ScheduledJobRegistry(queue=queue))
    except Exception as exc:  # Redis down: say so rather than fail the check
        owed["queue unreadable"] = 1
        owed[f"({type(exc).__name__})"] = 0
    return owed


def wait_until_drained(redis_url: str, timeout: float) -> tuple[float, dict[str, int]]:
    """Poll until nothing is owed (failed jobs aside); returns (seconds waited, what is left)."""
    started = time.time()
    while True:
        owed = owed_work(redis_url)
        busy = {k: v for k, v in owed.items() if v and k not in ("jobs failed", "jobs scheduled")}
        if not busy or time.time() - started > timeout:
            return time.time() - started, owed
        time.sleep(2)


def check_inbound(texts: list[Text], findings: Findings) -> None:
    """Every MessageSid that got a 200 is stored exactly once; its report is one concern."""
    from community.extensions import db
    from community.models import Concern, Message, MessageDirection

    ok = [t for t in texts if t.ok_at is not None]
    findings.inbound_ok = len(ok)
    stored = Counter(
        db.session.scalars(
            db.select(Message.twilio_sid).where(Message.direction == MessageDirection.INBOUND)
        )
    )
    for text in ok:
        if stored[text.sid] == 0:
            findings.inbound_lost += 1
            findings.note(f"text {text.sid} ({text.kind}) got 200 but is not stored")
        elif stored[text.sid] > 1:
            findings.inbound_duplicated += 1
    in_concerns = Counter(
        token
        for body in db.session.scalars(db.select(Concern.text))
        for token in TOKEN.findall(body)
    )
    for text in ok:
        if text.token:
            when = time.strftime("%H:%M:%S", time.localtime(text.sent_at))
            _one_concern(text.token, in_concerns, f"SMS {text.sid} sent {when}", findings)


def check_reports(tokens: dict[str, str], findings: Findings) -> None:
    """Web form and Open311 reports the app accepted: each is one concern."""
    from community.extensions import db
    from community.models import Concern

    in_concerns = Counter(
        token
        for body in db.session.scalars(db.select(Concern.text))
        for token in TOKEN.findall(body)
    )
    for token, source in tokens.items():
        _one_concern(token, in_concerns, source, findings)


def _one_concern(token: str, in_concerns: Counter, source: str, findings: Findings) -> None:
    found = in_concerns[token]
    if found == 1:
        findings.reports_ok += 1
    elif found == 0:
        findings.reports_lost += 1
        findings.note(f"{source}: report {token} accepted but no concern has it")
    else:
        findings.reports_duplicated += 1
        findings.note(f"{source}: report {token} is in {found} concerns")


def stop_windows(texts: list[Text]) -> dict[str, list[tuple[float, float]]]:
    """Per number: from a STOP's 200 until the resident next texted START (or forever)."""
    windows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_number: dict[str, list[Text]] = defaultdict(list)
    for text in sorted(texts, key=lambda t: t.sent_at):
        by_number[text.number].append(text)
    for number, sent in by_number.items():
        opened = None
        for text in sent:
            if text.kind == "stop" and text.ok_at is not None and opened is None:
                opened = text.ok_at
            elif text.kind == "start" and opened is not None:
                windows[number].append((opened, text.sent_at))
                opened = None
        if opened is not None:
            windows[number].append((opened, float("inf")))
    return windows


def check_after_stop(texts: list[Text], sent_log: list, findings: Findings) -> None:
    """No text was handed to Twilio for a number between its STOP and its START."""
    windows = stop_windows(texts)
    findings.stop_windows = sum(len(w) for w in windows.values())
    for entry in sent_log:
        if entry.method != "POST" or "To" not in entry.form:
            continue
        body = entry.form.get("Body", "")
        if any(goodbye in body for goodbye in GOODBYES):
            continue
        for start, end in windows.get(entry.form["To"], ()):
            if start < entry.at < end:
                findings.texts_after_stop += 1
                findings.note(f"a text went to a number {entry.at - start:.1f} s after its STOP")


def check_resolutions(
    texts: list[Text], accepted_sids: set[str], carrier_opted_out: set[str], findings: Findings
) -> None:
    """Every reporter of a hotspot when it was resolved, not opted out then, got one text.

    A resolved hotspot often reopens minutes later as new reports come in, so the owed texts
    are found from the history: each `resolved` event, and which concerns were in that
    hotspot at that moment (the `clustered` events). Exactly one resolution text per resident
    and hotspot, however often it was resolved (at most one per case per day).
    """
    from flask import current_app

    from community.extensions import db
    from community.models import Concern, Event, EventKind, HotspotStatus, Message, Resident
    from community.privacy import PhoneVault

    resolutions = db.session.execute(
        db.select(Event.hotspot_id, Event.created_at).where(
            Event.kind == EventKind.STATUS_CHANGED,
            Event.to_status == HotspotStatus.RESOLVED.value,
            Event.hotspot_id.is_not(None),
        )
    ).all()
    findings.resolved_hotspots = len({hotspot for hotspot, _ in resolutions})
    timeline: dict[int, list[tuple]] = defaultdict(list)
    for concern_id, hotspot_id, at in db.session.execute(
        db.select(Event.concern_id, Event.hotspot_id, Event.created_at)
        .where(Event.kind == EventKind.CLUSTERED)
        .order_by(Event.created_at, Event.id)
    ):
        timeline[concern_id].append((at, hotspot_id))
    reporter = dict(
        db.session.execute(
            db.select(Concern.id, Concern.resident_id).where(Concern.resident_id.is_not(None))
        ).all()
    )
    owed: dict[tuple[int, int], float] = {}  # (resident, hotspot): first resolution time
    for hotspot_id, resolved_at in resolutions:
        for concern_id, moves in timeline.items():
            if concern_id in reporter and _member_at(moves, resolved_at) == hotspot_id:
                key = (reporter[concern_id], hotspot_id)
                owed[key] = min(owed.get(key, float("inf")), resolved_at.timestamp())
    vault = PhoneVault.from_config(current_app.config)
    windows = stop_windows(texts)
    for (resident_id, hotspot_id), at in sorted(owed.items()):
        resident = db.session.get(Resident, resident_id)
        number = vault.decrypt(resident.phone_encrypted)
        if number in carrier_opted_out or resident.undeliverable:
            continue
        if any(e > at - 60 for _, e in windows.get(number, ())):
            # Opted out when it was resolved, or before the (queued) text could leave:
            # nothing is owed to a number that said STOP.
            continue
        findings.resolution_expected += 1
        sids = db.session.scalars(
            db.select(Message.twilio_sid).where(
                Message.resident_id == resident_id,
                Message.purpose == "status_resolved",
                Message.hotspot_id == hotspot_id,
            )
        ).all()
        got = sum(1 for sid in sids if sid in accepted_sids)
        if got == 0:
            findings.resolution_missing += 1
            findings.note(f"hotspot {hotspot_id}: reporter {resident_id} got no resolution text")
        elif got > 1:
            findings.resolution_extra += got - 1
            findings.note(f"hotspot {hotspot_id}: reporter {resident_id} got {got} texts")


def _member_at(moves: list[tuple], moment) -> int | None:
    """The hotspot a concern was in at `moment`, from its `clustered` events in order."""
    where = None
    for at, hotspot_id in moves:
        if at > moment:
            break
        where = hotspot_id
    return where


def check_staff(changes: list[dict], findings: Findings) -> None:
    """Every assignment, action and resolution staff saved is still there after the re-clusters."""
    from community.extensions import db
    from community.models import Action, Assignment, Event, Hotspot

    findings.staff_changes = len(changes)
    for change in changes:
        hotspot_ids = _merge_chain(change["hotspot_id"], Hotspot)
        kind, note = change["kind"], change.get("note", "")
        if kind == "assign":
            found = db.session.scalar(
                db.select(db.func.count(Assignment.id)).where(
                    Assignment.hotspot_id.in_(hotspot_ids),
                    Assignment.agency_id == change["agency_id"],
                )
            )
        elif kind == "action":
            found = db.session.scalar(
                db.select(db.func.count(Action.id)).where(
                    Action.hotspot_id.in_(hotspot_ids), Action.notes.contains(note)
                )
            )
        else:
            found = db.session.scalar(
                db.select(db.func.count(Event.id)).where(Event.reason.contains(note))
            )
        if not found:
            findings.staff_lost += 1
            findings.note(f"staff {kind} on hotspot {change['hotspot_id']} is gone")


def _merge_chain(hotspot_id: int, hotspot_model) -> list[int]:
    """The hotspot and every hotspot it was merged into, in order."""
    from community.extensions import db

    chain = [hotspot_id]
    while len(chain) < 50:
        survivor = db.session.scalar(
            db.select(hotspot_model.merged_into_id).where(hotspot_model.id == chain[-1])
        )
        if survivor is None:
            break
        chain.append(survivor)
    return chain
