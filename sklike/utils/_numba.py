"""Numba defaults and seeding, in one place.

Every jitted kernel in sklike is declared with :data:`jit` so the on-disk cache
is on (the first call compiles, later processes reuse the cache) and the GIL is
released, which lets joblib's threading backend run kernels in parallel.

Numba's random generator is separate from NumPy's and cannot take a
``RandomState``; estimators therefore derive an integer seed from their
``random_state`` with :func:`seed_from_random_state` and pass it to the kernel,
which calls :func:`seed_numba` first.
"""

import functools

import numba
import numpy as np
from sklearn.utils import check_random_state

__all__ = ["jit", "seed_from_random_state", "seed_numba", "spawn_seeds"]

#: ``numba.njit`` with sklike's defaults; use as ``@jit`` or ``@jit(fastmath=True)``.
jit = functools.partial(numba.njit, cache=True, nogil=True)

_MAX_SEED = np.iinfo(np.int32).max


def seed_from_random_state(random_state):
    """Draw one integer seed in ``[0, 2**31 - 1)`` from ``random_state``.

    An int ``random_state`` always gives the same seed, so fits are
    reproducible; ``None`` gives a fresh one.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        The estimator's ``random_state``.

    Returns
    -------
    seed : int
        A seed for :func:`seed_numba` or another generator.

    Examples
    --------
    >>> from sklike.utils._numba import seed_from_random_state
    >>> seed_from_random_state(0) == seed_from_random_state(0)
    True
    """
    return int(check_random_state(random_state).randint(_MAX_SEED))


def spawn_seeds(random_state, n_seeds):
    """Return ``n_seeds`` independent integer seeds derived from ``random_state``.

    Seed ``i`` depends only on ``random_state`` and ``i`` (via
    :class:`numpy.random.SeedSequence`), so work split into chunks gets the same
    random numbers however the chunks are scheduled.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        The estimator's ``random_state``.
    n_seeds : int
        Number of seeds, e.g. one per chunk of work.

    Returns
    -------
    seeds : list of int
        Independent seeds in ``[0, 2**31 - 1)``.

    Examples
    --------
    >>> from sklike.utils._numba import spawn_seeds
    >>> len(spawn_seeds(0, 3)), spawn_seeds(0, 3) == spawn_seeds(0, 3)
    (3, True)
    """
    root = np.random.SeedSequence(seed_from_random_state(random_state))
    return [int(s.generate_state(1)[0] % _MAX_SEED) for s in root.spawn(n_seeds)]


@jit
def seed_numba(seed):
    """Seed Numba's generator (it is per-thread; call inside the same thread)."""
    np.random.seed(seed)  # noqa: NPY002 - Numba only supports the legacy seeding API
