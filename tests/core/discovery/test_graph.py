"""Edge weights and graph building, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from kolscope.core.discovery.graph import EdgeKind, build_graph, edge_weights
from kolscope.errors import InvalidInput

DAY = 86_400.0


def test_weights_by_kind_and_half_life() -> None:
    kinds = np.array([EdgeKind.COMMENT, EdgeKind.MENTION, EdgeKind.TAG, EdgeKind.SPONSORSHIP])
    # ages from the newest (day 360): 360, 180, 0 and 0 days -> 1/4, 1/2, 1, 1 of the kind weight
    times = np.array([0.0, 180 * DAY, 360 * DAY, 360 * DAY])
    assert edge_weights(kinds, times).tolist() == [0.25, 1.0, 1.5, 0.5]


def test_undated_interactions_count_as_the_oldest() -> None:
    weights = edge_weights(np.array([0, 0, 0]), np.array([np.nan, 0.0, 90 * DAY]),
                           half_life_days=90)
    assert weights.tolist() == [0.5, 0.5, 1.0]


def test_all_undated_keeps_kind_weights() -> None:
    assert edge_weights(np.array([1]), np.array([np.nan])).tolist() == [2.0]


def test_custom_weights_and_invalid_half_life() -> None:
    assert edge_weights(np.array([0]), np.array([0.0]),
                        weights={EdgeKind.COMMENT: 3.0}).tolist() == [3.0]
    with pytest.raises(InvalidInput):
        edge_weights(np.array([0]), np.array([0.0]), half_life_days=0)


def test_build_sums_parallel_edges_and_drops_self_loops() -> None:
    graph = build_graph(np.array([5, 5, 7, 9]), np.array([7, 7, 5, 9]),
                        np.array([1.0, 2.0, 1.0, 3.0]), extra_nodes=np.array([11]))
    assert graph.node_ids.tolist() == [5, 7, 11]
    assert graph.adjacency.toarray().tolist() == [[0, 3, 0], [1, 0, 0], [0, 0, 0]]
    assert graph.edges == 2
    assert graph.index_of(np.array([7, 8, 11])).tolist() == [1, -1, 2]


def test_build_refuses_ragged_input() -> None:
    with pytest.raises(InvalidInput):
        build_graph(np.array([1]), np.array([2, 3]), np.array([1.0]))
