"""Training speed of GAN and DCGAN, three ways, side by side in one run, on one Keras backend.

(a) the Keras-GAN loop ported to Keras 3: `G.predict`, two `D.train_on_batch`,
    one `combined.train_on_batch` per iteration (benchmarks/reference.py);
(b) odog's `train()`: with its defaults (the EMA of G updated in every step),
    without the EMA (the same work as (c)), and without it at
    `steps_per_execution=8`;
(c) one fused compiled step doing the D and G updates (benchmarks/reference.py),
    with fresh noise for G's update as odog draws it (Keras-GAN reuses D's noise,
    which lets XLA run G's forward pass once: less work than odog's step).
All three train the same architecture at the same batch sizes (32 and 128)
on MNIST-shaped data; compilation is excluded (each runs warm-up iterations
first).

Writes benchmarks/results/speed-<backend>.json and that backend's speed table
in docs/results.md.

    python benchmarks/speed.py --backend tensorflow
    python benchmarks/speed.py --backend jax
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402

BACKEND = report.use_backend_from_argv()  # Keras reads it when first imported

import numpy as np  # noqa: E402
from reference import FusedGAN, keras_gan_iteration  # noqa: E402

from odog import DCGAN, GAN  # noqa: E402

ITERATIONS = {"gan": {"a": 150, "b": 1500, "c": 1500}, "dcgan": {"a": 40, "b": 200, "c": 200}}
STEPS_PER_EXECUTION = 8
WARMUP = 10


def rate(run, iterations: int) -> float:
    run(WARMUP)
    start = time.perf_counter()
    run(iterations)
    return iterations / (time.perf_counter() - start)


def measure(cls, iterations: dict, batch: int) -> dict:
    images = np.random.default_rng(0).uniform(-1, 1, (2048, 28, 28, 1)).astype("float32")
    rng = np.random.default_rng(0)

    keras_gan = cls(dataset=images, seed=0)

    def loop_a(n):
        for _ in range(n):
            keras_gan_iteration(keras_gan, images, batch, rng)

    odog_gan, plain, multi = (
        cls(dataset=images, seed=0),
        cls(dataset=images, seed=0, ema=None),
        cls(dataset=images, seed=0, ema=None),
    )
    fused_models = cls(dataset=images, seed=0, ema=None)
    fused = FusedGAN(fused_models.generator, fused_models.discriminator, seed=0, fresh_generator_noise=True)
    k = STEPS_PER_EXECUTION
    return {
        "a_keras_gan_loop": rate(loop_a, iterations["a"]),
        "b_odog_train": rate(lambda n: odog_gan.train(epochs=n, batch_size=batch, verbose=0), iterations["b"]),
        "b_odog_no_ema": rate(lambda n: plain.train(epochs=n, batch_size=batch, verbose=0), iterations["b"]),
        "b_odog_no_ema_k8": rate(
            lambda n: multi.train(epochs=n, batch_size=batch, steps_per_execution=k, verbose=0),
            max(k, iterations["b"] // k * k),
        ),
        "c_fused_step": rate(lambda n: fused.train(images, n, batch), iterations["c"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=BACKEND, help="tensorflow (default) or jax")
    parser.add_argument("--batch-sizes", default="32,128", help="comma-separated batch sizes")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the iteration counts")
    args = parser.parse_args()
    results = {}
    for batch in (int(b) for b in args.batch_sizes.split(",")):
        for name, cls in (("gan", GAN), ("dcgan", DCGAN)):
            counts = {k: max(2, int(v * args.scale * 32 / batch)) for k, v in ITERATIONS[name].items()}
            r = measure(cls, counts, batch)
            r["odog_vs_keras_gan"] = r["b_odog_train"] / r["a_keras_gan_loop"]
            r["fused_vs_odog"] = r["c_fused_step"] / r["b_odog_train"]
            r["fused_vs_odog_no_ema"] = r["c_fused_step"] / r["b_odog_no_ema"]
            r["fused_vs_odog_no_ema_k8"] = r["c_fused_step"] / r["b_odog_no_ema_k8"]
            results[f"{name}@{batch}"] = {k: round(v, 2) for k, v in r.items()}
            print(name, batch, results[f"{name}@{batch}"], flush=True)
    payload = {"machine": report.machine(), "backend": args.backend, "results": results}
    if args.scale == 1.0:  # a smoke run only prints
        report.save_json(f"speed-{args.backend}", payload)
        rows = [
            [
                f"`{'GAN' if key.startswith('gan@') else 'DCGAN'}`",
                key.split("@")[1],
                f"{r['a_keras_gan_loop']:.1f}",
                f"{r['b_odog_train']:.1f}",
                f"{r['b_odog_no_ema']:.1f}",
                f"{r['b_odog_no_ema_k8']:.1f}",
                f"{r['c_fused_step']:.1f}",
                f"{r['odog_vs_keras_gan']:.1f}x",
                f"{r['fused_vs_odog']:.2f}x",
                f"{r['fused_vs_odog_no_ema']:.2f}x",
                f"{r['fused_vs_odog_no_ema_k8']:.2f}x",
            ]
            for key, r in results.items()
        ]
        headers = ["model", "batch", "(a) Keras-GAN loop", "(b) odog train()", "(b2) odog, ema=None"]
        headers += [f"(b3) b2 at steps_per_execution={STEPS_PER_EXECUTION}", "(c) fused step", "b / a", "c / b"]
        text = report.table([*headers, "c / b2", "c / b3"], rows)
        text = "Iterations per second.\n\n" + text
        text += f"\n\nOn {payload['machine']}. Produced by `python benchmarks/speed.py --backend {args.backend}`."
        report.fill("docs/results.md", f"speed-{args.backend}", text)


if __name__ == "__main__":
    main()
