"""Differentiable image augmentation, written in `keras.ops` to run inside a compiled train step.

InfoGAN reads its categorical code from a randomly distorted copy of each
generated image, so that the code cannot hold slant, width, position or
stroke thickness. The distortion thickens the strokes by a random amount,
then shears along x, scales each axis and shifts, sampling bilinearly; the
warp is separable (x per row, then y), so it costs two small batched matrix
products, compiles with XLA and passes gradients to the images.
"""

import keras
from keras import ops


def affine_warp(images, shear, scale_x, scale_y, shift_x, shift_y, background: float = -1.0):
    """Shears, scales and shifts each image of a batch about its centre.

    Output pixel (i, j) samples the input at row `(i - c) / scale_y + c -
    shift_y` and column `(j - c) / scale_x - shear * (i - c) + c - shift_x`
    (c the centre), with bilinear weights; pixels from outside the image take
    `background`.

    Args:
        images: float tensor (N, H, W, C).
        shear, scale_x, scale_y, shift_x, shift_y: tensors of shape (N,);
            shifts in pixels. Shear 0, scales 1 and shifts 0 return the images.
        background: the value outside the image (-1: black in odog's [-1, 1]).

    Returns:
        The warped images, shape (N, H, W, C).

    Example:
    >>> import numpy as np
    >>> x = np.zeros((1, 3, 3, 1), "float32"); x[0, 1, 0, 0] = 1.0
    >>> zero, one = np.zeros(1, "float32"), np.ones(1, "float32")
    >>> moved = affine_warp(x, zero, one, one, one, zero, background=0.0)  # one pixel right
    >>> keras.ops.convert_to_numpy(moved)[0, :, :, 0].tolist()
    [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    images = ops.convert_to_tensor(images, "float32")
    height, width = images.shape[1], images.shape[2]
    centre_i, centre_j = (height - 1) / 2, (width - 1) / 2
    rows = ops.arange(height, dtype="float32")
    columns = ops.arange(width, dtype="float32")

    def per_sample(value, rank: int = 3):
        return ops.reshape(ops.cast(value, "float32"), (-1,) + (1,) * (rank - 1))

    # Columns sampled by each output pixel, per row: (N, H, W).
    source_j = (
        (columns[None, None, :] - centre_j) / per_sample(scale_x)
        - per_sample(shear) * (rows[None, :, None] - centre_i)
        + centre_j
        - per_sample(shift_x)
    )
    # Rows sampled by each output row: (N, H).
    source_i = (rows[None, :] - centre_i) / per_sample(scale_y, 2) + centre_i - per_sample(shift_y, 2)
    # Subtracting the background makes the outside zero, which the bilinear
    # weights (a hat function of the distance) give for free.
    x = images - background
    x = ops.einsum("biju,biuc->bijc", _bilinear_weights(source_j, width), x)
    x = ops.einsum("biv,bvjc->bijc", _bilinear_weights(source_i, height), x)
    return x + background


def thicken(images, amount):
    """Blends each image with its 3x3 grey-level dilation: thicker bright strokes.

    Args:
        images: float tensor (N, H, W, C), strokes brighter than the background.
        amount: tensor (N,): 0 keeps an image, 1 takes its dilation.

    Returns:
        The thickened images, shape (N, H, W, C).

    Example:
    >>> import numpy as np
    >>> dot = -np.ones((1, 3, 3, 1), "float32"); dot[0, 1, 1, 0] = 1.0
    >>> keras.ops.convert_to_numpy(thicken(dot, np.array([0.5], "float32")))[0, :, :, 0].tolist()
    [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    images = ops.convert_to_tensor(images, "float32")
    amount = ops.reshape(ops.cast(amount, "float32"), (-1, 1, 1, 1))
    return images + amount * (ops.max_pool(images, 3, 1, "same") - images)


def random_augment(
    images,
    seed_generator,
    shear: float,
    scale: float,
    shift: float,
    thickening: float = 0.0,
    background: float = -1.0,
):
    """`thicken`, then `affine_warp`, with amounts drawn uniformly for each image.

    Args:
        images: float tensor (N, H, W, C).
        seed_generator: a `keras.random.SeedGenerator` (advanced by the call).
        shear: the shear is drawn from [-shear, shear] (0.5: about 27 degrees of slant).
        scale: each axis is scaled by a factor in [1 - scale, 1 + scale].
        shift: each axis is shifted by up to `shift` pixels.
        thickening: the dilation blend is drawn from [0, thickening].
        background: the value outside the image.

    Returns:
        The augmented images, shape (N, H, W, C).
    """
    n = ops.shape(images)[0]

    def draw(low, high):
        return keras.random.uniform((n,), low, high, seed=seed_generator)

    shears = draw(-shear, shear)
    scales_x, scales_y = 1 + draw(-scale, scale), 1 + draw(-scale, scale)
    shifts_x, shifts_y = draw(-shift, shift), draw(-shift, shift)
    if thickening:
        images = thicken(images, draw(0.0, thickening))
    return affine_warp(images, shears, scales_x, scales_y, shifts_x, shifts_y, background)


def _bilinear_weights(positions, size: int):
    """Weights (..., size) of the pixels 0..size-1 for sampling at `positions` (...)."""
    return ops.relu(1.0 - ops.abs(positions[..., None] - ops.arange(size, dtype="float32")))
