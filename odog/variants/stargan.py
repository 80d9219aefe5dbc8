"""StarGAN (Choi et al., 2018): one generator that translates between many domains.

Where CycleGAN learns one pair of generators per pair of domains, StarGAN
learns one G(x, c) for all of them: the target domain c, one-hot, is tiled
over the image as extra input channels. One discriminator has two heads on
a shared trunk: a PatchGAN score of realness and a domain classifier. D
learns to tell real from translated images and to name the domain of real
ones; G learns to fool D, to make images D puts in the requested domain,
and to keep the content: translated back to the original domain, G(G(x, c),
c_x) must give x again (the cycle, on one generator):

    L_D = -D_src(x) + D_src(G(x, c)) + lambda_gp GP + lambda_cls CE(D_cls(x), c_x)
    L_G = -D_src(G(x, c)) + lambda_cls CE(D_cls(G(x, c)), c) + lambda_rec |x - G(G(x, c), c_x)|_1

with the Wasserstein loss and gradient penalty of WGAN-GP (lambda_gp = 10,
`odog.regularizers.gradient_penalty`), lambda_cls = 1, lambda_rec = 10, and
Adam(1e-4, 0.5, 0.999) as in the paper. G is CycleGAN's ResNet generator
(`odog.networks.resnet_generator`, instance normalization) and D's trunk is
the PatchGAN (`odog.networks.patch_discriminator`) without normalization,
as the paper's D. Each target is drawn among the domains other than the
image's own (the paper shuffles the batch's labels, which can repeat one).
D takes 5 steps per G step, as in the paper (`d_steps`): with one, twice
the G updates fit in the same 2-CPU time, and translations kept their digit
far less often (42.8% against 69.3%, docs/stargan.md).

Why `ConditionalGAN`: StarGAN's examples are images with a class label (the
domain), exactly what a conditional GAN trains on, and its G takes a
condition; `ConditionalGAN` already reads labels from `(images, labels)`,
named datasets and one-subfolder-per-class folders, names classes, checks
labels (numbers, names, one-hot rows) with clear messages, and feeds D real
images with their labels. `TranslationGAN` is built on a pair of domains
joined on the channel axis, which K domains do not fit. StarGAN changes
what G reads (an image and a target, not noise) and what `generate()`
means (translations of training images).
"""

import keras
import numpy as np
from keras import layers, ops

from odog import data as data_lib
from odog import metrics, networks, regularizers, viz
from odog.conditional import ConditionalGAN
from odog.data import domains as domains_lib
from odog.losses import binary_accuracy, wasserstein
from odog.validation import check_number


def domain_loss(one_hot, logits):
    """The mean cross-entropy of domain logits (N, K) to one-hot domains."""
    return ops.mean(keras.losses.categorical_crossentropy(one_hot, logits, from_logits=True))


def _domain_accuracy(one_hot, logits):
    return ops.mean(ops.cast(ops.argmax(one_hot, -1) == ops.argmax(logits, -1), "float32"))


class StarGAN(ConditionalGAN):
    """Multi-domain image-to-image translation: one G(x, c), one D with a domain classifier.

    Args:
        dataset: images with domain labels: `(images, domain_labels)`, a
            folder with one subfolder of images per domain, a labelled named
            dataset, or None for the offline task `mnist_domains` (MNIST
            digits drawn plain, thin, thick, inverted or coloured,
            `odog.data.domains`).
        domains: a name per domain, in the order of the labels, which
            `translate(to=...)` accepts; default: the task's names, a
            folder's subfolders, or "0", "1", ... for numbered labels.
        residual_blocks: residual blocks of G (3; the paper's 6 at 128x128).
        filters: base width of G and D (16).
        gp_weight: lambda_gp, the weight of the gradient penalty (10).
        cls_weight: lambda_cls, the weight of the domain classification
            losses of D and G (1).
        rec_weight: lambda_rec, the weight of the reconstruction loss (10).
        learning_rate: Adam learning rate of both models (1e-4, the paper's).
        d_steps: D steps per G step (5, the paper's).
        **kwargs: passed to `BaseGAN` (beta_1, ema, seed, ...).

    Example:
    >>> from odog import StarGAN
    >>> import numpy as np
    >>> images, labels = np.zeros((8, 28, 28, 3), "float32"), np.arange(8) % 4
    >>> gan = StarGAN(dataset=(images, labels), domains=["a", "b", "c", "d"], filters=4, residual_blocks=1, seed=0)
    >>> logs = gan.train_on_batch(images[:5], labels[:5])  # 5 D steps (on 1 image each), then 1 G step
    >>> gan.translate(images[:3], to="c").shape, gan.translate(images[:2], to=["a", "d"]).shape
    ((3, 28, 28, 3), (2, 28, 28, 3))
    """

    name = "stargan"
    loss = [wasserstein, domain_loss]
    decision_threshold = 0.0  # D's realness is a linear critic score
    interpolates = False
    default_batch_size = 16
    default_task = "mnist_domains"
    # Measured on 2 CPU cores, batch 16, TensorFlow: an iteration takes 0.09 s without XLA and 0.14 s with it
    # (d_steps=1; d_steps=5: 0.19 s and 0.27 s).
    jit_compile = False
    sample_rows = 8

    def __init__(
        self,
        dataset=None,
        *,
        domains: list[str] | None = None,
        residual_blocks: int = 3,
        filters: int = 16,
        gp_weight: float = 10.0,
        cls_weight: float = 1.0,
        rec_weight: float = 10.0,
        learning_rate: float = 1e-4,
        d_steps: int = 5,
        **kwargs,
    ):
        check_number("residual_blocks", residual_blocks, integer=True, low=0)
        check_number("filters", filters, integer=True, low=1)
        for name, value in (("gp_weight", gp_weight), ("cls_weight", cls_weight), ("rec_weight", rec_weight)):
            check_number(name, value, low=0)
        if dataset is None:
            dataset = self.default_task
            self.record_config(dataset=dataset)
        if domains is None and dataset == self.default_task:
            domains = list(domains_lib.DOMAINS)
        if domains is not None:
            domains = list(domains)
            if (
                len(domains) < 2
                or len(set(domains)) != len(domains)
                or not all(isinstance(d, str) and d for d in domains)
            ):
                raise ValueError(
                    "Invalid value received for argument `domains`. Expected at least 2 different non-empty "
                    f"strings, one name per domain label. Received: domains={domains!r}"
                )
            kwargs.setdefault("num_classes", len(domains))
        if isinstance(dataset, tuple):  # arrays: check images, labels and their counts now, at the door
            if len(dataset) != 2 or dataset[1] is None:
                raise ValueError(
                    "StarGAN learns from images with their domains: pass dataset=(images, domain_labels), one "
                    "integer label per image."
                )
            dataset = data_lib.from_arrays(*dataset)
            found = int(dataset.labels.max()) + 1
            count = len(domains) if domains is not None else kwargs.get("num_classes") or found
            if found > count:
                raise ValueError(
                    f"Invalid value received for argument `dataset`. Expected domain labels in [0, {count - 1}] "
                    f"(one per domain{f' of {domains}' if domains else ''}). Received: a label {found - 1}"
                )
            if len(np.unique(dataset.labels)) < 2:
                raise ValueError("StarGAN translates between domains: the labels must hold at least 2 of them.")
        self.residual_blocks, self.filters = residual_blocks, filters
        self.gp_weight, self.cls_weight, self.rec_weight = gp_weight, cls_weight, rec_weight
        super().__init__(dataset, class_names=domains, learning_rate=learning_rate, d_steps=d_steps, **kwargs)
        if self.class_names is None:  # numbered domains: their numbers are their names
            self.class_names = [str(i) for i in range(self.num_classes)]
        # Saved as `domains` (the argument this class takes), not as ConditionalGAN's `class_names`.
        self._config.pop("class_names", None)
        self.record_config(domains=self.class_names)

    @property
    def domains(self) -> list[str]:
        """The domains' names, in the order of their labels."""
        return list(self.class_names)

    # ------------------------------------------------------------------
    # Networks.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        """G(x, c): the ResNet generator on the image joined with the target domain tiled over it."""
        height, width, channels = self.img_shape
        image, target = keras.Input(self.img_shape, name="image"), keras.Input((self.num_classes,), name="domain")
        tiled = layers.UpSampling2D((height, width))(layers.Reshape((1, 1, self.num_classes))(target))
        body = networks.resnet_generator(
            (height, width, channels + self.num_classes), channels, self.filters, self.residual_blocks
        )
        return keras.Model([image, target], body(layers.Concatenate()([image, tiled])), name="generator")

    def build_discriminator(self) -> keras.Model:
        """D(x) -> [realness per patch (N, h, w, 1), domain logits (N, K)] on one PatchGAN trunk."""
        patch = networks.patch_discriminator(self.img_shape, self.filters, norm=None)
        trunk = patch.layers[-2].output  # the features under the 1-channel realness convolution
        domain = layers.Dense(self.num_classes, name="domain")(layers.GlobalAveragePooling2D()(trunk))
        return keras.Model(patch.inputs[0], [patch.outputs[0], domain], name="discriminator")

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def targets(self, labels: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        """Random target domains, each different from its image's own `labels`."""
        rng = self.rng if rng is None else rng
        return (labels + rng.integers(1, self.num_classes, labels.shape)) % self.num_classes

    def generator_inputs(self, real: np.ndarray, labels: np.ndarray | None = None) -> tuple:
        """`z_d`: [images, targets] per D step; `z_g`: [images, targets, own domains] of the last one."""
        z_d = [real, self.condition(self.targets(labels))]
        z_g = [real[-1], self.condition(self.targets(labels[-1])), self.condition(labels[-1])]
        return z_d, z_g

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        (images, own), (translated, _) = real, fake
        critic = lambda x: self.discriminator(x, training=True)[0]  # noqa: E731
        score_real, class_real = self.discriminator(images, training=True)
        score_fake, _ = self.discriminator(translated, training=True)
        adversarial = wasserstein(ops.ones_like(score_real), score_real) + wasserstein(
            ops.zeros_like(score_fake), score_fake
        )
        classification = domain_loss(own, class_real)
        penalty, norm = regularizers.gradient_penalty(critic, images, translated, seed=self.seed_generator)
        loss = adversarial + self.cls_weight * classification + self.gp_weight * penalty
        logs = {
            "d_loss": loss,
            "d_adversarial": adversarial,
            "d_domain_loss": classification,
            "d_domain_acc": _domain_accuracy(own, class_real),
            "gradient_penalty": penalty,
            "gradient_norm": norm,
            "d_acc": 0.5
            * (
                binary_accuracy(ops.ones_like(score_real), score_real, self.decision_threshold)
                + binary_accuracy(ops.zeros_like(score_fake), score_fake, self.decision_threshold)
            ),
            "d_real": ops.mean(score_real),
            "d_fake": ops.mean(score_fake),
        }
        return loss, logs

    def generator_objective(self, z) -> tuple:
        images, target, own = z
        translated = self.generator([images, target], training=True)
        score, domain = self.discriminator(translated, training=False)
        adversarial = wasserstein(ops.ones_like(score), score)
        classification = domain_loss(target, domain)
        reconstruction = ops.mean(ops.abs(self.generator([translated, own], training=True) - images))
        loss = adversarial + self.cls_weight * classification + self.rec_weight * reconstruction
        return loss, {
            "g_loss": loss,
            "adversarial_loss": adversarial,
            "g_domain_loss": classification,
            "g_domain_acc": _domain_accuracy(target, domain),
            "reconstruction_loss": reconstruction,
        }

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def check_domains(self, to, n: int) -> np.ndarray:
        """Target domains (n,) from a name, a number, or one name or number per image."""
        try:
            return self.check_labels(to, n)
        except ValueError as error:
            message = str(error).replace("argument `labels`", "argument `to`").replace("class names", "domains")
            message = message.replace("class numbers", "domain numbers").replace("class labels", "domain labels")
            raise ValueError(message.replace("(num_classes)", "(the number of domains)")) from None

    def translate(self, images, to, *, ema: bool = True) -> np.ndarray:
        """Translates images into the domain(s) `to`.

        Args:
            images: (N, H, W, C) of the training images' shape, uint8 or
                floats in [-1, 1]; (N, H, W) for one channel.
            to: the target domain for all images (a name from `domains`, or
                its number), or one per image (a list or array of N).
            ema: use the moving average of G's weights when it has one.

        Returns:
            float32 images in [-1, 1], of the inputs' shape.

        Example:
        >>> from odog import StarGAN
        >>> import numpy as np
        >>> gan = StarGAN(dataset=(np.zeros((4, 28, 28, 3), "uint8"), np.arange(4) % 2), filters=4, seed=0)
        >>> gan.domains
        ['0', '1']
        >>> gan.translate(np.zeros((1, 28, 28, 3), "uint8"), to="thick")
        Traceback (most recent call last):
        ...
        ValueError: Invalid value received for argument `to`. Expected one of the domains ['0', '1'] ... 'thick'
        """
        images = np.asarray(images)
        received = images.shape
        if images.ndim == 3 and self.img_shape[-1] == 1:
            images = images[..., None]
        if images.ndim != 4 or tuple(images.shape[1:]) != tuple(self.img_shape) or not len(images):
            raise ValueError(
                f"Expected images of shape (N, {', '.join(map(str, self.img_shape))}) to translate (the training "
                f"images' shape). Received: images.shape={received}"
            )
        if isinstance(to, str) and to.isdigit() and to not in self.class_names:
            to = int(to)
        targets = self.check_domains(to, len(images))
        images = data_lib.from_arrays(images).images
        generator = self.sampler(ema)
        outputs = generator.predict([images, self.condition(targets)], batch_size=256, verbose=0)
        return np.clip(outputs, -1.0, 1.0).astype("float32")

    def classify(self, images) -> np.ndarray:
        """D's domain for each image (N,): the domain classifier G learned against."""
        images = np.asarray(images, "float32")
        return self.discriminator.predict(images, batch_size=256, verbose=0)[1].argmax(axis=1)

    def generation_input(self, n: int, rng: np.random.Generator, labels=None):
        """`[images, targets]`: `n` training images drawn by `rng`, to the domains `labels` (default: cycling)."""
        targets = np.arange(n) % self.num_classes if labels is None else self.check_domains(labels, n)
        images = self.data.take(rng.choice(len(self.data), n, replace=n > len(self.data)))
        return [images, self.condition(targets)]

    def generate(self, n: int, *, seed: int | None = None, ema: bool = True, labels=None) -> np.ndarray:
        """Translates `n` training images drawn at random into the domains `labels` (default: each in turn).

        A StarGAN has no noise to sample; this shows what it does to images
        it knows. For your own images use `translate()`.
        """
        check_number("n", n, integer=True, low=1)
        return self.generate_from(self.generation_input(n, np.random.default_rng(seed), labels), ema)

    def _sample_images(self) -> tuple[np.ndarray, np.ndarray]:
        """Fixed inputs for grids: `sample_rows` test images (training images for other data), domains in turn."""
        if getattr(self, "_samples", None) is None:
            source = self.dataset
            if isinstance(source, str) and source in data_lib.NAMED_DATASETS:
                test = data_lib.load_named(source, "test")
            else:
                test = self.data if isinstance(self.data, data_lib.Dataset) else None
            if test is None:  # a folder
                index = np.arange(min(self.sample_rows, len(self.data)))
                self._samples = self.data.take(index), None
            else:  # the first image of each domain in turn, then the second of each...
                index = [
                    pool[i // self.num_classes]
                    for i, pool in ((i, np.flatnonzero(test.labels == i % self.num_classes)) for i in range(99))
                    if i // self.num_classes < len(pool)
                ][: self.sample_rows]
                self._samples = test.images[index], test.labels[index]
        return self._samples

    def sample_images(self, path, images: np.ndarray | None = None):
        """Writes a grid: one input per row, then its translation into each domain (one column per domain)."""
        if images is None:
            images, _ = self._sample_images()
        columns = [images] + [self.translate(images, to=k) for k in range(self.num_classes)]
        grid = np.stack(columns, axis=1).reshape((-1,) + tuple(images.shape[1:]))
        return viz.save_grid(grid, path, rows=len(images))

    def measure(self, n: int = 2000, split: str = "test") -> dict:
        """What odog's classifiers read in translations of `mnist_domains` images, per target domain.

        Each of the first `n` images of the split is translated into every
        domain other than its own. For each target domain: `domain` is the
        share of translations that the `mnist_domains` classifier puts in
        that domain, `digit` the share the `mnist_domains_digits` classifier
        reads as the input's digit; `input_domain` and `input_digit` are the
        same measures of the untranslated inputs (the baseline of doing
        nothing), and `real_domain` and `real_digit` of the split's real
        images of that domain (the classifiers' ceiling).

        Returns:
            `{"per_domain": {name: {...}}, "mean": {...}}` (shares in [0, 1]).
        """
        check_number("n", n, integer=True, low=1)
        if self.dataset != self.default_task:
            raise ValueError(
                f"measure() reads domains and digits with the classifiers of the offline task '{self.default_task}'; "
                f"this StarGAN was trained on {self.dataset!r:.60}. Translate your own images with translate()."
            )
        data, all_digits = domains_lib.load(split)
        images, own, digits = data.images[:n], data.labels[:n], all_digits[:n]
        domain_classifier, digit_classifier = "mnist_domains", "mnist_domains_digits"
        input_domain = metrics.predicted_labels(images, domain_classifier)
        input_digit = metrics.predicted_labels(images, digit_classifier) == digits
        real_domain = metrics.predicted_labels(data.images, domain_classifier) == data.labels
        real_digit = metrics.predicted_labels(data.images, digit_classifier) == all_digits
        per_domain = {}
        for k, name in enumerate(self.domains):
            others = own != k
            translated = self.translate(images[others], to=k)
            per_domain[name] = {
                "domain": float((metrics.predicted_labels(translated, domain_classifier) == k).mean()),
                "digit": float((metrics.predicted_labels(translated, digit_classifier) == digits[others]).mean()),
                "input_domain": float((input_domain[others] == k).mean()),
                "input_digit": float(input_digit[others].mean()),
                "real_domain": float(real_domain[data.labels == k].mean()),
                "real_digit": float(real_digit[data.labels == k].mean()),
                "count": int(others.sum()),
            }
        keys = ("domain", "digit", "input_domain", "input_digit", "real_domain", "real_digit")
        mean = {key: float(np.mean([scores[key] for scores in per_domain.values()])) for key in keys}
        return {"per_domain": per_domain, "mean": mean}
