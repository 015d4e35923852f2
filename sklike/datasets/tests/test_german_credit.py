import numpy as np
import pytest

from sklike.datasets import load_german_credit


def test_german_credit_matches_the_raw_file(shared_data_dir):
    raw_path = shared_data_dir / "german_credit" / "german.csv"
    if not raw_path.exists():
        pytest.skip("shared german_credit not present")
    raw = np.loadtxt(raw_path, delimiter=",", dtype=str)
    bunch = load_german_credit()
    assert bunch.data.shape == (1000, 61)
    np.testing.assert_array_equal(bunch.target, (raw[:, -1] == "2").astype(int))
    names = bunch.feature_names
    # Numeric attributes are copied, each categorical one is one-hot (rows sum to 1).
    np.testing.assert_array_equal(
        bunch.data[:, names.index("age")], raw[:, 12].astype(float)
    )
    status = [i for i, n in enumerate(names) if n.startswith("personal_status=")]
    np.testing.assert_array_equal(bunch.data[:, status].sum(axis=1), 1.0)
    code = np.array([names[i].split("=")[1] for i in status])[
        bunch.data[:, status].argmax(axis=1)
    ]
    np.testing.assert_array_equal(code, raw[:, 8])
    np.testing.assert_array_equal(
        bunch.sex == "female", np.isin(raw[:, 8], ["A92", "A95"])
    )


def test_german_credit_frames_and_errors():
    X, y = load_german_credit(return_X_y=True, as_frame=True)
    assert (
        list(X.columns) == load_german_credit().feature_names and y.name == "bad_risk"
    )
    cat = load_german_credit(as_frame=True, encode="categorical")
    assert cat.data.shape == (1000, 20) and cat.frame.shape == (1000, 21)
    assert str(cat.data["purpose"].dtype) == "category"
    with pytest.raises(ValueError, match="as_frame"):
        load_german_credit(encode="categorical")
    with pytest.raises(ValueError, match="encode"):
        load_german_credit(encode="ordinal")
