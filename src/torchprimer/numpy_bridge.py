"""The NumPy bridge: when a tensor and an array are two views of one memory.

Used in the lessons "Tensors" (``tensors.md``) and "The NumPy bridge"
(``numpy_bridge.md``).
"""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["shares_memory"]

# NumPy has no bfloat16 or float8; for comparing memory only the bytes matter,
# so such tensors are looked at as integers of the same size.
_SAME_SIZE_INTEGER = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}


def _as_array(name: str, value: object) -> np.ndarray:
    """View ``value`` as a NumPy array of the same memory, without copying it."""
    if isinstance(value, np.ndarray):
        return value
    if not isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor or a numpy.ndarray, "
            f"got {type(value).__name__}"
        )
    if value.device.type != "cpu":
        raise ValueError(
            f"{name} must live on the CPU to compare memory with NumPy, "
            f"got a tensor on {value.device}"
        )
    if value.layout != torch.strided:
        raise ValueError(f"{name} must be a dense (strided) tensor, got {value.layout}")
    # A plain tensor over the same bytes with the same shape and strides: no
    # autograd history, and none of the lazy conj()/neg() flags numpy() refuses.
    plain = torch.empty(0, dtype=value.dtype).set_(
        value.untyped_storage(), value.storage_offset(), value.shape, value.stride()
    )
    try:
        return plain.numpy()
    except TypeError:  # a dtype NumPy lacks, such as torch.bfloat16
        return plain.view(_SAME_SIZE_INTEGER[plain.element_size()]).numpy()


def shares_memory(a: torch.Tensor | np.ndarray, b: torch.Tensor | np.ndarray) -> bool:
    """Tell whether ``a`` and ``b`` (tensors or arrays) use some of the same memory.

    When this is ``True``, writing into one in place changes the other.

    Args:
        a, b: CPU tensors or NumPy arrays of any shape and dtype.

    >>> t = torch.zeros(4)
    >>> shares_memory(t, t.view(2, 2)), shares_memory(t, t.clone())
    (True, False)
    >>> shares_memory(t, t.numpy())
    True
    """
    return bool(np.shares_memory(_as_array("a", a), _as_array("b", b)))
