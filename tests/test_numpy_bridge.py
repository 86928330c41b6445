"""Tests of torchprimer.numpy_bridge: shares_memory against what writes really do."""

import numpy as np
import pytest
import torch

from torchprimer.numpy_bridge import shares_memory


def _writes_show_through(a, b) -> bool:
    """The behavioural definition: does writing into ``a`` change ``b``?"""
    before = np.array(b, copy=True) if isinstance(b, np.ndarray) else b.clone()
    a[...] = 12345
    after = b
    if isinstance(before, np.ndarray):
        return not np.array_equal(before, after)
    return not torch.equal(before, after)


def _pairs():
    """(description, factory) pairs; each factory builds a fresh (a, b) pair."""

    def from_numpy():
        array = np.zeros(4)
        return array, torch.from_numpy(array)

    def tensor_to_numpy():
        tensor = torch.zeros(4)
        return tensor, tensor.numpy()

    def as_tensor_same_dtype():
        array = np.zeros(4)
        return array, torch.as_tensor(array)

    def as_tensor_new_dtype():
        array = np.zeros(4)
        return array, torch.as_tensor(array, dtype=torch.float32)

    def torch_tensor_copies():
        array = np.zeros(4)
        return array, torch.tensor(array)

    def float_conversion():
        tensor = torch.zeros(4, dtype=torch.float64)
        return tensor, tensor.float()

    def astype():
        array = np.zeros(4)
        return array, array.astype(np.float32)

    def view():
        tensor = torch.zeros(4)
        return tensor, tensor.view(2, 2)

    def clone():
        tensor = torch.zeros(4)
        return tensor, tensor.clone()

    def detach_numpy():
        tensor = torch.zeros(4, requires_grad=True)
        return tensor.detach(), tensor.detach().numpy()

    return [
        ("from_numpy", from_numpy, True),
        ("tensor.numpy()", tensor_to_numpy, True),
        ("as_tensor", as_tensor_same_dtype, True),
        ("as_tensor float32", as_tensor_new_dtype, False),
        ("torch.tensor", torch_tensor_copies, False),
        (".float()", float_conversion, False),
        ("astype", astype, False),
        ("view", view, True),
        ("clone", clone, False),
        ("detach().numpy()", detach_numpy, True),
    ]


@pytest.mark.parametrize(
    ("factory", "expected"),
    [pytest.param(factory, expected, id=name) for name, factory, expected in _pairs()],
)
def test_agrees_with_what_writes_do(factory, expected):
    a, b = factory()
    assert shares_memory(a, b) is expected
    assert shares_memory(b, a) is expected
    a, b = factory()
    assert _writes_show_through(a, b) is expected


def test_lesson_mul_changes_the_array():
    rng = np.random.default_rng(7)
    a = rng.random((4, 3))
    b = torch.from_numpy(a)
    expected = a * 2
    assert shares_memory(a, b)
    b.mul_(2)
    np.testing.assert_array_equal(a, expected)
    assert b.dtype == torch.float64


def test_rebinding_is_not_a_write():
    a = np.ones(5)
    b = torch.from_numpy(a)
    a = a + 1
    assert not shares_memory(a, b)
    torch.testing.assert_close(b, torch.ones(5, dtype=torch.float64))


def test_slices_that_do_not_overlap_share_nothing():
    t = torch.arange(6.0)
    assert shares_memory(t[:3], t[2:])
    assert not shares_memory(t[:3], t[3:])
    # Interleaved slices span the same bytes but never touch the same element.
    assert not shares_memory(t[::2], t[1::2])
    assert shares_memory(t[::2], t[2::2])


def test_agrees_with_numpy_for_two_arrays():
    x = np.arange(12.0).reshape(3, 4)
    for a, b in [(x, x.T), (x[0], x[1]), (x[:, 0], x[0]), (x, x.copy())]:
        assert shares_memory(a, b) == np.shares_memory(a, b)


def test_agrees_with_storage_pointers_for_two_tensors():
    t = torch.zeros(2, 3)
    for other in (t.T, t[1], t.reshape(6), t.contiguous(), t.T.contiguous(), t + 0):
        same_storage = (
            other.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()
        )
        assert shares_memory(t, other) == same_storage


def test_tensor_that_requires_grad_needs_no_detach():
    w = torch.ones(3, requires_grad=True)
    assert shares_memory(w, w.detach().numpy())
    assert not shares_memory(w, w * 1)
    # The argument itself is left as it was.
    assert w.requires_grad
    assert w.grad_fn is None


def test_lazy_conjugate_and_negative_views():
    c = torch.zeros(3, dtype=torch.complex64)
    assert c.conj().is_conj()
    assert shares_memory(c, c.conj())
    assert c.conj().imag.is_neg()
    assert shares_memory(c, c.conj().imag)
    assert not shares_memory(c.real, c.imag)


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float8_e4m3fn, torch.bool])
def test_dtypes_numpy_lacks_or_that_are_one_byte(dtype):
    t = torch.zeros(4, dtype=dtype)
    assert shares_memory(t, t[1:])
    assert not shares_memory(t[:2], t[2:])
    assert not shares_memory(t, t.clone())


def test_empty_tensors_share_nothing():
    t = torch.zeros(0)
    assert not shares_memory(t, t)


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ([1.0], np.zeros(1), "a must be a torch.Tensor or a numpy.ndarray, got list"),
        (np.zeros(1), 3.0, "b must be a torch.Tensor or a numpy.ndarray, got float"),
        (
            torch.zeros(1),
            (0,),
            "b must be a torch.Tensor or a numpy.ndarray, got tuple",
        ),
    ],
)
def test_type_error_names_argument_and_type(a, b, message):
    with pytest.raises(TypeError, match=message):
        shares_memory(a, b)


def test_value_error_names_the_device():
    on_meta = torch.zeros(3, device="meta")
    with pytest.raises(
        ValueError,
        match="a must live on the CPU to compare memory with NumPy, "
        "got a tensor on meta",
    ):
        shares_memory(on_meta, np.zeros(3))
    with pytest.raises(
        ValueError, match="b must live on the CPU .* got a tensor on meta"
    ):
        shares_memory(np.zeros(3), on_meta)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_value_error_for_a_gpu_tensor():
    on_gpu = torch.zeros(3, device="cuda")
    with pytest.raises(ValueError, match=r"got a tensor on cuda:0"):
        shares_memory(on_gpu, on_gpu.cpu())


def test_value_error_for_sparse_tensors():
    sparse = torch.zeros(3).to_sparse()
    with pytest.raises(
        ValueError, match=r"a must be a dense \(strided\) tensor, got torch.sparse_coo"
    ):
        shares_memory(sparse, np.zeros(3))
