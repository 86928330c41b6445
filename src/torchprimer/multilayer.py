"""Stacking neurons into layers: each layer is one matrix multiplication.

Used in the lesson "Stacking layers" (``multilayer.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from torchprimer._checks import require_floating, require_ndim, require_tensor
from torchprimer.neuron import sigmoid

__all__ = ["layer_forward", "network_forward"]


def layer_forward(
    inputs: torch.Tensor,
    weights: torch.Tensor,
    bias: torch.Tensor,
    activation: Callable[[torch.Tensor], torch.Tensor] = sigmoid,
) -> torch.Tensor:
    """Outputs of one fully connected layer: ``activation(inputs @ weights + bias)``.

    Args:
        inputs: one row per example, shape ``(batch, n_in)``.
        weights: column ``j`` holds the weights of unit ``j``, shape ``(n_in, n_out)``.
        bias: one bias per unit, shape ``(1, n_out)``.
        activation: applied element-wise; the sigmoid unless given.

    Returns:
        The layer's activations, shape ``(batch, n_out)``.

    >>> layer_forward(torch.ones(1, 3), torch.zeros(3, 2), torch.zeros(1, 2))
    tensor([[0.5000, 0.5000]])
    """
    for name, value in (("inputs", inputs), ("weights", weights), ("bias", bias)):
        require_ndim(name, require_floating(name, require_tensor(name, value)), 2)
    n_in, n_out = weights.shape
    if inputs.shape[1] != n_in:
        raise ValueError(
            f"inputs have {inputs.shape[1]} columns but weights have {n_in} rows: "
            f"inputs {tuple(inputs.shape)} @ weights {tuple(weights.shape)} "
            "needs inputs of shape (batch, n_in) and weights of shape (n_in, n_out)"
        )
    if bias.shape != (1, n_out):
        raise ValueError(
            f"bias must have shape (1, {n_out}) to match weights "
            f"{tuple(weights.shape)}, got shape {tuple(bias.shape)}"
        )
    return activation(torch.mm(inputs, weights) + bias)


def network_forward(
    inputs: torch.Tensor, layers: Sequence[tuple[torch.Tensor, torch.Tensor]]
) -> torch.Tensor:
    """Run ``inputs`` through a stack of sigmoid layers, first to last.

    The output of each layer is the input of the next:
    ``y = f(... f(f(x W1 + B1) W2 + B2) ...)``.

    Args:
        inputs: shape ``(batch, n_in)``.
        layers: ``(weights, bias)`` pairs, as for :func:`layer_forward`.

    Returns:
        The last layer's activations, shape ``(batch, n_out_of_last_layer)``.

    >>> layers = [(torch.zeros(3, 2), torch.zeros(1, 2)),
    ...           (torch.ones(2, 1), torch.zeros(1, 1))]
    >>> network_forward(torch.ones(1, 3), layers)
    tensor([[0.7311]])
    """
    if len(layers) == 0:
        raise ValueError("layers must hold at least one (weights, bias) pair, got none")
    activations = inputs
    for index, (weights, bias) in enumerate(layers, start=1):
        try:
            activations = layer_forward(activations, weights, bias)
        except ValueError as error:
            raise ValueError(f"layer {index}: {error}") from None
    return activations
