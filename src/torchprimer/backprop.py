"""Backpropagation by hand: a two-layer ReLU network and its gradients, written out.

The network has no biases: ``y_pred = relu(x @ w1) @ w2``, and its loss is the
sum of squared errors ``sum((y_pred - y) ** 2)``. Each step is written twice,
once with NumPy arrays and once with PyTorch tensors, and the gradients are
derived by hand (no autograd). A central-difference check tells whether they
are right.

Used in the lesson "Backpropagation by hand" (``backprop_by_hand.md``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from torchprimer._checks import (
    require_floating,
    require_int,
    require_ndim,
    require_tensor,
)

__all__ = [
    "forward_numpy",
    "forward_torch",
    "loss_and_gradients_numpy",
    "loss_and_gradients_torch",
    "numerical_gradient",
    "train_numpy",
    "train_torch",
]


# Argument checks: first what each argument is, then whether the shapes fit.


def _require_array(name: str, value: object, ndim: int | None = 2) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(value).__name__}")
    if not np.issubdtype(value.dtype, np.floating):
        raise TypeError(
            f"{name} must have a floating-point dtype (e.g. float64), got {value.dtype}"
        )
    if ndim is not None and value.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {value.shape}")
    return value


def _check_shapes(x, w1, w2, y=None) -> None:
    """Check that ``x (N, D_in) @ w1 (D_in, H) @ w2 (H, D_out)`` fits ``y (N, D_out)``."""
    n, d_in = x.shape
    if w1.shape[0] != d_in:
        raise ValueError(
            f"w1 must have shape (D_in, H) with D_in = {d_in}, the columns of x "
            f"{tuple(x.shape)}; got shape {tuple(w1.shape)}"
        )
    hidden = w1.shape[1]
    if w2.shape[0] != hidden:
        raise ValueError(
            f"w2 must have shape (H, D_out) with H = {hidden}, the columns of w1 "
            f"{tuple(w1.shape)}; got shape {tuple(w2.shape)}"
        )
    if y is not None and tuple(y.shape) != (n, w2.shape[1]):
        raise ValueError(
            f"y must have shape (N, D_out) = {(n, w2.shape[1])}, the rows of x "
            f"{tuple(x.shape)} and the columns of w2 {tuple(w2.shape)}; "
            f"got shape {tuple(y.shape)}"
        )


def _check_arrays(**arrays: object) -> None:
    for name, value in arrays.items():
        _require_array(name, value)
    _check_shapes(**arrays)


def _check_tensors(**tensors: object) -> None:
    for name, value in tensors.items():
        require_ndim(name, require_floating(name, require_tensor(name, value)), 2)
    x = tensors["x"]
    for name, value in tensors.items():
        if value.dtype != x.dtype or value.device != x.device:
            raise TypeError(
                f"{name} must have the dtype and device of x ({x.dtype} on "
                f"{x.device}), got {value.dtype} on {value.device}"
            )
    _check_shapes(**tensors)


def _check_training(learning_rate: object, steps: object) -> None:
    if not isinstance(learning_rate, int | float) or isinstance(learning_rate, bool):
        raise TypeError(
            f"learning_rate must be a number, got {type(learning_rate).__name__}"
        )
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    require_int("steps", steps, minimum=1)


# NumPy: arrays know nothing about gradients, so every derivative is ours.


def forward_numpy(
    x: np.ndarray, w1: np.ndarray, w2: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward pass of the two-layer ReLU network with NumPy arrays.

    Args:
        x: the inputs, one row per example, shape ``(N, D_in)``.
        w1: the weights of the hidden layer, shape ``(D_in, H)``.
        w2: the weights of the output layer, shape ``(H, D_out)``.

    Returns:
        ``(h, h_relu, y_pred)``: the hidden layer before and after the ReLU,
        both ``(N, H)``, and the prediction ``(N, D_out)``. The backward pass
        needs all three.

    >>> x = np.array([[1.0, -1.0]])
    >>> w1 = np.array([[1.0, 2.0], [3.0, 1.0]])
    >>> forward_numpy(x, w1, w2=np.ones((2, 1)))
    (array([[-2.,  1.]]), array([[0., 1.]]), array([[1.]]))
    """
    _check_arrays(x=x, w1=w1, w2=w2)
    h = x @ w1  # (N, H)
    h_relu = np.maximum(h, 0)  # (N, H)
    y_pred = h_relu @ w2  # (N, D_out)
    return h, h_relu, y_pred


def loss_and_gradients_numpy(
    x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """The loss ``sum((y_pred - y) ** 2)`` and its gradients, derived by hand.

    Runs the forward pass, then the backward pass: the chain rule applied from
    the loss back to each weight matrix, one layer at a time.

    Args:
        x: the inputs, shape ``(N, D_in)``.
        y: the targets, shape ``(N, D_out)``.
        w1: shape ``(D_in, H)``.
        w2: shape ``(H, D_out)``.

    Returns:
        ``(loss, grad_w1, grad_w2)``: the loss as a float and its gradients
        with respect to ``w1`` and ``w2``, each of the shape of its weight.

    >>> x, y = np.array([[1.0, -1.0], [1.0, 1.0]]), np.array([[3.0], [5.0]])
    >>> w1 = np.array([[1.0, 2.0], [3.0, 1.0]])
    >>> loss, grad_w1, grad_w2 = loss_and_gradients_numpy(x, y, w1, np.ones((2, 1)))
    >>> loss
    8.0
    >>> grad_w1
    array([[4., 0.],
           [4., 8.]])
    >>> grad_w2
    array([[16.],
           [ 8.]])
    """
    _check_arrays(x=x, y=y, w1=w1, w2=w2)
    h, h_relu, y_pred = forward_numpy(x, w1, w2)
    loss = float(np.square(y_pred - y).sum())

    # Backward pass: from the loss back to each weight, reusing h and h_relu.
    grad_y_pred = 2.0 * (y_pred - y)  # (N, D_out)
    grad_w2 = h_relu.T @ grad_y_pred  # (H, N) @ (N, D_out) -> (H, D_out)
    grad_h_relu = grad_y_pred @ w2.T  # (N, D_out) @ (D_out, H) -> (N, H)
    grad_h = grad_h_relu.copy()
    grad_h[h < 0] = 0  # where the ReLU cut h to 0, no gradient flows back
    grad_w1 = x.T @ grad_h  # (D_in, N) @ (N, H) -> (D_in, H)
    return loss, grad_w1, grad_w2


def train_numpy(
    x: np.ndarray,
    y: np.ndarray,
    w1: np.ndarray,
    w2: np.ndarray,
    learning_rate: float,
    steps: int,
) -> tuple[list[float], np.ndarray, np.ndarray]:
    """Train the network by gradient descent with the hand-derived gradients.

    Each step computes the loss and the gradients, then moves each weight a
    little against its gradient: ``w -= learning_rate * grad_w``. The arrays
    passed in are left as they are; the loop updates copies.

    Args:
        x: the inputs, shape ``(N, D_in)``.
        y: the targets, shape ``(N, D_out)``.
        w1: the starting weights of the hidden layer, shape ``(D_in, H)``.
        w2: the starting weights of the output layer, shape ``(H, D_out)``.
        learning_rate: the size of each step, a positive number.
        steps: how many updates to make, at least 1.

    Returns:
        ``(losses, w1, w2)``: the loss of every step (``losses[t]`` is the
        loss before update ``t``) and the trained weights.

    >>> x, y = np.array([[1.0, -1.0], [1.0, 1.0]]), np.array([[3.0], [5.0]])
    >>> w1 = np.array([[1.0, 2.0], [3.0, 1.0]])
    >>> losses, w1, w2 = train_numpy(x, y, w1, np.ones((2, 1)), 0.02, steps=3)
    >>> [round(loss, 4) for loss in losses]
    [8.0, 4.1031, 3.2717]
    """
    _check_arrays(x=x, y=y, w1=w1, w2=w2)
    _check_training(learning_rate, steps)
    w1, w2 = w1.copy(), w2.copy()
    losses = []
    for _ in range(steps):
        loss, grad_w1, grad_w2 = loss_and_gradients_numpy(x, y, w1, w2)
        losses.append(loss)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return losses, w1, w2


# PyTorch tensors: the same arithmetic, on any device, still without autograd.


def forward_torch(
    x: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Forward pass of the two-layer ReLU network with PyTorch tensors.

    Args:
        x: the inputs, shape ``(N, D_in)``.
        w1: shape ``(D_in, H)``.
        w2: shape ``(H, D_out)``. All three of one dtype, on one device.

    Returns:
        ``(h, h_relu, y_pred)``, shapes ``(N, H)``, ``(N, H)``, ``(N, D_out)``.

    >>> x = torch.tensor([[1.0, -1.0]])
    >>> w1 = torch.tensor([[1.0, 2.0], [3.0, 1.0]])
    >>> forward_torch(x, w1, w2=torch.ones(2, 1))
    (tensor([[-2.,  1.]]), tensor([[0., 1.]]), tensor([[1.]]))
    """
    _check_tensors(x=x, w1=w1, w2=w2)
    h = x.mm(w1)  # (N, H)
    h_relu = h.clamp(min=0)  # (N, H)
    y_pred = h_relu.mm(w2)  # (N, D_out)
    return h, h_relu, y_pred


def loss_and_gradients_torch(
    x: torch.Tensor, y: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor
) -> tuple[float, torch.Tensor, torch.Tensor]:
    """The loss and its hand-derived gradients, with PyTorch tensors.

    The same formulas as :func:`loss_and_gradients_numpy`, with the names of
    the tensor methods.

    Args:
        x: the inputs, shape ``(N, D_in)``.
        y: the targets, shape ``(N, D_out)``.
        w1: shape ``(D_in, H)``.
        w2: shape ``(H, D_out)``. All four of one dtype, on one device.

    Returns:
        ``(loss, grad_w1, grad_w2)``: the loss as a Python float, the
        gradients as tensors of the shapes of ``w1`` and ``w2``.

    >>> x = torch.tensor([[1.0, -1.0], [1.0, 1.0]])
    >>> y = torch.tensor([[3.0], [5.0]])
    >>> w1 = torch.tensor([[1.0, 2.0], [3.0, 1.0]])
    >>> loss, grad_w1, grad_w2 = loss_and_gradients_torch(x, y, w1, torch.ones(2, 1))
    >>> loss
    8.0
    >>> grad_w1
    tensor([[4., 0.],
            [4., 8.]])
    >>> grad_w2
    tensor([[16.],
            [ 8.]])
    """
    _check_tensors(x=x, y=y, w1=w1, w2=w2)
    h, h_relu, y_pred = forward_torch(x, w1, w2)
    loss = (y_pred - y).pow(2).sum().item()

    # Backward pass, as in NumPy: .t() transposes, .clone() copies.
    grad_y_pred = 2.0 * (y_pred - y)  # (N, D_out)
    grad_w2 = h_relu.t().mm(grad_y_pred)  # (H, D_out)
    grad_h_relu = grad_y_pred.mm(w2.t())  # (N, H)
    grad_h = grad_h_relu.clone()  # (N, H)
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)  # (D_in, H)
    return loss, grad_w1, grad_w2


def train_torch(
    x: torch.Tensor,
    y: torch.Tensor,
    w1: torch.Tensor,
    w2: torch.Tensor,
    learning_rate: float,
    steps: int,
) -> tuple[list[float], torch.Tensor, torch.Tensor]:
    """Train the network by gradient descent with the hand-derived gradients.

    Runs where the tensors are (CPU or GPU). The tensors passed in are left as
    they are; the loop updates copies.

    Args:
        x: the inputs, shape ``(N, D_in)``.
        y: the targets, shape ``(N, D_out)``.
        w1: the starting weights of the hidden layer, shape ``(D_in, H)``.
        w2: the starting weights of the output layer, shape ``(H, D_out)``.
        learning_rate: the size of each step, a positive number.
        steps: how many updates to make, at least 1.

    Returns:
        ``(losses, w1, w2)``: the loss of every step (``losses[t]`` is the
        loss before update ``t``) and the trained weights.

    >>> x = torch.tensor([[1.0, -1.0], [1.0, 1.0]])
    >>> y = torch.tensor([[3.0], [5.0]])
    >>> w1 = torch.tensor([[1.0, 2.0], [3.0, 1.0]])
    >>> losses, w1, w2 = train_torch(x, y, w1, torch.ones(2, 1), 0.02, steps=3)
    >>> [round(loss, 4) for loss in losses]
    [8.0, 4.1031, 3.2717]
    """
    _check_tensors(x=x, y=y, w1=w1, w2=w2)
    _check_training(learning_rate, steps)
    w1, w2 = w1.detach().clone(), w2.detach().clone()
    losses = []
    for _ in range(steps):
        loss, grad_w1, grad_w2 = loss_and_gradients_torch(x, y, w1, w2)
        losses.append(loss)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return losses, w1, w2


# Checking a gradient without calculus: nudge each weight and watch the loss.


def numerical_gradient(
    loss_of: Callable[[np.ndarray], float], w: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """Estimate the gradient of ``loss_of`` at ``w`` by central differences.

    For each element ``w[i]``: ``(loss_of(w + eps at i) - loss_of(w - eps at i))
    / (2 * eps)``. That is two evaluations of the loss per element, so use it
    on small arrays, to check a gradient derived by hand.

    Args:
        loss_of: maps an array of the shape of ``w`` to a number.
        w: where to take the gradient, a floating-point array of any shape.
        eps: the size of the nudge, a positive number.

    Returns:
        The estimated gradient, an array of the shape of ``w``.

    >>> numerical_gradient(lambda w: float((w**2).sum()), np.array([1.0, -3.0]))
    array([ 2., -6.])
    """
    _require_array("w", w, ndim=None)
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    nudged = w.copy()
    grad = np.empty_like(w)
    for index in np.ndindex(w.shape):
        nudged[index] = w[index] + eps
        loss_up = loss_of(nudged)
        nudged[index] = w[index] - eps
        loss_down = loss_of(nudged)
        nudged[index] = w[index]
        grad[index] = (loss_up - loss_down) / (2 * eps)
    return grad
