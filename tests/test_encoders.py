"""AAE and BiGAN: who each step trains, what D is shown, the encoders' API, and the linear probe."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import without_dropout

from odog import AAE, BiGAN, metrics


def _build(cls, images, **kwargs):
    return cls(dataset=images, seed=0, ema=None, **kwargs)


def _d_step_args(gan, real):
    n = len(real)
    prior = keras.ops.convert_to_tensor(gan.sample_noise((n,)))
    fake = gan.discriminator_input(gan.discriminator_fakes(prior), prior)
    return real, fake, np.ones((n, 1), "float32"), np.zeros((n, 1), "float32")


def _learned(model):  # learned state: everything but Dropout's and the noise's RNG counters
    return [v for v in model.variables if "seed_generator" not in v.path]


@pytest.mark.parametrize("cls", [AAE, BiGAN], ids=lambda c: c.name)
def test_d_step_trains_d_alone_and_g_step_trains_g_and_e_alone(cls, digits):
    gan = _build(cls, digits)
    g_and_e = _learned(gan.generator) + _learned(gan.encoder)
    before, d_before = snapshot(g_and_e), snapshot(gan.discriminator.trainable_variables)
    gan.discriminator_step(*_d_step_args(gan, digits[:8]))
    assert not any(changed(before, g_and_e)), "the D step touched G or E"
    assert all(changed(d_before, gan.discriminator.trainable_variables)), "a D weight did not move"

    d_state = _learned(gan.discriminator)
    d_before = snapshot(d_state)
    g_before, e_before = snapshot(gan.generator.trainable_variables), snapshot(gan.encoder.trainable_variables)
    z_and_real = (gan.sample_noise((8,)), digits[8:16])
    logs = gan.generator_step(tuple(keras.ops.convert_to_tensor(x) for x in z_and_real))
    assert not any(changed(d_before, d_state)), "the G step touched D"
    assert all(changed(e_before, gan.encoder.trainable_variables)), "an encoder weight did not move"
    # AAE's G step reconstructs from E's codes: every decoder weight learns. BiGAN's too (G's pairs).
    assert all(changed(g_before, gan.generator.trainable_variables)), "a G weight did not move"
    assert np.isfinite(float(logs["g_loss"]))


def test_aae_discriminator_tells_prior_draws_from_the_encoders_codes(digits):
    gan = _build(AAE, digits)
    real, prior, ones, zeros = _d_step_args(gan, digits[:16])
    assert prior.shape == (16, gan.latent_dim)  # D's inputs are codes, not images
    _, logs = gan.discriminator_objective(real, prior, ones, zeros)
    d = gan.discriminator
    assert float(logs["d_real"]) == pytest.approx(float(keras.ops.mean(d(prior))), rel=1e-5)
    for _ in range(20):
        gan.discriminator_step(real, prior, ones, zeros)
    _, trained = gan.discriminator_objective(real, prior, ones, zeros)
    assert float(trained["d_real"]) > float(logs["d_real"]) and float(trained["d_fake"]) < float(logs["d_fake"])


def test_aae_learns_to_reconstruct(digits):
    gan = _build(AAE, digits)
    first = float(np.mean(np.square(gan.reconstruct(digits, ema=False) - digits)))
    for i in range(40):
        gan.train_on_batch(digits[(i % 4) * 8 : (i % 4) * 8 + 8])
    assert gan.history["reconstruction_loss"][-1] < gan.history["reconstruction_loss"][0]
    assert float(np.mean(np.square(gan.reconstruct(digits, ema=False) - digits))) < 0.5 * first


def test_bigan_discriminator_judges_image_code_pairs(digits):
    gan = without_dropout(_build(BiGAN, digits))
    real, fake, ones, zeros = _d_step_args(gan, digits[:8])
    images, codes = fake
    assert images.shape == (8, 28, 28, 1) and codes.shape == (8, gan.latent_dim)
    # D's real pairs are (x, E(x)): its loss changes when only E changes.
    loss_before = float(gan.discriminator_objective(real, fake, ones, zeros)[0])
    for variable in gan.encoder.trainable_variables:
        variable.assign(variable + 0.05)
    assert float(gan.discriminator_objective(real, fake, ones, zeros)[0]) != pytest.approx(loss_before)


@pytest.mark.parametrize("cls", [AAE, BiGAN], ids=lambda c: c.name)
def test_encode_and_reconstruct_check_their_images(cls, digits, tmp_path):
    gan = _build(cls, digits)
    codes = gan.encode(digits[:3])
    assert codes.shape == (3, gan.latent_dim) and codes.dtype == np.float32
    assert gan.reconstruct(digits[:3]).shape == (3, 28, 28, 1)
    with pytest.raises(ValueError, match=r"Expected images of shape \(N, 28, 28, 1\) to encode\. Received"):
        gan.encode(digits[0])
    with pytest.raises(ValueError, match=r"images.shape=\(2, 32, 32, 1\)"):
        gan.encode(np.zeros((2, 32, 32, 1)))
    gan.train_on_batch(digits[:8])
    gan.save(tmp_path)  # the checkpoint holds E: a reloaded model encodes the same
    assert any(path.startswith("encoder/") for path in gan.named_variables())
    np.testing.assert_array_equal(type(gan).load(tmp_path).encode(digits[:3]), gan.encode(digits[:3]))


def test_aae_refuses_a_bad_reconstruction_weight():
    with pytest.raises(ValueError, match="reconstruction_weight"):
        AAE(dataset=np.zeros((4, 28, 28, 1), "float32"), reconstruction_weight=1.5)


def test_linear_probe_reads_separable_features_and_not_noise():
    rng = np.random.default_rng(0)
    labels = np.arange(400) % 4
    separable = np.eye(4)[labels] * 3 + rng.normal(size=(400, 4))
    assert metrics.linear_probe(separable, labels)["accuracy"] > 0.9
    noise = rng.normal(size=(400, 4))
    assert metrics.linear_probe(noise, labels)["accuracy"] < 0.45  # chance is 0.25
    with pytest.raises(ValueError, match="one label per feature row"):
        metrics.linear_probe(separable, labels[:10])
