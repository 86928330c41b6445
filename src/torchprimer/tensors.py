"""Tensors: their data types, their strides, how a new shape is worked out, and
which shape broadcasting gives.

Used in the lesson "Tensors" (``tensors.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch

from torchprimer._checks import require_int, require_tensor

__all__ = [
    "DtypeInfo",
    "broadcast_shape",
    "contiguous_strides",
    "dtype_table",
    "infer_shape",
    "is_contiguous",
]

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


def _check_shape(shape: object, allow_inferred: bool) -> tuple[int, ...]:
    """Return ``shape`` as a tuple of ints, or raise an error that says why not."""
    if not isinstance(shape, Sequence) or isinstance(shape, str):
        raise TypeError(f"shape must be a sequence of ints, got {type(shape).__name__}")
    for size in shape:
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(
                f"shape must contain ints, got {type(size).__name__} in {shape!r}"
            )
    lowest = -1 if allow_inferred else 0
    if any(size < lowest for size in shape):
        allowed = "sizes >= 0 or -1" if allow_inferred else "sizes >= 0"
        raise ValueError(f"shape must have {allowed}, got {tuple(shape)}")
    return tuple(shape)


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """Strides of a tensor of this shape whose elements are stored row by row.

    The stride of a dimension is how many elements to skip in memory to move
    one step along it. Stored row by row, the last dimension has stride 1 and
    each other one the product of the sizes after it (a size 0 counts as 1,
    as in PyTorch). ``torch.empty(shape).stride()`` gives the same strides.

    Args:
        shape: the sizes of the dimensions, for example ``(4, 4)``.

    >>> contiguous_strides((2, 3, 4))
    (12, 4, 1)
    """
    shape = _check_shape(shape, allow_inferred=False)
    strides = []
    step = 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def is_contiguous(tensor: torch.Tensor) -> bool:
    """Tell whether ``tensor``'s elements lie in memory row by row, without gaps.

    That is when ``view`` can give any shape with the same number of elements.
    A dimension of size 1 is never stepped along, so its stride does not matter;
    a tensor without elements is contiguous. ``Tensor.is_contiguous()`` is the
    built-in equivalent.

    Args:
        tensor: a tensor of any shape.

    >>> matrix = torch.zeros(2, 3)
    >>> is_contiguous(matrix), is_contiguous(matrix.T)
    (True, False)
    """
    require_tensor("tensor", tensor)
    if tensor.numel() == 0:
        return True
    expected = 1
    # From the last dimension on, each stride must be the product of the sizes
    # after it, as contiguous_strides() computes them.
    for size, stride in zip(
        reversed(tensor.shape), reversed(tensor.stride()), strict=True
    ):
        if size == 1:
            continue
        if stride != expected:
            return False
        expected *= size
    return True


def infer_shape(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """Fill in the ``-1`` of ``shape`` the way ``view`` and ``reshape`` do.

    A ``-1`` stands for "whatever size makes the elements fit": ``numel``
    divided by the product of the other sizes.

    Args:
        shape: the requested sizes, at most one of them ``-1``.
        numel: the number of elements of the tensor to reshape.

    Returns:
        The shape with the ``-1`` replaced; its sizes multiply to ``numel``.

    >>> infer_shape((-1, 8), 16)
    (2, 8)
    """
    shape = _check_shape(shape, allow_inferred=True)
    require_int("numel", numel, minimum=0)
    inferred = [index for index, size in enumerate(shape) if size == -1]
    if len(inferred) > 1:
        raise ValueError(f"only one size can be -1, got shape {shape}")
    known = math.prod(size for size in shape if size != -1)
    if not inferred:
        if known != numel:
            raise ValueError(
                f"shape {shape} holds {known} elements, the tensor has {numel}"
            )
        return shape
    if known == 0:
        raise ValueError(
            f"the -1 in shape {shape} is ambiguous: the other sizes hold 0 elements"
        )
    if numel % known != 0:
        raise ValueError(
            f"shape {shape} is invalid for a tensor of {numel} elements: "
            f"{numel} is not a multiple of {known}"
        )
    index = inferred[0]
    return (*shape[:index], numel // known, *shape[index + 1 :])


def broadcast_shape(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The shape of an element-wise result of tensors of shapes ``a`` and ``b``.

    The rules of broadcasting: line the two shapes up from the right; where
    one shape is shorter, its missing dimensions count as size 1; two sizes
    fit if they are equal or one of them is 1, and the result takes the other
    one. ``torch.broadcast_shapes`` is the built-in equivalent.

    Args:
        a, b: the shapes of the two tensors, for example ``(2, 3)`` and ``(3,)``.

    Returns:
        The shape of the result, such as the shape of ``x + y`` for tensors
        ``x`` of shape ``a`` and ``y`` of shape ``b``.

    >>> broadcast_shape((2, 3), (3,)), broadcast_shape((3, 1), (3,))
    ((2, 3), (3, 3))
    """
    a = _check_shape(a, allow_inferred=False)
    b = _check_shape(b, allow_inferred=False)
    ndim = max(len(a), len(b))
    # A missing dimension counts as size 1: pad the shorter shape on the left.
    padded_a = (1,) * (ndim - len(a)) + a
    padded_b = (1,) * (ndim - len(b)) + b
    result = []
    for dim, (size_a, size_b) in enumerate(zip(padded_a, padded_b, strict=True)):
        if size_a == size_b or size_b == 1:
            result.append(size_a)
        elif size_a == 1:
            result.append(size_b)
        else:
            raise ValueError(
                f"shapes {a} and {b} do not broadcast: lined up from the right, "
                f"dimension {dim} has sizes {size_a} and {size_b}, "
                "which are neither equal nor 1"
            )
    return tuple(result)
