"""torchprimer: the code of the lessons in the torchprimer book.

One module per lesson, in reading order; each is written to be read, and the
pages call its functions and show their source:

- ``tensors``, ``numpy_bridge``: creating tensors, dtypes, memory sharing
- ``neuron``, ``multilayer``: a unit and stacked layers, by hand
- ``devices``: the device-agnostic pattern every later lesson uses
- ``backprop``, ``autograd``: gradients by hand, then by PyTorch
- ``models``, ``training``: ``nn`` models and the training loop
- ``data``: a dataset, batches, classification, saving a model
- ``cnn``: LeNet, step by step
- ``fizzbuzz``: a small project from data to a network that plays the game

``setup_printing`` fixes how every page prints tensors and arrays.
"""

from torchprimer import (
    autograd,
    backprop,
    cnn,
    data,
    devices,
    fizzbuzz,
    models,
    multilayer,
    neuron,
    numpy_bridge,
    tensors,
    training,
)
from torchprimer.printing import setup_printing

__all__ = [
    "autograd",
    "backprop",
    "cnn",
    "data",
    "devices",
    "fizzbuzz",
    "models",
    "multilayer",
    "neuron",
    "numpy_bridge",
    "setup_printing",
    "tensors",
    "training",
]
