"""Day 23, MUNIT (Huang, Liu, Belongie and Kautz, 2018): one input, many outputs, from content and style codes.

MUNIT splits an image into a content code, a spatial map that both domains
share (what the digit is, where its strokes go), and a style code, a small
vector of the domain's own (here which texture and colours, or how thick a
stroke). Each domain has a content encoder (CycleGAN's ResNet encoder, with
instance normalization, which removes the per-image statistics where style
lives), a style encoder (strided convolutions without normalization, global
pooling, a dense layer to an 8-d code) and a decoder: residual blocks whose
normalization is AdaIN (`odog.layers.AdaptiveInstanceNormalization`) with
scales and shifts an MLP reads from the style code, then upsampling to the
image. Translating a to B is decoding a's content with a style of B: drawn
from N(0, I) for as many outputs as there are draws, or encoded from an
image of B to copy its look.

Its objective has no cycle on images: G (all encoders and decoders) fools
the domains' discriminators (PatchGANs, least squares) with a2b and b2a made
with random styles, and reconstructs

    10 |D_A(c_a, s_a) - a|_1 + |E_s^B(a2b) - s_b|_1 + |E_c^B(a2b) - c_a|_1   (+ the same for B)

(images, the random style from the translation, and the content from it,
against the input's content held fixed), the weights of PyTorch-GAN's munit
and of the paper. Adam(1e-4, 0.5).
"""

import keras
import numpy as np
from keras import layers, ops

from odog import metrics, networks
from odog.layers import AdaptiveInstanceNormalization
from odog.losses import mean_absolute_error as l1
from odog.models import CombinedModel, float32_outputs
from odog.translation import A2B, B2A, TranslationGAN
from odog.validation import check_number, check_weights

DOMAINS = ("a", "b")


def style_encoder(input_shape: tuple, style_dim: int, filters: int, *, name: str = "style_encoder") -> keras.Model:
    """MUNIT's style encoder: c7s1-f, then 4x4 stride-2 convolutions to 4f, global average pooling, a dense code.

    No normalization: instance normalization would remove the statistics a style is made of.

    Example:
    >>> style_encoder((28, 28, 3), 8, filters=4).output_shape
    (None, 8)
    """
    inputs = keras.Input(input_shape)
    x = layers.ReLU()(layers.Conv2D(filters, 7, padding="same")(inputs))
    for i in range(1, 3):
        x = layers.ReLU()(layers.Conv2D(filters * 2**i, 4, strides=2, padding="same")(x))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, layers.Dense(style_dim)(x), name=name)


def adain_decoder(
    code_shape: tuple, style_dim: int, out_channels: int, filters: int, blocks: int, *, name: str = "decoder"
) -> keras.Model:
    """MUNIT's decoder D(content, style): `blocks` AdaIN residual blocks, u2f, uf, c7s1 tanh.

    An MLP (style -> 4f -> 4f, ReLU) gives every AdaIN layer of the residual
    blocks its gamma and beta; the upsampling convolutions have no
    normalization.

    Example:
    >>> adain_decoder((7, 7, 16), 8, 3, filters=4, blocks=1).output_shape
    (None, 28, 28, 3)
    """
    content, style = keras.Input(code_shape), keras.Input((style_dim,))
    width = code_shape[-1]
    hidden = layers.Dense(width, activation="relu")(style)
    hidden = layers.Dense(width, activation="relu")(hidden)
    params = layers.Dense(2 * blocks * 2 * width)(hidden)  # gamma and beta for the two AdaINs of each block
    x = content
    for i in range(blocks):
        y = x
        for j in range(2):
            k = 2 * i + j
            y = layers.Conv2D(width, 3, padding="same")(y)
            y = AdaptiveInstanceNormalization()([y, params[:, 2 * width * k : 2 * width * (k + 1)]])
            if j == 0:
                y = layers.ReLU()(y)
        x = layers.Add()([x, y])
    for width in (2 * filters, filters):
        x = layers.ReLU()(layers.Conv2DTranspose(width, 3, strides=2, padding="same")(x))
    outputs = layers.Conv2D(out_channels, 7, padding="same", activation="tanh")(x)
    return keras.Model([content, style], outputs, name=name)


class MUNIT(TranslationGAN):
    """Multimodal unpaired translation: content and style codes per domain, AdaIN decoders, many outputs per input.

    Args:
        dataset: `(domain_a, domain_b)` arrays (any counts), a CycleGAN-style
            folder (trainA/, trainB/), or None for the offline task
            `digits2textured` (MNIST digits <-> digits on colour textures).
        style_dim: size of each domain's style code (8).
        residual_blocks: residual blocks of the content encoders and of the
            decoders (AdaIN ones) (2; the paper's 4 for photos).
        gan_weight: weight of the adversarial losses (1).
        image_weight: weight of the within-domain image reconstruction (10).
        style_weight: weight of the style reconstruction (1).
        content_weight: weight of the content reconstruction (1).
        filters: base width of the networks (16; the paper's 64 for photos).
        learning_rate: Adam's learning rate, of D and of G (1e-4).
        **kwargs: passed to `TranslationGAN` and `BaseGAN`.

    Example:
    >>> from odog import MUNIT
    >>> import numpy as np
    >>> a, b = np.zeros((6, 28, 28, 1), "float32"), np.ones((6, 28, 28, 3), "float32")
    >>> gan = MUNIT(dataset=(a, b), filters=4, residual_blocks=1, seed=0)
    >>> logs = gan.train_on_batch(a[:2], b[:2])
    >>> gan.translate(a[:3], "a2b", seed=1).shape, gan.encode_style(b[:3], "b").shape
    ((3, 28, 28, 3), (3, 8))
    """

    name = "munit"
    two_way = True
    paired = False
    default_task = "digits2textured"

    def __init__(
        self,
        dataset=None,
        *,
        style_dim: int = 8,
        residual_blocks: int = 2,
        gan_weight: float = 1.0,
        image_weight: float = 10.0,
        style_weight: float = 1.0,
        content_weight: float = 1.0,
        filters: int = 16,
        learning_rate: float = 1e-4,
        **kwargs,
    ):
        check_number("style_dim", style_dim, integer=True, low=1)
        check_number("residual_blocks", residual_blocks, integer=True, low=1)
        check_weights(
            gan_weight=gan_weight, image_weight=image_weight, style_weight=style_weight, content_weight=content_weight
        )
        self.style_dim, self.residual_blocks = style_dim, residual_blocks
        self.gan_weight, self.image_weight = gan_weight, image_weight
        self.style_weight, self.content_weight = style_weight, content_weight
        super().__init__(dataset, filters=filters, learning_rate=learning_rate, **kwargs)

    # ------------------------------------------------------------------
    # Networks.
    # ------------------------------------------------------------------
    @property
    def code_shape(self) -> tuple:
        """The content code's shape, (H/4, W/4, 4 filters)."""
        height, width = self.img_shape[:2]
        return (height // 4, width // 4, 4 * self.filters)

    def build_generator(self) -> keras.Model:
        """`[joined (a, b), styles (s_a, s_b)] -> (b2a, a2b)`, with `g_ab([a, s_b])` and `g_ba([b, s_a])` inside."""
        f, blocks, dim = self.filters, self.residual_blocks, self.style_dim
        shapes = {"a": self.a_shape, "b": self.b_shape}
        content = {d: networks.resnet_encoder(s, f, blocks, name=f"content_encoder_{d}") for d, s in shapes.items()}
        decoder = {
            d: adain_decoder(self.code_shape, dim, s[-1], f, blocks, name=f"decoder_{d}") for d, s in shapes.items()
        }

        def translator(source, target, name):
            image, code = keras.Input(shapes[source]), keras.Input((dim,))
            return keras.Model([image, code], decoder[target]([content[source](image), code]), name=name)

        g_ab, g_ba = translator("a", "b", "g_ab"), translator("b", "a", "g_ba")
        joined, styles = keras.Input(self.img_shape), keras.Input((2 * dim,))
        a, b = self.split(joined)
        outputs = layers.Concatenate()([g_ba([b, styles[:, :dim]]), g_ab([a, styles[:, dim:]])])
        return keras.Model([joined, styles], outputs, name="generator")

    def build_combined(self) -> keras.Model:
        # The style encoders train with G (as BicycleGAN's E): the combined model holds them.
        inputs = keras.Input(self.img_shape)
        a, b = self.split(inputs)
        encoders = [style_encoder(s, self.style_dim, self.filters, name=f"style_encoder_{d}")
                    for s, d in ((self.a_shape, "a"), (self.b_shape, "b"))]  # fmt: skip
        codes = layers.Concatenate()([encoders[0](a), encoders[1](b)])
        self.style_encoders = float32_outputs(keras.Model(inputs, codes, name="style_encoders"))

        def connect(joined):
            return self.discriminator(self.generator([joined, self.style_encoders(joined)]))

        return CombinedModel(self.generator, self.discriminator, connect=connect, input_shapes=[self.img_shape])

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "style_encoders": self.style_encoders.variables}

    def parts(self, generator: keras.Model | None = None) -> dict[str, keras.Model]:
        """The networks by name: `content_encoder_a`, `decoder_b`, ... of a generator (default `generator`), and
        `style_encoder_a`, `style_encoder_b`."""
        generator = self.generator if generator is None else generator
        found = {}
        for name, source, target in (("g_ab", "a", "b"), ("g_ba", "b", "a")):
            translator = generator.get_layer(name)
            found[f"content_encoder_{source}"] = translator.get_layer(f"content_encoder_{source}")
            found[f"decoder_{target}"] = translator.get_layer(f"decoder_{target}")
            found[f"style_encoder_{source}"] = self.style_encoders.get_layer(f"style_encoder_{source}")
        return found

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        return networks.patch_discriminator(input_shape, self.filters, name=name)

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def random_styles(self, n: int):
        """(n, 2 style_dim): a style of A and one of B for each image, from N(0, I)."""
        return keras.random.normal((n, 2 * self.style_dim), seed=self.seed_generator)

    def joined_fakes(self, joined, training: bool):
        """(b2a, a2b) of `[joined, styles]`; a joined batch alone gets random styles."""
        if not isinstance(joined, (list, tuple)):
            joined = [joined, self.random_styles(joined.shape[0])]
        return self.generator(joined, training=training)

    def generator_objective(self, z) -> tuple:
        a, b = self.split(z)
        p, dim = self.parts(), self.style_dim

        def run(name, *inputs):
            return p[name](inputs[0] if len(inputs) == 1 else list(inputs), training=True)

        content_a, content_b = run("content_encoder_a", a), run("content_encoder_b", b)
        style_a, style_b = run("style_encoder_a", a), run("style_encoder_b", b)
        random = self.random_styles(a.shape[0])
        random_a, random_b = random[:, :dim], random[:, dim:]
        b2a, a2b = run("decoder_a", content_b, random_a), run("decoder_b", content_a, random_b)

        adversarial = self.adversarial_loss(ops.concatenate([b2a, a2b], axis=-1))
        image = l1(run("decoder_a", content_a, style_a), a) + l1(run("decoder_b", content_b, style_b), b)
        style = l1(run("style_encoder_a", b2a), random_a) + l1(run("style_encoder_b", a2b), random_b)
        content = l1(run("content_encoder_b", a2b), ops.stop_gradient(content_a)) + l1(
            run("content_encoder_a", b2a), ops.stop_gradient(content_b)
        )
        loss = (
            self.gan_weight * adversarial
            + self.image_weight * image
            + self.style_weight * style
            + self.content_weight * content
        )
        return loss, {
            "g_loss": loss,
            "adversarial_loss": adversarial,
            "image_loss": image,
            "style_loss": style,
            "content_loss": content,
        }

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def _check_domain(self, domain: str) -> str:
        if domain not in DOMAINS:
            raise ValueError(
                f"Invalid value received for argument `domain`. Expected 'a' or 'b' (MUNIT has two domains). "
                f"Received: domain={domain!r}"
            )
        return domain

    def translation_input(
        self, images: np.ndarray, direction: str, *, style=None, seed: int | None = None, **options
    ) -> list:
        """`[images, style]`: the target domain's style codes given (one per image, or one for all), or drawn
        from N(0, I) with `seed`."""
        if options:
            raise ValueError(
                f"MUNIT.translate takes a `style=` code or a `seed=` to draw one; not {', '.join(map(repr, options))}."
            )
        n = len(images)
        if style is None:
            style = np.random.default_rng(seed).standard_normal((n, self.style_dim), dtype="float32")
        style = np.asarray(style, "float32")
        if style.shape == (self.style_dim,):
            style = np.repeat(style[None], n, axis=0)
        if style.shape != (n, self.style_dim):
            raise ValueError(
                f"Expected one style code per image, style of shape ({n}, {self.style_dim}) or ({self.style_dim},)."
                f" Received: style.shape={style.shape}"
            )
        return [images, style]

    def generation_options(self, rng: np.random.Generator) -> dict:
        return {"seed": int(rng.integers(2**31))}

    def encode_style(self, images, domain: str = "b") -> np.ndarray:
        """The style codes of images of `domain`, (N, style_dim): `translate(a, style=encode_style(b))` draws a's
        digit in b's look."""
        shape = self.a_shape if self._check_domain(domain) == "a" else self.b_shape
        images = np.asarray(images, "float32")
        if images.ndim == 3 and shape[-1] == 1:
            images = images[..., None]
        if images.ndim != 4 or tuple(images.shape[1:]) != shape:
            raise ValueError(
                f"Expected images of shape (N, {', '.join(map(str, shape))}) to encode the style of domain "
                f"{domain!r}. Received: images.shape={images.shape}"
            )
        model = self.style_encoders.get_layer(f"style_encoder_{domain}")
        return model.predict(images, batch_size=128, verbose=0).astype("float32")

    def diversity(self, images, direction: str = A2B, samples: int = 10, seed: int = 0) -> float:
        """The mean L1 distance between the outputs for one input under different random styles
        (`odog.metrics.diversity`).

        Args:
            images: inputs of the source domain.
            direction: "a2b" or "b2a".
            samples: styles per input (their pairs are compared).
            seed: seeds the styles.
        """
        check_number("samples", samples, integer=True, low=2)
        outputs = [self.translate(images, direction, seed=seed + i) for i in range(samples)]
        return metrics.diversity(np.stack(outputs))

    def sample_columns(self, a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
        """a | a2b with three random styles (seeds 0-2) | b | b2a with three random styles."""
        a2b = [self.translate(a, A2B, seed=s) for s in range(3)]
        return [a, *a2b, b, *(self.translate(b, B2A, seed=s) for s in range(3))]

    def measure(self, data=None) -> dict[str, float]:
        """`TranslationGAN.measure()` (with random styles) plus `diversity_a2b` and `diversity_b2a` on the first
        1,000 test inputs of each domain, 10 styles each."""
        data = self.test_data() if data is None else data
        scores = super().measure(data)
        scores["diversity_a2b"] = self.diversity(data.a[:1000], A2B)
        scores["diversity_b2a"] = self.diversity(data.b[:1000], B2A)
        return scores
