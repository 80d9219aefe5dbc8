"""DiscoGAN (Kim et al., 2017): discovering cross-domain relations without pairs.

Like CycleGAN, two generators G_AB, G_BA and a discriminator per domain, and
each generator's output is mapped back and compared with the input; the
paper's networks differ: each generator is a plain encoder-decoder (4x4
strided convolutions down, transposed convolutions up, BatchNorm, no skip
connections: `odog.networks.unet(skips=False)`), each discriminator ends in a
sigmoid and trains with the cross-entropy GAN loss, and the reconstruction
distance is the squared error.

The encoder stops at a 4x4 map, as the paper's does on its 64x64 images. On
MNIST's 28x28 (padded to 32) one more layer would leave a 2x2 map, the
paper's ratio of sizes; measured on digits2textured, that generator no longer
knows where the strokes are, and its translations turned digits into other
digits (5-7% kept, docs/discogan.md), where 4x4 keeps them.

The authors' code (SKTBrain/DiscoGAN) adds what makes it train: G's
adversarial term is mostly feature matching (Salimans et al., 2016: the mean
of D's hidden features over a generated batch matched to a real batch's), and
the reconstruction has a share `rate` of G's loss, per direction:

    L_G_AB = (1 - rate) * (0.1 * L_GAN(G_AB, D_B) + 0.9 * L_FM(G_AB, D_B)) + rate * |G_BA(G_AB(a)) - a|^2

rate 0.5 (the code starts at 0.01 for its first 10,000 iterations).
Adam(2e-4, beta_1 0.5, beta_2 0.999), no pool, no identity loss.
"""

import keras
from keras import layers, ops

from odog import networks
from odog.losses import binary_crossentropy
from odog.translation import TranslationGAN
from odog.validation import check_number


class DiscoGAN(TranslationGAN):
    """Unpaired translation with encoder-decoder generators, sigmoid discriminators and a squared reconstruction.

    Args:
        dataset: `(domain_a, domain_b)` arrays, a trainA/ trainB/ folder, or
            None for the offline task `digits2textured`.
        reconstruction_rate: the reconstruction's share of G's loss (0.5);
            the adversarial terms get the rest.
        feature_matching: feature matching's share of the adversarial term
            (0.9, the authors' code); 0 is the plain cross-entropy GAN loss.
        bottleneck: the side of the generators' deepest map, a power of
            two (4).
        **kwargs: passed to `TranslationGAN` and `BaseGAN`.

    Example:
    >>> from odog import DiscoGAN
    >>> import numpy as np
    >>> a, b = np.zeros((6, 28, 28, 1), "float32"), np.ones((6, 28, 28, 3), "float32")
    >>> gan = DiscoGAN(dataset=(a, b), filters=4, seed=0)
    >>> sorted(gan.train_on_batch(a[:2], b[:2]))[:4]
    ['adversarial_loss', 'cycle_loss', 'd_acc', 'd_fake']
    """

    name = "discogan"
    two_way = True
    paired = False
    default_task = "digits2textured"
    loss = staticmethod(binary_crossentropy)

    def __init__(
        self,
        dataset=None,
        *,
        reconstruction_rate: float = 0.5,
        feature_matching: float = 0.9,
        bottleneck: int = 4,
        **kwargs,
    ):
        check_number("reconstruction_rate", reconstruction_rate, low=0, high=1)
        check_number("feature_matching", feature_matching, low=0, high=1)
        self.reconstruction_rate, self.feature_matching = reconstruction_rate, feature_matching
        self.bottleneck = bottleneck  # checked where the generators are built (networks.unet)
        super().__init__(dataset, **kwargs)

    def translator(self, input_shape: tuple, out_channels: int, name: str) -> keras.Model:
        return networks.unet(
            input_shape, out_channels, self.filters, skips=False, dropout=0.0, bottleneck=self.bottleneck, name=name
        )

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        return networks.patch_discriminator(input_shape, self.filters, activation="sigmoid", name=name)

    def build_discriminator(self) -> keras.Model:
        discriminator = super().build_discriminator()
        # Each critic's hidden activations after its first layer (the code's relu2, relu3, ...), sharing its weights.
        self.critic_features = []
        for name in ("d_a", "d_b"):
            critic = discriminator.get_layer(name)
            hidden = [layer.output for layer in critic.layers if isinstance(layer, layers.LeakyReLU)][1:]
            self.critic_features.append(keras.Model(critic.inputs, hidden, name=f"{name}_features"))
        return discriminator

    def feature_matching_loss(self, real, fakes):
        """Per domain, the squared distance between the batch means of a critic's features on real and fake images."""
        loss = 0.0
        pairs = zip(self.critic_features, self.split(real), self.split(fakes), strict=True)
        for features, real_images, fake_images in pairs:
            for r, f in zip(features(real_images, training=True), features(fake_images, training=True), strict=True):
                # Hidden activations compute in the policy's dtype (bfloat16 when mixed); the loss is float32.
                r, f = ops.cast(r, "float32"), ops.cast(f, "float32")
                loss += ops.mean(ops.square(ops.mean(r, axis=0) - ops.mean(f, axis=0)))
        return loss

    def reconstruction_error(self, images, targets):
        # Squared, and summed over the two domains as the two generators' losses are.
        return sum(ops.mean(ops.square(x - y)) for x, y in zip(self.split(images), self.split(targets), strict=True))

    def generator_objective(self, z) -> tuple:
        fakes = self.generator(z, training=True)
        adversarial = self.adversarial_loss(fakes)
        matching = self.feature_matching_loss(z, fakes) if self.feature_matching else ops.zeros(())
        cycle = self.reconstruction_error(self.generator(fakes, training=True), z)
        rate, share = self.reconstruction_rate, self.feature_matching
        loss = (1 - rate) * ((1 - share) * adversarial + share * matching) + rate * cycle
        logs = {"adversarial_loss": adversarial, "feature_matching_loss": matching, "cycle_loss": cycle}
        return loss, {"g_loss": loss, **logs}
