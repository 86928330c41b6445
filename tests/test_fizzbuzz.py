"""Tests of torchprimer.fizzbuzz: the game, the binary digits, the network."""

import pytest
import torch
from torch import nn

from torchprimer.fizzbuzz import (
    ANSWERS,
    NUM_DIGITS,
    binary_encode,
    fizz_buzz_decode,
    fizz_buzz_encode,
    fizz_buzz_model,
    predict,
)
from torchprimer.training import train


def classic_fizz_buzz(i):
    """The game as everybody writes it, straight to the words."""
    words = ("fizz" if i % 3 == 0 else "") + ("buzz" if i % 5 == 0 else "")
    return words or str(i)


# The game


@pytest.mark.parametrize(
    ("i", "label"),
    [
        (1, 0),
        (2, 0),
        (3, 1),
        (5, 2),
        (9, 1),
        (10, 2),
        (12, 1),
        (15, 3),
        (30, 3),
        (98, 0),
    ],
)
def test_encode_known_values(i, label):
    assert fizz_buzz_encode(i) == label


def test_encode_then_decode_plays_the_classic_game():
    for i in range(1, 1024):
        assert fizz_buzz_decode(i, fizz_buzz_encode(i)) == classic_fizz_buzz(i)


def test_decode_every_class():
    assert [fizz_buzz_decode(7, k) for k in range(4)] == [
        "7",
        "fizz",
        "buzz",
        "fizzbuzz",
    ]
    assert len(ANSWERS) == 4


@pytest.mark.parametrize("i", [0, -3, -15])
def test_encode_counts_from_one(i):
    with pytest.raises(ValueError, match=f"FizzBuzz counts from 1, got i={i}"):
        fizz_buzz_encode(i)


@pytest.mark.parametrize("i", [3.0, "15", True])
def test_encode_needs_an_int(i):
    with pytest.raises(TypeError, match=f"i must be an int, got {type(i).__name__}"):
        fizz_buzz_encode(i)


def test_encode_tells_how_to_pass_a_tensor():
    with pytest.raises(
        TypeError, match=r"got Tensor \(use .item\(\) to get a Python int\)"
    ):
        fizz_buzz_encode(torch.tensor(15))


@pytest.mark.parametrize("prediction", [4, -1])
def test_decode_rejects_unknown_classes(prediction):
    # A plain list would answer "fizzbuzz" for -1 without a word.
    with pytest.raises(
        ValueError,
        match=rf"0, 1, 2 or 3 \(number, fizz, buzz, fizzbuzz\), got {prediction}",
    ):
        fizz_buzz_decode(4, prediction)


def test_decode_rejects_a_tensor_prediction():
    with pytest.raises(TypeError, match="prediction must be an int, got Tensor"):
        fizz_buzz_decode(4, torch.tensor(1))


# The binary digits


def test_binary_encode_matches_python_bin():
    numbers = torch.arange(2**NUM_DIGITS)
    digits = binary_encode(numbers, NUM_DIGITS)
    assert digits.shape == (1024, NUM_DIGITS)
    assert digits.dtype == torch.float32
    for i, row in zip(numbers.tolist(), digits.tolist(), strict=True):
        # bin(i) writes the most significant digit first; the rows start with 2**0
        expected = [int(c) for c in reversed(bin(i)[2:].zfill(NUM_DIGITS))]
        assert row == expected


def test_binary_encode_gives_the_number_back():
    numbers = torch.tensor([0, 1, 7, 100, 101, 1023])
    powers = 2.0 ** torch.arange(NUM_DIGITS)
    assert (
        binary_encode(numbers, NUM_DIGITS) @ powers
    ).long().tolist() == numbers.tolist()


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int16, torch.int32, torch.int64])
def test_binary_encode_any_integer_dtype(dtype):
    numbers = torch.tensor([0, 5, 200], dtype=dtype)
    expected = binary_encode(numbers.long(), 8)
    torch.testing.assert_close(binary_encode(numbers, 8), expected)


def test_binary_encode_empty_and_widest():
    assert binary_encode(torch.tensor([], dtype=torch.long), 3).shape == (0, 3)
    big = torch.tensor([2**62 - 1])
    assert binary_encode(big, 62).sum().item() == 62


def test_binary_encode_rejects_negative_numbers():
    with pytest.raises(ValueError, match="numbers must be non-negative, got -3"):
        binary_encode(torch.tensor([5, -3, -1]), NUM_DIGITS)


def test_binary_encode_says_how_many_digits_are_needed():
    with pytest.raises(
        ValueError,
        match=r"10 binary digits hold numbers up to 1023, got 1024, "
        r"which needs num_digits=11",
    ):
        binary_encode(torch.tensor([3, 1024]), 10)


@pytest.mark.parametrize(
    ("numbers", "dtype"),
    [
        (torch.tensor([1.0, 2.0]), "torch.float32"),
        (torch.tensor([True, False]), "torch.bool"),
    ],
)
def test_binary_encode_needs_integers(numbers, dtype):
    with pytest.raises(TypeError, match=f"integer dtype .* got {dtype}"):
        binary_encode(numbers, NUM_DIGITS)


def test_binary_encode_needs_a_tensor():
    with pytest.raises(TypeError, match="numbers must be a torch.Tensor, got list"):
        binary_encode([1, 2, 3], NUM_DIGITS)


def test_binary_encode_needs_one_dimension():
    with pytest.raises(ValueError, match=r"1-dimensional, got shape \(2, 2\)"):
        binary_encode(torch.ones(2, 2, dtype=torch.long), NUM_DIGITS)


@pytest.mark.parametrize("num_digits", [0, 63])
def test_binary_encode_digit_range(num_digits):
    with pytest.raises(ValueError, match=f"between 1 and 62, got {num_digits}"):
        binary_encode(torch.tensor([1]), num_digits)


def test_binary_encode_num_digits_is_an_int():
    with pytest.raises(TypeError, match="num_digits must be an int, got float"):
        binary_encode(torch.tensor([1]), 10.0)


# The network


def test_model_layers_and_parameter_count():
    model = fizz_buzz_model()
    assert [type(layer) for layer in model] == [nn.Linear, nn.ReLU, nn.Linear]
    # 10 * 100 + 100 weights and biases, then 100 * 4 + 4
    assert sum(p.numel() for p in model.parameters()) == 1504
    assert model(torch.zeros(5, NUM_DIGITS)).shape == (5, 4)


def test_model_sizes():
    model = fizz_buzz_model(num_digits=12, num_hidden=7)
    assert (model[0].in_features, model[0].out_features) == (12, 7)
    assert (model[2].in_features, model[2].out_features) == (7, 4)


def test_model_rejects_empty_layers():
    with pytest.raises(ValueError, match="num_hidden must be at least 1, got 0"):
        fizz_buzz_model(num_hidden=0)


def test_predict_is_the_argmax_of_the_scores():
    torch.manual_seed(0)
    model = fizz_buzz_model()
    inputs = binary_encode(torch.arange(1, 101), NUM_DIGITS)
    expected = torch.nn.functional.softmax(model(inputs), dim=1).argmax(dim=1)
    predicted = predict(model, inputs)
    assert predicted.dtype == torch.int64
    assert torch.equal(predicted, expected)
    assert not model.training


def test_predict_errors():
    inputs = torch.zeros(3, NUM_DIGITS)
    with pytest.raises(
        TypeError, match="model must be a torch.nn.Module, got function"
    ):
        predict(lambda x: x, inputs)
    with pytest.raises(TypeError, match="inputs must have a floating-point dtype"):
        predict(fizz_buzz_model(), torch.zeros(3, NUM_DIGITS, dtype=torch.long))
    with pytest.raises(
        ValueError, match=r"inputs must be 2-dimensional, got shape \(10,\)"
    ):
        predict(fizz_buzz_model(), torch.zeros(NUM_DIGITS))
    with pytest.raises(ValueError, match=r"shape \(3, 4\), got shape \(3, 3\)"):
        predict(nn.Linear(NUM_DIGITS, 3), inputs)


# The lesson's better recipe (fizzbuzz.md) plays 1..100 without a mistake.
HIDDEN, LR, WEIGHT_DECAY, EPOCHS = 2000, 0.002, 0.3, 250


def test_better_recipe_plays_perfectly():
    train_numbers = torch.arange(101, 2**NUM_DIGITS)
    train_inputs = 2 * binary_encode(train_numbers, NUM_DIGITS) - 1
    train_targets = torch.tensor([fizz_buzz_encode(i) for i in train_numbers.tolist()])
    test_numbers = torch.arange(1, 101)
    test_inputs = 2 * binary_encode(test_numbers, NUM_DIGITS) - 1

    torch.manual_seed(0)
    model = fizz_buzz_model(num_hidden=HIDDEN)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    losses = train(
        model, nn.CrossEntropyLoss(), optimizer, train_inputs, train_targets, EPOCHS
    )
    assert losses[-1] < losses[0]

    said = [
        fizz_buzz_decode(i, p)
        for i, p in zip(
            test_numbers.tolist(), predict(model, test_inputs).tolist(), strict=True
        )
    ]
    assert said == [classic_fizz_buzz(i) for i in range(1, 101)]
