"""The Statlog German credit data (Hofmann, 1994; UCI, CC BY 4.0), bundled."""

import numpy as np

from ._base import _bundled_path

__all__ = ["load_german_credit"]

#: Attribute names (OpenML ``credit-g`` spelling) in file order.
_COLUMNS = [
    "checking_status",
    "duration",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings_status",
    "employment",
    "installment_commitment",
    "personal_status",
    "other_parties",
    "residence_since",
    "property_magnitude",
    "age",
    "other_payment_plans",
    "housing",
    "existing_credits",
    "job",
    "num_dependents",
    "own_telephone",
    "foreign_worker",
]
_NUMERIC = {
    "duration",
    "credit_amount",
    "installment_commitment",
    "residence_since",
    "age",
    "existing_credits",
    "num_dependents",
}
#: personal_status codes of women (A92: divorced/separated/married, A95: single).
_FEMALE_CODES = {"A92", "A95"}


def load_german_credit(*, return_X_y=False, as_frame=False, encode="onehot"):
    """The Statlog (German Credit Data) set: 1000 loans, 300 bad risks.

    Twenty attributes of loan applicants at a German bank (7 numeric, 13
    categorical, coded ``A11``... as in the UCI file; ``german.names`` in the
    UCI archive explains the codes) and whether the credit risk was bad
    (``target = 1``, 30%) or good (``0``).  A standard risk-assessment
    benchmark for predictive multiplicity and fairness studies.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    as_frame : bool, default=False
        Return a pandas DataFrame (``X``) and Series (``y``).
    encode : {"onehot", "categorical"}, default="onehot"
        ``"onehot"``: categorical attributes one-hot encoded (one 0/1 column
        per code, named ``attribute=code``), numeric attributes unchanged:
        61 float columns.  ``"categorical"``: the 20 original attributes,
        categorical ones as pandas ``category`` columns (needs
        ``as_frame=True``).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        ``data``, ``target`` (1 = bad risk), ``feature_names``,
        ``target_names`` (``["good", "bad"]``), ``sex`` (``"female"`` /
        ``"male"``, derived from ``personal_status``), ``age``, ``frame``
        (when ``as_frame``) and ``DESCR``.

    References
    ----------
    .. [1] H. Hofmann, "Statlog (German Credit Data)", UCI Machine Learning
       Repository, 1994, https://doi.org/10.24432/C5NC77 (CC BY 4.0).

    Examples
    --------
    >>> from sklike.datasets import load_german_credit
    >>> X, y = load_german_credit(return_X_y=True)
    >>> X.shape, int(y.sum())
    ((1000, 61), 300)
    """
    import pandas as pd
    from sklearn.utils import Bunch

    if encode not in ("onehot", "categorical"):
        raise ValueError(f"encode must be 'onehot' or 'categorical'; got {encode!r}.")
    if encode == "categorical" and not as_frame:
        raise ValueError(
            "encode='categorical' keeps string categories and needs as_frame=True."
        )
    raw = pd.read_csv(
        _bundled_path("german_credit.csv"), header=None, names=[*_COLUMNS, "risk"]
    )
    y = (raw.pop("risk") == 2).astype(np.int64).to_numpy()
    sex = np.where(raw["personal_status"].isin(_FEMALE_CODES), "female", "male")
    age = raw["age"].to_numpy()
    for col in _COLUMNS:
        if col not in _NUMERIC:
            raw[col] = raw[col].astype("category")
    if encode == "onehot":
        parts = []
        for col in _COLUMNS:
            if col in _NUMERIC:
                parts.append(raw[[col]].astype(float))
            else:
                dummies = pd.get_dummies(raw[col], prefix=col, prefix_sep="=")
                parts.append(dummies.astype(float))
        frame = pd.concat(parts, axis=1)
    else:
        frame = raw
    feature_names = list(frame.columns)
    if as_frame:
        X = frame
        target = pd.Series(y, name="bad_risk")
        full = frame.assign(bad_risk=y)
    else:
        X = frame.to_numpy(dtype=float)
        target = y
        full = None
    if return_X_y:
        return X, target
    return Bunch(
        data=X,
        target=target,
        frame=full,
        feature_names=feature_names,
        target_names=["good", "bad"],
        sex=sex,
        age=age,
        DESCR=load_german_credit.__doc__,
    )
