"""The generators that ship inside odog, `save_generator`, and the wheel that carries them."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import odog
from odog import cli, hub

ROOT = Path(__file__).resolve().parents[1]


def test_every_pretrained_generator_ships_and_generates():
    assert hub.names() == list(hub.MODELS), "run python benchmarks/pretrained.py to write odog/weights/"
    sizes = [hub.checkpoint.checkpoint_file(hub.path(n)).stat().st_size for n in hub.names()]
    assert sum(sizes) <= 20 * 2**20

    dcgan = odog.pretrained("dcgan-mnist")
    assert type(dcgan).__name__ == "DCGAN" and dcgan.iteration > 0
    images = dcgan.generate(4, seed=0)
    assert images.shape == (4, 28, 28, 1) and np.isfinite(images).all()
    np.testing.assert_array_equal(images, odog.pretrained("dcgan-mnist").generate(4, seed=0))
    assert np.abs(images - dcgan.generate(4, seed=1)).max() > 0.1  # a generator, not a constant

    sevens = odog.pretrained("cgan-mnist").generate(3, labels=7, seed=0)
    assert sevens.shape == (3, 28, 28, 1)
    coded = odog.pretrained("infogan-mnist").generate(2, code=3, continuous=[1.0, 0.0], seed=0)
    assert coded.shape == (2, 28, 28, 1)
    larger = odog.pretrained("srgan-mnist").upscale(np.zeros((2, 7, 7, 1), "float32"))
    assert larger.shape == (2, 28, 28, 1)


def test_pretrained_names_are_checked():
    with pytest.raises(ValueError, match="No pretrained generator named 'dcgan-cifar'. Available: dcgan-mnist"):
        odog.pretrained("dcgan-cifar")


def test_command_line_takes_a_pretrained_name(tmp_path, capsys):
    out = tmp_path / "sevens.png"
    assert cli.main(["generate", "cgan-mnist", "--labels", "7", "-n", "4", "--out", str(out)]) == 0
    assert out.is_file()
    assert cli.main(["list"]) == 0
    assert "dcgan-mnist" in capsys.readouterr().out


def test_save_generator_round_trip_and_fine_tuning(blobs, tmp_path):
    from conftest import TinyGAN

    gan = TinyGAN(dataset=blobs, seed=0)
    gan.train(epochs=3, batch_size=8, verbose=0)
    file = gan.save_generator(tmp_path / "shared")
    stored = np.load(file)
    assert all(k.startswith("generator/") for k in stored.files if not k.startswith("__"))
    assert {stored[k].dtype for k in stored.files if k.startswith("generator/")} == {np.dtype("float16")}

    again = TinyGAN.load(tmp_path / "shared", dataset=blobs)
    assert again.iteration == 3
    np.testing.assert_allclose(again.generate(4, seed=1), gan.generate(4, seed=1), atol=1e-2)
    again.train(epochs=1, batch_size=8, verbose=0)  # a new D and new optimizers: fine-tuning
    assert again.iteration == 4


def test_wheel_carries_the_pretrained_generators(tmp_path):
    """`pip wheel .` from a copy of the checkout (setuptools from PyPI, as `pip install .` gets it): the wheel
    holds odog/weights/<name>/checkpoint.npz."""
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns(".git", "runs", "build", "site", "*.egg-info", "__pycache__", ".cache")
    shutil.copytree(ROOT, source, ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("odog-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in hub.MODELS if f"odog/weights/{n}/checkpoint.npz" not in names]
    assert not missing, f"the wheel lacks {missing}"
