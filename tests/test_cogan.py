"""CoGAN: shared layers, steps that change only what they train, pairs from one z, and its refusals."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import SMALL, joined_batch, small_dataset, translation_dataset

import odog
from odog import CoGAN, backend
from odog.data import translation


@pytest.fixture
def gan():
    return CoGAN(dataset=small_dataset("cogan"), seed=0, **SMALL["cogan"])


def _models(gan) -> dict:
    g, d = gan.generator, gan.discriminator
    return {name: model.get_layer(name) for model, names in ((g, ("g_shared", "g_a", "g_b")),
            (d, ("d_a", "d_b", "d_shared"))) for name in names}  # fmt: skip


def test_generators_share_their_first_layers_and_discriminators_their_last(gan):
    parts = _models(gan)
    # One trunk feeds both heads; one head feeds each domain.
    trunk, head_a, head_b = parts["g_shared"], parts["g_a"], parts["g_b"]
    z = gan.latent((3,), np.random.default_rng(0))
    a, b = gan.generate_pairs(3, seed=0, ema=False)
    np.testing.assert_array_equal(np.concatenate([a, b], -1), gan.generator.predict(z, verbose=0))
    for model, moves in ((trunk, (True, True)), (head_a, (True, False)), (head_b, (False, True))):
        saved = model.get_weights()
        model.set_weights([w + 0.5 for w in saved])
        a2, b2 = gan.generate_pairs(3, seed=0, ema=False)
        assert (not np.allclose(a, a2), not np.allclose(b, b2)) == moves, model.name
        model.set_weights(saved)
    # D: both outputs read the shared head; each its own first layer.
    real = keras.ops.convert_to_tensor(joined_batch(gan)[:4])
    before = [np.asarray(s) for s in gan.discriminator(real)]
    for model, moves in (
        (parts["d_shared"], (True, True)),
        (parts["d_a"], (True, False)),
        (parts["d_b"], (False, True)),
    ):
        saved = model.get_weights()
        model.set_weights([w + 0.3 for w in saved])
        after = [np.asarray(s) for s in gan.discriminator(real)]
        assert tuple(not np.allclose(x, y) for x, y in zip(before, after, strict=True)) == moves, model.name
        model.set_weights(saved)


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
def test_a_d_step_changes_both_critics_and_no_generator(gan, compiled):
    real = keras.ops.convert_to_tensor(joined_batch(gan)[:4])
    z = keras.ops.convert_to_tensor(gan.latent((4,)))
    ones, zeros = np.ones((4, 1), "float32"), np.zeros((4, 1), "float32")

    def d_step(real, z, ones, zeros):
        return gan.discriminator_step(real, gan.discriminator_fakes(z), ones, zeros)

    step = backend.compile_function(d_step, gan.step_variables(), jit_compile=False) if compiled else d_step
    parts = _models(gan)
    g_variables = gan.generator.variables + gan.generator_ema.variables
    g_before = snapshot(g_variables)
    d_before = {name: snapshot(parts[name].trainable_variables) for name in ("d_a", "d_b", "d_shared")}
    logs = step(real, z, ones, zeros)
    assert np.isfinite(keras.ops.convert_to_numpy(logs["d_loss"]))
    assert not any(changed(g_before, g_variables)), "the D step touched G"
    for name, before in d_before.items():
        assert all(changed(before, parts[name].trainable_variables)), f"{name} did not move"


def test_a_g_step_changes_the_generators_and_no_critic(gan):
    parts = _models(gan)
    d_before = snapshot(gan.discriminator.variables)
    g_before = {name: snapshot(parts[name].trainable_variables) for name in ("g_shared", "g_a", "g_b")}
    logs = gan.generator_step(keras.ops.convert_to_tensor(gan.latent((4,))))
    assert set(logs) == {"g_loss", "g_loss_a", "g_loss_b"}
    np.testing.assert_allclose(float(logs["g_loss"]), float(logs["g_loss_a"]) + float(logs["g_loss_b"]), rtol=1e-5)
    assert not any(changed(d_before, gan.discriminator.variables)), "the G step touched D"
    for name, before in g_before.items():
        assert all(changed(before, parts[name].trainable_variables)), f"{name} did not move"


def test_training_reads_both_domains_and_draws_pairs(gan):
    history = gan.train(epochs=3, batch_size=4, verbose=0)
    assert len(history["d_loss"]) == 3 and all(np.isfinite(v).all() for v in history.values())
    a, b = gan.generate_pairs(5, seed=1)
    assert a.shape == (5, 28, 28, 1) and b.shape == (5, 28, 28, 3) and a.dtype == b.dtype == np.float32
    assert np.abs(a).max() <= 1 and np.abs(b).max() <= 1
    np.testing.assert_array_equal(gan.generate(5, domain="a", seed=1), a)
    np.testing.assert_array_equal(gan.generate(5, seed=1), b)  # domain B by default
    assert not np.array_equal(gan.generate(5, seed=2), b)
    assert gan.interpolate(4, seed=0).shape == (4, 28, 28, 3)


def test_the_default_task_is_digits_and_textured_digits():
    gan = CoGAN(filters=4, latent_dim=8, seed=0)
    assert gan.dataset == "digits2textured" and gan.domain_channels == (1, 3) and gan.img_shape == (28, 28, 4)


def test_sample_grid_holds_rows_of_pairs(gan, tmp_path):
    from PIL import Image

    with Image.open(gan.sample_images(tmp_path / "grid.png")) as image:
        size, pixels = image.size, np.asarray(image.convert("RGB"))
    side = 28 + 2
    assert size == (8 * side + 2, gan.sample_rows * side + 2)
    a, b = gan.generate_pairs(4 * gan.sample_rows, seed=0)
    tile = pixels[2:side, 2 + side : 2 * side]  # row 0, column 1: the first pair's b
    np.testing.assert_allclose(tile, np.round((b[0] + 1) * 127.5), atol=1)
    np.testing.assert_allclose(pixels[2:side, 2:side], np.round((np.repeat(a[0], 3, -1) + 1) * 127.5), atol=1)


def test_a_saved_model_draws_the_same_pairs_without_its_data(gan, tmp_path):
    gan.train(epochs=2, batch_size=4, verbose=0)
    gan.save(tmp_path)
    loaded = odog.load(tmp_path)
    assert isinstance(loaded, CoGAN) and loaded.domain_channels == (1, 3)
    for x, y in zip(loaded.generate_pairs(3, seed=4), gan.generate_pairs(3, seed=4), strict=True):
        np.testing.assert_array_equal(x, y)


def test_bad_domains_and_arguments_are_refused(gan):
    with pytest.raises(
        ValueError, match=r"`domain`. Expected 'a' \(\(28, 28, 1\) images\) or 'b'.*Received: domain='c'"
    ):
        gan.generate(2, domain="c")
    with pytest.raises(ValueError, match="CoGAN translates nothing: it draws pairs"):
        gan.translate(np.zeros((2, 28, 28, 1), "float32"))
    with pytest.raises(ValueError, match="`n`"):
        gan.generate_pairs(0)
    a, b = translation_dataset(paired=False)
    with pytest.raises(ValueError, match="Both domains must have images of one size"):
        CoGAN(dataset=(a, b[:, :20, :20]), filters=4)
    with pytest.raises(ValueError, match=r"multiples of 4. Received: 30x30 images"):
        CoGAN(dataset=(np.zeros((4, 30, 30, 1)), np.zeros((4, 30, 30, 3))), filters=4)
    with pytest.raises(ValueError, match="Received no images for `domain_b`"):
        CoGAN(dataset=(a, b[:0]), filters=4)
    with pytest.raises(ValueError, match="`filters`"):
        CoGAN(dataset=(a, b), filters=0)
    with pytest.raises(ValueError, match="Expected batches of a and b images of one count"):
        gan.train_on_batch(a[:4], b[:3])
    arrays = translation.from_arrays(a, b, paired=False)
    with pytest.raises(ValueError, match="needs one of the MNIST tasks"):
        gan.measure(arrays, n=10)


def test_discriminate_scores_each_domain_with_its_own_critic(gan):
    a, b = gan.generate_pairs(3, seed=0)
    scores_b, scores_a = gan.discriminate(b), gan.discriminate(a, domain="a")
    assert scores_b.shape == scores_a.shape == (3,) and ((scores_b > 0) & (scores_b < 1)).all()
    joined = np.concatenate([a, b], axis=-1)
    d_a, d_b = (np.asarray(s).reshape(3) for s in gan.discriminator(joined))
    np.testing.assert_allclose(scores_a, d_a, rtol=1e-5)
    np.testing.assert_allclose(scores_b, d_b, rtol=1e-5)
    with pytest.raises(ValueError, match=r"Expected images of domain 'b', shape \(N, 28, 28, 3\)"):
        gan.discriminate(a)
