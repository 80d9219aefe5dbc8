"""LAPGAN (Denton et al., 2015): a Laplacian pyramid of conditional GANs.

An image I is padded to a power-of-two side S (MNIST: 28 -> 32, with the
background value -1) and decomposed into a pyramid: I_0 is I shrunk to 8x8
(box filter), and each finer level k holds the band-pass residual
h_k = I_k - l_k, where l_k = up(I_{k-1}) is the coarser image upsampled
(bilinear). Level 0 is an ordinary GAN on 8x8 images; level k is a
conditional GAN whose G_k(z_k, l_k) produces a residual and whose
D_k(h, l_k) tells real residuals from generated ones given the same coarse
image. Sampling runs the whole pyramid: x_0 = G_0(z_0), then
x_k = up(x_{k-1}) + G_k(z_k, up(x_{k-1})), and the padding is cropped off.

As in the paper (and the survey "万字详解什么是生成对抗网络GAN": "compress the image, generate, discriminate,
level by level"), every level trains on the real pyramid of the batch: level
k is conditioned on the real coarse image, never on a generated one, so the
levels are independent GANs. odog trains them in the same compiled step (one
iteration = one D and one G step of every level); because no variable is
shared between levels, this is the same as training them one after another.
"""

import math

import keras
import numpy as np
from keras import layers, ops

from odog import imaging
from odog.base import BaseGAN
from odog.losses import binary_accuracy
from odog.models import CombinedModel
from odog.validation import check_images, check_number

BASE_SIDE = 8


class LAPGAN(BaseGAN):
    """Laplacian pyramid GAN.

    Args:
        filters: width of each level's convolutions (64).
        **kwargs: passed to `BaseGAN` (dataset, latent_dim, ...). Every
            level draws its own noise of size latent_dim.

    Example:
    >>> from odog import LAPGAN
    >>> import numpy as np
    >>> gan = LAPGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), filters=8, seed=0)
    >>> gan.sides  # MNIST is padded to 32x32
    [8, 16, 32]
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> gan.generate(2).shape
    (2, 28, 28, 1)
    """

    name = "lapgan"

    def __init__(self, dataset="mnist", *, filters: int = 64, **kwargs):
        check_number("filters", filters, integer=True, low=1)
        self.filters = filters
        super().__init__(dataset, **kwargs)

    @property
    def sides(self) -> list[int]:
        """The side of each pyramid level, coarsest first."""
        height, width = self.img_shape[:2]
        side = max(BASE_SIDE, 2 ** math.ceil(math.log2(max(height, width))))
        if height != width or (side - height) % 2:
            raise ValueError(
                f"LAPGAN builds square images whose side is even (it pads them to a power of two). "
                f"Received image shape {self.img_shape}."
            )
        return [BASE_SIDE * 2**k for k in range(int(math.log2(side // BASE_SIDE)) + 1)]

    # ------------------------------------------------------------------
    # The pyramid.
    # ------------------------------------------------------------------
    def decompose(self, images: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The Laplacian pyramid of a batch of images.

        Returns:
            `(bands, conditions)`: bands `[I_0, h_1, ..., h_L]` (the 8x8 image,
            then the residuals) and conditions `[l_1, ..., l_L]`, the
            upsampled coarser images; `reconstruct(bands)` inverts it.
        """
        pad = (self.sides[-1] - self.img_shape[0]) // 2
        image = np.pad(images, ((0, 0), (pad, pad), (pad, pad), (0, 0)), constant_values=-1.0)
        levels = [image]
        for side in reversed(self.sides[:-1]):
            levels.insert(0, imaging.resize(levels[0], side, "box"))
        conditions = [
            imaging.resize(coarse, side, "bilinear") for coarse, side in zip(levels[:-1], self.sides[1:], strict=True)
        ]
        bands = [levels[0]] + [fine - up for fine, up in zip(levels[1:], conditions, strict=True)]
        return bands, conditions

    def reconstruct(self, bands: list[np.ndarray]) -> np.ndarray:
        """Images from pyramid bands: upsample and add each residual, then crop."""
        return self._crop(self._collapse(bands))

    def _collapse(self, bands: list[np.ndarray]) -> np.ndarray:
        """The padded image of the finest level among `bands` (the first len(bands) levels)."""
        image = bands[0]
        for band, side in zip(bands[1:], self.sides[1 : len(bands)], strict=True):
            image = imaging.resize(image, side, "bilinear") + band
        return image

    def _crop(self, image: np.ndarray) -> np.ndarray:
        pad = (self.sides[-1] - self.img_shape[0]) // 2
        return image[:, pad : image.shape[1] - pad, pad : image.shape[2] - pad]

    # ------------------------------------------------------------------
    # The levels.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        """All levels' G in one model: [z_0..z_L, l_1..l_L] -> [I_0, h_1..h_L]."""
        channels, levels = self.img_shape[-1], len(self.sides)
        noise = [keras.Input((self.latent_dim,), name=f"z_{k}") for k in range(levels)]
        conditions = [keras.Input((s, s, channels), name=f"coarse_{k + 1}") for k, s in enumerate(self.sides[1:])]
        outputs = [self.build_base_generator()(noise[0])]
        for k, side in enumerate(self.sides[1:], start=1):
            z, coarse = keras.Input((self.latent_dim,)), keras.Input((side, side, channels))
            # The noise enters as one extra plane, as in the paper.
            plane = layers.Reshape((side, side, 1))(layers.Dense(side * side)(z))
            x = layers.Concatenate()([coarse, plane])
            # No BatchNorm: D sees G's residuals in inference mode, and with BatchNorm the levels' D won.
            for _ in range(3):
                x = layers.Conv2D(self.filters, 3, padding="same", activation="relu")(x)
            residual = layers.Conv2D(channels, 3, padding="same")(x)  # linear: residuals are signed
            outputs.append(keras.Model([z, coarse], residual, name=f"level_{k}")([noise[k], conditions[k - 1]]))
        return keras.Model(noise + conditions, outputs, name="generator")

    def build_base_generator(self) -> keras.Model:
        """Level 0's G, z -> an 8x8 image: a small DCGAN generator. The paper's MLP base level left
        D_0 at chance (loss 0.69 throughout) and its digits unreadable, measured in docs/lapgan.md."""
        return keras.Sequential(
            [
                keras.Input((self.latent_dim,)),
                layers.Dense(4 * 4 * 2 * self.filters, activation="relu"),
                layers.Reshape((4, 4, 2 * self.filters)),
                layers.UpSampling2D(),
                layers.Conv2D(self.filters, 3, padding="same", activation="relu"),
                layers.Conv2D(self.img_shape[-1], 3, padding="same", activation="tanh"),
            ],
            name="level_0",
        )

    def build_base_discriminator(self) -> keras.Model:
        """Level 0's D on 8x8 images."""
        return keras.Sequential(
            [
                keras.Input((BASE_SIDE, BASE_SIDE, self.img_shape[-1])),
                layers.Conv2D(self.filters, 3, 2, padding="same"),
                layers.LeakyReLU(0.2),
                layers.Conv2D(2 * self.filters, 3, 2, padding="same"),
                layers.LeakyReLU(0.2),
                layers.Flatten(),
                layers.Dropout(0.25),
                layers.Dense(1, activation="sigmoid"),
            ],
            name="critic_0",
        )

    def build_discriminator(self) -> keras.Model:
        """All levels' D in one model: [I_0, h_1, l_1, ..., h_L, l_L] -> one validity per level."""
        channels = self.img_shape[-1]
        inputs = [keras.Input((BASE_SIDE, BASE_SIDE, channels), name="image_0")]
        outputs = [self.build_base_discriminator()(inputs[0])]
        for k, side in enumerate(self.sides[1:], start=1):
            band, coarse = keras.Input((side, side, channels)), keras.Input((side, side, channels))
            x = layers.Concatenate()([band, coarse])
            for width in (self.filters, 2 * self.filters):
                x = layers.Conv2D(width, 5, 2, padding="same")(x)
                x = layers.LeakyReLU(0.2)(x)
            x = layers.Dropout(0.25)(layers.Flatten()(x))
            level = keras.Model([band, coarse], layers.Dense(1, activation="sigmoid")(x), name=f"critic_{k}")
            inputs += [keras.Input(band.shape[1:], name=f"band_{k}"), keras.Input(coarse.shape[1:], name=f"coarse_{k}")]
            outputs.append(level(inputs[-2:]))
        return keras.Model(inputs, outputs, name="discriminator")

    def build_combined(self) -> keras.Model:
        g, d = self.generator, self.discriminator
        return CombinedModel(g, d, connect=lambda inputs: d(self.discriminator_input(g(inputs), inputs)))

    # ------------------------------------------------------------------
    # What the step feeds them.
    # ------------------------------------------------------------------
    def latent(self, shape: tuple, rng: np.random.Generator | None = None, labels: np.ndarray | None = None):
        return [self.sample_noise(shape, rng) for _ in self.sides]

    def discriminator_input(self, fake, latent):
        return _interleave(fake, latent[len(self.sides) :])

    def step_inputs(self, real: np.ndarray, labels: np.ndarray | None = None) -> dict:
        inputs = super().step_inputs(real, labels)
        steps, batch = real.shape[:2]
        bands, conditions = self.decompose(real.reshape((-1,) + real.shape[2:]))
        bands = [b.reshape((steps, batch) + b.shape[1:]) for b in bands]
        conditions = [c.reshape((steps, batch) + c.shape[1:]) for c in conditions]
        inputs["real"] = _interleave(bands, conditions)
        # Each level is conditioned on the real coarse image (the paper's training).
        inputs["z_d"] = inputs["z_d"] + conditions
        inputs["z_g"] = inputs["z_g"] + [c[-1] for c in conditions]
        return inputs

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        pred_real = self.discriminator(real, training=True)
        pred_fake = self.discriminator(fake, training=True)
        logs, losses, accuracies = {}, [], []
        for k, (p_real, p_fake) in enumerate(zip(pred_real, pred_fake, strict=True)):
            loss = 0.5 * (self.loss(real_targets, p_real) + self.loss(fake_targets, p_fake))
            accuracies.append(
                0.5 * (binary_accuracy(ops.ones_like(p_real), p_real) + binary_accuracy(ops.zeros_like(p_fake), p_fake))
            )
            losses.append(loss)
            logs[f"d_loss_{k}"] = loss
        loss = ops.mean(ops.stack(losses))  # levels share no variable: the mean trains each on its own loss
        logs.update(
            d_loss=loss,
            d_acc=ops.mean(ops.stack(accuracies)),
            d_real=ops.mean(ops.stack([ops.mean(p) for p in pred_real])),
            d_fake=ops.mean(ops.stack([ops.mean(p) for p in pred_fake])),
        )
        return loss, logs

    def generator_objective(self, z) -> tuple:
        validity = self.combined(z, training=True)
        losses = [self.combined_loss(ops.ones_like(v), v) for v in validity]
        loss = ops.mean(ops.stack(losses))
        return loss, {"g_loss": loss, **{f"g_loss_{k}": v for k, v in enumerate(losses)}}

    # ------------------------------------------------------------------
    # Sampling runs the whole pyramid.
    # ------------------------------------------------------------------
    def generate_from(self, latent, ema: bool = True) -> np.ndarray:
        generator = self.sampler(ema)
        image = generator.get_layer("level_0").predict(latent[0], batch_size=256, verbose=0)
        return self._pyramid_up(generator, image, latent, start=1)

    def refine(self, images: np.ndarray, *, start: int = 1, seed: int | None = None, ema: bool = True) -> np.ndarray:
        """`images` with their pyramid levels from `start` on generated.

        The levels below `start` are the images' own (level 0 is the 8x8
        image); G's finer levels add their residuals on top, as in sampling.
        This is the paper's conditional generation from a coarse image, and
        it tells which level costs what: compare `generate` with `refine`
        at each `start`.

        Args:
            images: images like the training data, in [-1, 1], (N, *img_shape).
            start: the first generated level, 1 to `len(sides) - 1`.
            seed: seed of the levels' noise.
            ema: use `generator_ema` (when kept) rather than `generator`.

        Example:
        >>> from odog import LAPGAN
        >>> import numpy as np
        >>> gan = LAPGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), filters=8, seed=0)
        >>> gan.refine(np.zeros((2, 28, 28, 1), "float32"), start=2).shape  # real 8x8 and 16x16, G's 32x32
        (2, 28, 28, 1)
        """
        images = check_images(images, self.img_shape, "to refine")
        check_number("start", start, integer=True, low=1, high=len(self.sides) - 1)
        generator = self.sampler(ema)
        bands, _ = self.decompose(images)
        latent = self.latent((len(images),), np.random.default_rng(seed))
        return self._pyramid_up(generator, self._collapse(bands[:start]), latent, start)

    def _pyramid_up(self, generator: keras.Model, image: np.ndarray, latent: list, start: int) -> np.ndarray:
        """Adds G's residuals of levels `start`..L to `image` (level start - 1) and crops the padding."""
        for k, side in enumerate(self.sides[start:], start=start):
            coarse = imaging.resize(image, side, "bilinear")
            residual = generator.get_layer(f"level_{k}").predict([latent[k], coarse], batch_size=256, verbose=0)
            image = coarse + residual
        return np.clip(self._crop(image), -1.0, 1.0).astype("float32")

    def discriminate(self, images: np.ndarray) -> np.ndarray:
        """The mean over levels of D_k's score for each image's own pyramid."""
        bands, conditions = self.decompose(np.asarray(images, "float32"))
        scores = self.discriminator.predict(_interleave(bands, conditions), batch_size=256, verbose=0)
        return np.mean([s.reshape(-1) for s in scores], axis=0)


def _interleave(bands: list, conditions: list) -> list:
    """D's inputs: [I_0, h_1, l_1, ..., h_L, l_L]."""
    return [bands[0]] + [t for band, coarse in zip(bands[1:], conditions, strict=True) for t in (band, coarse)]
