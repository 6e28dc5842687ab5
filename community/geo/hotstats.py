"""Getis-Ord Gi* hot-spot statistics on a regular grid of concern counts (PySAL esda).

DBSCAN finds places; Gi* says where counts are higher than chance would give, with a z-score
per cell and a false-discovery-rate cut so a map of thousands of cells does not light up by
luck. The grid covers the points' bounding box (plus one ring of cells) so empty cells count.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

# A grid this large (cells) would make the weights matrix slow; coarser cells are used instead.
MAX_CELLS = 250_000


@dataclass(frozen=True)
class GiGrid:
    """Per-cell results; cells are numbered row by row from (x0, y0), the south-west corner."""

    cell_m: float
    x0: float
    y0: float
    ncols: int
    nrows: int
    counts: np.ndarray  # concerns per cell
    z: np.ndarray  # Gi* z-score per cell
    p: np.ndarray  # two-sided p-value (normal approximation)
    significant: np.ndarray  # bool: p below the FDR threshold and z > 0 (a hot cell)
    fdr_threshold: float  # the p cut-off the FDR procedure chose (0 when none is significant)

    def cell_bounds(self, index: int) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of a cell in projected metres."""
        row, col = divmod(int(index), self.ncols)
        xmin = self.x0 + col * self.cell_m
        ymin = self.y0 + row * self.cell_m
        return xmin, ymin, xmin + self.cell_m, ymin + self.cell_m


def gi_star_grid(x_m: Any, y_m: Any, cell_m: float = 250.0, alpha: float = 0.05) -> GiGrid:
    """Gi* (queen contiguity, self included) on counts of points per grid cell."""
    from esda import fdr
    from esda.getisord import G_Local
    from libpysal.weights import lat2W

    x = np.asarray(x_m, dtype=float).ravel()
    y = np.asarray(y_m, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError("x_m and y_m must have the same length")
    if len(x) == 0:
        raise ValueError("Gi* needs at least one point")
    if cell_m <= 0:
        raise ValueError("cell_m must be positive")
    x0, y0 = x.min() - cell_m, y.min() - cell_m
    ncols = int((x.max() + cell_m - x0) // cell_m) + 1
    nrows = int((y.max() + cell_m - y0) // cell_m) + 1
    while ncols * nrows > MAX_CELLS:
        cell_m *= 1.5
        ncols = int((x.max() + cell_m - x0) // cell_m) + 1
        nrows = int((y.max() + cell_m - y0) // cell_m) + 1
    cols = ((x - x0) // cell_m).astype(np.int64)
    rows = ((y - y0) // cell_m).astype(np.int64)
    counts = np.bincount(rows * ncols + cols, minlength=nrows * ncols).astype(float)
    if counts.std() == 0:  # every cell the same: nothing stands out
        zeros = np.zeros_like(counts)
        return GiGrid(cell_m, x0, y0, ncols, nrows, counts, zeros, zeros + 1.0, zeros > 0, 0.0)
    weights = lat2W(nrows, ncols, rook=False)  # ids 0..n-1, row by row: matches our numbering
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda warns about islands on one-cell grids
        gi = G_Local(counts, weights, transform="B", permutations=0, star=True)
    # A cell whose neighbourhood covers the whole grid has no variance: no evidence either way.
    z = np.nan_to_num(np.asarray(gi.Zs, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    p = np.asarray(gi.p_norm, dtype=float) * 2.0  # esda gives the one-sided tail
    p = np.clip(np.nan_to_num(p, nan=1.0), 0.0, 1.0)
    threshold = float(fdr(p, alpha))
    significant = (p <= threshold) & (z > 0) if threshold > 0 else np.zeros(len(p), dtype=bool)
    return GiGrid(cell_m, x0, y0, ncols, nrows, counts, z, p, significant, threshold)
