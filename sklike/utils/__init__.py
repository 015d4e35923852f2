"""Utilities: discovery, estimator checks, validation and version information."""

from ._show_versions import show_versions
from .discovery import all_displays, all_estimators, all_functions

__all__ = ["all_displays", "all_estimators", "all_functions", "show_versions"]
