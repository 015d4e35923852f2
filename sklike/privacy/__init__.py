"""Learning under local differential privacy.

Each user randomizes their own data before it leaves their device; the
estimators here learn from those randomized reports only.
"""

from ..exceptions import PrivacyLeakWarning
from ._ldp_iht import LDPIHTRegressor
from ._ldp_regression import LDPSparseLinearRegression

__all__ = ["LDPIHTRegressor", "LDPSparseLinearRegression", "PrivacyLeakWarning"]
