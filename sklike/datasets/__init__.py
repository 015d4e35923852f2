"""Synthetic generators and small bundled real datasets (nothing is downloaded)."""

from ._base import get_shared_data_dir
from ._german_credit import load_german_credit
from ._graphs import (
    load_dolphins,
    load_football,
    load_karate,
    load_polbooks,
    make_sbm,
)
from ._heterogeneous_gmm import make_heterogeneous_gmm
from ._ordinal import load_wine_quality, make_relaxed_proportional_odds
from ._power_plant import load_power_plant
from ._seeds import load_seeds

__all__ = [
    "get_shared_data_dir",
    "load_dolphins",
    "load_football",
    "load_german_credit",
    "load_karate",
    "load_polbooks",
    "load_power_plant",
    "load_seeds",
    "load_wine_quality",
    "make_heterogeneous_gmm",
    "make_relaxed_proportional_odds",
    "make_sbm",
]
