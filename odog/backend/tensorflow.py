"""TensorFlow: a gradient tape, variables updated in place, `tf.function` with XLA."""

import contextlib

import keras
import tensorflow as tf


def gradients(loss_fn, variables):
    with tf.GradientTape() as tape:
        loss, logs = loss_fn()
        # Keras' optimizer sums the replicas' gradients: each differentiates its share of the mean.
        loss = loss / tf.distribute.get_replica_context().num_replicas_in_sync
    return tape.gradient(loss, variables), logs


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def data_parallel(devices):
    found = [d.name for d in tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")]
    if devices > len(found):
        raise ValueError(
            f"Asked for {devices} devices; TensorFlow has {len(found)}: {found}. On a CPU, "
            "tf.config.set_logical_device_configuration splits it into several."
        )
    if devices == 1:
        return contextlib.nullcontext()
    return tf.distribute.MirroredStrategy(found[:devices]).scope()


def _replicated(fn):
    """`fn` run on every replica of the active `tf.distribute` strategy, its outputs averaged.

    Traced without XLA: the replicas' all-reduces (gradients, BatchNorm statistics) and the
    optimizer's cross-replica updates run in the strategy's graph, outside XLA clusters.
    """
    strategy = tf.distribute.get_strategy()

    def step(*args, **kwargs):
        outputs = strategy.run(fn, args=args, kwargs=kwargs)
        return keras.tree.map_structure(lambda v: strategy.reduce("MEAN", v, axis=None), outputs)

    return step


def shard_batch(structure):
    context = tf.distribute.get_replica_context()
    replicas = 1 if context is None else context.num_replicas_in_sync
    if replicas == 1:
        return structure
    index = context.replica_id_in_sync_group

    def share(tensor):
        size = tf.shape(tensor)[0] // replicas
        return tensor[index * size : (index + 1) * size]

    return keras.tree.map_structure(share, structure)


def replicas():
    return tf.distribute.get_strategy().num_replicas_in_sync


def synchronize(models):
    if replicas() > 1:  # BatchNorm over the global batch, as on one device
        for model in models:
            for layer in model._flatten_layers():
                if isinstance(layer, keras.layers.BatchNormalization):
                    layer.synchronized = True


def input_gradients(fn, inputs):
    inputs = tf.convert_to_tensor(inputs)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        total = tf.reduce_sum(fn(inputs))
    return tape.gradient(total, inputs)


def compile_function(fn, variables, jit_compile, repeat):
    # Variables are captured by the traced graph and updated in place.
    if tf.distribute.has_strategy():
        fn, jit_compile = _replicated(fn), False
    if repeat > 1:
        fn = _repeated(fn, repeat)
    # No AutoGraph: a step is Python over Keras ops (loops over d_steps and models, none over tensors), which
    # traces as it reads, and converting every function it calls would cost most of the tracing time.
    compiled = tf.function(fn, jit_compile=jit_compile, reduce_retracing=True, autograph=False)

    def call(*args, **kwargs):
        # As tensors: under tf.config.run_functions_eagerly(True) the step gets its arguments as they
        # are, and Keras refuses a call on a list that mixes numpy arrays and tensors.
        args, kwargs = tf.nest.map_structure(lambda a: a if a is None else tf.convert_to_tensor(a), (args, kwargs))
        return compiled(*args, **kwargs)

    return call


def _repeated(fn, repeat):
    def repeated(*args):
        # Unrolled when traced: each run sees the variables the previous one assigned, and its
        # outputs are read (tf.identity) before the next run assigns again.
        outputs = [
            keras.tree.map_structure(tf.identity, fn(*keras.tree.map_structure(lambda a, i=i: a[i], args)))
            for i in range(repeat)
        ]
        return keras.tree.map_structure(lambda *values: tf.stack(values), *outputs)

    return repeated


def global_rng_state():
    return None  # every random draw of a step comes from a Keras SeedGenerator, saved with the models


def set_global_rng_state(state) -> None:
    del state
