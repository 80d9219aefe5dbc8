"""Model plumbing shared by variants: freezing, the combined model, autoencoder critics."""

import contextlib
from collections.abc import Iterator

import keras
import numpy as np
from keras import layers, ops


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


def autoencoder_discriminator(
    img_shape: tuple, embedding_dim: int, distance: str = "l2", filters: int = 64
) -> tuple[keras.Model, keras.Model]:
    """An autoencoder whose output is each image's reconstruction error.

    The discriminator of the energy-based GANs (EBGAN, BEGAN): D(x) is the
    mean squared ("l2") or absolute ("l1") difference between x and its
    reconstruction, shape (N, 1); low energy means "looks real". Strided
    convolutions halve the side while it is even and larger than 8 (28 -> 7,
    64 -> 8), a dense bottleneck of `embedding_dim` follows, and the decoder
    mirrors the encoder with upsampling.

    Returns:
        `(discriminator, with_embedding)`: the second model shares the
        discriminator's layers and returns `[energy, embedding]`, for losses
        on the embedding (EBGAN's pulling-away term).

    Example:
    >>> d, with_embedding = autoencoder_discriminator((28, 28, 1), 32)
    >>> d.output_shape, with_embedding.output_shape
    ((None, 1), [(None, 1), (None, 32)])
    """
    if distance not in ("l1", "l2"):
        raise ValueError(f"distance must be 'l1' or 'l2'. Received: distance={distance!r}")
    inputs = keras.Input(img_shape)
    x, side, widths = inputs, img_shape[0], []
    while side % 2 == 0 and side > 8:
        widths.append(filters * 2 ** len(widths))
        x = layers.Conv2D(widths[-1], 4, 2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
        side //= 2
    code_shape = tuple(x.shape[1:])
    embedding = layers.Dense(embedding_dim, name="embedding")(layers.Flatten()(x))
    y = layers.Dense(int(np.prod(code_shape)))(embedding)
    y = layers.LeakyReLU(0.2)(layers.Reshape(code_shape)(y))
    for width in reversed(widths):
        y = layers.UpSampling2D()(y)
        y = layers.Conv2D(width // 2, 3, padding="same")(y)
        y = layers.LeakyReLU(0.2)(y)
    reconstruction = layers.Conv2D(img_shape[-1], 3, padding="same", name="reconstruction")(y)
    error = ops.square(reconstruction - inputs) if distance == "l2" else ops.abs(reconstruction - inputs)
    energy = ops.mean(layers.Flatten()(error), axis=1, keepdims=True)
    return keras.Model(inputs, energy, name="discriminator"), keras.Model(inputs, [energy, embedding])
