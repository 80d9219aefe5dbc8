"""Trains StarGAN on the five MNIST domains and measures whether its translations land in the requested domain.

- Domain: each of the first 2,000 test images of `mnist_domains` is
  translated into each of the four domains other than its own; the share
  of translations that odog's domain classifier (trained on
  `mnist_domains`) puts in the requested domain.
- Digit: the share that the digit classifier (trained on
  `mnist_domains_digits`, all five domains) reads as the input's digit.
- Baselines, per target domain: the untranslated inputs (how often the
  classifier already puts them in the target domain, and their digit
  accuracy), and the real test images of that domain (the classifiers'
  ceiling).

Writes benchmarks/results/stargan.json, docs/images/stargan.png (an input
per row, then its translation into each domain), stargan_history.png, the
quality section of docs/stargan.md and the stargan section of
docs/results.md.

    python benchmarks/stargan.py               # the full budget (~8 min of training on 2 cores)
    python benchmarks/stargan.py --scale 0.01  # a smoke run, writes nothing
    python benchmarks/stargan.py --docs-only   # rewrite the docs from stargan.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402

from odog import StarGAN, metrics, viz  # noqa: E402

# Runs: name -> (iterations, StarGAN's arguments), each within 8 minutes of training on 2 cores. StarGAN's
# defaults: ResNet G (16 filters, 3 blocks), WGAN-GP with the paper's 5 D steps per G step, batch 16; with one
# D step an iteration costs half as much, and twice the G updates fit (measured worse: docs/stargan.md).
RUNS = {
    "stargan": (2400, {}),
    "stargan-1d": (5000, {"d_steps": 1}),
}
IMAGES = report.ROOT / "docs" / "images"
TEST_IMAGES = 2000


def stargan_run(name: str, iterations: int, seed: int, test_images: int) -> tuple[dict, StarGAN]:
    gan = StarGAN(seed=seed, **RUNS[name][1])
    start = time.perf_counter()
    gan.train(epochs=iterations, verbose=0)
    seconds = round(time.perf_counter() - start, 1)
    scores = gan.measure(n=test_images)
    classifiers = {name: metrics.classifier(name)[1] for name in ("mnist_domains", "mnist_domains_digits")}
    result = {
        "name": name,
        "settings": {
            "filters": gan.filters,
            "residual_blocks": gan.residual_blocks,
            "d_steps": gan.d_steps,
            "gp_weight": gan.gp_weight,
            "cls_weight": gan.cls_weight,
            "rec_weight": gan.rec_weight,
            "learning_rate": gan.learning_rate,
        },
        "iterations": iterations,
        "batch_size": gan.default_batch_size,
        "seconds": seconds,
        "test_images": test_images,
        "classifier_accuracy": classifiers,
        "final_reconstruction_loss": sum(gan.history["reconstruction_loss"][-100:]) / 100
        if iterations >= 100
        else None,
        **scores,
    }
    return result, gan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=list(RUNS), choices=list(RUNS), help="runs to (re)do")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from results/stargan.json")
    args = parser.parse_args()
    path = report.RESULTS / "stargan.json"
    if args.docs_only:
        payload = json.loads(path.read_text())
        report.save_json("stargan", {**payload, "readme": readme(payload)})
        write_docs(payload)
        return
    full = args.scale == 1.0
    payload = {"machine": report.machine(), "seed": args.seed, "results": {}}
    if full and path.exists():  # re-running one run keeps the others
        payload["results"] = json.loads(path.read_text())["results"]
    for name in args.only:
        iterations = max(2, int(RUNS[name][0] * args.scale))
        result, gan = stargan_run(name, iterations, args.seed, TEST_IMAGES if full else 50)
        print(json.dumps(result, indent=2), flush=True)
        if full:
            payload["results"][name] = result
            report.save_json("stargan", {**payload, "readme": readme(payload)})
            gan.sample_images(IMAGES / f"{name}.png")
            viz.plot_history(gan.history, IMAGES / f"{name}_history.png")
    if full:
        write_docs(payload)


def readme(payload: dict) -> dict:
    """The README row: the default run's numbers."""
    x = payload["results"].get("stargan") or next(iter(payload["results"].values()))
    m = x["mean"]
    return {
        "stargan": {
            "measures": f"- (mnist_domains: in the requested domain {m['domain']:.1%}, inputs already there "
            f"{m['input_domain']:.1%}, real images {m['real_domain']:.1%}; digit kept {m['digit']:.1%}, "
            f"inputs {m['input_digit']:.1%})",
            "iterations": x["iterations"],
            "batch_size": x["batch_size"],
        }
    }


def write_docs(payload: dict) -> None:
    runs = [payload["results"][name] for name in RUNS if name in payload["results"]]
    text = ""
    for x in runs:
        rows = []
        for name, s in x["per_domain"].items():
            rows.append(
                [name]
                + [
                    f"{s[k]:.1%}"
                    for k in ("domain", "input_domain", "real_domain", "digit", "input_digit", "real_digit")
                ]
            )
        m = x["mean"]
        rows.append(
            ["**mean**"]
            + [f"{m[k]:.1%}" for k in ("domain", "input_domain", "real_domain", "digit", "input_digit", "real_digit")]
        )
        steps = x["settings"]["d_steps"]
        text += (
            f"**{x['name']}**: {x['iterations']:,} iterations x {x['batch_size']} images, {steps} D "
            f"step{'s' * (steps > 1)} per G step, {x['seconds'] / 60:.1f} min of training; reconstruction L1 "
            f"{x['final_reconstruction_loss']:.3f} over the last 100 iterations.\n\n"
        )
        text += report.table(
            ["target domain", "in the domain: StarGAN", "inputs untranslated", "real images of it"]
            + ["digit kept: StarGAN", "inputs untranslated", "real images of it"],
            rows,
        )
        text += "\n\n"
    x = runs[0]
    text += (
        f"Seed {payload['seed']}, one run each, on {payload['machine']}. Each of the first {x['test_images']:,} "
        "test images is translated into the four domains other than its own; a row's StarGAN columns are over "
        "those translations into its domain, its input columns over the same inputs untranslated, and its real "
        "columns over the 2,000 test images of that domain. Classifiers (odog's small CNN, 3 epochs): domain "
        f"{x['classifier_accuracy']['mnist_domains']:.1%}, digit "
        f"{x['classifier_accuracy']['mnist_domains_digits']:.1%} test accuracy. "
        "Produced by `python benchmarks/stargan.py`."
    )
    report.fill("docs/stargan.md", "quality", text)
    report.fill("docs/results.md", "stargan", "### StarGAN (five MNIST domains)\n\n" + text)


if __name__ == "__main__":
    main()
