"""Torch backend helpers; torch is imported lazily, only when one is called."""

from typing import TYPE_CHECKING

from sklearn.utils import check_random_state

from ..utils._optional import import_optional

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import torch  # noqa: F401

__all__ = ["get_torch", "resolve_device", "to_numpy", "torch_generator"]


def get_torch():
    """Return the ``torch`` module or raise an ImportError naming ``sklike[torch]``."""
    return import_optional("torch", extra="torch", purpose="for backend='torch'")


def resolve_device(device):
    """Turn the ``device`` parameter into a ``torch.device``.

    ``None`` means CPU: sklike never picks a GPU on its own.  Asking for CUDA
    where none is available raises a ValueError instead of failing later
    inside torch.
    """
    torch = get_torch()
    if device is None:
        return torch.device("cpu")
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={str(device)!r} was requested but torch sees no CUDA device; "
            "use device='cpu' or None."
        )
    return device


def torch_generator(random_state, device=None):
    """A ``torch.Generator`` seeded from ``random_state`` (int, RandomState, None)."""
    torch = get_torch()
    seed = int(check_random_state(random_state).randint(2**31 - 1))
    gen = torch.Generator(device=resolve_device(device))
    gen.manual_seed(seed)
    return gen


def to_numpy(tensor):
    """Detach, move to CPU and convert to NumPy (what estimators store)."""
    return tensor.detach().cpu().numpy()
