"""Devices: where a tensor lives, and one way to pick the device for a lesson.

Used in the lesson "Devices" (``devices.md``) and in every lesson after it;
:func:`to_device`, which also moves models, in the lesson "nn and optim"
(``nn_and_optim.md``, section "On a GPU").
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

__all__ = ["default_device", "describe_device", "to_device"]


def default_device() -> torch.device:
    """The device a lesson should run on: the first GPU if CUDA works, else the CPU.

    Every lesson after "Devices" starts with ``device = default_device()`` and
    moves its model and data there with ``.to(device)``, so the same code runs
    on a laptop and on a GPU machine.

    >>> default_device().type in ("cpu", "cuda")
    True
    """
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _as_device(device: torch.device | str) -> torch.device:
    """Turn ``"cpu"``, ``"cuda:0"``, ... into a ``torch.device``, or say what is wrong."""
    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise TypeError(
            "device must be a torch.device or a string such as 'cpu' or 'cuda:0', "
            f"got {type(device).__name__}"
        )
    try:
        return torch.device(device)
    except RuntimeError:
        raise ValueError(
            "device must name a device such as 'cpu', 'cuda' or 'cuda:0', "
            f"got {device!r}"
        ) from None


def _require_available(device: torch.device) -> None:
    """Raise a ``ValueError`` if ``device`` is a GPU this machine does not have."""
    if device.type != "cuda":
        return
    if not torch.cuda.is_available():
        raise ValueError(
            f"{device} is not available: this machine has no working CUDA GPU "
            "(torch.cuda.is_available() is False); "
            "default_device() picks a device that exists"
        )
    count = torch.cuda.device_count()
    if device.index is not None and device.index >= count:
        raise ValueError(
            f"{device} is not available: this machine has {count} CUDA device(s), "
            f"cuda:0 to cuda:{count - 1}"
        )


def describe_device(device: torch.device | str) -> str:
    """Name a device for display: ``"cpu"``, or ``"cuda:0 (<name of the GPU>)"``.

    A GPU is named with its index (``"cuda"`` alone means the current GPU, so
    its index is looked up) and the model name CUDA reports for it. Any other
    device is shown as ``str(device)``.

    Args:
        device: a ``torch.device`` or a string such as ``"cpu"`` or ``"cuda:0"``.

    Returns:
        A short, human-readable description of the device.

    >>> describe_device("cpu")
    'cpu'
    """
    device = _as_device(device)
    if device.type != "cuda":
        return str(device)
    _require_available(device)
    index = torch.cuda.current_device() if device.index is None else device.index
    return f"cuda:{index} ({torch.cuda.get_device_name(index)})"


def to_device(data: Any, device: torch.device | str) -> Any:
    """Move tensors and models to ``device``, also inside lists, tuples and dicts.

    Tensors are copied to the device (a tensor already there is returned as
    it is) and the originals stay where they were. A model (``nn.Module``) is
    moved in place: ``nn.Module.to`` moves its parameters and returns the same
    model. Lists, tuples (named tuples too) and dicts keep their structure.

    Args:
        data: a tensor, a model, or a (nested) list, tuple or dict of them,
            for example a batch ``(inputs, targets)``.
        device: a ``torch.device`` or a string such as ``"cpu"`` or ``"cuda:0"``.

    Returns:
        ``data`` with every tensor and model on ``device``.

    >>> batch = {"x": torch.ones(2, 3), "y": torch.zeros(2)}
    >>> moved = to_device(batch, "cpu")
    >>> moved["x"].device, moved["y"].device
    (device(type='cpu'), device(type='cpu'))
    """
    device = _as_device(device)
    _require_available(device)
    return _move(data, device, "data")


def _move(data: Any, device: torch.device, where: str) -> Any:
    """Move ``data`` to ``device``; ``where`` names it in error messages."""
    if isinstance(data, (torch.Tensor, nn.Module)):
        return data.to(device)
    if isinstance(data, dict):
        return {
            key: _move(value, device, f"{where}[{key!r}]")
            for key, value in data.items()
        }
    if isinstance(data, (list, tuple)):
        moved = [_move(value, device, f"{where}[{i}]") for i, value in enumerate(data)]
        if isinstance(data, list):
            return moved
        if hasattr(data, "_fields"):  # a named tuple
            return type(data)(*moved)
        return tuple(moved)
    raise TypeError(
        f"{where} must be a tensor, a model (nn.Module), or a list, tuple or dict "
        f"of them, got {type(data).__name__}"
    )
