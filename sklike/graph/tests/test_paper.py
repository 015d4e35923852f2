"""A small reproduction of the paper's log-vs-plain ordering (slow)."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from sklike.datasets import make_sbm
from sklike.graph import GraphKernelClustering


@pytest.mark.slow
def test_log_vs_plain_ordering_on_sbm():
    # Spec section 7 [proto]: 20 graphs of G(100, (2) 0.3, 0.1), Ward, best mean
    # ARI over a grid: logComm .974 >= every plain family, logFor >> For,
    # logHeat >> Heat, Walk ~ pWalk.
    graphs = [make_sbm(100, 2, 0.3, 0.1, random_state=seed) for seed in range(20)]
    alphas = np.linspace(0.05, 0.95, 13)
    best = {}
    for kind in (
        "logComm",
        "Comm",
        "logFor",
        "For",
        "logHeat",
        "Heat",
        "Walk",
        "pWalk",
    ):
        curve = [
            np.mean(
                [
                    adjusted_rand_score(
                        y, GraphKernelClustering(2, kernel=kind, param=a).fit(A).labels_
                    )
                    for A, y in graphs
                ]
            )
            for a in alphas
        ]
        best[kind] = max(curve)
    assert best["logComm"] >= 0.93
    for plain in ("Comm", "For", "Heat", "pWalk"):
        assert best["logComm"] >= best[plain]
    assert best["logFor"] > best["For"] + 0.15
    assert best["logHeat"] > best["Heat"] + 0.05
    assert abs(best["Walk"] - best["pWalk"]) < 0.05
