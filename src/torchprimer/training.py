"""The training loop, written once: forward, loss, zero the gradients, backward, step.

Used in the lesson "Models with nn, training with optim" (``nn_and_optim.md``),
after the page has written the same loop out; the later lessons write their
loops out too.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from torchprimer._checks import require_int, require_same_rows, require_tensor

__all__ = ["train"]


def train(
    model: nn.Module,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    epochs: int,
    batch_size: int | None = None,
) -> list[float]:
    """Train ``model`` on ``(inputs, targets)`` and return the loss of every epoch.

    One epoch walks through the data once, in order, in batches of
    ``batch_size`` rows (all rows at once if ``None``). For each batch:
    predict, compute the loss, zero the old gradients, backpropagate, and let
    the optimizer update the parameters.

    Args:
        model: maps a batch of inputs, shape ``(batch, ...)``, to predictions.
        loss_fn: maps ``(predictions, targets)`` to a scalar tensor.
        optimizer: built on ``model.parameters()``.
        inputs: one row per example, shape ``(n, ...)``.
        targets: one row per example, shape ``(n, ...)``.
        epochs: how many times to walk through the data.
        batch_size: rows per update; ``None`` for the whole data set at once.

    Returns:
        The mean loss over the batches of each epoch, one float per epoch.

    >>> _ = torch.manual_seed(0)
    >>> model = nn.Linear(1, 1)
    >>> x = torch.linspace(-1, 1, 20).unsqueeze(1)
    >>> sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> losses = train(model, nn.MSELoss(), sgd, x, 3 * x, epochs=200)
    >>> len(losses), losses[-1] < 1e-4 < losses[0]
    (200, True)
    """
    require_tensor("inputs", inputs)
    require_tensor("targets", targets)
    require_same_rows("inputs", inputs, "targets", targets)
    require_int("epochs", epochs, minimum=1)
    n = inputs.shape[0]
    if batch_size is None:
        batch_size = n
    require_int("batch_size", batch_size, minimum=1)

    model.train()
    history = []
    for _ in range(epochs):
        total, batches = 0.0, 0
        for start in range(0, n, batch_size):
            predictions = model(inputs[start : start + batch_size])
            loss = loss_fn(predictions, targets[start : start + batch_size])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
        history.append(total / batches)
    return history
