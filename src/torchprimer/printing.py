"""How the book prints tensors and arrays: one fixed setting for every page."""

import numpy as np
import torch

__all__ = ["setup_printing"]


def setup_printing() -> None:
    """Fix how tensors and arrays print, so every page's outputs are reproducible.

    Tensors print with 4 decimals (PyTorch's default), arrays with 8, both in
    lines of at most 80 characters. The first cell of every page calls this.

    >>> setup_printing()
    >>> torch.tensor([1 / 3])
    tensor([0.3333])
    """
    torch.set_printoptions(precision=4, linewidth=80, sci_mode=None, threshold=1000)
    np.set_printoptions(precision=8, linewidth=80, suppress=False, threshold=1000)
