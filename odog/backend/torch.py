"""PyTorch: `torch.autograd`, variables updated in place, steps run eagerly.

Eager, as Keras' own torch trainer runs by default (its `jit_compile="auto"`
means False on torch).
"""

import contextlib

import keras
import numpy as np
import torch


def gradients(loss_fn, variables):
    loss, logs = loss_fn()
    grads = torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True)
    grads = [torch.zeros_like(v.value) if g is None else g for g, v in zip(grads, variables, strict=True)]
    return grads, logs


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def shard_batch(structure):
    return structure


def data_parallel(devices):
    if devices > 1:
        raise ValueError(
            f"Data-parallel training over {devices} devices runs on the JAX or TensorFlow backend (Keras' "
            "distribution API has no torch engine). Set KERAS_BACKEND=jax or tensorflow, or train on one device."
        )
    return contextlib.nullcontext()


def replicas():
    return 1


def synchronize(models):
    del models  # one device (torch), or XLA partitions the whole step (JAX): statistics are global already


def input_gradients(fn, inputs):
    inputs = torch.as_tensor(inputs).detach().requires_grad_(True)
    total = torch.sum(fn(inputs))
    # create_graph: the penalty built on this gradient is differentiated again.
    return torch.autograd.grad(total, inputs, create_graph=True)[0]


def compile_function(fn, variables, jit_compile, repeat):
    def call(*args, **kwargs):
        # Tensors, not numpy: torch refuses arithmetic and model calls that mix both.
        args, kwargs = keras.tree.map_structure(keras.ops.convert_to_tensor, (args, kwargs))
        if repeat == 1:
            return fn(*args, **kwargs)
        runs = [
            fn(
                *keras.tree.map_structure(lambda a, i=i: a[i], args),
                **keras.tree.map_structure(lambda a, i=i: a[i], kwargs),
            )
            for i in range(repeat)
        ]
        return keras.tree.map_structure(lambda *values: torch.stack(values), *runs)

    return call


def global_rng_state():
    # Keras' torch Dropout draws unseeded masks from torch's global generator.
    return torch.get_rng_state().numpy()


def set_global_rng_state(state) -> None:
    torch.set_rng_state(torch.from_numpy(np.asarray(state, dtype="uint8")))
