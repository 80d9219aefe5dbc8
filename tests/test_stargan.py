"""StarGAN: its five-domain MNIST task, what each step trains, translate(), bad domains refused, the grid,
checkpoints."""

import numpy as np
import pytest
from conftest import changed, snapshot
from PIL import Image

import odog
from odog import backend
from odog.data import domains

NAMES = ["plain", "thin", "thick", "inverted", "coloured"]


def _task(n: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` 28x28 RGB bars in [-1, 1], each drawn in one of the five domains (as `mnist_domains` draws digits)."""
    rng = np.random.default_rng(seed)
    digits = np.zeros((n, 28, 28), "uint8")
    for image, (r, c) in zip(digits, rng.integers(4, 16, (n, 2)), strict=True):
        image[r : r + 10, c : c + 4] = 255
    labels = np.arange(n) % 5
    return domains.stylize(digits, labels, seed=seed).astype("float32") / 127.5 - 1.0, labels


@pytest.fixture(scope="module")
def task():
    return _task()


@pytest.fixture
def gan(task):
    return odog.StarGAN(dataset=task, domains=NAMES, filters=4, residual_blocks=1, d_steps=1, seed=0)


def test_the_styles_are_what_their_names_say():
    digit = np.zeros((1, 28, 28), "uint8")
    digit[0, 8:20, 12:16] = 255  # a bar 4 pixels wide
    images = domains.stylize(np.repeat(digit, 5, axis=0), np.arange(5), seed=0).astype("int64")
    plain, thin, thick, inverted, coloured = images
    width = [int((x[14, :, 0] > 127).sum()) for x in (plain, thin, thick)]
    assert width == [4, 2, 6]  # eroded by one pixel each side, dilated by one
    np.testing.assert_array_equal(inverted, 255 - plain)
    assert (plain[..., 0] == plain[..., 1]).all() and (plain[..., 1] == plain[..., 2]).all()  # grey
    stroke = coloured[14, 13]
    assert stroke.max() == 255 and stroke.min() <= 0.3 * 255 and (coloured[0, 0] == 0).all()  # a hue, on black
    with pytest.raises(ValueError, match=r"Expected domains in \[0, 4\]"):
        domains.stylize(digit, np.array([5]))


def test_the_offline_task_is_balanced_and_labelled_by_domain_and_by_digit():
    (x, d, y), (x_test, d_test, y_test) = domains.mnist_domains()
    assert x.shape == (60000, 28, 28, 3) and x_test.shape == (10000, 28, 28, 3)
    assert np.bincount(d).tolist() == [12000] * 5 and np.bincount(d_test).tolist() == [2000] * 5
    test, digits = domains.load("test")
    np.testing.assert_array_equal(test.labels, d_test)
    np.testing.assert_array_equal(digits, y_test)
    assert odog.data.num_classes("mnist_domains") == 5 and odog.data.num_classes("mnist_domains_digits") == 10
    inverted = x_test[d_test == 3]
    assert inverted[:, 0, 0].mean() > 250  # white background


def test_networks_take_an_image_and_a_domain_and_d_has_two_heads(gan):
    assert [tuple(t.shape) for t in gan.generator.inputs] == [(None, 28, 28, 3), (None, 5)]
    assert tuple(gan.generator.output.shape) == (None, 28, 28, 3)
    assert [tuple(t.shape) for t in gan.discriminator.outputs] == [(None, 7, 7, 1), (None, 5)]
    assert gan.domains == NAMES and gan.num_classes == 5


def test_targets_differ_from_the_images_own_domain(gan):
    labels = np.arange(1000) % 5
    targets = gan.targets(labels)
    assert (targets != labels).all() and set(np.unique(targets)) == set(range(5))


def test_d_step_trains_d_only(gan, task):
    images, labels = task
    z_d, _ = gan.generator_inputs(images[None, :8], labels[None, :8])
    fake = gan.discriminator_fakes([z_d[0][0], z_d[1][0]])
    g_before, ema_before = snapshot(gan.generator.variables), snapshot(gan.generator_ema.variables)
    d_before = snapshot(gan.discriminator.trainable_variables)
    logs = gan.discriminator_step(
        [images[:8], gan.condition(labels[:8])],
        gan.discriminator_input(fake, [z_d[0][0], z_d[1][0]]),
        np.ones((8, 1)),
        np.zeros((8, 1)),
    )
    assert sum(changed(d_before, gan.discriminator.trainable_variables)) >= len(d_before) - 1
    assert not any(changed(g_before, gan.generator.variables))
    assert not any(changed(ema_before, gan.generator_ema.variables))
    assert {"gradient_penalty", "d_domain_loss", "d_domain_acc", "d_adversarial"} <= set(logs)
    assert float(logs["gradient_penalty"]) >= 0


def test_g_step_trains_g_only_and_leaves_d_bit_identical(gan, task):
    images, labels = task
    d_before = snapshot(gan.discriminator.variables)
    g_before = snapshot(gan.generator.trainable_variables)
    _, z_g = gan.generator_inputs(images[None, :8], labels[None, :8])
    step = backend.compile_function(gan.generator_step, gan.step_variables(), False)
    logs = step(z_g)
    assert all(changed(g_before, gan.generator.trainable_variables))
    assert not any(changed(d_before, gan.discriminator.variables))
    assert set(logs) == {"g_loss", "adversarial_loss", "g_domain_loss", "g_domain_acc", "reconstruction_loss"}


def test_training_lowers_the_reconstruction_loss(task):
    gan = odog.StarGAN(dataset=task, filters=8, residual_blocks=1, learning_rate=1e-3, d_steps=1, seed=0)
    history = gan.train(epochs=40, batch_size=8, verbose=0)
    first, last = np.mean(history["reconstruction_loss"][:5]), np.mean(history["reconstruction_loss"][-5:])
    assert last < 0.7 * first
    assert np.isfinite(history["d_loss"]).all()


def test_translate_takes_a_name_a_number_or_one_target_per_image(gan, task):
    images, _ = task
    one = gan.translate(images[:3], to="thick")
    assert one.shape == (3, 28, 28, 3) and one.dtype == np.float32 and np.abs(one).max() <= 1
    np.testing.assert_array_equal(one, gan.translate(images[:3], to=2))
    mixed = gan.translate(images[:3], to=["thin", "thick", "plain"])
    np.testing.assert_array_equal(mixed[1], one[1])
    assert not np.array_equal(mixed[0], one[0])  # the domain changes the output
    from_uint8 = gan.translate(np.round((images[:1] + 1) * 127.5).astype("uint8"), to="thick")
    np.testing.assert_allclose(from_uint8, one[:1], atol=1e-4)


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("blurred", r"argument `to`. Expected one of the domains \['plain', 'thin', 'thick', 'inverted', 'coloured'\]"),
        (7, r"argument `to`. Expected domain labels in \[0, 4\]. Received: 7"),
        (["thin", "thick"], r"argument `to`. Expected 3 labels, one per image"),
        (-1, r"Expected domain labels in \[0, 4\]. Received: -1"),
    ],
)
def test_translate_refuses_a_bad_domain(gan, task, to, message):
    with pytest.raises(ValueError, match=message):
        gan.translate(task[0][:3], to=to)


def test_translate_refuses_images_of_another_shape(gan):
    with pytest.raises(
        ValueError, match=r"Expected images of shape \(N, 28, 28, 3\).*Received: images.shape=\(2, 28, 28\)"
    ):
        gan.translate(np.zeros((2, 28, 28), "float32"), to="thin")


def test_constructor_refuses_bad_domains_and_labels(task):
    images, labels = task
    with pytest.raises(ValueError, match=r"Expected domain labels in \[0, 2\].*Received: a label 4"):
        odog.StarGAN(dataset=task, domains=["a", "b", "c"], filters=4)
    with pytest.raises(ValueError, match="Expected one integer label per image. Received labels.shape=\\(5,\\) for 20"):
        odog.StarGAN(dataset=(images, labels[:5]), filters=4)
    with pytest.raises(ValueError, match="at least 2 different non-empty strings"):
        odog.StarGAN(dataset=task, domains=["a", "a", "b", "c", "d"], filters=4)
    with pytest.raises(ValueError, match="dataset=\\(images, domain_labels\\)"):
        odog.StarGAN(dataset=(images, None), filters=4)
    with pytest.raises(ValueError, match="at least 2 of them"):
        odog.StarGAN(dataset=(images, np.zeros(len(images), "int64")), filters=4)
    with pytest.raises(ValueError, match="rec_weight"):
        odog.StarGAN(dataset=task, rec_weight=-1.0, filters=4)


def test_numbered_domains_are_named_by_their_numbers(task):
    gan = odog.StarGAN(dataset=(task[0], task[1] % 3), filters=4, residual_blocks=1, seed=0)
    assert gan.domains == ["0", "1", "2"]
    assert gan.translate(task[0][:2], to="2").shape == (2, 28, 28, 3)


def test_the_default_task_and_its_paper_settings():
    gan = odog.StarGAN(filters=4, residual_blocks=1)
    assert gan.dataset == "mnist_domains" and gan.domains == NAMES and gan.img_shape == (28, 28, 3)
    assert (gan.gp_weight, gan.cls_weight, gan.rec_weight, gan.d_steps) == (10.0, 1.0, 10.0, 5)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(1e-4)


def test_generate_translates_training_images_into_the_requested_domains(gan):
    images = gan.generate(4, labels="inverted", seed=0)
    assert images.shape == (4, 28, 28, 3)
    np.testing.assert_array_equal(images, gan.generate(4, labels=3, seed=0))


def test_the_grid_has_an_input_column_then_one_per_domain(gan, tmp_path):
    path = gan.sample_images(tmp_path / "grid.png")
    width, height = Image.open(path).size
    rows = len(gan._sample_images()[0])
    assert rows == 8  # the task's 20 images hold enough of every domain
    assert np.flatnonzero(gan.data.labels == 0)[0] == 0
    assert abs(width / height - 6 / rows) < 0.1  # input + 5 domains per row


def test_checkpoint_round_trip_keeps_domains(gan, task, tmp_path):
    gan.train_on_batch(task[0][:4], task[1][:4])
    gan.save(tmp_path)
    again = odog.load(tmp_path)
    assert type(again) is odog.StarGAN and again.domains == NAMES
    np.testing.assert_array_equal(again.translate(task[0][:2], to="thin"), gan.translate(task[0][:2], to="thin"))


def test_the_command_line_translates_into_a_domain(gan, task, tmp_path, capsys):
    from odog import cli

    gan.save(tmp_path / "run")
    np.save(tmp_path / "in.npy", task[0][:3])
    out = tmp_path / "out.npy"
    assert (
        cli.main(["translate", str(tmp_path / "run"), str(tmp_path / "in.npy"), "--to", "thick", "--out", str(out)])
        == 0
    )
    np.testing.assert_allclose(np.load(out), gan.translate(task[0][:3], to="thick"), atol=1e-5)
    assert cli.main(["translate", str(tmp_path / "run"), str(tmp_path / "in.npy"), "--out", str(out)]) == 2
    assert "pass --to, one of ['plain', 'thin', 'thick', 'inverted', 'coloured']" in capsys.readouterr().err
