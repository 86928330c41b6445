"""Tests of torchprimer.models: the two ways of building the network agree with the maths."""

import pytest
import torch
from torch import nn

from torchprimer.models import TwoLayerNet, count_parameters, two_layer_sequential


def _by_hand(x, w1, b1, w2, b2):
    """Linear -> ReLU -> Linear written out; nn.Linear stores weights as (out, in)."""
    hidden = torch.maximum(x @ w1.T + b1, torch.zeros(()))
    return hidden @ w2.T + b2


@pytest.fixture
def batch():
    return torch.randn(6, 5, generator=torch.Generator().manual_seed(0))


def test_sequential_has_the_layers_in_order():
    model = two_layer_sequential(5, 4, 3)
    assert [type(layer) for layer in model] == [nn.Linear, nn.ReLU, nn.Linear]
    assert (model[0].in_features, model[0].out_features) == (5, 4)
    assert (model[2].in_features, model[2].out_features) == (4, 3)


def test_sequential_computes_linear_relu_linear(batch):
    torch.manual_seed(0)
    model = two_layer_sequential(5, 4, 3)
    first, _, second = model
    expected = _by_hand(batch, first.weight, first.bias, second.weight, second.bias)
    torch.testing.assert_close(model(batch), expected)


def test_two_layer_net_computes_linear_relu_linear(batch):
    torch.manual_seed(0)
    net = TwoLayerNet(5, 4, 3)
    one, two = net.linear1, net.linear2
    expected = _by_hand(batch, one.weight, one.bias, two.weight, two.bias)
    torch.testing.assert_close(net(batch), expected)
    assert net(batch).shape == (6, 3)


def test_same_seed_gives_the_same_network(batch):
    # The lesson relies on this: both models draw their weights in the same order.
    torch.manual_seed(3)
    sequential = two_layer_sequential(5, 4, 3)
    torch.manual_seed(3)
    net = TwoLayerNet(5, 4, 3)
    for ours, theirs in zip(net.parameters(), sequential.parameters(), strict=True):
        torch.testing.assert_close(ours, theirs, rtol=0, atol=0)
    torch.testing.assert_close(net(batch), sequential(batch))


def test_two_layer_net_registers_its_parameters():
    net = TwoLayerNet(5, 4, 3)
    names = [name for name, _ in net.named_parameters()]
    assert names == ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
    assert [tuple(p.shape) for p in net.parameters()] == [(4, 5), (4,), (3, 4), (3,)]


def test_two_layer_net_gradients_reach_every_parameter(batch):
    net = TwoLayerNet(5, 4, 3)
    net(batch).sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in net.parameters())


@pytest.mark.parametrize(
    ("sizes", "error", "message"),
    [
        ((0, 4, 3), ValueError, "n_input must be at least 1, got 0"),
        ((5, -1, 3), ValueError, "n_hidden must be at least 1, got -1"),
        ((5, 4, 2.0), TypeError, "n_output must be an int, got float"),
        ((5, True, 3), TypeError, "n_hidden must be an int, got bool"),
    ],
)
@pytest.mark.parametrize("build", [two_layer_sequential, TwoLayerNet])
def test_bad_sizes_are_named(build, sizes, error, message):
    with pytest.raises(error, match=message):
        build(*sizes)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        ([[0.0] * 5], TypeError, "x must be a torch.Tensor, got list"),
        (torch.ones(2, 5, dtype=torch.long), TypeError, "floating-point dtype"),
        (torch.ones(5), ValueError, r"x must be 2-dimensional, got shape \(5,\)"),
        (torch.ones(2, 4), ValueError, r"shape \(batch, 5\).*got shape \(2, 4\)"),
    ],
)
def test_forward_errors_say_what_was_expected(x, error, message):
    with pytest.raises(error, match=message):
        TwoLayerNet(5, 4, 3)(x)


@pytest.mark.parametrize(
    ("n_input", "n_hidden", "n_output"), [(5, 4, 3), (1000, 100, 10)]
)
def test_count_parameters_matches_the_formula(n_input, n_hidden, n_output):
    expected = (n_input + 1) * n_hidden + (n_hidden + 1) * n_output
    assert (
        count_parameters(two_layer_sequential(n_input, n_hidden, n_output)) == expected
    )
    assert count_parameters(TwoLayerNet(n_input, n_hidden, n_output)) == expected


def test_count_parameters_counts_a_shared_layer_once():
    layer = nn.Linear(3, 3)
    assert count_parameters(nn.Sequential(layer, nn.ReLU(), layer)) == 12


def test_count_parameters_rejects_non_modules():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module, got list"):
        count_parameters([torch.zeros(3)])
