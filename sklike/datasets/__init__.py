"""Synthetic generators and small bundled real datasets (nothing is downloaded)."""

from ._base import get_shared_data_dir

__all__ = ["get_shared_data_dir"]
