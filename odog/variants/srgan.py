"""Day 6, SRGAN (Ledig et al., 2017): super-resolution with an adversarial loss.

G maps a low-resolution image to one `scale` times larger: a 9x9
convolution, B residual blocks (conv-BN-PReLU-conv-BN plus a skip), a long
skip over all of them, then one sub-pixel convolution (`odog.layers.
PixelShuffle`) per factor 2, and a 9x9 tanh convolution. G is fully
convolutional: `upscale()` takes images of any size. D is the paper's VGG-like
stack of 3x3 convolutions (strides 1 and 2, widths f to 8f), a dense layer of
1024 and a sigmoid, without BatchNorm for the reason DCGAN's D has none (see
docs/dcgan.md).

G minimizes content + 1e-3 * adversarial loss. The content loss is the
paper's VGG54 (MSE of VGG19 `block5_conv4` features, scaled by 1/12.75^2)
when VGG19's ImageNet weights load and the images are at least 32x32 with
1 or 3 channels; otherwise (offline, or MNIST's 28x28) odog says so with a
warning and uses the pixel MSE of the paper's SRResNet-MSE instead.

Training pairs come from the real batch: each high-resolution image is
shrunk `scale` times with Pillow's antialiased bicubic filter, as the paper
made its inputs; the D step sees G's output for them, the G step compares
it with the original.
"""

import math
import warnings

import keras
import numpy as np
from keras import layers, ops

from odog import data as data_lib
from odog import imaging, metrics, viz
from odog.base import BaseGAN
from odog.layers import PixelShuffle
from odog.models import CombinedModel, WeightsUnavailableError, vgg_features
from odog.validation import check_number

CONTENT_LOSSES = ("auto", "vgg", "pixel")


class SRGAN(BaseGAN):
    """Super-resolution GAN.

    Args:
        scale: the upscaling factor, a power of two (4).
        residual_blocks: G's residual blocks, B (16).
        filters: G's and D's base width (64).
        content_loss: "vgg" (VGG19 features; an error if they cannot be
            used), "pixel" (MSE of pixels) or "auto" (VGG when possible,
            else pixels, with a warning).
        adversarial_weight: weight of G's adversarial loss (1e-3).
        learning_rate: Adam learning rate of G and D (1e-4).
        beta_1: Adam beta_1 (0.9).
        **kwargs: passed to `BaseGAN` (dataset, image_size, ...). The
            dataset's images are the high-resolution targets.

    Example:
    >>> from odog import SRGAN
    >>> import numpy as np
    >>> gan = SRGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), residual_blocks=1, filters=8, content_loss="pixel")
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> gan.upscale(np.zeros((2, 7, 7, 1), "float32")).shape
    (2, 28, 28, 1)
    """

    name = "srgan"
    sample_grid = (3, 8)  # rows: bicubic, G, original
    interpolates = False
    # Measured on 2 CPU cores, batch 32: 0.26 s per step without XLA, 0.95 s with it.
    jit_compile = False

    def __init__(
        self,
        dataset="mnist",
        *,
        scale: int = 4,
        residual_blocks: int = 16,
        filters: int = 64,
        content_loss: str = "auto",
        adversarial_weight: float = 1e-3,
        learning_rate: float = 1e-4,
        beta_1: float = 0.9,
        **kwargs,
    ):
        check_number("scale", scale, integer=True, low=2)
        if scale & (scale - 1):
            raise ValueError(
                f"Invalid value received for argument `scale`. Expected a power of two. Received: scale={scale}"
            )
        check_number("residual_blocks", residual_blocks, integer=True, low=0)
        check_number("filters", filters, integer=True, low=1)
        check_number("adversarial_weight", adversarial_weight, low=0)
        if content_loss not in CONTENT_LOSSES:
            raise ValueError(
                f"Invalid value received for argument `content_loss`. Expected one of {CONTENT_LOSSES}. "
                f"Received: content_loss={content_loss!r}"
            )
        self.scale, self.residual_blocks, self.filters = scale, residual_blocks, filters
        self.adversarial_weight = adversarial_weight
        height, width, channels = data_lib.image_shape(dataset, kwargs.get("image_size"), kwargs.get("channels"))
        if height % scale or width % scale:
            raise ValueError(
                f"The high-resolution images ({height}x{width}) must be divisible by scale={scale}. "
                "Pass image_size= a multiple of it for an image folder."
            )
        self.lr_shape = (height // scale, width // scale, channels)
        super().__init__(dataset, learning_rate=learning_rate, beta_1=beta_1, **kwargs)
        self.feature_extractor = self._content_features(content_loss)
        self.content_loss = "pixel" if self.feature_extractor is None else "vgg"

    # ------------------------------------------------------------------
    # Content loss.
    # ------------------------------------------------------------------
    vgg_layer, vgg_before_activation, vgg_rescale = "block5_conv4", False, 1.0 / 12.75**2

    def _content_features(self, choice: str) -> keras.Model | None:
        if choice == "pixel":
            return None
        try:
            return vgg_features(self.img_shape, self.vgg_layer, self.vgg_before_activation)
        except (ValueError, WeightsUnavailableError) as error:
            if choice == "vgg":
                raise
            warnings.warn(
                f"{type(self).__name__}: the VGG19 content loss cannot be used ({error}). "
                "Using its pixel loss instead (see the class docstring); pass content_loss='pixel' "
                "to silence this warning.",
                UserWarning,
                stacklevel=3,
            )
            return None

    def content(self, sr, hr):
        """The content loss between G's images and the originals."""
        if self.feature_extractor is None:
            return ops.mean(ops.square(sr - hr))
        return self.vgg_rescale * ops.mean(ops.square(self.feature_extractor(sr) - self.feature_extractor(hr)))

    # ------------------------------------------------------------------
    # Models.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        f, channels = self.filters, self.img_shape[-1]
        inputs = keras.Input((None, None, channels))
        x = skip = layers.PReLU(shared_axes=[1, 2])(layers.Conv2D(f, 9, padding="same")(inputs))
        for _ in range(self.residual_blocks):
            y = layers.Conv2D(f, 3, padding="same")(x)
            y = layers.PReLU(shared_axes=[1, 2])(layers.BatchNormalization(momentum=0.8)(y))
            y = layers.BatchNormalization(momentum=0.8)(layers.Conv2D(f, 3, padding="same")(y))
            x = layers.Add()([x, y])
        x = layers.BatchNormalization(momentum=0.8)(layers.Conv2D(f, 3, padding="same")(x))
        x = layers.Add()([x, skip])
        x = self.upsample(x)
        outputs = layers.Conv2D(channels, 9, padding="same", activation="tanh")(x)
        return keras.Model(inputs, outputs, name="generator")

    def upsample(self, x):
        """`log2(scale)` doublings: sub-pixel convolution and PReLU."""
        for _ in range(int(math.log2(self.scale))):
            x = PixelShuffle(2)(layers.Conv2D(4 * self.filters, 3, padding="same")(x))
            x = layers.PReLU(shared_axes=[1, 2])(x)
        return x

    d_activation: str | None = "sigmoid"

    def build_discriminator(self) -> keras.Model:
        f = self.filters
        model = keras.Sequential([keras.Input(self.img_shape)], name="discriminator")
        for i, width in enumerate((f, f, 2 * f, 2 * f, 4 * f, 4 * f, 8 * f, 8 * f)):
            model.add(layers.Conv2D(width, 3, strides=1 + i % 2, padding="same"))
            model.add(layers.LeakyReLU(0.2))
        model.add(layers.Flatten())
        model.add(layers.Dense(1024))
        model.add(layers.LeakyReLU(0.2))
        model.add(layers.Dense(1, activation=self.d_activation))
        return model

    def build_combined(self) -> keras.Model:
        return CombinedModel(self.generator, self.discriminator, input_shapes=[self.lr_shape])

    # ------------------------------------------------------------------
    # Training pairs and G's objective.
    # ------------------------------------------------------------------
    def downscale(self, images: np.ndarray) -> np.ndarray:
        """High-resolution images shrunk `scale` times (bicubic, antialiased), clipped to [-1, 1]."""
        return np.clip(imaging.resize(images, self.lr_shape[:2], "bicubic"), -1.0, 1.0)

    def generator_inputs(self, real: np.ndarray, labels: np.ndarray | None = None) -> tuple:
        """G's input is the real batch shrunk; the G step also gets the originals."""
        steps, batch = real.shape[:2]
        low = self.downscale(real.reshape((-1,) + real.shape[2:])).reshape((steps, batch) + self.lr_shape)
        return low, [low[-1], real[-1]]

    def constant_models(self) -> list[keras.Model]:
        return [] if self.feature_extractor is None else [self.feature_extractor]

    def generator_objective(self, z) -> tuple:
        low, high = z
        sr = self.generator(low, training=True)
        validity = self.discriminator(sr, training=True)  # frozen by generator_step
        adversarial = self.combined_loss(ops.ones_like(validity), validity)
        content = self.content(sr, high)
        loss = content + self.adversarial_weight * adversarial
        return loss, {"g_loss": loss, "content_loss": content, "adversarial_loss": adversarial}

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def upscale(self, images: np.ndarray, ema: bool = True) -> np.ndarray:
        """Super-resolves images in [-1, 1] of any size (N, h, w, C) to (N, h*scale, w*scale, C).

        Example:
        ```python
        gan = SRGAN()
        gan.train(epochs=1500)
        sharp = gan.upscale(small_images)   # 7x7 -> 28x28
        ```
        """
        images = np.asarray(images, "float32")
        if images.ndim == 3 and self.img_shape[-1] == 1:
            images = images[..., None]
        if images.ndim != 4 or images.shape[-1] != self.img_shape[-1] or 0 in images.shape:
            raise ValueError(
                f"Expected low-resolution images of shape (N, height, width, {self.img_shape[-1]}). "
                f"Received: images.shape={images.shape}"
            )
        if images.min() < -1.0 - 1e-3 or images.max() > 1.0 + 1e-3:
            raise ValueError(
                f"Expected images scaled to [-1, 1]. Received values in [{images.min():.3g}, {images.max():.3g}]: "
                "divide uint8 images by 127.5 and subtract 1."
            )
        generator = self.sampler(ema)
        return np.clip(generator.predict(images, batch_size=64, verbose=0), -1.0, 1.0).astype("float32")

    def bicubic(self, images: np.ndarray) -> np.ndarray:
        """The baseline: images enlarged `scale` times by bicubic interpolation."""
        h, w = np.shape(images)[1:3]
        return np.clip(imaging.resize(images, (h * self.scale, w * self.scale), "bicubic"), -1.0, 1.0)

    def evaluate(self, images: np.ndarray, ema: bool = True) -> dict[str, float]:
        """PSNR and SSIM of G and of bicubic upsampling on high-resolution `images`.

        Each image is shrunk `scale` times, enlarged back by G and by bicubic
        interpolation, and both are compared with the original.
        """
        low = self.downscale(images)
        sr, bicubic = self.upscale(low, ema), self.bicubic(low)
        return {
            "psnr": metrics.psnr(sr, images),
            "ssim": metrics.ssim(sr, images),
            "bicubic_psnr": metrics.psnr(bicubic, images),
            "bicubic_ssim": metrics.ssim(bicubic, images),
        }

    def generate(self, n: int, *, seed: int | None = None, ema: bool = True) -> np.ndarray:
        """Super-resolves `n` training images drawn at random (shrunk first).

        A super-resolution G has no noise to sample; this shows what it does
        to data it knows. For your own images use `upscale()`.
        """
        check_number("n", n, integer=True, low=1)
        index = np.random.default_rng(seed).choice(len(self.data), n, replace=n > len(self.data))
        return self.upscale(self.downscale(self.data.take(index)), ema)

    def sample_images(self, path):
        """Writes bicubic / G / original rows for 8 fixed training images."""
        images = self.data.take(np.random.default_rng(0).choice(len(self.data), min(8, len(self.data)), replace=False))
        low = self.downscale(images)
        return viz.save_grid(np.concatenate([self.bicubic(low), self.upscale(low), images]), path, rows=3)
