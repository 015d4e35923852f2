"""Computational backends.

NumPy/Numba is the default everywhere.  The torch backend (neural aggregators,
pretrained features, GPU work) lives in :mod:`sklike._backends._torch`, which
imports torch only when a function there is called, so sklike works, and its
test suite passes, without torch installed.
"""

from ._torch import get_torch, resolve_device, to_numpy, torch_generator

__all__ = ["get_torch", "resolve_device", "to_numpy", "torch_generator"]
