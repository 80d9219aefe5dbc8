"""Constraints on the discriminator that are not a loss on its output.

Weight clipping (WGAN) and gradient penalties (WGAN-GP on interpolates of
real and fake images, DRAGAN near the real images, WGAN-div's power of the
norm at both) are written once here and called from inside a variant's
compiled step.
"""

from collections.abc import Callable, Sequence

import keras
from keras import ops

from odog import backend


def clip_weights(variables: Sequence[keras.Variable], limit: float) -> None:
    """Clips every variable to [-limit, limit] in place (WGAN).

    Runs inside the compiled training step, as assignments, rather than as a
    `get_weights()` / `set_weights()` round trip through numpy per layer.

    Example:
    >>> v = keras.Variable([-0.5, 0.005, 2.0])
    >>> clip_weights([v], 0.01)
    >>> [round(float(w), 3) for w in keras.ops.convert_to_numpy(v)]
    [-0.01, 0.005, 0.01]
    """
    for variable in variables:
        variable.assign(ops.clip(variable, -limit, limit))


def gradient_norms(critic: Callable, images) -> keras.KerasTensor:
    """The L2 norm of the critic's input gradient at each image, shape (N,).

    Example:
    >>> import numpy as np
    >>> critic = lambda x: 3.0 * keras.ops.sum(x, axis=(1, 2, 3))
    >>> keras.ops.convert_to_numpy(gradient_norms(critic, np.ones((2, 2, 2, 1), "float32"))).tolist()
    [6.0, 6.0]
    """
    grads = backend.input_gradients(critic, images)
    axes = tuple(range(1, len(grads.shape)))
    # The epsilon keeps the square root differentiable where a gradient is 0.
    return ops.sqrt(ops.sum(ops.square(grads), axis=axes) + 1e-12)


def gradient_penalty(critic: Callable, real, fake, seed=None, target: float = 1.0):
    """WGAN-GP's penalty, mean (||grad D(x_hat)|| - target)^2 (Gulrajani et al.).

    x_hat = a * real + (1 - a) * fake with a ~ U(0, 1) drawn per sample, so it
    works for any batch size (Keras-GAN's version hard-coded 32).

    Args:
        critic: maps images to scores, e.g. `lambda x: D(x, training=True)`.
        real: a batch of real images.
        fake: a batch of generated images of the same shape.
        seed: a `keras.random.SeedGenerator` (or int) for the mixing weights.
        target: the norm the penalty pulls towards (1 for WGAN-GP).

    Returns:
        `(penalty, mean_norm)`: the scalar penalty and the mean gradient norm.
    """
    shape = (ops.shape(real)[0],) + (1,) * (len(real.shape) - 1)
    a = keras.random.uniform(shape, seed=seed)
    norms = gradient_norms(critic, a * real + (1.0 - a) * fake)
    return ops.mean(ops.square(norms - target)), ops.mean(norms)


def perturbed(images, seed=None, scale: float = 0.5):
    """DRAGAN's points near the data: x + scale * std(x) * u, u ~ U(0, 1) per pixel.

    `gradient_penalty(critic, images, perturbed(images))` then penalizes the
    critic's gradient on random points between each image and its perturbed
    copy, a neighbourhood of the real data (Kodali et al., 2017), rather than
    on the way to the fakes as WGAN-GP does. std is the whole batch's.

    Example:
    >>> import numpy as np
    >>> x = np.array([[[[-1.0]], [[1.0]]]], "float32")  # std 1
    >>> step = keras.ops.convert_to_numpy(perturbed(x, seed=0)) - x
    >>> bool((step >= 0).all() and (step <= 0.5).all())
    True
    """
    images = ops.convert_to_tensor(images)
    return images + scale * ops.std(images) * keras.random.uniform(ops.shape(images), seed=seed)
