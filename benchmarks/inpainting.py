"""Trains the inpainting models on MNIST and measures what they fill in, next to two fills without training.

Each model (`ContextEncoder`, `CCGAN`) trains on the 60,000 training digits
with 14x14 holes at random places, then fills the 14x14 centre hole of the
10,000 test digits. Measured: the PSNR inside the hole, the share of
inpainted digits that odog's MNIST classifier reads as their own label and
the classifier FD of the inpainted digits to the test split; next
to the hole filled with the training set's mean image (`mean_fill`), the
surrounding pixels diffused inward (`blur_fill`), and the untouched digits.

Writes benchmarks/results/inpainting.json, docs/images/<variant>.png
(masked | inpainted | original), docs/images/<variant>_baselines.png
(masked | mean | blur | inpainted | original) and the measured sections of
docs/<variant>.md.

    python benchmarks/inpainting.py               # every run (~25 min on 2 cores, CCGAN twice)
    python benchmarks/inpainting.py --scale 0.01  # a smoke run (writes nothing)
    python benchmarks/inpainting.py --docs-only   # rewrite the docs from the JSON
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402

report.use_backend_from_argv()

import numpy as np  # noqa: E402

import odog  # noqa: E402
from odog import data, inpainting, metrics, viz  # noqa: E402

# Iterations at batch 64, each run under about 15 minutes on 2 CPU cores.
BUDGETS = {"context_encoder": 3000, "ccgan": 2500, "ccgan_long": 10000}
# Runs that train a variant under another name (here: longer): run -> variant.
VARIANTS = report.INPAINTING_RUNS
BATCH = 64
SEED = 0
GRID_ROWS = 8
HEADERS = ["MNIST test split, 10,000 digits, 14x14 centre hole", "PSNR in the hole (dB)", "right digit"]
HEADERS += ["classifier FD to the test split"]


def train(name: str, iterations: int, test: data.Dataset, grids: bool) -> dict:
    gan = odog.get(VARIANTS.get(name, name))(seed=SEED)
    start = time.perf_counter()
    gan.train(epochs=iterations, batch_size=BATCH, verbose=0)
    seconds = time.perf_counter() - start
    scores = gan.evaluate(test.images, test.labels)
    if grids:
        images = test.images[:GRID_ROWS]
        gan.sample_images(report.ROOT / "docs" / "images" / f"{name}.png", images=images)
        masks = gan.centre_masks(len(images))
        columns = [
            images * (1.0 - masks),
            inpainting.mean_fill(images, masks, gan.mean_image),
            inpainting.blur_fill(images, masks),
            gan.inpaint(images, masks),
            images,
        ]
        stacked = np.stack(columns, axis=1).reshape((-1,) + images.shape[1:])
        viz.save_grid(stacked, report.ROOT / "docs" / "images" / f"{name}_baselines.png", rows=GRID_ROWS)
    result = {"name": name, "iterations": iterations, "batch_size": BATCH, "seconds": round(seconds, 1)}
    result.update(hole_size=gan.hole_size, hole_position=gan.hole_position, filters=gan.filters)
    result.update(scores)
    print(result, flush=True)
    return result


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


LABELS = {
    "context_encoder": "odog `context_encoder` (0.999 x L2 + 0.001 x GAN)",
    "ccgan": "odog `ccgan` (GAN loss only)",
    "ccgan_long": f"odog `ccgan` (GAN loss only), trained {BUDGETS['ccgan_long'] // BUDGETS['ccgan']} times as long",
}


def rows(results: dict, names: list[str]) -> list[list]:
    table = []
    for name in names:
        r = results[name]
        table.append([LABELS[name], f"{r['psnr_hole']:.2f}", pct(r["digit_accuracy"]), fd(r)])
    base = results[names[0]]["baselines"]
    fills = {
        "mean": "the hole filled with the training set's mean image",
        "blur": "the hole filled by diffusing its border (blur)",
    }
    for key, label in fills.items():
        table.append([label, f"{base[key]['psnr_hole']:.2f}", pct(base[key]["digit_accuracy"]), fd(base[key])])
    table.append(["the digits without a hole", "-", pct(results["original_accuracy"]), "0"])
    return table


def fd(scores: dict) -> str:
    return f"{scores['fd']:.2f}" if "fd" in scores else "-"  # runs before FD was measured have none


def footnote(results: dict, names: list[str]) -> str:
    runs = [f"{results[n]['iterations']:,} iterations in {results[n]['seconds'] / 60:.1f} min ({n})" for n in names]
    return (
        f"Batch {BATCH}, seed {SEED}, filters {results[names[0]]['filters']}, training holes 14x14 at random places; "
        f"{'; '.join(runs)}; on {results['machine']}. Digits are read by odog's MNIST classifier "
        f"({results['classifier_accuracy']:.2%} test accuracy). Written by `benchmarks/inpainting.py`."
    )


def write_docs(results: dict) -> None:
    names = [n for n in BUDGETS if n in results]
    for page in dict.fromkeys(VARIANTS.get(n, n) for n in names):
        # The page's own runs first, the other model's for comparison.
        own = [n for n in names if VARIANTS.get(n, n) == page]
        ordered = own + [n for n in names if n not in own]
        section = report.table(HEADERS, rows(results, ordered)) + "\n\n" + footnote(results, ordered)
        report.fill(f"docs/{page}.md", "quality", section)
    report.write_variants_table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated runs, e.g. ccgan")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every budget (a smoke run: 0.01)")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from the saved JSON")
    parser.add_argument("--backend", help="Keras backend (default tensorflow)")
    args = parser.parse_args()
    path = report.RESULTS / "inpainting.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    names = args.only.split(",") if args.only else list(BUDGETS)
    unknown = set(names) - set(BUDGETS)
    if unknown:
        parser.error(f"unknown runs {sorted(unknown)}; choose from {sorted(BUDGETS)}")
    smoke = args.scale != 1.0
    test = data.load_named("mnist", "test")
    if smoke:  # a smoke run scores 500 test digits
        test = data.Dataset(test.images[:500], test.labels[:500], test.name)
    results = json.loads(path.read_text()) if path.exists() and not smoke else {}
    _, accuracy = metrics.classifier("mnist")
    results.update(machine=report.machine(), batch_size=BATCH, test_images=len(test), classifier_accuracy=accuracy)
    results["original_accuracy"] = metrics.label_accuracy(test.images, test.labels)
    for name in names:
        results[name] = train(name, max(1, round(BUDGETS[name] * args.scale)), test, grids=not smoke)
        if not smoke:
            report.save_json("inpainting", results)
    if smoke:
        print("Smoke run: nothing written.")
        return
    write_docs(results)


if __name__ == "__main__":
    main()
