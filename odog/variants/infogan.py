"""Day 10, InfoGAN (Chen et al., 2016): latent codes that mean something, without labels.

G's input is noise (62) plus codes c: one categorical code with 10 values and
two continuous codes in U(-1, 1), the paper's MNIST setup. A head Q on D's
trunk predicts c from G(z, c); maximizing the mutual information I(c; G(z, c))
through the lower bound means minimizing Q's cross-entropy on the categorical
code and, for the continuous codes, a Gaussian log-likelihood with fixed
variance (a squared error). D's step trains the trunk and Q on it, G's step
trains G on it, next to the adversarial losses. Without any label, the
categorical code comes to pick the digit class, and the continuous codes
smooth factors such as slant and width.

The networks and learning rates are the paper's MNIST ones (its Table 1 and
appendix), with two changes:

- D normalizes with LayerNorm where the paper has BatchNorm. odog's G step
  sees D in inference mode, so a BatchNorm D judges G's batches by other
  statistics than it trains on; in a development run with it, the code lost
  its meaning (13% clustering accuracy after 2,500 iterations).
- Q reads the categorical code from a randomly distorted copy of each
  generated image (`code_augment`: a shear, a scale per axis, a shift and a
  thickening of the strokes; `odog.augment`). With the paper's objective,
  code values went to styles of one digit (two rows of 0s in a grid) while
  other digits shared a value; a code that must survive those distortions
  cannot hold slant, width, position or thickness, and is left with the
  digit. The continuous codes and the validity are read from the
  undistorted image. `code_augment=None` gives the paper's objective.

docs/infogan.md has the runs and what the change bought.
"""

import keras
import numpy as np
from keras import layers, ops

from odog import augment, viz
from odog.base import BaseGAN
from odog.losses import binary_accuracy, binary_crossentropy
from odog.validation import check_number


class InfoGAN(BaseGAN):
    """Information-maximizing GAN.

    Args:
        noise_dim: size of the incompressible noise (62).
        categories: values of the categorical code (10).
        continuous: number of continuous codes (2).
        continuous_weight: weight of the continuous codes' information loss
            (0.1; the categorical one has weight 1, as in the paper).
        code_augment: (shear, scale, shift, thickening): Q reads the
            categorical code from each generated image sheared by up to
            `shear`, scaled per axis by a factor in [1 - scale, 1 + scale],
            shifted by up to `shift` pixels and its strokes thickened by up
            to `thickening` (0 to 1) of a 3x3 dilation
            (`odog.augment.random_augment`). None: from the image itself,
            the paper's objective.
        g_learning_rate: Adam learning rate of G (1e-3, the paper's; D and
            Q learn at `learning_rate`, 2e-4, also the paper's).
        **kwargs: passed to `BaseGAN` (not `latent_dim`, which is
            noise_dim + categories + continuous). Images need a side
            divisible by 4.

    Example:
    >>> from odog import InfoGAN
    >>> import numpy as np
    >>> gan = InfoGAN(dataset=np.zeros((4, 28, 28, 1), "float32"))
    >>> gan.latent_dim, gan.generate(3, code=[0, 4, 9], continuous=[[0.5, -1.0]] * 3).shape
    (74, (3, 28, 28, 1))
    """

    name = "infogan"
    conditions = ("code", "continuous")
    sample_grid = (10, 10)
    default_batch_size = 64  # the code clustered the digits better than at 32 (docs/infogan.md)

    def __init__(
        self,
        dataset="mnist",
        *,
        noise_dim: int = 62,
        categories: int = 10,
        continuous: int = 2,
        continuous_weight: float = 0.1,
        code_augment: tuple[float, float, float, float] | None = (0.5, 0.2, 2.0, 1.0),
        g_learning_rate: float = 1e-3,
        **kwargs,
    ):
        check_number("noise_dim", noise_dim, integer=True, low=1)
        check_number("categories", categories, integer=True, low=2)
        check_number("continuous", continuous, integer=True, low=0)
        check_number("continuous_weight", continuous_weight, low=0)
        if code_augment is not None:
            if not isinstance(code_augment, (tuple, list)) or len(code_augment) != 4:
                raise ValueError(
                    "Invalid value received for argument `code_augment`. Expected (shear, scale, shift, "
                    f"thickening) or None. Received: code_augment={code_augment!r}"
                )
            for i, value in enumerate(code_augment):
                check_number(f"code_augment[{i}]", value, low=0, high=1 if i == 1 else None, high_open=True)
            code_augment = tuple(float(value) for value in code_augment)
        if "latent_dim" in kwargs:
            raise ValueError("InfoGAN's latent_dim is noise_dim + categories + continuous; set those instead.")
        self.noise_dim, self.categories, self.continuous = noise_dim, categories, continuous
        self.continuous_weight = continuous_weight
        self.code_augment = code_augment
        super().__init__(
            dataset, latent_dim=noise_dim + categories + continuous, g_learning_rate=g_learning_rate, **kwargs
        )

    def _quarter_side(self) -> int:
        side = self.img_shape[0]
        if self.img_shape[1] != side or side % 4:
            raise ValueError(
                f"InfoGAN builds square images whose side is divisible by 4. Received image shape {self.img_shape}; "
                "pass image_size=32 (or 64) for an image folder."
            )
        return side // 4

    def build_generator(self) -> keras.Model:
        # The paper's MNIST G. BatchNorm momentum 0.8 as in odog's DCGAN G:
        # D's fakes are drawn in inference mode, with the moving statistics,
        # which then follow G's batch statistics closely.
        side = self._quarter_side()
        return keras.Sequential(
            [
                keras.Input((self.latent_dim,)),
                layers.Dense(1024),
                layers.BatchNormalization(momentum=0.8),
                layers.ReLU(),
                layers.Dense(side * side * 128),
                layers.BatchNormalization(momentum=0.8),
                layers.ReLU(),
                layers.Reshape((side, side, 128)),
                layers.Conv2DTranspose(64, 4, 2, padding="same"),
                layers.BatchNormalization(momentum=0.8),
                layers.ReLU(),
                layers.Conv2DTranspose(self.img_shape[-1], 4, 2, padding="same", activation="tanh"),
            ],
            name="generator",
        )

    def build_discriminator(self) -> keras.Model:
        """The paper's D, with LayerNorm, and Q on its last hidden layer."""
        images = keras.Input(self.img_shape)
        x = layers.LeakyReLU(0.1)(layers.Conv2D(64, 4, 2, padding="same")(images))
        x = layers.Conv2D(128, 4, 2, padding="same")(x)
        x = layers.LeakyReLU(0.1)(layers.LayerNormalization()(x))
        x = layers.Dense(1024)(layers.Flatten()(x))
        trunk = layers.LeakyReLU(0.1)(layers.LayerNormalization()(x))
        q = layers.LeakyReLU(0.1)(layers.Dense(128)(trunk))
        outputs = [
            layers.Dense(1, activation="sigmoid", name="validity")(trunk),
            layers.Dense(self.categories, activation="softmax", name="code")(q),
        ]
        if self.continuous:
            outputs.append(layers.Dense(self.continuous, name="continuous")(q))
        return keras.Model(images, outputs, name="discriminator")

    @property
    def loss(self):
        """Losses of D's outputs: validity, categorical code, continuous codes."""
        return [binary_crossentropy, _code_loss, _squared_error][: 2 + bool(self.continuous)]

    def latent(self, shape: tuple, rng: np.random.Generator | None = None, labels=None, code=None, continuous=None):
        """[noise, one-hot code, continuous codes] concatenated; random codes by default."""
        rng = self.rng if rng is None else rng
        shape = tuple(shape)
        code = rng.integers(0, self.categories, shape) if code is None else code
        if continuous is None:
            continuous = rng.uniform(-1, 1, shape + (self.continuous,))
        noise = rng.standard_normal(shape + (self.noise_dim,), dtype="float32")
        one_hot = np.eye(self.categories, dtype="float32")[code]
        return np.concatenate([noise, one_hot, np.asarray(continuous, "float32")], axis=-1)

    def discriminator_input(self, fake, latent):
        return [fake, latent]  # the codes G was given, for Q's loss

    def split_noise(self, latent) -> tuple:
        # The noise is the first noise_dim columns; the codes after it stay.
        codes = latent[:, self.noise_dim :]
        return latent[:, : self.noise_dim], lambda noise: np.concatenate([noise, codes], axis=-1)

    def code_view(self, generated: keras.KerasTensor) -> keras.KerasTensor:
        """The images the categorical code is read from: a randomly distorted
        copy of `generated` when `code_augment` is set, so that the code cannot
        hold slant, width, position or stroke thickness, and is left with the
        digit; `generated` itself otherwise."""
        if self.code_augment is None:
            return generated
        return augment.random_augment(generated, self.seed_generator, *self.code_augment)

    def _read_code(self, generated, predicted):
        """Q's categorical code for generated images (`code_view`); `predicted`, D's pass over them, serves
        when they are read undistorted."""
        if self.code_augment is None:
            return predicted[1]
        return self.discriminator(self.code_view(generated), training=True)[1]

    def _information(self, latent, predicted, code_predicted) -> tuple:
        start = self.noise_dim
        code = latent[:, start : start + self.categories]
        loss = _code_loss(code, code_predicted)
        logs = {"code_acc": ops.mean(ops.cast(ops.argmax(code, -1) == ops.argmax(code_predicted, -1), "float32"))}
        if self.continuous:
            continuous = latent[:, start + self.categories :]
            logs["continuous_loss"] = _squared_error(continuous, predicted[2])
            loss = loss + self.continuous_weight * logs["continuous_loss"]
        logs["info_loss"] = loss
        return loss, logs

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        generated, latent = fake
        valid_real = self.discriminator(real, training=True)[0]
        predicted = self.discriminator(generated, training=True)
        loss_real = binary_crossentropy(real_targets, valid_real)
        loss_fake = binary_crossentropy(fake_targets, predicted[0])
        info, logs = self._information(latent, predicted, self._read_code(generated, predicted))
        loss = 0.5 * (loss_real + loss_fake) + info
        logs.update(
            d_loss=loss,
            d_loss_real=loss_real,
            d_loss_fake=loss_fake,
            d_acc=0.5
            * (
                binary_accuracy(ops.ones_like(valid_real), valid_real)
                + binary_accuracy(ops.zeros_like(predicted[0]), predicted[0])
            ),
            d_real=ops.mean(valid_real),
            d_fake=ops.mean(predicted[0]),
        )
        return loss, logs

    def generator_objective(self, z) -> tuple:
        generated = self.generator(z, training=True)
        predicted = self.discriminator(generated, training=True)  # what `combined` computes
        info, _ = self._information(z, predicted, self._read_code(generated, predicted))
        loss = binary_crossentropy(ops.ones_like(predicted[0]), predicted[0]) + info
        return loss, {"g_loss": loss, "g_info_loss": info}

    def predict_code(self, images: np.ndarray) -> np.ndarray:
        """Q's categorical code for each image: InfoGAN as an unsupervised clusterer."""
        outputs = self.discriminator.predict(np.asarray(images, "float32"), batch_size=256, verbose=0)
        return outputs[1].argmax(axis=1)

    def generation_input(self, n: int, rng: np.random.Generator, code=None, continuous=None):
        """G's input for `generate(n, code=..., continuous=...)`.

        Args:
            n: number of images.
            rng: the random generator of the noise and of random codes.
            code: a categorical code for all images or one per image
                (in [0, categories)); random when None.
            continuous: continuous codes, shape (continuous,) for all images
                or (n, continuous); U(-1, 1) when None. The paper varies them
                over [-2, 2] to show what they control.
        """
        if code is not None:
            code = np.broadcast_to(np.asarray(code), (n,))
            if code.dtype.kind not in "iu" or code.min() < 0 or code.max() >= self.categories:
                raise ValueError(
                    f"Invalid value received for argument `code`. Expected integers in [0, {self.categories - 1}]. "
                    f"Received: {np.unique(code)[:10]}"
                )
        if continuous is not None:
            continuous = np.asarray(continuous, "float32")
            if continuous.shape not in ((self.continuous,), (n, self.continuous)):
                raise ValueError(
                    f"Invalid value received for argument `continuous`. Expected shape ({self.continuous},) or "
                    f"({n}, {self.continuous}). Received: shape {continuous.shape}"
                )
            continuous = np.broadcast_to(continuous, (n, self.continuous))
        return self.latent((n,), rng, code=code, continuous=continuous)

    def code_grid(self, varying: int | None = None, columns: int = 10, seed: int = 0) -> np.ndarray:
        """Images for a grid with one row per categorical code.

        Args:
            varying: None: each column has other noise. An index i: column j
                sets continuous code i to -2 + 4 j / (columns - 1), the other
                codes 0, and each row keeps one noise vector (the paper's figure).
            columns: images per row.
            seed: seed of the noise.

        Returns:
            `categories * columns` images, row by row (for `odog.viz.image_grid`).
        """
        rows = self.categories
        code = np.repeat(np.arange(rows), columns)
        rng = np.random.default_rng(seed)
        continuous = np.zeros((rows * columns, self.continuous), "float32")
        if varying is None:
            latent = self.latent((rows * columns,), rng, code=code, continuous=continuous)
        else:
            if not 0 <= varying < self.continuous:
                raise ValueError(f"varying must be a continuous code index in [0, {self.continuous - 1}].")
            continuous[:, varying] = np.tile(np.linspace(-2, 2, columns), rows)
            latent = self.latent((rows * columns,), rng, code=code, continuous=continuous)
            latent[:, : self.noise_dim] = np.repeat(latent[::columns, : self.noise_dim], columns, axis=0)
        return self.generate_from(latent)

    def sample_images(self, path):
        """Writes the categorical-code grid: one row per code value."""
        return viz.save_grid(self.code_grid(), path, rows=self.categories)


def _code_loss(one_hot, probabilities):
    return ops.mean(keras.losses.categorical_crossentropy(one_hot, probabilities))


def _squared_error(target, predicted):
    return ops.mean(ops.square(target - predicted))
