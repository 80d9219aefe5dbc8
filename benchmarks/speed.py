"""Training speed of GAN and DCGAN, three ways, side by side in one run.

(a) the Keras-GAN loop ported to Keras 3: `G.predict`, two `D.train_on_batch`,
    one `combined.train_on_batch` per iteration (benchmarks/reference.py);
(b) odog's `train()`;
(c) one fused compiled step doing the D and G updates (benchmarks/reference.py).
All three train the same architecture at the same batch size on MNIST-shaped
data; compilation is excluded (each runs warm-up iterations first).

Writes benchmarks/results/speed.json and the speed table of docs/results.md.

    python benchmarks/speed.py
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import report  # noqa: E402
from reference import FusedGAN, keras_gan_iteration  # noqa: E402

from odog import DCGAN, GAN  # noqa: E402

ITERATIONS = {"gan": {"a": 150, "b": 1500, "c": 1500}, "dcgan": {"a": 60, "b": 300, "c": 300}}
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

    odog_gan = cls(dataset=images, seed=0)
    fused_models = cls(dataset=images, seed=0, ema=None)
    fused = FusedGAN(fused_models.generator, fused_models.discriminator, seed=0)
    return {
        "a_keras_gan_loop": rate(loop_a, iterations["a"]),
        "b_odog_train": rate(lambda n: odog_gan.train(epochs=n, batch_size=batch, verbose=0), iterations["b"]),
        "c_fused_step": rate(lambda n: fused.train(images, n, batch), iterations["c"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the iteration counts")
    args = parser.parse_args()
    results = {}
    for name, cls in (("gan", GAN), ("dcgan", DCGAN)):
        counts = {k: max(2, int(v * args.scale)) for k, v in ITERATIONS[name].items()}
        r = measure(cls, counts, args.batch_size)
        r["odog_vs_keras_gan"] = r["b_odog_train"] / r["a_keras_gan_loop"]
        r["fused_vs_odog"] = r["c_fused_step"] / r["b_odog_train"]
        results[name] = {k: round(v, 2) for k, v in r.items()}
        print(name, results[name], flush=True)
    payload = {"machine": report.machine(), "batch_size": args.batch_size, "results": results}
    if args.scale == 1.0:  # a smoke run only prints
        report.save_json("speed", payload)
        rows = [
            [
                f"`{name.upper() if name == 'gan' else 'DCGAN'}`",
                f"{r['a_keras_gan_loop']:.1f}",
                f"{r['b_odog_train']:.1f}",
                f"{r['c_fused_step']:.1f}",
                f"{r['odog_vs_keras_gan']:.1f}x",
                f"{r['fused_vs_odog']:.2f}x",
            ]
            for name, r in results.items()
        ]
        text = report.table(
            ["model", "(a) Keras-GAN loop, it/s", "(b) odog train(), it/s", "(c) fused step, it/s", "b / a", "c / b"],
            rows,
        )
        text += f"\n\nBatch {args.batch_size}, on {payload['machine']}. Produced by `python benchmarks/speed.py`."
        report.fill("docs/results.md", "speed", text)


if __name__ == "__main__":
    main()
