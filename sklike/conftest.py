"""Pytest configuration shared by all sklike tests."""

import pytest

# ``python -m sklike`` runs the CLI on import; doctest collection must not.
collect_ignore = ["__main__.py"]


@pytest.fixture(scope="session")
def shared_data_dir():
    """The shared real-data folder, or skip the test when it is absent."""
    from sklike.datasets import get_shared_data_dir

    path = get_shared_data_dir()
    if path is None:
        pytest.skip("shared data folder not found (set SKLIKE_SHARED_DATA)")
    return path
