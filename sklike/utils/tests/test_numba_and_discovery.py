"""Numba seeding helpers and public-name discovery."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from sklike.utils._numba import jit, seed_from_random_state, seed_numba, spawn_seeds
from sklike.utils.discovery import all_displays, all_estimators, all_functions


@jit
def _draw(seed, n):
    seed_numba(seed)
    out = np.empty(n)
    for i in range(n):
        out[i] = np.random.normal()  # noqa: NPY002 - Numba's own generator
    return out


def test_same_random_state_same_numba_stream():
    a = _draw(seed_from_random_state(3), 5)
    b = _draw(seed_from_random_state(3), 5)
    c = _draw(seed_from_random_state(4), 5)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_seed_from_random_state_accepts_generator_and_none():
    rs = np.random.RandomState(0)
    first, second = seed_from_random_state(rs), seed_from_random_state(rs)
    assert first != second  # a RandomState advances
    assert 0 <= seed_from_random_state(None) < 2**31 - 1


def test_spawned_seeds_are_distinct_and_stable():
    seeds = spawn_seeds(7, 8)
    assert len(set(seeds)) == 8
    assert seeds == spawn_seeds(7, 8)
    assert spawn_seeds(7, 3) == seeds[:3]  # chunk i's seed does not depend on count


def test_discovery_lists_only_public_sklike_objects():
    for name, cls in all_estimators():
        assert not name.startswith("_")
        assert issubclass(cls, BaseEstimator)
        assert cls.__module__.startswith("sklike.")
    names = [n for n, _ in all_functions()]
    assert "check_sample_weight" in names and "all_estimators" in names
    assert all(n.endswith("Display") for n, _ in all_displays())
    with pytest.raises(ValueError, match="type_filter"):
        all_estimators(type_filter="nonsense")
