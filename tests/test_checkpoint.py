"""Saving, loading and resuming: atomic, exact, and clear when it cannot be."""

import numpy as np
import pytest
from conftest import TinyGAN, snapshot

import odog
from odog import checkpoint
from odog.variants import VARIANTS


@pytest.fixture(autouse=True)
def register_tiny(monkeypatch):
    monkeypatch.setitem(VARIANTS, "tiny", TinyGAN)


def test_save_load_round_trip(tiny, blobs, tmp_path):
    tiny.train(epochs=5, batch_size=8, verbose=0)
    tiny.save(tmp_path)
    loaded = odog.load(tmp_path, dataset=blobs)
    assert type(loaded) is TinyGAN and loaded.iteration == 5
    assert loaded.history == tiny.history
    for group, variables in tiny.variable_groups().items():
        for a, b in zip(snapshot(variables), snapshot(loaded.variable_groups()[group]), strict=True):
            np.testing.assert_array_equal(a, b, err_msg=group)
    np.testing.assert_array_equal(loaded.generate(4, seed=0), tiny.generate(4, seed=0))


def test_resume_continues_exactly(blobs, tmp_path):
    straight = TinyGAN(dataset=blobs, latent_dim=8, seed=1)
    straight.train(epochs=8, batch_size=8, verbose=0)

    first = TinyGAN(dataset=blobs, latent_dim=8, seed=1)
    first.train(epochs=4, batch_size=8, checkpoint_interval=4, out_dir=tmp_path, verbose=0)
    resumed = odog.load(tmp_path, dataset=blobs)
    resumed.train(epochs=4, batch_size=8, verbose=0)

    assert resumed.iteration == 8
    assert resumed.history["g_loss"] == straight.history["g_loss"]
    for a, b in zip(snapshot(resumed.generator.variables), snapshot(straight.generator.variables), strict=True):
        np.testing.assert_array_equal(a, b)


def test_interrupted_save_keeps_previous_checkpoint(tiny, tmp_path, monkeypatch):
    tiny.save(tmp_path)
    before = (tmp_path / checkpoint.FILENAME).read_bytes()
    tiny.train(epochs=2, batch_size=8, verbose=0)

    def crash(file, **arrays):
        file.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        tiny.save(tmp_path)
    assert (tmp_path / checkpoint.FILENAME).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [checkpoint.FILENAME]  # no temp file left
    assert odog.load(tmp_path).iteration == 0


def test_checkpoint_interval_saves_during_training(tiny, tmp_path):
    tiny.train(epochs=5, batch_size=8, checkpoint_interval=2, out_dir=tmp_path, verbose=0)
    assert odog.load(tmp_path).iteration == 5  # saved at 2, 4 and at the end


def test_array_dataset_is_not_stored_but_explained(tiny, blobs, tmp_path):
    tiny.save(tmp_path)
    loaded = odog.load(tmp_path)
    assert loaded.generate(2).shape == (2, 8, 8, 1)
    with pytest.raises(ValueError, match=r"in-memory arrays.*dataset="):
        loaded.train(epochs=1, verbose=0)
    odog.load(tmp_path, dataset=blobs).train(epochs=1, batch_size=8, verbose=0)


def test_load_errors_are_clear(tiny, tmp_path):
    with pytest.raises(FileNotFoundError, match="No odog checkpoint"):
        odog.load(tmp_path / "missing")
    tiny.save(tmp_path)
    with pytest.raises(ValueError, match="holds a 'tiny' model, not a 'dcgan'"):
        odog.DCGAN.load(tmp_path)
    (tmp_path / checkpoint.FILENAME).write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="is not an odog checkpoint: it is not an .npz"):
        odog.load(tmp_path)


def test_variant_options_survive_save_and_load(tmp_path):
    gan = odog.DCGAN(dataset=np.zeros((4, 32, 32, 3), "float32"), filters=8, latent_dim=16, label_smoothing=0.1)
    gan.save(tmp_path)
    loaded = odog.load(tmp_path)
    assert loaded.filters == 8 and loaded.latent_dim == 16 and loaded.label_smoothing == 0.1
    assert loaded.img_shape == (32, 32, 3) and loaded.architecture == "paper"
