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


def float32_outputs(model: keras.Model) -> keras.Model:
    """Makes the layers that produce `model`'s outputs compute in float32.

    Under a mixed precision policy (`keras.mixed_precision.set_global_policy(
    "mixed_bfloat16")`) every layer computes in the low precision and keeps
    float32 variables; as Keras' mixed precision guide advises, the last
    layer computes in float32, so that the losses, penalties and sampled
    images built from a model's outputs are float32. A no-op under "float32".

    Example:
    >>> keras.mixed_precision.set_global_policy("mixed_bfloat16")
    >>> d = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.Dense(1)])
    >>> keras.mixed_precision.set_global_policy("float32")
    >>> dtype = lambda x: keras.backend.standardize_dtype(x.dtype)
    >>> dtype(d(np.ones((1, 4)))), dtype(float32_outputs(d)(np.ones((1, 4))))
    ('bfloat16', 'float32')
    """
    for tensor in model.outputs:
        _compute_in_float32(tensor)
    return model


def _compute_in_float32(tensor) -> None:
    """Sets the layer that produces a symbolic `tensor` to compute in float32."""
    operation, node_index, _ = tensor._keras_history
    if isinstance(operation, keras.Model):  # a nested model (LAPGAN's levels): its own outputs
        float32_outputs(operation)
    elif isinstance(operation, keras.layers.Layer):
        while operation is not None:  # a wrapper (spectral normalization) computes through its layer
            if operation.dtype_policy.compute_dtype != "float32":
                operation.dtype_policy = "float32"
            operation = getattr(operation, "layer", None)
    else:  # an op on tensors (an autoencoder's reconstruction error): the layers that feed it
        for parent in operation._inbound_nodes[node_index].input_tensors:
            _compute_in_float32(parent)


class CombinedModel(keras.Model):
    """`Model(inputs, D(G(inputs)))` that only ever trains the generator.

    The Keras-GAN recipe "compile D, set `D.trainable = False`, compile the
    combined model" relies on Keras 2 reading `trainable` at `compile()`. On
    Keras 3 it is read when the train function is traced (and, on JAX, also
    when each call gathers the model's trainable state), so the recipe either
    leaves D untrained or lets the combined model train D. Here D is frozen
    for the whole of every `combined.fit()` and `combined.train_on_batch()`
    call: they update G only, while `discriminator` keeps training normally
    on its own.

    Args:
        generator: the generator model.
        discriminator: the discriminator model.
        connect: optional `connect(inputs) -> outputs` wiring for models with
            several inputs (conditional GANs); by default `D(G(inputs))`.
        input_shapes: the shapes of the combined model's inputs: G's, where G
            takes any size (a fully convolutional super-resolution G) and D a
            fixed one, or those `connect` takes.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model, connect=None, input_shapes=None, **kwargs):
        shapes = input_shapes or [t.shape[1:] for t in generator.inputs]
        if len(shapes) == len(generator.inputs):
            names = [f"combined_{t.name}" for t in generator.inputs]
        else:  # `connect` feeds G from other inputs (BicycleGAN encodes its code from the target)
            names = [f"combined_input_{i}" for i in range(len(shapes))]
        inputs = [keras.Input(s, name=name) for s, name in zip(shapes, names, strict=True)]
        inputs = inputs[0] if len(inputs) == 1 else inputs
        outputs = connect(inputs) if connect else discriminator(generator(inputs))
        super().__init__(inputs, outputs, name=kwargs.pop("name", "combined"), **kwargs)
        self.generator = generator
        self.discriminator = discriminator

    def train_on_batch(self, *args, **kwargs):
        with frozen(self.discriminator):
            return super().train_on_batch(*args, **kwargs)

    def fit(self, *args, **kwargs):
        with frozen(self.discriminator):
            return super().fit(*args, **kwargs)


def code_side(side: int) -> tuple[int, int]:
    """`(side, halvings)` of an autoencoder's code map: the side is halved while even and above 8.

    Example:
    >>> code_side(28), code_side(64)
    ((7, 2), (8, 3))
    """
    halvings = 0
    while side % 2 == 0 and side > 8:
        side, halvings = side // 2, halvings + 1
    return side, halvings


def autoencoder_discriminator(
    img_shape: tuple, embedding_dim: int, distance: str = "l2", filters: int = 64
) -> tuple[keras.Model, keras.Model]:
    """An autoencoder whose output is each image's reconstruction error.

    The discriminator of the energy-based GANs (EBGAN, BEGAN): D(x) is the
    mean squared ("l2") or absolute ("l1") difference between x and its
    reconstruction, shape (N, 1); low energy means "looks real". Strided
    convolutions halve the side down to `code_side` (28 -> 7, 64 -> 8), a
    dense bottleneck of `embedding_dim` follows, and the decoder mirrors the
    encoder with upsampling.

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
    x, widths = inputs, []
    for _ in range(code_side(img_shape[0])[1]):
        widths.append(filters * 2 ** len(widths))
        x = layers.Conv2D(widths[-1], 4, 2, padding="same")(x)
        x = layers.LeakyReLU(0.2)(x)
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


class WeightsUnavailableError(RuntimeError):
    """Pretrained weights (e.g. VGG19's ImageNet weights) cannot be loaded."""


def vgg_features(
    input_shape: tuple, layer: str = "block5_conv4", before_activation: bool = False, weights: str | None = "imagenet"
) -> keras.Model:
    """VGG19 features of images in [-1, 1], for perceptual (content) losses.

    SRGAN's content loss compares `block5_conv4` features after the ReLU
    ("VGG54"); ESRGAN's compares them before it (`before_activation=True`),
    where they are denser and keep brightness. Grayscale images are repeated
    to three channels; the caffe preprocessing of VGG is applied inside.

    Args:
        input_shape: (H, W, C) of the images, H and W >= 32, C 1 or 3.
        layer: the VGG19 convolution whose output is returned.
        before_activation: return the convolution's output before its ReLU.
        weights: "imagenet" (downloaded once by Keras, then cached), a
            weights file, or None for random weights (tests).

    Raises:
        WeightsUnavailableError: the weights cannot be loaded (offline).

    Example:
    >>> vgg = vgg_features((32, 32, 1), "block1_conv2", before_activation=True, weights=None)
    >>> vgg.output_shape
    (None, 32, 32, 64)
    """
    if input_shape[0] < 32 or input_shape[1] < 32 or input_shape[-1] not in (1, 3):
        raise ValueError(
            "VGG19 features need images of at least 32x32 pixels with 1 or 3 channels. "
            f"Received: input_shape={tuple(input_shape)}"
        )
    try:
        vgg = keras.applications.VGG19(include_top=False, weights=weights, input_shape=tuple(input_shape[:2]) + (3,))
    except Exception as error:  # Keras raises bare Exception on URL errors.
        raise WeightsUnavailableError(
            f"VGG19's ImageNet weights could not be loaded ({type(error).__name__}: {error}). Connect to the "
            "internet once (Keras caches them in ~/.keras/models), or pass a local weights file."
        ) from error
    target = vgg.get_layer(layer)
    features = target.output
    if before_activation:
        linear = layers.Conv2D.from_config({**target.get_config(), "activation": None, "name": f"{layer}_linear"})
        features = linear(target.input)
        linear.set_weights(target.get_weights())
    extractor = keras.Model(vgg.input, features)
    extractor.trainable = False
    inputs = keras.Input(input_shape)
    rgb = inputs if input_shape[-1] == 3 else ops.concatenate([inputs] * 3, axis=-1)
    bgr = ops.flip((rgb + 1.0) * 127.5, axis=-1) - np.array([103.939, 116.779, 123.68], "float32")
    return keras.Model(inputs, extractor(bgr), name=f"vgg19_{layer}{'_linear' if before_activation else ''}")
