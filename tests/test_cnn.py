"""Tests of torchprimer.cnn: LeNet and its helpers against PyTorch's own layers."""

import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from torchprimer.cnn import (
    Net,
    backward_path,
    conv2d_by_hand,
    conv_output_size,
    num_flat_features,
    sgd_step,
    shape_trace,
)


@pytest.fixture
def net():
    torch.manual_seed(0)
    return Net()


@pytest.fixture
def images():
    return torch.randn(3, 1, 32, 32, generator=torch.Generator().manual_seed(1))


# Net


def test_net_has_the_lenet_layers_and_ten_parameter_tensors(net):
    shapes = [tuple(p.shape) for p in net.parameters()]
    assert shapes == [
        (6, 1, 5, 5), (6,),
        (16, 6, 5, 5), (16,),
        (120, 400), (120,),
        (84, 120), (84,),
        (10, 84), (10,),
    ]  # fmt: skip
    assert sum(p.numel() for p in net.parameters()) == 61706


def test_net_forward_matches_the_layers_written_out(net, images):
    x = F.max_pool2d(F.relu(F.conv2d(images, net.conv1.weight, net.conv1.bias)), 2)
    x = F.max_pool2d(F.relu(F.conv2d(x, net.conv2.weight, net.conv2.bias)), 2)
    x = x.reshape(len(images), -1)
    x = torch.relu(x @ net.fc1.weight.T + net.fc1.bias)
    x = torch.relu(x @ net.fc2.weight.T + net.fc2.bias)
    expected = x @ net.fc3.weight.T + net.fc3.bias
    torch.testing.assert_close(net(images), expected)


def test_net_treats_the_images_of_a_batch_independently(net, images):
    batch = net(images)
    one_by_one = torch.cat([net(image.unsqueeze(0)) for image in images])
    torch.testing.assert_close(batch, one_by_one)


def test_net_says_how_to_add_the_batch_dimension(net):
    with pytest.raises(ValueError, match=r"got shape \(1, 32, 32\).*x\.unsqueeze\(0\)"):
        net(torch.zeros(1, 32, 32))


def test_net_rejects_other_image_sizes(net):
    with pytest.raises(
        ValueError, match=r"\(batch, 1, 32, 32\), got shape \(2, 1, 28, 28\)$"
    ):
        net(torch.zeros(2, 1, 28, 28))


def test_net_rejects_integer_images(net):
    with pytest.raises(TypeError, match="x must have a floating-point dtype"):
        net(torch.zeros(1, 1, 32, 32, dtype=torch.long))


# shape_trace


def test_shape_trace_follows_lenet(net, images):
    assert shape_trace(net, images) == [
        ("input", (3, 1, 32, 32)),
        ("conv1 + relu", (3, 6, 28, 28)),
        ("max_pool2d", (3, 6, 14, 14)),
        ("conv2 + relu", (3, 16, 10, 10)),
        ("max_pool2d", (3, 16, 5, 5)),
        ("flatten", (3, 400)),
        ("fc1 + relu", (3, 120)),
        ("fc2 + relu", (3, 84)),
        ("fc3", (3, 10)),
    ]


def test_shape_trace_ends_with_the_shape_of_the_output(net, images):
    assert shape_trace(net, images)[-1][1] == tuple(net(images).shape)


def test_shape_trace_needs_a_net(images):
    with pytest.raises(
        TypeError, match="net must be a torchprimer.cnn.Net, got Linear"
    ):
        shape_trace(nn.Linear(2, 2), images)


def test_shape_trace_checks_the_input(net):
    with pytest.raises(ValueError, match=r"got shape \(1, 32, 32\)"):
        shape_trace(net, torch.zeros(1, 32, 32))


# conv_output_size


@pytest.mark.parametrize(
    ("size", "kernel_size", "stride", "padding"),
    [
        (32, 5, 1, 0),
        (28, 2, 2, 0),
        (10, 2, 2, 0),
        (28, 5, 1, 0),
        (7, 3, 2, 1),
        (5, 5, 1, 0),
    ],
)
def test_conv_output_size_matches_conv2d_and_max_pool2d(
    size, kernel_size, stride, padding
):
    x = torch.zeros(1, 1, size, size)
    conv = nn.Conv2d(1, 1, kernel_size, stride=stride, padding=padding)
    expected = conv(x).shape[-1]
    assert conv_output_size(size, kernel_size, stride, padding) == expected
    if padding == 0:
        pooled = F.max_pool2d(x, kernel_size, stride=stride).shape[-1]
        assert conv_output_size(size, kernel_size, stride) == pooled


def test_conv_output_size_gives_lenets_five():
    size = 32
    for kernel_size, stride in [(5, 1), (2, 2), (5, 1), (2, 2)]:
        size = conv_output_size(size, kernel_size, stride)
    assert size == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 3), "size must be a positive int, got 0"),
        ((32, 2.0), "kernel_size must be a positive int, got 2.0"),
        ((32, 3, 0), "stride must be a positive int, got 0"),
        ((32, 3, 1, -1), "padding must be a non-negative int, got -1"),
        ((4, 5), "a window of 5 does not fit in an input of 4 with padding 0"),
    ],
)
def test_conv_output_size_errors(args, message):
    with pytest.raises(ValueError, match=message):
        conv_output_size(*args)


# conv2d_by_hand


@pytest.mark.parametrize(
    ("in_channels", "out_channels", "size", "kernel_size", "stride", "padding"),
    [
        (1, 1, 5, 3, 1, 0),
        (1, 6, 32, 5, 1, 0),
        (6, 16, 14, 5, 1, 0),
        (3, 4, 7, 3, 2, 1),
        (2, 3, 6, 2, 2, 0),
        (2, 2, 5, 5, 1, 2),
    ],
)
def test_conv2d_by_hand_matches_f_conv2d(
    in_channels, out_channels, size, kernel_size, stride, padding
):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(2, in_channels, size, size, generator=generator)
    weight = torch.randn(
        out_channels, in_channels, kernel_size, kernel_size, generator=generator
    )
    bias = torch.randn(out_channels, generator=generator)
    for b in (bias, None):
        expected = F.conv2d(x, weight, b, stride=stride, padding=padding)
        got = conv2d_by_hand(x, weight, b, stride=stride, padding=padding)
        torch.testing.assert_close(got, expected)


def test_conv2d_by_hand_matches_a_layer_of_lenet(net, images):
    torch.testing.assert_close(
        conv2d_by_hand(images, net.conv1.weight, net.conv1.bias), net.conv1(images)
    )


def test_conv2d_by_hand_one_output_is_the_window_times_the_kernel():
    image = torch.arange(25.0).view(5, 5)
    kernel = torch.tensor([[0.0, 1.0, 2.0], [2.0, 2.0, 0.0], [0.0, 1.0, 2.0]])
    out = conv2d_by_hand(image.view(1, 1, 5, 5), kernel.view(1, 1, 3, 3))
    assert out.shape == (1, 1, 3, 3)
    for i in range(3):
        for j in range(3):
            by_hand = sum(
                image[i + r, j + c] * kernel[r, c] for r in range(3) for c in range(3)
            )
            assert out[0, 0, i, j] == by_hand


def test_conv2d_by_hand_adds_up_the_input_channels():
    generator = torch.Generator().manual_seed(2)
    x = torch.randn(1, 3, 6, 6, generator=generator)
    weight = torch.randn(1, 3, 3, 3, generator=generator)
    per_channel = [
        conv2d_by_hand(x[:, c : c + 1], weight[:, c : c + 1]) for c in range(3)
    ]
    torch.testing.assert_close(conv2d_by_hand(x, weight), sum(per_channel))


def test_conv2d_by_hand_pads_with_zeros():
    x = torch.ones(1, 1, 3, 3)
    out = conv2d_by_hand(x, torch.ones(1, 1, 3, 3), padding=1)
    # corners see 4 ones, edges 6, the centre 9
    assert out[0, 0].tolist() == [[4.0, 6.0, 4.0], [6.0, 9.0, 6.0], [4.0, 6.0, 4.0]]


@pytest.mark.parametrize(
    ("x", "weight", "kwargs", "error", "message"),
    [
        ([[1.0]], torch.ones(1, 1, 1, 1), {}, TypeError, "x must be a torch.Tensor"),
        (
            torch.ones(1, 5, 5),
            torch.ones(1, 1, 3, 3),
            {},
            ValueError,
            r"x must be 4-dimensional, got shape \(1, 5, 5\)",
        ),
        (
            torch.ones(1, 1, 5, 5, dtype=torch.int64),
            torch.ones(1, 1, 3, 3),
            {},
            TypeError,
            "x must have a floating-point dtype",
        ),
        (
            torch.ones(1, 1, 5, 5),
            torch.ones(1, 3, 3),
            {},
            ValueError,
            "weight must be 4-dimensional",
        ),
        (
            torch.ones(1, 2, 5, 5),
            torch.ones(4, 3, 3, 3),
            {},
            ValueError,
            (
                r"weight of shape \(4, 3, 3, 3\) expects 3 input channels, "
                r"got x of shape \(1, 2, 5, 5\) with 2"
            ),
        ),
        (
            torch.ones(1, 1, 5, 5),
            torch.ones(2, 1, 3, 3),
            {"bias": torch.ones(3)},
            ValueError,
            (
                r"bias must have shape \(2,\), one number per output channel, "
                r"got shape \(3,\)"
            ),
        ),
        (
            torch.ones(1, 1, 5, 5),
            torch.ones(1, 1, 3, 3),
            {"stride": 0},
            ValueError,
            "stride must be at least 1, got 0",
        ),
        (
            torch.ones(1, 1, 5, 5),
            torch.ones(1, 1, 3, 3),
            {"padding": 1.5},
            TypeError,
            "padding must be an int, got float",
        ),
        (
            torch.ones(1, 1, 2, 2),
            torch.ones(1, 1, 3, 3),
            {},
            ValueError,
            "a window of 3 does not fit in an input of 2 with padding 0",
        ),
    ],
)
def test_conv2d_by_hand_errors(x, weight, kwargs, error, message):
    with pytest.raises(error, match=message):
        conv2d_by_hand(x, weight, **kwargs)


# num_flat_features


@pytest.mark.parametrize("shape", [(1, 16, 5, 5), (4, 3), (2, 3, 4, 5, 6)])
def test_num_flat_features_matches_flatten(shape):
    x = torch.zeros(shape)
    assert num_flat_features(x) == torch.flatten(x, 1).shape[1]


def test_num_flat_features_needs_a_batch_dimension():
    with pytest.raises(ValueError, match=r"at least 2 dimensions, got shape \(400,\)"):
        num_flat_features(torch.zeros(400))


# backward_path


def test_backward_path_is_the_forward_pass_reversed(net, images):
    target = torch.zeros(len(images), 10)
    loss = nn.MSELoss()(net(images), target)
    assert backward_path(loss) == [
        "MseLossBackward0",
        "AddmmBackward0", "ReluBackward0",  # fc3, relu
        "AddmmBackward0", "ReluBackward0",  # fc2, relu
        "AddmmBackward0",  # fc1
        "ViewBackward0",  # flatten
        "MaxPool2DWithIndicesBackward0", "ReluBackward0", "ConvolutionBackward0",
        "MaxPool2DWithIndicesBackward0", "ReluBackward0", "ConvolutionBackward0",
    ]  # fmt: skip


def test_backward_path_starts_at_grad_fn_and_follows_next_functions(net, images):
    loss = net(images).sum()
    path = backward_path(loss)
    assert path[0] == loss.grad_fn.name()
    assert path[1] == loss.grad_fn.next_functions[0][0].name()


def test_backward_path_needs_a_recorded_computation():
    with pytest.raises(ValueError, match="tensor has no grad_fn"):
        backward_path(torch.ones(2, requires_grad=True))
    with torch.no_grad():
        result = torch.ones(2, requires_grad=True) * 2
    with pytest.raises(ValueError, match="tensor has no grad_fn"):
        backward_path(result)


# sgd_step


def test_sgd_step_is_weight_minus_learning_rate_times_gradient(net, images):
    net(images).pow(2).mean().backward()
    before = [p.detach().clone() for p in net.parameters()]
    sgd_step(net.parameters(), learning_rate=0.1)
    for old, p in zip(before, net.parameters(), strict=True):
        torch.testing.assert_close(p.detach(), old - 0.1 * p.grad)


def test_sgd_step_matches_torch_optim_sgd(net, images):
    twin = copy.deepcopy(net)
    for model in (net, twin):
        nn.MSELoss()(model(images), torch.ones(len(images), 10)).backward()
    sgd_step(net.parameters(), learning_rate=0.01)
    torch.optim.SGD(twin.parameters(), lr=0.01).step()
    for ours, theirs in zip(net.parameters(), twin.parameters(), strict=True):
        torch.testing.assert_close(ours, theirs)


def test_sgd_step_is_not_recorded_by_autograd(net, images):
    net(images).sum().backward()
    sgd_step(net.parameters(), learning_rate=0.01)
    assert all(p.is_leaf and p.grad_fn is None for p in net.parameters())


def test_sgd_step_skips_parameters_without_gradient():
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    (3 * a).sum().backward()
    sgd_step([a, b], learning_rate=1.0)
    torch.testing.assert_close(a.detach(), torch.full((2,), -2.0))
    torch.testing.assert_close(b.detach(), torch.ones(2))


def test_sgd_step_asks_for_backward_first(net):
    with pytest.raises(ValueError, match=r"call loss.backward\(\) first"):
        sgd_step(net.parameters(), learning_rate=0.01)


@pytest.mark.parametrize("learning_rate", [0.0, -0.1, float("nan")])
def test_sgd_step_needs_a_positive_learning_rate(learning_rate):
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        sgd_step([torch.ones(1, requires_grad=True)], learning_rate)
