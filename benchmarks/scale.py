"""Scaling up: the image-folder pipeline, one vs two devices, float32 vs bfloat16.

Every measurement runs in a fresh process (its own peak memory, its own
device setup), on the backend given:

- folder: a folder of 12,000 JPEGs of 128x128 (made from MNIST digits,
  coloured and enlarged; decoding cost depends on the pixels' count, not their
  content); seconds from the process's start (imports included) to the end
  of DCGAN's first iteration, trained at 64x64 (the CelebA walkthrough's
  setting, images shrunk as they are read) and at 128x128, and each
  process's peak memory;
- pipeline: images/s that `odog.data.ImageFolder` decodes (64x64 crops of
  those JPEGs, batch 64) next to the images/s DCGAN's training consumes on
  that folder, so the pipeline is seen not to be the bottleneck;
- devices: DCGAN on MNIST, batch 64, it/s on one device and on two virtual
  CPU devices (`keras.distribution.DataParallel` on JAX,
  `tf.distribute.MirroredStrategy` on TensorFlow). Both devices share the
  same cores here, so this checks the cost of the engine, not a speed-up;
- precision: DCGAN on MNIST, batch 64, it/s under "float32" and
  "mixed_bfloat16".

Writes benchmarks/results/scale-<backend>.json and the tables of
docs/scaling.md.

    python benchmarks/scale.py --backend tensorflow
    python benchmarks/scale.py --backend jax --images 2000   # a smaller folder, a quicker run
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402

report.use_backend_from_argv()  # this process reads MNIST through odog, before Keras is imported

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BATCH = 64

# Each probe runs as `python -c` in a fresh process and prints one JSON line.
PRELUDE = """
import json, os, resource, sys, time
START = time.perf_counter()
{devices}
import numpy as np
import odog
from odog import backend, data
"""

FIRST_ITERATION = """
gan = odog.DCGAN(dataset={folder!r}, image_size={size}, seed=0)
gan.train(epochs=1, batch_size={batch}, verbose=0)
seconds = time.perf_counter() - START
print(json.dumps({{"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "images": len(gan.data)}}))
"""

# The same model on 64 images held in memory: what the process needs without the folder.
IN_MEMORY = """
gan = odog.DCGAN(dataset=np.zeros((64, {size}, {size}, 3), "uint8"), seed=0)
gan.train(epochs=1, batch_size={batch}, verbose=0)
print(json.dumps({{"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

PIPELINE = """
folder = data.ImageFolder({folder!r}, image_size=64)
stream = folder.batches({batch}, seed=0)
next(stream)  # threads started
start = time.perf_counter()
for _ in range(40):
    next(stream)
decoded = 40 * {batch} / (time.perf_counter() - start)
gan = odog.DCGAN(dataset=folder, seed=0)
gan.train(epochs=3, batch_size={batch}, verbose=0)  # compiled
start = time.perf_counter()
gan.train(epochs=10, batch_size={batch}, verbose=0)
trained = 10 * {batch} / (time.perf_counter() - start)
print(json.dumps({{"decoded_images_per_s": decoded, "trained_images_per_s": trained}}))
"""

STEP_RATE = """
import keras
keras.mixed_precision.set_global_policy({policy!r})
with backend.data_parallel({n_devices}):
    gan = odog.DCGAN(seed=0)
    gan.train(epochs=3, batch_size={batch}, verbose=0)  # compiled
    start = time.perf_counter()
    gan.train(epochs={iterations}, batch_size={batch}, verbose=0)
    rate = {iterations} / (time.perf_counter() - start)
    replicas = backend.replicas()
print(json.dumps({{"it_per_s": rate, "replicas": replicas}}))
"""

TWO_DEVICES = {
    "jax": 'os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"',
    "tensorflow": "import tensorflow as tf\n"
    'tf.config.set_logical_device_configuration(tf.config.list_physical_devices("CPU")[0], '
    "[tf.config.LogicalDeviceConfiguration()] * 2)",
}


def probe(backend: str, code: str, devices: str = "") -> dict:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE.format(devices=devices) + code],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def make_folder(root: Path, n: int) -> float:
    """Writes `n` 128x128 JPEGs of coloured MNIST digits; returns the seconds it took."""
    from PIL import Image

    from odog import data

    start = time.perf_counter()
    digits = data.load_named("mnist").images
    rng = np.random.default_rng(0)
    for i in range(n):
        gray = (digits[i % len(digits), ..., 0] + 1) / 2
        colour = rng.uniform(0.2, 1.0, 3)
        pixels = np.clip(gray[..., None] * colour + (1 - gray[..., None]) * colour[::-1] * 0.3, 0, 1) * 255
        image = Image.fromarray(pixels.astype("uint8")).resize((128, 128), Image.BICUBIC)
        image.save(root / f"{i:05d}.jpg", quality=90)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="tensorflow", choices=("tensorflow", "jax"))
    parser.add_argument("--images", type=int, default=12000, help="JPEGs in the folder (12,000)")
    parser.add_argument("--iterations", type=int, default=20, help="timed iterations per step rate")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "faces"
        folder.mkdir()
        results["folder_written_seconds"] = make_folder(folder, args.images)
        print("folder", results, flush=True)
        for size in (64, 128):
            code = FIRST_ITERATION.format(folder=str(folder), batch=BATCH, size=size)
            results[f"first_iteration_{size}"] = first = probe(args.backend, code)
            first["float32_array_mb"] = args.images * 128 * 128 * 3 * 4 / 2**20  # the JPEGs as decoded
            first["in_memory_peak_mb"] = probe(args.backend, IN_MEMORY.format(size=size, batch=BATCH))["peak_mb"]
            print(size, first, flush=True)
        results["pipeline"] = probe(args.backend, PIPELINE.format(folder=str(folder), batch=BATCH))
        print(results["pipeline"], flush=True)
    rates = {}
    for policy, n_devices in (("float32", 1), ("float32", 2), ("mixed_bfloat16", 1)):
        code = STEP_RATE.format(policy=policy, n_devices=n_devices, batch=BATCH, iterations=args.iterations)
        rates[f"{policy}/{n_devices}"] = probe(args.backend, code, TWO_DEVICES[args.backend] if n_devices > 1 else "")
        print(policy, n_devices, rates[f"{policy}/{n_devices}"], flush=True)
    results["step_rates"] = rates
    payload = {"machine": report.machine(), "backend": args.backend, "images": args.images, "results": results}
    if args.images == 12000:
        report.save_json(f"scale-{args.backend}", payload)
        write_docs(args.backend, payload)


def write_docs(backend: str, payload: dict) -> None:
    r = payload["results"]
    pipe, rates = r["pipeline"], r["step_rates"]
    one, two, bf16 = (rates[k]["it_per_s"] for k in ("float32/1", "float32/2", "mixed_bfloat16/1"))
    first = r["first_iteration_64"]
    rows = [["the folder's images decoded to one float32 array (128x128)", f"{first['float32_array_mb']:,.0f} MB"]]
    for size in (64, 128):
        first = r[f"first_iteration_{size}"]
        rows += [
            [
                f"{first['images']:,} JPEGs: process start to DCGAN {size}x{size}'s first iteration",
                f"{first['seconds']:.1f} s",
            ],
            [
                f"peak memory of that process ({size}x{size}); the same model on 64 images in memory",
                f"{first['peak_mb']:,.0f} MB; {first['in_memory_peak_mb']:,.0f} MB",
            ],
        ]
    text = report.table(
        ["measure", "value"],
        rows
        + [
            ["ImageFolder: decoded 64x64 images/s (batch 64)", f"{pipe['decoded_images_per_s']:,.0f}"],
            ["DCGAN 64x64 training: images/s consumed (batch 64)", f"{pipe['trained_images_per_s']:,.0f}"],
            ["DCGAN MNIST b64, float32, 1 device", f"{one:.2f} it/s"],
            ["DCGAN MNIST b64, float32, 2 virtual CPU devices", f"{two:.2f} it/s ({two / one:.2f}x)"],
            ["DCGAN MNIST b64, mixed_bfloat16, 1 device", f"{bf16:.2f} it/s ({bf16 / one:.2f}x)"],
        ],
    )
    report.fill("docs/scaling.md", f"scale-{backend}", f"{payload['machine']}.\n\n{text}")


if __name__ == "__main__":
    main()
