"""Reusable layers of the later GANs: spectral normalization, self-attention, pixel shuffle, AdaIN."""

import keras
from keras import layers, ops

from odog.backend.scope import LayeredScope


@keras.saving.register_keras_serializable(package="odog")
class SpectralNormalization(layers.Wrapper):
    """Divides a layer's kernel by its largest singular value (Miyato et al., 2018).

    The estimate sigma comes from one step of power iteration per training
    call, with the vector `u` kept between calls. The kernel the wrapped layer
    uses is `kernel / sigma`, computed in the forward pass, so gradients flow
    through the normalization as in the paper. `u` advances only when the
    layer is called with `training=True` and is trainable: a frozen
    discriminator (odog's G step) is left bit-identical. Keras'
    `keras.layers.SpectralNormalization` instead overwrites the kernel
    variable in every training call, which would change a frozen D.

    Args:
        layer: a layer with a `kernel` (Dense, Conv2D, Conv2DTranspose, ...).
        power_iterations: power-iteration steps per training call (1).

    Example:
    >>> import numpy as np
    >>> sn = SpectralNormalization(keras.layers.Dense(8))
    >>> _ = sn(np.ones((2, 4), "float32"))
    >>> for _ in range(30):
    ...     _ = sn(np.ones((2, 4), "float32"), training=True)
    >>> round(float(np.linalg.norm(keras.ops.convert_to_numpy(sn.normalized_kernel()), 2)), 2)
    1.0
    """

    def __init__(self, layer: layers.Layer, power_iterations: int = 1, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(power_iterations, int) or power_iterations < 1:
            raise ValueError(
                "Invalid value received for argument `power_iterations`. Expected an integer >= 1. "
                f"Received: power_iterations={power_iterations!r}"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        if not hasattr(self.layer, "kernel"):
            raise ValueError(
                f"SpectralNormalization wraps layers with a `kernel`; {type(self.layer).__name__} has none."
            )
        self.u = self.add_weight(
            shape=(1, self.layer.kernel.shape[-1]),
            initializer=keras.initializers.RandomNormal(seed=0),
            trainable=False,
            name="u",
        )

    def _power_iteration(self):
        w = ops.reshape(self.layer.kernel, (-1, self.layer.kernel.shape[-1]))
        u = self.u.value
        for _ in range(self.power_iterations):
            v = _unit(ops.matmul(u, ops.transpose(w)))
            u = _unit(ops.matmul(v, w))
        # sigma is differentiated through w only, as in the paper's implementation.
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        return ops.sum(ops.matmul(v, w) * u), u

    def normalized_kernel(self):
        """The kernel divided by the current estimate of its largest singular value."""
        sigma, _ = self._power_iteration()
        return self.layer.kernel / sigma

    def call(self, inputs, training=None):
        sigma, u = self._power_iteration()
        if training and self.trainable:
            self.u.assign(u)
        kernel = self.layer.kernel
        # The kernel the layer sees is kernel / sigma; every other variable
        # reads whatever the enclosing scope (a JAX step, `predict`) maps it to.
        with LayeredScope([(kernel, kernel / sigma)]):
            return self.layer(inputs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "power_iterations": self.power_iterations}


def _unit(x):
    return x / (ops.norm(x) + 1e-12)


@keras.saving.register_keras_serializable(package="odog")
class SelfAttention(layers.Layer):
    """SAGAN's self-attention block (Zhang et al., 2018): each position attends to all others.

    With x of shape (H, W, C), queries f(x) and keys g(x) are 1x1
    convolutions to C/8 channels and values h(x) to C/2; the attention map
    softmax(f g^T) over the H*W positions mixes the values, a last 1x1
    convolution v returns to C channels, and the output is x + gamma * v(...),
    with gamma learned from 0 so that the block starts as the identity.

    Args:
        spectral_norm: wrap the 1x1 convolutions in `SpectralNormalization`
            (True, as SAGAN does in both G and D).

    Example:
    >>> import numpy as np
    >>> attention = SelfAttention()
    >>> x = np.random.default_rng(0).normal(size=(2, 4, 4, 16)).astype("float32")
    >>> bool(np.allclose(attention(x), x))  # gamma starts at 0
    True
    """

    def __init__(self, spectral_norm: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.spectral_norm = spectral_norm

    def build(self, input_shape):
        channels = input_shape[-1]

        def conv(filters, name):
            layer = layers.Conv2D(filters, 1, use_bias=False, name=name)
            return SpectralNormalization(layer, name=f"sn_{name}") if self.spectral_norm else layer

        self.query = conv(max(1, channels // 8), "query")
        self.key = conv(max(1, channels // 8), "key")
        self.value = conv(max(1, channels // 2), "value")
        self.output_conv = conv(channels, "output")
        self.query.build(input_shape)
        self.key.build(input_shape)
        self.value.build(input_shape)
        self.output_conv.build(tuple(input_shape[:-1]) + (max(1, channels // 2),))
        self.gamma = self.add_weight(shape=(), initializer="zeros", name="gamma")

    def attention(self, inputs, training=None):
        """The attention map, shape (N, H*W, H*W); each row sums to 1."""
        shape = ops.shape(inputs)
        positions = shape[1] * shape[2]
        q = ops.reshape(self.query(inputs, training=training), (shape[0], positions, -1))
        k = ops.reshape(self.key(inputs, training=training), (shape[0], positions, -1))
        return ops.softmax(ops.matmul(q, ops.transpose(k, (0, 2, 1))), axis=-1)

    def call(self, inputs, training=None):
        shape = ops.shape(inputs)
        values = self.value(inputs, training=training)
        values = ops.reshape(values, (shape[0], shape[1] * shape[2], -1))
        attended = ops.matmul(self.attention(inputs, training), values)
        attended = ops.reshape(attended, (shape[0], shape[1], shape[2], -1))
        return inputs + self.gamma * self.output_conv(attended, training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "spectral_norm": self.spectral_norm}


@keras.saving.register_keras_serializable(package="odog")
class PixelShuffle(layers.Layer):
    """Sub-pixel upsampling (Shi et al., 2016): (H, W, C r^2) -> (H r, W r, C).

    Channel `(i * r + j) * C + c` of an input pixel becomes channel c of the
    output pixel at offset (i, j) in its r x r block, the order of
    TensorFlow's `depth_to_space`.

    Args:
        factor: the upscaling factor r.

    Example:
    >>> import numpy as np
    >>> shuffled = PixelShuffle(2)(np.arange(4, dtype="float32").reshape(1, 1, 1, 4))
    >>> keras.ops.convert_to_numpy(shuffled)[0, ..., 0].tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    """

    def __init__(self, factor: int, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        r = self.factor
        shape = ops.shape(inputs)
        channels = inputs.shape[-1] // (r * r)
        x = ops.reshape(inputs, (shape[0], shape[1], shape[2], r, r, channels))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return ops.reshape(x, (shape[0], shape[1] * r, shape[2] * r, channels))

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        r = self.factor
        return (b, None if h is None else h * r, None if w is None else w * r, c // (r * r))

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="odog")
class AdaptiveInstanceNormalization(layers.Layer):
    """AdaIN (Huang and Belongie, 2017): instance normalization whose scale and shift come from another input.

    Each image's channels are normalized over their pixels (as instance
    normalization does), then scaled and shifted by per-image parameters,
    typically an MLP's reading of a style code (MUNIT's decoder). Called on
    `[x, params]` with x of shape (N, H, W, C) and params of shape (N, 2C):
    the first C are gamma, the last C beta, and the output is
    `(1 + gamma) * (x - mean) / sqrt(var + epsilon) + beta`; the 1 makes
    zero parameters the plain instance normalization.

    Args:
        epsilon: added to the variance (1e-5).

    Example:
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(3.0, 2.0, (2, 4, 4, 3)).astype("float32")
    >>> params = np.concatenate([np.zeros((2, 3)), np.full((2, 3), 5.0)], axis=-1).astype("float32")
    >>> y = keras.ops.convert_to_numpy(AdaptiveInstanceNormalization()([x, params]))
    >>> bool(np.allclose(y.mean(axis=(1, 2)), 5.0, atol=1e-4)), bool(np.allclose(y.std(axis=(1, 2)), 1.0, atol=1e-3))
    (True, True)
    """

    def __init__(self, epsilon: float = 1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape):
        x_shape, params_shape = input_shape
        if params_shape[-1] != 2 * x_shape[-1]:
            raise ValueError(
                f"AdaptiveInstanceNormalization needs 2C parameters per image for C = {x_shape[-1]} channels "
                f"(gamma and beta). Received params of shape {tuple(params_shape)}"
            )

    def call(self, inputs):
        x, params = inputs
        channels = x.shape[-1]
        mean, variance = ops.moments(x, axes=(1, 2), keepdims=True)
        gamma = ops.reshape(params[:, :channels], (-1, 1, 1, channels))
        beta = ops.reshape(params[:, channels:], (-1, 1, 1, channels))
        return (1.0 + gamma) * (x - mean) * ops.rsqrt(variance + self.epsilon) + beta

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "epsilon": self.epsilon}
