"""Tests of torchprimer.training: the loop against one written out by hand."""

import itertools

import pytest
import torch
from torch import nn

from torchprimer.training import train


@pytest.fixture
def data():
    """A noisy line y = 3x - 1, as 20 rows of one input and one target."""
    generator = torch.Generator().manual_seed(0)
    x = torch.linspace(-1, 1, 20).unsqueeze(1)
    y = 3 * x - 1 + 0.1 * torch.randn(20, 1, generator=generator)
    return x, y


def _model(seed=0):
    torch.manual_seed(seed)
    return nn.Linear(1, 1)


def _by_hand(model, x, y, epochs, batch_size, learning_rate):
    """Plain gradient descent in mini-batches, with the update written out."""
    history = []
    for _ in range(epochs):
        losses = []
        for start in range(0, len(x), batch_size):
            loss = nn.functional.mse_loss(
                model(x[start : start + batch_size]), y[start : start + batch_size]
            )
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for parameter in model.parameters():
                    parameter -= learning_rate * parameter.grad
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history


def test_one_loss_per_epoch_and_the_loss_decreases(data):
    model = _model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = train(model, nn.MSELoss(), sgd, *data, epochs=100)
    assert len(losses) == 100
    assert all(isinstance(loss, float) for loss in losses)
    assert losses[-1] < losses[0] / 10
    assert all(later <= earlier for earlier, later in itertools.pairwise(losses))


def test_the_first_loss_is_the_untrained_models(data):
    x, y = data
    model = _model()
    with torch.no_grad():
        untrained = nn.functional.mse_loss(model(x), y).item()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    assert train(model, nn.MSELoss(), sgd, x, y, epochs=3)[0] == pytest.approx(
        untrained
    )


def test_it_learns_the_line(data):
    model = _model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    train(model, nn.MSELoss(), sgd, *data, epochs=500)
    assert model.weight.item() == pytest.approx(3, abs=0.1)
    assert model.bias.item() == pytest.approx(-1, abs=0.1)


@pytest.mark.parametrize("batch_size", [None, 20, 32, 7, 1])
def test_matches_gradient_descent_by_hand(data, batch_size):
    x, y = data
    model, reference = _model(), _model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = train(model, nn.MSELoss(), sgd, x, y, epochs=5, batch_size=batch_size)
    expected = _by_hand(reference, x, y, 5, batch_size or len(x), learning_rate=0.05)
    assert losses == pytest.approx(expected, rel=1e-5)
    for ours, theirs in zip(model.parameters(), reference.parameters(), strict=True):
        torch.testing.assert_close(ours, theirs)


def test_the_epoch_loss_is_the_mean_over_batches(data):
    x, y = data
    model = _model()
    # lr=0: nothing changes, so every batch's loss is the untrained model's.
    sgd = torch.optim.SGD(model.parameters(), lr=0.0)
    with torch.no_grad():
        per_batch = [
            nn.functional.mse_loss(model(x[i : i + 8]), y[i : i + 8])
            for i in (0, 8, 16)
        ]
    expected = (sum(per_batch) / 3).item()
    assert train(
        model, nn.MSELoss(), sgd, x, y, epochs=2, batch_size=8
    ) == pytest.approx([expected, expected])


def test_puts_the_model_in_training_mode(data):
    model = _model().eval()
    train(
        model,
        nn.MSELoss(),
        torch.optim.SGD(model.parameters(), lr=0.1),
        *data,
        epochs=1,
    )
    assert model.training


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"inputs": [[1.0]]}, TypeError, "inputs must be a torch.Tensor, got list"),
        ({"targets": 1.0}, TypeError, "targets must be a torch.Tensor, got float"),
        (
            {"targets": torch.zeros(19, 1)},
            ValueError,
            "got 20 rows of inputs and 19 of targets",
        ),
        ({"epochs": 0}, ValueError, "epochs must be at least 1, got 0"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1, got 0"),
        ({"epochs": 2.0}, TypeError, "epochs must be an int, got float"),
        ({"batch_size": True}, TypeError, "batch_size must be an int, got bool"),
    ],
)
def test_errors_say_what_was_expected(data, arguments, error, message):
    x, y = data
    model = _model()
    call = {
        "model": model,
        "loss_fn": nn.MSELoss(),
        "optimizer": torch.optim.SGD(model.parameters(), lr=0.1),
        "inputs": x,
        "targets": y,
        "epochs": 1,
    }
    with pytest.raises(error, match=message):
        train(**{**call, **arguments})
    assert model.weight.grad is None  # it failed before touching the model
