"""Trains the models with an encoder (AAE, BiGAN) on MNIST and measures their codes and samples.

- AAE: the test digits' reconstruction error G(E(x)) (MSE of pixels in
  [-1, 1]), next to the best linear code of the same size (PCA with
  `latent_dim` components, fitted on the training digits); the classifier FD
  of images decoded from prior draws z ~ N(0, I).
- BiGAN: a linear probe (`odog.metrics.linear_probe`: softmax regression
  fitted on one half of the 10,000 test digits, scored on the other) on E's
  codes, next to the same probe on an untrained encoder (same network, seed 1)
  and on the pixels; the classifier FD of G's samples.
Both also report the probe on the other's codes and how far G(E(x)) is from x.

Writes benchmarks/results/encoders.json, docs/images/<variant>.png (samples)
and <variant>_reconstructions.png, the quality sections of docs/aae.md and
docs/bigan.md, and the README's variant table.

    python benchmarks/encoders.py                 # both (~15 min on 2 cores)
    python benchmarks/encoders.py --only aae
    python benchmarks/encoders.py --scale 0.01    # a smoke run, writes nothing
    python benchmarks/encoders.py --docs-only     # rewrite the docs from encoders.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import report  # noqa: E402
from quality import SAMPLES, score  # noqa: E402

import odog  # noqa: E402
from odog import data, metrics, viz  # noqa: E402

BUDGETS = {"aae": 10000, "aae_adversarial": 10000, "bigan": 5000}
# Rows that train a variant in other settings: row -> (variant, its arguments).
SETTINGS = {"aae_adversarial": ("aae", {"reconstruction_weight": 0.9})}  # 100x Keras-GAN's adversarial weight
BATCH = 32
SEED = 0


def pca_reconstruction_error(train: np.ndarray, test: np.ndarray, components: int) -> float:
    """MSE of the test images projected on the first `components` principal axes of the training images."""
    x = train.reshape(len(train), -1).astype("float64")
    mean = x.mean(0)
    _, _, axes = np.linalg.svd(x[:20000] - mean, full_matrices=False)  # 20,000 digits fix the axes well
    axes = axes[:components]
    y = test.reshape(len(test), -1) - mean
    return float(np.mean(np.square(y @ axes.T @ axes - y)))


def train_and_measure(name: str, iterations: int, test: data.Dataset, grids: bool) -> dict:
    variant, settings = SETTINGS.get(name, (name, {}))
    gan = odog.get(variant)(seed=SEED, **settings)
    start = time.perf_counter()
    gan.train(epochs=iterations, batch_size=BATCH, verbose=0)
    seconds = time.perf_counter() - start
    result = {"name": name, "iterations": iterations, "batch_size": BATCH, "seconds": round(seconds, 1)}
    samples = gan.generate(SAMPLES, seed=1)
    result.update(score(samples))
    result["fd_raw_generator"] = score(gan.generate(SAMPLES, seed=1, ema=False))["fd"]
    reconstructions = gan.reconstruct(test.images, ema=False)  # the G that E was trained with
    result["reconstruction_mse"] = float(np.mean(np.square(reconstructions - test.images)))
    result["reconstruction_digit_kept"] = float((metrics.predicted_labels(reconstructions) == test.labels).mean())
    result["probe"] = metrics.linear_probe(gan.encode(test.images), test.labels)["accuracy"]
    untrained = odog.get(variant)(seed=SEED + 1)  # the same encoder network, never trained
    result["probe_untrained"] = metrics.linear_probe(untrained.encode(test.images), test.labels)["accuracy"]
    print({k: v for k, v in result.items()}, flush=True)
    if grids and name not in SETTINGS:
        images = report.ROOT / "docs" / "images"
        viz.save_grid(samples[:64], images / f"{name}.png", rows=8)
        pairs = np.stack([test.images[:16], reconstructions[:16]], 1).reshape((32,) + test.images.shape[1:])
        viz.save_grid(pairs, images / f"{name}_reconstructions.png", rows=4)  # each digit, then G(E(digit))
        viz.plot_history(gan.history, images / f"{name}_history.png")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budgets")
    parser.add_argument("--only", nargs="*", default=list(BUDGETS), choices=list(BUDGETS))
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from results/encoders.json")
    args = parser.parse_args()
    full = args.scale == 1.0
    path = report.RESULTS / "encoders.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    test = data.load_named("mnist", "test")
    train = data.load_named("mnist").images
    payload = {"machine": report.machine(), "seed": SEED, "results": {}}
    if full and path.exists():  # re-running one model keeps the other's result
        payload["results"] = json.loads(path.read_text())["results"]
    payload["baselines"] = {
        "pixels_probe": metrics.linear_probe(test.images, test.labels)["accuracy"],
        "pca_mse": {str(k): pca_reconstruction_error(train, test.images, k) for k in (10, 100)},
        "floor_fd": score(train[:SAMPLES])["fd"],
    }
    print(payload["baselines"], flush=True)
    for name in args.only:
        result = train_and_measure(name, max(1, int(BUDGETS[name] * args.scale)), test, grids=full)
        if full:
            payload["results"][name] = result
            report.save_json("encoders", payload)  # after each model: a crash loses nothing
    if full:
        write_docs(payload)


def write_docs(payload: dict) -> None:
    results, base = payload["results"], payload["baselines"]
    footer = (
        f"Seed {payload['seed']}, one run, on {payload['machine']}. FD: the classifier's Frechet distance of "
        f"{SAMPLES:,} samples (`generator_ema`) to the MNIST test digits (real training digits: "
        f"{base['floor_fd']:.2f}). Probe: softmax regression on the codes of 5,000 test digits, accuracy on the "
        "other 5,000 (`odog.metrics.linear_probe`). Produced by `python benchmarks/encoders.py`."
    )
    if "aae" in results:
        r = results["aae"]
        rows = [
            ["odog `aae`, G(E(x))", f"{r['reconstruction_mse']:.4f}", f"{r['reconstruction_digit_kept']:.1%}"],
            ["PCA, 10 components", f"{base['pca_mse']['10']:.4f}", "-"],
            ["PCA, 100 components", f"{base['pca_mse']['100']:.4f}", "-"],
        ]
        samples = []
        for row, label in (("aae", "odog `aae`"), ("aae_adversarial", "odog `aae`, reconstruction_weight=0.9")):
            if row in results:
                x = results[row]
                scores = [
                    f"{x['fd']:.2f}",
                    f"{x['fd_raw_generator']:.2f}",
                    f"{x['coverage']:.3f}",
                    x["classes_covered"],
                ]
                samples.append([label, *scores])
                if row != "aae":
                    kept = f"{x['reconstruction_digit_kept']:.1%}"
                    rows.insert(1, [f"{label}, G(E(x))", f"{x['reconstruction_mse']:.4f}", kept])
        text = report.table(["10,000 test digits", "reconstruction MSE", "digit kept"], rows)
        text += "\n\n" + report.table(
            ["images decoded from z ~ N(0, I)", "classifier FD", "without EMA", "coverage", "classes"], samples
        )
        text += (
            f"\n\nThe 10-dimensional codes probe at {r['probe']:.1%} (untrained encoder {r['probe_untrained']:.1%}, "
            f"pixels {base['pixels_probe']:.1%}). {r['iterations']:,} iterations at batch {r['batch_size']}: "
            f"{r['seconds'] / 60:.1f} min. " + footer
        )
        report.fill("docs/aae.md", "quality", text)
    if "bigan" in results:
        r = results["bigan"]
        rows = [
            ["E of odog `bigan`, trained", f"{r['probe']:.1%}"],
            ["the same E, untrained (seed 1)", f"{r['probe_untrained']:.1%}"],
            ["the pixels", f"{base['pixels_probe']:.1%}"],
        ]
        text = report.table(["features of MNIST test digits", "linear probe, held-out half"], rows)
        text += (
            f"\n\nG's samples: classifier FD {r['fd']:.2f} (without EMA {r['fd_raw_generator']:.2f}), coverage "
            f"{r['coverage']:.3f}, {r['classes_covered']} classes. G(E(x)) keeps the digit of "
            f"{r['reconstruction_digit_kept']:.1%} of the test digits (MSE {r['reconstruction_mse']:.3f}). "
            f"{r['iterations']:,} iterations at batch {r['batch_size']}: {r['seconds'] / 60:.1f} min. " + footer
        )
        report.fill("docs/bigan.md", "quality", text)
    report.write_variants_table()


if __name__ == "__main__":
    main()
