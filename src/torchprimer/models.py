"""Models built from ``torch.nn``: a two-layer network as layers and as a class.

Used in the lesson "nn and optim" (``nn_and_optim.md``): the same network,
``Linear -> ReLU -> Linear``, first stacked with ``nn.Sequential``, then written
as a module of our own, ``TwoLayerNet``.
"""

from __future__ import annotations

import torch
from torch import nn

from torchprimer._checks import (
    require_floating,
    require_int,
    require_ndim,
    require_tensor,
)

__all__ = ["TwoLayerNet", "count_parameters", "two_layer_sequential"]


def two_layer_sequential(n_input: int, n_hidden: int, n_output: int) -> nn.Sequential:
    """A two-layer network as a stack of layers: ``Linear``, ``ReLU``, ``Linear``.

    ``nn.Sequential`` calls its layers in order, each on the output of the one
    before. Each ``Linear`` holds its own weight and bias, initialised at
    random (call ``torch.manual_seed`` first for repeatable weights).

    Args:
        n_input: number of inputs, the columns of a batch ``(batch, n_input)``.
        n_hidden: number of hidden units.
        n_output: number of outputs; the model returns ``(batch, n_output)``.

    Returns:
        The untrained model.

    >>> two_layer_sequential(3, 4, 2)
    Sequential(
      (0): Linear(in_features=3, out_features=4, bias=True)
      (1): ReLU()
      (2): Linear(in_features=4, out_features=2, bias=True)
    )
    """
    require_int("n_input", n_input, minimum=1)
    require_int("n_hidden", n_hidden, minimum=1)
    require_int("n_output", n_output, minimum=1)
    return nn.Sequential(
        nn.Linear(n_input, n_hidden),
        nn.ReLU(),
        nn.Linear(n_hidden, n_output),
    )


class TwoLayerNet(nn.Module):
    """The network of :func:`two_layer_sequential`, written as a module of our own.

    ``__init__`` creates the layers and assigns them as attributes, which
    registers their parameters with the module; ``forward`` says what to do
    with them, and may use any tensor operation (here ``clamp(min=0)``, which
    is ReLU). Built after the same ``torch.manual_seed`` as
    :func:`two_layer_sequential`, it gets the same initial weights.

    Args:
        n_input: number of inputs, the columns of a batch ``(batch, n_input)``.
        n_hidden: number of hidden units.
        n_output: number of outputs; the model returns ``(batch, n_output)``.

    >>> net = TwoLayerNet(3, 4, 2)
    >>> net(torch.zeros(5, 3)).shape
    torch.Size([5, 2])
    """

    def __init__(self, n_input: int, n_hidden: int, n_output: int) -> None:
        super().__init__()
        require_int("n_input", n_input, minimum=1)
        require_int("n_hidden", n_hidden, minimum=1)
        require_int("n_output", n_output, minimum=1)
        self.linear1 = nn.Linear(n_input, n_hidden)
        self.linear2 = nn.Linear(n_hidden, n_output)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Predict from a batch ``x`` of shape ``(batch, n_input)``."""
        require_floating("x", require_tensor("x", x))
        require_ndim("x", x, 2)
        n_input = self.linear1.in_features
        if x.shape[1] != n_input:
            raise ValueError(
                f"x must have shape (batch, {n_input}), one row of {n_input} "
                f"inputs per example, got shape {tuple(x.shape)}"
            )
        hidden = self.linear1(x).clamp(min=0)
        return self.linear2(hidden)


def count_parameters(model: nn.Module) -> int:
    """The number of numbers that training adjusts: all elements of all parameters.

    Args:
        model: any module; a parameter shared by two layers counts once.

    >>> count_parameters(nn.Linear(3, 2))  # 3 * 2 weights and 2 biases
    8
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return sum(parameter.numel() for parameter in model.parameters())
