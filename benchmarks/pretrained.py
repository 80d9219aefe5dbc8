"""Trains the generators that ship inside odog (`odog.pretrained`) and measures them as shipped.

Each model trains on MNIST with seed 0; its generator (the EMA copy) is
written in float16 to odog/weights/<name>/ by `save_generator`, loaded back
through `odog.pretrained(name)`, and that loaded model is what is measured:

- dcgan-mnist: classifier FD and coverage of 10,000 samples (as quality.py).
- cgan-mnist: label accuracy of 10,000 samples (1,000 per class) and their FD.
- infogan-mnist: how well the categorical code picks the digit, as accuracy
  under the best one-to-one map of codes to the classifier's digits (1,000
  samples per code; Q does not ship), and the FD.
- srgan-mnist: PSNR and SSIM of 7x7 -> 28x28 on the 10,000 test images, next
  to bicubic.

Also the largest difference between the float16 generator's samples and the
trained float32 one's, and each file's size (at most 20 MB together).

Writes odog/weights/, benchmarks/results/pretrained.json, docs/images/pretrained_*.png
and the table of docs/pretrained.md.

    python benchmarks/pretrained.py               # the budgets below (~30 min on 2 cores)
    python benchmarks/pretrained.py --scale 0.01  # a smoke run into a temporary folder, writes nothing
    python benchmarks/pretrained.py --docs-only   # rewrite the docs from pretrained.json
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import report  # noqa: E402
from quality import SAMPLES, score  # noqa: E402

import odog  # noqa: E402
from odog import data, hub, metrics, viz  # noqa: E402

BUDGETS = {"dcgan-mnist": 2000, "cgan-mnist": 2000, "infogan-mnist": 1500, "srgan-mnist": 400}
LIMIT_MB = 20.0
IMAGES = report.ROOT / "docs" / "images"


def measure(name: str, gan) -> dict:
    """What the shipped model `gan` promises, on 10,000 samples or test images."""
    if name == "cgan-mnist":
        labels = np.arange(SAMPLES) % 10
        images = gan.generate(SAMPLES, labels=labels, seed=1)
        return {"label_accuracy": metrics.label_accuracy(images, labels), **score(images)}
    if name == "infogan-mnist":
        codes = np.arange(SAMPLES) % gan.categories
        images = gan.generate(SAMPLES, code=codes, seed=1)
        model, _ = metrics.classifier("mnist")
        digits = model.predict(images, batch_size=500, verbose=0).argmax(axis=1)
        return {"code_accuracy": metrics.cluster_accuracy(codes, digits)["accuracy"], **score(images)}
    if name == "srgan-mnist":
        return gan.evaluate(data.load_named("mnist", "test").images)
    return score(gan.generate(SAMPLES, seed=1))


def grid(name: str, gan) -> np.ndarray:
    if name == "cgan-mnist":
        return gan.generate(100, labels=np.repeat(np.arange(10), 10), seed=0)
    if name == "infogan-mnist":
        return gan.code_grid()
    if name == "srgan-mnist":
        high = data.load_named("mnist", "test").images[:10]
        low = gan.downscale(high)
        return np.concatenate([gan.bicubic(low), gan.upscale(low), high])  # rows: bicubic, SRGAN, original
    return gan.generate(100, seed=0)


def train_and_ship(name: str, iterations: int, folder: Path) -> tuple:
    variant, _ = hub.MODELS[name]
    # MNIST is too small for SRGAN's VGG19 content loss: its pixel loss, said rather than warned about.
    options = {"content_loss": "pixel"} if variant == "srgan" else {}
    gan = odog.get(variant)(seed=0, **options)
    start = time.perf_counter()
    gan.train(epochs=iterations, verbose=0)
    seconds = round(time.perf_counter() - start, 1)
    file = gan.save_generator(folder / name)
    shipped = odog.load(file.parent)
    probe = {"labels": 3} if variant == "cgan" else {"code": 3} if variant == "infogan" else {}
    if variant == "srgan":
        low = gan.downscale(data.load_named("mnist", "test").images[:64])
        drift = np.abs(shipped.upscale(low) - gan.upscale(low)).max()
    else:
        drift = np.abs(shipped.generate(64, seed=2, **probe) - gan.generate(64, seed=2, **probe)).max()
    result = {
        "name": name,
        "iterations": iterations,
        "batch_size": gan.default_batch_size,
        "seconds": seconds,
        "megabytes": round(file.stat().st_size / 2**20, 2),
        "float16_max_abs_difference": float(drift),
        **measure(name, shipped),
    }
    return result, shipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(BUDGETS), default=list(BUDGETS))
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of each budget (below 1: writes nothing)")
    parser.add_argument("--docs-only", action="store_true")
    args = parser.parse_args()
    path = report.RESULTS / "pretrained.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    full = args.scale == 1.0
    folder = hub.FOLDER if full else Path(tempfile.mkdtemp())
    payload = {"machine": report.machine(), "seed": 0, "results": {}}
    if full and path.exists():
        payload["results"] = json.loads(path.read_text())["results"]
    for name in args.only:
        result, shipped = train_and_ship(name, max(2, int(BUDGETS[name] * args.scale)), folder)
        print(result, flush=True)
        if full:
            payload["results"][name] = result
            rows = 3 if name == "srgan-mnist" else 10
            viz.save_grid(grid(name, shipped), IMAGES / f"pretrained_{name}.png", rows=rows)
            report.save_json("pretrained", payload)
    if full:
        total = sum(r["megabytes"] for r in payload["results"].values())
        if total > LIMIT_MB:
            raise SystemExit(f"The shipped generators take {total:.1f} MB, over the {LIMIT_MB:.0f} MB limit.")
        write_docs(payload)


def write_docs(payload: dict) -> None:
    r = payload["results"]
    rows = []
    for name, (_, what) in hub.MODELS.items():
        if name not in r:
            continue
        x = r[name]
        if name == "srgan-mnist":
            measured = (
                f"PSNR {x['psnr']:.2f} dB (bicubic {x['bicubic_psnr']:.2f}), "
                f"SSIM {x['ssim']:.3f} (bicubic {x['bicubic_ssim']:.3f})"
            )
        else:
            measured = f"classifier FD {x['fd']:.2f}, coverage {x['coverage']:.3f}"
            if "label_accuracy" in x:
                measured += f", label accuracy {x['label_accuracy']:.2%}"
            if "code_accuracy" in x:
                measured += f", code-to-digit accuracy {x['code_accuracy']:.2%}"
        rows.append(
            [
                f"`{name}`",
                what,
                f"{x['iterations']:,} x {x['batch_size']} ({x['seconds'] / 60:.1f} min)",
                measured,
                f"{x['megabytes']:.1f} MB",
                f"{x['float16_max_abs_difference']:.1e}",
            ]
        )
    headers = ["name", "model", "trained", "measured on the shipped generator", "size", "float16 drift"]
    text = report.table(headers, rows)
    total = sum(x["megabytes"] for x in r.values())
    text += (
        f"\n\n{total:.1f} MB together. Seed {payload['seed']}, one run each, on {payload['machine']}. "
        "'float16 drift' is the largest difference, on [-1, 1] pixels, between the shipped generator's output "
        "and the trained float32 generator's for the same input."
    )
    report.fill("docs/pretrained.md", "pretrained", text)


if __name__ == "__main__":
    main()
