"""Tests of torchprimer.printing: the book's print options."""

import numpy as np
import torch

from torchprimer.printing import setup_printing


def test_setup_printing_resets_options_a_page_changed():
    torch.set_printoptions(precision=1)
    np.set_printoptions(precision=2)
    setup_printing()
    assert repr(torch.tensor([1 / 3])) == "tensor([0.3333])"
    assert repr(np.array([1 / 3])) == "array([0.33333333])"


def test_setup_printing_fixes_line_width():
    setup_printing()
    text = repr(torch.arange(40.0))
    assert max(len(line) for line in text.splitlines()) <= 80
