"""ESRGAN (Wang et al., 2018): enhanced SRGAN.

What changes from `SRGAN`:
- G's blocks are residual-in-residual dense blocks (RRDB): three dense blocks
  of five 3x3 convolutions (growth 32, LeakyReLU 0.2), each block and the
  whole RRDB scaled by 0.2 before its skip. No BatchNorm anywhere in G: it
  brings artifacts and hurts generalization, the paper found. Upsampling is
  nearest-neighbour + convolution, and the last layer is linear (outputs are
  clipped to [-1, 1] by `upscale()`).
- D is relativistic average (`odog.losses.relativistic_average`): it
  estimates whether a real image is more realistic than the average fake,
  and G's adversarial loss is the same with the roles swapped, so G learns
  from the real images' scores too. D is SRGAN's, with a linear output.
- The perceptual loss compares VGG19 `block5_conv4` features before the
  ReLU (L1), plus 5e-3 x adversarial + 1e-2 x L1 on pixels. Without VGG
  (offline, or images under 32x32) odog warns and uses the pixel L1 as the
  perceptual term.
- Two stages. The first `pretrain_iterations` iterations train G alone on
  the pixel L1 loss (the PSNR-oriented model, which ESRGAN starts the GAN
  from); D starts training after them. Iterations count across both, so
  `train(epochs=...)` resumes in the right stage.
"""

import keras
from keras import layers, ops

from odog.losses import relativistic_accuracy, relativistic_average
from odog.validation import check_number
from odog.variants.srgan import SRGAN


class ESRGAN(SRGAN):
    """Enhanced super-resolution GAN.

    Args:
        rrdb_blocks: G's residual-in-residual dense blocks (23 in the paper; 8).
        growth: channels added by each convolution of a dense block (32).
        residual_scaling: the factor beta on every residual branch (0.2).
        pretrain_iterations: iterations of the PSNR-oriented stage (500).
        pixel_weight: weight eta of the pixel L1 loss in the GAN stage (1e-2).
        adversarial_weight: weight lambda of the adversarial loss (5e-3).
        **kwargs: passed to `SRGAN` (scale, filters, content_loss, ...).

    Example:
    >>> from odog import ESRGAN
    >>> import numpy as np
    >>> gan = ESRGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), rrdb_blocks=1, filters=8, growth=4,
    ...              content_loss="pixel", pretrain_iterations=1)
    >>> sorted(gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32")))  # stage 1: G alone
    ['g_loss', 'pixel_loss']
    >>> "d_loss" in gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))  # stage 2: the GAN
    True
    """

    name = "esrgan"
    d_activation = None
    vgg_before_activation, vgg_rescale = True, 1.0

    def __init__(
        self,
        dataset="mnist",
        *,
        rrdb_blocks: int = 8,
        growth: int = 32,
        residual_scaling: float = 0.2,
        pretrain_iterations: int = 500,
        pixel_weight: float = 1e-2,
        adversarial_weight: float = 5e-3,
        **kwargs,
    ):
        check_number("rrdb_blocks", rrdb_blocks, integer=True, low=1)
        check_number("growth", growth, integer=True, low=1)
        check_number("residual_scaling", residual_scaling, low=0)
        check_number("pretrain_iterations", pretrain_iterations, integer=True, low=0)
        check_number("pixel_weight", pixel_weight, low=0)
        self.rrdb_blocks, self.growth, self.residual_scaling = rrdb_blocks, growth, residual_scaling
        self.pretrain_iterations, self.pixel_weight = pretrain_iterations, pixel_weight
        super().__init__(dataset, adversarial_weight=adversarial_weight, **kwargs)

    @property
    def stage(self) -> str:
        """ "psnr" during the first `pretrain_iterations` iterations, then "gan"."""
        return "psnr" if self.iteration < self.pretrain_iterations else "gan"

    def content(self, sr, hr):
        if self.feature_extractor is None:
            return ops.mean(ops.abs(sr - hr))
        return ops.mean(ops.abs(self.feature_extractor(sr) - self.feature_extractor(hr)))

    # ------------------------------------------------------------------
    # G: residual-in-residual dense blocks, no BatchNorm.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        f = self.filters
        inputs = keras.Input((None, None, self.img_shape[-1]))
        x = skip = layers.Conv2D(f, 3, padding="same")(inputs)
        for _ in range(self.rrdb_blocks):
            x = self.rrdb(x)
        x = layers.Add()([skip, layers.Conv2D(f, 3, padding="same")(x)])
        x = self.upsample(x)
        x = layers.LeakyReLU(0.2)(layers.Conv2D(f, 3, padding="same")(x))
        outputs = layers.Conv2D(self.img_shape[-1], 3, padding="same")(x)
        return keras.Model(inputs, outputs, name="generator")

    def rrdb(self, x):
        """Residual in residual: x + beta * (three dense blocks applied to x)."""
        y = x
        for _ in range(3):
            y = self.dense_block(y)
        return layers.Add()([x, layers.Rescaling(self.residual_scaling)(y)])

    def dense_block(self, x):
        """Five convolutions, each seeing all earlier outputs; x + beta * the last."""
        features = [x]
        for _ in range(4):
            inputs = features[0] if len(features) == 1 else layers.Concatenate()(features)
            features.append(layers.LeakyReLU(0.2)(layers.Conv2D(self.growth, 3, padding="same")(inputs)))
        out = layers.Conv2D(self.filters, 3, padding="same")(layers.Concatenate()(features))
        return layers.Add()([x, layers.Rescaling(self.residual_scaling)(out)])

    def upsample(self, x):
        """Nearest-neighbour doublings, each followed by a convolution (ESRGAN's choice)."""
        for _ in range(int.bit_length(self.scale) - 1):
            x = layers.UpSampling2D(interpolation="nearest")(x)
            x = layers.LeakyReLU(0.2)(layers.Conv2D(self.filters, 3, padding="same")(x))
        return x

    # ------------------------------------------------------------------
    # The two stages and the relativistic losses.
    # ------------------------------------------------------------------
    @property
    def step_key(self) -> str:
        return self.stage  # one compiled step per stage

    @property
    def trains_discriminator(self) -> bool:
        return self.stage == "gan"

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        real_scores = self.discriminator(real, training=True)
        fake_scores = self.discriminator(fake, training=True)
        loss = relativistic_average(real_scores, fake_scores)
        accuracy = relativistic_accuracy(real_scores, fake_scores)
        logs = {"d_loss": loss, "d_acc": accuracy, "d_real": ops.mean(real_scores), "d_fake": ops.mean(fake_scores)}
        return loss, logs

    def generator_objective(self, z) -> tuple:
        low, high = z
        sr = self.generator(low, training=True)
        pixel = ops.mean(ops.abs(sr - high))
        if self.stage == "psnr":
            return pixel, {"g_loss": pixel, "pixel_loss": pixel}
        fake_scores, real_scores = self.discriminator(sr, training=True), self.discriminator(high, training=True)
        adversarial = relativistic_average(fake_scores, real_scores)
        perceptual = self.content(sr, high)
        loss = perceptual + self.adversarial_weight * adversarial + self.pixel_weight * pixel
        logs = {"g_loss": loss, "perceptual_loss": perceptual, "adversarial_loss": adversarial, "pixel_loss": pixel}
        return loss, logs
