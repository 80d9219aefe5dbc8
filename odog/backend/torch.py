"""PyTorch: `torch.autograd`, variables updated in place, steps run eagerly.

Eager, as Keras' own torch trainer runs by default (its `jit_compile="auto"`
means False on torch).
"""

import keras
import torch


def gradients(loss_fn, variables):
    loss, logs = loss_fn()
    grads = torch.autograd.grad(loss, [v.value for v in variables], allow_unused=True)
    grads = [torch.zeros_like(v.value) if g is None else g for g, v in zip(grads, variables, strict=True)]
    return grads, logs


def input_gradients(fn, inputs):
    inputs = torch.as_tensor(inputs).detach().requires_grad_(True)
    total = torch.sum(fn(inputs))
    # create_graph: the penalty built on this gradient is differentiated again.
    return torch.autograd.grad(total, inputs, create_graph=True)[0]


def compile_function(fn, variables, jit_compile, repeat):
    if repeat == 1:
        return fn

    def repeated(*args):
        outputs = [fn(*keras.tree.map_structure(lambda a, i=i: a[i], args)) for i in range(repeat)]
        return keras.tree.map_structure(lambda *values: torch.stack(values), *outputs)

    return repeated
