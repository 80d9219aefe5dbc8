"""GAN losses, each written once.

Every loss takes `(y_true, y_pred)` like a Keras loss, so a variant can both
`compile()` its models with it and call it inside its own training step.
"""

import keras
from keras import ops


def binary_crossentropy(y_true, y_pred):
    """Mean binary cross-entropy of probabilities (D ends with a sigmoid).

    Example:
    >>> import numpy as np
    >>> float(binary_crossentropy(np.ones((2, 1)), np.full((2, 1), 0.5)))
    0.6931...
    """
    return ops.mean(keras.losses.binary_crossentropy(y_true, y_pred))


def binary_accuracy(y_true, y_pred):
    """Fraction of predictions on the right side of 0.5.

    Targets are thresholded too, so smoothed labels (0.9) still count as real.
    """
    y_true = ops.cast(ops.greater(y_true, 0.5), "float32")
    y_pred = ops.cast(ops.greater(y_pred, 0.5), "float32")
    return ops.mean(ops.cast(ops.equal(y_true, y_pred), "float32"))
