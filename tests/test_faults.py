"""Nothing lost, nothing silently wrong: checkpoints, divergence, seeds and inputs under fault."""

import json
import os
import signal
import stat
import subprocess
import sys
import warnings

import keras
import numpy as np
import pytest
from conftest import TinyGAN, snapshot
from helpers import ROOT, SMALL, digits_dataset, seeded_digests
from PIL import Image

import odog
from odog import checkpoint, cli, data
from odog.callbacks import StopOnDivergence
from odog.checkpoint import CheckpointError
from odog.variants import VARIANTS


@pytest.fixture(autouse=True)
def register_tiny(monkeypatch):
    monkeypatch.setitem(VARIANTS, "tiny", TinyGAN)


@pytest.fixture
def saved(tiny, tmp_path):
    """A run folder holding a 3-iteration TinyGAN checkpoint, and that file's arrays and header."""
    tiny.train(epochs=3, batch_size=8, verbose=0)
    file = tiny.save(tmp_path / "run")
    arrays, meta = checkpoint.load(file)
    return file, arrays, meta


def rewrite(file, arrays: dict, meta) -> None:
    """Writes a checkpoint as odog does, with an arbitrary header (a tampered file)."""
    with open(file, "wb") as f:
        np.savez(f, **arrays, __meta__=np.array(meta if isinstance(meta, str) else json.dumps(meta)))


def subprocess_env() -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), env.get("PYTHONPATH", "")])
    return env


# ----------------------------------------------------------------------
# Checkpoints
# ----------------------------------------------------------------------
KILLED_MID_SAVE = """
import sys, time
import numpy as np
from conftest import TinyGAN
from odog.variants import VARIANTS
VARIANTS["tiny"] = TinyGAN
images = np.random.default_rng(0).uniform(-1, 1, (64, 8, 8, 1)).astype("float32")
gan = TinyGAN(dataset=images, latent_dim=8, seed=0)
gan.train(epochs=2, batch_size=8, checkpoint_interval=1, out_dir=sys.argv[1], verbose=0)

def stalled(file, **arrays):  # half a file written, then the process is killed
    file.write(b"PK\\x03\\x04" + bytes(1000))
    file.flush()
    print("SAVING", flush=True)
    time.sleep(120)

np.savez = stalled
gan.train(epochs=1, batch_size=8, checkpoint_interval=1, out_dir=sys.argv[1], verbose=0)
"""


def test_kill_during_save_keeps_the_checkpoint_and_the_next_save_cleans_up(tmp_path):
    run = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_SAVE, str(run)],
        stdout=subprocess.PIPE,
        env=subprocess_env(),
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout.readline().strip() == "SAVING"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
    left = sorted(p.name for p in run.glob(".checkpoint-*.tmp"))
    assert len(left) == 1 and left[0].startswith(f".checkpoint-{process.pid}-")  # what a kill leaves

    images = np.random.default_rng(0).uniform(-1, 1, (64, 8, 8, 1)).astype("float32")
    resumed = odog.load(run, dataset=images)
    assert resumed.iteration == 2  # the last complete save
    (run / "notes.tmp").write_text("not odog's")
    resumed.train(epochs=1, batch_size=8, checkpoint_interval=1, out_dir=run, verbose=0)
    assert sorted(p.name for p in run.iterdir()) == ["checkpoint.npz", "notes.tmp"]
    assert odog.load(run).iteration == 3


def test_temporary_files_of_running_saves_are_kept(tiny, tmp_path):
    live = tmp_path / f".checkpoint-{os.getppid()}-abc.tmp"  # a save in progress in another process
    dead = tmp_path / ".checkpoint-2147483647-abc.tmp"  # no process has this pid
    old = tmp_path / ".checkpoint-abc12345.tmp"  # named as odog named them before it recorded the pid
    for file in (live, dead, old):
        file.write_bytes(b"partial")
    tiny.save(tmp_path)
    assert live.exists() and not dead.exists() and not old.exists()


def test_checkpoint_file_mode_follows_the_umask(tiny, tmp_path):
    previous = os.umask(0o027)
    try:
        file = tiny.save(tmp_path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(file.stat().st_mode) == 0o640


def test_full_disk_names_the_file_and_keeps_the_checkpoint(tiny, tmp_path, monkeypatch):
    file = tiny.save(tmp_path)
    before = file.read_bytes()

    def full(f, **arrays):
        f.write(b"PK")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", full)
    with pytest.raises(OSError, match=f"Could not write the checkpoint {file}: No space left") as caught:
        tiny.save(tmp_path)
    assert caught.value.errno == 28
    assert file.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [checkpoint.FILENAME]


def truncate(file, arrays, meta):
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])


def empty(file, arrays, meta):
    file.write_bytes(b"")


def random_bytes(file, arrays, meta):
    file.write_bytes(np.random.default_rng(0).bytes(5000))


def tamper(change):
    def write(file, arrays, meta):
        arrays, meta = dict(arrays), json.loads(json.dumps(meta))
        replaced = change(arrays, meta)  # a new (arrays, header), or None where it edited them in place
        rewrite(file, *(replaced if isinstance(replaced, tuple) else (arrays, meta)))

    return write


def wrong_shape(arrays, meta):
    key = next(k for k in arrays if k.startswith("generator/") and arrays[k].ndim == 2)
    arrays[key] = np.zeros((3, 5), "float32")


def text_array(arrays, meta):
    key = next(k for k in arrays if k.startswith("generator/"))
    arrays[key] = np.full(arrays[key].shape, "x")


DAMAGES = {
    "empty": (empty, "is empty"),
    "truncated": (truncate, "is truncated or corrupt"),
    "random bytes": (random_bytes, "is not an .npz"),
    "bad JSON": (tamper(lambda a, m: (a, "{not json")), "not valid JSON"),
    "header a list": (tamper(lambda a, m: (a, [1, 2])), "expected a JSON object"),
    "no variant": (tamper(lambda a, m: m.pop("variant")), "lacks `variant`"),
    "config a list": (tamper(lambda a, m: m.update(config=[1])), "`config` should be a dict"),
    "img_shape wrong": (tamper(lambda a, m: m.update(img_shape=[8, 8])), "`img_shape` should be 3 positive"),
    "unknown variant": (tamper(lambda a, m: m.update(variant="nogan")), "unknown variant 'nogan'"),
    "unexpected argument": (
        tamper(lambda a, m: m["config"].update(wings=2)),
        "configuration TinyGAN cannot be built from",
    ),
    "bad config value": (tamper(lambda a, m: m["config"].update(latent_dim=-3)), "latent_dim"),
    "bad rng": (tamper(lambda a, m: m.update(rng={"state": 1})), "random state `rng`"),
    "wrong shape": (tamper(wrong_shape), "with shape \\(3, 5\\)"),
    "missing variable": (tamper(lambda a, m: a.pop("generator/00-Dense/0-kernel")), "Missing: \\['generator/00"),
    "text array": (tamper(text_array), "not numbers"),
    "no header": (tamper(lambda a, m: (a, "{}")), "lacks `variant`"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_damaged_checkpoints_get_one_clear_error(saved, damage, capsys):
    file, arrays, meta = saved
    write, expected = DAMAGES[damage]
    write(file, arrays, meta)
    with pytest.raises(ValueError, match=expected) as caught:
        odog.load(file.parent)
    assert isinstance(caught.value, CheckpointError) and str(file) in str(caught.value)
    assert "pickle" not in str(caught.value)
    assert len(str(caught.value)) < 1000  # the known variants listed, no tensor dumped into the message

    assert cli.main(["generate", str(file.parent), "-n", "4", "--out", str(file.parent / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def test_loading_never_needs_the_training_folder(tmp_path):
    folder = tmp_path / "faces"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(16):
        Image.fromarray(rng.integers(0, 256, (12, 12), dtype=np.uint8)).save(folder / f"{i}.png")
    gan = TinyGAN(dataset=str(folder), image_size=8, channels=1, latent_dim=8, seed=0)
    gan.train(epochs=2, batch_size=4, verbose=0)
    gan.save(tmp_path / "run")
    folder.rename(tmp_path / "moved")

    loaded = odog.load(tmp_path / "run")
    np.testing.assert_array_equal(loaded.generate(4, seed=0), gan.generate(4, seed=0))
    with pytest.raises(ValueError, match=r"image folder .*faces, which is no longer there.*dataset="):
        loaded.train(epochs=1, verbose=0)
    again = odog.load(tmp_path / "run", dataset=str(tmp_path / "moved"))
    again.train(epochs=1, batch_size=4, verbose=0)
    assert again.iteration == 3


def test_data_of_another_shape_is_refused_on_loading(saved):
    file, _, _ = saved
    with pytest.raises(
        ValueError, match=r"holds a model of \(8, 8, 1\) images, but the dataset given has \(16, 16, 1\)"
    ):
        odog.load(file.parent, dataset=np.zeros((4, 16, 16, 1), "float32"))


# ----------------------------------------------------------------------
# Divergence
# ----------------------------------------------------------------------
def diverging(learning_rate: float):
    """An LSGAN after 2 sound iterations, its learning rates raised to `learning_rate`.

    LSGAN's linear D and squared loss let a too-high learning rate blow up on
    every backend (a sigmoid D's clipped cross-entropy can stay finite).
    """
    gan = odog.LSGAN(dataset=digits_dataset(64), seed=0)
    gan.train(epochs=2, batch_size=8, verbose=0)
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        optimizer.learning_rate.assign(learning_rate)
    return gan


def test_diverging_run_never_saves_nan_and_names_an_intact_checkpoint(tmp_path):
    gan = diverging(1e6)
    gan.save(tmp_path)
    with pytest.raises(odog.TrainingDivergedError) as caught:
        gan.train(epochs=100, batch_size=8, checkpoint_interval=1, out_dir=tmp_path, verbose=0)
    path, iteration = gan.last_checkpoint
    assert f"The last checkpoint (iteration {iteration}) in {tmp_path} is intact" in str(caught.value)
    arrays, meta = checkpoint.load(tmp_path)
    assert meta["iteration"] == iteration and not checkpoint.nonfinite(arrays)
    assert np.isfinite(odog.load(tmp_path).generate(4, seed=0)).all()


def test_nonfinite_weights_are_not_saved_loaded_or_sampled(tiny, tmp_path):
    tiny.train(epochs=2, batch_size=8, verbose=0)
    file = tiny.save(tmp_path)
    before = file.read_bytes()
    kernel = tiny.generator.layers[-2].kernel  # the output Dense
    kernel.assign(np.full(kernel.shape, np.nan, "float32"))
    tiny.generator_ema.set_weights(tiny.generator.get_weights())
    tiny.iteration = 3  # as if iteration 3 had produced NaN weights from finite losses
    with pytest.raises(odog.TrainingDivergedError, match=r"Not saved .*iteration 3.*\(iteration 2\) .* is intact"):
        tiny.save(tmp_path)
    assert file.read_bytes() == before
    nan_images = "generator_ema produced NaN or infinite images: 1 of .*`generator_ema/03-Dense/0-kernel`"
    with pytest.raises(odog.TrainingDivergedError, match=nan_images):
        tiny.generate(4)

    arrays = {name: np.asarray(keras.ops.convert_to_numpy(v)) for name, v in tiny.named_variables().items()}
    _, meta = checkpoint.load(file)
    checkpoint.save(tmp_path / "broken", arrays, meta)  # as an older odog would have written it
    with pytest.raises(CheckpointError, match="NaN or infinite values in .* saved after training diverged"):
        odog.load(tmp_path / "broken")


def test_a_checkpoint_is_called_intact_only_after_it_is_checked(tiny, tmp_path):
    tiny.train(epochs=2, batch_size=8, checkpoint_interval=2, out_dir=tmp_path, verbose=0)
    (tmp_path / checkpoint.FILENAME).write_bytes(b"")  # damaged after it was written
    with pytest.raises(odog.TrainingDivergedError, match="fails its check .*is empty") as caught:
        check_logs(tiny, {"d_loss": float("nan")})
    assert "is intact" not in str(caught.value)


def check_logs(gan, logs: dict) -> None:
    """What the always-on health check does with one iteration's logs."""
    callback = StopOnDivergence()
    callback.set_model(gan)
    callback.on_train_batch_end(0, logs)


def test_exploding_losses_are_reported_as_divergence(tiny):
    with pytest.raises(odog.TrainingDivergedError, match=r"losses exploded \(g_loss=1.2e\+19"):
        check_logs(tiny, {"d_loss": 1e-3, "d_acc": 1.0, "g_loss": 1.2e19})
    check_logs(tiny, {"d_loss": 3e3, "g_loss": -4e4})  # a large WGAN critic is not divergence


def test_learning_rate_10_stops_as_diverged_not_as_won():
    gan = diverging(10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "the discriminator has won"
        with pytest.raises(odog.TrainingDivergedError, match="losses exploded|became NaN"):
            gan.train(epochs=300, batch_size=8, verbose=0)


# ----------------------------------------------------------------------
# Seeds
# ----------------------------------------------------------------------
def test_same_seed_same_weights_and_samples_in_two_processes():
    """One set built here, after whatever this process ran before; one in a fresh process."""
    code = "import json; from helpers import seeded_digests; print(json.dumps(seeded_digests()))"
    run = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env(), capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert run.returncode == 0, run.stderr[-3000:]
    fresh, here = json.loads(run.stdout.strip().splitlines()[-1]), seeded_digests()
    assert set(here) == {*SMALL, "dcgan_32x32"}
    differ = [name for name in here if here[name] != fresh[name]]
    assert not differ, f"seed=0 gave different weights or samples in two processes: {differ}"


def test_dcgan_paper_layers_draw_from_n_0_002():
    gan = odog.DCGAN(dataset=np.zeros((8, 32, 32, 3), "uint8"), seed=0)
    kernels = [snapshot([layer.kernel])[0] for layer in gan.discriminator.layers if hasattr(layer, "kernel")]
    assert [k.std() for k in kernels] == pytest.approx([0.02] * len(kernels), rel=0.1)


# ----------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------
def test_16_bit_pngs_are_scaled_by_their_bit_depth(tmp_path):
    ramp = np.linspace(0, 65535, 16 * 16).reshape(16, 16).astype("uint16")
    Image.fromarray(ramp).save(tmp_path / "deep.png")
    with Image.open(tmp_path / "deep.png") as im:
        assert im.mode.startswith("I")  # Pillow reads it as 16-bit
    images = data.ImageFolder(tmp_path, 16, channels=1).take([0])
    expected = np.round(ramp / 257) / 127.5 - 1
    np.testing.assert_allclose(images[0, ..., 0], expected, atol=1 / 127.5)
    assert (images > 0.99).mean() < 0.01


def test_floats_in_unit_interval_warn():
    with pytest.warns(UserWarning, match=r"all lie in \[0, 1\].*x \* 2 - 1"):
        data.from_arrays(np.random.default_rng(0).uniform(0, 1, (4, 8, 8)).astype("float32"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data.from_arrays(np.random.default_rng(0).uniform(-1, 1, (4, 8, 8)).astype("float32"))
        data.from_arrays(np.zeros((4, 8, 8), "float32"))  # constant: nothing to tell


images8 = np.zeros((8, 28, 28, 1), "uint8")


@pytest.mark.parametrize(
    "cls, kwargs, argument",
    [
        (odog.GAN, {"beta_1": 5}, "beta_1"),
        (odog.GAN, {"beta_1": -1}, "beta_1"),
        (odog.GAN, {"learning_rate": float("inf")}, "learning_rate"),
        (odog.GAN, {"image_size": 0}, "image_size"),
        (odog.GAN, {"image_size": -5}, "image_size"),
        (odog.GAN, {"image_size": 1.5}, "image_size"),
        (odog.GAN, {"channels": 2}, "channels"),
        (odog.GAN, {"seed": 1.5}, "seed"),
        (odog.DCGAN, {"filters": 0}, "filters"),
        (odog.LAPGAN, {"filters": 0}, "filters"),
    ],
)
def test_bad_arguments_are_refused_at_the_door(cls, kwargs, argument):
    with pytest.raises(ValueError, match=f"Invalid value received for argument `{argument}`.*Received: {argument}="):
        cls(dataset=images8, **kwargs)


@pytest.mark.parametrize("dataset", [None, 123, np.zeros((4, 4)), np.zeros((4, 8, 8, 2))])
def test_bad_datasets_are_refused_at_the_door(dataset):
    with pytest.raises(ValueError, match="Invalid value received for argument `dataset`"):
        odog.GAN(dataset=dataset)
