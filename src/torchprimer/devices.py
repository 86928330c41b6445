"""Devices: where a tensor lives, and one way to pick the device for a lesson.

Used in the lesson "Devices" (``devices.md``) and in every lesson after it.
"""

from __future__ import annotations

import torch

__all__ = ["default_device"]


def default_device() -> torch.device:
    """The device a lesson should run on: the first GPU if CUDA works, else the CPU.

    Every lesson after "Devices" starts with ``device = default_device()`` and
    moves its model and data there with ``.to(device)``, so the same code runs
    on a laptop and on a GPU machine.

    >>> default_device().type in ("cpu", "cuda")
    True
    """
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
