"""Trains LAPGAN's 8x8 base level on its own, for longer, and puts it under a trained LAPGAN's finer levels.

LAPGAN's levels are independent GANs, each trained on the real pyramid of the batch, so a base level
trained alone on the 8x8 level of MNIST is the base level the whole pyramid would have trained with that
budget, and its weights drop into a trained LAPGAN's level 0. The base level is cheap (one of its
iterations is a small part of a pyramid iteration), so this shows what a longer-trained base buys the
whole pyramid's FD, without retraining the finer levels. Scored like benchmarks/quality.py (classifier
Frechet distance and coverage of 10,000 samples against the MNIST test set), next to the same pyramid on
the real 8x8 images of the training set (what a perfect base level would give).

Writes benchmarks/results/lapgan_base.json and the base-level table of docs/lapgan.md.

    python benchmarks/lapgan_base.py                         # trains LAPGAN (4,000 x 32) first
    python benchmarks/lapgan_base.py --checkpoint RUN_DIR    # or loads a saved LAPGAN of that budget
    python benchmarks/lapgan_base.py --scale 0.01            # a smoke run, writes nothing
    python benchmarks/lapgan_base.py --docs-only             # rewrite the docs from the JSON
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import report  # noqa: E402
from architectures import BUDGETS  # noqa: E402
from quality import BATCH, SAMPLES, score  # noqa: E402

import odog  # noqa: E402
from odog import data  # noqa: E402

# Base-level budgets, in iterations at batch BATCH: the pyramid's own, and four times it.
FACTORS = (1, 4)


def base_level(lapgan: odog.LAPGAN, images: np.ndarray, seed: int) -> odog.BaseGAN:
    """LAPGAN's level 0 as a GAN of its own, on the 8x8 level of `images`' pyramid."""

    class BaseLevel(odog.BaseGAN):
        name = "lapgan_base"

        def build_generator(self) -> keras.Model:
            return lapgan.build_base_generator()

        def build_discriminator(self) -> keras.Model:
            return lapgan.build_base_discriminator()

    return BaseLevel(dataset=lapgan.decompose(images)[0][0], seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budgets")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoint", help="a saved LAPGAN trained for architectures.py's budget, seed --seed")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from results/lapgan_base.json")
    args = parser.parse_args()
    full = args.scale == 1.0
    path = report.RESULTS / "lapgan_base.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    iterations = max(2, int(BUDGETS["lapgan"][0] * args.scale))
    if args.checkpoint:
        lapgan = odog.LAPGAN.load(args.checkpoint)
        if full and (lapgan.iteration, lapgan.get_config().get("seed")) != (iterations, args.seed):
            raise SystemExit(
                f"--checkpoint must hold LAPGAN trained {iterations:,} iterations with seed {args.seed}. "
                f"Received one at iteration {lapgan.iteration:,}, seed {lapgan.get_config().get('seed')}."
            )
    else:
        lapgan = odog.LAPGAN(seed=args.seed, **BUDGETS["lapgan"][1])
        lapgan.train(epochs=iterations, batch_size=BATCH, verbose=0)
    train = data.load_named("mnist").images
    payload = {"machine": report.machine(), "seed": args.seed, "pyramid_iterations": iterations, "rows": []}
    own = score(lapgan.generate(SAMPLES, seed=1))
    payload["rows"].append({"base": "trained with the pyramid", "base_iterations": iterations, **own})
    for factor in FACTORS:
        base = base_level(lapgan, train, args.seed)
        start = time.perf_counter()
        base.train(epochs=iterations * factor, batch_size=BATCH, verbose=0)
        seconds = time.perf_counter() - start
        for name in ("generator", "generator_ema"):  # the pyramid samples from generator_ema
            getattr(lapgan, name).get_layer("level_0").set_weights(getattr(base, name).get_weights())
        row = {"base": "trained alone", "base_iterations": iterations * factor, "seconds": round(seconds, 1)}
        payload["rows"].append(row | score(lapgan.generate(SAMPLES, seed=1)))
        print(payload["rows"][-1], flush=True)
    real = score(lapgan.refine(train[:SAMPLES], start=1, seed=1))
    payload["rows"].append({"base": "none: the training images' own 8x8 level", "base_iterations": 0, **real})
    print(payload["rows"][-1], flush=True)
    if full:
        report.save_json("lapgan_base", payload)
        write_docs(payload)


def write_docs(payload: dict) -> None:
    rows = [
        [
            r["base"],
            f"{r['base_iterations']:,}" if r["base_iterations"] else "-",
            f"{r['seconds'] / 60:.1f} min" if "seconds" in r else "-",
            f"{r['fd']:.2f}",
            f"{r['coverage']:.3f}",
            r["classes_covered"],
        ]
        for r in payload["rows"]
    ]
    text = report.table(
        ["8x8 base level", "its iterations", "its wall time", "classifier FD", "coverage", "classes"], rows
    )
    text += (
        f"\n\nThe finer levels are those of LAPGAN trained {payload['pyramid_iterations']:,} iterations at batch "
        f"{BATCH}, seed {payload['seed']}, on {payload['machine']}; each base level's weights are put into its "
        f"level 0. Scored on {SAMPLES:,} samples against the MNIST test set. Produced by "
        "`python benchmarks/lapgan_base.py`."
    )
    report.fill("docs/lapgan.md", "base-level", text)


if __name__ == "__main__":
    main()
