"""Local-DP sparse regression: error vs n, epsilon and d; throughput.

``python -m benchmarks ldp [--quick]``

Data follow the spec's protocol (section 7): x ~ U[-1, 1]^d (no clipping bias
at tau_x = 1), a k-sparse coefficient vector with entries +-1/k (so
``||coef||_1 = 1``), noise N(0, 0.1^2), tau_y = 1.5, delta = 1e-5, default
threshold.  Errors are medians of ||coef_ - coef||_2 over seeds.  The theory
(Zhu et al. 2024) predicts slopes of -1/2 in n and -1 in epsilon once the
error is below ||coef||_2, and an NLDP/public error ratio growing like sqrt(d).

A plot of the error curves with the theory slopes is written to
``benchmarks/results/ldp_error.png``.
"""

import time
import warnings

import numpy as np
from sklearn.linear_model import Lasso

from benchmarks._harness import RESULTS_DIR, Report, Timing, time_it
from sklike.privacy import LDPIHTRegressor, LDPSparseLinearRegression

TAU_X, TAU_Y, DELTA = 1.0, 1.5, 1e-5


def _problem(n, d, k, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n, d))
    coef = np.zeros(d)
    coef[:k] = [(-1) ** j / k for j in range(k)]
    y = X @ coef + 0.1 * rng.standard_normal(n)
    X_public = rng.uniform(-1.0, 1.0, (100_000, d))
    return X, y, coef, X_public


def _methods(epsilon, k):
    """name -> function(X, y, X_public, seed) returning coef_."""

    def private(X, y, X_public, seed):
        est = LDPSparseLinearRegression(
            epsilon, delta=DELTA, tau_x=TAU_X, tau_y=TAU_Y, random_state=seed
        )
        return est.fit(X, y).coef_

    def public(X, y, X_public, seed):
        est = LDPSparseLinearRegression(
            epsilon,
            delta=DELTA,
            tau_x=TAU_X,
            tau_y=TAU_Y,
            covariance="public",
            random_state=seed,
        )
        return est.fit(X, y, X_public=X_public).coef_

    def iht(X, y, X_public, seed):
        # Sigma = I/3 for U[-1, 1] features, so the step 1/L is 3; with d <= 20
        # the theory's k' = 8k keeps everything, so keep k' = k.
        est = LDPIHTRegressor(
            epsilon,
            n_nonzero=k,
            keep_factor=1,
            step_size=3.0,
            tau_x=TAU_X,
            tau_y=TAU_Y,
            random_state=seed,
        )
        return est.fit(X, y).coef_

    def lasso(X, y, X_public, seed):
        # The textbook level noise_sd * sqrt(2 log(2d) / n) (noise sd 0.1).
        alpha = 0.1 * np.sqrt(2 * np.log(2 * X.shape[1]) / X.shape[0])
        return Lasso(alpha=alpha).fit(X, y).coef_

    return {
        "LDP (private covariance)": private,
        "LDP (public covariance)": public,
        "LDP-IHT (sequential)": iht,
        "Lasso (non-private)": lasso,
    }


def _median_errors(method, n, d, k, seeds):
    errors, seconds = [], []
    for seed in seeds:
        X, y, coef, X_public = _problem(n, d, k, seed)
        start = time.perf_counter()
        fitted = method(X, y, X_public, seed)
        seconds.append(time.perf_counter() - start)
        errors.append(np.linalg.norm(fitted - coef))
    return float(np.median(errors)), float(np.median(seconds))


def _slope(xs, errors, norm):
    """log-log slope over the points whose error is below ||coef||_2."""
    xs, errors = np.asarray(xs, float), np.asarray(errors, float)
    keep = (errors < 0.9 * norm) & (errors > 0)
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(xs[keep]), np.log(errors[keep]), 1)[0])


def _timing(seconds):
    return Timing(first=seconds, best=seconds, repeats=1)


def _error_vs_n(quick):
    d, k, epsilon = 5, 2, 4.0
    ns = [10_000, 100_000] if quick else [100_000, 300_000, 1_000_000, 3_000_000, 10**7]
    seeds = range(2 if quick else 5)
    norm = np.sqrt(k) / k
    report = Report(
        f"error vs n (d={d}, k={k}, epsilon={epsilon:g}, median of {len(seeds)} seeds)",
        baseline="Lasso (non-private)",
    )
    curves = {}
    for name, method in _methods(epsilon, k).items():
        errs = []
        for n in ns:
            err, sec = _median_errors(method, n, d, k, seeds)
            errs.append(err)
            report.add(f"{name}, n={n:.0e}", _timing(sec), median_l2_error=err)
        curves[name] = errs
        report.notes.append(
            f"{name}: fitted slope in n {_slope(ns, errs, norm):.2f} (theory -0.5; "
            "points with error < 0.9 ||coef||_2)"
        )
    report.notes.append(
        f"||coef||_2 = {norm:.2f}; an estimator returning 0 has exactly that error."
    )
    report.notes.append(
        "Timings are fit seconds (median over seeds) for reference only; the "
        "speed-up column compares with the non-private Lasso at the largest n."
    )
    # The ratio column compares each row with the baseline row of the same name.
    report.baseline = f"Lasso (non-private), n={ns[-1]:.0e}"
    return report, ns, curves, norm


def _error_vs_epsilon(quick):
    d, k, n = 5, 2, (100_000 if quick else 1_000_000)
    epsilons = [1.0, 4.0] if quick else [0.5, 1.0, 2.0, 4.0, 8.0]
    seeds = range(2 if quick else 5)
    norm = np.sqrt(k) / k
    report = Report(
        f"error vs epsilon (d={d}, k={k}, n={n:.0e}, median of {len(seeds)} seeds)",
        baseline="-",
    )
    curves = {}
    for name in list(_methods(1.0, k))[:3]:
        errs = []
        for epsilon in epsilons:
            method_eps = _methods(epsilon, k)[name]
            err, sec = _median_errors(method_eps, n, d, k, seeds)
            errs.append(err)
            report.add(f"{name}, eps={epsilon:g}", _timing(sec), median_l2_error=err)
        curves[name] = errs
        report.notes.append(
            f"{name}: fitted slope in epsilon {_slope(epsilons, errs, norm):.2f} "
            "(theory -1 while the classical calibration holds)"
        )
    return report, epsilons, curves


def _error_vs_d(quick):
    k, epsilon = 2, 8.0
    n = 100_000 if quick else 3_000_000
    dims = [5, 10] if quick else [5, 10, 20]
    seeds = range(2 if quick else 3)
    report = Report(f"error vs d (k={k}, epsilon={epsilon:g}, n={n:.0e})", baseline="-")
    methods = _methods(epsilon, k)
    ratios = []
    for d in dims:
        private, sec_p = _median_errors(
            methods["LDP (private covariance)"], n, d, k, seeds
        )
        public, sec_q = _median_errors(
            methods["LDP (public covariance)"], n, d, k, seeds
        )
        report.add(
            f"private covariance, d={d}", _timing(sec_p), median_l2_error=private
        )
        report.add(f"public covariance, d={d}", _timing(sec_q), median_l2_error=public)
        ratios.append(private / public)
    report.notes.append(
        "private/public error ratios "
        + ", ".join(f"d={d}: {r:.2f}" for d, r in zip(dims, ratios, strict=True))
        + " (theory: grows like sqrt(d) once both errors are below ||coef||_2; "
        "capped while the private estimate is still thresholded to 0)"
    )
    return report


def _error_vs_k(quick):
    d, epsilon = 10, 8.0
    n = 100_000 if quick else 3_000_000
    ks = [1, 2] if quick else [1, 2, 4]
    seeds = range(2 if quick else 3)
    report = Report(f"error vs k (d={d}, epsilon={epsilon:g}, n={n:.0e})", baseline="-")
    for k in ks:
        methods = _methods(epsilon, k)
        for name in ("LDP (private covariance)", "LDP (public covariance)"):
            err, sec = _median_errors(methods[name], n, d, k, seeds)
            report.add(f"{name}, k={k}", _timing(sec), median_l2_error=err)
    report.notes.append(
        "||coef||_1 = 1 for every k, so ||coef||_2 = 1/sqrt(k) shrinks with k; "
        "theory: error grows like sqrt(k) at fixed ||coef||_1 scale."
    )
    return report


def _real_data(quick):
    """The tour's power-plant sanity check (users bootstrapped), as a table."""
    from sklike.privacy._tour import _run

    result = _run(quick, RESULTS_DIR)
    report = Report(
        "power plant (UCI CCPP, d=4), users bootstrapped from the training rows",
        baseline="Lasso (non-private)",
    )
    report.add(
        "LDP public covariance",
        _timing(result.fit_seconds),
        test_r2=result.score,
    )
    report.add(
        "Lasso (non-private)",
        _timing(result.baseline_fit_seconds),
        test_r2=result.baseline_score,
    )
    report.notes.append(result.note)
    report.notes.append(f"plot: {result.plots[0]}")
    return report


def _throughput(quick):
    report = Report(
        "throughput, seconds per million users", baseline="fit (simulation), d=5"
    )
    n_sim = 100_000 if quick else 1_000_000
    for d in (5, 20):
        rng = np.random.default_rng(0)
        n_users = 20_000 if d == 20 else 100_000
        if quick:
            n_users //= 10
        X = rng.uniform(-1, 1, (n_users, d))
        y = X[:, 0] + 0.1 * rng.standard_normal(n_users)
        est = LDPSparseLinearRegression(
            4.0, delta=DELTA, tau_x=TAU_X, tau_y=TAU_Y, random_state=0
        )
        scale = 1e6 / n_users
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time_it(lambda est=est, X=X, y=y: est.privatize(X, y), repeat=2)
            reports = est.privatize(X, y)
            t_server = time_it(
                lambda est=est, r=reports: est.fit_from_reports(*r), repeat=2
            )
            X_sim = rng.uniform(-1, 1, (n_sim, d))
            y_sim = X_sim[:, 0]
            t_sim = time_it(lambda est=est, X=X_sim, y=y_sim: est.fit(X, y), repeat=2)
        report.add(f"privatize (all users' clients), d={d}", _scaled(t, scale))
        report.add(f"fit_from_reports (server), d={d}", _scaled(t_server, scale))
        report.add(f"fit (simulation), d={d}", _scaled(t_sim, 1e6 / n_sim))
    report.notes.append(
        "privatize and the server are timed on 1e5 users (2e4 for d=20) and "
        "scaled to 1e6; the simulation draws the users' noise sum in one draw."
    )
    return report


def _scaled(timing, factor):
    return Timing(
        first=timing.first * factor, best=timing.best * factor, repeats=timing.repeats
    )


def _plot(ns, n_curves, norm, epsilons, eps_curves):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - plotting is optional
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for name, errs in n_curves.items():
        axes[0].loglog(ns, errs, "o-", label=name)
    anchor = n_curves["LDP (public covariance)"]
    axes[0].loglog(
        ns,
        anchor[-1] * (np.asarray(ns) / ns[-1]) ** -0.5,
        "k--",
        label="slope -1/2 (theory)",
    )
    axes[0].axhline(norm, color="grey", lw=0.8, label="||coef||_2 (zero estimate)")
    axes[0].set(xlabel="number of users n", ylabel="median l2 error", title="vs n")
    for name, errs in eps_curves.items():
        axes[1].loglog(epsilons, errs, "o-", label=name)
    anchor = eps_curves["LDP (public covariance)"]
    axes[1].loglog(
        epsilons,
        anchor[0] * (np.asarray(epsilons) / epsilons[0]) ** -1.0,
        "k--",
        label="slope -1 (theory)",
    )
    axes[1].axhline(norm, color="grey", lw=0.8)
    axes[1].set(xlabel="epsilon", title="vs epsilon")
    axes[0].legend(fontsize=7)
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "ldp_error.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def run(quick):
    with warnings.catch_warnings():
        # Too-few-users warnings are the point of the small-n rows.
        warnings.simplefilter("ignore", UserWarning)
        report_n, ns, n_curves, norm = _error_vs_n(quick)
        report_eps, epsilons, eps_curves = _error_vs_epsilon(quick)
        report_d = _error_vs_d(quick)
        report_k = _error_vs_k(quick)
        report_real = _real_data(quick)
    report_t = _throughput(quick)
    path = _plot(ns, n_curves, norm, epsilons, eps_curves)
    if path is not None:
        report_n.notes.append(f"plot: {path}")
    shared = (
        "Shared 2-core machine with other jobs running: timings are noisy; "
        "errors are not affected."
    )
    reports = [report_n, report_eps, report_d, report_k, report_real, report_t]
    for report in reports:
        report.notes.append(shared)
    return reports
