"""The only module of sklike that imports private scikit-learn helpers.

scikit-learn keeps ``_fit_context``, the parameter-validation machinery and a
few validation helpers private, and moves them between releases.  Importing
them here, once, means a scikit-learn upgrade breaks one file, not every
estimator.  Supported range: scikit-learn >= 1.6.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils._tags import (
    ClassifierTags,
    InputTags,
    RegressorTags,
    Tags,
    TargetTags,
    TransformerTags,
)
from sklearn.utils.validation import _num_samples, check_is_fitted, validate_data

__all__ = [
    "ClassifierTags",
    "HasMethods",
    "Hidden",
    "InputTags",
    "Interval",
    "Options",
    "RealNotInt",
    "RegressorTags",
    "StrOptions",
    "Tags",
    "TargetTags",
    "TransformerTags",
    "_fit_context",
    "_num_samples",
    "check_is_fitted",
    "validate_data",
    "validate_params",
]
