"""Tests of torchprimer.neuron: the hand-written unit against PyTorch's own."""

import pytest
import torch

from torchprimer.neuron import neuron_by_matmul, neuron_by_sum, sigmoid


@pytest.fixture
def seeded_unit():
    """The lesson's data: seed 7, five features, their weights and a bias."""
    torch.manual_seed(7)
    features = torch.randn((1, 5))
    weights = torch.randn_like(features)
    bias = torch.randn((1, 1))
    return features, weights, bias


def test_sigmoid_matches_torch():
    x = torch.linspace(-20, 20, steps=401, dtype=torch.float64)
    torch.testing.assert_close(sigmoid(x), torch.sigmoid(x))


def test_sigmoid_keeps_shape_and_range():
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(0))
    y = sigmoid(x)
    assert y.shape == x.shape
    assert bool(((y > 0) & (y < 1)).all())


def test_sigmoid_rejects_integers():
    with pytest.raises(TypeError, match=r"floating-point dtype .* got torch.int64"):
        sigmoid(torch.tensor([1, 2]))


def test_sigmoid_rejects_non_tensors():
    with pytest.raises(TypeError, match="x must be a torch.Tensor, got list"):
        sigmoid([0.0])


@pytest.mark.parametrize("neuron", [neuron_by_sum, neuron_by_matmul])
def test_lesson_value(neuron, seeded_unit):
    # The value the seed notebooks print: tensor([[0.1595]]).
    output = neuron(*seeded_unit)
    assert output.shape == (1, 1)
    assert round(output.item(), 4) == 0.1595


@pytest.mark.parametrize("neuron", [neuron_by_sum, neuron_by_matmul])
def test_matches_torch_linear_layer(neuron, seeded_unit):
    features, weights, bias = seeded_unit
    layer = torch.nn.Linear(5, 1)
    with torch.no_grad():
        layer.weight.copy_(weights)
        layer.bias.copy_(bias.view(1))
        expected = torch.sigmoid(layer(features))
    torch.testing.assert_close(neuron(features, weights, bias), expected)


@pytest.mark.parametrize("neuron", [neuron_by_sum, neuron_by_matmul])
@pytest.mark.parametrize(
    ("features", "weights", "bias", "message"),
    [
        (torch.ones(5), torch.ones(5), torch.ones(1, 1), r"features must be 2-dim"),
        (torch.ones(2, 5), torch.ones(2, 5), torch.ones(1, 1), r"one row .* \(2, 5\)"),
        (
            torch.ones(1, 5),
            torch.ones(5, 1),
            torch.ones(1, 1),
            r"\(1, 5\), got .*\(5, 1\)",
        ),
        (
            torch.ones(1, 5),
            torch.ones(1, 5),
            torch.ones(1),
            r"bias must have shape \(1, 1\)",
        ),
    ],
)
def test_shape_errors_name_expected_and_given(neuron, features, weights, bias, message):
    with pytest.raises(ValueError, match=message):
        neuron(features, weights, bias)


def test_dtype_error_names_the_argument():
    with pytest.raises(TypeError, match="weights must have a floating-point dtype"):
        neuron_by_sum(
            torch.ones(1, 2), torch.ones(1, 2, dtype=torch.long), torch.ones(1, 1)
        )
