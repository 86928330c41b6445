"""FizzBuzz: a network learns the game from the binary digits of numbers.

Used in the lesson "FizzBuzz" (``fizzbuzz.md``).
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
from torchprimer.models import two_layer_sequential

__all__ = [
    "ANSWERS",
    "NUM_DIGITS",
    "binary_encode",
    "fizz_buzz_decode",
    "fizz_buzz_encode",
    "fizz_buzz_model",
    "predict",
]

#: How many binary digits the lesson gives the network, enough for 0 to 1023.
NUM_DIGITS = 10

#: What class ``k`` means; class 0 says the number itself.
ANSWERS = ("number", "fizz", "buzz", "fizzbuzz")


def fizz_buzz_encode(i: int) -> int:
    """The class of the right answer for ``i``: 0 number, 1 fizz, 2 buzz, 3 fizzbuzz.

    Multiples of 15 are checked first: they are multiples of 3 and of 5 too.

    Args:
        i: the number the player has reached, 1 or more.

    >>> [fizz_buzz_encode(i) for i in (1, 3, 5, 15)]
    [0, 1, 2, 3]
    """
    require_int("i", i)
    if i < 1:
        raise ValueError(f"FizzBuzz counts from 1, got i={i}")
    if i % 15 == 0:
        return 3
    if i % 5 == 0:
        return 2
    if i % 3 == 0:
        return 1
    return 0


def fizz_buzz_decode(i: int, prediction: int) -> str:
    """What a player says at ``i`` for the class ``prediction`` (0 to 3).

    Class 0 says the number itself, ``str(i)``; 1, 2 and 3 say ``"fizz"``,
    ``"buzz"`` and ``"fizzbuzz"``.

    Args:
        i: the number the player has reached.
        prediction: a class, as :func:`fizz_buzz_encode` returns it.

    >>> fizz_buzz_decode(7, 0), fizz_buzz_decode(9, 1)
    ('7', 'fizz')
    """
    require_int("i", i)
    require_int("prediction", prediction)
    if not 0 <= prediction < len(ANSWERS):
        raise ValueError(
            "prediction must be 0, 1, 2 or 3 (number, fizz, buzz, fizzbuzz), "
            f"got {prediction}"
        )
    return [str(i), "fizz", "buzz", "fizzbuzz"][prediction]


def binary_encode(numbers: torch.Tensor, num_digits: int) -> torch.Tensor:
    """The binary digits of each number, least significant first, as floats.

    Row ``k`` holds the digits of ``numbers[k]``: column ``d`` is
    ``(numbers[k] >> d) & 1``, the digit worth ``2 ** d``. All rows are
    computed at once by broadcasting a column of numbers against a row of
    shifts.

    Args:
        numbers: non-negative integers, shape ``(n,)``, any integer dtype.
        num_digits: digits per number; every number must be below
            ``2 ** num_digits``.

    Returns:
        A float32 tensor of zeros and ones, shape ``(n, num_digits)``.

    >>> binary_encode(torch.tensor([1, 2, 6]), 4)
    tensor([[1., 0., 0., 0.],
            [0., 1., 0., 0.],
            [0., 1., 1., 0.]])
    """
    require_tensor("numbers", numbers)
    if (
        numbers.is_floating_point()
        or numbers.is_complex()
        or numbers.dtype == torch.bool
    ):
        raise TypeError(
            f"numbers must have an integer dtype (e.g. torch.int64), got {numbers.dtype}"
        )
    require_ndim("numbers", numbers, 1)
    require_int("num_digits", num_digits)
    if not 1 <= num_digits <= 62:
        raise ValueError(f"num_digits must be between 1 and 62, got {num_digits}")
    numbers = numbers.long()
    if numbers.numel() > 0:
        smallest, largest = numbers.min().item(), numbers.max().item()
        if smallest < 0:
            raise ValueError(f"numbers must be non-negative, got {smallest}")
        if largest >= 2**num_digits:
            raise ValueError(
                f"{num_digits} binary digits hold numbers up to {2**num_digits - 1}, "
                f"got {largest}, which needs num_digits={largest.bit_length()}"
            )
    shifts = torch.arange(num_digits, device=numbers.device)
    return ((numbers.unsqueeze(1) >> shifts) & 1).float()


def fizz_buzz_model(
    num_digits: int = NUM_DIGITS, num_hidden: int = 100
) -> nn.Sequential:
    """A network from ``num_digits`` binary digits to scores of the 4 answers.

    ``Linear(num_digits, num_hidden) -> ReLU -> Linear(num_hidden, 4)``: the
    two-layer network of :func:`torchprimer.models.two_layer_sequential`. The
    outputs are *logits*, one unnormalised score per class of
    :func:`fizz_buzz_encode`; ``nn.CrossEntropyLoss`` takes them as they are.

    >>> fizz_buzz_model(num_hidden=8)
    Sequential(
      (0): Linear(in_features=10, out_features=8, bias=True)
      (1): ReLU()
      (2): Linear(in_features=8, out_features=4, bias=True)
    )
    """
    require_int("num_digits", num_digits, minimum=1)
    require_int("num_hidden", num_hidden, minimum=1)
    return two_layer_sequential(num_digits, num_hidden, len(ANSWERS))


def predict(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """The class ``model`` scores highest for each row of ``inputs``, on the CPU.

    Switches the model to evaluation mode, moves ``inputs`` to the model's
    device and records no gradients: this is playing, not training.

    Args:
        model: maps ``(n, num_digits)`` inputs to ``(n, 4)`` scores.
        inputs: the encoded numbers, shape ``(n, num_digits)``, floating point.

    Returns:
        One class per row (0 number, 1 fizz, 2 buzz, 3 fizzbuzz), shape ``(n,)``.

    >>> model = fizz_buzz_model(num_hidden=2)
    >>> with torch.no_grad():  # a model that always says "fizz"
    ...     _ = model[2].weight.zero_()
    ...     _ = model[2].bias.copy_(torch.tensor([0.0, 1.0, 0.0, 0.0]))
    >>> predict(model, binary_encode(torch.tensor([1, 2, 3]), NUM_DIGITS))
    tensor([1, 1, 1])
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    require_ndim(
        "inputs", require_floating("inputs", require_tensor("inputs", inputs)), 2
    )
    parameter = next(model.parameters(), None)
    if parameter is not None:
        inputs = inputs.to(parameter.device)
    model.eval()
    with torch.no_grad():
        scores = model(inputs)
    if scores.shape != (inputs.shape[0], len(ANSWERS)):
        raise ValueError(
            f"model must give {len(ANSWERS)} scores per row, shape "
            f"({inputs.shape[0]}, {len(ANSWERS)}), got shape {tuple(scores.shape)}"
        )
    return scores.argmax(dim=1).cpu()
