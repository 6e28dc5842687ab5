"""Seeding the demo: staff, concerns placed where Milwaukee's real incidents happen, hotspots."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from community.casenumber import new_case_number
from community.demo.texts import TEXTS
from community.extensions import db
from community.geo.citypkg import CityPackage
from community.hotspots.recluster import recluster
from community.models import (
    ActionKind,
    ActionOutcome,
    Agency,
    AssignmentRole,
    Category,
    Concern,
    ConcernSource,
    EventKind,
    Hotspot,
    Resident,
    ResolutionOutcome,
    Role,
    User,
    utcnow,
)
from community.places.locate import locate_concern
from community.privacy import PhoneVault
from community.routing.suggest import suggest
from community.workflow import history
from community.workflow.service import (
    assign,
    confirm_suggestion,
    log_action,
    resolve,
)

DEMO_USERS = [
    ("admin@demo.example.org", "Ada Admin", Role.ADMIN, None, "demo-admin"),
    ("prosecutor@demo.example.org", "Pat Prosecutor", Role.PROSECUTOR, "DA-CPU", "demo-prosecutor"),
    ("district3@demo.example.org", "Sam Sergeant", Role.AGENCY_STAFF, "MPD-D3", "demo-district3"),
    ("dns@demo.example.org", "Nia Inspector", Role.AGENCY_STAFF, "DNS", "demo-dns"),
    ("viewer@demo.example.org", "Val Viewer", Role.VIEWER, None, "demo-viewer"),
]

# How residents' reports split across categories (not WIBR's crime mix).
CATEGORY_WEIGHTS = {
    "drug_activity": 22,
    "reckless_driving": 14,
    "illegal_dumping": 12,
    "vacant_building": 9,
    "nuisance_property": 9,
    "shots_fired": 8,
    "loitering": 6,
    "noise": 5,
    "violent_crime": 4,
    "streetlight_out": 4,
    "graffiti": 3,
    "prostitution": 2,
    "other": 2,
}
ADDRESS_RE = re.compile(r"^\d+ [NSEW] ")
STREET_TYPES = {
    "ST": "St",
    "AV": "Ave",
    "BL": "Blvd",
    "DR": "Dr",
    "PL": "Pl",
    "CT": "Ct",
    "LA": "Ln",
    "TR": "Ter",
    "PK": "Pkwy",
    "RD": "Rd",
    "WA": "Way",
    "CR": "Cir",
}


def create_demo_users(domain_agencies: dict[str, Agency]) -> None:
    """Staff accounts for each role (idempotent)."""
    existing = set(db.session.scalars(db.select(User.email)))
    for email, name, role, agency_code, password in DEMO_USERS:
        if email in existing:
            continue
        user = User(
            email=email,
            name=name,
            role=role,
            agency_id=domain_agencies[agency_code].id if agency_code else None,
        )
        user.set_password(password)
        db.session.add(user)
    db.session.commit()


def resident_style(location: str, rng: np.random.Generator) -> str:
    """'2846 N 1ST ST' as a resident might type it: '2846 n 1st st' or '2846 N 1st St'."""
    words = location.split()
    if words and words[-1] in STREET_TYPES:
        words[-1] = STREET_TYPES[words[-1]]
    text = " ".join(w if w.isdigit() else w.capitalize() for w in words)
    return text.lower() if rng.random() < 0.3 else text


def _incidents(city: CityPackage) -> pd.DataFrame:
    spec = city.manifest["incidents"]
    frame = pd.read_csv(
        city.path / spec["file"], usecols=["Location", "RoughX", "RoughY", spec["lon"], spec["lat"]]
    )
    frame = frame.dropna()
    return frame[frame["Location"].str.match(ADDRESS_RE)].reset_index(drop=True)


def _pick_locations(frame: pd.DataFrame, count: int, rng: np.random.Generator) -> list[tuple]:
    """(location, category_code or None) pairs: 40% at repeat problem places, the rest spread."""
    picks: list[tuple] = []
    codes, weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    probabilities = np.array(weights) / sum(weights)
    xs, ys = frame["RoughX"].to_numpy(), frame["RoughY"].to_numpy()
    while len(picks) < int(count * 0.4):
        center = rng.integers(len(frame))
        near = np.flatnonzero(np.hypot(xs - xs[center], ys - ys[center]) < 400)  # feet
        category = rng.choice(codes, p=probabilities)
        for _ in range(int(rng.integers(4, 22))):
            picks.append((frame.at[int(rng.choice(near)), "Location"], category))
    for index in rng.integers(len(frame), size=count - len(picks)):
        picks.append((frame.at[int(index), "Location"], rng.choice(codes, p=probabilities)))
    return picks[:count]


def seed_concerns(
    city: CityPackage, vault: PhoneVault, count: int, seed: int, now: datetime | None = None
) -> list[int]:
    """Insert `count` concerns over the last 90 days; returns their ids (not yet located)."""
    now = now or utcnow()
    rng = np.random.default_rng(seed)
    categories = {c.code: c for c in db.session.scalars(db.select(Category))}
    residents = [_demo_resident(vault, i) for i in range(60)]
    ids = []
    for location, code in _pick_locations(_incidents(city), count, rng):
        language = "es" if rng.random() < 0.12 else "en"
        text = str(rng.choice(TEXTS[code][language])).format(addr=resident_style(location, rng))
        source = rng.choice(
            [ConcernSource.SMS, ConcernSource.WEB, ConcernSource.OPEN311], p=[0.55, 0.40, 0.05]
        )
        concern = Concern(
            case_number=_free_case_number(city.case_prefix),
            text=text,
            category_id=categories[code].id,
            source=ConcernSource(source),
            language=language,
            reported_at=now
            - timedelta(days=float(rng.uniform(0, 89)), minutes=int(rng.integers(60))),
            resident=residents[int(rng.integers(len(residents)))] if source == "sms" else None,
        )
        db.session.add(concern)
        db.session.flush()
        history.record(
            EventKind.CREATED, "resident", concern_id=concern.id, data={"source": source}
        )
        ids.append(concern.id)
    db.session.commit()
    return ids


def _free_case_number(prefix: str) -> str:
    while True:
        number = new_case_number(prefix)
        if not db.session.scalar(db.select(Concern.id).filter_by(case_number=number)):
            return number


def _demo_resident(vault: PhoneVault, index: int) -> Resident:
    phone = f"+1414555{100 + index:04d}"  # 555-0100..0199: fictional, never a real resident
    resident = db.session.scalar(db.select(Resident).filter_by(phone_hash=vault.lookup_hash(phone)))
    if resident is None:
        resident = Resident(
            phone_encrypted=vault.encrypt(phone),
            phone_hash=vault.lookup_hash(phone),
            phone_last4=phone[-4:],
            language="en",
        )
        db.session.add(resident)
    return resident


def work_some_hotspots(seed: int) -> None:
    """Give the demo a history: owners from the routing rules, actions, a few resolutions."""
    rng = np.random.default_rng(seed)
    prosecutor = db.session.scalar(db.select(User).filter_by(role=Role.PROSECUTOR))
    agencies = {a.code: a for a in db.session.scalars(db.select(Agency))}
    ranked = db.session.scalars(db.select(Hotspot).order_by(Hotspot.priority.desc())).all()
    for rank, hotspot in enumerate(ranked[: int(len(ranked) * 0.7)]):
        suggestion = suggest(hotspot)
        if suggestion is not None:
            confirm_suggestion(hotspot, prosecutor, suggestion)
            lead = suggestion.lead
        else:
            lead = agencies["DA-CPU"]
            assign(hotspot, lead, AssignmentRole.LEAD, prosecutor, "demo: no routing rule")
        if rank % 3 != 2:
            kind = ActionKind.NUISANCE_LETTER if lead.code == "DNS" else ActionKind.DIRECTED_PATROL
            log_action(
                hotspot,
                lead,
                kind,
                prosecutor,
                "demo action",
                "An officer visited and spoke with neighbours.",
                outcome=ActionOutcome.DONE,
            )
        if rank % 5 == 4 and rng.random() < 0.8:
            resolve(
                hotspot,
                prosecutor,
                "demo: owner evicted the tenants; activity stopped",
                ResolutionOutcome.OWNER_COMPLIANT,
            )
    db.session.commit()


def seed_demo(city: CityPackage, vault: PhoneVault, count: int = 2000, seed: int = 414) -> dict:
    """The whole demo: users, concerns, located by the real geocoder, clustered, worked."""
    agencies = {a.code: a for a in db.session.scalars(db.select(Agency))}
    create_demo_users(agencies)
    ids = seed_concerns(city, vault, count, seed)
    located = sum(1 for concern_id in ids if locate_concern(concern_id))
    result = recluster()
    work_some_hotspots(seed)
    return {"concerns": len(ids), "located": located, "hotspots": len(result.created)}
