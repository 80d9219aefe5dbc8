"""Data-parallel training on two virtual CPU devices, on the backends' own engines.

Each case runs in a fresh process, because the devices are fixed when JAX or
TensorFlow starts: JAX through `keras.distribution.DataParallel`, TensorFlow
through `tf.distribute.MirroredStrategy`. The same seeded GAN trains on one
device and on two; the losses must agree, each device must see half of every
batch, and the variables must live on both devices.
"""

import json

import numpy as np
import pytest
from helpers import backend_available, run_on_backend

# Two virtual CPU devices. XLA ends the process when one device has waited 40 s at a collective for the
# other, and runs the devices' programs on a pool of as many threads as cores (PJRT_NPROC overrides it): on
# CI's loaded 2-core machine (two pytest workers) one device fell that far behind. Four threads, 10 minutes.
TWO_CPU_DEVICES = (
    'os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2 '
    '--xla_cpu_collective_call_terminate_timeout_seconds=600"\n'
    'os.environ["PJRT_NPROC"] = "4"'
)

PROBE = """
import json, os, sys
{setup}
import keras
import numpy as np
from helpers import digits_dataset
import odog

results = {{}}
for name in {names!r}:
    shards = []

    class Probe(odog.get(name)):
        def discriminator_objective(self, real, *args):
            {record}
            return super().discriminator_objective(real, *args)

    def run():
        gan = Probe(dataset=digits_dataset(), seed=0, **{settings!r}.get(name, {{}}))
        images = gan.data.images[: 8 * gan.d_steps]
        losses = [gan.train_on_batch(images)["d_loss"] for _ in range(2)]
        gan.train(epochs=2, batch_size=8, verbose=0)  # the loop, and on JAX batches drawn on the device
        return gan, losses + gan.history["d_loss"][-2:] + gan.history["g_loss"]

    one, one_losses = run()
    expected = one.generate(3, seed=1)
    one_shards = [tuple(shape) for shape in shards]
    shards.clear()
    {distribute}
        two, two_losses = run()
        images = two.generate(3, seed=1)  # 3 does not split over 2 devices: padded, then cut
    results[name] = {{
        "one": one_losses, "two": two_losses, "devices": {devices},
        "shards": [one_shards, [tuple(shape) for shape in shards]],
        "samples": [list(images.shape), float(np.abs(images - expected).max())],
    }}
print(json.dumps(results))
"""

JAX = {
    "setup": TWO_CPU_DEVICES + "\nimport jax",
    "record": "jax.debug.inspect_array_sharding(\n"
    "                real, callback=lambda s, r=real: shards.append(s.shard_shape(r.shape)))",
    "distribute": "with keras.distribution.DataParallel().scope():",
    "devices": "sorted(str(d) for d in two.generator.weights[0].value.sharding.device_set)",
}
TENSORFLOW = {
    "setup": "import tensorflow as tf\n"
    'tf.config.set_logical_device_configuration(tf.config.list_physical_devices("CPU")[0], '
    "[tf.config.LogicalDeviceConfiguration()] * 2)\n"
    'strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])',
    "record": "shards.append(tuple(real.shape))",
    "distribute": "with strategy.scope():",
    "devices": "sorted(v.device for v in two.generator.weights[0].value.values)",
}


def _run(backend: str, engine: dict, names: list[str], settings: dict | None = None) -> dict:
    if not backend_available(backend):
        pytest.skip(f"{backend} is not installed (pip install -e '.[{backend}]')")
    code = PROBE.format(names=names, settings=settings or {}, **engine)
    return json.loads(run_on_backend(backend, code).strip().splitlines()[-1])


def _check(results: dict, one_device_shard: tuple, two_device_shard: tuple) -> None:
    for name, result in results.items():
        one, two = np.array(result["one"]), np.array(result["two"])
        np.testing.assert_allclose(two, one, rtol=1e-3, atol=1e-3, err_msg=name)
        assert len(result["devices"]) == 2, result["devices"]  # each variable on both devices
        one_shards, two_shards = result["shards"]  # D's real batch, as each device holds it in the step
        assert one_shards and {tuple(s) for s in one_shards} == {one_device_shard}, (name, one_shards)
        assert two_shards and {tuple(s) for s in two_shards} == {two_device_shard}, (name, two_shards)
        assert result["samples"][0] == [3, 28, 28, 1] and result["samples"][1] < 1e-3, result["samples"]


def test_jax_data_parallel_matches_one_device():
    # WGAN-GP's penalty draws mixing weights and its critic, DCGAN's D, drops units: on JAX both are drawn
    # for the whole batch, as on one device, because XLA partitions the one program. (The plain GAN, which
    # has neither, is the TensorFlow case's.)
    # The paper's Adam(1e-4, beta_2 0.9): at odog's default 2e-4 the two programs' different summation orders
    # grow to 1.5e-3 in the samples after four iterations, past the tolerance that checks they are one model.
    results = _run("jax", JAX, ["wgan_gp"], {"wgan_gp": {"learning_rate": 1e-4, "beta_2": 0.9}})
    _check(results, (8, 28, 28, 1), (4, 28, 28, 1))


def test_tensorflow_mirrored_strategy_matches_one_device():
    # Models without random draws inside the step: TensorFlow's replicas each draw their own Dropout
    # masks, so DCGAN agrees with a one-device run in distribution, not value by value (docs/scaling.md).
    results = _run("tensorflow", TENSORFLOW, ["gan", "began"])
    _check(results, (8, 28, 28, 1), (4, 28, 28, 1))


def test_command_line_trains_on_two_devices_in_bfloat16(mnist, tmp_path):
    """`odog train --devices 2 --precision mixed_bfloat16` on JAX's two virtual CPU devices."""
    if not backend_available("jax"):
        pytest.skip("jax is not installed (pip install -e '.[jax]')")
    out = tmp_path / "run"
    code = f"""
import os
{TWO_CPU_DEVICES}
from odog import cli
args = ["train", "gan", "--epochs", "3", "--batch-size", "8", "--devices", "2", "--precision", "mixed_bfloat16"]
assert cli.main(args + ["--out", {str(out)!r}, "--sample-interval", "3", "--seed", "0"]) == 0
import keras, odog
gan = odog.load({str(out)!r})
print(gan.iteration, keras.distribution.distribution(), gan.generator.layers[1].dtype_policy.name)
"""
    iteration, distribution, policy = run_on_backend("jax", code).split()[-3:]
    assert iteration == "3" and policy == "mixed_bfloat16"
    assert (out / "images" / "3.png").is_file()
