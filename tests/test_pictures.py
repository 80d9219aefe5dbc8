"""Pictures of a model: latent walks, the evolution GIF, real versus generated."""

import numpy as np
import pytest
from PIL import Image

import odog
from odog import cli, viz


def walk_path(a, b, steps, method):
    """The noise of a walk from a to b, written out (Shoemake's slerp)."""
    t = np.linspace(0, 1, steps)[:, None]
    if method == "linear":
        return (1 - t) * a + t * b
    omega = np.arccos(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    return (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


@pytest.mark.parametrize("method", ["slerp", "linear"])
def test_a_walk_goes_from_one_random_point_to_another(tiny, method):
    images = tiny.interpolate(7, seed=3, method=method)
    a, b = tiny.generation_input(2, np.random.default_rng(3))
    np.testing.assert_allclose(images, tiny.generate_from(walk_path(a, b, 7, method).astype("float32")), atol=1e-5)
    np.testing.assert_allclose(images[[0, -1]], tiny.generate_from(np.stack([a, b])), atol=1e-5)
    assert not np.allclose(images[0], images[3])


def test_walks_are_rows_with_their_own_ends(tiny):
    images = tiny.interpolate(5, walks=3, seed=0)
    assert images.shape == (15, 8, 8, 1)
    assert not np.allclose(images[0], images[5]) and not np.allclose(images[4], images[9])
    np.testing.assert_allclose(tiny.interpolate(5, walks=3, seed=0), images)


def test_a_conditional_walk_keeps_its_class(digits):
    labels = np.arange(len(digits)) % 10
    gan = odog.CGAN(dataset=(digits, labels), seed=0)
    images = gan.interpolate(4, seed=1, labels=7)
    ends = gan.generation_input(2, np.random.default_rng(1), labels=7)
    t = np.linspace(0, 1, 4, dtype="float32")[:, None]
    a, b = ends[0]
    omega = np.arccos(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    noise = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)
    expected = gan.generate_from([noise.astype("float32"), np.repeat(gan.condition(np.array([7]))[:1], 4, 0)])
    np.testing.assert_allclose(images, expected, atol=1e-5)
    assert not np.allclose(images, gan.interpolate(4, seed=1, labels=2), atol=1e-3)


def test_an_infogan_walk_changes_the_noise_and_holds_the_codes(digits):
    gan = odog.InfoGAN(dataset=digits, seed=0)
    walk = gan.interpolate(3, seed=0, code=4, continuous=[0.5, -0.5])
    ends = gan.generation_input(2, np.random.default_rng(0), code=4, continuous=[0.5, -0.5])
    noise = walk_path(ends[0, : gan.noise_dim], ends[1, : gan.noise_dim], 3, "slerp")
    expected = np.concatenate([noise, np.repeat(ends[:1, gan.noise_dim :], 3, 0)], axis=1).astype("float32")
    np.testing.assert_allclose(walk, gan.generate_from(expected), atol=1e-5)


def test_bad_walks_are_refused(tiny, digits):
    with pytest.raises(ValueError, match="Expected 'slerp' or 'linear'. Received: 'cubic'"):
        tiny.interpolate(5, method="cubic")
    with pytest.raises(ValueError, match="steps"):
        tiny.interpolate(1)
    with pytest.raises(ValueError, match="takes no condition `labels`"):
        tiny.interpolate(5, labels=3)
    srgan = odog.SRGAN(dataset=digits, residual_blocks=1, filters=8, content_loss="pixel")
    with pytest.raises(ValueError, match="reads images, not noise"):
        srgan.interpolate(5)


def test_training_writes_the_evolution_gif_and_real_vs_generated(tiny, tmp_path):
    tiny.train(epochs=6, batch_size=8, sample_interval=2, out_dir=tmp_path, verbose=0)
    gif = Image.open(tmp_path / "evolution.gif")
    assert gif.n_frames == 3
    first = np.asarray(Image.open(tmp_path / "images" / "2.png").convert("RGB"))
    np.testing.assert_array_equal(np.asarray(gif.convert("RGB")), first)
    assert Image.open(tmp_path / "real_vs_generated.png").size[0] > 2 * first.shape[1]
    # A resumed run's GIF holds the grids of both runs, in order of iteration (10 after 8, not before 2).
    tiny.train(epochs=4, sample_interval=2, out_dir=tmp_path, verbose=0)
    assert Image.open(tmp_path / "evolution.gif").n_frames == 5


def test_grids_of_different_sizes_make_no_gif(tmp_path):
    viz.save_grid(np.zeros((4, 8, 8, 1)), tmp_path / "1.png")
    viz.save_grid(np.zeros((9, 8, 8, 1)), tmp_path / "2.png")
    with pytest.raises(ValueError, match="one size"):
        viz.evolution_gif([tmp_path / "1.png", tmp_path / "2.png"], tmp_path / "e.gif")
    with pytest.raises(ValueError, match="at least one"):
        viz.evolution_gif([], tmp_path / "e.gif")
    assert not (tmp_path / "e.gif").exists()


def test_cli_interpolates_to_a_gif_a_grid_and_an_array(digits, tmp_path, capsys):
    odog.GAN(dataset=digits, seed=0).save(tmp_path / "run")
    run = str(tmp_path / "run")
    gif = tmp_path / "walk.gif"
    assert cli.main(["generate", run, "--interpolate", "5", "--walks", "2", "--seed", "0", "--out", str(gif)]) == 0
    assert Image.open(gif).n_frames == 8  # there and back: 5 + 3
    grid = tmp_path / "walk.png"
    assert cli.main(["generate", run, "--interpolate", "5", "--walks", "2", "--out", str(grid)]) == 0
    assert Image.open(grid).size == (5 * 30 + 2, 2 * 30 + 2)
    array = tmp_path / "walk.npy"
    assert (
        cli.main(["generate", run, "--interpolate", "4", "--method", "linear", "--seed", "2", "--out", str(array)]) == 0
    )
    np.testing.assert_allclose(np.load(array), odog.load(run).interpolate(4, seed=2, method="linear"), atol=1e-6)
    assert cli.main(["generate", run, "--out", str(tmp_path / "x.gif")]) == 2
    assert "--interpolate" in capsys.readouterr().err
