"""Pyramids, attention and super-resolution: the layers on their own, then each variant's step."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import changed, snapshot

import odog
from odog import ESRGAN, LAPGAN, SAGAN, SRGAN, cli, imaging, losses, metrics
from odog.base import _take
from odog.layers import PixelShuffle, SelfAttention, SpectralNormalization
from odog.models import WeightsUnavailableError, vgg_features


def _learned(model):  # every D variable but Dropout's RNG counter, SN's u vectors included
    return [v for v in model.variables if "seed_generator" not in v.path]


# ----------------------------------------------------------------------
# odog.layers
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "layer, shape",
    [(keras.layers.Dense(16), (4, 24)), (keras.layers.Conv2D(8, 3, padding="same"), (2, 6, 6, 5))],
    ids=["dense", "conv"],
)
def test_spectral_norm_makes_the_largest_singular_value_one(layer, shape):
    sn = SpectralNormalization(layer)
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    sn(x)
    sn.layer.kernel.assign(sn.layer.kernel * 7.0)  # far from 1 before normalization
    raw = np.linalg.svd(np.asarray(sn.layer.kernel).reshape(-1, layer.kernel.shape[-1]), compute_uv=False)[0]
    for _ in range(40):  # power iteration advances one step per training call
        sn(x, training=True)
    normalized = np.asarray(sn.normalized_kernel()).reshape(-1, layer.kernel.shape[-1])
    assert raw > 2.0
    assert np.linalg.svd(normalized, compute_uv=False)[0] == pytest.approx(1.0, abs=0.02)
    # The output is the wrapped layer's with the normalized kernel.
    expected = layer.__class__.from_config(layer.get_config())
    expected.build(shape)
    expected.set_weights([normalized.reshape(layer.kernel.shape), np.asarray(layer.bias)])
    np.testing.assert_allclose(sn(x), expected(x), rtol=1e-4, atol=1e-5)


def test_spectral_norm_trains_through_sigma_and_freezes_u_outside_training():
    sn = SpectralNormalization(keras.layers.Dense(3))
    x = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")
    sn(x)
    with tf.GradientTape() as tape:
        out = tf.reduce_sum(sn(x, training=True) ** 2)
    assert tape.gradient(out, sn.layer.kernel.value) is not None
    u = snapshot([sn.u])
    sn(x)  # inference
    sn.trainable = False
    sn(x, training=True)  # frozen, as D is in odog's G step
    assert not any(changed(u, [sn.u]))
    sn.trainable = True
    sn(x, training=True)
    assert all(changed(u, [sn.u]))


def test_spectral_norm_refuses_layers_without_a_kernel():
    with pytest.raises(ValueError, match="has none"):
        SpectralNormalization(keras.layers.ReLU())(np.ones((1, 2), "float32"))


def test_self_attention_starts_as_identity_and_then_mixes_distant_positions():
    layer = SelfAttention()
    x = np.random.default_rng(0).normal(size=(1, 6, 6, 16)).astype("float32")
    np.testing.assert_allclose(layer(x), x)
    attention = np.asarray(layer.attention(x))
    assert attention.shape == (1, 36, 36)
    np.testing.assert_allclose(attention.sum(axis=-1), 1.0, rtol=1e-5)
    layer.gamma.assign(1.0)
    moved = x.copy()
    moved[0, 5, 5] += 5.0  # change the far corner only
    delta = np.abs(np.asarray(layer(moved)) - np.asarray(layer(x)))[0, 0, 0]
    assert delta.max() > 1e-4, "position (0, 0) does not see position (5, 5)"


def test_pixel_shuffle_is_depth_to_space_at_any_size():
    x = np.random.default_rng(0).normal(size=(2, 3, 5, 12)).astype("float32")
    np.testing.assert_array_equal(PixelShuffle(2)(x), tf.nn.depth_to_space(x, 2))
    model = keras.Sequential([keras.Input((None, None, 8)), PixelShuffle(2)])
    assert model(np.zeros((1, 4, 6, 8), "float32")).shape == (1, 8, 12, 2)


# ----------------------------------------------------------------------
# Losses, metrics, resizing
# ----------------------------------------------------------------------
def test_hinge_and_relativistic_losses():
    real, fake = np.ones((4, 1), "float32"), np.zeros((4, 1), "float32")
    assert float(losses.hinge(real, np.full((4, 1), 1.5))) == 0.0  # margin met
    assert float(losses.hinge(fake, np.full((4, 1), 0.5))) == pytest.approx(1.5)
    good = float(losses.relativistic_average(np.full((4, 1), 3.0), np.full((4, 1), -3.0)))
    bad = float(losses.relativistic_average(np.full((4, 1), -3.0), np.full((4, 1), 3.0)))
    assert good < 0.01 < np.log(2) < bad  # log 2 when real and fake score the same
    assert float(losses.relativistic_average(real, real)) == pytest.approx(np.log(2), rel=1e-5)


def test_psnr_and_ssim():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (3, 16, 16, 1))
    noisy = x + rng.normal(0, 0.1, x.shape)
    assert metrics.psnr(noisy, x) == pytest.approx(10 * np.log10(4 / 0.01), abs=0.3)
    assert metrics.ssim(x, x) == pytest.approx(1.0)
    assert 0 < metrics.ssim(noisy, x) < 0.99
    assert metrics.ssim(noisy, x) > metrics.ssim(x + rng.normal(0, 0.5, x.shape), x)
    with pytest.raises(ValueError, match="same shape"):
        metrics.psnr(x, x[:2])


def test_resize():
    x = np.random.default_rng(0).uniform(-1, 1, (2, 8, 8, 3)).astype("float32")
    box = imaging.resize(x, 4, "box")
    np.testing.assert_allclose(box, x.reshape(2, 4, 2, 4, 2, 3).mean(axis=(2, 4)), atol=1e-6)
    assert imaging.resize(x, (16, 12), "bicubic").shape == (2, 16, 12, 3)
    with pytest.raises(ValueError, match="method"):
        imaging.resize(x, 4, "lanczos9")


def test_vgg_features_before_and_after_the_activation():
    x = np.random.default_rng(0).uniform(-1, 1, (2, 32, 32, 1)).astype("float32")
    keras.utils.set_random_seed(0)
    before = np.asarray(vgg_features((32, 32, 1), "block1_conv2", before_activation=True, weights=None)(x))
    keras.utils.set_random_seed(0)
    after = np.asarray(vgg_features((32, 32, 1), "block1_conv2", weights=None)(x))
    assert before.min() < 0 <= after.min()
    np.testing.assert_allclose(np.maximum(before, 0), after, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="at least 32x32"):
        vgg_features((28, 28, 1), weights=None)


# ----------------------------------------------------------------------
# SAGAN
# ----------------------------------------------------------------------
def test_sagan_steps_change_their_own_model_only(digits):
    gan = SAGAN(dataset=digits, filters=8, latent_dim=16, seed=0, ema=None)
    kinds = {type(layer).__name__ for layer in gan.discriminator.layers}
    assert {"SpectralNormalization", "SelfAttention"} <= kinds and "BatchNormalization" not in kinds
    assert "SelfAttention" in {type(layer).__name__ for layer in gan.generator.layers}
    rates = float(gan.d_optimizer.learning_rate), float(gan.g_optimizer.learning_rate)
    assert rates == pytest.approx((4e-4, 1e-4))
    z = gan.sample_noise((8,))
    fake = keras.ops.convert_to_numpy(gan.generator(z, training=False))
    g_before, d_before = snapshot(gan.generator.variables), snapshot(gan.discriminator.trainable_variables)
    gan.discriminator_step(digits[:8], fake, np.ones((8, 1), "float32"), np.zeros((8, 1), "float32"))
    assert not any(changed(g_before, gan.generator.variables)), "the D step touched G"
    variables = gan.discriminator.trainable_variables
    still = {v.path for v, moved in zip(variables, changed(d_before, variables), strict=True) if not moved}
    # Attention's convolutions sit behind gamma = 0 and get no gradient in the first step (gamma does);
    # the output bias neither, while every real and fake score is inside the hinge margin (+1 - 1 = 0).
    assert all("self_attention" in p and not p.endswith("gamma") or p == variables[-1].path for p in still), still
    assert len(still) <= 5, still

    d_before, g_before = snapshot(_learned(gan.discriminator)), snapshot(gan.generator.trainable_variables)
    logs = gan.generator_step(z)
    assert not any(changed(d_before, _learned(gan.discriminator))), "the G step touched D (or its SN vectors)"
    assert sum(changed(g_before, gan.generator.trainable_variables)) > len(g_before) // 2
    assert np.isfinite(float(logs["g_loss"]))


def test_sagan_hinge_objective_falls_against_a_fixed_g(digits):
    gan = SAGAN(dataset=digits, filters=8, latent_dim=16, seed=0, ema=None)
    fake = keras.ops.convert_to_numpy(gan.generator(gan.sample_noise((16,)), training=False))
    args = (digits[:16], fake, np.ones((16, 1), "float32"), np.zeros((16, 1), "float32"))
    first = float(gan.discriminator_objective(*args)[0])
    for _ in range(10):
        gan.discriminator_step(*args)
    loss, logs = gan.discriminator_objective(*args)
    assert float(loss) < first
    real, fake = (np.asarray(gan.discriminator(x)) for x in args[:2])  # a linear D: "real" means > 0
    assert float(logs["d_acc"]) == pytest.approx(0.5 * ((real > 0).mean() + (fake <= 0).mean()))


def test_sagan_refuses_sides_not_divisible_by_4():
    with pytest.raises(ValueError, match="divisible by 4"):
        SAGAN(dataset=np.zeros((2, 30, 30, 1), "float32"))


# ----------------------------------------------------------------------
# LAPGAN
# ----------------------------------------------------------------------
def test_lapgan_pyramid_is_exact_and_padded(mnist):
    gan = LAPGAN(dataset=mnist.images[:64], filters=8, seed=0)
    assert gan.sides == [8, 16, 32]
    bands, conditions = gan.decompose(mnist.images[:16])
    assert [b.shape[1] for b in bands] == [8, 16, 32] and [c.shape[1] for c in conditions] == [16, 32]
    np.testing.assert_allclose(gan.reconstruct(bands), mnist.images[:16], atol=1e-5)
    assert abs(bands[2]).mean() < abs(bands[0]).mean()  # residuals are small band-pass detail
    cifar_like = LAPGAN(dataset=np.zeros((2, 64, 64, 3), "uint8"), filters=4)
    assert cifar_like.sides == [8, 16, 32, 64] and len(cifar_like.generator.outputs) == 4


def test_lapgan_trains_every_level_on_the_real_pyramid(mnist):
    gan = LAPGAN(dataset=mnist.images[:256], filters=8, seed=0, ema=None)
    inputs = gan.step_inputs(mnist.images[:8][None])
    real, latent = _take(inputs["real"], 0), _take(inputs["z_d"], 0)
    # G's conditions are the real batch's coarse images, as in the paper.
    np.testing.assert_array_equal(np.asarray(latent[3]), np.asarray(real[2]))
    generated = [keras.ops.convert_to_numpy(t) for t in gan.generator(latent, training=False)]
    fake = gan.discriminator_input(generated, latent)
    targets = np.ones((8, 1), "float32"), np.zeros((8, 1), "float32")
    g_before, d_before = snapshot(gan.generator.variables), snapshot(gan.discriminator.trainable_variables)
    logs = gan.discriminator_step(real, fake, *targets)
    assert not any(changed(g_before, gan.generator.variables))
    assert all(changed(d_before, gan.discriminator.trainable_variables)), "a level's D did not train"
    assert {"d_loss_0", "d_loss_1", "d_loss_2"} <= set(logs)
    d_before, g_before = snapshot(_learned(gan.discriminator)), snapshot(gan.generator.trainable_variables)
    gan.generator_step(inputs["z_g"])
    assert not any(changed(d_before, _learned(gan.discriminator)))
    assert all(changed(g_before, gan.generator.trainable_variables)), "a level's G did not train"

    history = gan.train(epochs=30, batch_size=16, verbose=0)
    assert np.isfinite(history["d_loss"]).all()
    x = gan.generate(5, seed=0)
    assert x.shape == (5, 28, 28, 1) and x.min() >= -1 and x.max() <= 1
    np.testing.assert_array_equal(x, gan.generate(5, seed=0))
    assert gan.discriminate(mnist.images[:4]).shape == (4,)


def test_lapgan_refine_keeps_the_coarse_levels_and_generates_the_rest(mnist):
    gan = LAPGAN(dataset=mnist.images[:64], filters=8, seed=0)
    images = mnist.images[:6]
    bands, _ = gan.decompose(images)

    def own(levels):  # the images' own first `levels` levels, upsampled with nothing added, cropped
        return np.clip(gan.reconstruct(bands[:levels] + [0 * b for b in bands[levels:]]), -1, 1)

    refined = gan.refine(images, start=2, seed=3)
    assert refined.shape == images.shape and not np.allclose(refined, own(2), atol=1e-3)  # G adds its level
    np.testing.assert_array_equal(refined, gan.refine(images, start=2, seed=3))
    # With G's residuals zeroed, what is left is exactly the images' own coarse levels.
    for level in ("level_2", "level_1"):
        for generator in (gan.generator, gan.generator_ema):
            layer = generator.get_layer(level)
            layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
        if level == "level_2":
            np.testing.assert_allclose(gan.refine(images, start=2), own(2), atol=1e-5)
            assert not np.allclose(gan.refine(images, start=1), own(1), atol=1e-3)  # level 1 is still G's
    np.testing.assert_allclose(gan.refine(images, start=1), own(1), atol=1e-5)
    np.testing.assert_allclose(gan.refine(images, start=1, ema=False), own(1), atol=1e-5)
    with pytest.raises(ValueError, match="start"):
        gan.refine(images, start=3)
    with pytest.raises(ValueError, match=r"Expected images of shape \(N, 28, 28, 1\) to refine"):
        gan.refine(images[0])


# ----------------------------------------------------------------------
# SRGAN and ESRGAN
# ----------------------------------------------------------------------
def _small_srgan(cls, images, **kwargs):
    return cls(dataset=images, filters=16, content_loss="pixel", seed=0, **kwargs)


def test_srgan_learns_to_beat_bicubic_on_held_out_digits(mnist):
    gan = _small_srgan(SRGAN, mnist.images[:2000], residual_blocks=2, learning_rate=1e-3)
    assert gan.generator.output_shape == (None, None, None, 1)  # any size
    kinds = {type(layer).__name__ for layer in gan.generator.layers}
    assert {"PixelShuffle", "PReLU", "BatchNormalization"} <= kinds
    held_out = mnist.images[-300:]
    before = gan.evaluate(held_out)
    history = gan.train(epochs=150, batch_size=16, verbose=0)
    after = gan.evaluate(held_out)
    assert np.mean(history["content_loss"][-20:]) < 0.5 * np.mean(history["content_loss"][:5])
    assert after["psnr"] > before["psnr"] + 5
    assert after["psnr"] > after["bicubic_psnr"], after
    assert gan.upscale(np.zeros((3, 5, 9, 1), "float32")).shape == (3, 20, 36, 1)


def test_srgan_steps_change_their_own_model_only(digits):
    gan = _small_srgan(SRGAN, digits, residual_blocks=1, ema=None)
    inputs = gan.step_inputs(digits[:8][None])
    assert inputs["z_d"].shape == (1, 8, 7, 7, 1)
    low, high = inputs["z_g"]
    np.testing.assert_array_equal(high, digits[:8])
    fake = keras.ops.convert_to_numpy(gan.generator(low, training=False))
    g_before, d_before = snapshot(gan.generator.variables), snapshot(gan.discriminator.trainable_variables)
    gan.discriminator_step(digits[:8], fake, np.ones((8, 1), "float32"), np.zeros((8, 1), "float32"))
    assert not any(changed(g_before, gan.generator.variables))
    assert all(changed(d_before, gan.discriminator.trainable_variables))
    d_before, g_before = snapshot(_learned(gan.discriminator)), snapshot(gan.generator.trainable_variables)
    logs = gan.generator_step([low, high])
    assert not any(changed(d_before, _learned(gan.discriminator)))
    assert all(changed(g_before, gan.generator.trainable_variables))
    assert float(logs["g_loss"]) == pytest.approx(
        float(logs["content_loss"]) + 1e-3 * float(logs["adversarial_loss"]), rel=1e-5
    )


def test_srgan_content_loss_never_falls_back_silently(digits):
    with pytest.warns(UserWarning, match="VGG19 content loss cannot be used.*32x32"):
        gan = SRGAN(dataset=digits, residual_blocks=1, filters=8)  # auto, on 28x28
    assert gan.content_loss == "pixel"
    with pytest.raises(ValueError, match="at least 32x32"):
        SRGAN(dataset=digits, residual_blocks=1, filters=8, content_loss="vgg")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert SRGAN(dataset=digits, residual_blocks=1, filters=8, content_loss="pixel").content_loss == "pixel"


def test_srgan_offline_vgg_is_a_clear_error(monkeypatch):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: offline")

    monkeypatch.setattr(keras.applications, "VGG19", offline)
    images = np.zeros((4, 32, 32, 3), "uint8")
    with pytest.raises(WeightsUnavailableError, match="Connect to the internet once"):
        SRGAN(dataset=images, residual_blocks=1, filters=8, content_loss="vgg")
    with pytest.warns(UserWarning, match="could not be loaded"):
        assert SRGAN(dataset=images, residual_blocks=1, filters=8).content_loss == "pixel"


def test_srgan_refuses_bad_input(digits):
    gan = _small_srgan(SRGAN, digits, residual_blocks=1)
    with pytest.raises(ValueError, match=r"\(N, height, width, 1\)"):
        gan.upscale(np.zeros((2, 7, 7, 3), "float32"))
    with pytest.raises(ValueError, match=r"\[-1, 1\].*127.5"):
        gan.upscale(np.full((2, 7, 7, 1), 255.0, "float32"))
    with pytest.raises(ValueError, match="divisible by scale=4"):
        SRGAN(dataset=np.zeros((2, 30, 30, 1), "float32"), content_loss="pixel")
    with pytest.raises(ValueError, match="power of two"):
        SRGAN(dataset=digits, scale=3, content_loss="pixel")


def test_esrgan_pretrains_g_alone_then_trains_the_relativistic_gan(digits, tmp_path):
    gan = _small_srgan(ESRGAN, digits, rrdb_blocks=1, growth=8, pretrain_iterations=3)
    kinds = {type(layer).__name__ for layer in gan.generator.layers}
    assert "BatchNormalization" not in kinds and "PixelShuffle" not in kinds
    assert gan.discriminator.layers[-1].activation is keras.activations.linear
    d_before = snapshot(_learned(gan.discriminator))
    for _ in range(3):
        logs = gan.train_on_batch(digits[:8])
        assert gan.stage == "psnr" or gan.iteration == 3
    assert "d_loss" not in logs and not any(changed(d_before, _learned(gan.discriminator)))
    gan.save(tmp_path)
    resumed = odog.load(tmp_path, dataset=digits)
    assert resumed.stage == "gan"
    logs = resumed.train_on_batch(digits[:8])
    assert {"d_loss", "perceptual_loss", "adversarial_loss", "pixel_loss"} <= set(logs)
    assert any(changed(d_before, _learned(resumed.discriminator)))
    # Without a reload, the model switches to the GAN stage's step on its own.
    assert "d_loss" in gan.train_on_batch(digits[:8]) and any(changed(d_before, _learned(gan.discriminator)))


def test_odog_upscale_cli(digits, tmp_path, capsys):
    gan = _small_srgan(SRGAN, digits, residual_blocks=1)
    gan.save(tmp_path / "run")
    np.save(tmp_path / "small.npy", digits[:3, ::4, ::4])
    assert (
        cli.main(["upscale", str(tmp_path / "run"), str(tmp_path / "small.npy"), "--out", str(tmp_path / "big.npy")])
        == 0
    )
    assert np.load(tmp_path / "big.npy").shape == (3, 28, 28, 1)
    from PIL import Image

    Image.fromarray(np.full((6, 5), 200, "uint8")).save(tmp_path / "small.png")
    assert (
        cli.main(["upscale", str(tmp_path / "run"), str(tmp_path / "small.png"), "--out", str(tmp_path / "big.png")])
        == 0
    )
    assert Image.open(tmp_path / "big.png").size == (20, 24)
    dcgan = odog.DCGAN(dataset=digits)
    dcgan.save(tmp_path / "dcgan")
    assert cli.main(["upscale", str(tmp_path / "dcgan"), str(tmp_path / "small.png")]) == 2
    assert "super-resolution" in capsys.readouterr().err
