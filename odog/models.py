"""Model plumbing shared by every variant: freezing and the combined model."""

import contextlib
from collections.abc import Iterator

import keras


@contextlib.contextmanager
def frozen(model: keras.Model) -> Iterator[keras.Model]:
    """Makes `model` non-trainable inside the block, then restores it.

    Keras 3 reads `trainable` when a train function is traced, not at
    `compile()`. Every step that must not update `model` traces inside this
    block, so its variables are excluded from the gradients and its
    BatchNormalization layers run in inference mode (their moving statistics
    stay untouched).

    Example:
    >>> d = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> with frozen(d):
    ...     len(d.trainable_weights)
    0
    >>> len(d.trainable_weights)
    2
    """
    previous = model.trainable
    model.trainable = False
    try:
        yield model
    finally:
        model.trainable = previous


class CombinedModel(keras.Model):
    """`Model(inputs, D(G(inputs)))` that only ever trains the generator.

    The Keras-GAN recipe "compile D, set `D.trainable = False`, compile the
    combined model" relies on Keras 2 reading `trainable` at `compile()`. On
    Keras 3 it is read when the train function is traced, so the recipe either
    leaves D untrained or lets the combined model train D. Here the freeze is
    part of the combined model's own `train_step`: `combined.fit()` and
    `combined.train_on_batch()` update G only, while `discriminator` keeps
    training normally on its own.

    Args:
        generator: the generator model.
        discriminator: the discriminator model.
        connect: optional `connect(inputs) -> outputs` wiring for models with
            several inputs (conditional GANs); by default `D(G(inputs))`.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model, connect=None, **kwargs):
        inputs = [keras.Input(t.shape[1:], name=f"combined_{t.name}") for t in generator.inputs]
        inputs = inputs[0] if len(inputs) == 1 else inputs
        outputs = connect(inputs) if connect else discriminator(generator(inputs))
        super().__init__(inputs, outputs, name=kwargs.pop("name", "combined"), **kwargs)
        self.generator = generator
        self.discriminator = discriminator

    def train_step(self, data):
        with frozen(self.discriminator):
            return super().train_step(data)
