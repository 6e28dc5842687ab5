"""Ground distances: one helper for every module that measures metres from lat/lon."""

from __future__ import annotations

import numpy as np
import pytest

from community.geo.distance import degree_box, metres


def test_a_block_in_milwaukee_measures_as_a_block() -> None:
    # 35th St to 36th St along Center St: about 100 m apart in longitude at 43.07 N.
    assert metres(43.0676, -87.9584, 43.0676, -87.9596) == pytest.approx(97.6, abs=1)
    assert metres(43.0, -87.9, 43.001, -87.9) == pytest.approx(111.2, abs=0.5)


def test_arrays_broadcast_and_the_box_reaches_the_radius() -> None:
    lats = np.array([43.0676, 43.0686])
    assert metres(43.0676, -87.9584, lats, np.array([-87.9584, -87.9584])).shape == (2,)
    dlat, dlon = degree_box(43.0676, 150.0)
    assert metres(43.0676, -87.9584, 43.0676 + dlat, -87.9584) == pytest.approx(150.0, rel=1e-3)
    assert metres(43.0676, -87.9584, 43.0676, -87.9584 + dlon) == pytest.approx(150.0, rel=1e-3)
