"""Tour entry: logComm graph-kernel clustering vs spectral clustering on football."""

import time

import numpy as np

from .._tour._registry import TourEntry, TourResult, pyplot, save_figure


def _run(quick, outdir):
    from sklearn.cluster import SpectralClustering
    from sklearn.metrics import adjusted_rand_score

    from ..datasets import load_football
    from . import GraphKernelClustering

    A, y = load_football(return_X_y=True)
    n_clusters = len(np.unique(y))  # the 12 conferences
    grid = np.linspace(0.05, 0.95, 7 if quick else 19)

    start = time.perf_counter()
    # No labels: alpha is chosen by the modularity of the partition.
    model = GraphKernelClustering(n_clusters, kernel="logComm", param_grid=grid).fit(A)
    seconds = time.perf_counter() - start
    score = adjusted_rand_score(y, model.labels_)

    start = time.perf_counter()
    spectral = SpectralClustering(
        n_clusters, affinity="precomputed", random_state=0
    ).fit(A)
    baseline_seconds = time.perf_counter() - start
    baseline = adjusted_rand_score(y, spectral.labels_)

    ari_by_alpha = [
        adjusted_rand_score(
            y, GraphKernelClustering(n_clusters, param=alpha).fit(A).labels_
        )
        for alpha in grid
    ]

    plt = pyplot()

    fig, ax1 = plt.subplots(figsize=(5.5, 3.8))
    ax1.plot(grid, ari_by_alpha, "o-", label="logComm + Ward: ARI")
    ax1.axhline(baseline, color="k", ls="--", label="sklearn SpectralClustering: ARI")
    ax1.axvline(model.param_, color="C1", ls=":", label="alpha chosen by modularity")
    ax1.set(
        xlabel="alpha (normalized logComm parameter)",
        ylabel="ARI vs the 12 conferences",
        title="College football 2000 (115 teams)",
    )
    ax1.legend(fontsize=7, loc="lower left")
    path = save_figure(fig, outdir, "graph_kernels_football.png")
    return TourResult(
        score=float(score),
        baseline_score=float(baseline),
        fit_seconds=seconds,
        baseline_fit_seconds=baseline_seconds,
        plots=[path],
        note=(
            f"alpha chosen by modularity: {model.param_:.2f}; best ARI over the grid "
            f"{max(ari_by_alpha):.3f}"
        ),
    )


TOUR_ENTRIES = [
    TourEntry(
        name="graph_kernels",
        method="GraphKernelClustering (logComm + Ward, alpha by modularity)",
        dataset="American college football 2000 (115 nodes, 12 conferences)",
        metric="ARI (higher is better)",
        baseline="sklearn SpectralClustering (precomputed affinity)",
        run=_run,
    )
]
