"""Torch backend helpers (skipped when torch is not installed)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from sklike._backends import resolve_device, to_numpy, torch_generator  # noqa: E402


def test_none_means_cpu_never_a_gpu():
    assert resolve_device(None).type == "cpu"


def test_generator_reproducible_from_random_state():
    a = torch.randn(4, generator=torch_generator(0))
    b = torch.randn(4, generator=torch_generator(0))
    c = torch.randn(4, generator=torch_generator(1))
    np.testing.assert_array_equal(to_numpy(a), to_numpy(b))
    assert not np.allclose(to_numpy(a), to_numpy(c))


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_request_without_cuda_is_a_clear_error():
    with pytest.raises(ValueError, match="no CUDA device"):
        resolve_device("cuda")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_generator_and_round_trip():
    assert resolve_device("cuda").type == "cuda"
    draws = [
        torch.randn(8, generator=torch_generator(seed, device="cuda"), device="cuda")
        for seed in (0, 0, 1)
    ]
    assert all(d.device.type == "cuda" for d in draws)
    host = [to_numpy(d) for d in draws]
    assert isinstance(host[0], np.ndarray) and host[0].dtype == np.float32
    np.testing.assert_array_equal(host[0], host[1])  # random_state reproduces
    assert not np.allclose(host[0], host[2])
    np.testing.assert_array_equal(host[0], draws[0].cpu().numpy())
