"""Day 4, ACGAN (Odena, Olah and Shlens, 2017): D also classifies.

G(z, y) as in CGAN. D sees the image alone and has two heads on DCGAN's
trunk: validity (sigmoid) and class (softmax). Both models add the class
cross-entropy to their adversarial loss: D learns to classify real and
generated images by their label, and G to make images D classifies as y.
The sample grid is 10x10, one class per row.
"""

import keras
from keras import layers, ops

from odog.conditional import ConditionalGAN
from odog.losses import binary_accuracy, binary_crossentropy
from odog.variants.dcgan import DCGAN


def _class_loss(one_hot, probabilities):
    return ops.mean(keras.losses.categorical_crossentropy(one_hot, probabilities))


def _class_accuracy(one_hot, probabilities):
    return ops.mean(ops.cast(ops.argmax(one_hot, -1) == ops.argmax(probabilities, -1), "float32"))


class ACGAN(ConditionalGAN, DCGAN):
    """Auxiliary classifier GAN.

    Args:
        num_classes: number of classes (read from the dataset by default).
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import ACGAN
    >>> import numpy as np
    >>> gan = ACGAN(dataset=(np.zeros((4, 28, 28, 1)), np.array([0, 1, 2, 9])))
    >>> [tuple(o.shape) for o in gan.discriminator.outputs]
    [(None, 1), (None, 10)]
    """

    name = "acgan"
    loss = [binary_crossentropy, _class_loss]

    def build_discriminator(self) -> keras.Model:
        d = super().build_discriminator()  # DCGAN's, ending in Flatten -> Dense(1, sigmoid)
        label = layers.Dense(self.num_classes, activation="softmax", name="label")(d.layers[-2].output)
        return keras.Model(d.inputs[0], [d.outputs[0], label], name="discriminator")

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        (images, labels), (generated, fake_labels) = real, fake
        valid_real, class_real = self.discriminator(images, training=True)
        valid_fake, class_fake = self.discriminator(generated, training=True)
        loss_real = binary_crossentropy(real_targets, valid_real)
        loss_fake = binary_crossentropy(fake_targets, valid_fake)
        class_loss = 0.5 * (_class_loss(labels, class_real) + _class_loss(fake_labels, class_fake))
        loss = 0.5 * (loss_real + loss_fake) + class_loss
        logs = {
            "d_loss": loss,
            "d_loss_real": loss_real,
            "d_loss_fake": loss_fake,
            "d_class_loss": class_loss,
            "d_acc": 0.5
            * (
                binary_accuracy(ops.ones_like(valid_real), valid_real)
                + binary_accuracy(ops.zeros_like(valid_fake), valid_fake)
            ),
            "d_class_acc": _class_accuracy(labels, class_real),
            "d_real": ops.mean(valid_real),
            "d_fake": ops.mean(valid_fake),
        }
        return loss, logs

    def generator_objective(self, z) -> tuple:
        validity, label = self.combined(z, training=True)
        class_loss = _class_loss(z[1], label)
        loss = binary_crossentropy(ops.ones_like(validity), validity) + class_loss
        return loss, {"g_loss": loss, "g_class_loss": class_loss}
