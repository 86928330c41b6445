"""Automatic differentiation: let autograd compute the gradients of what you compute.

Used in the lesson "Autograd" (``autograd.md``).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from torchprimer._checks import (
    require_floating,
    require_int,
    require_ndim,
    require_tensor,
)

__all__ = [
    "jacobian_by_rows",
    "train_two_layer",
    "two_layer_loss",
    "two_layer_step",
    "vector_jacobian_product",
]


def vector_jacobian_product(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    """``v^T J``, the gradient that ``f(x).backward(v)`` leaves in ``x.grad``.

    ``J`` is the Jacobian of ``f`` at ``x``: ``J[i, j] = d f(x)[i] / d x[j]``,
    elements counted in the flattened order. ``f`` runs on a fresh copy of
    ``x`` that requires grad, so ``x`` itself and any gradient it holds are
    left alone.

    Args:
        f: maps a tensor of the shape of ``x`` to a tensor of any shape,
            with differentiable operations.
        x: the point, any shape, floating point.
        v: one weight per element of ``f(x)``, the shape of ``f(x)``.

    Returns:
        ``v^T J``, the shape of ``x``.

    >>> v = torch.tensor([1.0, 0.5])
    >>> vector_jacobian_product(lambda x: 3 * x, torch.ones(2), v)
    tensor([3.0000, 1.5000])
    """
    require_floating("x", require_tensor("x", x))
    require_floating("v", require_tensor("v", v))
    x = x.detach().clone().requires_grad_()  # a new leaf with no .grad yet
    y = require_tensor("f(x)", f(x))
    if y.shape != v.shape:
        raise ValueError(
            f"v must have the shape of f(x) {tuple(y.shape)}, got shape {tuple(v.shape)}"
        )
    if y.grad_fn is None:
        raise ValueError(
            "f(x) has no grad_fn: f must compute its result from x with torch "
            "operations (not .detach(), .item(), NumPy or torch.no_grad())"
        )
    y.backward(v.to(y.dtype))
    if x.grad is None:  # f(x) depends on other tensors, not on x
        return torch.zeros_like(x)
    return x.grad


def jacobian_by_rows(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> torch.Tensor:
    """The Jacobian of ``f`` at ``x``, built one row at a time from one-hot ``v``.

    Row ``i`` is ``e_i^T J``, the vector-Jacobian product with the ``i``-th
    one-hot vector: one backward pass per element of ``f(x)``. The result is
    laid out like ``torch.autograd.functional.jacobian(f, x)``.

    Args:
        f: maps a tensor of the shape of ``x`` to a tensor of any shape.
        x: the point, any shape, floating point.

    Returns:
        ``J`` with shape ``f(x).shape + x.shape``.

    >>> jacobian_by_rows(lambda x: x * torch.tensor([2.0, 3.0]), torch.ones(2))
    tensor([[2., 0.],
            [0., 3.]])
    """
    require_floating("x", require_tensor("x", x))
    with torch.no_grad():
        y = require_tensor("f(x)", f(x))  # only its shape is needed
    one_hots = torch.eye(y.numel(), dtype=x.dtype, device=x.device)
    rows = [
        vector_jacobian_product(f, x, one_hot.reshape(y.shape)) for one_hot in one_hots
    ]
    return torch.stack(rows).reshape(*y.shape, *x.shape)


def _check_two_layer(
    x: torch.Tensor, y: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor
) -> None:
    for name, value in (("x", x), ("y", y), ("w1", w1), ("w2", w2)):
        require_ndim(name, require_floating(name, require_tensor(name, value)), 2)
    if len({x.dtype, y.dtype, w1.dtype, w2.dtype}) != 1:
        raise TypeError(
            "x, y, w1 and w2 must have one dtype, got "
            f"{x.dtype}, {y.dtype}, {w1.dtype} and {w2.dtype}"
        )
    n, d_in = x.shape
    if w1.shape[0] != d_in:
        raise ValueError(
            f"w1 must have shape (D_in, H) with D_in = {d_in} columns of x "
            f"{tuple(x.shape)}, got shape {tuple(w1.shape)}"
        )
    hidden = w1.shape[1]
    if w2.shape[0] != hidden:
        raise ValueError(
            f"w2 must have shape (H, D_out) with H = {hidden} columns of w1 "
            f"{tuple(w1.shape)}, got shape {tuple(w2.shape)}"
        )
    if y.shape != (n, w2.shape[1]):
        raise ValueError(
            f"y must have shape (N, D_out) = {(n, w2.shape[1])} to match x "
            f"{tuple(x.shape)} and w2 {tuple(w2.shape)}, got shape {tuple(y.shape)}"
        )


def two_layer_loss(
    x: torch.Tensor, y: torch.Tensor, w1: torch.Tensor, w2: torch.Tensor
) -> torch.Tensor:
    """Sum of squared errors of the two-layer ReLU network ``relu(x @ w1) @ w2``.

    The network has no biases: ``y_pred = relu(x w1) w2`` and the loss is
    ``sum((y_pred - y) ** 2)`` over all ``N * D_out`` elements.

    Args:
        x: inputs, one row per example, shape ``(N, D_in)``.
        y: targets, shape ``(N, D_out)``.
        w1: weights of the hidden layer, shape ``(D_in, H)``.
        w2: weights of the output layer, shape ``(H, D_out)``.

    Returns:
        The loss, a 0-dimensional tensor (with a ``grad_fn`` if a weight
        requires grad).

    >>> x, y = torch.ones(1, 2), torch.zeros(1, 1)
    >>> two_layer_loss(x, y, torch.ones(2, 3), torch.ones(3, 1))
    tensor(36.)
    """
    _check_two_layer(x, y, w1, w2)
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    return (y_pred - y).pow(2).sum()


def two_layer_step(
    x: torch.Tensor,
    y: torch.Tensor,
    w1: torch.Tensor,
    w2: torch.Tensor,
    learning_rate: float,
) -> float:
    """One step of gradient descent on :func:`two_layer_loss`, gradients by autograd.

    Forgets the old gradients, computes the loss, lets ``backward()`` fill
    ``w1.grad`` and ``w2.grad``, then updates the weights in place under
    ``torch.no_grad()``: ``w -= learning_rate * w.grad``.

    Args:
        x, y, w1, w2: as for :func:`two_layer_loss`; ``w1`` and ``w2`` must be
            leaf tensors with ``requires_grad=True``.
        learning_rate: the size of the step, a positive number.

    Returns:
        The loss before the update, as a float.

    >>> w1 = torch.ones(2, 3, requires_grad=True)
    >>> w2 = torch.ones(3, 1, requires_grad=True)
    >>> two_layer_step(torch.ones(1, 2), torch.zeros(1, 1), w1, w2, 0.01)
    36.0
    >>> w2.grad.T, w2.detach().T
    (tensor([[24., 24., 24.]]), tensor([[0.7600, 0.7600, 0.7600]]))
    """
    _check_two_layer(x, y, w1, w2)
    for name, weight in (("w1", w1), ("w2", w2)):
        if not weight.requires_grad:
            raise ValueError(
                f"{name} must require grad: create it with requires_grad=True "
                "or call .requires_grad_()"
            )
        if not weight.is_leaf:
            raise ValueError(
                f"{name} must be a leaf tensor, got one made by {weight.grad_fn.name()}: "
                "call .requires_grad_() after .to(device), not before"
            )
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    w1.grad = None  # gradients add up across backward() calls: start afresh
    w2.grad = None
    loss = two_layer_loss(x, y, w1, w2)
    loss.backward()
    with torch.no_grad():  # the update itself must not be recorded in the graph
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
    return loss.item()


def train_two_layer(
    x: torch.Tensor,
    y: torch.Tensor,
    w1: torch.Tensor,
    w2: torch.Tensor,
    learning_rate: float,
    steps: int,
) -> list[float]:
    """Fit ``w1`` and ``w2`` with ``steps`` calls of :func:`two_layer_step`.

    Args:
        x, y, w1, w2: as for :func:`two_layer_step`; the weights are updated
            in place.
        learning_rate: the size of each step, a positive number.
        steps: how many updates, at least 1.

    Returns:
        The loss before each update, one float per step.

    >>> _ = torch.manual_seed(0)
    >>> x, y = torch.randn(8, 3), torch.randn(8, 2)
    >>> w1 = torch.randn(3, 4, requires_grad=True)
    >>> w2 = torch.randn(4, 2, requires_grad=True)
    >>> losses = train_two_layer(x, y, w1, w2, learning_rate=0.01, steps=100)
    >>> len(losses), losses[-1] < losses[0]
    (100, True)
    """
    require_int("steps", steps, minimum=1)
    return [two_layer_step(x, y, w1, w2, learning_rate) for _ in range(steps)]
