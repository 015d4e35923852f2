"""sklike.cluster."""

from ._ila_sdp import ILASDPClustering
from ._kernel_kmeans import KernelKMeans
from ._kernel_ward import KernelWard
from ._sdp import SDPKMeans

__all__ = ["ILASDPClustering", "KernelKMeans", "KernelWard", "SDPKMeans"]
