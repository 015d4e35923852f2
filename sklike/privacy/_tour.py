"""Tour entry: local-DP regression on the bundled power-plant data vs Lasso."""

import time
import warnings

import numpy as np

from .._tour._registry import TourEntry, TourResult, pyplot, save_figure

# Public, data-free scaling: round physical operating ranges of a gas/steam
# plant (ambient temperature 0-40 C, exhaust vacuum 25-85 cm Hg, pressure
# 1013 +- 25 mbar, humidity 30-100 %, output 410-500 MW), not statistics of
# the data.  Features then lie in about [-1, 1], so tau_x = tau_y = 1.
_CENTER = np.array([20.0, 55.0, 1013.0, 65.0])
_HALF_RANGE = np.array([20.0, 30.0, 25.0, 35.0])
_Y_CENTER, _Y_HALF_RANGE = 455.0, 45.0


def _run(quick, outdir):
    from sklearn.linear_model import Lasso
    from sklearn.metrics import r2_score
    from sklearn.model_selection import train_test_split

    from ..datasets import load_power_plant
    from . import LDPIHTRegressor, LDPSparseLinearRegression

    X, y = load_power_plant(return_X_y=True)
    X = (X - _CENTER) / _HALF_RANGE
    y = (y - _Y_CENTER) / _Y_HALF_RANGE
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0
    )
    # LDP needs many users: each training row stands for many users (a
    # bootstrap), as a country-wide survey would have.
    n_users = 10**6 if quick else 10**7
    rng = np.random.default_rng(0)
    users = rng.integers(0, len(X_train), n_users)
    X_users, y_users = X_train[users], y_train[users]
    X_public = X_test[:500]  # unlabeled rows, e.g. from a public sensor log
    epsilons = [8.0] if quick else [1.0, 2.0, 4.0, 8.0]
    common = dict(delta=1e-8, tau_x=1.0, tau_y=1.0, fit_intercept=True, random_state=0)

    start = time.perf_counter()
    baseline = Lasso(alpha=1e-4).fit(X_train, y_train)
    baseline_seconds = time.perf_counter() - start
    baseline_r2 = r2_score(y_test, baseline.predict(X_test))

    curves = {"private covariance": [], "public covariance": [], "LDP-IHT": []}
    seconds = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # too-few-users warnings
        for epsilon in epsilons:
            models = {
                "private covariance": (
                    LDPSparseLinearRegression(epsilon, **common),
                    {},
                ),
                "public covariance": (
                    LDPSparseLinearRegression(epsilon, covariance="public", **common),
                    {"X_public": X_public},
                ),
                "LDP-IHT": (
                    LDPIHTRegressor(
                        epsilon,
                        n_nonzero=2,
                        keep_factor=1,
                        tau_x=1.0,
                        tau_y=1.0,
                        random_state=0,
                    ),
                    {},
                ),
            }
            for name, (model, extra) in models.items():
                start = time.perf_counter()
                model.fit(X_users, y_users, **extra)
                seconds[name, epsilon] = time.perf_counter() - start
                curves[name].append(r2_score(y_test, model.predict(X_test)))

    plt = pyplot()

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for name, r2 in curves.items():
        ax.plot(epsilons, r2, "o-", label=f"{name} (LDP)")
    ax.axhline(baseline_r2, color="k", ls="--", label="Lasso (non-private)")
    ax.set(
        xscale="log",
        xlabel="epsilon per user",
        ylabel="test R^2",
        ylim=(min(-0.1, *(min(c) for c in curves.values())), 1.0),
        title=f"Power plant, {n_users:.0e} users (bootstrapped)",
    )
    ax.legend(fontsize=7)
    path = save_figure(fig, outdir, "privacy_ldp_power_plant.png")

    best = epsilons[-1]
    note = (
        ", ".join(f"{name}: R2 {curves[name][-1]:.3f}" for name in curves)
        + f" at epsilon={best:g}, delta=1e-8; private covariance needs more users"
    )
    return TourResult(
        score=float(curves["public covariance"][-1]),
        baseline_score=float(baseline_r2),
        fit_seconds=seconds["public covariance", best],
        baseline_fit_seconds=baseline_seconds,
        plots=[path],
        note=note,
    )


TOUR_ENTRIES = [
    TourEntry(
        name="ldp_regression",
        method="LDPSparseLinearRegression (public covariance, epsilon=8)",
        dataset="power plant (UCI), users bootstrapped",
        metric="test R^2 (higher is better)",
        baseline="Lasso (non-private)",
        run=_run,
    )
]
