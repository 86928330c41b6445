"""FizzBuzz: the seed notebook's recipe against the book's, right answers and time.

Run by ``nox -s bench``; prints one JSON object per recipe. Both train the
network of ``torchprimer.fizzbuzz`` on 101 to 1023 and count its right answers
on 1 to 100, which it never saw:

- the seed's: 0/1 digits, 100 hidden units, ``SGD(lr=0.05)`` in mini-batches
  of 128, 10 000 epochs (the lesson "FizzBuzz" trains it for 1000);
- the book's: digits -1/+1, 2000 hidden units, ``AdamW(lr=0.002,
  weight_decay=0.3)`` on full batches, 250 epochs.
"""

from __future__ import annotations

import json
import time

import torch

from torchprimer.fizzbuzz import (
    NUM_DIGITS,
    binary_encode,
    fizz_buzz_encode,
    fizz_buzz_model,
    predict,
)

RECIPES = {
    "seed": {
        "hidden": 100, "centred": False, "optimizer": "SGD",
        "options": {"lr": 0.05}, "batch_size": 128, "epochs": 10_000,
    },
    "book": {
        "hidden": 2000, "centred": True, "optimizer": "AdamW",
        "options": {"lr": 0.002, "weight_decay": 0.3}, "batch_size": None,
        "epochs": 250,
    },
}  # fmt: skip


def _data(numbers: torch.Tensor, centred: bool) -> tuple[torch.Tensor, torch.Tensor]:
    inputs = binary_encode(numbers, NUM_DIGITS)
    targets = torch.tensor([fizz_buzz_encode(i) for i in numbers.tolist()])
    return (2 * inputs - 1 if centred else inputs), targets


def run(recipe: dict, seed: int = 0) -> dict:
    """Train one recipe from ``seed``: right answers on 1 to 100, seconds."""
    inputs, targets = _data(torch.arange(101, 2**NUM_DIGITS), recipe["centred"])
    test_inputs, test_targets = _data(torch.arange(1, 101), recipe["centred"])
    torch.manual_seed(seed)
    model = fizz_buzz_model(num_hidden=recipe["hidden"])
    optimizer = getattr(torch.optim, recipe["optimizer"])(
        model.parameters(), **recipe["options"]
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    batch_size = recipe["batch_size"] or len(inputs)
    start = time.perf_counter()
    for _ in range(recipe["epochs"]):
        model.train()
        for first in range(0, len(inputs), batch_size):
            loss = loss_fn(
                model(inputs[first : first + batch_size]),
                targets[first : first + batch_size],
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    right = int((predict(model, test_inputs) == test_targets).sum())
    return {"right": right, "seconds": round(seconds, 1)}


if __name__ == "__main__":
    for name, recipe in RECIPES.items():
        print(json.dumps({"recipe": name, **recipe, **run(recipe)}), flush=True)
