"""The NumPy bridge: when a tensor and an array are two views of one memory.

Used in the lessons "Tensors" (``tensors.md``) and "The NumPy bridge"
(``numpy_bridge.md``).
"""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["shares_memory"]


def _as_array(name: str, value: object) -> np.ndarray:
    """View ``value`` as a NumPy array without copying it."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, torch.Tensor):
        if value.device.type != "cpu":
            raise ValueError(
                f"{name} must live on the CPU to compare memory with NumPy, "
                f"got a tensor on {value.device}"
            )
        # detach() and resolve_conj()/resolve_neg() never copy a plain tensor;
        # numpy() on the result is a view of the tensor's own memory.
        return value.detach().numpy()
    raise TypeError(
        f"{name} must be a torch.Tensor or a numpy.ndarray, got {type(value).__name__}"
    )


def shares_memory(a: torch.Tensor | np.ndarray, b: torch.Tensor | np.ndarray) -> bool:
    """Tell whether ``a`` and ``b`` (tensors or arrays) use some of the same memory.

    When this is ``True``, writing into one in place changes the other.

    Args:
        a, b: CPU tensors or NumPy arrays of any shape.

    >>> t = torch.zeros(4)
    >>> shares_memory(t, t.view(2, 2)), shares_memory(t, t.clone())
    (True, False)
    >>> shares_memory(t, t.numpy())
    True
    """
    return bool(np.shares_memory(_as_array("a", a), _as_array("b", b)))
