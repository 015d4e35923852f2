"""Synthetic generators and small bundled real datasets (nothing is downloaded)."""

from ._base import get_shared_data_dir
from ._ordinal import load_wine_quality, make_relaxed_proportional_odds
from ._power_plant import load_power_plant

__all__ = [
    "get_shared_data_dir",
    "load_power_plant",
    "load_wine_quality",
    "make_relaxed_proportional_odds",
]
