"""Reference data every deployment starts from: agencies, categories, service levels, routing."""

from __future__ import annotations

from community.extensions import db
from community.models import Agency, AgencyKind, AreaKind, Category, CategoryGroup, RoutingRule

AGENCIES = [
    *[
        (f"MPD-D{n}", f"Milwaukee Police District {n}", AgencyKind.POLICE, str(n))
        for n in range(1, 8)
    ],
    ("DA-CPU", "District Attorney's Community Prosecution Unit", AgencyKind.PROSECUTOR, None),
    ("DNS", "Department of Neighborhood Services", AgencyKind.CITY, None),
    ("DPW", "Department of Public Works", AgencyKind.CITY, None),
    ("MHD", "Milwaukee Health Department", AgencyKind.CITY, None),
    ("OVP", "Office of Violence Prevention", AgencyKind.CITY, None),
    ("SHERMAN-PARK-CA", "Sherman Park Community Association", AgencyKind.PARTNER, None),
    ("HARAMBEE-GBN", "Harambee Great Neighborhood Initiative", AgencyKind.PARTNER, None),
]

# code, English, Spanish, group, severity (1..5), default lead agency code (None: by police district)
CATEGORIES = [
    ("shots_fired", "Shots fired", "Disparos", CategoryGroup.VIOLENCE, 5, None),
    ("violent_crime", "Violent crime", "Delito violento", CategoryGroup.VIOLENCE, 5, None),
    ("drug_activity", "Drug activity", "Venta de drogas", CategoryGroup.DRUGS_VICE, 4, None),
    ("prostitution", "Prostitution", "Prostitución", CategoryGroup.DRUGS_VICE, 3, None),
    ("loitering", "Loitering", "Merodeo", CategoryGroup.DRUGS_VICE, 2, None),
    (
        "nuisance_property",
        "Nuisance property",
        "Propiedad problemática",
        CategoryGroup.PROPERTY,
        3,
        "DNS",
    ),
    (
        "vacant_building",
        "Abandoned or vacant building",
        "Edificio abandonado",
        CategoryGroup.PROPERTY,
        3,
        "DNS",
    ),
    (
        "illegal_dumping",
        "Illegal dumping",
        "Basura tirada ilegalmente",
        CategoryGroup.PROPERTY,
        2,
        "DPW",
    ),
    ("graffiti", "Graffiti", "Grafiti", CategoryGroup.PROPERTY, 1, "DPW"),
    (
        "reckless_driving",
        "Speeding or reckless driving",
        "Exceso de velocidad",
        CategoryGroup.TRAFFIC,
        4,
        None,
    ),
    ("noise", "Noise", "Ruido", CategoryGroup.QUALITY_OF_LIFE, 1, None),
    (
        "streetlight_out",
        "Streetlight out",
        "Farola apagada",
        CategoryGroup.QUALITY_OF_LIFE,
        1,
        "DPW",
    ),
    ("other", "Other", "Otro", CategoryGroup.QUALITY_OF_LIFE, 1, "DA-CPU"),
]


# Problem families: categories in one family reported at one place are one problem, one
# hotspot (a drug house is reported as drug activity, nuisance property, loitering and shots
# fired). Categories of different families near each other stay separate places (speeding on
# the arterial, a dumping lot). Stored per category (Category.family), editable there.
FAMILIES = {
    "shots_fired": "nuisance",
    "violent_crime": "nuisance",
    "drug_activity": "nuisance",
    "prostitution": "nuisance",
    "loitering": "nuisance",
    "nuisance_property": "nuisance",
    "noise": "nuisance",
    "other": "nuisance",
    "vacant_building": "blight",
    "illegal_dumping": "blight",
    "graffiti": "blight",
    "reckless_driving": "traffic",
    "streetlight_out": "lighting",
}


def category_families() -> dict[str, str]:
    """The reference family of every reference category code."""
    return dict(FAMILIES)


# Days from assignment until a response is due, per category (admins change them in /admin).
SERVICE_LEVEL_DAYS = {
    "shots_fired": 7,
    "violent_crime": 7,
    "drug_activity": 30,
    "prostitution": 30,
    "loitering": 21,
    "nuisance_property": 45,
    "vacant_building": 60,
    "illegal_dumping": 10,
    "graffiti": 14,
    "reckless_driving": 30,
    "noise": 14,
    "streetlight_out": 7,
    "other": 30,
}

DISTRICTS = [str(n) for n in range(1, 8)]
# Routing rules: (category code or None, police district or None, lead, partners). The most
# specific rule wins, so "drug activity in district 7" beats "anything in district 7".
ROUTING_RULES = [
    *[("drug_activity", d, f"MPD-D{d}", ["DA-CPU"]) for d in DISTRICTS],
    *[("shots_fired", d, f"MPD-D{d}", ["OVP"]) for d in DISTRICTS],
    *[(None, d, f"MPD-D{d}", []) for d in DISTRICTS],
    ("nuisance_property", None, "DNS", ["DA-CPU"]),
    ("vacant_building", None, "DNS", []),
    ("illegal_dumping", None, "DPW", []),
    ("graffiti", None, "DPW", []),
    ("streetlight_out", None, "DPW", []),
    ("other", None, "DA-CPU", []),
]


def load_reference_data() -> dict[str, int]:
    """Insert missing agencies, categories and (into an empty table) routing rules."""
    agencies = {a.code: a for a in db.session.scalars(db.select(Agency))}
    added = {"agencies": 0, "categories": 0, "routing_rules": 0}
    for code, name, kind, district in AGENCIES:
        if code not in agencies:
            agencies[code] = Agency(code=code, name=name, kind=kind, police_district=district)
            db.session.add(agencies[code])
            added["agencies"] += 1
    db.session.flush()
    existing = set(db.session.scalars(db.select(Category.code)))
    for code, name_en, name_es, group, severity, lead in CATEGORIES:
        if code not in existing:
            db.session.add(
                Category(
                    code=code,
                    name_en=name_en,
                    name_es=name_es,
                    group=group,
                    family=FAMILIES.get(code, "nuisance"),
                    severity=severity,
                    default_lead_agency_id=agencies[lead].id if lead else None,
                )
            )
            added["categories"] += 1
    db.session.flush()
    categories = {c.code: c for c in db.session.scalars(db.select(Category))}
    for code, days in SERVICE_LEVEL_DAYS.items():
        if code in categories and categories[code].service_level_days is None:
            categories[code].service_level_days = days
    added["routing_rules"] = _seed_routing_rules(agencies, categories)
    db.session.commit()
    return added


def _seed_routing_rules(agencies: dict[str, Agency], categories: dict[str, Category]) -> int:
    """The default rules, only into an empty table: an admin's edits are never undone."""
    if db.session.scalar(db.select(db.func.count(RoutingRule.id))):
        return 0
    for category, district, lead, partners in ROUTING_RULES:
        db.session.add(
            RoutingRule(
                category_id=categories[category].id if category else None,
                area_kind=AreaKind.POLICE_DISTRICT if district else None,
                area_code=district,
                lead_agency_id=agencies[lead].id,
                partners=[agencies[p] for p in partners],
                note="default Milwaukee routing",
            )
        )
    return len(ROUTING_RULES)
