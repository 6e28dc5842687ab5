"""Which areas a report covers: one neighbourhood or district, or several neighbourhoods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from community.extensions import db
from community.models import Area, AreaKind

# The kinds of area a meeting report is made for (wards and business districts are not).
REPORT_KINDS = (AreaKind.NEIGHBORHOOD, AreaKind.ALDERMANIC_DISTRICT, AreaKind.POLICE_DISTRICT)
MAX_AREAS = 40  # several neighbourhoods together; more than this is a district report
MAX_NAME = 200


class AreaError(ValueError):
    """The area named cannot be reported on; the message says why and what would work."""


@dataclass(frozen=True)
class AreaSelection:
    """The areas of one report: all of one kind, sorted by name."""

    kind: AreaKind
    areas: tuple[Area, ...]

    @property
    def ids(self) -> list[int]:
        return [area.id for area in self.areas]

    @property
    def key(self) -> str:
        """A stable key for "the same area" across reports (kind and sorted codes)."""
        return f"{self.kind}:" + "|".join(sorted(area.code for area in self.areas))

    @property
    def names(self) -> list[str]:
        return [display_name(area.name) for area in self.areas]

    @property
    def label(self) -> str:
        return " + ".join(self.names)


def display_name(name: str) -> str:
    """'SHERMAN PARK' as people write it: 'Sherman Park' (mixed-case names are kept)."""
    return name.title() if name.isupper() else name


def report_areas(kind: AreaKind | None = None) -> list[Area]:
    """Every area a report can be made for (optionally one kind), by kind and name."""
    query = db.select(Area).where(Area.kind.in_(REPORT_KINDS)).order_by(Area.kind, Area.name)
    if kind is not None:
        query = query.where(Area.kind == kind)
    return list(db.session.scalars(query))


def select_areas(names: Sequence[str], kind: AreaKind | None = None) -> AreaSelection:
    """The areas called `names` (case and spacing ignored), or AreaError with close matches."""
    wanted = [" ".join(str(name).split()) for name in names]
    wanted = [name for name in wanted if name]
    if not wanted:
        raise AreaError(
            "Name an area: a neighbourhood, an aldermanic district or a police district."
        )
    if len(wanted) > MAX_AREAS:
        raise AreaError(f"A report covers at most {MAX_AREAS} neighbourhoods at once.")
    candidates = report_areas(kind)
    by_name: dict[str, Area] = {}
    for area in candidates:
        by_name.setdefault(area.name.casefold(), area)
        by_name.setdefault(f"{area.kind}:{area.code}".casefold(), area)
    chosen: dict[int, Area] = {}
    for name in wanted:
        area = by_name.get(name[:MAX_NAME].casefold())
        if area is None:
            raise AreaError(unknown_area_message(name, candidates))
        chosen[area.id] = area
    kinds = {area.kind for area in chosen.values()}
    if len(chosen) > 1 and kinds != {AreaKind.NEIGHBORHOOD}:
        raise AreaError(
            "Only neighbourhoods can be put together in one report; make one report per district."
        )
    areas = tuple(sorted(chosen.values(), key=lambda a: a.name))
    return AreaSelection(kind=AreaKind(areas[0].kind), areas=areas)


def unknown_area_message(name: str, candidates: Sequence[Area], limit: int = 5) -> str:
    """ "No area called 'X'. Did you mean: A, B, ...?" (close matches by fuzzy spelling)."""
    shown = name if len(name) <= 60 else name[:57] + "..."
    names = [area.name for area in candidates]
    matches = process.extract(
        name[:MAX_NAME].upper(),
        names,
        scorer=fuzz.WRatio,
        processor=str.upper,
        limit=limit,
        score_cutoff=60,
    )
    if not matches:
        return f"No area called {shown!r}. Try a neighbourhood name such as SHERMAN PARK."
    return f"No area called {shown!r}. Did you mean: " + ", ".join(m[0] for m in matches) + "?"
