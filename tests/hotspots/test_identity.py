"""Matching clusters to stored hotspots: keep, grow, merge, split, new; optimal, not greedy."""

from __future__ import annotations

import numpy as np
import pytest

from community.hotspots.identity import plan


def test_a_cluster_keeps_the_hotspot_it_mostly_is() -> None:
    result = plan([5, 5, 5, -1, -1], [0, 0, 0, 0, -1])
    assert result.keep == {0: 5} and not (result.new or result.merges or result.splits)


def test_a_small_hotspot_swallowed_by_a_big_cluster_is_still_itself() -> None:
    result = plan([5, 5, 5] + [-1] * 8, [0] * 11)  # Jaccard 3/11, below the threshold
    assert result.keep == {0: 5}


def test_two_hotspots_in_one_cluster_merge_into_the_better_match() -> None:
    result = plan([5, 5, 5, 5, 6, 6, 6], [0] * 7)
    assert result.keep == {0: 5} and result.merges == {6: 0}


def test_a_hotspot_in_two_clusters_splits() -> None:
    result = plan([5] * 6 + [-1], [0, 0, 0, 0, 1, 1, 1])
    assert result.keep == {0: 5} and result.splits == {1: 5} and result.new == []


def test_clusters_with_no_history_are_new_and_noise_makes_nothing() -> None:
    result = plan([-1, -1, -1, 7, 7], [0, 0, 0, -1, -1])
    assert result.new == [0] and result.keep == {} and result.merges == {}


def test_matching_maximises_total_overlap_not_the_first_best_pair() -> None:
    # Jaccard: (h2, c1) 0.4, (h1, c1) 0.375, (h2, c0) 0.375, (h1, c0) 0.14. Greedy takes
    # the best pair (h2, c1) and leaves h1 unmatched (0.14 < 0.3); Hungarian keeps both
    # hotspots: h1 -> c1 and h2 -> c0, total 0.75 > 0.4.
    old = [2, 2, 1, 2, 2, 2, 2, 2, 1, 1, 1]
    new = [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0]
    result = plan(old, new)
    assert result.keep == {1: 1, 0: 2}


def test_big_inputs_are_solved_per_component() -> None:
    rng = np.random.default_rng(0)
    old = np.repeat(np.arange(5000), 20)
    new = old.copy()
    new[rng.random(len(new)) < 0.1] = -1
    result = plan(old, new)
    assert len(result.keep) == 5000 and all(k == v for k, v in result.keep.items())


def test_inputs_must_line_up() -> None:
    with pytest.raises(ValueError):
        plan([1, 2], [0])


def test_a_hotspot_broken_four_ways_lives_on_as_its_largest_piece() -> None:
    result = plan([5] * 9, [0, 0, 0, 1, 1, 2, 2, 3, 3])
    assert result.keep == {0: 5}
    assert result.splits == {1: 5, 2: 5, 3: 5} and result.new == []
