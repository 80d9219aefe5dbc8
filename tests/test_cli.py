"""The command line and the example scripts, run as a user runs them."""

import runpy
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import odog
from odog import cli

ROOT = Path(__file__).resolve().parents[1]


def test_list_names_every_variant(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for name in odog.available():
        assert name in out
    assert "original GAN" in out


def test_train_generate_resume(mnist, tmp_path, capsys):
    out = tmp_path / "run"
    args = ["train", "gan", "--epochs", "6", "--batch-size", "8", "--sample-interval", "3", "--out", str(out)]
    assert cli.main(args + ["--seed", "0"]) == 0
    assert (out / "images" / "6.png").is_file() and (out / "history.png").is_file()
    assert odog.load(out).iteration == 6

    assert cli.main(args) == 2
    assert "--resume" in capsys.readouterr().err
    assert cli.main(args + ["--resume"]) == 0
    assert odog.load(out).iteration == 12

    grid = tmp_path / "grid.png"
    assert cli.main(["generate", str(out), "-n", "4", "--out", str(grid), "--seed", "1"]) == 0
    assert Image.open(grid).size == (2 * 30 + 2, 2 * 30 + 2)
    array = tmp_path / "nice.npy"
    assert cli.main(["generate", str(out), "-n", "5", "--out", str(array), "--nice", "--nice-factor", "4"]) == 0
    assert np.load(array).shape == (5, 28, 28, 1)


def test_nice_samples_are_the_ones_d_scores_highest(tiny):
    nice = cli.nice_samples(tiny, 3, factor=4, seed=0)
    candidates = tiny.generate(12, seed=0)
    scores = tiny.discriminate(candidates)
    np.testing.assert_allclose(np.sort(tiny.discriminate(nice)), np.sort(scores)[-3:], rtol=1e-5)


def test_nice_samples_of_an_energy_model_are_the_lowest_energies(mnist):
    gan = odog.EBGAN(dataset=mnist.images[:64], seed=0)
    nice = cli.nice_samples(gan, 3, factor=4, seed=0)
    energies = gan.discriminate(gan.generate(12, seed=0))
    np.testing.assert_allclose(np.sort(gan.discriminate(nice)), np.sort(energies)[:3], rtol=1e-5)


def test_generate_conditions_from_the_command_line(mnist, tmp_path, capsys):
    gan = odog.CGAN(dataset=(mnist.images[:64], mnist.labels[:64]), seed=0)
    gan.save(tmp_path / "run")
    out = tmp_path / "sevens.npy"
    assert (
        cli.main(["generate", str(tmp_path / "run"), "-n", "3", "--labels", "7", "--out", str(out), "--seed", "0"]) == 0
    )
    np.testing.assert_array_equal(np.load(out), gan.generate(3, labels=7, seed=0))
    assert cli.main(["generate", str(tmp_path / "run"), "-n", "2", "--labels", "3,12"]) == 2
    assert "labels in [0, 9]" in capsys.readouterr().err
    assert cli.main(["generate", str(tmp_path / "run"), "-n", "2", "--tags", "red circle"]) == 2
    assert "CGAN takes no condition `tags`: its conditions are 'labels'" in capsys.readouterr().err


def test_train_and_translate_on_a_pair_folder(tmp_path, capsys):
    """`odog train cyclegan --dataset folder --direction BtoA`, then `odog translate` both ways, as a user runs them."""
    rng = np.random.default_rng(0)
    for side in ("A", "B"):
        (tmp_path / "data" / f"train{side}").mkdir(parents=True)
        for i in range(4):
            pixels = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(tmp_path / "data" / f"train{side}" / f"{i}.png")
    out = tmp_path / "run"
    args = ["train", "cyclegan", "--dataset", str(tmp_path / "data"), "--image-size", "16", "--epochs", "2"]
    args += ["--batch-size", "2", "--sample-interval", "2", "--out", str(out), "--seed", "0", "--direction", "BtoA"]
    assert cli.main(args) == 0
    gan = odog.load(out)
    assert gan.direction == "BtoA" and gan.iteration == 2 and (out / "images" / "2.png").is_file()

    photo = tmp_path / "in.png"
    Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)).save(photo)
    for direction in ("a2b", "b2a"):
        result = tmp_path / f"{direction}.npy"
        assert cli.main(["translate", str(out), str(photo), "--direction", direction, "--out", str(result)]) == 0
        expected = gan.translate(np.asarray(Image.open(photo))[None], direction)
        np.testing.assert_allclose(np.load(result), expected, atol=1e-6)
    assert cli.main(["translate", str(out), str(photo), "--out", str(tmp_path / "out.png")]) == 0
    assert Image.open(tmp_path / "out.png").size == (16, 16)

    Image.fromarray(np.zeros((20, 20, 3), "uint8")).save(photo)
    assert cli.main(["translate", str(out), str(photo)]) == 2
    assert "Expected images of shape (N, 16, 16, 3)" in capsys.readouterr().err
    assert cli.main(["train", "dcgan", "--direction", "AtoB", "--out", str(tmp_path / "x")]) == 2
    assert "--direction is for the translation models" in capsys.readouterr().err


def test_translate_needs_a_translation_run(mnist, tmp_path, capsys):
    odog.GAN(dataset=mnist.images[:8], seed=0).save(tmp_path / "gan")
    assert cli.main(["translate", str(tmp_path / "gan"), "in.png"]) == 2
    assert "odog translate needs a translation model" in capsys.readouterr().err


def test_train_passes_variant_options_to_the_constructor(mnist, tmp_path, capsys):
    out = tmp_path / "rasgan"
    args = ["train", "rgan", "--epochs", "2", "--batch-size", "4", "--sample-interval", "2", "--out", str(out)]
    assert cli.main(args + ["--option", "average=true", "--option", "learning-rate=1e-4"]) == 0
    config = odog.load(out).get_config()
    assert config["average"] is True and config["learning_rate"] == 1e-4
    assert cli.main(["train", "rgan", "--option", "avrage=true", "--out", str(tmp_path / "x")]) == 2
    assert "RGAN takes no argument `avrage`. Its arguments: average," in capsys.readouterr().err
    assert cli.main(["train", "rgan", "--option", "average", "--out", str(tmp_path / "x")]) == 2
    assert "--option takes KEY=VALUE" in capsys.readouterr().err


def test_train_accepts_dashed_variant_names():
    assert cli.parser().parse_args(["train", "WGAN-GP"]).variant == "wgan_gp"


def test_generate_from_missing_run_is_an_error(tmp_path, capsys):
    assert cli.main(["generate", str(tmp_path / "nothing")]) == 2
    assert "No odog checkpoint" in capsys.readouterr().err


@pytest.mark.parametrize("variant", odog.available())
def test_example_script_runs(mnist, variant, tmp_path, monkeypatch, eager):
    # Run as `python examples/<variant>.py ...` runs it, but in this process: a fresh interpreter
    # per script would spend most of the test importing TensorFlow. CI also runs one as a command.
    script = ROOT / "examples" / f"{variant}.py"
    monkeypatch.syspath_prepend(str(script.parent))
    argv = [str(script), "--epochs", "4", "--sample-interval", "2", "--out", str(tmp_path)]
    if "translation_parser" in script.read_text():  # translation examples: score 64 test inputs, not 500
        argv += ["--test-images", "64"]
    monkeypatch.setattr(sys, "argv", argv)
    runpy.run_path(str(script), run_name="__main__")
    assert (tmp_path / "images" / "4.png").is_file()
    assert odog.load(tmp_path).iteration == 4


def test_import_and_list_are_fast_and_quiet():
    """`import odog` loads no Keras and changes no environment variable; `odog list` answers in under 2 s."""
    code = (
        "import os, sys; before = dict(os.environ); import odog; "
        "assert dict(os.environ) == before, 'environment changed'; "
        "assert 'keras' not in sys.modules and 'tensorflow' not in sys.modules, 'imported a framework'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "odog.cli", "list"], capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - start < 2.0
    assert result.returncode == 0 and "dcgan" in result.stdout and "day 2" in result.stdout
    assert result.stderr == ""  # no TensorFlow log lines
