"""`BaseGAN`: the shape every odog variant shares.

A variant subclasses `BaseGAN` and writes `build_generator()` and
`build_discriminator()`, as in Keras-GAN. `BaseGAN` compiles the discriminator
and the combined model `Model(z, D(G(z)))` (D frozen) with one optimizer each,
and trains them with a loop of `train_on_batch` calls. Each of those calls
runs the discriminator step(s) and the generator step in one compiled
function, which is what makes the loop fast; the steps themselves are plain
methods a variant may override (its loss, clipping, penalties, ...).
"""

import inspect
import os
from pathlib import Path

import keras
import numpy as np
from keras import ops

from odog import backend, checkpoint, training, viz
from odog import data as data_lib
from odog.callbacks import TrainingDivergedError, restart_point
from odog.losses import binary_accuracy, binary_crossentropy
from odog.models import CombinedModel, float32_outputs, frozen
from odog.validation import check_number

__all__ = ["BaseGAN", "TrainingDivergedError"]


class BaseGAN:
    """Base class of odog's GANs.

    Subclasses set `name`, implement `build_generator()` and
    `build_discriminator()`, and change only what differs:
    - `loss` / `generator_loss`: the Keras losses of D and of G (compiled
      into `discriminator` and `combined`, used by the default objectives);
    - `discriminator_objective()` / `generator_objective()`: the whole loss
      of a step, for critics, energies and penalties;
    - `discriminator_step()` / `generator_step()`: the update itself, e.g.
      to clip weights or update a control variable after it (call `super()`);
    - `build_optimizer()`: the optimizers.
    Freezing, one optimizer per model, compilation, the loop, sampling and
    checkpoints stay in `BaseGAN`.

    Args:
        dataset: "mnist" (default), "fashion_mnist", "cifar10", a folder of
            png/jpg images, an image array, or an `(images, labels)` tuple.
            It is loaded when training starts.
        latent_dim: size of the noise vector z.
        image_size: side of the square images read from a folder (64).
        channels: channels of images read from a folder (3).
        max_images: read at most this many images of a folder (a fixed
            random subset); None: all. A folder streams from disk in
            shuffled passes (`odog.data.ImageFolder`).
        learning_rate: Adam learning rate of D, and of G unless
            `g_learning_rate` is given.
        g_learning_rate: Adam learning rate of G; None: `learning_rate`.
        beta_1: Adam beta_1 of both models.
        beta_2: Adam beta_2 of both models.
        label_smoothing: one-sided smoothing; D's target for real images is
            `1 - label_smoothing` (ganhacks 6). Off (0) by default.
        label_flip: probability of swapping a sample's real/fake target in
            the D step (ganhacks 6). Off (0) by default.
        instance_noise: standard deviation of Gaussian noise added to every
            image D sees, decaying linearly to 0 over
            `instance_noise_iterations` (ganhacks 13). Off (0) by default.
        instance_noise_iterations: iterations over which the noise decays.
        d_steps: discriminator steps per generator step (ganhacks 14).
        ema: decay of an exponential moving average of G's weights,
            `generator_ema`, which `generate()` samples from (as BigGAN and
            StyleGAN do); after the t-th G update the decay is
            min(ema, (1 + t) / (10 + t)), a warm-up for short runs.
            None: sample from the trained G itself.
        seed: seeds weights, batches and noise, for reproducible runs.

    Example:
    >>> from odog import GAN
    >>> gan = GAN(dataset=np.zeros((64, 28, 28, 1), "float32"), seed=0)
    >>> gan.generate(2).shape
    (2, 28, 28, 1)
    """

    name = "base"
    # D's loss (compiled into `discriminator`, used by the default D step) and
    # G's loss through `combined` (None: the same as D's).
    loss = staticmethod(binary_crossentropy)
    generator_loss = None
    sample_grid = (5, 5)
    # The batch size `train()` uses when given none: the one the docs' numbers
    # were measured at.
    default_batch_size = 32
    # True when training batches carry class labels (conditional variants).
    uses_labels = False
    # True when D's output is an energy (low = real) rather than a score.
    lower_is_real = False
    # D's output above this counts as "real" in d_acc (0 for linear scores).
    decision_threshold = 0.5
    # True when G's loss scores its fakes against real images (relativistic and softmax losses): the G step's
    # input `z_g` is then `(z, real)`, with the last D step's real batch.
    generator_reads_real = False
    # Compile the step with XLA; a variant sets False where that measured slower. ODOG_JIT_COMPILE=0 turns it
    # off for every model built afterwards: short runs, dominated by XLA's compile time, start sooner.
    jit_compile = True

    def __new__(cls, *args, **kwargs):
        # Record the constructor arguments so that `save()` can rebuild the
        # same model, without every variant writing a `get_config()`.
        self = super().__new__(cls)
        signature = inspect.signature(cls.__init__)
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        self._config = {}
        for name, value in bound.arguments.items():
            kind = signature.parameters[name].kind
            if kind is inspect.Parameter.VAR_KEYWORD:
                self._config.update(value)
            elif name != "self":
                self._config[name] = value
        return self

    def __init__(
        self,
        dataset="mnist",
        *,
        latent_dim: int = 100,
        image_size: int | None = None,
        channels: int | None = None,
        max_images: int | None = None,
        learning_rate: float = 2e-4,
        g_learning_rate: float | None = None,
        beta_1: float = 0.5,
        beta_2: float = 0.999,
        label_smoothing: float = 0.0,
        label_flip: float = 0.0,
        instance_noise: float = 0.0,
        instance_noise_iterations: int = 5000,
        d_steps: int = 1,
        ema: float | None = 0.999,
        seed: int | None = None,
    ):
        check_number("latent_dim", latent_dim, integer=True, low=1)
        check_number("learning_rate", learning_rate, low=0, low_open=True)
        if g_learning_rate is not None:
            check_number("g_learning_rate", g_learning_rate, low=0, low_open=True)
        check_number("beta_1", beta_1, low=0, high=1, high_open=True)
        check_number("beta_2", beta_2, low=0, high=1, high_open=True)
        check_number("label_smoothing", label_smoothing, low=0, high=0.5)
        check_number("label_flip", label_flip, low=0, high=0.5)
        check_number("instance_noise", instance_noise, low=0)
        check_number("instance_noise_iterations", instance_noise_iterations, integer=True, low=1)
        check_number("d_steps", d_steps, integer=True, low=1)
        if ema is not None:
            check_number("ema", ema, low=0, high=1, low_open=True, high_open=True)
        if image_size is not None:
            check_number("image_size", image_size, integer=True, low=1)
        if channels is not None and channels not in (1, 3):
            raise ValueError(
                f"Invalid value received for argument `channels`. Expected 1 or 3. Received: channels={channels!r}"
            )
        if max_images is not None:
            check_number("max_images", max_images, integer=True, low=1)
        if seed is not None:
            check_number("seed", seed, integer=True, low=0)
        if isinstance(dataset, data_lib.ImageFolder):  # saved as its path: keep how it reads the folder
            image_size, channels, max_images = dataset.image_size, dataset.channels, dataset.max_images
            self.record_config(image_size=image_size, channels=channels, max_images=max_images)
        self.dataset = dataset
        self.img_shape = self.dataset_shape(dataset, image_size, channels)
        self.image_size, self.channels, self.max_images = image_size, channels, max_images
        self.latent_dim = latent_dim
        self.learning_rate, self.beta_1, self.beta_2 = learning_rate, beta_1, beta_2
        self.g_learning_rate = learning_rate if g_learning_rate is None else g_learning_rate
        self.label_smoothing, self.label_flip = label_smoothing, label_flip
        self.instance_noise = instance_noise
        self.instance_noise_iterations = instance_noise_iterations
        self.d_steps = d_steps
        self.ema = ema
        self.seed = seed
        if seed is not None:
            keras.utils.set_random_seed(seed)
        self.rng = np.random.default_rng(seed)
        # Where a streamed folder's shuffled passes start from and how far training has read them
        # (images), saved in checkpoints so that a resumed run reads on from there.
        self.stream_state = {"seed": int(self.rng.integers(2**31)) if seed is None else seed, "position": 0}
        self.seed_generator = keras.random.SeedGenerator(seed)
        if os.environ.get("ODOG_JIT_COMPILE", "1") == "0":
            self.jit_compile = False
        self.iteration = 0
        self.history: dict[str, list[float]] = {}
        self._data = None
        self._steps: dict = {}  # compiled train steps, by step_key
        self._device_data = None  # (training images, the variable holding them)
        self.last_checkpoint: tuple[str, int] | None = None  # (path, iteration) of the last save or load
        # Set by a callback (keras.callbacks.TerminateOnNaN, EarlyStopping, ...) to end `train()`.
        self.stop_training = False

        # Under a mixed precision policy the models compute in bfloat16 / float16 and their outputs, the
        # losses, penalties and the EMA stay float32.
        self.generator = float32_outputs(self.build_generator())
        self.discriminator = float32_outputs(self.build_discriminator())
        self.generator_ema = None
        if ema:
            self.generator_ema = float32_outputs(self.build_generator())
            self.generator_ema.set_weights(self.generator.get_weights())
            self.generator_ema.trainable = False
        backend.synchronize([self.generator, self.discriminator])
        # The validity output (the first) reports accuracy; other heads, their loss.
        outputs = len(self.discriminator.outputs)
        self.discriminator.compile(
            optimizer=self.build_optimizer("discriminator"),
            loss=self.loss,
            metrics=[binary_accuracy] if outputs == 1 else [[binary_accuracy]] + [[]] * (outputs - 1),
        )
        self.combined = self.build_combined()
        self.combined.compile(optimizer=self.build_optimizer("generator"), loss=self.combined_loss)
        # Bind each optimizer to its own model's variables now: a Keras 3
        # optimizer keeps the variables it first sees.
        self.d_optimizer.build(self.discriminator.trainable_variables)
        with frozen(self.discriminator):
            self.g_optimizer.build(self.combined.trainable_variables)

    @classmethod
    def dataset_shape(cls, dataset, image_size: int | None = None, channels: int | None = None) -> tuple:
        """The shape of one training example of `dataset`, without loading it
        (a translation model's joins its two domains)."""
        return data_lib.image_shape(dataset, image_size, channels)

    # ------------------------------------------------------------------
    # What a variant writes.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        """Returns the generator, mapping z of shape (latent_dim,) to images."""
        raise NotImplementedError(f"{type(self).__name__} must implement build_generator().")

    def build_discriminator(self) -> keras.Model:
        """Returns the discriminator, mapping images to one validity value."""
        raise NotImplementedError(f"{type(self).__name__} must implement build_discriminator().")

    def build_optimizer(self, role: str) -> keras.optimizers.Optimizer:
        """A fresh optimizer for "discriminator" or "generator"."""
        return keras.optimizers.Adam(self.learning_rate_of(role), beta_1=self.beta_1, beta_2=self.beta_2)

    def learning_rate_of(self, role: str) -> float:
        """`learning_rate` for "discriminator", `g_learning_rate` for "generator"."""
        return self.learning_rate if role == "discriminator" else self.g_learning_rate

    def build_combined(self) -> keras.Model:
        """The model through which G trains: `D(G(z))` with D frozen."""
        return CombinedModel(self.generator, self.discriminator)

    @property
    def combined_loss(self):
        """G's loss through `combined`: `generator_loss`, else `loss`."""
        return self.generator_loss or self.loss

    @property
    def d_optimizer(self) -> keras.optimizers.Optimizer:
        return self.discriminator.optimizer

    @property
    def g_optimizer(self) -> keras.optimizers.Optimizer:
        return self.combined.optimizer

    # ------------------------------------------------------------------
    # The training step.
    # ------------------------------------------------------------------
    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        """D's loss on a real batch and a generated batch, to be minimized.

        Real and generated images go through D as separate batches (ganhacks
        4); the loss is the mean of the two. A variant with another objective
        (a critic, an energy, a penalty) overrides this method; the step that
        takes its gradient, updates D and leaves G alone stays the same.

        Returns:
            `(loss, logs)`: a scalar tensor and a dict of scalar tensors to
            report: d_loss, d_loss_real, d_loss_fake, d_acc, d_real (mean
            D(x)) and d_fake (mean D(G(z))).
        """
        d = self.discriminator
        pred_real = d(real, training=True)
        pred_fake = d(fake, training=True)
        loss_real = self.loss(real_targets, pred_real)
        loss_fake = self.loss(fake_targets, pred_fake)
        accuracy = 0.5 * (
            binary_accuracy(ops.ones_like(pred_real), pred_real, self.decision_threshold)
            + binary_accuracy(ops.zeros_like(pred_fake), pred_fake, self.decision_threshold)
        )
        loss = 0.5 * (loss_real + loss_fake)
        logs = {
            "d_loss": loss,
            "d_loss_real": loss_real,
            "d_loss_fake": loss_fake,
            "d_acc": accuracy,
            "d_real": ops.mean(pred_real),
            "d_fake": ops.mean(pred_fake),
        }
        return loss, logs

    def generator_objective(self, z) -> tuple:
        """G's loss on noise `z`, through `combined`; called with D frozen.

        Returns:
            `(loss, logs)`, logs holding g_loss.
        """
        validity = self.combined(z, training=True)
        loss = self.combined_loss(ops.ones_like(validity), validity)
        return loss, {"g_loss": loss}

    def discriminator_step(self, real, fake, real_targets, fake_targets) -> dict:
        """One update of D's trainable variables by `discriminator_objective`.

        Returns:
            The objective's logs.
        """
        variables = self.discriminator.trainable_variables
        objective = lambda: self.discriminator_objective(real, fake, real_targets, fake_targets)  # noqa: E731
        grads, logs = backend.gradients(_scaled(objective, self.d_optimizer), variables)
        backend.apply_gradients(self.d_optimizer, grads, variables)
        return logs

    def generator_step(self, z) -> dict:
        """One update of G by `generator_objective`, with D frozen.

        Returns:
            The objective's logs.
        """
        with frozen(self.discriminator):
            variables = self.combined.trainable_variables
            grads, logs = backend.gradients(_scaled(lambda: self.generator_objective(z), self.g_optimizer), variables)
            backend.apply_gradients(self.g_optimizer, grads, variables)
        return logs

    @property
    def trains_discriminator(self) -> bool:
        """Whether this iteration's step updates D (ESRGAN's first stage trains G alone)."""
        return True

    def train_step(self, real, z_d, z_g, real_targets, fake_targets, noise_std) -> dict:
        """`d_steps` discriminator steps, then one generator step.

        Traced once and compiled by `train_on_batch`; every argument is a
        tensor (or, for conditional variants, a list of tensors), so changing
        batches never retraces. `real`, `z_d` and the targets carry one
        leading entry per discriminator step.
        """
        logs = {}
        shard = backend.shard_batch  # each device's share of every batch, on several devices
        for i in range(self.d_steps if self.trains_discriminator else 0):
            latent = shard(_take(z_d, i))
            fake = self.discriminator_fakes(latent)
            logs = self.discriminator_step(
                self._add_instance_noise(shard(_take(real, i)), noise_std),
                self._add_instance_noise(self.discriminator_input(fake, latent), noise_std),
                shard(real_targets[i]),
                shard(fake_targets[i]),
            )
        logs.update(self.generator_step(shard(z_g)))
        if self.generator_ema is not None:
            self.update_ema()
        return logs

    def discriminator_fakes(self, latent):
        """The generated batch of a D step, from G's input `latent`.

        G runs in inference mode, as Keras-GAN's `generator.predict` did, so
        the D step leaves G bit-identical. A translation model returns its
        fakes joined with their inputs, or drawn from a pool of past fakes.
        """
        return self.generator(latent, training=False)

    def update_ema(self) -> None:
        """Moves `generator_ema` towards G, after a G update (in the step)."""
        t = ops.cast(self.g_optimizer.iterations, "float32")
        decay = ops.minimum(self.ema, (1.0 + t) / (10.0 + t))
        for average, variable in zip(self.generator_ema.variables, self.generator.variables, strict=True):
            if "float" in str(variable.dtype):  # weights and BN statistics, not RNG states
                average.assign(decay * average + (1.0 - decay) * variable)

    def _add_instance_noise(self, inputs, std):
        if not self.instance_noise:
            return inputs
        if isinstance(inputs, (list, tuple)):  # [images, condition]: noise on the images only
            return [self._add_instance_noise(inputs[0], std), *inputs[1:]]
        return inputs + std * keras.random.normal(ops.shape(inputs), seed=self.seed_generator)

    def step_variables(self) -> list:
        """Every variable the compiled step reads or assigns.

        The models', the optimizers', the seed generator's and a variant's
        own (`variable_groups()`), plus those of `constant_models()`. JAX
        compiles the step as a pure function of their values.
        """
        variables = [v for group in self.variable_groups().values() for v in group]
        variables += [v for model in self.constant_models() for v in model.variables]
        return variables

    def constant_models(self) -> list[keras.Model]:
        """Models the step calls but never trains or saves (SRGAN's VGG features)."""
        return []

    def train_on_batch(
        self, images: np.ndarray, labels: np.ndarray | None = None, *, record: bool = True
    ) -> dict[str, float]:
        """Runs one training iteration on a batch of real images.

        Args:
            images: float32 images in [-1, 1] of shape (N, *img_shape); with
                `d_steps > 1`, N holds one batch per discriminator step.
            labels: the images' class labels, for variants that use them
                (`uses_labels`).
            record: count the iteration and append its logs to `history`
                (`record()`); False returns the logs as tensors, uncounted.

        Returns:
            The iteration's losses and statistics as floats (also appended
            to `history`).
        """
        images = np.asarray(images, dtype="float32")
        if images.ndim != 4 or images.shape[1:] != tuple(self.img_shape) or len(images) % self.d_steps:
            raise ValueError(
                f"Expected a batch of images of shape (N, {', '.join(map(str, self.img_shape))}) "
                f"with N a multiple of d_steps={self.d_steps}. Received: "
                f"images.shape={images.shape}"
            )
        batch = len(images) // self.d_steps
        if self.uses_labels:
            labels = self.check_labels(labels, len(images))
            labels = labels.reshape((self.d_steps, batch) + labels.shape[1:])
        elif labels is not None:
            raise ValueError(f"{type(self).__name__} is not conditional: call train_on_batch(images) without labels.")
        real = images.reshape((self.d_steps, batch) + images.shape[1:])
        logs = self.compiled_step(**self.step_inputs(real, labels))
        return self.record(logs) if record else logs

    def record(self, logs: dict) -> dict[str, float]:
        """Counts one iteration and appends its logs, as floats, to `history`."""
        logs = {key: float(value) for key, value in logs.items()}
        self.iteration += 1
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)
        return logs

    # ------------------------------------------------------------------
    # Batches drawn on the device.
    # ------------------------------------------------------------------
    @property
    def can_sample_on_device(self) -> bool:
        """Whether batches, noise and targets can be drawn inside the compiled step.

        True when the variant keeps BaseGAN's input hooks (G reads noise from
        `latent()`, D reads the images as they are): the training set can then
        be held on the device as a variable, and an iteration leaves no work
        on the host (`train_on_device`). Variants that prepare inputs on the
        host (conditions, pyramids, downscaled images) train through
        `train_on_batch`. `train()` samples on the device on JAX, and on every
        backend with `steps_per_execution` > 1; on TensorFlow one iteration per
        call draws on the host, because XLA's random numbers on the CPU cost
        more than the whole host side (docs/backends.md).
        """
        hooks = ("latent", "sample_noise", "real_input", "generator_inputs", "step_inputs")
        return not self.uses_labels and all(getattr(type(self), h) is getattr(BaseGAN, h) for h in hooks)

    def device_inputs(self, images, iteration, batch_size: int) -> dict:
        """`step_inputs()` drawn on the device with `keras.random`, for iteration `iteration`.

        Args:
            images: the training set, a tensor or variable (N, *img_shape).
            iteration: the iteration's number, a scalar tensor (it sets the
                decay of the instance noise).
            batch_size: real images per D step.
        """
        steps, seed = self.d_steps, self.seed_generator
        index = keras.random.randint((steps, batch_size), 0, ops.shape(images)[0], seed=seed)
        real_targets = ops.full((steps, batch_size, 1), 1.0 - self.label_smoothing)
        fake_targets = ops.zeros((steps, batch_size, 1))
        if self.label_flip:
            flip = keras.random.uniform((steps, batch_size, 1), seed=seed) < self.label_flip
            real_targets, fake_targets = (
                ops.where(flip, fake_targets, real_targets),
                ops.where(flip, real_targets, fake_targets),
            )
        decay = ops.maximum(0.0, 1.0 - ops.cast(iteration, "float32") / self.instance_noise_iterations)
        real = ops.take(images, index, axis=0)
        z_g = keras.random.normal((batch_size, self.latent_dim), seed=seed)
        return {
            "real": real,
            "z_d": keras.random.normal((steps, batch_size, self.latent_dim), seed=seed),
            "z_g": (z_g, real[-1]) if self.generator_reads_real else z_g,
            "real_targets": real_targets,
            "fake_targets": fake_targets,
            "noise_std": self.instance_noise * decay,
        }

    def device_data(self, images: np.ndarray) -> keras.Variable:
        """The training images as a non-trainable variable, made once per array."""
        if self._device_data is None or self._device_data[0] is not images:
            variable = keras.Variable(images, trainable=False, name="training_images")
            self._device_data = (images, variable)
        return self._device_data[1]

    def train_on_device(self, images: keras.Variable, batch_size: int, iterations: int = 1) -> list[dict]:
        """Runs `iterations` training iterations in one compiled call, drawing batches on the device.

        Only for variants that `can_sample_on_device`. The iterations are not yet
        counted: `record()` each of the returned logs (`train()` does).

        Args:
            images: the training set as a non-trainable variable (N, *img_shape).
            batch_size: real images per D step.
            iterations: iterations in the call (`train(steps_per_execution=)`).

        Returns:
            One dict of tensors per iteration.
        """
        key = ("device", self.step_key, batch_size, iterations)
        step = self._steps.get(key)
        if step is None:

            def device_step(iteration):
                return self.train_step(**self.device_inputs(images, iteration, batch_size))

            variables = [*self.step_variables(), images]
            step = self._steps[key] = backend.compile_function(device_step, variables, self.jit_compile, iterations)
        first = np.float32(self.iteration)
        if iterations == 1:
            return [step(first)]
        logs = step(first + np.arange(iterations, dtype="float32"))
        logs = {k: ops.convert_to_numpy(v) for k, v in logs.items()}
        return [{k: v[i] for k, v in logs.items()} for i in range(iterations)]

    # What Keras callbacks read of a model besides `stop_training` and `optimizer`:
    # TensorBoard draws `train_function`'s graph when it is a Keras one; odog's is `compiled_step`.
    train_function = None

    @property
    def compiled_step(self):
        """The compiled `train_step` for the current `step_key` (compiled on first use)."""
        step = self._steps.get(self.step_key)
        if step is None:
            step = backend.compile_function(self.train_step, self.step_variables(), self.jit_compile)
            self._steps[self.step_key] = step
        return step

    @property
    def optimizer(self) -> keras.optimizers.Optimizer:
        """G's optimizer: what Keras callbacks read as `model.optimizer` (its
        `iterations` count G updates, one per training iteration)."""
        return self.g_optimizer

    @property
    def step_key(self):
        """What `train_step` reads from Python state besides its tensor arguments.

        The step is traced once per value: a variant whose step changes with
        training (ESRGAN's stages) returns that state here, and each value
        gets its own compiled step. None for a step that never changes.
        """
        return None

    def step_inputs(self, real: np.ndarray, labels: np.ndarray | None = None) -> dict:
        """The compiled step's arguments for a batch of real images, shape
        (d_steps, batch, *img_shape)."""
        steps, batch = real.shape[:2]
        real_targets = np.full((steps, batch, 1), 1.0 - self.label_smoothing, "float32")
        fake_targets = np.zeros((steps, batch, 1), "float32")
        if self.label_flip:
            flip = self.rng.random((steps, batch, 1)) < self.label_flip
            real_targets, fake_targets = (
                np.where(flip, fake_targets, real_targets),
                np.where(flip, real_targets, fake_targets),
            )
        decay = max(0.0, 1.0 - self.iteration / self.instance_noise_iterations)
        z_d, z_g = self.generator_inputs(real, labels)
        return {
            "real": self.real_input(real, labels),
            "z_d": z_d,
            "z_g": z_g,
            "real_targets": real_targets,
            "fake_targets": fake_targets,
            "noise_std": np.float32(self.instance_noise * decay),
        }

    def generator_inputs(self, real: np.ndarray, labels: np.ndarray | None = None) -> tuple:
        """G's inputs for an iteration: `(z_d, z_g)`, one batch per D step and one for the G step.

        Noise (and conditions) from `latent()` by default. Variants whose G
        input comes from the real batch (super-resolution, pyramids) derive
        it from `real` (d_steps, batch, *img_shape) here.
        """
        steps, batch = real.shape[:2]
        z_g = self.latent((batch,))
        return self.latent((steps, batch)), (z_g, real[-1]) if self.generator_reads_real else z_g

    # ------------------------------------------------------------------
    # What G and D take. A conditional variant makes these [tensor, condition].
    # ------------------------------------------------------------------
    def latent(self, shape: tuple, rng: np.random.Generator | None = None, labels: np.ndarray | None = None):
        """G's input for a batch of `shape`: the noise z (and, in conditional
        variants, the condition for `labels`, random when None)."""
        return self.sample_noise(shape, rng)

    def real_input(self, images: np.ndarray, labels: np.ndarray | None):
        """What D's step receives for real images (conditional: with labels)."""
        return images

    def discriminator_input(self, fake, latent):
        """What D's step receives for images G made from `latent`."""
        return fake

    def check_labels(self, labels, n: int) -> np.ndarray:
        """Validated integer labels; only conditional variants take labels."""
        raise ValueError(f"{type(self).__name__} is not conditional and takes no labels.")

    def sample_noise(self, shape: tuple, rng: np.random.Generator | None = None) -> np.ndarray:
        """Latent vectors z ~ N(0, 1) of shape `shape + (latent_dim,)`."""
        rng = self.rng if rng is None else rng
        return rng.standard_normal(tuple(shape) + (self.latent_dim,), dtype="float32")

    # ------------------------------------------------------------------
    # Data and the loop.
    # ------------------------------------------------------------------
    @property
    def data(self) -> "data_lib.Dataset | data_lib.ImageFolder":
        """The training data, loaded (and validated) on first use."""
        if self._data is None:
            loaded = self.load_data()
            if loaded.shape != tuple(self.img_shape):
                raise ValueError(
                    f"The dataset's images have shape {loaded.shape}, but this "
                    f"{type(self).__name__} was built for {tuple(self.img_shape)}."
                )
            self._data = loaded
        return self._data

    @property
    def data_loaded(self) -> bool:
        """Whether `data` has been loaded already (it loads on first use)."""
        return self._data is not None

    def load_data(self) -> "data_lib.Dataset | data_lib.ImageFolder":
        """Loads `dataset`; a variant with data of its own kind (tagged folders) overrides it."""
        return data_lib.load(self.dataset, self.image_size, self.channels, self.max_images)

    def train(
        self,
        epochs: int,
        batch_size: int | None = None,
        sample_interval: int | None = None,
        *,
        out_dir: str | None = None,
        checkpoint_interval: int | None = None,
        callbacks: list | None = None,
        steps_per_epoch: int | None = None,
        steps_per_execution: int = 1,
        verbose: int = 1,
    ) -> dict[str, list[float]]:
        """Trains for `epochs` iterations, continuing from `self.iteration`.

        As in ODOG and Keras-GAN, one "epoch" is one training iteration on
        one random batch (sampled with replacement), not a pass over the data.
        The loop is `odog.training.fit`: it calls Keras callbacks as `fit()`
        does, and the keywords below add odog's own (`odog.callbacks`).

        Args:
            epochs: number of iterations to run.
            batch_size: real images per discriminator step; None: the
                variant's `default_batch_size` (32; InfoGAN's is 64).
            sample_interval: every this many iterations, write a sample grid
                to `out_dir/images/<iteration>.png`; a loss plot
                `out_dir/history.png` is written at the end. None: no images.
            out_dir: folder for images and checkpoints (`runs/<name>`).
            checkpoint_interval: every this many iterations, at the end and
                on Ctrl-C, save a checkpoint to `out_dir` (atomically).
                None: no saving.
            callbacks: `keras.callbacks.Callback` objects (`CSVLogger`,
                `TensorBoard`, `TerminateOnNaN`, your own); they receive this
                GAN as `self.model`, and setting `stop_training = True` on it
                ends training after the current iteration.
            steps_per_epoch: iterations per callback "epoch": the interval of
                `on_epoch_end`, which gets the epoch's mean logs. None: one
                pass over the training data (`len(data) // batch_size`
                iterations, at least 1).
            steps_per_execution: iterations per compiled call, as in Keras'
                `compile(steps_per_execution=)`: fewer calls, less overhead per
                iteration. For variants that `can_sample_on_device` (the others
                prepare inputs on the host and need 1). A call never crosses a
                grid, checkpoint or epoch boundary, so saves stay exact;
                callbacks see each iteration's logs after the call that ran it.
            verbose: 1 shows a progress bar with the current losses.

        Returns:
            The history: per-iteration d_loss_real, d_loss_fake, d_loss,
            d_acc, g_loss, d_real (mean D(x)) and d_fake (mean D(G(z))).

        Example:
        >>> from odog import GAN
        >>> gan = GAN(dataset=np.zeros((64, 28, 28, 1), "float32"), seed=0)
        >>> history = gan.train(epochs=3, batch_size=8, verbose=0)
        >>> len(history["g_loss"]), gan.iteration
        (3, 3)
        """
        return training.fit(
            self,
            epochs,
            batch_size=batch_size,
            sample_interval=sample_interval,
            out_dir=out_dir,
            checkpoint_interval=checkpoint_interval,
            callbacks=callbacks,
            steps_per_epoch=steps_per_epoch,
            steps_per_execution=steps_per_execution,
            verbose=verbose,
        )

    # ------------------------------------------------------------------
    # Sampling.
    # ------------------------------------------------------------------
    # Names of the conditions `generate()` takes besides n, seed and ema
    # (("labels",) for CGAN); the same names on every variant.
    conditions: tuple[str, ...] = ()

    def generate(self, n: int, *, seed: int | None = None, ema: bool = True, **conditions) -> np.ndarray:
        """Generates `n` images.

        Args:
            n: number of images.
            seed: seed of the noise (and of random conditions), for
                repeatable samples.
            ema: sample from `generator_ema` when the model keeps one;
                False samples from the trained `generator` itself.
            **conditions: what a conditional variant draws, by the names in
                its `conditions`: `labels=` (CGAN, ACGAN), `code=` and
                `continuous=` (InfoGAN), `tags=` (TagGAN).

        Returns:
            float32 array in [-1, 1] of shape (n, *img_shape).

        Example:
        >>> from odog import GAN
        >>> gan = GAN(dataset=np.zeros((8, 28, 28, 1), "float32"))
        >>> x = gan.generate(4, seed=0)
        >>> x.shape, x.dtype, bool(abs(x).max() <= 1)
        ((4, 28, 28, 1), dtype('float32'), True)
        >>> gan.generate(4, labels=7)
        Traceback (most recent call last):
        ...
        ValueError: GAN takes no condition `labels`: it generates from noise alone.
        """
        check_number("n", n, integer=True, low=1)
        self.check_conditions(conditions)
        return self.generate_from(self.generation_input(n, np.random.default_rng(seed), **conditions), ema)

    def check_conditions(self, conditions: dict) -> None:
        """Refuses a condition this variant does not take (by the names in `conditions`)."""
        unknown = [name for name in conditions if name not in self.conditions]
        if unknown:
            takes = f"its conditions are {', '.join(map(repr, self.conditions))}" if self.conditions else None
            raise ValueError(
                f"{type(self).__name__} takes no condition `{unknown[0]}`: {takes or 'it generates from noise alone'}."
            )

    def generation_input(self, n: int, rng: np.random.Generator, **conditions):
        """G's input for `generate(n, **conditions)`: `latent((n,))`; conditional
        variants check and encode their conditions here."""
        return self.latent((n,), rng)

    def sampler(self, ema: bool = True) -> keras.Model:
        """The generator that samples: `generator_ema` when `ema` and the model keeps one, else `generator`."""
        return self.generator_ema if ema and self.generator_ema is not None else self.generator

    def generate_from(self, latent, ema: bool = True) -> np.ndarray:
        """Images from explicit generator inputs, as `latent()` returns them."""
        generator = self.sampler(ema)
        # On several devices every batch must split evenly: pad with copies of the first input.
        n, k = len(keras.tree.flatten(latent)[0]), backend.replicas()
        padded = keras.tree.map_structure(lambda x: np.concatenate([x, np.repeat(x[:1], -n % k, 0)]), latent)
        images = generator.predict(padded, batch_size=256 // k * k, verbose=0)[:n].astype("float32")
        if not np.isfinite(images).all():
            group = "generator_ema" if generator is self.generator_ema else "generator"
            named = self.named_variables().items()
            bad = checkpoint.nonfinite({k: ops.convert_to_numpy(v) for k, v in named if k.startswith(f"{group}/")})
            where = f": {len(bad)} of its variables hold NaN or infinite values (e.g. `{min(bad)}`)" if bad else ""
            raise TrainingDivergedError(
                f"{type(self).__name__}'s {group} produced NaN or infinite images{where}: training diverged. "
                f"{restart_point(self)}."
            )
        return images

    # False for variants whose G reads images, not noise (super-resolution, translation): no latent space to walk.
    interpolates = True

    def interpolate(
        self,
        steps: int = 10,
        *,
        walks: int = 1,
        seed: int | None = None,
        method: str = "slerp",
        ema: bool = True,
        **conditions,
    ) -> np.ndarray:
        """Images along straight or great-circle paths between two random points of the latent space.

        Each walk draws two noise vectors and generates `steps` images from
        the first to the second; the conditions (a class, tags, InfoGAN's
        codes) stay those of the walk's start, so a conditional walk changes
        the style and keeps the class. Spherical interpolation ("slerp",
        White 2016) keeps the noise at the norm the generator saw in
        training, where a straight line passes through unlikely small
        vectors halfway.

        Args:
            steps: images per walk, both ends included (>= 2).
            walks: independent walks (rows of a grid).
            seed: seed of the end points (and of random conditions).
            method: "slerp" or "linear".
            ema: sample from `generator_ema` when the model keeps one.
            **conditions: one condition per walk or one for all, by the names
                `generate()` takes (`labels=7`, `tags="red circle"`, `code=3`).

        Returns:
            float32 images in [-1, 1], (walks * steps, *img_shape), walk by
            walk (`odog.viz.image_grid(images, rows=walks)`; `odog.viz.save_gif`
            of the columns animates them).

        Example:
        >>> from odog import GAN
        >>> gan = GAN(dataset=np.zeros((8, 28, 28, 1), "float32"), seed=0)
        >>> gan.interpolate(5, walks=2, seed=0).shape
        (10, 28, 28, 1)
        >>> gan.interpolate(5, method="cubic")
        Traceback (most recent call last):
        ...
        ValueError: Invalid value received for argument `method`. Expected 'slerp' or 'linear'. Received: 'cubic'
        """
        if not self.interpolates:
            raise ValueError(
                f"{type(self).__name__}'s generator reads images, not noise: it has no latent space to walk."
            )
        check_number("steps", steps, integer=True, low=2)
        check_number("walks", walks, integer=True, low=1)
        if method not in ("slerp", "linear"):
            raise ValueError(
                f"Invalid value received for argument `method`. Expected 'slerp' or 'linear'. Received: {method!r}"
            )
        self.check_conditions(conditions)
        ends = self.generation_input(2 * walks, np.random.default_rng(seed), **conditions)
        noise, _ = self.split_noise(ends)
        fractions = np.linspace(0.0, 1.0, steps, dtype="float32")

        def walk(x):
            x = np.asarray(x, "float32").reshape((walks, 2) + x.shape[1:])
            return _walk(x[:, 0], x[:, 1], fractions, method).reshape((walks * steps,) + x.shape[2:])

        starts = keras.tree.map_structure(lambda x: np.repeat(np.asarray(x)[::2], steps, axis=0), ends)
        _, rebuild = self.split_noise(starts)
        return self.generate_from(rebuild(keras.tree.map_structure(walk, noise)), ema)

    def split_noise(self, latent) -> tuple:
        """`(noise, rebuild)`: the random part of G's input `latent`, and a function that returns `latent`
        with another noise in its place. Conditional variants keep their conditions out of the noise."""
        return latent, lambda noise: noise

    def real_samples(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """`n` training images drawn by `rng`, what `generate()` imitates (for pictures of real vs generated)."""
        return self.data.take(rng.choice(len(self.data), n, replace=n > len(self.data)))

    def discriminate(self, images: np.ndarray) -> np.ndarray:
        """D's output for each image, shape (N,): a validity score, or an
        energy when `lower_is_real`."""
        images = np.asarray(images, dtype="float32")
        scores = self.discriminator.predict(images, batch_size=256, verbose=0)
        if isinstance(scores, list):  # a D with heads besides validity (InfoGAN's code, SS-GAN's rotation): its first
            scores = scores[0]
        return scores.reshape(len(images), -1).mean(axis=1)

    def sample_images(self, path) -> Path:
        """Writes a grid of samples from fixed noise (seed 0) to `path`."""
        rows, cols = self.sample_grid
        return viz.save_grid(self.generate(rows * cols, seed=0), path, rows=rows)

    # ------------------------------------------------------------------
    # Saving and loading.
    # ------------------------------------------------------------------
    def variable_groups(self) -> dict[str, list]:
        """The variables a checkpoint holds, by group; a variant with
        variables of its own (BEGAN's k_t) adds a group."""
        return {
            "generator": self.generator.variables,
            "generator_ema": self.generator_ema.variables if self.generator_ema is not None else [],
            "discriminator": self.discriminator.variables,
            "d_optimizer": self.d_optimizer.variables,
            "g_optimizer": self.g_optimizer.variables,
            "seed_generator": [self.seed_generator.state],
        }

    def named_variables(self) -> dict[str, keras.Variable]:
        """Every saved variable by its checkpoint path, e.g.
        `generator/00-Dense/0-kernel` (`odog.checkpoint.variable_paths`);
        a variant's models likewise (BicycleGAN's `encoder`); optimizer slots
        and other groups by their position, `d_optimizer/3`."""
        models = {"generator": self.generator, "generator_ema": self.generator_ema, "discriminator": self.discriminator}
        named = {}
        for group, variables in self.variable_groups().items():
            model = models.get(group, getattr(self, group, None))  # a variant's own models (an encoder) too
            if isinstance(model, keras.Model):
                named.update({f"{group}/{path}": v for path, v in checkpoint.variable_paths(model)})
            else:
                named.update({f"{group}/{i}": v for i, v in enumerate(variables)})
        return named

    def record_config(self, **values) -> None:
        """Records values that `save()` stores with the constructor arguments,
        for arguments a variant derives from its data (a saved model is rebuilt
        without its data)."""
        self._config.update(values)

    def get_config(self) -> dict:
        """The constructor arguments, JSON-serializable (arrays become None)."""
        return {k: _jsonable(v) for k, v in self._config.items()}

    def save(self, path) -> Path:
        """Saves models, optimizer states, iteration, history and config.

        The checkpoint is one file, `path/checkpoint.npz`, replaced
        atomically: an interrupted save leaves the previous one intact.
        Variables are stored as numpy arrays under their paths
        (`named_variables()`), so a checkpoint written on one Keras backend
        loads on another.

        Returns:
            The checkpoint file's path.

        Raises:
            TrainingDivergedError: a weight or optimizer state is NaN or
                infinite; nothing is written.
            OSError: the file could not be written (it names the file); the
                previous checkpoint is intact.
        """
        arrays = {name: np.asarray(ops.convert_to_numpy(v)) for name, v in self.named_variables().items()}
        bad = checkpoint.nonfinite(arrays)
        if bad:
            raise TrainingDivergedError(
                f"Not saved to {path}: at iteration {self.iteration} {len(bad)} of the model's variables hold NaN "
                f"or infinite values (e.g. `{next(iter(bad))}`): training diverged. {restart_point(self)}, "
                "and lower the learning rate or enable label_smoothing / instance_noise."
            )
        arrays.update({f"history/{k}": np.asarray(v, "float64") for k, v in self.history.items()})
        rng_state = backend.global_rng_state()
        if rng_state is not None:
            arrays[f"{checkpoint.RNG_GROUP}/{keras.backend.backend()}"] = rng_state
        meta = {**self._header(), "rng": self.rng.bit_generator.state, "stream": self.stream_state}
        file = checkpoint.save(path, arrays, meta)
        self.last_checkpoint = (str(path), self.iteration)
        return file

    @classmethod
    def load(cls, path, dataset=None) -> "BaseGAN":
        """Rebuilds a saved GAN; `train()` then continues where it stopped.

        Loading never needs the training data: a model trained on arrays or
        on an image folder that has since moved generates as before, and
        asks for the data only when training continues.

        A file of `save_generator()` (a pretrained generator) loads too, with
        a new discriminator and new optimizer states: it generates as saved,
        and `train()` from it fine-tunes rather than resumes.

        Args:
            path: the folder given to `save()` (or its checkpoint file).
            dataset: the training data, to continue training when the model
                was trained on in-memory arrays or a folder that moved.

        Raises:
            FileNotFoundError: no checkpoint at `path`.
            odog.checkpoint.CheckpointError: the file is damaged, holds
                non-finite weights, or does not fit this class.
        """
        arrays, meta = checkpoint.load(path)
        file = checkpoint.checkpoint_file(path)
        cls = _saved_class(cls, meta["variant"], file)
        if meta.get("generator_only"):
            return cls._load_generator(arrays, meta, dataset, file)
        weights = checkpoint.state_arrays(arrays)
        bad = checkpoint.nonfinite(weights)
        if bad:
            raise checkpoint.CheckpointError(
                f"The checkpoint {file} holds NaN or infinite values in {len(bad)} variables (e.g. "
                f"`{next(iter(bad))}`): it was saved after training diverged. Load an earlier checkpoint, or retrain "
                "with a lower learning rate."
            )
        config = _saved_config(cls, meta, dataset, file)
        try:
            gan = cls(**config)
        except (TypeError, ValueError) as error:  # an argument this class does not take, or a value it refuses
            raise checkpoint.CheckpointError(
                f"The checkpoint {file} holds a configuration {cls.__name__} cannot be built from ({error}): it was "
                "written by another version of odog, or its header was edited."
            ) from error
        gan._restore(weights, meta.get("format", 1), file)
        try:
            gan.rng.bit_generator.state = meta["rng"]
        except (KeyError, TypeError, ValueError) as error:
            raise checkpoint.CheckpointError(
                f"The checkpoint {file} has a damaged header: its random state `rng` is missing or invalid "
                f"({type(error).__name__}: {error}). Load an earlier copy of the run folder, or retrain."
            ) from error
        gan.iteration = meta["iteration"]
        gan.stream_state = dict(meta.get("stream", gan.stream_state))  # older checkpoints have none
        gan.history = {k.split("/", 1)[1]: v.tolist() for k, v in arrays.items() if k.startswith("history/")}
        rng_state = arrays.get(
            f"{checkpoint.RNG_GROUP}/{keras.backend.backend()}"
        )  # a run saved on another backend has none
        if rng_state is not None:
            backend.set_global_rng_state(rng_state)
        gan.last_checkpoint = (str(path), gan.iteration)
        return gan

    @classmethod
    def _load_generator(cls, arrays: dict, meta: dict, dataset, file: Path) -> "BaseGAN":
        bad = checkpoint.nonfinite(arrays)
        if bad:
            raise checkpoint.CheckpointError(
                f"The generator file {file} holds NaN or infinite values (`{next(iter(bad))}`)."
            )
        config = _saved_config(cls, meta, dataset, file)
        gan = cls(**config)
        gan._restore_generator(arrays, file)
        gan.iteration = meta["iteration"]
        gan.last_checkpoint = (str(file.parent), gan.iteration)
        return gan

    def _restore(self, stored: dict, version: int, path) -> None:
        if version == 1:  # by position within each group
            named = {f"{group}/{i}": v for group, vs in self.variable_groups().items() for i, v in enumerate(vs)}
        else:
            named = self.named_variables()
        _assign(named, stored, path, type(self).__name__)

    def save_generator(self, path, dtype: str = "float16") -> Path:
        """Saves the generator alone, to share: the network `generate()` draws with (its EMA copy if any).

        The file, `path/checkpoint.npz`, written atomically as `save()` writes,
        holds the generator's variables in `dtype` (float16 halves the size;
        samples move by about 1e-3) and the configuration, and no
        discriminator or optimizer state. `odog.load` reads it back; the
        generators of `odog.pretrained` are such files.

        Example:
        >>> import tempfile, odog
        >>> gan = odog.GAN(dataset=np.zeros((8, 8, 8, 1), "uint8"), seed=0)
        >>> file = gan.save_generator(tempfile.mkdtemp())
        >>> again = odog.load(file.parent)
        >>> bool(np.abs(again.generate(2, seed=1) - gan.generate(2, seed=1)).max() < 1e-2)
        True
        """
        generator = self.generator_ema if self.generator_ema is not None else self.generator
        arrays = {}
        for name, variable in checkpoint.variable_paths(generator):
            value = np.asarray(ops.convert_to_numpy(variable))
            arrays[f"generator/{name}"] = value.astype(dtype) if value.dtype.kind == "f" else value
        bad = checkpoint.nonfinite(arrays)
        if bad:
            raise TrainingDivergedError(
                f"Not saved to {path}: {len(bad)} of the generator's variables hold NaN or infinite values in "
                f"{dtype} (e.g. `{next(iter(bad))}`). Save in float32, or from an earlier checkpoint."
            )
        return checkpoint.save(path, arrays, {**self._header(), "generator_only": True})

    def _header(self) -> dict:
        """What every checkpoint file says of its model: variant, configuration, iteration, versions."""
        return {
            "variant": self.name,
            "format": checkpoint.FORMAT,
            "config": self.get_config(),
            "img_shape": list(self.img_shape),
            "iteration": self.iteration,
            "keras_version": keras.__version__,
            "backend": keras.backend.backend(),
        }

    def _restore_generator(self, stored: dict, path) -> None:
        named = {f"generator/{name}": v for name, v in checkpoint.variable_paths(self.generator)}
        _assign(named, stored, path, type(self).__name__)
        if self.generator_ema is not None:
            self.generator_ema.set_weights(self.generator.get_weights())


def _saved_class(cls: type, variant: str, file: Path) -> type:
    """The class to rebuild a checkpoint of `variant` with: `cls`, or for `BaseGAN.load` the variant's."""
    if cls is not BaseGAN:
        if variant != cls.name:
            raise checkpoint.CheckpointError(
                f"{file} holds a '{variant}' model, not a '{cls.name}'. "
                "Use odog.load(path), which picks the right class."
            )
        return cls
    from odog.variants import VARIANTS

    if variant not in VARIANTS:
        raise checkpoint.CheckpointError(
            f"The checkpoint {file} holds an unknown variant {variant!r} (this odog has {sorted(VARIANTS)}): "
            "it was written by another version of odog, or its header was edited."
        )
    return VARIANTS[variant]


def _assign(named: dict, stored: dict, path, owner: str) -> None:
    """Assigns `stored` arrays to the `named` variables, refusing a missing, extra or misshapen one by name."""
    missing = [k for k in named if k not in stored]
    unexpected = [k for k in stored if k not in named]
    if missing or unexpected:
        raise checkpoint.CheckpointError(
            f"The checkpoint {path} does not match this {owner}: it was saved by a different "
            f"architecture or configuration. Missing: {missing[:3] or 'none'}"
            f"{' ...' if len(missing) > 3 else ''}; unexpected: {unexpected[:3] or 'none'}"
            f"{' ...' if len(unexpected) > 3 else ''}."
        )
    for key, variable in named.items():
        value = stored[key]
        if value.dtype.kind not in "biuf":
            raise checkpoint.CheckpointError(
                f"The checkpoint {path} holds `{key}` as {value.dtype} data, not numbers: it is damaged. "
                "Load an earlier copy of the run folder, or retrain."
            )
        if tuple(value.shape) != tuple(variable.shape):
            raise checkpoint.CheckpointError(
                f"The checkpoint {path} holds `{key}` with shape {tuple(value.shape)}, but this "
                f"{owner} has shape {tuple(variable.shape)}: it was saved by a different "
                "architecture or configuration."
            )
        variable.assign(value.astype(variable.dtype) if value.dtype != variable.dtype else value)


def _saved_config(cls: type, meta: dict, dataset, file: Path) -> dict:
    """The constructor arguments of a checkpoint, with data that can be reached (or a stand-in that explains)."""
    img_shape = tuple(meta["img_shape"])
    config = dict(meta["config"])
    if dataset is not None:
        given = cls.dataset_shape(dataset, config.get("image_size"), config.get("channels"))
        if tuple(given) != img_shape:
            raise ValueError(
                f"The checkpoint {file} holds a model of {img_shape} images, but the dataset given has "
                f"{tuple(given)} images. Pass the data it was trained on."
            )
        config["dataset"] = dataset
    elif config.get("dataset") is None:
        config["dataset"] = data_lib.Unavailable(img_shape)
    elif not data_lib.is_available(config["dataset"]):
        config["dataset"] = data_lib.Unavailable(img_shape, source=str(config["dataset"]))
    return config


def _scaled(objective, optimizer):
    """`objective` whose loss is scaled by the optimizer's loss scale.

    Under "mixed_float16" Keras compiles the models with a
    `keras.optimizers.LossScaleOptimizer`: gradients of the scaled loss do not
    underflow in float16, and its `apply` divides them back (skipping a step
    whose gradients overflowed). Any other optimizer's scale is 1. The logs
    report the loss unscaled.
    """

    def loss_fn():
        loss, logs = objective()
        return optimizer.scale_loss(loss), logs

    return loss_fn


def _walk(start: np.ndarray, end: np.ndarray, fractions: np.ndarray, method: str) -> np.ndarray:
    """Points from `start` to `end` (batches (W, ...)) at `fractions`: (W, len(fractions), ...)."""
    t = fractions.reshape((1, -1) + (1,) * (start.ndim - 1))
    a, b = start[:, None], end[:, None]
    if method == "linear":
        return (1 - t) * a + t * b
    flat_a, flat_b = start.reshape(len(start), -1), end.reshape(len(end), -1)
    cos = np.sum(flat_a * flat_b, 1) / (np.linalg.norm(flat_a, axis=1) * np.linalg.norm(flat_b, axis=1) + 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0)).reshape((-1, 1) + (1,) * (start.ndim - 1))
    sin = np.sin(omega)
    # Nearly parallel end points: the great circle is the straight line.
    safe = np.where(sin < 1e-6, 1.0, sin)
    spherical = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / safe
    return np.where(sin < 1e-6, (1 - t) * a + t * b, spherical).astype("float32")


def _take(structure, i):
    """Entry `i` of a tensor, or of each tensor of a list."""
    if isinstance(structure, (list, tuple)):
        return [t[i] for t in structure]
    return structure[i]


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, data_lib.ImageFolder):
        return str(value.root)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        return list(value)
    return None  # arrays and other in-memory data are not stored
