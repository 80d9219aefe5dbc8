"""SGAN, the semi-supervised GAN (Odena, 2016; Salimans et al., 2016; in Keras-GAN).

D is a classifier over the N real classes plus "generated". Following
Salimans et al., the generated class's logit is fixed at 0, so D's N logits
l(x) give both the class, softmax(l), and realness, D(x) = Z / (Z + 1) with
Z = sum exp(l). Each D step sees a batch of unlabelled real images, a batch
from the few labelled ones and a generated batch:

    L_D = CE(y, l(x_labelled)) - E log D(x) - E log(1 - D(G(z)))

so the many unlabelled images shape D's features through the GAN game and
the few labels name the classes. G is DCGAN's, trained to make D(G(z)) high,
or, with `feature_matching=True` (Salimans et al.'s choice for
semi-supervised learning), to match the mean of D's last hidden features on
a real batch: ||E f(x) - E f(G(z))||^2. G then makes images that are
statistically like the data to D without trying to fool its current
classifier, which the paper found to give the better classifier (and the
worse-looking samples). `classify(images)` uses D as the classifier.
"""

import keras
import numpy as np
from keras import layers, ops

from odog.validation import check_number
from odog.variants.dcgan import DCGAN


def _realness(logits):
    """log Z: the logit of D(x) = Z / (Z + 1)."""
    return ops.logsumexp(logits, axis=-1)


def _mean_true(condition):
    return ops.mean(ops.cast(condition, "float32"))


def _supervised_loss(labels, logits):
    return ops.mean(keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True))


class SGAN(DCGAN):
    """Semi-supervised GAN: D classifies with few labels.

    Args:
        labelled: number of training images whose labels D may use (100),
            drawn evenly from the classes with the model's seed.
        feature_matching: G matches the mean of D's last hidden features on
            real images instead of maximizing D(G(z)). False.
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import SGAN
    >>> import numpy as np
    >>> gan = SGAN(dataset=(np.zeros((20, 28, 28, 1)), np.arange(20) % 10), labelled=10, seed=0)
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1)))
    >>> gan.classify(np.zeros((2, 28, 28, 1))).shape
    (2,)
    """

    name = "sgan"
    d_activation = None

    def __init__(self, dataset="mnist", *, labelled: int = 100, feature_matching: bool = False, **kwargs):
        check_number("labelled", labelled, integer=True, low=1)
        if not isinstance(feature_matching, bool):
            raise TypeError(f"feature_matching must be True or False; received {feature_matching!r}.")
        self.labelled, self.feature_matching = labelled, feature_matching
        self._labelled_set = None
        super().__init__(dataset, **kwargs)
        # D's last hidden layer (the trunk's flattened features), sharing D's variables.
        self.features = keras.Model(self.discriminator.inputs, self.discriminator.layers[-2].output, name="features")

    @property
    def generator_reads_real(self) -> bool:
        return self.feature_matching  # the G step then gets a real batch to match

    def build_discriminator(self) -> keras.Model:
        d = super().build_discriminator()  # DCGAN's, ending in Flatten -> Dense(1)
        logits = layers.Dense(self.num_classes, name="class_logits")(d.layers[-2].output)
        return keras.Model(d.inputs[0], logits, name="discriminator")

    @property
    def num_classes(self) -> int:
        from odog import data as data_lib

        found = data_lib.num_classes(self.dataset)
        if found is None:
            raise ValueError("SGAN needs labels for a few images: pass a named dataset or dataset=(images, labels).")
        return found

    @property
    def loss(self):
        """D's Keras loss on labelled batches: cross-entropy over the N classes."""
        return _supervised_loss

    @property
    def labelled_set(self) -> tuple[np.ndarray, np.ndarray]:
        """The labelled images and their labels: `labelled // N` per class."""
        if self._labelled_set is None:
            labels = self.data.labels
            if labels is None:
                raise ValueError("SGAN needs labels for a few images; this dataset has none.")
            per_class = max(1, self.labelled // self.num_classes)
            rng = np.random.default_rng(self.seed)
            index = np.concatenate(
                [rng.permutation(np.flatnonzero(labels == k))[:per_class] for k in range(self.num_classes)]
            )
            self._labelled_set = (self.data.take(index), labels[index])
        return self._labelled_set

    def real_input(self, images: np.ndarray, labels):
        # An unlabelled batch (any training images) and an equally sized labelled one.
        labelled_images, labelled_labels = self.labelled_set
        index = self.rng.integers(0, len(labelled_images), images.shape[:2])
        return [images, labelled_images[index], labelled_labels[index].astype("int32")]

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        images, labelled_images, labels = real
        realness_real = _realness(self.discriminator(images, training=True))
        realness_fake = _realness(self.discriminator(fake, training=True))
        logits = self.discriminator(labelled_images, training=True)
        supervised = _supervised_loss(labels, logits)
        # -log D(x) = softplus(-log Z); -log(1 - D(G(z))) = softplus(log Z)
        loss_real = ops.mean(ops.softplus(-realness_real))
        loss_fake = ops.mean(ops.softplus(realness_fake))
        loss = supervised + 0.5 * (loss_real + loss_fake)
        logs = {
            "d_loss": loss,
            "d_loss_real": loss_real,
            "d_loss_fake": loss_fake,
            "d_class_loss": supervised,
            "d_class_acc": ops.mean(ops.cast(ops.argmax(logits, -1) == ops.cast(labels, "int32"), "float32")),
            "d_acc": 0.5 * (_mean_true(realness_real > 0) + _mean_true(realness_fake < 0)),
            "d_real": ops.mean(ops.sigmoid(realness_real)),
            "d_fake": ops.mean(ops.sigmoid(realness_fake)),
        }
        return loss, logs

    def generator_objective(self, z) -> tuple:
        if not self.feature_matching:
            loss = ops.mean(ops.softplus(-_realness(self.combined(z, training=True))))
            return loss, {"g_loss": loss}
        noise, real = z
        generated = self.features(self.generator(noise, training=True), training=True)
        # The mean over features of the squared difference: the paper's squared norm, scaled (Adam is indifferent).
        loss = ops.mean(ops.square(ops.mean(self.features(real, training=True), axis=0) - ops.mean(generated, axis=0)))
        return loss, {"g_loss": loss}

    def discriminate(self, images: np.ndarray) -> np.ndarray:
        """D(x) = Z / (Z + 1) for each image."""
        logits = self.discriminator.predict(np.asarray(images, "float32"), batch_size=256, verbose=0)
        return 1.0 / (1.0 + np.exp(-np.logaddexp.reduce(logits, axis=1)))

    def classify(self, images: np.ndarray) -> np.ndarray:
        """D's class for each image."""
        return self.discriminator.predict(np.asarray(images, "float32"), batch_size=256, verbose=0).argmax(axis=1)
