"""TensorFlow: a gradient tape, variables updated in place, `tf.function` with XLA."""

import keras
import tensorflow as tf


def gradients(loss_fn, variables):
    with tf.GradientTape() as tape:
        loss, logs = loss_fn()
    return tape.gradient(loss, variables), logs


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def input_gradients(fn, inputs):
    inputs = tf.convert_to_tensor(inputs)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        total = tf.reduce_sum(fn(inputs))
    return tape.gradient(total, inputs)


def compile_function(fn, variables, jit_compile, repeat):
    # Variables are captured by the traced graph and updated in place.
    if repeat == 1:
        return tf.function(fn, jit_compile=jit_compile, reduce_retracing=True)

    def repeated(*args):
        # Unrolled when traced: each run sees the variables the previous one assigned, and its
        # outputs are read (tf.identity) before the next run assigns again.
        outputs = [
            keras.tree.map_structure(tf.identity, fn(*keras.tree.map_structure(lambda a, i=i: a[i], args)))
            for i in range(repeat)
        ]
        return keras.tree.map_structure(lambda *values: tf.stack(values), *outputs)

    return tf.function(repeated, jit_compile=jit_compile, reduce_retracing=True)


def global_rng_state():
    return None  # every random draw of a step comes from a Keras SeedGenerator, saved with the models


def set_global_rng_state(state) -> None:
    del state
