"""Local randomizers and their noise calibration.

Two mechanisms are used by the local-DP regressors:

* the **Gaussian mechanism** on a vector with known :math:`\\ell_2` sensitivity
  :math:`\\Delta`, calibrated either with the classical bound
  :math:`\\sigma = \\Delta\\sqrt{2\\ln(1.25/\\delta)}/\\varepsilon` or with the
  *analytic* Gaussian mechanism of Balle & Wang (2018), which finds the
  smallest :math:`\\sigma` meeting the exact privacy profile;
* the **l2-ball mechanism** of Duchi, Jordan & Wainwright (2018), a pure
  :math:`\\varepsilon`-LDP, unbiased randomizer for vectors of norm at most
  :math:`r`.

All noise is drawn from a :class:`numpy.random.Generator` passed in by the
caller, so that estimators stay reproducible under an integer ``random_state``.
"""

import math
import warnings

import numpy as np
from scipy.optimize import brentq
from scipy.special import gammaln, log_ndtr

__all__ = [
    "calibrate_gaussian",
    "classical_gaussian_sigma",
    "analytic_gaussian_sigma",
    "gaussian_delta",
    "l2_ball_scale",
    "l2_ball_randomize",
]


def gaussian_delta(sigma, sensitivity, epsilon):
    """Exact :math:`\\delta(\\varepsilon)` of the Gaussian mechanism.

    Theorem 8 of Balle & Wang (2018): adding :math:`N(0, \\sigma^2 I)` to a
    function of :math:`\\ell_2` sensitivity :math:`\\Delta` is
    :math:`(\\varepsilon, \\delta)`-DP if and only if
    :math:`\\delta \\ge \\Phi(\\Delta/2\\sigma - \\varepsilon\\sigma/\\Delta)
    - e^{\\varepsilon}\\Phi(-\\Delta/2\\sigma - \\varepsilon\\sigma/\\Delta)`.

    Parameters
    ----------
    sigma : float
        Noise standard deviation (per coordinate).
    sensitivity : float
        :math:`\\ell_2` sensitivity of the released vector.
    epsilon : float
        Privacy parameter.

    Returns
    -------
    delta : float
        The smallest :math:`\\delta` for which the mechanism is
        :math:`(\\varepsilon, \\delta)`-DP.
    """
    ratio = sensitivity / sigma
    a = ratio / 2.0 - epsilon / ratio
    b = -ratio / 2.0 - epsilon / ratio
    # e^eps * Phi(b) in log space: both terms underflow separately for large eps.
    first = math.exp(log_ndtr(a))
    second = math.exp(min(epsilon + log_ndtr(b), 700.0))
    return max(first - second, 0.0)


def classical_gaussian_sigma(sensitivity, epsilon, delta):
    """Classical calibration :math:`\\Delta\\sqrt{2\\ln(1.25/\\delta)}/\\varepsilon`.

    Dwork & Roth (2014), Theorem A.1; proven only for :math:`\\varepsilon < 1`.
    """
    return sensitivity * math.sqrt(2.0 * math.log(1.25 / delta)) / epsilon


def analytic_gaussian_sigma(sensitivity, epsilon, delta):
    """Smallest :math:`\\sigma` with :func:`gaussian_delta` :math:`\\le \\delta`.

    The analytic Gaussian mechanism of Balle & Wang (2018): a root search on
    the exact privacy profile (decreasing in :math:`\\sigma`), valid for every
    :math:`\\varepsilon > 0`.
    """

    def excess(log_sigma):
        return gaussian_delta(math.exp(log_sigma), sensitivity, epsilon) - delta

    low = math.log(sensitivity) - 60.0
    high = math.log(sensitivity) + 60.0
    # Privacy loss is monotone in sigma: excess(low) > 0 > excess(high).
    log_sigma = brentq(excess, low, high, xtol=1e-12, rtol=1e-12, maxiter=500)
    sigma = math.exp(log_sigma)
    # brentq may stop a hair below the root; step up until the bound holds.
    while gaussian_delta(sigma, sensitivity, epsilon) > delta:
        sigma *= 1.0 + 1e-12
    return sigma


def calibrate_gaussian(sensitivity, epsilon, delta, method="gaussian"):
    """Noise scale of a Gaussian mechanism that is :math:`(\\varepsilon,\\delta)`-DP.

    Parameters
    ----------
    sensitivity : float
        :math:`\\ell_2` sensitivity.
    epsilon, delta : float
        Privacy budget.
    method : {"gaussian", "analytic_gaussian"}
        ``"gaussian"`` uses the classical formula; where that formula does not
        actually give :math:`(\\varepsilon,\\delta)`-DP (it is only proven for
        :math:`\\varepsilon < 1` and fails for large :math:`\\varepsilon`),
        the analytic scale is used instead and a ``UserWarning`` says so.
        ``"analytic_gaussian"`` always uses the exact, smallest scale.

    Returns
    -------
    sigma : float
    """
    if method == "analytic_gaussian":
        return analytic_gaussian_sigma(sensitivity, epsilon, delta)
    sigma = classical_gaussian_sigma(sensitivity, epsilon, delta)
    if gaussian_delta(sigma, sensitivity, epsilon) > delta:
        warnings.warn(
            f"The classical Gaussian calibration is not (epsilon={epsilon:g}, "
            f"delta={delta:g})-DP (it is only proven for epsilon < 1); using the "
            "analytic Gaussian scale instead. Pass noise='analytic_gaussian' to "
            "silence this warning.",
            UserWarning,
            stacklevel=3,
        )
        sigma = analytic_gaussian_sigma(sensitivity, epsilon, delta)
    return sigma


def l2_ball_scale(n_features, radius, epsilon):
    """Norm :math:`B` of every output of the l2-ball mechanism.

    :math:`B = r / (c_d \\tanh(\\varepsilon/2))` with
    :math:`c_d = \\Gamma(d/2) / (\\sqrt{\\pi}\\,\\Gamma((d+1)/2))`, the mean of
    :math:`|z_1|` for :math:`z` uniform on the unit sphere of
    :math:`\\mathbb{R}^d`.
    """
    d = n_features
    log_c = gammaln(d / 2.0) - gammaln((d + 1) / 2.0) - 0.5 * math.log(math.pi)
    return radius / (math.exp(log_c) * math.tanh(epsilon / 2.0))


def l2_ball_randomize(vectors, radius, epsilon, rng):
    """Privatize each row with the l2-ball mechanism (pure epsilon-LDP).

    Duchi, Jordan & Wainwright (2018), eq. (6) of Zhu et al. (2024).  For a row
    :math:`v` with :math:`\\|v\\|_2 \\le r`:

    1. :math:`\\hat v = \\pm r v/\\|v\\|` with :math:`P(+) = 1/2 + \\|v\\|/2r`
       (a random direction when :math:`v = 0`), so
       :math:`E[\\hat v] = v`;
    2. :math:`z` uniform on the unit sphere, sign-flipped so that
       :math:`\\langle z, \\hat v\\rangle > 0` with probability
       :math:`e^\\varepsilon/(e^\\varepsilon + 1)`;
    3. output :math:`B z` with :math:`B` from :func:`l2_ball_scale`, which
       makes the output unbiased for :math:`v`.

    The output density on the sphere of radius :math:`B` takes only two values
    whose ratio is :math:`e^\\varepsilon`, whatever :math:`v` is.

    Parameters
    ----------
    vectors : ndarray of shape (n, d)
        One row per user.  Rows longer than ``radius`` are scaled back onto
        the ball (they cannot occur when the caller's bound is right).
    radius : float
        :math:`r`.
    epsilon : float
        Privacy parameter.
    rng : numpy.random.Generator

    Returns
    -------
    reports : ndarray of shape (n, d)
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    n, d = vectors.shape
    norms = np.linalg.norm(vectors, axis=1)
    over = norms > radius
    if np.any(over):
        vectors = vectors.copy()
        vectors[over] *= (radius / norms[over])[:, None]
        norms = np.minimum(norms, radius)
    # One block of uniforms and one of normals keeps each user's randomness in
    # its own row, so a report depends only on that user's vector.
    uniforms = rng.random((n, 2))
    directions = rng.standard_normal((n, d))
    fallback = rng.standard_normal((n, d))
    zero = norms == 0
    unit = np.empty_like(vectors)
    unit[~zero] = vectors[~zero] / norms[~zero, None]
    if np.any(zero):
        fallback_zero = fallback[zero]
        unit[zero] = fallback_zero / np.linalg.norm(fallback_zero, axis=1)[:, None]
    keep_sign = np.where(uniforms[:, 0] < 0.5 + norms / (2.0 * radius), 1.0, -1.0)
    unit *= keep_sign[:, None]
    directions /= np.linalg.norm(directions, axis=1)[:, None]
    p_same_side = 1.0 / (1.0 + math.exp(-epsilon)) if epsilon < 700 else 1.0
    wanted_side = np.where(uniforms[:, 1] < p_same_side, 1.0, -1.0)
    side = np.sign(np.einsum("ij,ij->i", directions, unit))
    side[side == 0] = 1.0
    directions *= (wanted_side * side)[:, None]
    return l2_ball_scale(d, radius, epsilon) * directions
