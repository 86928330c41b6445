"""Tensors: the data types a tensor can hold and their legacy names.

Used in the lesson "Tensors" (``tensors.md``).
"""

from __future__ import annotations

from typing import NamedTuple

import torch

__all__ = ["DtypeInfo", "dtype_table"]

# The dtypes that old tutorials name by their CPU tensor class
# (torch.FloatTensor, torch.LongTensor, ...), in the order they list them.
_LEGACY_DTYPES = (
    torch.float32,
    torch.float64,
    torch.float16,
    torch.uint8,
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.bool,
)


class DtypeInfo(NamedTuple):
    """One row of :func:`dtype_table`."""

    dtype: torch.dtype
    bits: int
    cpu_type: str
    cuda_type: str


def dtype_table() -> list[DtypeInfo]:
    """List the classic dtypes with their size and legacy tensor-type names.

    Each row is read off a real tensor of that dtype (``Tensor.type()`` and
    ``Tensor.element_size()``), so the table is what this PyTorch reports.
    The CUDA name is the CPU name with ``torch.cuda.`` in place of ``torch.``.

    >>> dtype_table()[0]
    DtypeInfo(dtype=torch.float32, bits=32, cpu_type='torch.FloatTensor', cuda_type='torch.cuda.FloatTensor')
    """
    rows = []
    for dtype in _LEGACY_DTYPES:
        sample = torch.zeros(1, dtype=dtype)
        cpu_type = sample.type()
        rows.append(
            DtypeInfo(
                dtype=dtype,
                bits=8 * sample.element_size(),
                cpu_type=cpu_type,
                cuda_type=cpu_type.replace("torch.", "torch.cuda.", 1),
            )
        )
    return rows
