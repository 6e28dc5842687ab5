"""Pages of a long list: which page was asked for (clamped, never an error) and its links.

Pure arithmetic: the queries that fill a page (SQL LIMIT/OFFSET) live in community.staff.pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_DIGITS = 9  # more digits than any page count: read as "the last page"


def page_count(total: int, size: int) -> int:
    """Pages needed for total rows (at least one, so an empty list has a page 1)."""
    return max(1, -(-total // size))


def page_number(raw: str | None, pages: int) -> int:
    """The page asked for in a query argument, within 1..pages.

    Missing or not a number ("abc", "-2", "²"): the first page. Past the end, or more digits
    than any page count: the last page. Never an error, so an old bookmark still opens.
    """
    if not raw or not raw.isascii() or not raw.isdigit():
        return 1
    if len(raw) > MAX_DIGITS:
        return pages
    return min(max(int(raw), 1), pages)


@dataclass(frozen=True)
class Paged:
    """One page of a list: its rows and where it sits (numbers are 1-based)."""

    items: Sequence[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The position of the page's first row in the whole list (0 when it is empty)."""
        return self.offset + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near this one; None for a gap."""
        shown = {1, self.pages, *range(self.number - around, self.number + around + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        links: list[int | None] = []
        for n in numbers:
            if links and n - links[-1] == 2:  # a gap of one page: link it rather than "…"
                links.append(n - 1)
            elif links and n - links[-1] > 2:
                links.append(None)
            links.append(n)
        return links
