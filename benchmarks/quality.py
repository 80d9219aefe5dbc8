"""Trains GAN and DCGAN on real MNIST at the Keras-GAN budgets and scores them.

Each model is scored on 10,000 samples against the 10,000 MNIST test images:
classifier Frechet distance (odog.metrics, lower is better) and class
coverage. Next to odog's models stand the real-data floor (10,000 training
images against the test images), the same reference architectures trained by
a plain fused loop (benchmarks/reference.py) at the same budget, and Keras-GAN's
BatchNorm discriminator trained by odog's loop.

Writes benchmarks/results/quality.json, docs/images/*.png and the tables of
docs/results.md, docs/gan.md and docs/dcgan.md.

    python benchmarks/quality.py              # the full budgets (~25 min on 2 cores)
    python benchmarks/quality.py --scale 0.01 # a smoke run
    python benchmarks/quality.py --backend jax --only gan,dcgan   # odog's models on JAX: docs/backends.md
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402

BACKEND = report.use_backend_from_argv()  # Keras reads it when first imported

import numpy as np  # noqa: E402
from reference import FusedGAN, KerasGANDCGAN, reference_models  # noqa: E402

from odog import DCGAN, GAN, data, metrics, viz  # noqa: E402

BUDGETS = {"gan": 10000, "dcgan": 4000}
BATCH = 32
SAMPLES = 10000
GRIDS = {}  # name -> 64 samples, drawn into docs/images by a full run


def score(images: np.ndarray) -> dict:
    scores = metrics.evaluate(images, "mnist")
    return {k: scores[k] for k in ("fd", "coverage", "classes_covered")}


def run(name: str, train, generate, iterations: int, extra=dict) -> dict:
    """Times `train(iterations)`, then scores `generate(SAMPLES)` and adds `extra()`."""
    start = time.perf_counter()
    logs = train(iterations) or {}
    seconds = time.perf_counter() - start
    images = generate(SAMPLES)
    result = {"name": name, "iterations": iterations, "batch_size": BATCH, "seconds": round(seconds, 1)}
    result.update(score(images), **logs, **extra())
    print(result, flush=True)
    GRIDS[name] = images[:64]
    return result


def odog_run(cls, name: str, iterations: int, seed: int) -> dict:
    gan = cls(seed=seed)

    def train(n):
        history = gan.train(epochs=n, batch_size=BATCH, verbose=0)
        tail = slice(-min(200, n), None)
        return {
            "final_d_loss": round(float(np.mean(history["d_loss"][tail])), 4),
            "final_d_acc": round(float(np.mean(history["d_acc"][tail])), 3),
            "min_d_loss": float(np.min(history["d_loss"])),
        }

    def raw_generator():  # the trained G of the same run, without the weight average
        raw = score(gan.generate(SAMPLES, seed=1, ema=False))
        return {"fd_raw_generator": raw["fd"], "coverage_raw_generator": raw["coverage"]}

    return run(name, train, lambda n: gan.generate(n, seed=1), iterations, raw_generator)


def reference_run(variant: str, iterations: int, seed: int) -> dict:
    generator, discriminator = reference_models(variant, seed)
    fused = FusedGAN(generator, discriminator, seed=seed)
    images = data.load_named("mnist").images
    return run(
        f"{variant}-reference", lambda n: fused.train(images, n, BATCH), lambda n: fused.generate(n, 1), iterations
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budgets")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backend", default=BACKEND, help="tensorflow (default) or jax")
    parser.add_argument("--only", help="comma-separated odog models to train alone (gan, dcgan)")
    args = parser.parse_args()
    budget = {k: max(1, int(v * args.scale)) for k, v in BUDGETS.items()}
    if args.only:
        backend_run(args, budget)
        return
    model, accuracy = metrics.classifier("mnist")
    train_images = data.load_named("mnist").images
    floor = {"name": "real data (train vs test)", **score(train_images[:SAMPLES])}
    noise = np.random.default_rng(0).uniform(-1, 1, (SAMPLES, 28, 28, 1)).astype("float32")
    results = [
        floor,
        {"name": "uniform noise", **score(noise)},
        odog_run(GAN, "gan", budget["gan"], args.seed),
        reference_run("gan", budget["gan"], args.seed),
        odog_run(DCGAN, "dcgan", budget["dcgan"], args.seed),
        reference_run("dcgan", budget["dcgan"], args.seed),
        odog_run(KerasGANDCGAN, "dcgan-keras-gan-d", budget["dcgan"], args.seed),
    ]
    payload = {"machine": report.machine(), "classifier_test_accuracy": accuracy, "seed": args.seed, "results": results}
    if args.scale == 1.0:  # a smoke run only prints
        report.save_json("quality", payload)
        for name, images in GRIDS.items():
            viz.save_grid(images, report.ROOT / "docs" / "images" / f"{name}.png", rows=8)
        write_docs(payload)


def backend_run(args, budget: dict) -> None:
    """odog's GAN and DCGAN alone at their budgets, for the table of docs/backends.md."""
    models = {"gan": GAN, "dcgan": DCGAN}
    results = [odog_run(models[name], name, budget[name], args.seed) for name in args.only.split(",")]
    payload = {"machine": report.machine(), "seed": args.seed, "results": results}
    if args.scale == 1.0:
        report.save_json(f"quality-{args.backend}", payload)
        rows = [
            [f"`{r['name']}`", f"{r['iterations']:,} x {r['batch_size']}", f"{r['fd']:.1f}", f"{r['coverage']:.3f}",
             f"{r['seconds']:.0f}"]
            for r in results
        ]  # fmt: skip
        text = report.table(["model", "budget", "classifier FD", "coverage", "training time, s"], rows)
        text += f"\n\nOn {payload['machine']}, seed {args.seed}. Produced by `python benchmarks/quality.py "
        text += f"--backend {args.backend} --only {args.only}`."
        report.fill("docs/backends.md", f"quality-{args.backend}", text)


LABELS = {
    "gan": "odog `GAN`",
    "gan-reference": "reference MLP GAN, plain fused loop",
    "dcgan": "odog `DCGAN`",
    "dcgan-reference": "Keras-GAN DCGAN (BatchNorm D), plain fused loop",
    "dcgan-keras-gan-d": "Keras-GAN DCGAN (BatchNorm D), odog's loop",
}


def write_docs(payload: dict) -> None:
    rows = []
    for r in payload["results"]:
        raw = f"{r['fd_raw_generator']:.2f}" if "fd_raw_generator" in r else "-"
        d_loss = f"{r['final_d_loss']:.3f} (min {r['min_d_loss']:.1e})" if "final_d_loss" in r else "-"
        rows.append(
            [
                LABELS.get(r["name"], r["name"]),
                r.get("iterations", "-"),
                f"{r['fd']:.2f}",
                raw,
                f"{r['coverage']:.3f}",
                r["classes_covered"],
                d_loss,
            ]
        )
    headers = ["model", "iterations (batch 32)", "classifier FD", "FD of the trained G, no EMA", "coverage", "classes"]
    text = report.table(headers + ["final D loss"], rows)
    text += (
        f"\n\nScored on {SAMPLES:,} samples against the 10,000 MNIST test images; the "
        f"classifier reaches {payload['classifier_test_accuracy']:.2%} test accuracy. "
        f"Seed {payload['seed']}, one run each, on {payload['machine']}. odog's samples come from "
        "`generator_ema` (the default); the next column scores the trained G of the same run. "
        "Final D loss: mean of the last 200 iterations. Produced by `python benchmarks/quality.py`."
    )
    by_name = {r["name"]: r for r in payload["results"]}
    report.fill("docs/results.md", "quality", text)
    report.write_variants_table()
    for page in ("gan", "dcgan"):
        ours, ref = by_name[page], by_name[f"{page}-reference"]
        summary = report.table(
            ["", "classifier FD", "coverage"],
            [
                [LABELS[page], f"{ours['fd']:.2f}", f"{ours['coverage']:.3f}"],
                [LABELS[f"{page}-reference"], f"{ref['fd']:.2f}", f"{ref['coverage']:.3f}"],
                ["real data floor", f"{by_name['real data (train vs test)']['fd']:.2f}", "-"],
            ],
        )
        summary += (
            f"\n\n{ours['iterations']:,} iterations at batch {BATCH}, seed {payload['seed']}; without the weight "
            f"average the same run's G scores FD {ours['fd_raw_generator']:.2f}. Full table: [results](results.md)."
        )
        report.fill(f"docs/{page}.md", "quality", summary)


if __name__ == "__main__":
    main()
