"""Which stored hotspot each new cluster is: matching by shared concerns, merges and splits.

Pure: takes, per concern, the hotspot it belonged to before (-1 for none) and the cluster
label it got now (-1 for noise), and decides. Matching maximises total Jaccard overlap
(Hungarian algorithm, scipy's linear_sum_assignment) within each connected group of
overlapping clusters and hotspots, so a run over a whole city solves many tiny problems, not
one huge one. A match needs Jaccard >= threshold.

- A cluster matched to a hotspot keeps that hotspot's id (owners, actions, notes carry over).
  So does a cluster that took at least half of an otherwise unmatched hotspot (growth).
- A hotspot left unmatched whose concerns went mostly into a matched cluster was merged into
  that cluster's hotspot (the survivor).
- A cluster left unmatched that got at least half its concerns from a matched hotspot split
  off from it; other unmatched clusters are new.
- A hotspot that broke into pieces too small to match lives on as its largest piece.
- Noise never makes a hotspot; a concern that turns to noise stays with its old hotspot
  (or, when that hotspot was merged, moves with it to the survivor).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

MATCH_THRESHOLD = 0.3
SPLIT_SHARE = 0.5


@dataclass
class Plan:
    keep: dict[int, int] = field(default_factory=dict)  # cluster label -> hotspot id
    new: list[int] = field(default_factory=list)  # cluster labels that need a new hotspot
    splits: dict[int, int] = field(default_factory=dict)  # cluster label -> hotspot it left
    merges: dict[int, int] = field(default_factory=dict)  # absorbed hotspot -> cluster label


def plan(old: np.ndarray, new: np.ndarray, threshold: float = MATCH_THRESHOLD) -> Plan:
    """Match clusters (``new`` labels) to hotspots (``old`` ids), one entry per concern."""
    old = np.asarray(old, dtype=np.int64).ravel()
    new = np.asarray(new, dtype=np.int64).ravel()
    if old.shape != new.shape:
        raise ValueError("old and new must have one entry per concern")
    result = Plan()
    clusters, cluster_sizes = np.unique(new[new >= 0], return_counts=True)
    if len(clusters) == 0:
        return result
    hotspots, hotspot_sizes = np.unique(old[old >= 0], return_counts=True)
    both = (old >= 0) & (new >= 0)
    # One int64 key per (hotspot, cluster): a 1-D unique is far faster than axis=0.
    span = int(new.max()) + 1
    keys, shared = np.unique(old[both] * span + new[both], return_counts=True)
    pairs = np.column_stack([keys // span, keys % span])
    if len(pairs) == 0:
        result.new = [int(c) for c in clusters]
        return result
    h_index = np.searchsorted(hotspots, pairs[:, 0])
    c_index = np.searchsorted(clusters, pairs[:, 1])
    jaccard = shared / (hotspot_sizes[h_index] + cluster_sizes[c_index] - shared)
    matched_c = _assign(h_index, c_index, jaccard, len(hotspots), len(clusters), threshold)
    _grow(matched_c, h_index, c_index, shared, hotspot_sizes)
    _carry_on(matched_c, h_index, c_index, shared)
    for c, h in matched_c.items():
        result.keep[int(clusters[c])] = int(hotspots[h])
    matched_h = {h: c for c, h in matched_c.items()}
    _merges(result, pairs, shared, hotspots, clusters, matched_h, matched_c)
    _splits(result, pairs, shared, hotspots, clusters, cluster_sizes, matched_h)
    return result


def _assign(
    h_index: np.ndarray,
    c_index: np.ndarray,
    jaccard: np.ndarray,
    n_hotspots: int,
    n_clusters: int,
    threshold: float,
) -> dict[int, int]:
    """Cluster index -> hotspot index, maximising overlap in each connected component."""
    good = jaccard >= threshold
    h_index, c_index, jaccard = h_index[good], c_index[good], jaccard[good]
    if len(jaccard) == 0:
        return {}
    # Nodes 0..H-1 are hotspots, H..H+C-1 clusters; components of the overlap graph.
    graph = coo_matrix(
        (np.ones(len(jaccard)), (h_index, c_index + n_hotspots)),
        shape=(n_hotspots + n_clusters, n_hotspots + n_clusters),
    )
    _, component = connected_components(graph, directed=False)
    edge_component = component[h_index]
    order = np.argsort(edge_component, kind="stable")
    bounds = np.flatnonzero(np.diff(edge_component[order])) + 1
    matched: dict[int, int] = {}
    for edges in np.split(order, bounds):
        hs, h_local = np.unique(h_index[edges], return_inverse=True)
        cs, c_local = np.unique(c_index[edges], return_inverse=True)
        if len(edges) == 1:
            matched[int(cs[0])] = int(hs[0])
            continue
        cost = np.zeros((len(hs), len(cs)))
        cost[h_local, c_local] = jaccard[edges]
        rows, cols = linear_sum_assignment(cost, maximize=True)
        for r, c in zip(rows, cols, strict=True):
            if cost[r, c] >= threshold:
                matched[int(cs[c])] = int(hs[r])
    return matched


def _grow(
    matched_c: dict[int, int],
    h_index: np.ndarray,
    c_index: np.ndarray,
    shared: np.ndarray,
    hotspot_sizes: np.ndarray,
) -> None:
    """A small hotspot swallowed by a much larger new cluster is still that hotspot.

    Jaccard falls below the threshold when many new concerns arrive at once (3 old + 8 new),
    but the problem is the same one: match an unmatched cluster to an unmatched hotspot that
    gave it at least half of its own concerns, biggest contribution first.
    """
    taken = set(matched_c.values())
    for i in np.argsort(-shared, kind="stable"):
        c, h = int(c_index[i]), int(h_index[i])
        if c in matched_c or h in taken:
            continue
        if shared[i] >= SPLIT_SHARE * hotspot_sizes[h]:
            matched_c[c] = h
            taken.add(h)


def _carry_on(
    matched_c: dict[int, int], h_index: np.ndarray, c_index: np.ndarray, shared: np.ndarray
) -> None:
    """A hotspot that broke into pieces too small to match lives on as its largest piece.

    Split four ways, no piece reaches the Jaccard threshold; the owners must not be left on an
    empty hotspot while four new ones start unowned. So an unmatched hotspot whose largest
    share went to an unmatched cluster keeps that cluster (the other pieces then split off it).
    """
    taken = set(matched_c.values())
    best: dict[int, tuple[int, int]] = {}
    for i in range(len(shared)):
        h, c = int(h_index[i]), int(c_index[i])
        if int(shared[i]) > best.get(h, (0, -1))[0]:
            best[h] = (int(shared[i]), c)
    for h, (_, c) in sorted(best.items(), key=lambda item: -item[1][0]):
        if h not in taken and c not in matched_c:
            matched_c[c] = h
            taken.add(h)


def _merges(
    result: Plan,
    pairs: np.ndarray,
    shared: np.ndarray,
    hotspots: np.ndarray,
    clusters: np.ndarray,
    matched_h: dict[int, int],
    matched_c: dict[int, int],
) -> None:
    """Unmatched hotspots whose largest share went into a matched cluster merge into it."""
    for hotspot, (_, cluster) in _largest_share(pairs, shared, by=0).items():
        h = int(np.searchsorted(hotspots, hotspot))
        c = int(np.searchsorted(clusters, cluster))
        if h not in matched_h and c in matched_c:
            result.merges[hotspot] = cluster


def _splits(
    result: Plan,
    pairs: np.ndarray,
    shared: np.ndarray,
    hotspots: np.ndarray,
    clusters: np.ndarray,
    cluster_sizes: np.ndarray,
    matched_h: dict[int, int],
) -> None:
    """Unmatched clusters: split off a matched hotspot when half came from it, else new."""
    best = _largest_share(pairs, shared, by=1)
    for c, cluster in enumerate(clusters.tolist()):
        if cluster in result.keep:
            continue
        count, hotspot = best.get(cluster, (0, -1))
        h = int(np.searchsorted(hotspots, hotspot)) if hotspot >= 0 else -1
        if h in matched_h and count >= SPLIT_SHARE * cluster_sizes[c]:
            result.splits[cluster] = hotspot
        else:
            result.new.append(cluster)


def _largest_share(pairs: np.ndarray, shared: np.ndarray, by: int) -> dict[int, tuple[int, int]]:
    """For each hotspot (by=0) or cluster (by=1): (shared count, the other side) of its
    largest overlap."""
    best: dict[int, tuple[int, int]] = {}
    for pair, count in zip(pairs.tolist(), shared.tolist(), strict=True):
        key, other = pair[by], pair[1 - by]
        if count > best.get(key, (0, -1))[0]:
            best[key] = (count, other)
    return best
