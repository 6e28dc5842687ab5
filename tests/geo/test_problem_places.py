"""Problem places: found at any density, never chained, one per problem family."""

from __future__ import annotations

import numpy as np
import pytest

from community.geo.problem_places import PlaceRule, find_places, radius_p90


def _place(rng, centre, stacked, around, reach=(20, 70)):
    """``stacked`` reports at one address point and ``around`` more 20-70 m from it."""
    distance = rng.uniform(*reach, around)
    angle = rng.uniform(0, 2 * np.pi, around)
    points = [np.tile(centre, (stacked, 1))]
    points.append(
        np.column_stack(
            [centre[0] + distance * np.cos(angle), centre[1] + distance * np.sin(angle)]
        )
    )
    return np.vstack(points)


def _uniform(rng, count, half_width):
    return rng.uniform(-half_width, half_width, size=(count, 2))


def _found(labels, members):
    """The one label holding every member, or None."""
    values = set(labels[members].tolist())
    return values.pop() if len(values) == 1 and -1 not in values else None


def test_a_repeat_place_is_found_in_a_quiet_area_and_scattered_reports_are_not():
    rng = np.random.default_rng(1)
    place = _place(rng, (0.0, 0.0), 3, 1)
    scattered = np.array([[900.0, 0.0], [-700.0, 400.0], [0.0, 1200.0], [1500.0, 1500.0]])
    points = np.vstack([place, scattered])
    labels = find_places(points[:, 0], points[:, 1])
    assert _found(labels, np.arange(4)) is not None
    assert (labels[4:] == -1).all()


def test_the_same_small_place_stands_out_of_a_dense_neighbourhood():
    rng = np.random.default_rng(2)
    # 3,000 reports a square km: the density of Milwaukee's busiest blocks at 100k concerns.
    background = _uniform(rng, 12_000, 1000.0)
    place = _place(rng, (150.0, -220.0), 3, 1)
    points = np.vstack([place, background])
    labels = find_places(points[:, 0], points[:, 1])
    assert _found(labels, np.arange(4)) is not None
    # A place stands out: most of an evenly dense neighbourhood is in no hotspot.
    assert (labels[4:] >= 0).mean() < 0.1


def test_dense_streets_never_chain_into_a_blob():
    rng = np.random.default_rng(3)
    # Reports every few metres along two crossing 3 km streets, and along a grid of blocks.
    along = rng.uniform(-1500, 1500, 6000)
    across = rng.normal(0, 8, 6000)
    street = np.vstack(
        [
            np.column_stack([along[:3000], across[:3000]]),
            np.column_stack([across[3000:], along[3000:]]),
        ]
    )
    labels = find_places(street[:, 0], street[:, 1])
    widths = radius_p90(street[:, 0], street[:, 1], labels)
    rule = PlaceRule()
    assert widths and max(widths.values()) <= rule.radius_m
    for label in set(labels[labels >= 0].tolist()):
        members = street[labels == label]
        spread = np.hypot(*(members - members.mean(axis=0)).T)
        assert spread.max() <= 2 * rule.radius_m


def test_a_loose_group_in_a_dense_area_is_not_a_place():
    rng = np.random.default_rng(4)
    background = _uniform(rng, 12_000, 1000.0)
    loose = rng.uniform(250, 350, size=(5, 2))  # five reports over a block
    points = np.vstack([loose, background])
    labels = find_places(points[:, 0], points[:, 1])
    assert _found(labels, np.arange(5)) is None


def test_one_problem_under_related_categories_is_one_place_and_families_stay_apart():
    rng = np.random.default_rng(5)
    drug_house = _place(rng, (0.0, 0.0), 6, 3)
    dumping = _place(rng, (10.0, 10.0), 4, 1)
    points = np.vstack([drug_house, dumping])
    family = np.array(["nuisance"] * 9 + ["blight"] * 5, dtype=object)
    labels = find_places(points[:, 0], points[:, 1], family)
    house, lot = _found(labels, np.arange(9)), _found(labels, np.arange(9, 14))
    assert house is not None and lot is not None and house != lot
    together = find_places(points[:, 0], points[:, 1])
    assert _found(together, np.arange(14)) is not None


def test_members_stay_within_the_radius_of_their_place():
    rng = np.random.default_rng(6)
    points = np.vstack(
        [_place(rng, (0.0, 0.0), 10, 10, reach=(20, 200)), _uniform(rng, 400, 2000.0)]
    )
    rule = PlaceRule(radius_m=80.0)
    labels = find_places(points[:, 0], points[:, 1], rule=rule)
    inside = labels == labels[0]
    assert np.hypot(*points[inside].T).max() <= rule.radius_m + 1e-6
    assert inside[:10].all()


def test_empty_tiny_and_mismatched_input():
    assert find_places([], []).shape == (0,)
    assert (find_places([0.0, 1.0], [0.0, 0.0]) == -1).all()
    with pytest.raises(ValueError):
        find_places([1.0], [1.0, 2.0])
    with pytest.raises(ValueError):
        find_places([1.0, 2.0], [1.0, 2.0], ["a"])
    with pytest.raises(ValueError):
        PlaceRule(radius_m=0)
    with pytest.raises(ValueError):
        PlaceRule(significance=2)
    with pytest.raises(ValueError):
        PlaceRule(scales_m=(500.0,))


def test_radius_p90():
    x = np.array([0.0, 10.0, 0.0, 10.0, 500.0])
    y = np.array([0.0, 0.0, 10.0, 10.0, 500.0])
    widths = radius_p90(x, y, np.array([0, 0, 0, 0, -1]))
    assert widths == {0: pytest.approx(np.hypot(5, 5))}
