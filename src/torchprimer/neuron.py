"""A single neuron: a weighted sum of the inputs plus a bias, through a sigmoid.

Used in the lesson "A single neuron" (``neuron.md``).
"""

from __future__ import annotations

import torch

from torchprimer._checks import require_floating, require_ndim, require_tensor

__all__ = ["neuron_by_matmul", "neuron_by_sum", "sigmoid"]


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Squash each element of ``x`` into (0, 1): the neuron's activation.

    Computes ``1 / (1 + exp(-x))`` element by element; the result has the
    shape of ``x``. ``torch.sigmoid`` is the built-in equivalent.

    >>> sigmoid(torch.tensor([0.0, 2.0]))
    tensor([0.5000, 0.8808])
    """
    require_floating("x", require_tensor("x", x))
    return 1 / (1 + torch.exp(-x))


def _check_neuron_inputs(
    features: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor
) -> None:
    for name, value in (("features", features), ("weights", weights), ("bias", bias)):
        require_floating(name, require_tensor(name, value))
    require_ndim("features", features, 2)
    if features.shape[0] != 1:
        raise ValueError(
            "features must be one row of shape (1, n_features), "
            f"got shape {tuple(features.shape)}"
        )
    if weights.shape != features.shape:
        raise ValueError(
            f"weights must have the shape of features {tuple(features.shape)}, "
            f"got shape {tuple(weights.shape)}"
        )
    if bias.shape != (1, 1):
        raise ValueError(f"bias must have shape (1, 1), got shape {tuple(bias.shape)}")


def neuron_by_sum(
    features: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor
) -> torch.Tensor:
    """Output of one neuron, computed with an element-wise product and a sum.

    ``y = sigmoid(sum_i w_i * x_i + b)``.

    Args:
        features: the inputs ``x``, shape ``(1, n_features)``.
        weights: one weight per input, the same shape as ``features``.
        bias: the bias ``b``, shape ``(1, 1)``.

    Returns:
        The activation, shape ``(1, 1)``.

    >>> neuron_by_sum(torch.ones(1, 3), torch.zeros(1, 3), torch.zeros(1, 1))
    tensor([[0.5000]])
    """
    _check_neuron_inputs(features, weights, bias)
    return sigmoid(torch.sum(features * weights) + bias)


def neuron_by_matmul(
    features: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor
) -> torch.Tensor:
    """Output of one neuron, computed with one matrix multiplication.

    ``features`` is a ``(1, n)`` row and so is ``weights``; ``torch.mm`` needs
    the weights as an ``(n, 1)`` column, which ``weights.view(n, 1)`` gives
    without copying.

    Args:
        features: the inputs ``x``, shape ``(1, n_features)``.
        weights: one weight per input, the same shape as ``features``.
        bias: the bias ``b``, shape ``(1, 1)``.

    Returns:
        The activation, shape ``(1, 1)``.

    >>> neuron_by_matmul(torch.ones(1, 3), torch.zeros(1, 3), torch.zeros(1, 1))
    tensor([[0.5000]])
    """
    _check_neuron_inputs(features, weights, bias)
    n_features = features.shape[1]
    return sigmoid(torch.mm(features, weights.view(n_features, 1)) + bias)
