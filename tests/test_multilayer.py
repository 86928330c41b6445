"""Tests of torchprimer.multilayer: layers against torch.nn.Linear."""

import pytest
import torch

from torchprimer.multilayer import layer_forward, network_forward


def _linear(weights, bias):
    """A torch.nn.Linear holding the same parameters (it stores weights as (out, in))."""
    layer = torch.nn.Linear(*weights.shape, dtype=weights.dtype)
    with torch.no_grad():
        layer.weight.copy_(weights.T)
        layer.bias.copy_(bias.view(-1))
    return layer


@pytest.fixture
def generator():
    return torch.Generator().manual_seed(0)


def test_layer_matches_nn_linear(generator):
    inputs = torch.randn(4, 3, generator=generator, dtype=torch.float64)
    weights = torch.randn(3, 5, generator=generator, dtype=torch.float64)
    bias = torch.randn(1, 5, generator=generator, dtype=torch.float64)
    with torch.no_grad():
        expected = torch.sigmoid(_linear(weights, bias)(inputs))
    torch.testing.assert_close(layer_forward(inputs, weights, bias), expected)


def test_layer_uses_the_given_activation(generator):
    inputs = torch.randn(2, 3, generator=generator)
    weights = torch.randn(3, 2, generator=generator)
    bias = torch.zeros(1, 2)
    torch.testing.assert_close(
        layer_forward(inputs, weights, bias, activation=torch.relu),
        torch.relu(inputs @ weights),
    )


def test_network_matches_nn_sequential(generator):
    sizes = [(3, 4), (4, 2), (2, 1)]
    layers = [
        (
            torch.randn(n_in, n_out, generator=generator, dtype=torch.float64),
            torch.randn(1, n_out, generator=generator, dtype=torch.float64),
        )
        for n_in, n_out in sizes
    ]
    model = torch.nn.Sequential(
        *(module for w, b in layers for module in (_linear(w, b), torch.nn.Sigmoid()))
    )
    inputs = torch.randn(6, 3, generator=generator, dtype=torch.float64)
    with torch.no_grad():
        expected = model(inputs)
    torch.testing.assert_close(network_forward(inputs, layers), expected)


def test_lesson_value():
    # The seed notebooks' 3-2-1 network prints tensor([[0.3171]]).
    torch.manual_seed(7)
    features = torch.randn((1, 3))
    w1, w2 = torch.randn(3, 2), torch.randn(2, 1)
    b1, b2 = torch.randn((1, 2)), torch.randn((1, 1))
    output = network_forward(features, [(w1, b1), (w2, b2)])
    assert output.shape == (1, 1)
    assert round(output.item(), 4) == 0.3171


@pytest.mark.parametrize(
    ("inputs", "weights", "bias", "error", "message"),
    [
        (torch.ones(1, 4), torch.ones(3, 2), torch.ones(1, 2), ValueError,
         r"inputs have 4 columns but weights have 3 rows: inputs \(1, 4\) @ weights \(3, 2\)"),
        (torch.ones(1, 3), torch.ones(3, 2), torch.ones(2), ValueError,
         r"bias must be 2-dimensional, got shape \(2,\)"),
        (torch.ones(1, 3), torch.ones(3, 2), torch.ones(1, 3), ValueError,
         r"bias must have shape \(1, 2\) to match weights \(3, 2\), got shape \(1, 3\)"),
        (torch.ones(3), torch.ones(3, 2), torch.ones(1, 2), ValueError,
         r"inputs must be 2-dimensional, got shape \(3,\)"),
        (torch.ones(1, 3, dtype=torch.int64), torch.ones(3, 2), torch.ones(1, 2), TypeError,
         r"inputs must have a floating-point dtype .* got torch.int64"),
        ([[1.0, 2.0, 3.0]], torch.ones(3, 2), torch.ones(1, 2), TypeError,
         r"inputs must be a torch.Tensor, got list"),
    ],
)  # fmt: skip
def test_layer_errors_name_expected_and_given(inputs, weights, bias, error, message):
    with pytest.raises(error, match=message):
        layer_forward(inputs, weights, bias)


def test_network_error_names_the_layer():
    layers = [
        (torch.ones(3, 2), torch.ones(1, 2)),
        (torch.ones(3, 1), torch.ones(1, 1)),
    ]
    with pytest.raises(ValueError, match=r"^layer 2: inputs have 2 columns"):
        network_forward(torch.ones(1, 3), layers)


def test_network_needs_a_layer():
    with pytest.raises(ValueError, match="at least one"):
        network_forward(torch.ones(1, 3), [])
