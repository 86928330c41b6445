"""Tests of torchprimer.tensors: hand-written rules against PyTorch's own."""

import math

import pytest
import torch

from torchprimer.tensors import (
    DtypeInfo,
    broadcast_shape,
    contiguous_strides,
    dtype_table,
    infer_shape,
    is_contiguous,
)

# dtype_table


def test_dtype_table_rows_match_real_tensors():
    rows = dtype_table()
    assert all(isinstance(row, DtypeInfo) for row in rows)
    for row in rows:
        sample = torch.ones(2, dtype=row.dtype)
        assert sample.type() == row.cpu_type
        assert row.bits == 8 * sample.element_size()
        assert row.cuda_type == "torch.cuda." + row.cpu_type.removeprefix("torch.")


def test_dtype_table_has_the_legacy_names():
    names = {row.dtype: row.cpu_type for row in dtype_table()}
    assert names[torch.float32] == "torch.FloatTensor"
    assert names[torch.float64] == "torch.DoubleTensor"
    assert names[torch.int64] == "torch.LongTensor"
    assert names[torch.uint8] == "torch.ByteTensor"
    # The legacy class constructs a tensor of the dtype the table gives.
    for row in dtype_table():
        legacy_class = getattr(torch, row.cpu_type.removeprefix("torch."))
        assert legacy_class([1]).dtype == row.dtype


def test_dtype_table_floating_rows_are_the_floating_dtypes():
    floating = {row.dtype for row in dtype_table() if row.dtype.is_floating_point}
    assert floating == {torch.float16, torch.float32, torch.float64}


# contiguous_strides

SHAPES = [(), (5,), (4, 4), (2, 3, 4), (3, 1, 2), (2, 0, 3), (1, 1), (7, 2, 1, 5)]


@pytest.mark.parametrize("shape", SHAPES)
def test_contiguous_strides_match_a_fresh_tensor(shape):
    assert contiguous_strides(shape) == torch.empty(shape).stride()


def test_contiguous_strides_by_hand():
    # Moving one row of a (3, 4) matrix skips its 4 columns.
    assert contiguous_strides((3, 4)) == (4, 1)
    assert contiguous_strides(torch.Size([2, 5, 6])) == (30, 6, 1)


def test_contiguous_strides_rejects_negative_sizes():
    with pytest.raises(ValueError, match=r"sizes >= 0, got \(2, -1\)"):
        contiguous_strides((2, -1))


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        (4, "shape must be a sequence of ints, got int"),
        ("44", "shape must be a sequence of ints, got str"),
        ((2.0, 3), r"shape must contain ints, got float in \(2.0, 3\)"),
        ((True, 3), "shape must contain ints, got bool"),
    ],
)
def test_contiguous_strides_type_errors(shape, message):
    with pytest.raises(TypeError, match=message):
        contiguous_strides(shape)


# is_contiguous

_base = torch.arange(24.0).view(2, 3, 4)
TENSORS = {
    "fresh": _base,
    "transposed": _base.transpose(1, 2),
    "permuted back": _base.permute(2, 0, 1).permute(1, 2, 0),
    "row slice": _base[1],
    "column slice": _base[:, :, 1],
    "every other": _base[:, :, ::2],
    "expanded": torch.zeros(3, 1).expand(3, 4),
    "size-1 dimension": torch.zeros(4, 1, 3).transpose(0, 1),
    "empty": torch.zeros(0, 3).T,
    "scalar": torch.tensor(2.0),
    "transposed then contiguous": _base.transpose(0, 2).contiguous(),
}


@pytest.mark.parametrize("name", TENSORS)
def test_is_contiguous_matches_torch(name):
    tensor = TENSORS[name]
    assert is_contiguous(tensor) == tensor.is_contiguous()


def test_is_contiguous_is_when_view_flattens():
    for tensor in TENSORS.values():
        try:
            flat = tensor.view(-1)
        except RuntimeError:
            assert not is_contiguous(tensor)
        else:
            assert flat.numel() == tensor.numel()


def test_is_contiguous_by_hand():
    matrix = torch.zeros(3, 4)
    assert is_contiguous(matrix)
    assert not is_contiguous(matrix.T)
    # reshape() keeps the (4, 3) view as it is, but flattening it must copy.
    assert not is_contiguous(matrix.T.reshape(4, 3))
    assert is_contiguous(matrix.T.reshape(12))


def test_is_contiguous_rejects_non_tensors():
    with pytest.raises(TypeError, match="tensor must be a torch.Tensor, got list"):
        is_contiguous([[1, 2], [3, 4]])


# infer_shape


@pytest.mark.parametrize(
    ("shape", "numel"),
    [
        ((-1, 8), 16),
        ((16,), 16),
        ((-1,), 16),
        ((2, -1, 2), 16),
        ((4, -1), 0),
        ((-1, 3), 0),
        ((), 1),
        ((1, -1, 1), 5),
    ],
)
def test_infer_shape_matches_view(shape, numel):
    expected = tuple(torch.empty(numel).view(shape).shape)
    assert infer_shape(shape, numel) == expected
    assert math.prod(infer_shape(shape, numel)) == numel


def test_infer_shape_by_hand():
    assert infer_shape((-1, 8), 16) == (2, 8)
    assert infer_shape([3, -1], 12) == (3, 4)


@pytest.mark.parametrize(
    ("shape", "numel", "message"),
    [
        (
            (-1, 5),
            16,
            (
                r"\(-1, 5\) is invalid for a tensor of 16 elements: "
                r"16 is not a multiple of 5"
            ),
        ),
        ((3, 5), 16, r"shape \(3, 5\) holds 15 elements, the tensor has 16"),
        ((-1, -1), 16, r"only one size can be -1, got shape \(-1, -1\)"),
        ((-1, 0), 0, r"the -1 in shape \(-1, 0\) is ambiguous"),
        ((4, -2), 16, r"sizes >= 0 or -1, got \(4, -2\)"),
    ],
)
def test_infer_shape_errors_match_where_view_fails(shape, numel, message):
    with pytest.raises(RuntimeError):
        torch.empty(numel).view(shape)
    with pytest.raises(ValueError, match=message):
        infer_shape(shape, numel)


@pytest.mark.parametrize(
    ("numel", "error", "message"),
    [
        (-1, ValueError, "numel must be at least 0, got -1"),
        (2.0, TypeError, "numel must be an int, got float"),
        (True, TypeError, "numel must be an int, got bool"),
    ],
)
def test_infer_shape_rejects_bad_numel(numel, error, message):
    with pytest.raises(error, match=message):
        infer_shape((-1,), numel)


# broadcast_shape

BROADCASTING = [
    ((2, 3), (3,)),
    ((3,), (2, 3)),
    ((2, 3), (2, 1)),
    ((3, 1), (3,)),
    ((3, 1), (1, 4)),
    ((5, 1, 4), (3, 1)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((0,), (1,)),
    ((1, 0), (3, 1)),
    ((4, 1, 1), (1, 1)),
]


@pytest.mark.parametrize(("a", "b"), BROADCASTING)
def test_broadcast_shape_matches_torch(a, b):
    expected = tuple(torch.broadcast_shapes(a, b))
    assert broadcast_shape(a, b) == expected
    # ... and the shape of a real element-wise result.
    assert tuple((torch.zeros(a) + torch.zeros(b)).shape) == expected


def test_broadcast_shape_by_hand():
    # A (n, 1) column against a (n,) vector: every pair, an (n, n) matrix.
    assert broadcast_shape((4, 1), (4,)) == (4, 4)
    assert broadcast_shape(torch.Size([2, 1]), [1, 5]) == (2, 5)
    assert broadcast_shape((2, 3), (2, 3)) == (2, 3)


@pytest.mark.parametrize(
    ("a", "b"), [((2, 3), (2,)), ((3,), (4,)), ((2, 4, 3), (5, 1))]
)
def test_broadcast_shape_errors_where_torch_fails(a, b):
    with pytest.raises(RuntimeError):
        torch.broadcast_shapes(a, b)
    with pytest.raises(ValueError, match="do not broadcast"):
        broadcast_shape(a, b)


def test_broadcast_shape_error_names_the_dimension():
    message = (
        r"shapes \(2, 3\) and \(2,\) do not broadcast: lined up from the right, "
        r"dimension 1 has sizes 3 and 2, which are neither equal nor 1"
    )
    with pytest.raises(ValueError, match=message):
        broadcast_shape((2, 3), (2,))


@pytest.mark.parametrize(
    ("a", "b", "error", "message"),
    [
        (3, (3,), TypeError, "shape must be a sequence of ints, got int"),
        ((3,), (2.0,), TypeError, "shape must contain ints, got float"),
        ((-1, 3), (3,), ValueError, r"sizes >= 0, got \(-1, 3\)"),
    ],
)
def test_broadcast_shape_rejects_bad_shapes(a, b, error, message):
    with pytest.raises(error, match=message):
        broadcast_shape(a, b)
