"""Tests of torchprimer.autograd: autograd's answers against hand-written maths."""

import pytest
import torch

from torchprimer.autograd import (
    jacobian_by_rows,
    train_two_layer,
    two_layer_loss,
    two_layer_step,
    vector_jacobian_product,
)


def _generator(seed=0):
    return torch.Generator().manual_seed(seed)


def _double_until_large(x):
    """The lesson's function: double x until its norm reaches 1000."""
    y = x * 2
    while y.norm() < 1000:
        y = y * 2
    return y


@pytest.fixture
def small_net():
    """Data and weights of a small two-layer network, float64."""
    g = _generator(1)
    x = torch.randn(6, 5, generator=g, dtype=torch.float64)
    y = torch.randn(6, 2, generator=g, dtype=torch.float64)
    w1 = torch.randn(5, 4, generator=g, dtype=torch.float64).requires_grad_()
    w2 = torch.randn(4, 2, generator=g, dtype=torch.float64).requires_grad_()
    return x, y, w1, w2


def _gradients_by_hand(x, y, w1, w2):
    """The backward pass of the two-layer network written out (no autograd)."""
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    grad_y_pred = 2.0 * (h_relu.mm(w2) - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h = grad_y_pred.mm(w2.t())
    grad_h[h < 0] = 0
    return x.t().mm(grad_h), grad_w2


# vector_jacobian_product


@pytest.mark.parametrize(
    "f",
    [
        lambda x: x.sin() * x.sum(),
        lambda x: x.cumsum(0),
        lambda x: torch.stack([x.prod(), x.norm()]),
        lambda x: torch.outer(x, x),
    ],
    ids=["sin-times-sum", "cumsum", "prod-and-norm", "outer"],
)
def test_vjp_is_v_times_the_jacobian(f):
    x = torch.randn(4, generator=_generator(), dtype=torch.float64)
    y = f(x)
    v = torch.randn(y.shape, generator=_generator(2), dtype=torch.float64)
    jacobian = torch.autograd.functional.jacobian(f, x).reshape(y.numel(), x.numel())
    expected = (v.reshape(1, -1) @ jacobian).reshape(x.shape)
    torch.testing.assert_close(vector_jacobian_product(f, x, v), expected)


def test_vjp_matches_torch_vjp_for_a_matrix_input():
    x = torch.randn(3, 2, generator=_generator(), dtype=torch.float64)
    v = torch.randn(2, 2, generator=_generator(3), dtype=torch.float64)

    def f(x):
        return x.t().mm(x).exp()

    _, expected = torch.autograd.functional.vjp(f, x, v)
    result = vector_jacobian_product(f, x, v)
    assert result.shape == x.shape
    torch.testing.assert_close(result, expected)


def test_vjp_of_the_doubling_loop_is_a_power_of_two_times_v():
    torch.manual_seed(0)
    x = torch.randn(3)
    v = torch.tensor([0.1, 1.0, 0.0001])
    y = _double_until_large(x)
    factor = (y / x)[0]  # y = 2**k * x
    torch.testing.assert_close(
        vector_jacobian_product(_double_until_large, x, v), factor * v
    )


def test_vjp_leaves_x_and_its_gradient_alone():
    x = torch.ones(3, requires_grad=True)
    x.grad = torch.full((3,), 7.0)
    vector_jacobian_product(lambda t: t * t, x, torch.ones(3))
    torch.testing.assert_close(x.grad, torch.full((3,), 7.0))
    torch.testing.assert_close(x.detach(), torch.ones(3))


def test_vjp_is_zero_when_f_ignores_x():
    w = torch.ones(2, requires_grad=True)
    result = vector_jacobian_product(lambda x: w * 2, torch.ones(2), torch.ones(2))
    assert torch.equal(result, torch.zeros(2))


def test_vjp_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"shape of f\(x\) \(3,\), got shape \(2,\)"):
        vector_jacobian_product(lambda x: x * 2, torch.ones(3), torch.ones(2))


def test_vjp_without_a_graph_says_why():
    with pytest.raises(ValueError, match=r"f\(x\) has no grad_fn"):
        vector_jacobian_product(lambda x: x.detach() * 2, torch.ones(3), torch.ones(3))


@pytest.mark.parametrize(
    ("x", "v", "message"),
    [
        (torch.ones(2, dtype=torch.long), torch.ones(2), r"x must have a floating"),
        (torch.ones(2), torch.ones(2, dtype=torch.long), r"v must have a floating"),
        ([1.0, 2.0], torch.ones(2), r"x must be a torch.Tensor, got list"),
    ],
)
def test_vjp_type_errors(x, v, message):
    with pytest.raises(TypeError, match=message):
        vector_jacobian_product(lambda t: t * 2, x, v)


def test_vjp_requires_f_to_return_a_tensor():
    with pytest.raises(TypeError, match=r"f\(x\) must be a torch.Tensor, got float"):
        vector_jacobian_product(lambda t: t.sum().item(), torch.ones(2), torch.ones(()))


# jacobian_by_rows


@pytest.mark.parametrize(
    ("f", "shape"),
    [
        (lambda x: x.cumsum(0), (4,)),
        (
            lambda x: x.tanh() @ torch.arange(6.0, dtype=torch.float64).reshape(3, 2),
            (2, 3),
        ),
        (lambda x: (x**2).sum(), (3,)),
        (lambda x: torch.outer(x, x.sin()), (3,)),
    ],
    ids=["cumsum", "matrix-in-vector-out", "scalar-out", "matrix-out"],
)
def test_jacobian_matches_torch(f, shape):
    x = torch.randn(shape, generator=_generator(), dtype=torch.float64)
    expected = torch.autograd.functional.jacobian(f, x)
    result = jacobian_by_rows(f, x)
    assert result.shape == expected.shape
    torch.testing.assert_close(result, expected)


def test_jacobian_of_an_elementwise_function_is_diagonal():
    x = torch.tensor([1.0, 2.0, 3.0])
    torch.testing.assert_close(jacobian_by_rows(lambda t: t**2, x), torch.diag(2 * x))


def test_jacobian_rejects_integers():
    with pytest.raises(TypeError, match="x must have a floating-point dtype"):
        jacobian_by_rows(lambda t: t, torch.arange(3))


# two_layer_loss


def test_loss_matches_nn_modules(small_net):
    x, y, w1, w2 = small_net
    model = torch.nn.Sequential(
        torch.nn.Linear(5, 4, bias=False),
        torch.nn.ReLU(),
        torch.nn.Linear(4, 2, bias=False),
    ).double()
    with torch.no_grad():
        model[0].weight.copy_(w1.t())
        model[2].weight.copy_(w2.t())
        expected = torch.nn.functional.mse_loss(model(x), y, reduction="sum")
        torch.testing.assert_close(two_layer_loss(x, y, w1, w2), expected)


def test_loss_gradients_match_the_backward_pass_by_hand(small_net):
    x, y, w1, w2 = small_net
    two_layer_loss(x, y, w1, w2).backward()
    grad_w1, grad_w2 = _gradients_by_hand(x, y, w1.detach(), w2.detach())
    torch.testing.assert_close(w1.grad, grad_w1)
    torch.testing.assert_close(w2.grad, grad_w2)


@pytest.mark.parametrize(
    ("shapes", "message"),
    [
        (
            ((6, 5), (6, 2), (4, 4), (4, 2)),
            r"w1 must have shape \(D_in, H\) with D_in = 5",
        ),
        (
            ((6, 5), (6, 2), (5, 4), (3, 2)),
            r"w2 must have shape \(H, D_out\) with H = 4",
        ),
        (
            ((6, 5), (5, 2), (5, 4), (4, 2)),
            r"y must have shape .* \(6, 2\) .* got shape \(5, 2\)",
        ),
        (
            ((6, 5), (6, 2), (5, 4), (4, 2, 1)),
            r"w2 must be 2-dimensional, got shape \(4, 2, 1\)",
        ),
        (
            ((30,), (6, 2), (5, 4), (4, 2)),
            r"x must be 2-dimensional, got shape \(30,\)",
        ),
    ],
)
def test_loss_shape_errors(shapes, message):
    tensors = [torch.ones(shape) for shape in shapes]
    with pytest.raises(ValueError, match=message):
        two_layer_loss(*tensors)


def test_loss_dtype_errors():
    x, y, w2 = torch.ones(2, 3), torch.ones(2, 1), torch.ones(4, 1)
    with pytest.raises(
        TypeError, match=r"one dtype, got torch.float32, .*torch.float64"
    ):
        two_layer_loss(x, y, torch.ones(3, 4, dtype=torch.float64), w2)
    with pytest.raises(TypeError, match="w1 must have a floating-point dtype"):
        two_layer_loss(x, y, torch.ones(3, 4, dtype=torch.long), w2)


# two_layer_step and train_two_layer


def test_step_is_gradient_descent(small_net):
    x, y, w1, w2 = small_net
    grad_w1, grad_w2 = _gradients_by_hand(x, y, w1.detach(), w2.detach())
    expected_w1 = w1.detach() - 0.01 * grad_w1
    expected_w2 = w2.detach() - 0.01 * grad_w2
    loss_before = two_layer_loss(x, y, w1, w2).item()
    w1.grad = torch.full_like(w1, 100.0)  # stale gradients must not leak in
    assert two_layer_step(x, y, w1, w2, 0.01) == loss_before
    torch.testing.assert_close(w1.detach(), expected_w1)
    torch.testing.assert_close(w2.detach(), expected_w2)
    assert w1.is_leaf
    assert w1.requires_grad


def test_training_matches_torch_optim_sgd(small_net):
    x, y, w1, w2 = small_net
    p1, p2 = (w.detach().clone().requires_grad_() for w in (w1, w2))
    optimizer = torch.optim.SGD([p1, p2], lr=0.002)
    expected = []
    for _ in range(20):
        loss = two_layer_loss(x, y, p1, p2)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        expected.append(loss.item())
    losses = train_two_layer(x, y, w1, w2, learning_rate=0.002, steps=20)
    assert losses == pytest.approx(expected)
    torch.testing.assert_close(w1.detach(), p1.detach())
    assert losses[-1] < losses[0]


def test_the_lesson_network_learns():
    torch.manual_seed(0)
    x, y = torch.randn(64, 1000), torch.randn(64, 10)
    w1 = torch.randn(1000, 100, requires_grad=True)
    w2 = torch.randn(100, 10, requires_grad=True)
    losses = train_two_layer(x, y, w1, w2, learning_rate=1e-6, steps=100)
    assert len(losses) == 100
    assert losses[-1] < 1e-4 * losses[0]


def test_step_needs_weights_that_require_grad():
    with pytest.raises(ValueError, match="w2 must require grad: create it with"):
        two_layer_step(
            torch.ones(2, 3),
            torch.ones(2, 1),
            torch.ones(3, 4, requires_grad=True),
            torch.ones(4, 1),
            0.1,
        )


def test_step_needs_leaf_weights():
    w1 = torch.ones(3, 4, requires_grad=True).to(torch.float64)  # not a leaf
    w2 = torch.ones(4, 1, dtype=torch.float64, requires_grad=True)
    x, y = torch.ones(2, 3, dtype=torch.float64), torch.ones(2, 1, dtype=torch.float64)
    with pytest.raises(
        ValueError, match=r"w1 must be a leaf tensor, got one made by .*ToCopy"
    ):
        two_layer_step(x, y, w1, w2, 0.1)


@pytest.mark.parametrize("learning_rate", [0, -0.1])
def test_step_needs_a_positive_learning_rate(learning_rate, small_net):
    with pytest.raises(
        ValueError, match=f"learning_rate must be positive, got {learning_rate}"
    ):
        two_layer_step(*small_net, learning_rate)


@pytest.mark.parametrize(
    ("steps", "error", "message"),
    [
        (0, ValueError, "steps must be at least 1, got 0"),
        (2.5, TypeError, "steps must be an int, got float"),
        (True, TypeError, "steps must be an int, got bool"),
    ],
)
def test_train_needs_a_whole_number_of_steps(steps, error, message, small_net):
    with pytest.raises(error, match=message):
        train_two_layer(*small_net, learning_rate=0.01, steps=steps)
