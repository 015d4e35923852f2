"""Tour entries of sklike.cluster."""

import time
import warnings

from .._tour._registry import TourEntry, TourResult, pyplot, save_figure


def _run_ila_sdp(quick, outdir):
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.mixture import GaussianMixture
    from sklearn.preprocessing import StandardScaler

    from ..datasets import load_seeds
    from ..metrics import misclustering_error
    from . import ILASDPClustering

    X, y = load_seeds(return_X_y=True)
    X = StandardScaler().fit_transform(X)

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ILASDPClustering(3, n_init=2 if quick else 4, random_state=0).fit(X)
    seconds = time.perf_counter() - start
    score = misclustering_error(y, model.labels_)

    start = time.perf_counter()
    gmm = GaussianMixture(3, covariance_type="full", random_state=0).fit(X)
    baseline_seconds = time.perf_counter() - start
    baseline = misclustering_error(y, gmm.predict(X))
    kmeans = misclustering_error(y, KMeans(3, n_init=10, random_state=0).fit_predict(X))

    plt = pyplot()

    coords = PCA(2).fit_transform(X)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
    for ax, labels, title in [
        (axes[0], y, "true varieties"),
        (axes[1], model.labels_, f"iLA-SDP (error {score:.3f})"),
    ]:
        ax.scatter(coords[:, 0], coords[:, 1], c=labels, s=12, cmap="viridis")
        ax.set(title=title, xlabel="PC 1")
    axes[0].set_ylabel("PC 2")
    fig.suptitle(
        f"Wheat seeds: mis-clustering error iLA-SDP {score:.3f}, "
        f"GaussianMixture {baseline:.3f}, KMeans {kmeans:.3f}",
        fontsize=9,
    )
    path = save_figure(fig, outdir, "ila_sdp_seeds.png")
    return TourResult(
        score=float(score),
        baseline_score=float(baseline),
        fit_seconds=seconds,
        baseline_fit_seconds=baseline_seconds,
        plots=[path],
        note=f"KMeans (n_init=10) error {kmeans:.3f}",
    )


TOUR_ENTRIES = [
    TourEntry(
        name="ila_sdp",
        method="ILASDPClustering (likelihood-adjusted SDP, full covariances)",
        dataset="UCI wheat seeds (210 kernels, 7 features, 3 varieties)",
        metric="mis-clustering error (lower is better)",
        baseline="sklearn GaussianMixture (full covariances, EM)",
        run=_run_ila_sdp,
    ),
]
