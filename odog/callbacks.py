"""odog's side jobs during training, as Keras callbacks.

`BaseGAN.train()` builds these from its keywords (`sample_interval`,
`checkpoint_interval`, `verbose`); the two health checks are always on. They
are ordinary `keras.callbacks.Callback` objects: `self.model` is the GAN, and
any of them can be passed in `train(callbacks=[...])` next to Keras' own
(`CSVLogger`, `TensorBoard`, `TerminateOnNaN`, ...).
"""

import math
import sys
import warnings
from pathlib import Path

import keras
import numpy as np

from odog import checkpoint, viz
from odog.validation import check_number

# A discriminator whose loss stays below D_WON_LOSS at 100% accuracy for
# D_WON_PATIENCE iterations has won: G gets no useful gradient.
D_WON_LOSS = 0.01
D_WON_PATIENCE = 200


class TrainingDivergedError(FloatingPointError):
    """Training diverged: a loss or a weight became NaN or infinite, or the losses exploded."""


def restart_point(gan) -> str:
    """Where a diverged run can restart: the last checkpoint of this session,
    called intact only after it has been read back and checked (complete, of
    the same iteration, every value finite)."""
    if gan.last_checkpoint is None:
        return "No checkpoint was saved in this session: retrain"
    path, iteration = gan.last_checkpoint
    try:
        arrays, meta = checkpoint.load(path)
        problem = None if meta["iteration"] == iteration else f"it now holds iteration {meta['iteration']}"
        if problem is None and checkpoint.nonfinite(checkpoint.state_arrays(arrays)):
            problem = "it holds NaN or infinite values"
    except (OSError, ValueError) as error:
        problem = str(error)
    if problem:
        return f"The last checkpoint written, in {path} (iteration {iteration}), fails its check ({problem})"
    return f"The last checkpoint (iteration {iteration}) in {path} is intact: reload it with odog.load('{path}')"


class StopOnDivergence(keras.callbacks.Callback):
    """Raises `TrainingDivergedError` at the first non-finite or exploding loss.

    Unlike `keras.callbacks.TerminateOnNaN` it raises, so that no later
    callback (a checkpoint at the end of training) saves the broken state, and
    says which checkpoint is intact. (Weights that became non-finite while the
    losses were still finite are caught by `BaseGAN.save`, which refuses them.)

    Args:
        max_loss: a loss larger than this in magnitude counts as exploding
            (1e8: far above any loss of a training that still works, WGAN's
            critic included).
    """

    def __init__(self, max_loss: float = 1e8):
        super().__init__()
        check_number("max_loss", max_loss, low=0, low_open=True)
        self.max_loss = max_loss

    def on_train_batch_end(self, batch, logs=None):
        # `loss` (d_loss + g_loss, for Keras' TerminateOnNaN) is reported through its parts.
        logs = {k: v for k, v in (logs or {}).items() if k != "loss"}
        bad = {k: v for k, v in logs.items() if not math.isfinite(v)}
        if bad:
            what = f"{_losses(bad)} became NaN or infinite"
        else:
            bad = {k: v for k, v in logs.items() if abs(v) > self.max_loss}
            if not bad:
                return
            what = f"the losses exploded ({_losses(bad)}, beyond {self.max_loss:g} in magnitude)"
        raise TrainingDivergedError(
            f"Training diverged at iteration {self.model.iteration}: {what}. {restart_point(self.model)}, "
            "and lower the learning rate or enable label_smoothing / instance_noise."
        )


def _losses(logs: dict) -> str:
    return ", ".join(f"{k}={v:.3g}" for k, v in logs.items())


class DiscriminatorWon(keras.callbacks.Callback):
    """Warns once when D has won: d_loss < 0.01 at 100% accuracy for 200 iterations."""

    def on_train_begin(self, logs=None):
        self.streak = 0

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        if "d_acc" not in logs:
            return
        won = logs["d_loss"] < D_WON_LOSS and logs["d_acc"] >= 1.0
        self.streak = self.streak + 1 if won else 0
        if self.streak == D_WON_PATIENCE:
            warnings.warn(
                f"The discriminator has won: d_loss < {D_WON_LOSS} and d_acc = 100% "
                f"for {D_WON_PATIENCE} iterations (up to iteration {self.model.iteration}). "
                "G gets no useful gradient and has probably collapsed. Try "
                "label_smoothing=0.1, instance_noise=0.1 or a lower learning rate, "
                "or reload an earlier checkpoint.",
                RuntimeWarning,
                stacklevel=2,
            )


class Periodic(keras.callbacks.Callback):
    """A callback that acts every `interval` iterations (of the GAN's count) on files in `folder`.

    Subclasses write `every()`.
    """

    def __init__(self, folder, interval: int):
        super().__init__()
        check_number("interval", interval, integer=True, low=1)
        self.folder, self.interval = Path(folder), interval

    def on_train_batch_end(self, batch, logs=None):
        if self.model.iteration % self.interval == 0:
            self.every()

    def every(self) -> None:
        raise NotImplementedError


class SampleGrid(Periodic):
    """Writes `gan.sample_images()` every `interval` iterations; at the end, the pictures of the run.

    Args:
        folder: grids go to `folder/images/<iteration>.png`; at the end of
            training, the plot of the history to `folder/history.png`, every
            grid of the folder (a resumed run's too) as `folder/evolution.gif`,
            and 36 training images next to 36 samples as
            `folder/real_vs_generated.png`.
        interval: iterations between grids.
    """

    def every(self) -> None:
        self.model.sample_images(self.folder / "images" / f"{self.model.iteration}.png")

    def on_train_end(self, logs=None):
        viz.plot_history(self.model.history, self.folder / "history.png")
        grids = sorted(
            (p for p in (self.folder / "images").glob("*.png") if p.stem.isdigit()), key=lambda p: int(p.stem)
        )
        if grids:
            viz.evolution_gif(grids, self.folder / "evolution.gif")
        gan = self.model
        viz.real_vs_generated(
            gan.real_samples(36, np.random.default_rng(0)),
            gan.generate(36, seed=0),
            self.folder / "real_vs_generated.png",
        )


class Checkpoint(Periodic):
    """Saves the GAN to `folder` every `interval` iterations, at the end and on Ctrl-C.

    Each save replaces `folder/checkpoint.npz` atomically (`BaseGAN.save`).
    """

    def every(self) -> None:
        self.model.save(self.folder)

    def on_train_end(self, logs=None):
        if self.model.last_checkpoint != (str(self.folder), self.model.iteration):
            self.model.save(self.folder)

    def on_interrupt(self) -> None:
        """Called by the loop on KeyboardInterrupt: keeps the work done so far."""
        self.on_train_end()


class Progress(keras.callbacks.Callback):
    """A progress bar with the current d_loss, d_acc and g_loss.

    Redrawn twice a second on a terminal, every 30 s in a log file.
    """

    def __init__(self, iterations: int):
        super().__init__()
        self.iterations = iterations

    def on_train_begin(self, logs=None):
        interval = 0.5 if sys.stdout.isatty() else 30.0
        keys = ["d_loss", "d_acc", "g_loss"]
        self.bar = keras.utils.Progbar(self.iterations, interval=interval, stateful_metrics=keys)
        self.done = 0

    def on_train_batch_end(self, batch, logs=None):
        self.done += 1
        logs = logs or {}
        self.bar.update(self.done, [(k, logs[k]) for k in ("d_loss", "d_acc", "g_loss") if k in logs])


class GridSummary(Periodic):
    """Writes the sample grid to TensorBoard every `interval` iterations.

    Pair it with `keras.callbacks.TensorBoard(log_dir)` for the loss scalars
    (`odog train --tensorboard DIR` adds both). Needs the `tensorflow`
    package for its summary writer, on any Keras backend.
    """

    writer = None

    def every(self) -> None:
        import tensorflow as tf

        if self.writer is None:
            self.writer = tf.summary.create_file_writer(str(self.folder / "train"))
        rows, cols = self.model.sample_grid
        grid = np.asarray(viz.image_grid(self.model.generate(rows * cols, seed=0), rows=rows))
        grid = grid[None, ..., None] if grid.ndim == 2 else grid[None]
        with self.writer.as_default():
            tf.summary.image("samples", grid, step=self.model.iteration)

    def on_train_end(self, logs=None):
        if self.writer is not None:
            self.writer.close()
            self.writer = None
