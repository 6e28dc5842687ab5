"""Test data builders on the real models (factory_boy), committed through the app's session."""

from __future__ import annotations

from datetime import timedelta

import factory

from community.casenumber import ALPHABET
from community.extensions import db
from community.models import (
    Agency,
    Category,
    Concern,
    ConcernSource,
    Role,
    User,
    utcnow,
)


def sequential_case_number(prefix: str, n: int, length: int = 4) -> str:
    """The n-th case number in the app's alphabet: distinct for every n below 30**length."""
    digits = []
    for _ in range(length):
        n, digit = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[digit])
    return f"{prefix}-" + "".join(reversed(digits))


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - factory_boy API
        sqlalchemy_session_persistence = "commit"


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    name = factory.Sequence(lambda n: f"Staff {n}")
    role = Role.PROSECUTOR
    password_hash = "unusable"

    @factory.post_generation
    def password(self, create: bool, value: str | None, **kwargs: object) -> None:
        self.set_password(value or "secret-pass")
        if create:
            db.session.commit()  # factory_boy saved before this hook ran


class ConcernFactory(_Base):
    """A concern already placed (lat/lon given): what the locate job would have produced."""

    class Meta:
        model = Concern

    # Unique by sequence: random numbers collide now and then in tests that make hundreds.
    case_number = factory.Sequence(lambda n: sequential_case_number("MKE", n))
    text = "people selling drugs every night"
    source = ConcernSource.WEB
    category_id = factory.LazyFunction(
        lambda: db.session.scalar(db.select(Category.id).filter_by(code="drug_activity"))
    )
    reported_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=2))


def agency(code: str) -> Agency:
    return db.session.scalar(db.select(Agency).filter_by(code=code))


def make_staff() -> dict[str, User]:
    """A user per role; agency staff belong to MPD District 3."""
    staff = {
        "admin": UserFactory(email="admin@example.org", role=Role.ADMIN, password="admin-pass"),
        "prosecutor": UserFactory(
            email="prosecutor@example.org",
            role=Role.PROSECUTOR,
            password="prosecutor-pass",
            agency_id=agency("DA-CPU").id,
        ),
        "agency_staff": UserFactory(
            email="d3@example.org",
            role=Role.AGENCY_STAFF,
            password="agency_staff-pass",
            agency_id=agency("MPD-D3").id,
        ),
        "viewer": UserFactory(email="viewer@example.org", role=Role.VIEWER, password="viewer-pass"),
    }
    return staff
