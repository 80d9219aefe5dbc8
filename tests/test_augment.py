"""The differentiable augmentation through which InfoGAN reads its categorical code."""

import keras
import numpy as np

from odog import augment, backend


def _params(n, shear=0.0, scale_x=1.0, scale_y=1.0, shift_x=0.0, shift_y=0.0):
    return [np.full(n, value, "float32") for value in (shear, scale_x, scale_y, shift_x, shift_y)]


def test_identity_parameters_return_the_images(mnist):
    images = mnist.images[:4]
    warped = keras.ops.convert_to_numpy(augment.affine_warp(images, *_params(4)))
    np.testing.assert_allclose(warped, images, atol=1e-6)


def test_shift_shear_and_scale_move_pixels_where_expected():
    bar = -np.ones((1, 9, 9, 1), "float32")
    bar[0, :, 4, 0] = 1.0  # a vertical line through the centre column
    shifted = keras.ops.convert_to_numpy(augment.affine_warp(bar, *_params(1, shift_x=2.0, shift_y=0.0)))
    np.testing.assert_allclose(shifted[0, :, 6, 0], 1.0)
    sheared = keras.ops.convert_to_numpy(augment.affine_warp(bar, *_params(1, shear=1.0)))
    # Row i samples column j - (i - 4): the top row's line moves 4 left, the bottom row's 4 right.
    assert sheared[0, 0, 0, 0] == 1.0 and sheared[0, 8, 8, 0] == 1.0 and sheared[0, 4, 4, 0] == 1.0
    dot = -np.ones((1, 9, 9, 1), "float32")
    dot[0, 4, 5, 0] = 1.0  # one column right of the centre
    wide = keras.ops.convert_to_numpy(augment.affine_warp(dot, *_params(1, scale_x=2.0)))
    assert wide[0, 4, 6, 0] == 1.0 and wide[0, 4, 5, 0] == 0.0  # twice as far from the centre, blurred between
    assert (wide >= -1).all() and (wide <= 1).all()


def test_random_augment_differs_per_call_stays_in_range_and_passes_gradients(mnist):
    images = keras.ops.convert_to_tensor(mnist.images[:8])
    seeds = keras.random.SeedGenerator(0)
    first = keras.ops.convert_to_numpy(augment.random_augment(images, seeds, 0.5, 0.2, 2.0, 1.0))
    second = keras.ops.convert_to_numpy(augment.random_augment(images, seeds, 0.5, 0.2, 2.0, 1.0))
    assert first.shape == images.shape and not np.allclose(first, second)
    assert first.min() >= -1 - 1e-6 and first.max() <= 1 + 1e-6
    grads = keras.ops.convert_to_numpy(
        backend.input_gradients(lambda x: augment.random_augment(x, seeds, 0.5, 0.2, 2.0, 1.0), images)
    )
    assert np.abs(grads).sum() > 0
