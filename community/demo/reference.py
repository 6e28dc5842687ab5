"""Reference data every deployment starts from: agencies and categories with routing."""

from __future__ import annotations

from community.extensions import db
from community.models import Agency, AgencyKind, Category, CategoryGroup

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


def load_reference_data() -> dict[str, int]:
    """Insert missing agencies and categories (idempotent); returns how many were added."""
    agencies = {a.code: a for a in db.session.scalars(db.select(Agency))}
    added = {"agencies": 0, "categories": 0}
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
                    severity=severity,
                    default_lead_agency_id=agencies[lead].id if lead else None,
                )
            )
            added["categories"] += 1
    db.session.commit()
    return added
