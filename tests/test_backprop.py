"""Tests of torchprimer.backprop: the hand-derived gradients against autograd."""

import itertools

import numpy as np
import pytest
import torch
from torch import nn

from torchprimer.backprop import (
    forward_numpy,
    forward_torch,
    loss_and_gradients_numpy,
    loss_and_gradients_torch,
    numerical_gradient,
    train_numpy,
    train_torch,
)


def _problem(n, d_in, hidden, d_out, seed=0):
    """Inputs, targets and weights drawn as the lesson draws them, in float64."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d_in))
    y = rng.standard_normal((n, d_out))
    w1 = rng.standard_normal((d_in, hidden))
    w2 = rng.standard_normal((hidden, d_out))
    return x, y, w1, w2


@pytest.fixture
def small():
    return _problem(8, 7, 6, 5)


def _as_tensors(*arrays):
    return tuple(torch.from_numpy(array) for array in arrays)


def _autograd_loss_and_gradients(x, y, w1, w2):
    """The same loss through PyTorch's own relu and autograd, in float64."""
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    w1 = torch.from_numpy(w1).clone().requires_grad_()
    w2 = torch.from_numpy(w2).clone().requires_grad_()
    loss = (torch.relu(x @ w1) @ w2 - y).pow(2).sum()
    loss.backward()
    return loss.item(), w1.grad, w2.grad


# Forward passes


def test_forward_numpy_matches_torch_layers(small):
    x, _, w1, w2 = small
    model = nn.Sequential(
        nn.Linear(7, 6, bias=False), nn.ReLU(), nn.Linear(6, 5, bias=False)
    ).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(w1.T))  # nn.Linear stores (out, in)
        model[2].weight.copy_(torch.from_numpy(w2.T))
        expected = model(torch.from_numpy(x))
    h, h_relu, y_pred = forward_numpy(x, w1, w2)
    assert h.shape == h_relu.shape == (8, 6)
    assert (h < 0).any()  # the ReLU has something to cut
    np.testing.assert_array_equal(h_relu, np.where(h > 0, h, 0.0))
    torch.testing.assert_close(torch.from_numpy(y_pred), expected)


def test_forward_torch_matches_forward_numpy(small):
    x, _, w1, w2 = small
    for ours, theirs in zip(
        forward_torch(*_as_tensors(x, w1, w2)), forward_numpy(x, w1, w2), strict=True
    ):
        torch.testing.assert_close(ours, torch.from_numpy(theirs))


# Gradients: by hand, by autograd, by central differences


def test_numpy_gradients_match_autograd(small):
    loss, grad_w1, grad_w2 = loss_and_gradients_numpy(*small)
    expected_loss, expected_w1, expected_w2 = _autograd_loss_and_gradients(*small)
    assert isinstance(loss, float)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    torch.testing.assert_close(torch.from_numpy(grad_w1), expected_w1)
    torch.testing.assert_close(torch.from_numpy(grad_w2), expected_w2)


def test_torch_gradients_match_autograd(small):
    loss, grad_w1, grad_w2 = loss_and_gradients_torch(*_as_tensors(*small))
    expected_loss, expected_w1, expected_w2 = _autograd_loss_and_gradients(*small)
    assert isinstance(loss, float)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    torch.testing.assert_close(grad_w1, expected_w1)
    torch.testing.assert_close(grad_w2, expected_w2)


def test_lesson_sized_gradients_match_autograd():
    problem = _problem(64, 1000, 100, 10)
    _, grad_w1, grad_w2 = loss_and_gradients_numpy(*problem)
    _, expected_w1, expected_w2 = _autograd_loss_and_gradients(*problem)
    torch.testing.assert_close(torch.from_numpy(grad_w1), expected_w1)
    torch.testing.assert_close(torch.from_numpy(grad_w2), expected_w2)


def test_float32_gradients_match_autograd(small):
    x, y, w1, w2 = (tensor.float() for tensor in _as_tensors(*small))
    _, grad_w1, grad_w2 = loss_and_gradients_torch(x, y, w1, w2)
    w1, w2 = w1.requires_grad_(), w2.requires_grad_()
    (forward_torch(x, w1, w2)[2] - y).pow(2).sum().backward()
    assert grad_w1.dtype == torch.float32
    torch.testing.assert_close(grad_w1, w1.grad)
    torch.testing.assert_close(grad_w2, w2.grad)


@pytest.mark.parametrize("library", ["numpy", "torch"])
def test_at_exactly_zero_the_hand_written_relu_passes_the_gradient(small, library):
    """The hand-written backward pass takes the ReLU's derivative at 0 as 1."""
    x, y, w1, w2 = small
    w1 = w1.copy()
    w1[:, 0] = 0.0  # hidden unit 0 gets h == 0 for every example
    if library == "numpy":
        _, grad_w1, _ = loss_and_gradients_numpy(x, y, w1, w2)
        grad_w1 = torch.from_numpy(grad_w1)
    else:
        _, grad_w1, _ = loss_and_gradients_torch(*_as_tensors(x, y, w1, w2))
    w1_t, w2_t = (t.clone().requires_grad_() for t in _as_tensors(w1, w2))
    x_t, y_t = _as_tensors(x, y)
    h = x_t @ w1_t
    # A ReLU whose autograd derivative at 0 is 1, in every torch release.
    h_relu = torch.where(h >= 0, h, 0.0)
    ((h_relu @ w2_t - y_t) ** 2).sum().backward()
    assert grad_w1[:, 0].abs().max() > 0
    torch.testing.assert_close(grad_w1, w1_t.grad)


def test_the_gradient_of_relu_and_clamp_at_zero_as_the_lesson_says():
    """torch.relu stops it; clamp(min=0) lets it through before 2.14 only."""
    relu_input = torch.zeros(1, requires_grad=True)
    torch.relu(relu_input).sum().backward()
    clamp_input = torch.zeros(1, requires_grad=True)
    clamp_input.clamp(min=0).sum().backward()
    release = tuple(int(part) for part in torch.__version__.split(".")[:2])
    assert relu_input.grad.item() == 0.0
    assert clamp_input.grad.item() == (0.0 if release >= (2, 14) else 1.0)


def test_numerical_gradient_matches_hand_gradients(small):
    x, y, w1, w2 = small
    _, grad_w1, grad_w2 = loss_and_gradients_numpy(x, y, w1, w2)
    numeric_w1 = numerical_gradient(
        lambda w: loss_and_gradients_numpy(x, y, w, w2)[0], w1
    )
    numeric_w2 = numerical_gradient(
        lambda w: loss_and_gradients_numpy(x, y, w1, w)[0], w2
    )
    np.testing.assert_allclose(numeric_w1, grad_w1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(numeric_w2, grad_w2, rtol=1e-5, atol=1e-6)


def test_numerical_gradient_matches_autograd_and_leaves_w_alone():
    w = np.random.default_rng(3).standard_normal((3, 4))
    before = w.copy()
    numeric = numerical_gradient(lambda v: float(np.sum(np.sin(v) * v)), w)
    w_t = torch.from_numpy(before).requires_grad_()
    torch.sum(torch.sin(w_t) * w_t).backward()
    np.testing.assert_array_equal(w, before)
    np.testing.assert_allclose(numeric, w_t.grad.numpy(), rtol=1e-6, atol=1e-8)


def test_numerical_gradient_errors():
    with pytest.raises(
        TypeError,
        match=r"w must have a floating-point dtype \(e.g. float64\), got int64",
    ):
        numerical_gradient(lambda w: 0.0, np.array([1, 2]))
    with pytest.raises(TypeError, match="w must be a numpy.ndarray, got list"):
        numerical_gradient(lambda w: 0.0, [1.0])
    with pytest.raises(ValueError, match="eps must be positive, got 0"):
        numerical_gradient(lambda w: 0.0, np.ones(2), eps=0)


# Training


def test_train_numpy_takes_the_same_steps_as_autograd(small):
    x, y, w1, w2 = small
    losses, trained_w1, trained_w2 = train_numpy(x, y, w1, w2, 1e-3, steps=20)
    x_t, y_t = _as_tensors(x, y)
    w1_t, w2_t = (t.clone().requires_grad_() for t in _as_tensors(w1, w2))
    expected = []
    for _ in range(20):
        loss = (torch.relu(x_t @ w1_t) @ w2_t - y_t).pow(2).sum()
        expected.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1_t -= 1e-3 * w1_t.grad
            w2_t -= 1e-3 * w2_t.grad
        w1_t.grad, w2_t.grad = None, None
    np.testing.assert_allclose(losses, expected, rtol=1e-10)
    torch.testing.assert_close(torch.from_numpy(trained_w1), w1_t.detach())
    torch.testing.assert_close(torch.from_numpy(trained_w2), w2_t.detach())


def test_train_numpy_lowers_the_loss_and_leaves_its_inputs_alone(small):
    x, y, w1, w2 = small
    w1_before, w2_before = w1.copy(), w2.copy()
    losses, _, _ = train_numpy(x, y, w1, w2, learning_rate=1e-3, steps=50)
    assert len(losses) == 50
    assert all(later < earlier for earlier, later in itertools.pairwise(losses))
    assert losses[-1] < losses[0] / 10
    np.testing.assert_array_equal(w1, w1_before)
    np.testing.assert_array_equal(w2, w2_before)


def test_train_torch_matches_train_numpy_in_float64(small):
    losses, w1, w2 = train_numpy(*small, learning_rate=1e-3, steps=30)
    tensors = _as_tensors(*small)
    before = [t.clone() for t in tensors]
    losses_t, w1_t, w2_t = train_torch(*tensors, learning_rate=1e-3, steps=30)
    np.testing.assert_allclose(losses_t, losses, rtol=1e-10)
    torch.testing.assert_close(w1_t, torch.from_numpy(w1))
    torch.testing.assert_close(w2_t, torch.from_numpy(w2))
    for tensor, saved in zip(tensors, before, strict=True):
        torch.testing.assert_close(tensor, saved)


def test_train_torch_accepts_weights_that_require_grad(small):
    x, y, w1, w2 = _as_tensors(*small)
    losses, _, _ = train_torch(
        x, y, w1.requires_grad_(), w2.requires_grad_(), learning_rate=1e-3, steps=2
    )
    assert len(losses) == 2
    assert w1.grad is None


def test_a_large_learning_rate_makes_the_loss_grow(small):
    losses, _, _ = train_numpy(*small, learning_rate=0.1, steps=5)
    assert losses[-1] > losses[0]


# Errors that say what was expected and what was given


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        (
            {"w1": (8, 6)},
            (
                r"w1 must have shape \(D_in, H\) with D_in = 7, the columns of x "
                r"\(8, 7\); got shape \(8, 6\)"
            ),
        ),
        (
            {"w2": (5, 5)},
            (
                r"w2 must have shape \(H, D_out\) with H = 6, the columns of w1 "
                r"\(7, 6\); got shape \(5, 5\)"
            ),
        ),
        (
            {"y": (8, 4)},
            r"y must have shape \(N, D_out\) = \(8, 5\), .*; got shape \(8, 4\)",
        ),
        ({"y": (5, 8)}, r"got shape \(5, 8\)"),
        ({"x": (8, 7, 1)}, r"x must be 2-dimensional, got shape \(8, 7, 1\)"),
    ],
)
@pytest.mark.parametrize("library", ["numpy", "torch"])
def test_shape_errors(small, shapes, message, library):
    arguments = dict(zip(("x", "y", "w1", "w2"), small, strict=True))
    for name, shape in shapes.items():
        arguments[name] = np.ones(shape)
    if library == "torch":
        arguments = {name: torch.from_numpy(a) for name, a in arguments.items()}
        functions = (loss_and_gradients_torch, train_torch)
    else:
        functions = (loss_and_gradients_numpy, train_numpy)
    loss_and_gradients, train = functions
    with pytest.raises(ValueError, match=message):
        loss_and_gradients(**arguments)
    with pytest.raises(ValueError, match=message):
        train(**arguments, learning_rate=1e-3, steps=1)


def test_forward_does_not_need_y_but_checks_the_rest(small):
    x, _, w1, w2 = small
    with pytest.raises(ValueError, match=r"w2 must have shape \(H, D_out\)"):
        forward_numpy(x, w1, w1)
    with pytest.raises(ValueError, match=r"w1 must have shape \(D_in, H\)"):
        forward_torch(*_as_tensors(x, w2, w2))


def test_numpy_type_errors(small):
    x, y, w1, w2 = small
    with pytest.raises(TypeError, match="x must be a numpy.ndarray, got Tensor"):
        forward_numpy(torch.from_numpy(x), w1, w2)
    with pytest.raises(TypeError, match="y must have a floating-point dtype .* int64"):
        loss_and_gradients_numpy(x, y.astype(np.int64), w1, w2)


def test_torch_type_errors(small):
    x, y, w1, w2 = _as_tensors(*small)
    with pytest.raises(TypeError, match="w1 must be a torch.Tensor, got ndarray"):
        forward_torch(x, small[2], w2)
    with pytest.raises(TypeError, match="y must have a floating-point dtype"):
        loss_and_gradients_torch(x, y.long(), w1, w2)
    with pytest.raises(
        TypeError,
        match=r"w2 must have the dtype and device of x \(torch.float64 on cpu\), "
        r"got torch.float32 on cpu",
    ):
        loss_and_gradients_torch(x, y, w1, w2.float())
    with pytest.raises(
        TypeError, match="y must have the dtype and device of x .* meta"
    ):
        train_torch(x, y.to("meta"), w1, w2, learning_rate=1e-3, steps=1)


@pytest.mark.parametrize(
    ("learning_rate", "steps", "error", "message"),
    [
        (0.0, 1, ValueError, "learning_rate must be positive, got 0.0"),
        (-1e-6, 1, ValueError, "learning_rate must be positive"),
        ("1e-6", 1, TypeError, "learning_rate must be a number, got str"),
        (1e-6, 0, ValueError, "steps must be at least 1, got 0"),
        (1e-6, 2.0, TypeError, "steps must be an int, got float"),
    ],
)
@pytest.mark.parametrize("train", [train_numpy, train_torch])
def test_training_argument_errors(small, learning_rate, steps, error, message, train):
    arguments = small if train is train_numpy else _as_tensors(*small)
    with pytest.raises(error, match=message):
        train(*arguments, learning_rate=learning_rate, steps=steps)
