"""`InpaintingGAN`: the inpainting models' shared shape (Context Encoder, CCGAN).

An inpainting G fills a hole in an image from what surrounds it. Its input is
the image with the hole blanked (0, mid-grey in [-1, 1]) joined on the channel
axis with the mask (1 on the missing pixels), `context(images, masks)`, so one
network fills holes of any shape and place. The generator model ends in
`Composite`: the known pixels are copied from its input and only the hole
comes from the network,

    out = (1 - m) * x + m * G(x * (1 - m), m),

so every known pixel of an inpainted image is bit-identical to the original.
D judges whole composited images against real ones, so it also sees the seams.

Training holes are squares of `hole_size` (half the image's side by default:
14 on 28x28 digits, the proportion of both papers, where the centre square
covers most of a digit's ink and the hole decides which digit it is), at a
random place inside the image (`hole_position="random"`, both papers' random
blocks) or at the centre. Random places are the default: G then learns holes
anywhere, which `inpaint()` takes, and still sees holes over the centre often
(every 14x14 square on a 28x28 image covers some of it). The measures use
the centre hole, the hardest.

A variant writes `fill_network()` (its G) and sets the weights of its two
losses: `reconstruction_weight` x the mean squared error inside the hole
plus `adversarial_weight` x D's cross-entropy.

`evaluate()` scores the inpainted images against two fills that need no
training: the training set's mean image pasted into the hole (`mean_fill`),
and the surrounding pixels diffused inward (`blur_fill`).
"""

import keras
import numpy as np
from keras import layers, ops

from odog import data as data_lib
from odog import metrics, networks, viz
from odog.base import BaseGAN
from odog.validation import check_number

__all__ = ["Composite", "InpaintingGAN", "blur_fill", "context", "hole_psnr", "mean_fill", "square_masks", "summary"]

HOLE_POSITIONS = ("random", "centre")


def square_masks(
    n: int, image_shape: tuple, size: int, position: str = "centre", rng: np.random.Generator | None = None
) -> np.ndarray:
    """`n` masks (n, H, W, 1), float32, 1 on a `size` x `size` square hole: centred, or each at a random place
    inside the image ("random", drawn by `rng`).

    Example:
    >>> square_masks(1, (6, 6, 1), 2)[0, :, :, 0].astype(int)[1:5, 1:5].tolist()
    [[0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    >>> square_masks(3, (6, 6, 1), 2, "random", np.random.default_rng(0)).sum(axis=(1, 2, 3)).tolist()
    [4.0, 4.0, 4.0]
    """
    height, width = image_shape[:2]
    if position == "centre":
        tops, lefts = np.full(n, (height - size) // 2), np.full(n, (width - size) // 2)
    else:
        rng = np.random.default_rng() if rng is None else rng
        tops, lefts = rng.integers(0, height - size + 1, n), rng.integers(0, width - size + 1, n)
    rows, cols = np.arange(height)[None, :, None], np.arange(width)[None, None, :]
    tops, lefts = tops[:, None, None], lefts[:, None, None]
    inside = (rows >= tops) & (rows < tops + size) & (cols >= lefts) & (cols < lefts + size)
    return inside[..., None].astype("float32")


def context(images: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """G's input: the images with the hole blanked to 0, joined with the masks, (N, H, W, C + 1).

    Example:
    >>> x = np.ones((1, 2, 2, 1), "float32")
    >>> m = np.array([[[[1], [0]], [[0], [0]]]], "float32")
    >>> context(x, m)[0].tolist()
    [[[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]]]
    """
    return np.concatenate([images * (1.0 - masks), masks], axis=-1).astype("float32")


def hole_psnr(images: np.ndarray, references: np.ndarray, masks: np.ndarray, data_range: float = 2.0) -> float:
    """Mean PSNR in dB inside the hole: `odog.metrics.psnr`'s measure with the squared error averaged over each
    image's missing pixels only, so that the known pixels an inpainting keeps exactly do not inflate it.

    Example:
    >>> x = np.zeros((1, 4, 4, 1), "float32")
    >>> m = square_masks(1, (4, 4, 1), 2)
    >>> round(hole_psnr(x + 0.02 * m, x, m), 2)  # an error of 1% of the range in the hole, none outside
    40.0
    """
    images, references = np.asarray(images, "float64"), np.asarray(references, "float64")
    masks = np.broadcast_to(np.asarray(masks, "float64"), images.shape)
    missing = masks.reshape(len(masks), -1).sum(axis=1)
    if (missing == 0).any():
        raise ValueError("Every mask must mark at least one missing pixel to measure the PSNR inside the hole.")
    mse = (masks * (images - references) ** 2).reshape(len(images), -1).sum(axis=1) / missing
    with np.errstate(divide="ignore"):
        return float(np.mean(10.0 * np.log10(data_range**2 / mse)))


def mean_fill(images: np.ndarray, masks: np.ndarray, mean_image: np.ndarray) -> np.ndarray:
    """A baseline: the hole filled with `mean_image` (the training set's mean image), the rest kept.

    Example:
    >>> mean_fill(np.ones((1, 2, 2, 1)), np.array([1, 0, 0, 0]).reshape(1, 2, 2, 1), np.zeros((2, 2, 1)))[..., 0]
    array([[[0., 1.],
            [1., 1.]]], dtype=float32)
    """
    return np.where(masks > 0, mean_image, images).astype("float32")


def blur_fill(images: np.ndarray, masks: np.ndarray, sigma: float = 2.0, iterations: int = 50) -> np.ndarray:
    """A baseline: the surrounding pixels diffused into the hole.

    The hole starts at the mean of each image's known pixels; then `iterations`
    times the image is blurred with a Gaussian of `sigma` pixels and its known
    pixels are put back, so the hole converges to a smooth continuation of its
    border (a diffusion fill, as classical inpainting does before texture).

    Example:
    >>> x = np.tile(np.linspace(-1, 1, 8, dtype="float32"), (1, 8, 1))[..., None]  # a horizontal ramp
    >>> m = square_masks(1, (8, 8, 1), 2)
    >>> filled = blur_fill(x, m)
    >>> bool(np.array_equal(filled[m == 0], x[m == 0])), bool(np.abs(filled - x).max() < 0.1)
    (True, True)
    """
    from scipy.ndimage import gaussian_filter

    images = np.asarray(images, "float32")
    hole = np.broadcast_to(np.asarray(masks) > 0, images.shape)
    known = np.where(hole, 0.0, images).sum(axis=(1, 2), keepdims=True)
    count = np.maximum((~hole).sum(axis=(1, 2), keepdims=True), 1)
    filled = np.where(hole, known / count, images)
    for _ in range(iterations):
        blurred = gaussian_filter(filled, sigma=(0, sigma, sigma, 0), mode="nearest")
        filled = np.where(hole, blurred, images)
    return filled.astype("float32")


def summary(scores: dict) -> str:
    """`InpaintingGAN.evaluate()`'s scores in one line, G's next to the baselines'.

    Example:
    >>> base = {"mean": {"psnr_hole": 7.9, "digit_accuracy": 0.38}, "blur": {"psnr_hole": 7.3, "digit_accuracy": 0.45}}
    >>> summary({"psnr_hole": 12.3, "digit_accuracy": 0.8, "baselines": base})
    'PSNR in the hole 12.30 dB (mean fill 7.90, blur 7.30); right digit 80.0% (mean fill 38.0%, blur 45.0%)'
    """
    mean, blur = scores["baselines"]["mean"], scores["baselines"]["blur"]
    text = f"PSNR in the hole {scores['psnr_hole']:.2f} dB (mean fill {mean['psnr_hole']:.2f}, "
    text += f"blur {blur['psnr_hole']:.2f})"
    if "digit_accuracy" in scores:
        text += (
            f"; right digit {scores['digit_accuracy']:.1%} (mean fill {mean['digit_accuracy']:.1%}, "
            f"blur {blur['digit_accuracy']:.1%})"
        )
    if "fd" in scores:
        text += f"; classifier FD {scores['fd']:.2f} (mean fill {mean['fd']:.2f}, blur {blur['fd']:.2f})"
    return text


class Composite(layers.Layer):
    """The inpainted image from G's input `[x * (1 - m), m]` and the network's output g: `(1 - m) * x + m * g`.

    Example:
    >>> c = np.array([[[[0.5, 0.0], [0.0, 1.0]]]], "float32")  # a known pixel 0.5, then a missing one
    >>> keras.ops.convert_to_numpy(Composite()([c, np.full((1, 1, 2, 1), -1.0, "float32")]))[0, 0, :, 0].tolist()
    [0.5, -1.0]
    """

    def call(self, inputs):
        given, fill = inputs
        channels = fill.shape[-1]
        known, mask = given[..., :channels], given[..., channels:]
        return (1.0 - mask) * known + mask * fill


class InpaintingGAN(BaseGAN):
    """Base class of the inpainting GANs.

    Args:
        dataset: the images to learn to inpaint ("mnist" by default; see
            `BaseGAN`).
        hole_size: the side of the training holes' squares; None: half the
            images' shorter side (14 on MNIST).
        hole_position: where the training holes are: "random" (anywhere
            inside the image) or "centre".
        filters: the networks' base width (32).
        **kwargs: passed to `BaseGAN` (image_size, learning_rate, ema, seed,
            ...); latent_dim is unused (G reads images, not noise).
    """

    interpolates = False
    # G's losses: reconstruction_weight x MSE in the hole + adversarial_weight x cross-entropy through D.
    reconstruction_weight = 0.0
    adversarial_weight = 1.0
    sample_rows = 8
    default_batch_size = 64
    # Measured on 2 CPU cores (another run sharing them), batch 64, filters 32: a step takes 0.17 s
    # (ContextEncoder) and 0.22 s (CCGAN) without XLA, 0.40 s and 0.84 s with it.
    jit_compile = False

    def __init__(
        self,
        dataset="mnist",
        *,
        hole_size: int | None = None,
        hole_position: str = "random",
        filters: int = 32,
        **kwargs,
    ):
        check_number("filters", filters, integer=True, low=1)
        if hole_position not in HOLE_POSITIONS:
            raise ValueError(
                f"Invalid value received for argument `hole_position`. Expected one of {HOLE_POSITIONS}. "
                f"Received: hole_position={hole_position!r}"
            )
        shape = self.dataset_shape(dataset, kwargs.get("image_size"), kwargs.get("channels"))
        side = min(shape[:2])
        if hole_size is None:
            hole_size = side // 2
        check_number("hole_size", hole_size, integer=True, low=1, high=side - 1)
        self.hole_size, self.hole_position, self.filters = hole_size, hole_position, filters
        self._mean_image = None
        super().__init__(dataset, **kwargs)

    # ------------------------------------------------------------------
    # Networks: a variant writes `fill_network`.
    # ------------------------------------------------------------------
    def fill_network(self, input_shape: tuple, channels: int) -> keras.Model:
        """The network that maps G's input (H, W, C + 1) to a full image of `channels` channels."""
        raise NotImplementedError(f"{type(self).__name__} must implement fill_network().")

    def build_generator(self) -> keras.Model:
        given = keras.Input(self.context_shape)
        fill = self.fill_network(self.context_shape, self.img_shape[-1])(given)
        return keras.Model(given, Composite()([given, fill]), name="generator")

    def build_discriminator(self) -> keras.Model:
        """Three 4x4 stride-2 convolutions (f, 2f, 4f; instance norm on all but the first), LeakyReLU 0.2, a sigmoid
        score: the shape of Keras-GAN's context encoder and CCGAN discriminators, without BatchNorm (see
        `odog.networks.patch_discriminator` for why)."""
        model = keras.Sequential([keras.Input(self.img_shape)], name="discriminator")
        for i in range(3):
            model.add(layers.Conv2D(self.filters * 2**i, 4, strides=2, padding="same"))
            model.add(networks.normalization("instance" if i else None))
            model.add(layers.LeakyReLU(0.2))
        model.add(layers.Flatten())
        model.add(layers.Dense(1, activation="sigmoid"))
        return model

    @property
    def context_shape(self) -> tuple:
        """The shape of G's input: the image's, plus the mask's channel."""
        return tuple(self.img_shape[:2]) + (self.img_shape[-1] + 1,)

    # ------------------------------------------------------------------
    # Training pairs and G's objective.
    # ------------------------------------------------------------------
    def training_masks(self, n: int) -> np.ndarray:
        """`n` training holes, at `hole_position`, drawn by the model's random generator."""
        return square_masks(n, self.img_shape, self.hole_size, self.hole_position, self.rng)

    def generator_inputs(self, real: np.ndarray, labels: np.ndarray | None = None) -> tuple:
        """G's input is the real batch with holes; the G step also gets the originals."""
        steps, batch = real.shape[:2]
        images = real.reshape((-1,) + real.shape[2:])
        given = context(images, self.training_masks(len(images))).reshape((steps, batch) + self.context_shape)
        return given, [given[-1], real[-1]]

    def generator_objective(self, z) -> tuple:
        given, real = z
        inpainted = self.generator(given, training=True)
        validity = self.discriminator(inpainted, training=True)  # frozen by generator_step
        adversarial = self.combined_loss(ops.ones_like(validity), validity)
        # The squared error averaged over the missing pixels: the composite's known pixels add none.
        mask = given[..., self.img_shape[-1] :]
        hole = ops.sum(ops.square(inpainted - real)) / (ops.sum(mask) * self.img_shape[-1] + 1e-8)
        loss = self.reconstruction_weight * hole + self.adversarial_weight * adversarial
        return loss, {"g_loss": loss, "hole_mse": hole, "adversarial_loss": adversarial}

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def inpaint(self, images, mask, *, ema: bool = True) -> np.ndarray:
        """Fills the missing pixels of `images`; the known ones are returned exactly.

        Args:
            images: (N, H, W, C) or (N, H, W) for one channel, of the
                training images' size and channels; uint8 in [0, 255] or
                floats in [-1, 1]. The missing pixels' values are ignored.
            mask: 1 (or True) on the missing pixels, 0 on the known ones: one
                mask for all images, (H, W) or (H, W, 1), or one per image,
                (N, H, W) or (N, H, W, 1).
            ema: use the moving average of G's weights when it has one.

        Returns:
            float32 images in [-1, 1], (N, H, W, C).

        Example:
        >>> from odog import CCGAN
        >>> x = np.random.default_rng(0).uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
        >>> gan = CCGAN(dataset=x, filters=4, seed=0)
        >>> hole = np.zeros((28, 28)); hole[10:18, 10:18] = 1
        >>> out = gan.inpaint(x, hole)
        >>> bool(np.array_equal(out[:, hole == 0], x[:, hole == 0]))
        True
        >>> gan.inpaint(x, hole * 2)
        Traceback (most recent call last):
        ...
        ValueError: Invalid value received for argument `mask`. Expected 1 on the missing pixels and 0 elsewhere. ...
        """
        images, masks = self.check_inputs(images, mask)
        generator = self.sampler(ema)
        return generator.predict(context(images, masks), batch_size=256, verbose=0).astype("float32")

    def check_inputs(self, images, mask) -> tuple[np.ndarray, np.ndarray]:
        """`(images, masks)` validated: float32 images in [-1, 1] (N, *img_shape) and float32 masks (N, H, W, 1)."""
        received = np.shape(images)
        images = np.asarray(images)
        if images.ndim == 3 and self.img_shape[-1] == 1:
            images = images[..., None]
        if images.ndim != 4 or tuple(images.shape[1:]) != tuple(self.img_shape) or not len(images):
            raise ValueError(
                f"Invalid value received for argument `images`. Expected images of shape "
                f"(N, {', '.join(map(str, self.img_shape))}), the training images' size and channels. "
                f"Received: images.shape={received}"
            )
        images = data_lib.from_arrays(images).images
        mask = np.asarray(mask)
        height, width = self.img_shape[:2]
        shapes = [(height, width), (height, width, 1), (len(images), height, width), (len(images), height, width, 1)]
        if mask.shape not in shapes:
            raise ValueError(
                f"Invalid value received for argument `mask`. Expected a mask of shape {shapes[0]} or "
                f"{shapes[1]} for all images, or {shapes[2]} or {shapes[3]}, one per image. Received: "
                f"mask.shape={mask.shape}"
            )
        values = np.unique(mask)
        if mask.dtype != bool and not np.isin(values, (0, 1)).all():
            shown = ", ".join(f"{v:g}" for v in values[:4]) + (", ..." if len(values) > 4 else "")
            raise ValueError(
                "Invalid value received for argument `mask`. Expected 1 on the missing pixels and 0 elsewhere. "
                f"Received values [{shown}]: pass a boolean mask, or (mask > 0)."
            )
        masks = np.broadcast_to(mask.astype("float32").reshape((-1, height, width, 1)), (len(images), height, width, 1))
        return images, np.ascontiguousarray(masks)

    def centre_masks(self, n: int) -> np.ndarray:
        """`n` copies of the centre hole of `hole_size`, the holes `evaluate()` and the pictures use."""
        return square_masks(n, self.img_shape, self.hole_size)

    def generate(self, n: int, *, seed: int | None = None, ema: bool = True) -> np.ndarray:
        """Inpaints the centre hole of `n` training images drawn at random.

        An inpainting G has no noise to sample; this shows what it does to
        images it knows. For your own images and holes use `inpaint()`.
        """
        check_number("n", n, integer=True, low=1)
        index = np.random.default_rng(seed).choice(len(self.data), n, replace=n > len(self.data))
        return self.inpaint(self.data.take(index), self.centre_masks(n), ema=ema)

    def sample_images(self, path, images: np.ndarray | None = None):
        """Writes a grid of masked | inpainted | original columns, one row per image (centre holes).

        Args:
            path: the .png to write.
            images: the images to show; None: `sample_rows` fixed training images.
        """
        if images is None:
            n = min(self.sample_rows, len(self.data))
            images = self.data.take(np.random.default_rng(0).choice(len(self.data), n, replace=False))
        masks = self.centre_masks(len(images))
        masked = images * (1.0 - masks)
        columns = [masked, self.inpaint(images, masks), images]
        return viz.save_grid(np.stack(columns, axis=1).reshape((-1,) + images.shape[1:]), path, rows=len(images))

    @property
    def mean_image(self) -> np.ndarray:
        """The mean of all training images (H, W, C), what `mean_fill` pastes into the hole; computed once."""
        if self._mean_image is None:
            total = np.zeros(self.img_shape, "float64")
            for start in range(0, len(self.data), 10000):
                total += self.data.take(np.arange(start, min(start + 10000, len(self.data)))).sum(
                    axis=0, dtype="float64"
                )
            self._mean_image = (total / len(self.data)).astype("float32")
        return self._mean_image

    def evaluate(self, images, labels=None, *, mask=None, ema: bool = True) -> dict:
        """PSNR inside the hole and the share of digits read right, of G's fills and of the two baselines.

        Args:
            images: held-out images (see `inpaint()`).
            labels: their class labels, to score how many inpainted images
                odog's classifier of the training dataset (a named one, e.g.
                "mnist") reads as their own class, and how far the inpainted
                images lie from the dataset's test split in the classifier's
                features (Frechet distance: how real the fills look, and
                whether the mix of classes is kept); None: PSNR only.
            mask: the holes (see `inpaint()`); None: the centre hole of
                `hole_size` in every image.
            ema: use the moving average of G's weights when it has one.

        Returns:
            `{"psnr_hole", "digit_accuracy", "fd", "baselines": {"mean":
            {...}, "blur": {...}}}`: G's scores, and the same scores of
            `mean_fill` (with the training set's mean image) and `blur_fill`.
        """
        if mask is None:
            mask = self.centre_masks(len(images))
        images, masks = self.check_inputs(images, mask)
        if labels is not None and not (isinstance(self.dataset, str) and self.dataset in data_lib.NAMED_DATASETS):
            raise ValueError(
                f"Digits are read by the classifier of a named dataset ({', '.join(data_lib.NAMED_DATASETS)}), "
                f"and this {type(self).__name__} was trained on {self.dataset!r}. Pass labels=None for the PSNR alone."
            )
        fills = {
            "inpainted": self.inpaint(images, masks, ema=ema),
            "mean": mean_fill(images, masks, self.mean_image),
            "blur": blur_fill(images, masks),
        }
        scores = {}
        for name, filled in fills.items():
            scores[name] = {"psnr_hole": hole_psnr(filled, images, masks)}
            if labels is not None:
                scores[name]["digit_accuracy"] = metrics.label_accuracy(filled, labels, self.dataset)
                scores[name]["fd"] = metrics.evaluate(filled, self.dataset)["fd"]
        return {**scores.pop("inpainted"), "baselines": scores}
