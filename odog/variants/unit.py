"""Day 22, UNIT (Liu, Breuel and Kautz, 2017): unsupervised translation through a shared latent space.

UNIT assumes that an image a of domain A and its counterpart b of domain B
come from one code z of a latent space both domains share. Each domain has
a VAE: an encoder E_A (E_B) to the mean of a Gaussian code with unit
variance, and a generator G_A (G_B) back to images. The shared-latent
assumption is written into the weights: the encoders' last residual block
and the generators' first one are the same layers for both domains, so a
code means the same to both. Translation is encoding in one domain and
decoding in the other, a2b = G_B(E_A(a)).

Each domain also has a GAN (a PatchGAN D_A, D_B, least squares) and the
cycle goes through the code: a -> z -> G_B(z) -> E_B -> z' -> G_A(z') ~ a.
The generator's objective, with the paper's (and PyTorch-GAN's) weights:

    L = 10 L_GAN + 0.1 KL(z) + 100 |G_A(z_a) - a|_1 + 0.1 KL(z') + 100 |G_A(z'_b) - a|_1   (+ the same for B)

where KL against N(0, I) with unit variance is the mean squared code. The
networks are CycleGAN's ResNet generator split at its code
(`odog.networks.resnet_encoder` / `resnet_decoder`) with
`odog.networks.residual_blocks` as the shared layers. Adam(1e-4, 0.5).
"""

import keras
import numpy as np
from keras import ops

from odog import networks
from odog.losses import mean_absolute_error as l1
from odog.translation import TranslationGAN
from odog.validation import check_number, check_weights

DOMAINS = ("a", "b")


class UNIT(TranslationGAN):
    """Unpaired translation through a shared latent space: two VAEs with shared layers, two GANs, latent cycles.

    Args:
        dataset: `(domain_a, domain_b)` arrays (any counts), a CycleGAN-style
            folder (trainA/, trainB/), or None for the offline task
            `digits2textured` (MNIST digits <-> digits on colour textures).
        residual_blocks: residual blocks of each domain's own encoder and
            generator (1; the paper's 3 for 256x256 photos).
        shared_blocks: residual blocks shared by both encoders, and by both
            generators (1).
        gan_weight: lambda_0, the weight of the adversarial loss (10).
        kl_weight: lambda_1, the weight of the codes' KL term (0.1).
        reconstruction_weight: lambda_2, the weight of the VAEs' L1
            reconstruction (100).
        cycle_kl_weight: lambda_3, the weight of the KL term of the
            translations' codes (0.1).
        cycle_weight: lambda_4, the weight of the cycle's L1 (100).
        filters: base width of the networks (16; the paper's 64 for photos).
        learning_rate: Adam's learning rate, of D and of the VAEs (1e-4).
        **kwargs: passed to `TranslationGAN` and `BaseGAN`.

    Example:
    >>> from odog import UNIT
    >>> import numpy as np
    >>> a, b = np.zeros((6, 28, 28, 1), "float32"), np.ones((6, 28, 28, 3), "float32")
    >>> gan = UNIT(dataset=(a, b), filters=4, seed=0)
    >>> logs = gan.train_on_batch(a[:2], b[:2])
    >>> gan.translate(b[:3], "b2a").shape, gan.encode(a[:3], "a").shape
    ((3, 28, 28, 1), (3, 7, 7, 16))
    """

    name = "unit"
    two_way = True
    paired = False
    default_task = "digits2textured"

    def __init__(
        self,
        dataset=None,
        *,
        residual_blocks: int = 1,
        shared_blocks: int = 1,
        gan_weight: float = 10.0,
        kl_weight: float = 0.1,
        reconstruction_weight: float = 100.0,
        cycle_kl_weight: float = 0.1,
        cycle_weight: float = 100.0,
        filters: int = 16,
        learning_rate: float = 1e-4,
        **kwargs,
    ):
        check_number("residual_blocks", residual_blocks, integer=True, low=0)
        check_number("shared_blocks", shared_blocks, integer=True, low=1)
        check_weights(
            gan_weight=gan_weight,
            kl_weight=kl_weight,
            reconstruction_weight=reconstruction_weight,
            cycle_kl_weight=cycle_kl_weight,
            cycle_weight=cycle_weight,
        )
        self.residual_blocks, self.shared_blocks = residual_blocks, shared_blocks
        self.gan_weight, self.kl_weight, self.reconstruction_weight = gan_weight, kl_weight, reconstruction_weight
        self.cycle_kl_weight, self.cycle_weight = cycle_kl_weight, cycle_weight
        super().__init__(dataset, filters=filters, learning_rate=learning_rate, **kwargs)

    # ------------------------------------------------------------------
    # Networks: two VAEs whose innermost blocks are the same layers.
    # ------------------------------------------------------------------
    @property
    def code_shape(self) -> tuple:
        """The shared code's shape, (H/4, W/4, 4 filters)."""
        height, width = self.img_shape[:2]
        return (height // 4, width // 4, 4 * self.filters)

    def build_generator(self) -> keras.Model:
        ca, cb = self.domain_channels
        f, blocks = self.filters, self.residual_blocks
        encoder_a = networks.resnet_encoder(self.a_shape, f, blocks, name="encoder_a")
        encoder_b = networks.resnet_encoder(self.b_shape, f, blocks, name="encoder_b")
        decoder_a = networks.resnet_decoder(self.code_shape, ca, f, blocks, name="decoder_a")
        decoder_b = networks.resnet_decoder(self.code_shape, cb, f, blocks, name="decoder_b")
        shared_encoder = networks.residual_blocks(self.code_shape, self.shared_blocks, name="shared_encoder")
        shared_decoder = networks.residual_blocks(self.code_shape, self.shared_blocks, name="shared_decoder")

        def translator(encoder, decoder, shape, name):
            image = keras.Input(shape)
            return keras.Model(image, decoder(shared_decoder(shared_encoder(encoder(image)))), name=name)

        g_ab = translator(encoder_a, decoder_b, self.a_shape, "g_ab")
        g_ba = translator(encoder_b, decoder_a, self.b_shape, "g_ba")
        inputs = keras.Input(self.img_shape)
        a, b = self.split(inputs)
        return keras.Model(inputs, keras.layers.Concatenate()([g_ba(b), g_ab(a)]), name="generator")

    def parts(self, generator: keras.Model | None = None) -> dict[str, keras.Model]:
        """The networks inside a generator (default `generator`): `encoder_a`, `encoder_b`, `shared_encoder`,
        `shared_decoder`, `decoder_a`, `decoder_b`."""
        generator = self.generator if generator is None else generator
        ab, ba = generator.get_layer("g_ab"), generator.get_layer("g_ba")
        names = ("encoder_a", "shared_encoder", "shared_decoder", "decoder_b")
        found = {name: ab.get_layer(name) for name in names}
        found.update(encoder_b=ba.get_layer("encoder_b"), decoder_a=ba.get_layer("decoder_a"))
        return found

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        return networks.patch_discriminator(input_shape, self.filters, name=name)

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def sampled(self, mu):
        """A code drawn from N(mu, I), the VAE's reparameterized sample."""
        return mu + keras.random.normal(ops.shape(mu), dtype=mu.dtype, seed=self.seed_generator)

    def generator_objective(self, z) -> tuple:
        a, b = self.split(z)
        p = self.parts()

        def encode(domain, images):
            return p["shared_encoder"](p[f"encoder_{domain}"](images, training=True), training=True)

        def decode(domain, code):
            return p[f"decoder_{domain}"](p["shared_decoder"](code, training=True), training=True)

        mu_a, mu_b = encode("a", a), encode("b", b)
        z_a, z_b = self.sampled(mu_a), self.sampled(mu_b)
        fake_a, fake_b = decode("a", z_b), decode("b", z_a)
        mu_ab, mu_ba = encode("b", fake_b), encode("a", fake_a)  # the translations' codes

        adversarial = self.adversarial_loss(ops.concatenate([fake_a, fake_b], axis=-1))

        def kl_term(mu):  # KL to N(0, I) at unit variance, in float32 (mixed precision: codes in bfloat16)
            return ops.mean(ops.square(ops.cast(mu, "float32")))

        kl = kl_term(mu_a) + kl_term(mu_b)
        reconstruction = l1(decode("a", z_a), a) + l1(decode("b", z_b), b)
        cycle_kl = kl_term(mu_ab) + kl_term(mu_ba)
        cycle = l1(decode("a", self.sampled(mu_ab)), a) + l1(decode("b", self.sampled(mu_ba)), b)
        loss = (
            self.gan_weight * adversarial
            + self.kl_weight * kl
            + self.reconstruction_weight * reconstruction
            + self.cycle_kl_weight * cycle_kl
            + self.cycle_weight * cycle
        )
        return loss, {
            "g_loss": loss,
            "adversarial_loss": adversarial,
            "kl_loss": kl,
            "reconstruction_loss": reconstruction,
            "cycle_kl_loss": cycle_kl,
            "cycle_loss": cycle,
        }

    # ------------------------------------------------------------------
    # Using it: the shared code.
    # ------------------------------------------------------------------
    def _check_domain(self, domain: str) -> str:
        if domain not in DOMAINS:
            raise ValueError(
                f"Invalid value received for argument `domain`. Expected 'a' or 'b' (UNIT has two domains). "
                f"Received: domain={domain!r}"
            )
        return domain

    def encode(self, images, domain: str = "a", *, ema: bool = True) -> np.ndarray:
        """The shared code (the mean of E's Gaussian) of images of one domain, (N, H/4, W/4, 4 filters).

        Args:
            images: (N, H, W, C) of that domain, floats in [-1, 1].
            domain: "a" or "b".
            ema: use the moving average of the weights when there is one.
        """
        shape = self.a_shape if self._check_domain(domain) == "a" else self.b_shape
        images = np.asarray(images, "float32")
        if images.ndim == 3 and shape[-1] == 1:
            images = images[..., None]
        if images.ndim != 4 or tuple(images.shape[1:]) != shape:
            raise ValueError(
                f"Expected images of shape (N, {', '.join(map(str, shape))}) to encode from domain {domain!r}. "
                f"Received: images.shape={images.shape}"
            )
        p = self.parts(self.generator_ema if ema and self.generator_ema is not None else None)
        code = p["shared_encoder"](p[f"encoder_{domain}"](images, training=False), training=False)
        return np.asarray(ops.convert_to_numpy(code), "float32")

    def decode(self, codes, domain: str = "b", *, ema: bool = True) -> np.ndarray:
        """Images of `domain` ("a" or "b") for shared codes, float32 in [-1, 1]: `decode(encode(a, "a"), "b")`
        is `translate(a, "a2b")`."""
        self._check_domain(domain)
        codes = np.asarray(codes, "float32")
        if codes.ndim != 4 or tuple(codes.shape[1:]) != self.code_shape:
            raise ValueError(
                f"Expected codes of shape (N, {', '.join(map(str, self.code_shape))}) (from `encode`). "
                f"Received: codes.shape={codes.shape}"
            )
        p = self.parts(self.generator_ema if ema and self.generator_ema is not None else None)
        images = p[f"decoder_{domain}"](p["shared_decoder"](codes, training=False), training=False)
        return np.clip(ops.convert_to_numpy(images), -1.0, 1.0).astype("float32")
