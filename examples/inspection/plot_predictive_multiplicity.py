"""
=================================================================
Predictive multiplicity: how far can one person's risk move?
=================================================================

Many logistic-regression models reach almost the same training loss. Over all
models whose loss is within 1% of the optimum (the ε-level or "Rashomon" set),
a person's predicted risk ranges over an interval, the *viable prediction
range* (Watson-Daniels, Parkes & Ustun, AAAI 2023).
:class:`~sklike.inspection.LogisticRashomonSet` computes these ranges exactly
(each end certified by a duality gap), on the bundled German credit data.
"""

# %%
# The baseline and its level set
# ------------------------------
# The baseline is scikit-learn's ``LogisticRegression``; ``from_estimator``
# copies ``C`` and polishes the coefficients by Newton's method, because the
# level set is defined relative to the exact optimum.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from sklike.datasets import load_german_credit
from sklike.inspection import (
    LogisticRashomonSet,
    MultiplicityDisplay,
    multiplicity_report,
)

data = load_german_credit()
# Numeric attributes and the checking/savings/history categories only: a
# smaller model keeps the example fast.
keep = [
    i
    for i, name in enumerate(data.feature_names)
    if "=" not in name or name.split("=")[0] in {"checking_status", "credit_history"}
]
X = StandardScaler().fit_transform(data.data[:, keep])
y = data.target
baseline = LogisticRegression().fit(X, y)
rs = LogisticRashomonSet.from_estimator(baseline, X, y, epsilon=0.01)
print(f"{X.shape[1]} features; optimal loss L* = {rs.loss_opt_:.5f}")

# %%
# Viable prediction ranges
# ------------------------
# Each vertical bar is one applicant: the smallest and the largest predicted
# probability of bad credit among all models within 1% of the optimal loss.
sample = np.arange(0, len(y), 4)
display = MultiplicityDisplay.from_estimator(
    rs, X[sample], epsilons=[0.002, 0.005, 0.01, 0.02], deltas=[0.05, 0.1]
)
plt.show()

# %%
# Ambiguity and discrepancy by group
# ----------------------------------
# Ambiguity: the share of applicants whose risk can move by at least δ.
# Discrepancy: the largest share a *single* competing model moves; it is a
# mixed-integer problem, so a lower bound (from the extremal models found) and
# the ambiguity as upper bound are reported.
report = multiplicity_report(
    rs, X[sample], epsilons=[0.01], deltas=[0.1], groups=data.sex[sample]
)
print(report[["group", "n_samples", "ambiguity", "discrepancy_lower", "mean_width"]])

# %%
# Wider ranges where data are thin
# --------------------------------
# The range of the logit grows with the leverage of the point,
# ``x^T H^{-1} x``: applicants unlike most of the data get wider ranges.
ranges = rs.viable_prediction_range(X[sample])
H_inv = np.linalg.inv(rs.hessian_)
Xa = np.column_stack([X[sample], np.ones(len(sample))])
leverage = np.einsum("ij,jk,ik->i", Xa, H_inv, Xa)
width = np.log(ranges[:, 1] / (1 - ranges[:, 1])) - np.log(
    ranges[:, 0] / (1 - ranges[:, 0])
)
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.loglog(leverage, width, ".", alpha=0.6)
ax.set(xlabel="leverage x^T H^{-1} x", ylabel="logit range width")
plt.show()
