"""The training loop: batches -> compiled step -> callbacks, and nothing else.

`fit(gan, epochs, ...)` is what `BaseGAN.train()` runs. One "epoch" is one
iteration, as in ODOG and Keras-GAN. Callbacks are called as Keras' `fit()`
calls them, with the GAN as `callback.model`:

- `on_train_begin` / `on_train_end`;
- `on_train_batch_begin(batch)` / `on_train_batch_end(batch, logs)` around
  every iteration, with the iteration's logs (d_loss, g_loss, ..., and
  `loss` = d_loss + g_loss, which `keras.callbacks.TerminateOnNaN` reads);
- `on_epoch_begin(epoch)` / `on_epoch_end(epoch, logs)` every
  `steps_per_epoch` iterations, with the mean of those iterations' logs.

Epochs and batches are counted from the GAN's own iteration, so a resumed run
continues the numbering. Setting `gan.stop_training = True` ends the loop
after the current iteration.
"""

import math
from pathlib import Path

import keras
import numpy as np

from odog import backend
from odog import callbacks as callbacks_lib
from odog import data as data_lib
from odog.validation import check_number

__all__ = ["fit"]


def fit(
    gan,
    epochs: int,
    *,
    batch_size: int | None = None,
    sample_interval: int | None = None,
    out_dir=None,
    checkpoint_interval: int | None = None,
    callbacks: list | None = None,
    steps_per_epoch: int | None = None,
    steps_per_execution: int = 1,
    verbose: int = 1,
) -> dict[str, list[float]]:
    """Trains `gan` for `epochs` iterations; see `BaseGAN.train` for the arguments.

    Variants that `can_sample_on_device` train from the dataset held on the
    device (`BaseGAN.train_on_device`), `steps_per_execution` iterations per
    call, on JAX or when `steps_per_execution` > 1; otherwise through
    `train_on_batch`, one batch drawn on the host per iteration.
    """
    check_number("epochs", epochs, integer=True, low=1)
    batch_size = gan.default_batch_size if batch_size is None else batch_size
    check_number("batch_size", batch_size, integer=True, low=1)
    for name, value in (
        ("sample_interval", sample_interval),
        ("checkpoint_interval", checkpoint_interval),
        ("steps_per_epoch", steps_per_epoch),
        ("steps_per_execution", steps_per_execution),
    ):
        if value is not None:
            check_number(name, value, integer=True, low=1)
    if steps_per_execution > 1 and not gan.can_sample_on_device:
        raise ValueError(
            f"Invalid value received for argument `steps_per_execution`. {type(gan).__name__} prepares its inputs "
            "on the host (conditions, pyramids or downscaled images), one compiled call per iteration, so it takes "
            f"steps_per_execution=1. Received: steps_per_execution={steps_per_execution}"
        )
    devices = backend.replicas()
    if batch_size % devices:
        raise ValueError(
            f"Invalid value received for argument `batch_size`. Training runs data-parallel over {devices} devices, "
            f"and each takes an equal share of the batch: pass a multiple of {devices}. Received: batch_size="
            f"{batch_size}"
        )
    user_callbacks = list(callbacks or [])
    for callback in user_callbacks:
        if not isinstance(callback, keras.callbacks.Callback):
            raise ValueError(
                "Invalid value received for argument `callbacks`. Expected a list of keras.callbacks.Callback "
                f"objects. Received: {type(callback).__name__}"
            )
    data = gan.data
    if gan.uses_labels:
        if data.labels is None:
            raise ValueError(
                f"{type(gan).__name__} trains on labelled images, and this dataset has no labels. "
                "Pass dataset=(images, labels), a folder with one subfolder per class, or a named dataset such as "
                "'mnist'."
            )
        gan.check_labels(data.labels, len(data))
    streamed = isinstance(data, data_lib.ImageFolder)
    if streamed and steps_per_execution > 1:
        raise ValueError(
            "Invalid value received for argument `steps_per_execution`. Several iterations per call draw their "
            f"batches from the training set held on the device, and the image folder {data.root} streams from "
            f"disk: use steps_per_execution=1. Received: steps_per_execution={steps_per_execution}"
        )
    steps_per_epoch = steps_per_epoch or max(1, len(data) // batch_size)
    out_dir = Path(out_dir) if out_dir else Path("runs") / gan.name

    everything = [callbacks_lib.StopOnDivergence(), callbacks_lib.DiscriminatorWon()]
    if sample_interval:
        everything.append(callbacks_lib.SampleGrid(out_dir, sample_interval))
    if checkpoint_interval:
        everything.append(callbacks_lib.Checkpoint(out_dir, checkpoint_interval))
    if verbose:
        everything.append(callbacks_lib.Progress(epochs))
    everything += user_callbacks
    params = {"epochs": math.ceil(epochs / steps_per_epoch), "steps": steps_per_epoch, "verbose": verbose}
    for callback in everything:
        callback.set_model(gan)
        callback.set_params(params)

    def call(hook: str, *args) -> None:
        for callback in everything:
            getattr(callback, hook)(*args)

    # Where random numbers inside XLA are cheap (JAX), or calls hold several iterations.
    on_device = (
        gan.can_sample_on_device and not streamed and (keras.backend.backend() == "jax" or steps_per_execution > 1)
    )
    per_iteration = gan.d_steps * batch_size
    if on_device:
        images = gan.device_data(data.images)
    elif streamed:
        batches = data.batches(per_iteration, gan.stream_state["seed"], start=gan.stream_state["position"])
    else:
        batches = data.batches(per_iteration, gan.rng)
    boundaries = [n for n in (sample_interval, checkpoint_interval, steps_per_epoch) if n]

    def run(done: int) -> list[dict]:
        """One compiled call's iterations, their logs not yet recorded."""
        if not on_device:
            real, labels = next(batches)
            logs = gan.train_on_batch(real, labels if gan.uses_labels else None, record=False)
            if streamed:
                gan.stream_state["position"] += per_iteration
            return [logs]
        # As many iterations as fit before the next boundary (grid, checkpoint, epoch) or the end.
        room = min(epochs - done, *(n - gan.iteration % n for n in boundaries))
        return gan.train_on_device(images, batch_size, steps_per_execution if room >= steps_per_execution else 1)

    gan.stop_training = False
    call("on_train_begin", None)
    logs, epoch_logs, done = {}, [], 0
    try:
        while done < epochs and not gan.stop_training:
            for raw in run(done):
                if gan.stop_training:  # set during this call's iterations: count the rest, call nothing
                    gan.record(raw)
                    done += 1
                    continue
                epoch, batch = divmod(gan.iteration, steps_per_epoch)
                if batch == 0 or done == 0:
                    call("on_epoch_begin", epoch, None)
                call("on_train_batch_begin", batch, None)
                logs = gan.record(raw)
                done += 1
                logs["loss"] = float(sum(logs[k] for k in ("d_loss", "g_loss") if k in logs))
                epoch_logs.append(logs)
                call("on_train_batch_end", batch, logs)
                if gan.iteration % steps_per_epoch == 0 or done == epochs or gan.stop_training:
                    means = {k: float(np.mean([e[k] for e in epoch_logs if k in e])) for k in logs}
                    call("on_epoch_end", epoch, means)
                    epoch_logs = []
    except KeyboardInterrupt:
        for callback in everything:
            if hasattr(callback, "on_interrupt"):
                callback.on_interrupt()
        raise
    call("on_train_end", logs)
    return gan.history
