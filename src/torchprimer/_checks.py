"""Argument checks shared by the lessons: errors that say what was expected."""

from __future__ import annotations

import torch


def require_tensor(name: str, value: object) -> torch.Tensor:
    """Return ``value`` if it is a tensor, else raise a ``TypeError`` naming it."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    return value


def require_floating(name: str, value: torch.Tensor) -> torch.Tensor:
    """Raise a ``TypeError`` unless ``value`` holds floating-point numbers."""
    if not value.is_floating_point():
        raise TypeError(
            f"{name} must have a floating-point dtype (e.g. torch.float32), "
            f"got {value.dtype}"
        )
    return value


def require_ndim(name: str, value: torch.Tensor, ndim: int) -> torch.Tensor:
    """Raise a ``ValueError`` unless ``value`` has exactly ``ndim`` dimensions."""
    if value.dim() != ndim:
        raise ValueError(
            f"{name} must be {ndim}-dimensional, got shape {tuple(value.shape)}"
        )
    return value


def require_same_rows(
    name: str, value: torch.Tensor, other_name: str, other: torch.Tensor
) -> None:
    """Raise a ``ValueError`` unless both tensors have one row per example."""
    if value.shape[0] != other.shape[0]:
        raise ValueError(
            f"{name} and {other_name} must have one row per example, got "
            f"{value.shape[0]} rows of {name} and {other.shape[0]} of {other_name}"
        )


def require_int(name: str, value: object, minimum: int | None = None) -> int:
    """Return ``value`` if it is an ``int`` of at least ``minimum``, else raise.

    A ``TypeError`` for anything that is not an ``int`` (``bool`` included:
    ``True`` is no count), a ``ValueError`` for an ``int`` below ``minimum``.
    """
    if not isinstance(value, int) or isinstance(value, bool):
        hint = " (use .item() to get a Python int)" if torch.is_tensor(value) else ""
        raise TypeError(f"{name} must be an int, got {type(value).__name__}{hint}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value
