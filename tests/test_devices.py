"""Tests of torchprimer.devices: choosing, naming and moving to a device.

Most tests run anywhere. The GPU paths are checked twice: with CUDA faked
(``monkeypatch``) for the names and the errors, and for real where a CUDA GPU
exists (those tests are skipped, with a reason, on a machine without one).
"""

from collections import namedtuple

import pytest
import torch
from torch import nn

from torchprimer.devices import default_device, describe_device, to_device

needs_cuda = pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs a CUDA GPU"
)


@pytest.fixture
def no_cuda(monkeypatch):
    """Pretend this machine has no working CUDA GPU."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


@pytest.fixture
def two_fake_gpus(monkeypatch):
    """Pretend this machine has two GPUs, the second one current."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 1)
    monkeypatch.setattr(
        torch.cuda, "get_device_name", lambda index: f"Fake GPU {index}"
    )


# default_device


def test_default_device_is_the_cpu_without_cuda(no_cuda):
    assert default_device() == torch.device("cpu")


def test_default_device_is_the_gpu_with_cuda(two_fake_gpus):
    assert default_device() == torch.device("cuda")


def test_default_device_follows_this_machine():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert default_device().type == expected


# describe_device


@pytest.mark.parametrize("device", ["cpu", torch.device("cpu"), "meta"])
def test_describe_device_names_other_devices_as_torch_does(device):
    assert describe_device(device) == str(torch.device(device))


@pytest.mark.parametrize(
    ("device", "expected"),
    [
        ("cuda", "cuda:1 (Fake GPU 1)"),  # "cuda" alone: the current GPU
        ("cuda:0", "cuda:0 (Fake GPU 0)"),
        (torch.device("cuda", 1), "cuda:1 (Fake GPU 1)"),
    ],
)
def test_describe_device_names_the_gpu(two_fake_gpus, device, expected):
    assert describe_device(device) == expected


def test_describe_device_rejects_a_gpu_index_too_large(two_fake_gpus):
    with pytest.raises(
        ValueError,
        match=r"cuda:2 is not available: .* 2 CUDA device\(s\), cuda:0 to cuda:1",
    ):
        describe_device("cuda:2")


@pytest.mark.parametrize("device", ["cuda", "cuda:0"])
def test_describe_device_says_when_there_is_no_gpu(no_cuda, device):
    with pytest.raises(
        ValueError,
        match=rf"^{device} is not available: this machine has no working CUDA GPU",
    ):
        describe_device(device)


@pytest.mark.parametrize("device", ["gpu", "cuda:x", ""])
def test_describe_device_rejects_unknown_names(device):
    with pytest.raises(
        ValueError, match=rf"such as 'cpu', 'cuda' or 'cuda:0', got '{device}'$"
    ):
        describe_device(device)


@pytest.mark.parametrize(("device", "type_name"), [(0, "int"), (None, "NoneType")])
def test_describe_device_rejects_other_types(device, type_name):
    with pytest.raises(
        TypeError, match=rf"torch.device or a string .* got {type_name}$"
    ):
        describe_device(device)


@needs_cuda
def test_describe_device_names_a_real_gpu():
    name = torch.cuda.get_device_name(0)
    assert describe_device("cuda:0") == f"cuda:0 ({name})"
    assert describe_device(default_device()).endswith(")")


# to_device


def test_to_device_moves_a_tensor_like_tensor_to():
    x = torch.arange(6.0).reshape(2, 3)
    moved = to_device(x, "cpu")
    expected = x.to("cpu")
    assert moved.device == expected.device
    torch.testing.assert_close(moved, expected)
    assert moved is x  # already there: torch returns the tensor itself


def test_to_device_keeps_the_dtype():
    x = torch.tensor([1, 2, 3])
    assert to_device(x, torch.device("cpu")).dtype == torch.int64


Batch = namedtuple("Batch", ["inputs", "targets"])


def test_to_device_keeps_the_structure():
    a, b, c = torch.ones(2), torch.zeros(3), torch.arange(4)
    data = {"pair": (a, b), "items": [c], "batch": Batch(a, c)}
    moved = to_device(data, "cpu")
    assert set(moved) == {"pair", "items", "batch"}
    assert type(moved["pair"]) is tuple
    assert len(moved["pair"]) == 2
    assert type(moved["items"]) is list
    assert type(moved["batch"]) is Batch
    torch.testing.assert_close(moved["batch"].targets, c)
    torch.testing.assert_close(moved["pair"][1], b)


def test_to_device_moves_a_model_in_place():
    model = nn.Linear(3, 1)
    assert to_device(model, "cpu") is model


@pytest.mark.parametrize(
    ("data", "where", "type_name"),
    [
        (1.5, "data", "float"),
        ([torch.ones(1), "text"], r"data\[1\]", "str"),
        ({"x": torch.ones(1), "y": [None]}, r"data\['y'\]\[0\]", "NoneType"),
    ],
)
def test_to_device_names_what_it_cannot_move(data, where, type_name):
    with pytest.raises(
        TypeError,
        match=rf"^{where} must be a tensor, a model \(nn.Module\), .* got {type_name}$",
    ):
        to_device(data, "cpu")


def test_to_device_says_when_there_is_no_gpu(no_cuda):
    with pytest.raises(ValueError, match="cuda is not available"):
        to_device(torch.ones(2), "cuda")


def test_to_device_rejects_unknown_devices():
    with pytest.raises(ValueError, match="got 'gpu'"):
        to_device(torch.ones(2), "gpu")


@needs_cuda
def test_to_device_moves_to_a_real_gpu():
    x = torch.arange(6.0).reshape(2, 3)
    model = nn.Linear(3, 1)
    moved_model, moved_x = to_device([model, x], "cuda")
    assert moved_model is model
    assert model.weight.device.type == "cuda"
    assert moved_x.device.type == "cuda"
    assert x.device.type == "cpu"  # the original stays where it was
    torch.testing.assert_close(moved_x.cpu(), x)
    torch.testing.assert_close(model(moved_x).cpu(), model.cpu()(x))
