"""Getis-Ord Gi* on a grid: a planted hot spot is found, uniform noise is not."""

from __future__ import annotations

import numpy as np
import pytest

from community.geo.hotstats import gi_star_grid


def test_a_planted_hot_spot_is_significant_and_random_points_are_not() -> None:
    rng = np.random.default_rng(0)
    background = rng.uniform(0, 8000, size=(1500, 2))
    hot = rng.normal((4000, 4000), 80, size=(200, 2))
    pts = np.vstack([background, hot])
    grid = gi_star_grid(pts[:, 0], pts[:, 1], cell_m=250)
    hot_cells = np.flatnonzero(grid.significant)
    assert len(hot_cells) > 0
    for cell in hot_cells:
        xmin, ymin, xmax, ymax = grid.cell_bounds(cell)
        assert abs((xmin + xmax) / 2 - 4000) < 800 and abs((ymin + ymax) / 2 - 4000) < 800
    assert grid.z[hot_cells].min() > 3
    assert grid.counts.sum() == len(pts)

    calm = gi_star_grid(background[:, 0], background[:, 1], cell_m=250)
    assert calm.significant.sum() <= 2  # FDR at 5%: chance alone rarely passes


def test_degenerate_inputs() -> None:
    one = gi_star_grid([10.0], [10.0], cell_m=100)
    assert one.counts.sum() == 1
    with pytest.raises(ValueError):
        gi_star_grid([], [])
    with pytest.raises(ValueError):
        gi_star_grid([1.0], [1.0], cell_m=0)


def test_tiny_grids_give_numbers_not_nan() -> None:
    grid = gi_star_grid([0.0, 10.0, 300.0], [0.0, 5.0, 0.0], cell_m=250)
    assert np.isfinite(grid.z).all() and np.isfinite(grid.p).all()
