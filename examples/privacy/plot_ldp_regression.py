"""
==================================================
Sparse regression under local differential privacy
==================================================

Every user holds one row ``(x, y)`` and sends the server a single noisy
message; the server never sees raw data.
:class:`~sklike.privacy.LDPSparseLinearRegression` recovers a sparse
coefficient vector from those messages alone.  We compare it, with the
covariance estimated privately or from public unlabeled rows, to the
non-private :class:`~sklearn.linear_model.Lasso`, and show how the error falls
with the number of users.
"""

# %%
# Simulated users
# ---------------
# One million users with 6 features uniform on [-1, 1] (so the clipping level
# ``tau_x = 1`` is exact public knowledge) and 2 non-zero coefficients.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import Lasso

from sklike.privacy import LDPSparseLinearRegression

rng = np.random.default_rng(0)
n_users, n_features = 1_000_000, 6
coef = np.array([0.5, -0.5, 0.0, 0.0, 0.0, 0.0])
X = rng.uniform(-1, 1, (n_users, n_features))
y = X @ coef + 0.1 * rng.standard_normal(n_users)
X_public = rng.uniform(-1, 1, (50_000, n_features))  # unlabeled, public

# %%
# The protocol, split as in a deployment
# --------------------------------------
# ``privatize`` is what each device runs; ``fit_from_reports`` is the server,
# which only keeps running sums, so reports can arrive in chunks.
est = LDPSparseLinearRegression(
    epsilon=4.0, delta=1e-8, tau_x=1.0, tau_y=1.5, random_state=0
)
chunks = [est.privatize(X[i : i + 100_000], y[i : i + 100_000]) for i in (0, 100_000)]
xx, xy = est.privatize(X[:3], y[:3])
print("one user's x x^T report:\n", xx[0].round(1))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # 2e5 users are too few here
    est.fit_from_reports([c[0] for c in chunks], [c[1] for c in chunks])
print("coef from 200,000 users' reports:", est.coef_.round(2))

# %%
# Private vs public covariance vs no privacy
# -------------------------------------------
# ``fit`` simulates the protocol for all one million users at once.
fits = {
    "LDP, private covariance": LDPSparseLinearRegression(
        4.0, delta=1e-8, tau_x=1.0, tau_y=1.5, random_state=0
    ).fit(X, y),
    "LDP, public covariance": LDPSparseLinearRegression(
        4.0, delta=1e-8, tau_x=1.0, tau_y=1.5, covariance="public", random_state=0
    ).fit(X, y, X_public=X_public),
    "Lasso (no privacy)": Lasso(alpha=1e-3).fit(X, y),
}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
width = 0.2
positions = np.arange(n_features)
axes[0].bar(positions - 1.5 * width, coef, width, label="true", color="k")
for i, (name, model) in enumerate(fits.items()):
    axes[0].bar(positions + (i - 0.5) * width, model.coef_, width, label=name)
axes[0].set(xlabel="feature", ylabel="coefficient", title="epsilon = 4, n = 1e6")
axes[0].legend(fontsize=7)

# %%
# Error against the number of users
# ---------------------------------
# The theory predicts an error falling like ``1 / sqrt(n)``.  Below a few
# hundred thousand users the private-covariance estimate is thresholded to
# zero (its error is then ``||coef||_2``).
sizes = [30_000, 100_000, 300_000, 1_000_000]
errors = {"LDP, private covariance": [], "LDP, public covariance": []}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    for n in sizes:
        for name, covariance in [
            ("LDP, private covariance", "private"),
            ("LDP, public covariance", "public"),
        ]:
            model = LDPSparseLinearRegression(
                4.0,
                delta=1e-8,
                tau_x=1.0,
                tau_y=1.5,
                covariance=covariance,
                random_state=1,
            ).fit(X[:n], y[:n], X_public=X_public)
            errors[name].append(np.linalg.norm(model.coef_ - coef))
for name, errs in errors.items():
    axes[1].loglog(sizes, errs, "o-", label=name)
reference = errors["LDP, public covariance"]
axes[1].loglog(
    sizes,
    reference[-1] * (np.array(sizes) / sizes[-1]) ** -0.5,
    "k--",
    label="slope -1/2",
)
axes[1].axhline(np.linalg.norm(coef), color="grey", lw=0.8, label="zero estimate")
axes[1].set(xlabel="number of users", ylabel="l2 error", title="error vs n")
axes[1].legend(fontsize=7)
fig.tight_layout()
plt.show()
