"""Real data: a ``Dataset`` of digits, a classifier, and how to score it.

Used in the lesson "Data, batches and classification" (``data.md``): the
handwritten digits of scikit-learn as a ``torch.utils.data.Dataset``, a small
network that sorts them into 10 classes, the softmax and the cross-entropy
written out, and the accuracy on data the network was not trained on.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn
from torch.utils.data import Dataset

from torchprimer._checks import (
    require_floating,
    require_int,
    require_ndim,
    require_same_rows,
    require_tensor,
)

__all__ = [
    "DigitsDataset",
    "accuracy",
    "cross_entropy",
    "digits_model",
    "evaluate",
    "softmax",
]


def _require_labels(name: str, labels: object) -> torch.Tensor:
    """Raise unless ``labels`` is a 1-dimensional tensor of integer classes."""
    require_ndim(name, require_tensor(name, labels), 1)
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError(
            f"{name} must hold integer classes (e.g. torch.int64), got {labels.dtype}"
        )
    if labels.numel() > 0 and labels.min().item() < 0:
        raise ValueError(
            f"{name} must be classes 0, 1, 2, ..., got {labels.min().item()}"
        )
    return labels


def _require_logits(
    logits: object, labels: object
) -> tuple[torch.Tensor, torch.Tensor]:
    """Check a batch of scores, shape ``(n, classes)``, against ``n`` labels."""
    require_ndim("logits", require_tensor("logits", logits), 2)
    require_floating("logits", logits)
    _require_labels("labels", labels)
    require_same_rows("logits", logits, "labels", labels)
    if labels.numel() > 0 and labels.max().item() >= logits.shape[1]:
        raise ValueError(
            f"labels must be classes below {logits.shape[1]}, one per column of "
            f"logits, got {labels.max().item()}"
        )
    return logits, labels


class DigitsDataset(Dataset):
    """Images with their labels as a ``Dataset``: item ``i`` is ``(pixels, label)``.

    ``__init__`` turns every image into one row of pixels scaled to [0, 1], once
    for all; ``__len__`` says how many examples there are and ``__getitem__``
    returns one of them. That is all a ``DataLoader`` needs to make batches.

    Args:
        images: shape ``(n, height, width)``, pixel values from 0 to
            ``max_value``, any real dtype.
        labels: the class of each image, integers, shape ``(n,)``.
        max_value: the value of a fully dark pixel, 16 in scikit-learn's
            ``load_digits``.

    >>> images = torch.tensor([[[0, 16], [8, 0]], [[16, 16], [0, 4]]])
    >>> dataset = DigitsDataset(images, torch.tensor([3, 7]))
    >>> len(dataset)
    2
    >>> dataset[1]
    (tensor([1.0000, 1.0000, 0.0000, 0.2500]), tensor(7))
    """

    def __init__(
        self, images: torch.Tensor, labels: torch.Tensor, max_value: float = 16
    ) -> None:
        require_ndim("images", require_tensor("images", images), 3)
        if images.is_complex() or images.dtype == torch.bool:
            raise TypeError(f"images must hold real pixel values, got {images.dtype}")
        _require_labels("labels", labels)
        if images.shape[0] != labels.shape[0]:
            raise ValueError(
                "images and labels must have one entry per example, got "
                f"{images.shape[0]} images and {labels.shape[0]} labels"
            )
        if not max_value > 0:
            raise ValueError(f"max_value must be positive, got {max_value}")
        if images.numel() > 0:
            smallest, largest = images.min().item(), images.max().item()
            if smallest < 0 or largest > max_value:
                raise ValueError(
                    f"pixel values must lie between 0 and max_value={max_value}, "
                    f"got values from {smallest} to {largest}"
                )
        # One row of pixels per image, as float32 in [0, 1]
        self.inputs = images.reshape(images.shape[0], -1).float() / max_value
        self.labels = labels.long()

    def __len__(self) -> int:
        return self.labels.shape[0]

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.inputs[index], self.labels[index]


def digits_model(
    num_inputs: int = 64,
    num_hidden: int = 32,
    num_classes: int = 10,
    dropout: float = 0.2,
) -> nn.Sequential:
    """A classifier: ``Linear -> ReLU -> Dropout -> Linear``, one score per class.

    The outputs are *logits*, any real numbers, the highest for the class the
    network favours. ``nn.Dropout`` zeroes each hidden value with probability
    ``dropout`` in training mode (``model.train()``) and does nothing in
    evaluation mode (``model.eval()``).

    Args:
        num_inputs: inputs per example; the model takes ``(batch, num_inputs)``.
        num_hidden: hidden units.
        num_classes: classes; the model returns ``(batch, num_classes)``.
        dropout: the probability of zeroing a hidden value, from 0 to below 1.

    >>> digits_model()
    Sequential(
      (0): Linear(in_features=64, out_features=32, bias=True)
      (1): ReLU()
      (2): Dropout(p=0.2, inplace=False)
      (3): Linear(in_features=32, out_features=10, bias=True)
    )
    """
    require_int("num_inputs", num_inputs, minimum=1)
    require_int("num_hidden", num_hidden, minimum=1)
    require_int("num_classes", num_classes, minimum=2)
    if isinstance(dropout, bool) or not isinstance(dropout, int | float):
        raise TypeError(f"dropout must be a float, got {type(dropout).__name__}")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be at least 0 and below 1, got {dropout}")
    return nn.Sequential(
        nn.Linear(num_inputs, num_hidden),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(num_hidden, num_classes),
    )


def softmax(logits: torch.Tensor) -> torch.Tensor:
    """Turn each row of scores into probabilities: ``exp(s_k) / sum_j exp(s_j)``.

    Subtracting the row's largest score first changes nothing in the result
    (it cancels in the fraction), but keeps ``exp`` from overflowing.

    Args:
        logits: scores, shape ``(n, classes)``, floating point.

    Returns:
        Probabilities of shape ``(n, classes)``, positive, each row summing to 1.

    >>> softmax(torch.tensor([[0.0, 0.0], [1000.0, 1000.0 + 2.0]]))
    tensor([[0.5000, 0.5000],
            [0.1192, 0.8808]])
    """
    require_ndim("logits", require_tensor("logits", logits), 2)
    require_floating("logits", logits)
    shifted = logits - logits.max(dim=1, keepdim=True).values
    exponentials = shifted.exp()
    return exponentials / exponentials.sum(dim=1, keepdim=True)


def cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The mean of ``-log p`` of the right class: ``nn.CrossEntropyLoss`` by hand.

    ``log p_k = s_k - log sum_j exp(s_j)`` is computed from the scores
    directly, with the largest score subtracted first, so that a probability
    that rounds to 0 still gives a finite loss.

    Args:
        logits: scores, shape ``(n, classes)``, floating point.
        labels: the right class of each row, integers, shape ``(n,)``.

    Returns:
        The mean loss as a 0-dimensional tensor, near 0 when every right class
        gets a probability near 1.

    >>> cross_entropy(torch.tensor([[0.0, 0.0], [0.0, 0.0]]), torch.tensor([0, 1]))
    tensor(0.6931)
    """
    _require_logits(logits, labels)
    shifted = logits - logits.max(dim=1, keepdim=True).values
    log_probabilities = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(labels.shape[0], device=logits.device)
    return -log_probabilities[rows, labels].mean()


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The fraction of rows whose highest score is the right class.

    Args:
        logits: scores, shape ``(n, classes)``, floating point; ``n`` at least 1.
        labels: the right class of each row, integers, shape ``(n,)``.

    >>> accuracy(torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 4.0]]),
    ...          torch.tensor([0, 1, 1]))
    0.6666666666666666
    """
    _require_logits(logits, labels)
    if labels.shape[0] == 0:
        raise ValueError("accuracy needs at least one example, got 0")
    predictions = logits.argmax(dim=1)
    return (predictions == labels).sum().item() / labels.shape[0]


def evaluate(
    model: nn.Module, batches: Iterable[tuple[torch.Tensor, torch.Tensor]]
) -> float:
    """The accuracy of ``model`` on all the batches, in evaluation mode.

    Switches ``model`` to evaluation mode (dropout off) and computes without
    recording gradients; it leaves the model in evaluation mode, so a training
    loop must call ``model.train()`` again. Each batch is moved to the device
    of the model's parameters.

    Args:
        model: maps inputs ``(batch, ...)`` to logits ``(batch, classes)``.
        batches: pairs ``(inputs, labels)``, for example a ``DataLoader``.

    >>> model = nn.Linear(2, 2)
    >>> with torch.no_grad():  # a model that always favours class 1
    ...     _ = model.weight.zero_()
    ...     _ = model.bias.copy_(torch.tensor([0.0, 1.0]))
    >>> evaluate(model, [(torch.zeros(3, 2), torch.tensor([1, 1, 0]))])
    0.6666666666666666
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    all_logits, all_labels = [], []
    model.eval()
    with torch.no_grad():
        for inputs, labels in batches:
            all_logits.append(model(inputs.to(device)))
            all_labels.append(labels.to(device))
    if not all_logits:
        raise ValueError("batches must hold at least one batch, got none")
    return accuracy(torch.cat(all_logits), torch.cat(all_labels))
