"""Trains ClusterGAN on MNIST and measures how well its encoder clusters the test digits, next to InfoGAN.

- Cluster accuracy: the encoder's cluster (argmax of z_c) of each of the
  10,000 MNIST test images, under the best one-to-one mapping of clusters to
  digits (Hungarian algorithm, `odog.metrics.cluster_accuracy`), as
  benchmarks/conditional.py measures InfoGAN's categorical code.
- Samples: 1,000 per cluster (`generate(n, cluster=k)`), read by odog's MNIST
  classifier: the purity of each cluster (the share of its samples in its
  most frequent digit), the Hungarian accuracy over all, and the classifier
  FD and class coverage of the 10,000 (benchmarks/quality.py).
- InfoGAN's numbers are read from benchmarks/results/conditional.json, with
  their own budget.

Writes benchmarks/results/clustergan.json, docs/images/clustergan.png (a row
per cluster), clustergan_history.png and the quality section of
docs/clustergan.md.

    python benchmarks/clustering.py               # the full budget (~12 min on 2 cores)
    python benchmarks/clustering.py --scale 0.01  # a smoke run, writes nothing
    python benchmarks/clustering.py --docs-only   # rewrite the docs from clustergan.json
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

from odog import ClusterGAN, data, metrics, viz  # noqa: E402

# Runs: name -> (iterations, ClusterGAN's arguments), each about 12 minutes on 2 cores. The paper's WGAN-GP
# critic takes 5 steps per G step; the cross-entropy D of the reference's default run takes one, so three
# times as many G iterations fit in the same time.
# The last run reads z_c from distorted copies, as InfoGAN reads its code (InfoGAN's default distortion).
RUNS = {
    "clustergan": (900, {}),
    "clustergan-bce": (3000, {"adversarial": "bce", "d_steps": 1}),
    "clustergan-bce-augment": (3000, {"adversarial": "bce", "d_steps": 1, "code_augment": (0.5, 0.2, 2.0, 1.0)}),
}
IMAGES = report.ROOT / "docs" / "images"


def clustergan_run(name: str, iterations: int, seed: int) -> tuple[dict, ClusterGAN]:
    gan = ClusterGAN(seed=seed, **RUNS[name][1])
    start = time.perf_counter()
    gan.train(epochs=iterations, verbose=0)  # at ClusterGAN's default_batch_size, 64
    seconds = round(time.perf_counter() - start, 1)
    test = data.load_named("mnist", "test")
    on_test = metrics.cluster_accuracy(gan.cluster(test.images), test.labels)
    clusters = np.arange(SAMPLES) % gan.clusters
    images = gan.generate(SAMPLES, cluster=clusters, seed=1)
    digits = metrics.predicted_labels(images)
    purity = []
    for k in range(gan.clusters):
        counts = np.bincount(digits[clusters == k], minlength=10)
        purity.append({"cluster": k, "digit": int(counts.argmax()), "purity": float(counts.max() / counts.sum())})
    result = {
        "name": name,
        "settings": {
            "adversarial": gan.adversarial,
            "d_steps": gan.d_steps,
            "noise_dim": gan.noise_dim,
            "sigma": gan.sigma,
            "beta_n": gan.beta_n,
            "beta_c": gan.beta_c,
            "code_augment": gan.code_augment,
        },
        "iterations": iterations,
        "batch_size": gan.default_batch_size,
        "seconds": seconds,
        "cluster_accuracy_test": on_test["accuracy"],
        "cluster_to_digit": on_test["mapping"],
        "cluster_accuracy_samples": metrics.cluster_accuracy(clusters, digits)["accuracy"],
        "purity": purity,
        "final_zc_acc": float(np.mean(gan.history["zc_acc"][-100:])),
        **score(images),
    }
    return result, gan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=list(RUNS), choices=list(RUNS), help="runs to (re)do")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from results/clustergan.json")
    args = parser.parse_args()
    path = report.RESULTS / "clustergan.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    full = args.scale == 1.0
    payload = {"machine": report.machine(), "seed": args.seed, "results": {}}
    if full and path.exists():  # re-running one run keeps the others
        payload["results"] = json.loads(path.read_text())["results"]
    for name in args.only:
        result, gan = clustergan_run(name, max(2, int(RUNS[name][0] * args.scale)), args.seed)
        print(result, flush=True)
        if full:
            payload["results"][name] = result
            report.save_json("clustergan", payload)
            viz.save_grid(gan.code_grid(columns=10, seed=0), IMAGES / f"{name}.png", rows=gan.clusters)
            viz.plot_history(gan.history, IMAGES / f"{name}_history.png")
    if full:
        write_docs(payload)


def write_docs(payload: dict) -> None:
    runs = [payload["results"][name] for name in RUNS if name in payload["results"]]
    best = max(runs, key=lambda r: r["cluster_accuracy_test"])
    conditional = report.RESULTS / "conditional.json"
    theirs = json.loads(conditional.read_text()) if conditional.exists() else {"results": {}}
    info = theirs["results"].get("infogan")
    where = f"seed {payload['seed']}, one run, on {payload['machine']}"
    rows = []
    for x in runs:
        settings = x["settings"]
        steps = f"{settings['d_steps']} D step{'s' * (settings['d_steps'] > 1)}"
        rows.append(
            [
                f"ClusterGAN, {report.clustergan_settings(settings)}",
                f"{x['iterations']:,} x {x['batch_size']}, {steps}",
                f"{x['seconds'] / 60:.1f} min",
                f"{x['cluster_accuracy_test']:.2%}",
                f"{x['cluster_accuracy_samples']:.2%}",
                f"{x['fd']:.2f}",
                f"{x['coverage']:.3f}",
            ]
        )
    if info:
        rows.append(
            [
                "[InfoGAN](infogan.md) (Q's categorical code)",
                f"{info['iterations']:,} x {info['batch_size']}, 1 D step each",
                f"{info['seconds'] / 60:.1f} min",
                f"{info['cluster_accuracy_test']:.2%}",
                f"{info['cluster_accuracy_samples']:.2%}",
                f"{info['fd']:.2f}",
                f"{info['coverage']:.3f}",
            ]
        )
    text = report.table(
        ["model", "budget", "wall time", "cluster accuracy, MNIST test", "cluster accuracy, samples"]
        + ["classifier FD", "coverage"],
        rows,
    )
    text += (
        "\n\nPer cluster of the run with the best test accuracy "
        f"({report.clustergan_settings(best['settings'])}), the digit the classifier reads most often in its "
        "1,000 samples, and how often:\n\n"
    )
    text += report.table(
        ["cluster", *(str(p["cluster"]) for p in best["purity"])],
        [
            ["digit", *(str(p["digit"]) for p in best["purity"])],
            ["purity", *(f"{p['purity']:.1%}" for p in best["purity"])],
        ],
    )
    text += (
        f"\n\nClusterGAN: {where}. InfoGAN: `benchmarks/conditional.py` at its own budget, seed "
        f"{theirs.get('seed')}, on {theirs.get('machine')}. "
        "Cluster accuracy: under the best one-to-one mapping of the 10 clusters to digits (Hungarian algorithm), "
        "of the encoder's (InfoGAN: Q's) cluster of the 10,000 test images, and of the classifier's digit of "
        f"{SAMPLES:,} samples, 1,000 per cluster. Produced by `python benchmarks/clustering.py`."
    )
    report.fill("docs/clustergan.md", "quality", text)


if __name__ == "__main__":
    main()
