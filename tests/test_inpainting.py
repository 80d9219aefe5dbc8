"""The inpainting models (`odog.inpainting`, ContextEncoder, CCGAN): holes, compositing, steps, measures."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import digits_dataset
from PIL import Image

import odog
from odog import backend, inpainting, metrics, viz
from odog.inpainting import blur_fill, context, hole_psnr, mean_fill, square_masks

VARIANTS = ("context_encoder", "ccgan")


def _small(name: str, **options):
    images, _ = digits_dataset()
    return odog.get(name)(dataset=images, **{"filters": 4, "seed": 0, **options})


def _random_masks(n: int, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).random((n, 28, 28)) < 0.3).astype("float32")


@pytest.mark.parametrize("name", VARIANTS)
def test_inpaint_keeps_every_known_pixel_bit_identical(name):
    gan = _small(name)
    gan.train(epochs=2, batch_size=4, verbose=0)
    images = np.random.default_rng(1).uniform(-1, 1, (6, 28, 28, 1)).astype("float32")
    masks = _random_masks(6)
    out = gan.inpaint(images, masks)
    assert out.shape == images.shape and out.dtype == np.float32
    known = masks[..., None] == 0
    assert np.array_equal(out[known], images[known])
    assert not np.array_equal(out[~known], images[~known])  # the hole is G's, not the original
    assert np.abs(out).max() <= 1.0
    # One (H, W) boolean mask for all images, and uint8 images, give the same as the float forms.
    hole = masks[0] > 0
    uint8 = np.round((images + 1) * 127.5).astype("uint8")
    scaled = uint8.astype("float32") / 127.5 - 1
    np.testing.assert_array_equal(gan.inpaint(uint8, hole), gan.inpaint(scaled, np.repeat(masks[:1], 6, 0)))


def test_the_hole_of_g_input_is_blank_and_the_mask_is_its_last_channel():
    images = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    masks = square_masks(3, (28, 28, 1), 14)
    given = context(images, masks)
    assert given.shape == (3, 28, 28, 2)
    np.testing.assert_array_equal(given[..., 1:], masks)
    assert not given[..., :1][masks > 0].any()
    np.testing.assert_array_equal(given[..., :1][masks == 0], images[masks == 0])


@pytest.mark.parametrize(
    ("mask", "message"),
    [
        (np.zeros((27, 28)), r"Expected a mask of shape \(28, 28\) or \(28, 28, 1\) for all images, or \(2, 28, 28\)"),
        (np.zeros((3, 28, 28)), r"Received: mask.shape=\(3, 28, 28\)"),
        (np.full((28, 28), 0.5), r"Expected 1 on the missing pixels and 0 elsewhere. Received values \[0.5\]"),
        (np.full((28, 28), 255), r"pass a boolean mask, or \(mask > 0\)"),
    ],
)
def test_inpaint_refuses_a_bad_mask_and_says_what_to_pass(mask, message):
    gan = _small("ccgan")
    with pytest.raises(ValueError, match=message):
        gan.inpaint(np.zeros((2, 28, 28, 1), "float32"), mask)


def test_inpaint_refuses_images_of_another_shape_or_scale():
    gan = _small("ccgan")
    hole = np.zeros((28, 28))
    with pytest.raises(ValueError, match=r"Expected images of shape \(N, 28, 28, 1\).*Received: images.shape=\(2, 32"):
        gan.inpaint(np.zeros((2, 32, 32, 1), "float32"), hole)
    with pytest.raises(ValueError, match=r"Float images must be scaled to \[-1, 1\]"):
        gan.inpaint(np.full((2, 28, 28), 3.0, "float32"), hole)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hole_size": 28}, r"argument `hole_size`. Expected an integer >= 1 and <= 27. Received: hole_size=28"),
        ({"hole_position": "corner"}, r"Expected one of \('random', 'centre'\). Received: hole_position='corner'"),
        ({"filters": 0}, r"argument `filters`"),
    ],
)
def test_constructor_refuses_bad_holes(options, message):
    with pytest.raises(ValueError, match=message):
        _small("ccgan", **options)


def test_context_encoder_refuses_a_loss_of_nothing():
    with pytest.raises(ValueError, match="both 0"):
        _small("context_encoder", reconstruction_weight=0.0, adversarial_weight=0.0)


def test_training_holes_are_squares_of_hole_size_inside_the_image():
    gan = _small("ccgan", hole_size=10)
    masks = gan.training_masks(200)
    assert masks.shape == (200, 28, 28, 1) and set(np.unique(masks)) == {0.0, 1.0}
    assert (masks.sum(axis=(1, 2, 3)) == 100).all()  # never cut by the border
    rows = masks.max(axis=(2, 3)).argmax(axis=1)
    assert len(np.unique(rows)) > 10  # at many places
    centre = square_masks(1, (28, 28, 1), 10)[0, :, :, 0]
    assert centre[9:19, 9:19].all() and centre.sum() == 100
    assert (_small("ccgan", hole_position="centre").training_masks(5) == square_masks(5, (28, 28, 1), 14)).all()


@pytest.mark.parametrize("name", VARIANTS)
def test_the_d_step_changes_d_only_and_the_g_step_g_only(name):
    gan = _small(name)
    images, _ = digits_dataset(8)
    inputs = gan.step_inputs(images.reshape((1, 8, 28, 28, 1)))
    fake = gan.discriminator_fakes(inputs["z_d"][0])
    g_before, d_before = snapshot(gan.generator.variables), snapshot(gan.discriminator.trainable_variables)
    step = backend.compile_function(gan.discriminator_step, gan.step_variables())
    step(inputs["real"][0], fake, inputs["real_targets"][0], inputs["fake_targets"][0])
    assert not any(changed(g_before, gan.generator.variables)), "the D step touched G"
    assert all(changed(d_before, gan.discriminator.trainable_variables)), "a D weight did not move"

    d_state, g_before = snapshot(gan.discriminator.variables), snapshot(gan.generator.trainable_variables)
    step = backend.compile_function(gan.generator_step, gan.step_variables())
    logs = step(inputs["z_g"])
    assert not any(changed(d_state, gan.discriminator.variables)), "the G step touched D"
    assert any(changed(g_before, gan.generator.trainable_variables)), "G did not move"
    # Only the hole is G's: the composited image's known pixels are the real ones.
    given, real = inputs["z_g"]
    out = keras.ops.convert_to_numpy(gan.generator(given, training=False))
    np.testing.assert_array_equal(out[given[..., 1:] == 0], real[given[..., 1:] == 0])
    assert {"g_loss", "hole_mse", "adversarial_loss"} <= set(logs)


def test_the_losses_are_each_papers():
    ce = _small("context_encoder").train_on_batch(digits_dataset(4)[0])
    np.testing.assert_allclose(ce["g_loss"], 0.999 * ce["hole_mse"] + 0.001 * ce["adversarial_loss"], rtol=1e-5)
    cc = _small("ccgan").train_on_batch(digits_dataset(4)[0])
    np.testing.assert_allclose(cc["g_loss"], cc["adversarial_loss"], rtol=1e-6)  # no reconstruction term


def test_context_encoder_training_on_mnist_lowers_the_hole_error(mnist):
    gan = odog.ContextEncoder(dataset=mnist.images[:2000], filters=8, learning_rate=1e-3, seed=0)
    held_out = mnist.images[-200:]
    before = gan.evaluate(held_out, ema=False)["psnr_hole"]
    gan.train(epochs=300, batch_size=32, verbose=0)
    after = gan.evaluate(held_out, ema=False)
    assert after["psnr_hole"] > before + 1.5, (before, after)
    assert after["psnr_hole"] > max(s["psnr_hole"] for s in after["baselines"].values()), after


def test_mean_fill_pastes_the_mean_into_the_hole_only():
    images = np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    masks = square_masks(4, (28, 28, 1), 14)
    mean = images.mean(axis=0)
    filled = mean_fill(images, masks, mean)
    np.testing.assert_array_equal(filled[masks == 0], images[masks == 0])
    np.testing.assert_array_equal(filled[masks > 0], np.broadcast_to(mean, images.shape)[masks > 0])


def test_blur_fill_continues_smooth_images_and_keeps_known_pixels():
    rows = np.linspace(-1, 1, 28, dtype="float32")
    ramp = np.broadcast_to(rows[None, :, None, None], (2, 28, 28, 1)).copy()  # brighter downwards
    masks = square_masks(2, (28, 28, 1), 14)
    filled = blur_fill(ramp, masks)
    np.testing.assert_array_equal(filled[masks == 0], ramp[masks == 0])
    assert np.abs(filled - ramp).max() < 0.1  # the mean of the known pixels alone would miss by 0.5
    assert hole_psnr(filled, ramp, masks) > hole_psnr(mean_fill(ramp, masks, np.zeros((28, 28, 1))), ramp, masks)


def test_hole_psnr_counts_the_hole_only():
    rng = np.random.default_rng(0)
    images, references = rng.uniform(-1, 1, (2, 2, 28, 28, 1)).astype("float32")
    everywhere = np.ones((2, 28, 28, 1), "float32")
    assert hole_psnr(images, references, everywhere) == pytest.approx(metrics.psnr(images, references))
    masks = square_masks(2, (28, 28, 1), 14)
    outside_changed = np.where(masks > 0, images, references + 0.5)
    assert hole_psnr(outside_changed, references, masks) == pytest.approx(hole_psnr(images, references, masks))
    with pytest.raises(ValueError, match="at least one missing pixel"):
        hole_psnr(images, references, np.zeros_like(masks))


def test_evaluate_scores_g_and_both_baselines_on_digits(mnist):
    gan = odog.CCGAN(filters=4, seed=0)
    test = odog.data.load_named("mnist", "test")
    scores = gan.evaluate(test.images[:100], test.labels[:100])
    assert set(scores) == {"psnr_hole", "digit_accuracy", "fd", "baselines"}
    assert set(scores["baselines"]) == {"mean", "blur"}
    for score in [scores, *scores["baselines"].values()]:
        assert 0.0 <= score["digit_accuracy"] <= 1.0 and np.isfinite(score["psnr_hole"]) and score["fd"] > 0
    np.testing.assert_allclose(gan.mean_image, mnist.images.mean(axis=0, dtype="float64"), atol=1e-6)
    assert "PSNR in the hole" in inpainting.summary(scores) and "classifier FD" in inpainting.summary(scores)
    with pytest.raises(ValueError, match="Pass labels=None"):
        _small("ccgan").evaluate(test.images[:4], test.labels[:4])


def test_sample_grid_has_masked_inpainted_and_original_columns(tmp_path):
    gan = _small("context_encoder")
    images = digits_dataset(2)[0]
    grid = np.asarray(Image.open(gan.sample_images(tmp_path / "two.png", images=images)))
    masks = gan.centre_masks(2)
    columns = np.stack([images * (1 - masks), gan.inpaint(images, masks), images], axis=1).reshape(6, 28, 28, 1)
    np.testing.assert_array_equal(grid, np.asarray(viz.image_grid(columns, rows=2)))
    assert Image.open(gan.sample_images(tmp_path / "default.png")).size[1] > grid.shape[0]  # sample_rows rows
