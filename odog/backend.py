"""The one module that touches a backend directly.

Everything else in odog is written with `keras` and `keras.ops`. Three things
cannot be: taking gradients of a loss with respect to variables, taking the
gradient of a model's output with respect to its input (gradient penalties),
and turning a Python step function into one compiled call. Both live here, so porting odog
to another Keras backend means filling in this file.
"""

from collections.abc import Callable, Sequence
from typing import Any

import keras

_SUPPORTED = ("tensorflow",)


def _check_backend() -> str:
    name = keras.backend.backend()
    if name not in _SUPPORTED:
        raise NotImplementedError(
            f"odog's training step supports the {', '.join(_SUPPORTED)} "
            f"backend; the active Keras backend is '{name}'. Set the "
            "environment variable KERAS_BACKEND=tensorflow before importing "
            "keras."
        )
    return name


def gradients(loss_fn: Callable[[], tuple[Any, dict]], variables: Sequence[keras.Variable]) -> tuple[list, dict]:
    """Runs `loss_fn()` and returns the gradients of its loss.

    Args:
        loss_fn: a function of no arguments returning `(loss, logs)`, where
            `loss` is a scalar tensor and `logs` a dict of tensors to report.
        variables: the variables to differentiate with respect to.

    Returns:
        A tuple `(grads, logs)`, with one gradient per variable.
    """
    _check_backend()
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss, logs = loss_fn()
    return tape.gradient(loss, list(variables)), logs


def input_gradients(fn: Callable[[Any], Any], inputs) -> Any:
    """The gradient of `sum(fn(inputs))` with respect to `inputs`.

    Differentiable itself: called inside `gradients()`'s `loss_fn`, the
    result's dependence on the variables is recorded, which is what gradient
    penalties need.

    Example:
    >>> import numpy as np
    >>> x = keras.ops.convert_to_tensor(np.array([[1.0, 2.0]], "float32"))
    >>> keras.ops.convert_to_numpy(input_gradients(lambda v: v**2, x)).tolist()
    [[2.0, 4.0]]
    """
    _check_backend()
    import tensorflow as tf

    inputs = tf.convert_to_tensor(inputs)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        total = tf.reduce_sum(fn(inputs))
    return tape.gradient(total, inputs)


def compile_function(fn: Callable, jit_compile: bool = True) -> Callable:
    """Compiles a step function into one graph call (XLA when possible)."""
    _check_backend()
    import tensorflow as tf

    return tf.function(fn, jit_compile=jit_compile, reduce_retracing=True)
