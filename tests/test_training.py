"""Training behaviour: real MNIST learning, options, failure detection."""

import warnings

import keras
import numpy as np
import pytest
from conftest import TinyGAN

from odog import GAN, TrainingDivergedError


def test_gan_learns_mnist(mnist):
    """On real MNIST the losses move and samples approach the digits' statistics."""
    images = mnist.images[:6000]
    gan = GAN(dataset=images, seed=0)

    def distance_to_data():
        x = gan.generate(500, seed=1, ema=False)  # the trained G itself
        return float(np.abs(x.mean(0) - images.mean(0)).mean() + np.abs(x.std(0) - images.std(0)).mean())

    before = distance_to_data()
    history = gan.train(epochs=400, batch_size=32, verbose=0)
    after = distance_to_data()
    assert all(np.isfinite(v).all() for v in history.values())
    assert len(history["g_loss"]) == 400 and gan.iteration == 400
    assert np.std(history["d_loss"]) > 0.01 and np.std(history["g_loss"]) > 0.01
    assert after < 0.5 * before, (before, after)
    # D separates real from fake: mean D(x) above mean D(G(z)) over the run.
    assert np.mean(history["d_real"]) > np.mean(history["d_fake"])


def test_generate_contract(tiny):
    x = tiny.generate(5, seed=3)
    assert x.shape == (5, 8, 8, 1) and x.dtype == np.float32
    assert x.min() >= -1.0 and x.max() <= 1.0
    np.testing.assert_array_equal(x, tiny.generate(5, seed=3))
    assert not np.array_equal(x, tiny.generate(5, seed=4))
    with pytest.raises(ValueError, match="argument `n`"):
        tiny.generate(0)


def test_seed_makes_training_reproducible(blobs):
    runs = []
    for _ in range(2):
        gan = TinyGAN(dataset=blobs, latent_dim=8, seed=7)
        runs.append(gan.train(epochs=5, batch_size=8, verbose=0)["g_loss"])
    assert runs[0] == runs[1]


def test_d_steps_and_ganhacks_options_train(blobs):
    gan = TinyGAN(
        dataset=blobs, latent_dim=8, seed=0, d_steps=2, label_smoothing=0.1, label_flip=0.05, instance_noise=0.2
    )
    history = gan.train(epochs=6, batch_size=8, verbose=0)
    assert gan.iteration == 6 and all(np.isfinite(v).all() for v in history.values())
    inputs = gan.step_inputs(blobs[:16].reshape(2, 8, 8, 8, 1))
    assert inputs["real"].shape == (2, 8, 8, 8, 1) and inputs["z_d"].shape == (2, 8, 8)
    # One-sided smoothing: real targets 0.9 unless flipped, fakes 0 unless flipped.
    assert set(np.unique(inputs["real_targets"])) <= {0.0, np.float32(0.9)}
    assert set(np.unique(inputs["fake_targets"])) <= {0.0, np.float32(0.9)}
    # Instance noise decays linearly from its initial std.
    assert 0 < inputs["noise_std"] < 0.2


def test_train_uses_the_variants_default_batch_size(blobs, monkeypatch):
    class Wide(TinyGAN):
        default_batch_size = 12

    gan = Wide(dataset=blobs, latent_dim=8, seed=0, d_steps=2)
    batches = []

    def train_on_device(images, batch_size, iterations=1):
        batches.append(batch_size)
        return [{}] * iterations

    def train_on_batch(images, labels, record=True):
        batches.append(len(images) // gan.d_steps)
        return {}

    monkeypatch.setattr(gan, "train_on_device", train_on_device)
    monkeypatch.setattr(gan, "train_on_batch", train_on_batch)
    gan.train(epochs=2, verbose=0)
    gan.train(epochs=1, batch_size=5, verbose=0)
    assert batches == [12, 12, 5]


def test_label_flip_swaps_targets(blobs):
    gan = TinyGAN(dataset=blobs, latent_dim=8, seed=0, label_flip=0.5)
    inputs = gan.step_inputs(np.repeat(blobs, 4, axis=0)[None])
    flipped = inputs["real_targets"] == 0
    assert 0.3 < flipped.mean() < 0.7
    np.testing.assert_array_equal(flipped, inputs["fake_targets"] == 1)


def test_sample_images_and_plot_written(tiny, tmp_path):
    tiny.train(epochs=4, batch_size=8, sample_interval=2, out_dir=tmp_path, verbose=0)
    from PIL import Image

    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == ["2.png", "4.png"]
    grid = Image.open(tmp_path / "images" / "4.png")
    assert grid.size == (5 * 10 + 2, 5 * 10 + 2)  # 5x5 tiles of 8 px, 2 px padding
    assert (tmp_path / "history.png").stat().st_size > 1000


class NaNLossGAN(TinyGAN):
    name = "tiny"

    @staticmethod
    def loss(y_true, y_pred):
        return keras.ops.mean(keras.ops.log(y_pred - 2.0))  # log of a negative: NaN


def test_nan_loss_stops_training_and_keeps_checkpoint(blobs, tmp_path):
    gan = TinyGAN(dataset=blobs, latent_dim=8, seed=0)
    gan.train(epochs=3, batch_size=8, checkpoint_interval=3, out_dir=tmp_path, verbose=0)
    broken = NaNLossGAN.load(tmp_path, dataset=blobs)
    with pytest.raises(TrainingDivergedError, match=r"iteration 4.*last checkpoint \(iteration 3\)"):
        broken.train(epochs=5, batch_size=8, checkpoint_interval=1, out_dir=tmp_path, verbose=0)
    assert TinyGAN.load(tmp_path).iteration == 3  # the NaN state was never saved


class FrozenGeneratorGAN(GAN):
    """G never learns (learning rate 0), so D wins."""

    def build_optimizer(self, role):
        if role == "generator":
            return keras.optimizers.Adam(0.0)
        return super().build_optimizer(role)


def test_warns_when_discriminator_has_won(blobs):
    # 8x8 images rather than MNIST: the same warning, and CI's workers stay light.
    gan = FrozenGeneratorGAN(dataset=blobs, latent_dim=8, seed=0)
    with pytest.warns(RuntimeWarning, match="discriminator has won") as record:
        gan.train(epochs=500, batch_size=16, verbose=0)
    assert len([w for w in record if "discriminator has won" in str(w.message)]) == 1  # warned once


def test_healthy_training_does_not_warn(blobs):
    gan = TinyGAN(dataset=blobs, latent_dim=8, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        gan.train(epochs=20, batch_size=8, verbose=0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"epochs": 0}, "argument `epochs`"),
        ({"epochs": 2, "batch_size": 0}, "argument `batch_size`"),
        ({"epochs": 2, "sample_interval": -1}, "argument `sample_interval`"),
        ({"epochs": 2.5}, "Expected an integer"),
    ],
)
def test_train_rejects_bad_arguments(tiny, kwargs, match):
    with pytest.raises(ValueError, match=match):
        tiny.train(verbose=0, **kwargs)


def test_constructor_rejects_bad_arguments(blobs):
    with pytest.raises(ValueError, match="argument `label_smoothing`"):
        TinyGAN(dataset=blobs, label_smoothing=0.9)
    with pytest.raises(ValueError, match="argument `d_steps`"):
        TinyGAN(dataset=blobs, d_steps=0)
    with pytest.raises(ValueError, match="argument `dataset`.*'mnsit'"):
        TinyGAN(dataset="mnsit")
    with pytest.raises(ValueError, match="argument `g_learning_rate`"):
        TinyGAN(dataset=blobs, g_learning_rate=0)
    with pytest.raises(ValueError, match="argument `beta_2`"):
        TinyGAN(dataset=blobs, beta_2=1.0)


def test_each_optimizer_gets_its_models_learning_rate_and_betas(blobs):
    gan = TinyGAN(dataset=blobs, learning_rate=3e-4, g_learning_rate=1e-3, beta_1=0.4, beta_2=0.95)
    settings = [
        float(v) for opt in (gan.d_optimizer, gan.g_optimizer) for v in (opt.learning_rate, opt.beta_1, opt.beta_2)
    ]
    assert settings == pytest.approx([3e-4, 0.4, 0.95, 1e-3, 0.4, 0.95])
    same = TinyGAN(dataset=blobs, learning_rate=3e-4)  # G learns at D's rate unless told otherwise
    assert float(same.g_optimizer.learning_rate) == pytest.approx(3e-4)


def test_train_on_batch_rejects_wrong_shape(tiny):
    with pytest.raises(ValueError, match=r"shape \(N, 8, 8, 1\).*Received: images.shape=\(4, 28, 28, 1\)"):
        tiny.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))


def test_dataset_shape_mismatch_is_explained():
    images = np.zeros((10, 28, 28, 1), "float32")
    gan = GAN(dataset=images)
    gan.dataset = np.zeros((10, 32, 32, 3), "float32")
    with pytest.raises(ValueError, match=r"shape \(32, 32, 3\).*built for \(28, 28, 1\)"):
        gan.train(epochs=1, verbose=0)


def test_generator_ema_follows_the_weights(blobs):
    gan = TinyGAN(dataset=blobs, latent_dim=8, seed=0, ema=0.9)
    kernel, average = gan.generator.trainable_variables[0], gan.generator_ema.trainable_weights
    assert not average  # the average is never trained by an optimizer
    before = np.array(gan.generator_ema.variables[0])
    gan.train(epochs=1, batch_size=8, verbose=0)
    decay = min(0.9, 2 / 11)  # warm-up after the first G update (t = 1)
    expected = decay * before + (1 - decay) * np.array(kernel)
    np.testing.assert_allclose(np.array(gan.generator_ema.variables[0]), expected, rtol=1e-5, atol=1e-6)
    gan.train(epochs=30, batch_size=8, verbose=0)
    assert not np.allclose(gan.generate(4, seed=0), gan.generate(4, seed=0, ema=False))
    plain = TinyGAN(dataset=blobs, latent_dim=8, seed=0, ema=None)
    assert plain.generator_ema is None
    np.testing.assert_array_equal(plain.generate(3, seed=0), plain.generate(3, seed=0, ema=False))


def test_jit_compile_env_turns_xla_off_for_models_built_after(blobs, monkeypatch):
    monkeypatch.delenv("ODOG_JIT_COMPILE")  # the suite's default (conftest.py): XLA off
    assert TinyGAN(dataset=blobs).jit_compile
    monkeypatch.setenv("ODOG_JIT_COMPILE", "0")
    gan = TinyGAN(dataset=blobs, seed=0)
    assert not gan.jit_compile
    history = gan.train(epochs=2, batch_size=8, verbose=0)  # trains as a graph, without XLA
    assert np.isfinite(history["d_loss"]).all()
