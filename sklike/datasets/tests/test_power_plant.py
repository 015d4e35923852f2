import numpy as np
import pytest

from sklike.datasets import load_power_plant


def test_load_power_plant_matches_the_uci_copy(shared_data_dir):
    folder = shared_data_dir / "uci_regression" / "power-plant"
    if not folder.is_dir():
        pytest.skip("shared UCI power-plant copy not available")
    raw = np.loadtxt(folder / "data.txt")
    X, y = load_power_plant(return_X_y=True)
    np.testing.assert_array_equal(X, raw[:, :4])
    np.testing.assert_array_equal(y, raw[:, 4])


def test_load_power_plant_bunch_and_frame():
    bunch = load_power_plant()
    assert bunch.data.shape == (9568, 4) and bunch.target.shape == (9568,)
    assert bunch.feature_names == ["AT", "V", "AP", "RH"]
    assert np.isfinite(bunch.data).all()
    X, y = load_power_plant(return_X_y=True, as_frame=True)
    assert list(X.columns) == bunch.feature_names and y.name == "PE"
    np.testing.assert_array_equal(X.to_numpy(), bunch.data)
    # the documented fact: a linear model explains about 93% of the variance
    A = np.c_[bunch.data, np.ones(len(y))]
    resid = y.to_numpy() - A @ np.linalg.lstsq(A, y.to_numpy(), rcond=None)[0]
    r2 = 1 - resid.var() / y.var(ddof=0)
    assert 0.92 < r2 < 0.94
