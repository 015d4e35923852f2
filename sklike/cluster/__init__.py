"""sklike.cluster."""

from ._kernel_kmeans import KernelKMeans
from ._kernel_ward import KernelWard

__all__ = ["KernelKMeans", "KernelWard"]
