"""Suggest a lead agency and partners for a hotspot from its category and areas.

The most specific active rule wins: category and area, then category alone, then area alone,
then a rule for anything; among equals the oldest rule. With no rule, the category's default
lead agency is the suggestion.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from community.extensions import db
from community.models import Agency, Area, Concern, Hotspot, RoutingRule

AREA_COLUMNS = {
    "neighborhood": Concern.neighborhood_id,
    "aldermanic_district": Concern.aldermanic_district_id,
    "ward": Concern.ward_id,
    "police_district": Concern.police_district_id,
}


@dataclass
class Suggestion:
    lead: Agency
    partners: list[Agency] = field(default_factory=list)
    rule: RoutingRule | None = None  # None: the category's default lead

    @property
    def rule_label(self) -> str:
        if self.rule is None:
            return "the category's default lead agency"
        return f"#{self.rule.id} {self.rule.describe()}"


def hotspot_areas(hotspot: Hotspot) -> dict[str, str]:
    """The area of each kind most of the hotspot's concerns fall in: kind -> code."""
    areas: dict[str, str] = {}
    for kind, column in AREA_COLUMNS.items():
        ids = db.session.scalars(
            db.select(column).where(Concern.hotspot_id == hotspot.id, column.is_not(None))
        ).all()
        if ids:
            area = db.session.get(Area, Counter(ids).most_common(1)[0][0])
            areas[kind] = area.code
    return areas


def matching_rules(category_id: int | None, areas: dict[str, str]) -> list[RoutingRule]:
    """Active rules that apply, most specific first."""
    rules = db.session.scalars(
        db.select(RoutingRule)
        .where(RoutingRule.active.is_(True))
        .where(db.or_(RoutingRule.category_id.is_(None), RoutingRule.category_id == category_id))
        .order_by(RoutingRule.id)
    ).all()
    fitting = [
        r for r in rules if r.area_kind is None or areas.get(str(r.area_kind)) == r.area_code
    ]
    return sorted(fitting, key=lambda r: -r.specificity)  # stable: oldest first among equals


def suggest(hotspot: Hotspot) -> Suggestion | None:
    """The suggested owners for a hotspot, or None when no rule or default applies."""
    rules = matching_rules(hotspot.category_id, hotspot_areas(hotspot))
    for rule in rules:
        if rule.lead_agency.active:
            partners = [p for p in rule.partners if p.active and p.id != rule.lead_agency_id]
            return Suggestion(rule.lead_agency, partners, rule)
    category = hotspot.category
    if category is not None and category.default_lead_agency is not None:
        return Suggestion(category.default_lead_agency)
    return None
