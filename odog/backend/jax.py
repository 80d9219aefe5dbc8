"""JAX: a step is one jitted pure function of the variables' values.

The step code that odog's variants write is stateful: it calls models,
`optimizer.apply`, `variable.assign` and `keras.random` with a
`SeedGenerator`. Inside a `keras.StatelessScope` all of it is stateless:
a variable reads the value the scope maps it to, and an assignment is
recorded in the scope instead of applied. So `compile_function` traces the
step inside a scope that maps every variable to a traced input value, jits
that pure function with the buffers of the variables it assigns donated (XLA
updates them in place), and after each call writes the new values back. For
gradients, `jax.value_and_grad` differentiates the loss with respect to
values mapped in a nested scope; what the loss assigns meanwhile (BatchNorm
statistics, seed states) leaves the differentiated function as an auxiliary
output and is assigned in the enclosing scope.
"""

import contextlib

import jax
import jax.numpy as jnp
import keras

from odog.backend.scope import LayeredScope


def _run_stateless(fn, mapping):
    """`fn()` in a nested scope that maps `mapping`'s variables to its values.

    Returns `(result, assigned variables, their new values)`: the variables
    are Python objects and stay out of what a JAX transformation returns.
    """
    with LayeredScope(mapping) as scope:
        result = fn()
    variables, values = scope.updates()
    return result, variables, values


def _assign(variables, values) -> None:
    for variable, value in zip(variables, values, strict=True):
        variable.assign(value)


def gradients(loss_fn, variables):
    assigned = []

    def loss_of(values):
        (loss, logs), changed, new_values = _run_stateless(loss_fn, zip(variables, values, strict=True))
        assigned[:] = changed
        return loss, (logs, new_values)

    (_, (logs, new_values)), grads = jax.value_and_grad(loss_of, has_aux=True)([v.value for v in variables])
    _assign(assigned, new_values)
    return grads, logs


def apply_gradients(optimizer, grads, variables):
    if not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        optimizer.apply(grads, variables)
        return
    # Read inside the step's scope, `.value` is the traced value of the step so far.
    new_variables, new_state = optimizer.stateless_apply(
        [v.value for v in optimizer.variables], grads, [v.value for v in variables]
    )
    _assign(variables, new_variables)
    _assign(optimizer.variables, new_state)


def data_parallel(devices):
    found = keras.distribution.list_devices()
    if devices > len(found):
        raise ValueError(f"Asked for {devices} devices; JAX has {len(found)}: {found}.")
    if devices == 1:
        return contextlib.nullcontext()
    return keras.distribution.DataParallel(devices=found[:devices]).scope()


def shard_batch(structure):
    distribution = keras.distribution.distribution()
    if distribution is None:
        return structure
    return keras.tree.map_structure(
        lambda t: keras.distribution.distribute_tensor(t, distribution.get_data_layout(t.shape)), structure
    )


def replicas():
    distribution = keras.distribution.distribution()
    if distribution is None:
        return 1
    mesh = distribution.device_mesh
    return mesh.shape[mesh.axis_names.index(distribution.batch_dim_name)]


def synchronize(models):
    del models  # one device (torch), or XLA partitions the whole step (JAX): statistics are global already


def input_gradients(fn, inputs):
    assigned = []

    def total(x):
        result, changed, new_values = _run_stateless(lambda: jnp.sum(fn(x)), ())
        assigned[:] = changed
        return result, new_values

    grads, new_values = jax.grad(total, has_aux=True)(jnp.asarray(inputs))
    _assign(assigned, new_values)
    return grads


def compile_function(fn, variables, jit_compile, repeat):
    variables = list({id(v): v for v in variables}.values())
    known = {id(v) for v in variables}
    assigned: list[int] = []  # positions of the variables the step assigns, found when it is traced

    def run(values, inputs):
        args, kwargs = inputs
        with LayeredScope(zip(variables, values, strict=True), strict=True) as scope:
            outputs = fn(*args, **kwargs)
        stray = [v.path for v in scope.assigned.values() if id(v) not in known]
        if stray:
            raise RuntimeError(
                f"The compiled step assigns {stray}, which are not among the variables it was compiled over; "
                "list them in `BaseGAN.step_variables()`."
            )
        assigned[:] = [i for i, v in enumerate(variables) if id(v) in scope.assigned]
        return [scope.get_current_value(v) for v in variables], outputs

    def pure(values, args, kwargs):
        if repeat == 1:
            values, outputs = run(values, (args, kwargs))
        else:  # the variables' values are the carry: each run starts from the last one's
            # Unrolled: XLA's CPU backend runs convolutions inside a loop about 27x slower
            # (DCGAN, batch 32: 0.14 it/s rolled, 4.05 unrolled, 3.76 one iteration per call).
            values, outputs = jax.lax.scan(run, values, (args, kwargs), unroll=True)
        # Only what changed comes back: a variable the step only reads (the training set
        # held on the device, a feature extractor) is neither copied out nor re-assigned.
        return [values[i] for i in assigned], outputs

    def split(changing, fixed, args, kwargs):
        values = [None] * len(variables)
        for i, value in zip(assigned, changing, strict=True):
            values[i] = value
        for i, value in zip(unassigned, fixed, strict=True):
            values[i] = value
        return pure(values, args, kwargs)

    unassigned: list[int] = []
    step = None

    def call(*args, **kwargs):
        nonlocal step
        if not jit_compile:  # eagerly; arrays, not numpy: a model called eagerly refuses a mix of both
            args, kwargs = jax.tree.map(jnp.asarray, (args, kwargs))
            values, outputs = pure([v.value for v in variables], args, kwargs)
        else:
            if step is None:
                # Traced once without compiling, to learn which variables the step assigns: their
                # buffers are donated, so that XLA updates them in place (as Keras' own JAX trainer does).
                jax.eval_shape(pure, [v.value for v in variables], args, kwargs)
                taken = set(assigned)
                unassigned[:] = [i for i in range(len(variables)) if i not in taken]
                step = jax.jit(split, donate_argnums=0)
            fixed = [variables[i].value for i in unassigned]
            changing, seen = [], {id(value) for value in fixed}
            for i in assigned:
                value = variables[i].value
                if id(value) in seen:  # a buffer another variable holds too (an EMA's copy): donate a copy
                    value = jnp.copy(value)
                seen.add(id(value))
                changing.append(value)
            values, outputs = step(changing, fixed, args, kwargs)
        # The step returns each variable's own shape and dtype, so `assign`'s conversion and shape check
        # are skipped: for the MLP GAN they were a tenth of an iteration (89 variables, a 7 ms step).
        for i, value in zip(assigned, values, strict=True):
            variables[i]._direct_assign(value)
        return outputs

    return call


def global_rng_state():
    return None  # every random draw of a step comes from a Keras SeedGenerator, saved with the models


def set_global_rng_state(state) -> None:
    del state
