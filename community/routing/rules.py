"""Editing routing rules (admin): create, change, switch off; checked before saving."""

from __future__ import annotations

from community.extensions import db
from community.models import Agency, Area, AreaKind, Category, RoutingRule


class RuleError(ValueError):
    """A rule that cannot be saved; the message says why."""


def _agency(agency_id: int | None, what: str) -> Agency:
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is None or not agency.active:
        raise RuleError(f"{what}: no such active agency.")
    return agency


def save_rule(
    rule: RoutingRule | None,
    *,
    category_id: int | None,
    area_kind: str | None,
    area_code: str | None,
    lead_agency_id: int,
    partner_ids: list[int],
    note: str | None,
    active: bool = True,
) -> RoutingRule:
    """Create (rule None) or update a rule after checking every id it names."""
    category = db.session.get(Category, category_id) if category_id else None
    if category_id and category is None:
        raise RuleError("Category: no such category.")
    area_code = (area_code or "").strip() or None
    if bool(area_kind) != bool(area_code):
        raise RuleError("Area: give both the kind of area and its code, or neither.")
    if area_kind:
        kind = AreaKind(area_kind)
        known = db.session.scalar(db.select(Area.id).filter_by(kind=kind, code=area_code))
        if known is None:
            raise RuleError(f"Area: there is no {kind.replace('_', ' ')} {area_code!r}.")
    lead = _agency(lead_agency_id, "Lead agency")
    partners = [_agency(pid, "Partner") for pid in dict.fromkeys(partner_ids)]
    if lead in partners:
        raise RuleError("Partners: the lead agency cannot also be a partner.")
    rule = rule or RoutingRule()
    rule.category_id = category.id if category else None
    rule.area_kind = AreaKind(area_kind) if area_kind else None
    rule.area_code = area_code
    rule.lead_agency_id = lead.id
    rule.partners = partners
    rule.note = (note or "").strip() or None
    rule.active = active
    db.session.add(rule)
    db.session.flush()
    return rule


def all_rules() -> list[RoutingRule]:
    """Every rule, most specific first, as the router tries them."""
    rules = db.session.scalars(db.select(RoutingRule).order_by(RoutingRule.id)).all()
    return sorted(rules, key=lambda r: (not r.active, -r.specificity))
