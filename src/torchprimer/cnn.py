"""A convolutional network: a convolution by hand, LeNet layer by layer, one SGD step.

Used in the lesson "A convolutional network" (``cnn.md``).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn

from torchprimer._checks import (
    require_floating,
    require_int,
    require_ndim,
    require_tensor,
)

__all__ = [
    "Net",
    "backward_path",
    "conv2d_by_hand",
    "conv_output_size",
    "num_flat_features",
    "sgd_step",
    "shape_trace",
]

#: The shape of one input image of :class:`Net`: (channels, height, width).
IMAGE_SHAPE = (1, 32, 32)


def _check_images(x: object) -> torch.Tensor:
    """Raise unless ``x`` is a float mini-batch of shape ``(batch, 1, 32, 32)``."""
    require_floating("x", require_tensor("x", x))
    if x.dim() != 4 or tuple(x.shape[1:]) != IMAGE_SHAPE:
        hint = ""
        if tuple(x.shape) == IMAGE_SHAPE:
            hint = "; for a single image, add the batch dimension with x.unsqueeze(0)"
        raise ValueError(
            "Net expects a mini-batch of shape (batch, 1, 32, 32), "
            f"got shape {tuple(x.shape)}{hint}"
        )
    return x


class Net(nn.Module):
    """LeNet: two convolutions with max pooling, then three fully connected layers.

    Takes a mini-batch of one-channel 32x32 images, shape ``(batch, 1, 32, 32)``,
    and returns 10 numbers per image, shape ``(batch, 10)``.

    >>> Net()(torch.zeros(2, 1, 32, 32)).shape
    torch.Size([2, 10])
    """

    def __init__(self) -> None:
        super().__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b; 16 channels of 5x5 after conv2 and pooling
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x)
        # Max pooling over a (2, 2) window
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        # If the window is a square, one number is enough
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        # Flatten all dimensions except the batch dimension
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def shape_trace(net: Net, x: torch.Tensor) -> list[tuple[str, tuple[int, ...]]]:
    """The shape of the data after each step of ``net``'s forward pass.

    Runs the same steps as ``Net.forward``, one at a time, and records the
    shape after each; the last shape is the shape of ``net(x)``.

    Args:
        net: a :class:`Net`.
        x: a mini-batch of images, shape ``(batch, 1, 32, 32)``.

    Returns:
        ``(step, shape)`` pairs, starting with ``("input", x.shape)``.

    >>> shape_trace(Net(), torch.zeros(1, 1, 32, 32))[:3]
    [('input', (1, 1, 32, 32)), ('conv1 + relu', (1, 6, 28, 28)), ('max_pool2d', (1, 6, 14, 14))]
    """
    if not isinstance(net, Net):
        raise TypeError(f"net must be a torchprimer.cnn.Net, got {type(net).__name__}")
    _check_images(x)
    trace = [("input", tuple(x.shape))]

    def record(step: str, t: torch.Tensor) -> torch.Tensor:
        trace.append((step, tuple(t.shape)))
        return t

    with torch.no_grad():  # only the shapes matter here
        x = record("conv1 + relu", F.relu(net.conv1(x)))
        x = record("max_pool2d", F.max_pool2d(x, 2))
        x = record("conv2 + relu", F.relu(net.conv2(x)))
        x = record("max_pool2d", F.max_pool2d(x, 2))
        x = record("flatten", torch.flatten(x, 1))
        x = record("fc1 + relu", F.relu(net.fc1(x)))
        x = record("fc2 + relu", F.relu(net.fc2(x)))
        record("fc3", net.fc3(x))
    return trace


def conv_output_size(
    size: int, kernel_size: int, stride: int = 1, padding: int = 0
) -> int:
    """Height (or width) of the output of a convolution or pooling window.

    A window of ``kernel_size`` slides over ``size`` positions (plus ``padding``
    on each side) in jumps of ``stride``; it fits
    ``(size + 2 * padding - kernel_size) // stride + 1`` times. ``nn.Conv2d``
    uses ``stride=1`` by default; ``F.max_pool2d`` uses ``stride=kernel_size``.

    Args:
        size: the input's height (or width), in pixels.
        kernel_size: the window's height (or width).
        stride: how far the window moves each time.
        padding: zeros added on each side of the input.

    >>> conv_output_size(32, 5)  # conv1 of LeNet
    28
    >>> conv_output_size(28, 2, stride=2)  # 2x2 max pooling
    14
    """
    positive = {"size": size, "kernel_size": kernel_size, "stride": stride}
    for name, value in positive.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if not isinstance(padding, int) or padding < 0:
        raise ValueError(f"padding must be a non-negative int, got {padding!r}")
    if kernel_size > size + 2 * padding:
        raise ValueError(
            f"a window of {kernel_size} does not fit in an input of {size} "
            f"with padding {padding}"
        )
    return (size + 2 * padding - kernel_size) // stride + 1


def _check_convolution(
    x: object, weight: object, bias: object, stride: object, padding: object
) -> tuple[int, int]:
    """Raise unless the arguments of :func:`conv2d_by_hand` fit; return the output size."""
    require_ndim("x", require_floating("x", require_tensor("x", x)), 4)
    require_ndim(
        "weight", require_floating("weight", require_tensor("weight", weight)), 4
    )
    out_channels, in_channels, kernel_height, kernel_width = weight.shape
    if x.shape[1] != in_channels:
        raise ValueError(
            f"weight of shape {tuple(weight.shape)} expects {in_channels} input "
            f"channels, got x of shape {tuple(x.shape)} with {x.shape[1]}"
        )
    if bias is not None:
        require_tensor("bias", bias)
        if tuple(bias.shape) != (out_channels,):
            raise ValueError(
                f"bias must have shape ({out_channels},), one number per output "
                f"channel, got shape {tuple(bias.shape)}"
            )
    require_int("stride", stride, minimum=1)
    require_int("padding", padding, minimum=0)
    out_height = conv_output_size(x.shape[2], kernel_height, stride, padding)
    out_width = conv_output_size(x.shape[3], kernel_width, stride, padding)
    return out_height, out_width


def conv2d_by_hand(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int = 1,
    padding: int = 0,
) -> torch.Tensor:
    """A 2-D convolution written with loops: what ``F.conv2d`` computes.

    Each output channel has a kernel of its own, one ``kernel_height x
    kernel_width`` slice per input channel. At each position the kernel
    covers a window of the (zero-padded) input; the output there is the sum of
    the window times the kernel, over the window and all input channels, plus
    the channel's bias. The window then moves ``stride`` pixels. (The kernel
    is not flipped: strictly, this is a cross-correlation, as in every deep
    learning library.)

    Args:
        x: a mini-batch of images, shape ``(batch, in_channels, height, width)``.
        weight: the kernels, shape
            ``(out_channels, in_channels, kernel_height, kernel_width)``.
        bias: one number per output channel, shape ``(out_channels,)``, or ``None``.
        stride: how far the window moves each time, in pixels.
        padding: rows and columns of zeros added on each side of the input.

    Returns:
        Shape ``(batch, out_channels, out_height, out_width)``, where
        ``out_height = conv_output_size(height, kernel_height, stride, padding)``
        and likewise for the width.

    >>> x = torch.arange(16.0).view(1, 1, 4, 4)  # one 4x4 image: 0, 1, ..., 15
    >>> conv2d_by_hand(x, torch.ones(1, 1, 2, 2), stride=2)  # sum of each 2x2 window
    tensor([[[[10., 18.],
              [42., 50.]]]])
    """
    out_height, out_width = _check_convolution(x, weight, bias, stride, padding)
    out_channels, _, kernel_height, kernel_width = weight.shape

    x = F.pad(x, (padding, padding, padding, padding))  # left, right, top, bottom
    out = x.new_zeros(x.shape[0], out_channels, out_height, out_width)
    for o in range(out_channels):
        for i in range(out_height):
            for j in range(out_width):
                top, left = i * stride, j * stride
                window = x[:, :, top : top + kernel_height, left : left + kernel_width]
                # multiply by the kernel and add up over channels, rows and columns
                out[:, o, i, j] = (window * weight[o]).sum(dim=(1, 2, 3))
    if bias is not None:
        out += bias.view(1, out_channels, 1, 1)  # one bias per output channel
    return out


def num_flat_features(x: torch.Tensor) -> int:
    """Number of numbers per example: the product of all dimensions but the first.

    Old tutorials wrote this helper to flatten with
    ``x.view(-1, num_flat_features(x))``; ``torch.flatten(x, 1)`` does it directly.

    Args:
        x: a mini-batch, shape ``(batch, ...)`` with at least 2 dimensions.

    >>> num_flat_features(torch.zeros(1, 16, 5, 5))
    400
    """
    require_tensor("x", x)
    if x.dim() < 2:
        raise ValueError(
            f"x must be a mini-batch with at least 2 dimensions, got shape {tuple(x.shape)}"
        )
    num_features = 1
    for s in x.shape[1:]:  # all dimensions except the batch dimension
        num_features *= s
    return num_features


def backward_path(tensor: torch.Tensor) -> list[str]:
    """Names of the backward functions from ``tensor`` back to the network's input.

    Starts at ``tensor.grad_fn`` and follows ``next_functions``, each time to
    the first input that was computed by an operation, skipping the
    parameters (their ``AccumulateGrad`` nodes) and inputs that need no
    gradient (``None``). Read backwards, it is the forward pass.

    Args:
        tensor: the result of a computation that autograd recorded, e.g. a loss.

    >>> w = torch.ones(2, requires_grad=True)
    >>> backward_path((2 * w).relu().sum())
    ['SumBackward0', 'ReluBackward0', 'MulBackward0']
    """
    require_tensor("tensor", tensor)
    if tensor.grad_fn is None:
        raise ValueError(
            "tensor has no grad_fn: it is a leaf, or was computed from tensors "
            "that do not require grad or under torch.no_grad()"
        )
    names = []
    node = tensor.grad_fn
    while node is not None:
        names.append(node.name())
        node = next(
            (
                child
                for child, _ in node.next_functions
                # AccumulateGrad nodes store a parameter's gradient in .variable
                if child is not None and not hasattr(child, "variable")
            ),
            None,
        )
    return names


def sgd_step(parameters: Iterable[torch.Tensor], learning_rate: float) -> None:
    """Update each parameter in place: ``weight = weight - learning_rate * gradient``.

    The rule of stochastic gradient descent, what ``torch.optim.SGD`` does
    without momentum. Parameters without a gradient are left alone.

    Args:
        parameters: tensors with ``.grad`` set by ``loss.backward()``, for
            example ``net.parameters()``.
        learning_rate: the size of the step, a positive number.

    >>> w = torch.tensor([1.0], requires_grad=True)
    >>> (3 * w).sum().backward()  # the gradient is 3
    >>> sgd_step([w], learning_rate=0.1)
    >>> w
    tensor([0.7000], requires_grad=True)
    """
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    parameters = list(parameters)
    if all(p.grad is None for p in parameters):
        raise ValueError(
            "none of the parameters has a gradient: call loss.backward() first"
        )
    with torch.no_grad():  # the update itself must not be recorded by autograd
        for p in parameters:
            if p.grad is not None:
                p -= learning_rate * p.grad
