"""What odog holds: one entry per variant, the one place its metadata lives.

The README's variant table (`benchmarks/report.py`), the docs' navigation
(`docs/hooks.py`), `odog list` and `odog.get` read it. Importing it imports
no Keras, so `odog list` answers at once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """A variant of odog.

    Attributes:
        name: the CLI name and docs page (`docs/<name>.md`).
        cls: the class name in `odog`.
        module: the module under `odog.variants`.
        summary: one line, for `odog list`.
        source: where it comes from, as a reader can find it.
        day: the day of the One Day One GAN series that covers it, or None.
    """

    name: str
    cls: str
    module: str
    summary: str
    source: str
    day: int | None = None

    @property
    def title(self) -> str:
        """The docs' navigation title, e.g. "Day 2, DCGAN"."""
        return f"Day {self.day}, {self.cls}" if self.day else self.cls


VARIANTS = (
    Entry("gan", "GAN", "gan", "The original GAN with multilayer perceptrons.",
          "Generative Adversarial Nets (Goodfellow et al., 2014)", 1),
    Entry("dcgan", "DCGAN", "dcgan", "Deep convolutional GAN.",
          "Unsupervised Representation Learning with Deep Convolutional GANs (Radford et al., 2015)", 2),
    Entry("cgan", "CGAN", "cgan", "Conditional GAN on class labels.",
          "Conditional Generative Adversarial Nets (Mirza and Osindero, 2014)", 3),
    Entry("acgan", "ACGAN", "acgan", "Auxiliary classifier GAN.",
          "Conditional Image Synthesis with Auxiliary Classifier GANs (Odena et al., 2017)", 4),
    Entry("wgan", "WGAN", "wgan", "Wasserstein GAN with weight clipping.",
          "Wasserstein GAN (Arjovsky et al., 2017)", 5),
    Entry("srgan", "SRGAN", "srgan", "Super-resolution GAN.",
          "Photo-Realistic Single Image Super-Resolution Using a GAN (Ledig et al., 2017)", 6),
    Entry("ebgan", "EBGAN", "ebgan", "Energy-based GAN.",
          "Energy-based Generative Adversarial Network (Zhao et al., 2017)", 7),
    Entry("infogan", "InfoGAN", "infogan", "Information-maximizing GAN.",
          "InfoGAN: Interpretable Representation Learning by Information Maximizing GANs (Chen et al., 2016)", 10),
    Entry("began", "BEGAN", "began", "Boundary equilibrium GAN.",
          "BEGAN: Boundary Equilibrium Generative Adversarial Networks (Berthelot et al., 2017)", 12),
    Entry("lsgan", "LSGAN", "lsgan", "Least-squares GAN.",
          "Least Squares Generative Adversarial Networks (Mao et al., 2017)", 15),
    Entry("wgan_gp", "WGANGP", "wgan_gp", "Wasserstein GAN with gradient penalty.",
          "Improved Training of Wasserstein GANs (Gulrajani et al., 2017)", 16),
    Entry("sagan", "SAGAN", "sagan", "Self-attention GAN with spectral normalization and the hinge loss.",
          "Self-Attention Generative Adversarial Networks (Zhang et al., 2018)", 17),
    Entry("taggan", "TagGAN", "taggan", "GAN conditioned on free-text tags, with a matching-aware discriminator.",
          "Generative Adversarial Text to Image Synthesis (Reed et al., 2016), on tagged anime faces"),
    Entry("bgan", "BGAN", "bgan", "Boundary-seeking GAN.",
          "Boundary-Seeking Generative Adversarial Networks (Hjelm et al., 2017); eriklindernoren/Keras-GAN"),
    Entry("sgan", "SGAN", "sgan", "Semi-supervised GAN: D classifies with few labels.",
          "Semi-Supervised Learning with Generative Adversarial Networks (Odena, 2016); eriklindernoren/Keras-GAN"),
    Entry("esrgan", "ESRGAN", "esrgan", "Enhanced super-resolution GAN.",
          "ESRGAN: Enhanced Super-Resolution Generative Adversarial Networks (Wang et al., 2018)"),
    Entry("lapgan", "LAPGAN", "lapgan", "Laplacian pyramid GAN.",
          "Deep Generative Image Models using a Laplacian Pyramid of Adversarial Networks (Denton et al., 2015)"),
    Entry("dragan", "DRAGAN", "dragan", "DCGAN with a gradient penalty around the real data.",
          "On Convergence and Stability of GANs (Kodali et al., 2017); eriklindernoren/PyTorch-GAN"),
    Entry("rgan", "RGAN", "rgan", "Relativistic GAN: D judges whether a real image is more realistic than a fake.",
          "The relativistic discriminator: a key element missing from standard GAN (Jolicoeur-Martineau, 2018)"),
    Entry("softmax_gan", "SoftmaxGAN", "softmax_gan", "Softmax GAN: one softmax over the batch's real and fakes.",
          "Softmax GAN (Lin, 2017); eriklindernoren/PyTorch-GAN"),
    Entry("wgan_div", "WGANDiv", "wgan_div", "Wasserstein divergence GAN: a gradient-power term, no Lipschitz bound.",
          "Wasserstein Divergence for GANs (Wu et al., 2018); eriklindernoren/PyTorch-GAN"),
    Entry("ssgan", "SSGAN", "ssgan", "Self-supervised GAN: D also predicts the rotation of real and fake images.",
          "Self-Supervised GANs via Auxiliary Rotation Loss (Chen et al., 2019)", 18),
    Entry("aae", "AAE", "aae", "Adversarial autoencoder: D pushes the encoder's codes towards the prior.",
          "Adversarial Autoencoders (Makhzani et al., 2015); eriklindernoren/Keras-GAN"),
    Entry("bigan", "BiGAN", "bigan", "Bidirectional GAN: an encoder learned with G; D judges (image, code) pairs.",
          "Adversarial Feature Learning (Donahue et al., 2016); eriklindernoren/Keras-GAN"),
    Entry("clustergan", "ClusterGAN", "clustergan", "A one-hot plus Gaussian latent and an encoder that clusters.",
          "ClusterGAN: Latent Space Clustering in GANs (Mukherjee et al., 2019); eriklindernoren/PyTorch-GAN"),
    Entry("context_encoder", "ContextEncoder", "context_encoder",
          "Inpainting with a reconstruction and an adversarial loss.",
          "Context Encoders: Feature Learning by Inpainting (Pathak et al., 2016); eriklindernoren/Keras-GAN"),
    Entry("ccgan", "CCGAN", "ccgan", "Context-conditional GAN: G fills a hole until D cannot tell it from real.",
          "Semi-Supervised Learning with Context-Conditional GANs (Denton et al., 2016); eriklindernoren/Keras-GAN"),
    Entry("pix2pix", "Pix2Pix", "pix2pix", "Paired image-to-image translation: U-Net G, PatchGAN D, GAN + L1.",
          "Image-to-Image Translation with Conditional Adversarial Networks (Isola et al., 2017)", 14),
    Entry("cyclegan", "CycleGAN", "cyclegan", "Unpaired translation with two generators and cycle consistency.",
          "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks (Zhu et al., 2017)", 13),
    Entry("discogan", "DiscoGAN", "discogan", "Unpaired translation with encoder-decoders and reconstruction.",
          "Learning to Discover Cross-Domain Relations with Generative Adversarial Networks (Kim et al., 2017)"),
    Entry("dualgan", "DualGAN", "dualgan", "Unpaired translation with U-Nets and Wasserstein critics.",
          "DualGAN: Unsupervised Dual Learning for Image-to-Image Translation (Yi et al., 2017)"),
    Entry("bicyclegan", "BicycleGAN", "bicyclegan", "Many outputs per input: G(a, z), an encoder, cVAE-GAN + cLR-GAN.",
          "Toward Multimodal Image-to-Image Translation (Zhu et al., 2017)"),
    Entry("unit", "UNIT", "unit", "Unpaired translation through a shared latent space: two VAEs sharing layers + GANs.",
          "Unsupervised Image-to-Image Translation Networks (Liu, Breuel & Kautz, 2017)", 22),
    Entry("munit", "MUNIT", "munit", "Many outputs per input, unpaired: content and style codes, AdaIN decoders.",
          "Multimodal Unsupervised Image-to-Image Translation (Huang, Liu, Belongie & Kautz, 2018)", 23),
    Entry("cogan", "CoGAN", "cogan", "Coupled GANs: two generators sharing layers draw a pair from one z.",
          "Coupled Generative Adversarial Networks (Liu & Tuzel, 2016); eriklindernoren/Keras-GAN"),
    Entry("pixelda", "PixelDA", "pixelda", "Pixel-level domain adaptation: G restyles labelled source images.",
          "Unsupervised Pixel-Level Domain Adaptation with GANs (Bousmalis et al., 2017); eriklindernoren/Keras-GAN"),
    Entry("stargan", "StarGAN", "stargan", "One generator for many domains: G(x, c), D with a domain classifier.",
          "StarGAN: Unified GANs for Multi-Domain Image-to-Image Translation (Choi et al., 2018)"),
)  # fmt: skip

BY_NAME = {entry.name: entry for entry in VARIANTS}


def names() -> list[str]:
    """The variants' CLI names, sorted."""
    return sorted(BY_NAME)


def entry(name: str) -> Entry:
    """The entry of a variant name; "wgan-gp" = "wgan_gp", any case.

    Example:
    >>> entry("WGAN-GP").cls
    'WGANGP'
    """
    key = name.lower().replace("-", "_")
    if key not in BY_NAME:
        raise ValueError(f"Unknown variant {name!r}. Available: {', '.join(names())}.")
    return BY_NAME[key]
