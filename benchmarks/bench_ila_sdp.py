"""iLA-SDP: fit time against n, and mis-clustering error on heterogeneous designs.

1. Fit time on the spec's design D2 (p = 10, K = 3) for n = 250 ... 4000:
   ``ILASDPClustering`` (default: 4 starts, Burer--Monteiro), ``SDPKMeans``,
   ``KMeans`` and ``GaussianMixture``; the CVXPY route (one exact LA-SDP solve,
   i.e. one alternation) only where it finishes (n <= 120).
2. Mis-clustering error (mean and worst over replicates) on the spec designs
   D1 and D2 and harder ones (D3: K = 4, p = 20, unequal sizes; D4: p = 50),
   for iLA-SDP, each of its starts alone (read from ``init_results_``: the
   alternation from that start only), SDPKMeans, K-means and EM from k-means
   and from random starts.
3. Real data (iris, scaled wine; seeds, new-thyroid and banknote when the
   shared data folder is present; scaled penguins when palmerpenguins is
   installed).  ``python -m benchmarks.bench_ila_sdp banknote penguins`` runs
   this table alone for the datasets named.
"""

import time
import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, load_wine
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from benchmarks._harness import Report, Timing, time_it
from sklike.cluster import ILASDPClustering, SDPKMeans
from sklike.cluster._ila_sdp import _estimate_gaussians, _whitened_and_logdet
from sklike.cluster._sdp_solvers import SDPCosts, solve_sdp, solver_params_for
from sklike.datasets import get_shared_data_dir, make_heterogeneous_gmm
from sklike.metrics import misclustering_error


def design_d1(rep, scale=1):
    return make_heterogeneous_gmm(
        50 * scale,
        [[0, 0], [3, 0]],
        [0.2 * np.eye(2), np.diag([0.2, 16.0])],
        random_state=rep,
    )


def design_d2(rep, n_per_cluster=60):
    p = 10
    means = np.zeros((3, p))
    means[1, 0] = means[2, 1] = 2.5
    elongated = np.full(p, 0.3)
    elongated[0] = 6.0
    covs = [np.eye(p), 0.1 * np.eye(p), np.diag(elongated)]
    return make_heterogeneous_gmm(n_per_cluster, means, covs, random_state=rep)


def _random_covariance(rng, p, scale, condition):
    q, _ = np.linalg.qr(rng.normal(size=(p, p)))
    eig = scale * np.geomspace(1.0, condition, p)
    return (q * eig) @ q.T


def design_d3(rep):
    """K = 4, p = 20, sizes 40/80/120/60, rotated covariances of varied shape."""
    rng = np.random.RandomState(1000 + rep)
    p = 20
    means = 1.2 * rng.normal(size=(4, p))
    covs = [
        _random_covariance(rng, p, s, c)
        for s, c in [(0.2, 5), (0.05, 40), (0.5, 2), (0.02, 100)]
    ]
    return make_heterogeneous_gmm([40, 80, 120, 60], means, covs, random_state=rep)


def design_d4(rep):
    """p = 50, K = 3, 150 per cluster: a round, a flat and an elongated cluster."""
    p = 50
    means = np.zeros((3, p))
    means[1, 0] = means[2, 1] = 3.0
    flat = np.full(p, 0.2)
    flat[:5] = 3.0
    elongated = np.full(p, 0.1)
    elongated[0] = 8.0
    covs = [np.eye(p), np.diag(flat), np.diag(elongated)]
    return make_heterogeneous_gmm(150, means, covs, random_state=rep)


def _fit_seconds(func):
    start = time.perf_counter()
    out = func()
    return out, time.perf_counter() - start


def _cvxpy_one_step(X, K, random_state):
    """One exact LA-SDP solve from K-means covariances (one alternation)."""
    Xc = X - X.mean(axis=0)
    labels = KMeans(K, n_init=1, random_state=random_state).fit_predict(Xc)
    reg = 1e-6 * float(np.mean(np.var(Xc, axis=0)))
    _, covs, _ = _estimate_gaussians(Xc, labels, K, "full", reg)
    factors, logdets = _whitened_and_logdet(Xc, covs)
    costs = SDPCosts(factors, logdets, np.ones(K))
    return solve_sdp(costs, "cvxpy", solver_params_for("cvxpy", None))


def fit_time_report(quick):
    sizes = (250, 500) if quick else (250, 500, 1000, 2000, 4000)
    report = Report(
        "Fit time (s) against n, design D2 (p = 10, K = 3)", baseline="KMeans"
    )
    for n in sizes:
        X, y = design_d2(0, n_per_cluster=n // 3)
        rows = {
            "KMeans": lambda X=X: KMeans(3, n_init=10, random_state=0).fit(X),
            "GaussianMixture": lambda X=X: GaussianMixture(3, random_state=0).fit(X),
            "SDPKMeans": lambda X=X: SDPKMeans(3, random_state=0).fit(X),
            "ILASDPClustering": lambda X=X: ILASDPClustering(3, random_state=0).fit(X),
        }
        for name, func in rows.items():
            print(f"  {name}, n={n} ...", flush=True)
            fitted = []

            def call(func=func, fitted=fitted):
                fitted.append(func())

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if n <= 1000:
                    timing = time_it(call, repeat=1)
                else:  # one timed fit: the big sizes take minutes on 2 cores
                    _, seconds = _fit_seconds(call)
                    timing = Timing(first=seconds, best=seconds, repeats=1)
            model = fitted[-1]
            labels = getattr(model, "labels_", None)
            if labels is None:
                labels = model.predict(X)
            report.add(
                f"{name} n={n}",
                timing,
                n=n,
                error=misclustering_error(y, labels),
            )
    for n in (60,):
        print(f"  CVXPY one LA-SDP solve, n={n} ...", flush=True)
        X, _ = design_d2(0, n_per_cluster=n // 3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, seconds = _fit_seconds(lambda X=X: _cvxpy_one_step(X, 3, 0))
        report.add(
            f"CVXPY, one LA-SDP solve n={n}",
            Timing(first=seconds, best=seconds, repeats=1),
            n=n,
            error=float("nan"),
        )
    report.notes += [
        "Shared 2-core machine with other jobs running: timings are noisy; the "
        "ratio column compares rows measured in the same run (its baseline is "
        "KMeans at the largest n printed last, so read it per n).",
        "ILASDPClustering runs 4 starts (gmm, kmeans++, sdp, random), each "
        "alternating to a fixed partition; 'auto' uses Burer-Monteiro for n > 60.",
        "CVXPY row: one exact LA-SDP solve (CLARABEL, 3 PSD blocks of size n); "
        "one alternation of iLA-SDP needs one such solve; not run beyond n = 60 "
        "(n = 120 had not finished after 10 minutes in an earlier run).",
    ]
    return report


DESIGNS = {
    "D1 (p=2, K=2, n=100)": design_d1,
    "D2 (p=10, K=3, n=180)": design_d2,
    "D3 (p=20, K=4, n=300, unequal)": design_d3,
    "D4 (p=50, K=3, n=450)": design_d4,
}


def _methods(K, rep):
    return {
        "KMeans": lambda X: KMeans(K, n_init=10, random_state=rep).fit(X).labels_,
        "SDPKMeans": lambda X: SDPKMeans(K, random_state=rep).fit(X).labels_,
        "EM (k-means init)": lambda X: (
            GaussianMixture(K, init_params="kmeans", random_state=rep).fit(X).predict(X)
        ),
        "EM (random init)": lambda X: (
            GaussianMixture(K, init_params="random", random_state=rep).fit(X).predict(X)
        ),
    }


def error_report(name, design, n_reps, K):
    errors, seconds = {}, {}
    print(f"  {name} ...", flush=True)
    for rep in range(n_reps):
        X, y = design(rep)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ila, t = _fit_seconds(
                lambda X=X, rep=rep: ILASDPClustering(K, random_state=rep).fit(X)
            )
            errors.setdefault("ILASDPClustering", []).append(
                misclustering_error(y, ila.labels_)
            )
            seconds.setdefault("ILASDPClustering", []).append(t)
            for start in ila.init_results_:
                key = f"  iLA-SDP from {start['init']} start only"
                errors.setdefault(key, []).append(
                    misclustering_error(y, start["labels"])
                )
            for method, func in _methods(K, rep).items():
                labels, t = _fit_seconds(lambda func=func, X=X: func(X))
                errors.setdefault(method, []).append(misclustering_error(y, labels))
                seconds.setdefault(method, []).append(t)
    report = Report(
        f"Mis-clustering error, {name}, {n_reps} replicates", baseline="KMeans"
    )
    for method, errs in errors.items():
        mean_t = float(np.mean(seconds.get(method, [np.nan])))
        report.add(
            method,
            Timing(first=mean_t, best=mean_t, repeats=n_reps),
            mean_error=float(np.mean(errs)),
            worst_error=float(np.max(errs)),
        )
    report.notes += [
        "seconds: mean fit time per replicate (noisy shared machine); the "
        "'from X start only' rows are the alternation from that start alone, "
        "read from init_results_ of the same fit (no time of their own).",
    ]
    return report


def _load_shared_csv(*parts):
    """Numeric CSV, target in the last column; None without the shared data."""
    shared = get_shared_data_dir()
    if shared is None or not shared.joinpath(*parts).exists():
        return None
    data = np.loadtxt(shared.joinpath(*parts), delimiter=",")
    return data[:, :-1], data[:, -1].astype(int)


def _load_penguins():
    """The four size measurements of the 342 complete penguins, standardised.

    Body mass is in grams and the other features in millimetres, so raw
    features would make K-means a body-mass clustering.  palmerpenguins
    (``pip install palmerpenguins``, the CSV is in the wheel) is a
    benchmark-only extra; None when it is not installed.
    """
    try:
        from palmerpenguins import load_penguins
    except ImportError:
        return None
    X, species = load_penguins(return_X_y=True)
    # drop_na=True would also drop the 9 measured birds whose sex is missing.
    X = X.to_numpy(dtype=float)
    complete = ~np.isnan(X).any(axis=1)
    _, y = np.unique(species.to_numpy()[complete], return_inverse=True)
    return StandardScaler().fit_transform(X[complete]), y


def _load_iris():
    return load_iris(return_X_y=True)


def _load_wine():
    X, y = load_wine(return_X_y=True)
    return StandardScaler().fit_transform(X), y


# key -> (label in the tables, loader returning (X, y) or None when absent)
REAL_DATASETS = {
    "iris": ("iris", _load_iris),
    "wine": ("wine (scaled)", _load_wine),
    "seeds": ("seeds", lambda: _load_shared_csv("seeds", "wheat-seeds.csv")),
    "new-thyroid": (
        "new-thyroid",
        lambda: _load_shared_csv("new_thyroid", "new-thyroid.csv"),
    ),
    # Raw features: the four wavelet statistics have comparable ranges.
    "banknote": (
        "banknote",
        lambda: _load_shared_csv("banknote", "banknote_authentication.csv"),
    ),
    "penguins": ("penguins (scaled)", _load_penguins),
}
QUICK_REAL_DATASETS = ("iris", "wine")


def _real_datasets(names=None):
    for key in REAL_DATASETS if names is None else names:
        label, loader = REAL_DATASETS[key]
        data = loader()
        if data is None:
            print(f"  {label}: not available, skipped", flush=True)
            continue
        yield label, *data


def real_data_report(quick, names=None):
    """Mis-clustering error on real data.

    ``names`` selects keys of ``REAL_DATASETS`` (default: all, or iris and
    wine when ``quick``); a dataset whose files or package are absent is
    skipped.
    """
    if names is None and quick:
        names = QUICK_REAL_DATASETS
    unknown = sorted(set(names or ()) - set(REAL_DATASETS))
    if unknown:
        raise ValueError(f"unknown datasets {unknown}; known: {list(REAL_DATASETS)}")
    report = Report("Mis-clustering error on real data", baseline="KMeans")
    for name, X, y in _real_datasets(names):
        print(f"  {name} ...", flush=True)
        K = len(np.unique(y))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ila, t = _fit_seconds(
                lambda X=X, K=K: ILASDPClustering(K, random_state=0).fit(X)
            )
            report.add(
                f"{name}: ILASDPClustering",
                Timing(t, t, 1),
                n=X.shape[0],
                error=misclustering_error(y, ila.labels_),
            )
            for method, func in _methods(K, 0).items():
                labels, t = _fit_seconds(lambda func=func, X=X: func(X))
                report.add(
                    f"{name}: {method}",
                    Timing(t, t, 1),
                    n=X.shape[0],
                    error=misclustering_error(y, labels),
                )
    report.notes.append(
        "One fit each, random_state=0; seeds, new-thyroid and banknote need the "
        "shared data, penguins needs `pip install palmerpenguins`; absent ones "
        "are skipped."
    )
    return report


def run(quick):
    reports = [fit_time_report(quick)]
    for name, design in DESIGNS.items():
        if quick and name.startswith("D4"):
            continue
        K = {"D1": 2, "D2": 3, "D3": 4, "D4": 3}[name[:2]]
        # D4 (p = 50, n = 450) costs about a minute per replicate here.
        n_reps = 3 if quick else (10 if name.startswith("D4") else 20)
        reports.append(error_report(name, design, n_reps, K))
    reports.append(real_data_report(quick))
    return reports


if __name__ == "__main__":
    # Only the real-data table, for chosen datasets, without touching the saved
    # results of the full benchmark: python -m benchmarks.bench_ila_sdp banknote
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_ila_sdp")
    parser.add_argument(
        "datasets", nargs="*", help=f"any of {list(REAL_DATASETS)} (default: all)"
    )
    args = parser.parse_args()
    print(real_data_report(False, args.datasets or None).to_markdown())
