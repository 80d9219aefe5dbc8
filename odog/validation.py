"""Argument checks at odog's doors, with Keras' wording.

Every constructor, `train()`, `generate()`, data loader and the CLI check
their arguments here, so a bad value is refused where it enters with a
message that says what was expected and what was received, as
keras-team/keras does: "Invalid value received for argument `rate`. Expected
a float value between 0 and 1. Received: rate=1.5".
"""

import math

import numpy as np


def check_number(
    name: str,
    value,
    integer: bool = False,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    """Raises a `ValueError` unless `value` is a finite number within bounds.

    Args:
        name: the argument's name, for the message.
        value: the value received.
        integer: require an integer (booleans are refused either way).
        low: lower bound, or None.
        high: upper bound, or None.
        low_open: the lower bound itself is refused (`value > low`).
        high_open: the upper bound itself is refused (`value < high`).

    Example:
    >>> check_number("rate", 0.5, low=0, high=1)
    >>> check_number("rate", 1.5, low=0, high=1)
    Traceback (most recent call last):
    ...
    ValueError: Invalid value received for argument `rate`. Expected a number >= 0 and <= 1. Received: rate=1.5
    """
    kind = "an integer" if integer else "a number"
    ok = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.number))
    ok = ok and not isinstance(value, (bool, np.bool_)) and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        bounds = []
        if low is not None:
            bounds.append(f"{'>' if low_open else '>='} {low}")
        if high is not None:
            bounds.append(f"{'<' if high_open else '<='} {high}")
        raise ValueError(
            f"Invalid value received for argument `{name}`. Expected {kind}"
            f"{' ' + ' and '.join(bounds) if bounds else ''}. Received: {name}={value!r}"
        )


def check_weights(**weights: float) -> None:
    """`check_number` for each loss weight given by name: finite and >= 0 (0 turns a term off).

    Example:
    >>> check_weights(gan_weight=1.0, cycle_weight=-1)
    Traceback (most recent call last):
    ...
    ValueError: Invalid value received for argument `cycle_weight`. ...
    """
    for name, value in weights.items():
        check_number(name, value, low=0)


def check_images(images, shape: tuple, purpose: str) -> np.ndarray:
    """`images` as float32, after checking that they are a batch of `shape` (N, *shape).

    Args:
        images: the array received.
        shape: the shape of one image the model takes, (H, W, C).
        purpose: what the images are for, in the message ("to encode").

    Example:
    >>> check_images(np.zeros((2, 28, 28, 1)), (28, 28, 1), "to encode").dtype
    dtype('float32')
    >>> check_images(np.zeros((28, 28, 1)), (28, 28, 1), "to encode")
    Traceback (most recent call last):
    ...
    ValueError: Expected images of shape (N, 28, 28, 1) to encode. Received: images.shape=(28, 28, 1)
    """
    images = np.asarray(images, "float32")
    if images.ndim != len(shape) + 1 or tuple(images.shape[1:]) != tuple(shape):
        raise ValueError(
            f"Expected images of shape (N, {', '.join(map(str, shape))}) {purpose}. "
            f"Received: images.shape={images.shape}"
        )
    return images
