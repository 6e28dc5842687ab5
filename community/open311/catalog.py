"""The services (our categories) and their definitions: the attributes a client may send."""

from __future__ import annotations

from typing import Any

from community.extensions import db
from community.models import Category
from community.open311.errors import Open311Error

LANGUAGES = {"en": "English", "es": "Español"}
OCCURRED_MAX = 200

# The attributes every service accepts, in the specification's shape.
ATTRIBUTES: list[dict[str, Any]] = [
    {
        "variable": True,
        "code": "occurred",
        "datatype": "string",
        "required": False,
        "datatype_description": f"Free text, at most {OCCURRED_MAX} characters.",
        "order": 1,
        "description": "When does it happen? For example: every night after 10 pm.",
    },
    {
        "variable": True,
        "code": "language",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": None,
        "order": 2,
        "description": "The language the resident wrote in (status updates use it).",
        "values": [{"key": key, "name": name} for key, name in LANGUAGES.items()],
    },
]
ATTRIBUTE_CODES = {a["code"] for a in ATTRIBUTES}


def active_categories() -> list[Category]:
    return list(
        db.session.scalars(
            db.select(Category)
            .filter_by(active=True)
            .order_by(Category.severity.desc(), Category.id)
        )
    )


def category_for(code: str) -> Category | None:
    """The active category with this service code."""
    return db.session.scalar(db.select(Category).filter_by(code=code, active=True))


def service_list(lang: str = "en") -> list[dict[str, Any]]:
    """GET services: one service per active category."""
    return [
        {
            "service_code": c.code,
            "service_name": c.name(lang),
            "description": f"{c.name_en} / {c.name_es}",
            "metadata": True,
            "type": "batch",  # concerns are grouped and assigned by staff, not answered at once
            "keywords": ", ".join(dict.fromkeys([c.name_en.lower(), c.name_es.lower()])),
            "group": str(c.group),
        }
        for c in active_categories()
    ]


def service_definition(code: str) -> dict[str, Any]:
    """GET services/{code}: the attributes; Open311Error 404 for an unknown code."""
    if category_for(code) is None:
        raise Open311Error(404, f"service_code {code!r} was not found.")
    return {"service_code": code, "attributes": ATTRIBUTES}
