"""Tests of torchprimer.data: the dataset, the classifier, and the hand-written
softmax, cross-entropy and accuracy against PyTorch's own."""

import math

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from torchprimer.data import (
    DigitsDataset,
    accuracy,
    cross_entropy,
    digits_model,
    evaluate,
    softmax,
)


@pytest.fixture
def generator():
    return torch.Generator().manual_seed(0)


@pytest.fixture
def images(generator):
    """Five 8 x 8 images with integer pixels from 0 to 16, like load_digits."""
    return torch.randint(0, 17, (5, 8, 8), generator=generator).double()


# DigitsDataset


def test_dataset_length_and_items(images):
    labels = torch.tensor([3, 1, 4, 1, 5])
    dataset = DigitsDataset(images, labels)
    assert len(dataset) == 5
    pixels, label = dataset[2]
    assert pixels.shape == (64,)
    assert pixels.dtype == torch.float32
    assert label.dtype == torch.int64
    assert label.item() == 4
    torch.testing.assert_close(pixels, images[2].flatten().float() / 16)


def test_dataset_scales_pixels_to_the_unit_interval():
    images = torch.tensor([[[0, 16], [4, 8]]])
    pixels, _ = DigitsDataset(images, torch.tensor([0]))[0]
    assert pixels.tolist() == [0.0, 1.0, 0.25, 0.5]
    pixels, _ = DigitsDataset(images, torch.tensor([0]), max_value=32)[0]
    assert pixels.tolist() == [0.0, 0.5, 0.125, 0.25]


def test_dataset_matches_tensor_dataset(images):
    labels = torch.tensor([0, 1, 2, 3, 4])
    ours = DigitsDataset(images, labels)
    theirs = TensorDataset(images.reshape(5, -1).float() / 16, labels)
    for index in range(5):
        for mine, reference in zip(ours[index], theirs[index], strict=True):
            assert torch.equal(mine, reference)


def test_dataloader_stacks_items_into_batches(images):
    dataset = DigitsDataset(images, torch.tensor([0, 1, 2, 3, 4]))
    batches = list(DataLoader(dataset, batch_size=2))
    assert [tuple(inputs.shape) for inputs, _ in batches] == [(2, 64), (2, 64), (1, 64)]
    assert torch.equal(torch.cat([labels for _, labels in batches]), dataset.labels)


def test_dataset_rejects_a_label_count_that_differs(images):
    with pytest.raises(
        ValueError, match="one entry per example, got 5 images and 4 labels"
    ):
        DigitsDataset(images, torch.tensor([0, 1, 2, 3]))


def test_dataset_rejects_pixels_out_of_range(images):
    with pytest.raises(ValueError, match=r"between 0 and max_value=16, got values"):
        DigitsDataset(images + 1, torch.zeros(5, dtype=torch.int64))
    with pytest.raises(ValueError, match="got values from -1.0"):
        DigitsDataset(images - 1, torch.zeros(5, dtype=torch.int64))


@pytest.mark.parametrize(
    ("images", "labels", "error", "message"),
    [
        (
            [[[0]]],
            torch.tensor([0]),
            TypeError,
            "images must be a torch.Tensor, got list",
        ),
        (
            torch.zeros(5, 64),
            torch.zeros(5, dtype=torch.int64),
            ValueError,
            r"images must be 3-dimensional, got shape \(5, 64\)",
        ),
        (
            torch.zeros(2, 8, 8),
            torch.tensor([0.0, 1.0]),
            TypeError,
            "labels must hold integer classes .* got torch.float32",
        ),
        (
            torch.zeros(2, 8, 8),
            torch.tensor([[0, 1]]),
            ValueError,
            "labels must be 1-dimensional",
        ),
        (
            torch.zeros(2, 8, 8),
            torch.tensor([0, -1]),
            ValueError,
            r"labels must be classes 0, 1, 2, ..., got -1",
        ),
        (
            torch.zeros(1, 2, 2, dtype=torch.bool),
            torch.tensor([0]),
            TypeError,
            "images must hold real pixel values, got torch.bool",
        ),
    ],
)
def test_dataset_argument_errors(images, labels, error, message):
    with pytest.raises(error, match=message):
        DigitsDataset(images, labels)


def test_dataset_rejects_a_non_positive_max_value(images):
    with pytest.raises(ValueError, match="max_value must be positive, got 0"):
        DigitsDataset(images, torch.zeros(5, dtype=torch.int64), max_value=0)


# digits_model


def test_model_shapes_and_parameter_count():
    model = digits_model()
    assert model(torch.zeros(7, 64)).shape == (7, 10)
    assert sum(p.numel() for p in model.parameters()) == 64 * 32 + 32 + 32 * 10 + 10
    assert digits_model(num_inputs=4, num_hidden=3, num_classes=2)(
        torch.zeros(1, 4)
    ).shape == (1, 2)


def test_dropout_acts_only_in_training_mode():
    torch.manual_seed(0)
    model = digits_model(dropout=0.5)
    x = torch.rand(4, 64)
    model.eval()
    assert torch.equal(model(x), model(x))
    model.train()
    assert not torch.equal(model(x), model(x))


def test_model_without_dropout_is_the_same_in_both_modes():
    torch.manual_seed(0)
    model = digits_model(dropout=0.0)
    x = torch.rand(4, 64)
    in_training_mode = model(x)
    model.eval()
    assert torch.equal(model(x), in_training_mode)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"dropout": 1.0},
            ValueError,
            "dropout must be at least 0 and below 1, got 1.0",
        ),
        ({"dropout": -0.1}, ValueError, "got -0.1"),
        ({"dropout": "0.2"}, TypeError, "dropout must be a float, got str"),
        ({"dropout": True}, TypeError, "dropout must be a float, got bool"),
        ({"num_classes": 1}, ValueError, "num_classes must be at least 2, got 1"),
        ({"num_hidden": 2.5}, TypeError, "num_hidden must be an int, got float"),
    ],
)
def test_model_argument_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        digits_model(**kwargs)


# softmax and cross_entropy against PyTorch


@pytest.fixture
def logits(generator):
    return 3 * torch.randn(6, 10, generator=generator)


@pytest.fixture
def labels(generator):
    return torch.randint(0, 10, (6,), generator=generator)


def test_softmax_matches_torch(logits):
    torch.testing.assert_close(softmax(logits), torch.softmax(logits, dim=1))


def test_softmax_rows_are_probabilities(logits):
    probabilities = softmax(logits)
    assert (probabilities > 0).all()
    torch.testing.assert_close(probabilities.sum(dim=1), torch.ones(6))


def test_softmax_keeps_the_order_of_the_classes(logits):
    assert torch.equal(softmax(logits).argmax(dim=1), logits.argmax(dim=1))


def test_softmax_does_not_overflow():
    big = torch.tensor([[1000.0, 1001.0], [-1000.0, -1000.0]])
    probabilities = softmax(big)
    assert torch.isfinite(probabilities).all()
    torch.testing.assert_close(probabilities, torch.softmax(big, dim=1))


def test_softmax_of_double_stays_double(logits):
    assert softmax(logits.double()).dtype == torch.float64


def test_cross_entropy_matches_torch(logits, labels):
    torch.testing.assert_close(
        cross_entropy(logits, labels), nn.CrossEntropyLoss()(logits, labels)
    )


def test_cross_entropy_is_minus_log_softmax_of_the_right_class(logits, labels):
    by_formula = -torch.log(softmax(logits)[torch.arange(6), labels]).mean()
    torch.testing.assert_close(cross_entropy(logits, labels), by_formula)


def test_cross_entropy_matches_torch_with_one_hot_probabilities(logits, labels):
    one_hot = nn.functional.one_hot(labels, num_classes=10).float()
    torch.testing.assert_close(
        cross_entropy(logits, labels), nn.CrossEntropyLoss()(logits, one_hot)
    )


def test_cross_entropy_of_equal_logits_is_log_of_the_class_count(labels):
    loss = cross_entropy(torch.zeros(6, 10), labels)
    assert loss.item() == pytest.approx(math.log(10))


def test_cross_entropy_stays_finite_for_a_hopeless_prediction():
    logits = torch.tensor([[1000.0, -1000.0]])
    loss = cross_entropy(logits, torch.tensor([1]))
    assert loss.item() == pytest.approx(2000.0)
    torch.testing.assert_close(loss, nn.CrossEntropyLoss()(logits, torch.tensor([1])))


def test_cross_entropy_gradient_matches_torch(logits, labels):
    ours = logits.clone().requires_grad_()
    theirs = logits.clone().requires_grad_()
    cross_entropy(ours, labels).backward()
    nn.functional.cross_entropy(theirs, labels).backward()
    torch.testing.assert_close(ours.grad, theirs.grad)


@pytest.mark.parametrize(
    ("logits", "labels", "error", "message"),
    [
        (
            torch.zeros(3, 4),
            torch.tensor([0, 1]),
            ValueError,
            "one row per example, got 3 rows of logits and 2 of labels",
        ),
        (
            torch.zeros(2, 4),
            torch.tensor([0, 4]),
            ValueError,
            "labels must be classes below 4, one per column of logits, got 4",
        ),
        (
            torch.zeros(2, 4),
            torch.tensor([0.0, 1.0]),
            TypeError,
            "labels must hold integer classes",
        ),
        (
            torch.zeros(2, 4, dtype=torch.int64),
            torch.tensor([0, 1]),
            TypeError,
            "logits must have a floating-point dtype",
        ),
        (
            torch.zeros(4),
            torch.tensor([0]),
            ValueError,
            r"logits must be 2-dimensional, got shape \(4,\)",
        ),
        (
            [[0.0, 1.0]],
            torch.tensor([0]),
            TypeError,
            "logits must be a torch.Tensor, got list",
        ),
    ],
)
def test_cross_entropy_argument_errors(logits, labels, error, message):
    with pytest.raises(error, match=message):
        cross_entropy(logits, labels)


def test_softmax_argument_errors():
    with pytest.raises(ValueError, match="logits must be 2-dimensional"):
        softmax(torch.zeros(3))
    with pytest.raises(TypeError, match="floating-point dtype"):
        softmax(torch.zeros(2, 3, dtype=torch.int64))


# accuracy and evaluate


def test_accuracy_counts_argmax_hits(logits, labels):
    expected = (logits.argmax(dim=1) == labels).float().mean().item()
    assert accuracy(logits, labels) == pytest.approx(expected)


def test_accuracy_by_hand():
    logits = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert accuracy(logits, torch.tensor([1, 0, 0, 0])) == 0.75
    assert accuracy(logits, torch.tensor([1, 0, 1, 0])) == 1.0
    assert accuracy(logits, torch.tensor([0, 1, 0, 1])) == 0.0


def test_accuracy_needs_an_example():
    with pytest.raises(ValueError, match="at least one example, got 0"):
        accuracy(torch.zeros(0, 3), torch.zeros(0, dtype=torch.int64))


def test_evaluate_matches_accuracy_on_all_data(generator):
    torch.manual_seed(0)
    model = digits_model()
    inputs = torch.rand(50, 64, generator=generator)
    labels = torch.randint(0, 10, (50,), generator=generator)
    model.eval()
    with torch.no_grad():
        expected = accuracy(model(inputs), labels)
    model.train()
    loader = DataLoader(TensorDataset(inputs, labels), batch_size=16)
    assert evaluate(model, loader) == pytest.approx(expected)


def test_evaluate_leaves_the_model_in_evaluation_mode_without_gradients():
    torch.manual_seed(0)
    model = digits_model()
    model.train()
    evaluate(model, [(torch.rand(4, 64), torch.tensor([0, 1, 2, 3]))])
    assert not model.training
    assert all(parameter.grad is None for parameter in model.parameters())


def test_evaluate_is_repeatable_despite_dropout():
    torch.manual_seed(0)
    model = digits_model(dropout=0.5)
    batches = [(torch.rand(40, 64), torch.randint(0, 10, (40,)))]
    assert evaluate(model, batches) == evaluate(model, batches)


def test_evaluate_argument_errors():
    with pytest.raises(
        TypeError, match="model must be a torch.nn.Module, got function"
    ):
        evaluate(lambda x: x, [])
    with pytest.raises(ValueError, match="at least one batch, got none"):
        evaluate(digits_model(), [])
