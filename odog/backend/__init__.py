"""The only place in odog that touches TensorFlow, JAX or torch directly.

Everything else is written with `keras` and `keras.ops`. Three things cannot
be: the gradients of a loss with respect to variables, the gradient of a
model's output with respect to its input (gradient penalties), and turning a
Python step function into one compiled call. Each backend file fills in
these three for the Keras backend of its name (and applies an optimizer in
a way its tracing accepts), and says which random state
of its own a checkpoint must keep (`global_rng_state`):

- `tensorflow.py`: `tf.GradientTape` and `tf.function` (XLA), variables
  updated in place;
- `jax.py`: `jax.value_and_grad` and `jax.jit` over a pure function of the
  variables' values, run in a `keras.StatelessScope` so that the same step
  code (optimizer updates, assignments, random draws) is traced statelessly;
- `torch.py`: `torch.autograd`, run eagerly.

The backend is Keras', chosen before Keras is imported (`KERAS_BACKEND`).
"""

import importlib
from collections.abc import Callable, Sequence
from typing import Any

import keras

SUPPORTED = ("tensorflow", "jax", "torch")


def name() -> str:
    """The active Keras backend, if odog supports it.

    Raises:
        NotImplementedError: the backend is not one of `SUPPORTED`.
    """
    active = keras.backend.backend()
    if active not in SUPPORTED:
        raise NotImplementedError(
            f"odog trains on the {', '.join(SUPPORTED)} Keras backends; the active one is '{active}'. "
            "Set the environment variable KERAS_BACKEND to one of them before importing keras."
        )
    return active


_MODULES: dict = {}


def _module():
    # Imported once, outside any traced step (compile_function is called
    # eagerly), so that tracing never meets the import machinery.
    active = name()
    if active not in _MODULES:
        _MODULES[active] = importlib.import_module(f"odog.backend.{active}")
    return _MODULES[active]


def gradients(loss_fn: Callable[[], tuple[Any, dict]], variables: Sequence[keras.Variable]) -> tuple[list, dict]:
    """Runs `loss_fn()` and returns the gradients of its loss.

    Variables that `loss_fn` assigns (BatchNorm statistics, random-seed
    states) keep their new values, on every backend.

    Args:
        loss_fn: a function of no arguments returning `(loss, logs)`, where
            `loss` is a scalar tensor and `logs` a dict of tensors to report.
        variables: the variables to differentiate with respect to.

    Returns:
        A tuple `(grads, logs)`, with one gradient per variable.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> grads, logs = gradients(lambda: (keras.ops.sum(v * v), {}), [v])
    >>> keras.ops.convert_to_numpy(grads[0]).tolist()
    [2.0, 4.0]
    """
    return _module().gradients(loss_fn, list(variables))


def apply_gradients(optimizer: keras.optimizers.Optimizer, grads: list, variables: Sequence[keras.Variable]) -> None:
    """`optimizer.apply(grads, variables)`, traceable on every backend.

    On JAX a `keras.optimizers.LossScaleOptimizer` (what Keras compiles a
    "mixed_float16" model with) is applied through its stateless form: its
    stateful `apply` assigns inside `ops.cond` branches, which `jax.jit`
    cannot trace.

    Example:
    >>> v = keras.Variable([1.0])
    >>> apply_gradients(keras.optimizers.SGD(0.5), [keras.ops.ones((1,))], [v])
    >>> keras.ops.convert_to_numpy(v).tolist()
    [0.5]
    """
    _module().apply_gradients(optimizer, list(grads), list(variables))


def data_parallel(devices: int):
    """A context in which GANs are built and trained data-parallel over `devices` devices.

    The engine is the active backend's own: `keras.distribution.DataParallel`
    on JAX, `tf.distribute.MirroredStrategy` on TensorFlow, over the first
    `devices` accelerators (or CPUs when there are none). One device: no
    change. Used by `odog train --devices N`; in Python, either engine can
    be used directly.

    Raises:
        ValueError: fewer devices than asked for, or torch (Keras' torch
            backend has no distribution API).

    Example:
    >>> with data_parallel(1):
    ...     pass
    """
    from odog.validation import check_number

    check_number("devices", devices, integer=True, low=1)
    return _module().data_parallel(devices)


def shard_batch(structure):
    """Splits a batch (a tensor or a list of tensors, batch axis first) over the devices training runs on.

    Called on every batch the compiled step feeds its models, so that on
    several devices each gets its share and the gradients are summed over
    all of them (synchronous data parallelism), by the backend's own engine:
    - JAX: under `keras.distribution.set_distribution(DataParallel(...))`,
      each tensor takes the distribution's data layout (sharded on its
      batch axis); XLA partitions the step and all-reduces the gradients;
    - TensorFlow: inside `tf.distribute.MirroredStrategy().scope()`, each
      replica keeps its slice of the global batch.
    The same tensors, unchanged, on one device.
    """
    return _module().shard_batch(structure)


def replicas() -> int:
    """How many devices `shard_batch` splits a batch over (1 on one device); batches must divide by it."""
    return _module().replicas()


def synchronize(models: Sequence[keras.Model]) -> None:
    """Makes the models' BatchNormalization layers use the whole batch's statistics on several devices.

    Needed on TensorFlow, whose replicas each see only their share of the
    batch (BatchNormalization's `synchronized=True`); on JAX, XLA partitions
    the whole step, so statistics are global already.
    """
    _module().synchronize(list(models))


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
    return _module().input_gradients(fn, inputs)


def compile_function(
    fn: Callable, variables: Sequence[keras.Variable], jit_compile: bool = True, repeat: int = 1
) -> Callable:
    """Compiles a step function into one call (XLA where the backend has it).

    Args:
        fn: a function of tensors (and lists or dicts of tensors) that reads
            and assigns Keras variables and returns a dict of tensors.
        variables: every variable `fn` reads or assigns. TensorFlow and torch
            update variables in place and do not need the list; JAX traces a
            pure function of their values, and refuses a step that reads or
            assigns a variable outside it.
        jit_compile: compile with XLA (TensorFlow, JAX); False runs the
            traced graph (TensorFlow) or the step eagerly (JAX).
        repeat: runs of `fn` per call (like Keras' `steps_per_execution`).
            With `repeat` > 1 every argument has a leading axis of that
            length, sliced for each run, and every output gains that axis.

    Returns:
        A function with `fn`'s arguments and results.

    Example:
    >>> v = keras.Variable(0.0)
    >>> def add(x):
    ...     v.assign(v + x)
    ...     return {"v": v.value}
    >>> step = compile_function(add, [v], repeat=3)
    >>> [float(x) for x in step(keras.ops.convert_to_tensor([1.0, 2.0, 3.0]))["v"]], float(v)
    ([1.0, 3.0, 6.0], 6.0)
    """
    return _module().compile_function(fn, list(variables), jit_compile, repeat)


def global_rng_state():
    """The backend's own random state that training draws from, as a numpy array, or None.

    None on TensorFlow and JAX. On torch, Keras' Dropout with no seed draws
    its masks from torch's global generator, so a checkpoint keeps that
    generator's state for a resumed run to draw the same masks.
    """
    return _module().global_rng_state()


def set_global_rng_state(state) -> None:
    """Restores what `global_rng_state()` returned, on the backend that returned it."""
    _module().set_global_rng_state(state)
