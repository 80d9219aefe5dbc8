"""Keras callbacks in `train()`, odog's own callbacks, and several iterations per compiled call."""

import csv

import keras
import numpy as np
import pytest
from conftest import TinyGAN

from odog import CGAN, callbacks


class Recorder(keras.callbacks.Callback):
    """Records every hook call as (hook, index, sorted log keys)."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin",))

    def on_train_end(self, logs=None):
        self.calls.append(("train_end", sorted(logs)))

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("epoch_begin", epoch))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, logs["g_loss"]))

    def on_train_batch_begin(self, batch, logs=None):
        self.calls.append(("batch_begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("batch_end", batch, logs["g_loss"], self.model.iteration))


def test_callbacks_are_called_as_fit_calls_them(tiny):
    recorder = Recorder()
    tiny.train(epochs=5, batch_size=8, steps_per_epoch=2, callbacks=[recorder], verbose=0)
    kinds = [c[0] for c in recorder.calls]
    assert kinds[0] == "train_begin" and kinds[-1] == "train_end"
    assert kinds.count("batch_begin") == kinds.count("batch_end") == 5
    assert [c[1] for c in recorder.calls if c[0] == "epoch_begin"] == [0, 1, 2]
    epoch_ends = [c for c in recorder.calls if c[0] == "epoch_end"]
    assert [c[1] for c in epoch_ends] == [0, 1, 2]  # every 2 iterations, and at the end
    g = tiny.history["g_loss"]
    assert epoch_ends[0][2] == pytest.approx(np.mean(g[:2])) and epoch_ends[2][2] == pytest.approx(g[4])
    assert [c[3] for c in recorder.calls if c[0] == "batch_end"] == [1, 2, 3, 4, 5]
    assert {"d_loss", "g_loss", "loss"} <= set(recorder.calls[-1][1])
    # A resumed run continues the numbering.
    recorder.calls.clear()
    tiny.train(epochs=2, batch_size=8, steps_per_epoch=2, callbacks=[recorder], verbose=0)
    assert [c[1] for c in recorder.calls if c[0] == "batch_begin"] == [1, 0]


def test_stop_training_ends_the_loop(tiny):
    class StopAtThree(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.iteration == 3:
                self.model.stop_training = True

    history = tiny.train(epochs=10, batch_size=8, callbacks=[StopAtThree()], verbose=0)
    assert tiny.iteration == 3 and len(history["g_loss"]) == 3


def test_keras_csv_logger_and_terminate_on_nan(tiny, tmp_path):
    log = tmp_path / "log.csv"
    tiny.train(epochs=6, batch_size=8, steps_per_epoch=3, callbacks=[keras.callbacks.CSVLogger(log)], verbose=0)
    rows = list(csv.DictReader(log.open()))
    assert [r["epoch"] for r in rows] == ["0", "1"]
    assert float(rows[1]["g_loss"]) == pytest.approx(np.mean(tiny.history["g_loss"][3:6]), rel=1e-5)

    class Poison(keras.callbacks.Callback):  # makes the logged loss NaN at the second iteration
        def on_train_batch_end(self, batch, logs=None):
            if self.model.iteration == 8:
                logs["loss"] = float("nan")

    tiny.train(epochs=5, batch_size=8, callbacks=[Poison(), keras.callbacks.TerminateOnNaN()], verbose=0)
    assert tiny.iteration == 8  # stopped by Keras' own callback after the NaN


def test_tensorboard_gets_scalars_and_the_sample_grid(tiny, tmp_path):
    pytest.importorskip("tensorflow")
    from tensorflow.core.util import event_pb2
    from tensorflow.python.lib.io import tf_record

    board = [keras.callbacks.TensorBoard(tmp_path, update_freq=1), callbacks.GridSummary(tmp_path, 2)]
    tiny.train(epochs=4, batch_size=8, steps_per_epoch=2, callbacks=board, verbose=0)
    tags = set()
    for path in (tmp_path / "train").iterdir():
        for record in tf_record.tf_record_iterator(str(path)):
            tags |= {value.tag for value in event_pb2.Event.FromString(record).summary.value}
    assert {"epoch_g_loss", "epoch_d_loss", "batch_g_loss", "samples"} <= tags, tags


def test_callbacks_must_be_keras_callbacks(tiny):
    with pytest.raises(ValueError, match=r"argument `callbacks`.*Received: function"):
        tiny.train(epochs=1, callbacks=[lambda: None], verbose=0)


def test_several_iterations_per_call_train_as_one_per_call(blobs, tmp_path):
    """steps_per_execution changes how often the host is visited, not what is computed."""
    one = TinyGAN(dataset=blobs, latent_dim=8, seed=3)
    images = one.device_data(one.data.images)
    for _ in range(9):
        one.record(one.train_on_device(images, 8, 1)[0])
    many = TinyGAN(dataset=blobs, latent_dim=8, seed=3)
    recorder = Recorder()
    many.train(epochs=9, batch_size=8, steps_per_execution=4, checkpoint_interval=6, out_dir=tmp_path,
               callbacks=[recorder], verbose=0)  # fmt: skip
    assert many.iteration == 9 and len(many.history["g_loss"]) == 9
    # The same computation, fused differently by XLA: equal up to float rounding.
    np.testing.assert_allclose(many.history["g_loss"], one.history["g_loss"], rtol=1e-4, atol=1e-5)
    assert [c[3] for c in recorder.calls if c[0] == "batch_end"] == list(range(1, 10))
    # Calls stop at the checkpoint (6) and the end (9), so each save holds the state it is labelled with.
    resumed = TinyGAN.load(tmp_path, dataset=blobs)
    assert resumed.iteration == 9
    np.testing.assert_array_equal(resumed.generate(3, seed=0), many.generate(3, seed=0))


def test_host_side_variants_refuse_several_iterations_per_call():
    images, labels = np.zeros((8, 28, 28, 1), "float32"), np.arange(8) % 4
    gan = CGAN(dataset=(images, labels), seed=0)
    assert not gan.can_sample_on_device
    with pytest.raises(ValueError, match="argument `steps_per_execution`.*CGAN prepares its inputs on the host"):
        gan.train(epochs=2, steps_per_execution=2, verbose=0)
