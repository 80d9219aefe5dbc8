"""Day 18, SS-GAN (Chen et al., 2019): D also predicts how an image was rotated.

DCGAN's networks; D gains a second head on its trunk, four logits for the
rotation of its input (0, 90, 180 or 270 degrees). D's loss adds beta times
the rotation cross-entropy of the real images, each rotated all four ways
(beta = 1); G's adds alpha times the same cross-entropy on its fakes
(alpha = 0.2), so G is rewarded for images whose orientation D can read off
the features it learned from real data. The paper's argument: D's task
changes as the fakes move, and a classifier on a moving task forgets; the
self-supervised task is stationary and keeps D's features. The real/fake
head sees unrotated images only. `rotation_acc` logs D's accuracy on the
rotated real images.
"""

import keras
import numpy as np
from keras import layers, ops

from odog.losses import binary_accuracy, binary_crossentropy
from odog.validation import check_number
from odog.variants.dcgan import DCGAN

ANGLES = 4  # 0, 90, 180 and 270 degrees


def rotations(images) -> tuple:
    """`(rotated, angle)`: the batch (N, H, W, C) of square images rotated by 0, 90, 180 and
    270 degrees, stacked (4N, H, W, C), and each image's angle index 0..3 (4N,).

    Example:
    >>> x = np.arange(4, dtype="float32").reshape(1, 2, 2, 1)  # [[0, 1], [2, 3]]
    >>> rotated, angle = rotations(x)
    >>> keras.ops.convert_to_numpy(rotated)[1, :, :, 0].tolist(), keras.ops.convert_to_numpy(angle).tolist()
    ([[1.0, 3.0], [0.0, 2.0]], [0, 1, 2, 3])
    """
    images = ops.convert_to_tensor(images)
    turned = [images]
    for _ in range(ANGLES - 1):  # a quarter turn counterclockwise: transpose, then flip upside down
        turned.append(ops.flip(ops.transpose(turned[-1], (0, 2, 1, 3)), axis=1))
    angle = ops.repeat(ops.arange(ANGLES, dtype="int32"), ops.shape(images)[0])
    return ops.concatenate(turned, axis=0), angle


def _rotation_loss(angle, logits):
    return ops.mean(keras.losses.sparse_categorical_crossentropy(angle, logits, from_logits=True))


class SSGAN(DCGAN):
    """Self-supervised GAN with the auxiliary rotation loss.

    Args:
        rotation_weight: beta, the weight of the rotation loss in D's loss (1).
        g_rotation_weight: alpha, its weight in G's loss (0.2).
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import SSGAN
    >>> gan = SSGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), seed=0)
    >>> [tuple(o.shape) for o in gan.discriminator.outputs]
    [(None, 1), (None, 4)]
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> 0.0 <= logs["rotation_acc"] <= 1.0
    True
    """

    name = "ssgan"
    loss = [binary_crossentropy, _rotation_loss]  # what `discriminator.train_on_batch(x, [validity, angle])` uses

    def __init__(self, dataset="mnist", *, rotation_weight: float = 1.0, g_rotation_weight: float = 0.2, **kwargs):
        check_number("rotation_weight", rotation_weight, low=0)
        check_number("g_rotation_weight", g_rotation_weight, low=0)
        self.rotation_weight, self.g_rotation_weight = rotation_weight, g_rotation_weight
        super().__init__(dataset, **kwargs)  # DCGAN's networks take square images only, which quarter turns need

    def build_discriminator(self) -> keras.Model:
        d = super().build_discriminator()  # DCGAN's, ending in Flatten -> Dense(1, sigmoid)
        rotation = layers.Dense(ANGLES, name="rotation")(d.layers[-2].output)
        return keras.Model(d.inputs[0], [d.outputs[0], rotation], name="discriminator")

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        n = ops.shape(real)[0]
        rotated, angle = rotations(real)
        validity, logits = self.discriminator(rotated, training=True)  # its first n: the real batch as it is
        valid_real = validity[:n]
        valid_fake, _ = self.discriminator(fake, training=True)
        loss_real = binary_crossentropy(real_targets, valid_real)
        loss_fake = binary_crossentropy(fake_targets, valid_fake)
        rotation_loss = _rotation_loss(angle, logits)
        loss = 0.5 * (loss_real + loss_fake) + self.rotation_weight * rotation_loss
        right = ops.cast(ops.argmax(logits, axis=-1) == angle, "float32")
        return loss, {
            "d_loss": loss,
            "d_loss_real": loss_real,
            "d_loss_fake": loss_fake,
            "d_acc": 0.5
            * (
                binary_accuracy(ops.ones_like(valid_real), valid_real)
                + binary_accuracy(ops.zeros_like(valid_fake), valid_fake)
            ),
            "d_real": ops.mean(valid_real),
            "d_fake": ops.mean(valid_fake),
            "rotation_loss": rotation_loss,
            "rotation_acc": ops.mean(right),
        }

    def generator_objective(self, z) -> tuple:
        n = ops.shape(z)[0]
        rotated, angle = rotations(self.generator(z, training=True))
        validity, logits = self.discriminator(rotated, training=True)  # D is frozen in the G step
        adversarial = binary_crossentropy(ops.ones_like(validity[:n]), validity[:n])
        rotation_loss = _rotation_loss(angle, logits)
        loss = adversarial + self.g_rotation_weight * rotation_loss
        return loss, {"g_loss": loss, "g_rotation_loss": rotation_loss}

    def rotation_accuracy(self, images: np.ndarray) -> float:
        """D's accuracy at telling the rotation of `images`, each rotated all four ways."""
        rotated, angle = rotations(np.asarray(images, "float32"))
        logits = self.discriminator.predict(rotated, batch_size=256, verbose=0)[1]
        return float(np.mean(logits.argmax(axis=1) == keras.ops.convert_to_numpy(angle)))
