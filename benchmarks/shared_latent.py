"""Trains UNIT and MUNIT on `digits2textured` and measures what they translate.

- UNIT: the digit kept through a2b and b2a (read by each target domain's
  classifier), the classifier FD of the outputs to the target domain and the
  cycle L1, on the 5,000 + 5,000 test images (`TranslationGAN.measure`); next
  to untranslated images, real images of the target domain and CycleGAN's
  measured row (all read from benchmarks/results/translation.json, not
  re-trained).
- MUNIT: the same with random style codes, plus the diversity of its outputs
  for one input (mean pairwise L1 over 10 style codes, 1,000 test inputs per
  direction, `odog.metrics.diversity`), next to the diversity of 10 real test
  images of the target domain with the same digit, and the BicycleGAN task's
  own (the same digit on two textures, from translation.json).

Writes benchmarks/results/shared_latent.json, docs/images/unit.png and
munit.png, the measured sections of docs/unit.md, docs/munit.md and
docs/results.md (`unit_munit`).

    python benchmarks/shared_latent.py               # the full budgets (~16 min on 2 cores)
    python benchmarks/shared_latent.py --scale 0.01  # a smoke run (writes nothing)
    python benchmarks/shared_latent.py --only unit --docs-only   # rewrite the docs from the JSON
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
import translation as translation_benchmark  # noqa: E402  (benchmarks/translation.py: its tables' rows)

import odog  # noqa: E402
from odog import metrics  # noqa: E402
from odog.data import translation  # noqa: E402

# Iterations at batch 16: each run (training and measuring) within 8 minutes on 2 CPU cores.
BUDGETS = {"unit": 1500, "munit": 3000}
BATCH = 16
SEED = 0
DIVERSITY_INPUTS, STYLES = 1000, 10


def train(name: str, iterations: int, grid: bool) -> dict:
    gan = odog.get(name)(seed=SEED)
    start = time.perf_counter()
    gan.train(epochs=iterations, batch_size=BATCH, verbose=0)
    seconds = time.perf_counter() - start
    scores = gan.measure()
    if grid:
        gan.sample_images(report.ROOT / "docs" / "images" / f"{name}.png")
    result = {"name": name, "iterations": iterations, "batch_size": BATCH, "seconds": round(seconds, 1)}
    result.update({k: float(v) for k, v in scores.items()})
    print(result, flush=True)
    return result


def real_diversity(seed: int = 0) -> dict:
    """For each of the first 1,000 test images of a domain, `STYLES` real test images of the other domain with
    its digit: their mean pairwise L1 (what a model that draws real images of the right digit would score)."""
    test = translation.task("digits2textured", "test")
    rng = np.random.default_rng(seed)
    scores = {}
    for direction, labels, targets, target_labels in (
        ("a2b", test.labels_a, test.b, test.labels_b),
        ("b2a", test.labels_b, test.a, test.labels_a),
    ):
        by_digit = {d: np.flatnonzero(target_labels == d) for d in range(10)}
        picks = np.stack([rng.choice(by_digit[d], STYLES, replace=False) for d in labels[:DIVERSITY_INPUTS]], axis=1)
        scores[direction] = metrics.diversity(targets[picks])
    return scores


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def unpaired_table(results: dict, reference: dict, name: str) -> str:
    """`benchmarks/translation.py`'s unpaired table: this model, CycleGAN's measured row and the baselines."""
    runs = {name: results[name], "cyclegan": reference["cyclegan"]}
    rows = translation_benchmark.unpaired_rows(runs, reference["baselines"], [name, "cyclegan"])
    rows[1][0] = "odog `cyclegan` (its own benchmark, 2,500 iterations)"
    return report.table(translation_benchmark.UNPAIRED_HEADERS, rows)


DIVERSITY_HEADERS = ["digits2textured, 1,000 test inputs x 10 styles", "diversity a2b", "diversity b2a"]


def diversity_table(results: dict, reference: dict) -> str:
    r, real = results["munit"], results["real_diversity"]
    rows = [
        ["odog `munit` (random style codes)", f"{r['diversity_a2b']:.4f}", f"{r['diversity_b2a']:.4f}"],
        ["10 real test images of the target domain with the input's digit", f"{real['a2b']:.4f}",
         f"{real['b2a']:.4f}"],
        ["the same digit on two textures (BicycleGAN's task, `task_diversity`)",
         f"{reference['baselines']['task_diversity']:.4f}", "-"],
    ]  # fmt: skip
    return report.table(DIVERSITY_HEADERS, rows)


def footnote(results: dict, names) -> str:
    runs = [results[n] for n in names if n in results]
    parts = [f"{r['name']}: {r['iterations']:,} iterations in {r['seconds'] / 60:.1f} min" for r in runs]
    text = (
        f"Batch {BATCH}, seed {SEED}; {'; '.join(parts)} (training; measuring not counted); on "
        f"{results['machine']}. Digits are read by odog's classifiers; the CycleGAN row and the baselines are "
        "benchmarks/translation.py's, read from benchmarks/results/translation.json."
    )
    for r in results.get("earlier", {}).values():
        if r["name"] in names:
            text += (
                f" An earlier run at {r['iterations']:,} iterations ({r['seconds'] / 60:.1f} min): digit kept a2b "
                f"{pct(r['digit_a2b'])}, b2a {pct(r['digit_b2a'])}; FD a2b {r['fd_a2b']:.2f}, b2a {r['fd_b2a']:.2f}"
            )
            if "diversity_a2b" in r:
                text += f"; diversity a2b {r['diversity_a2b']:.4f}, b2a {r['diversity_b2a']:.4f}"
            text += "."
    return text


def readme(results: dict) -> dict:
    quoted = {}
    if "unit" in results:
        r = results["unit"]
        quoted["unit"] = {
            "measures": f"- (digits2textured: digit kept a2b {r['digit_a2b']:.1%}, b2a {r['digit_b2a']:.1%}; "
            f"FD {r['fd_a2b']:.1f}, {r['fd_b2a']:.1f})",
            "iterations": r["iterations"],
            "batch_size": r["batch_size"],
        }
    if "munit" in results:
        r, real = results["munit"], results["real_diversity"]
        quoted["munit"] = {
            "measures": f"- (digit kept a2b {r['digit_a2b']:.1%}, b2a {r['digit_b2a']:.1%}; diversity a2b "
            f"{r['diversity_a2b']:.3f}, real same-digit images {real['a2b']:.3f})",
            "iterations": r["iterations"],
            "batch_size": r["batch_size"],
        }
    return quoted


def write_docs(results: dict) -> None:
    reference = json.loads((report.RESULTS / "translation.json").read_text())
    sections = []
    if "unit" in results:
        unit = unpaired_table(results, reference, "unit") + "\n\n" + footnote(results, ["unit"])
        report.fill("docs/unit.md", "quality", unit)
        sections.append("UNIT:\n\n" + unit)
    if "munit" in results:
        munit = unpaired_table(results, reference, "munit") + "\n\n" + diversity_table(results, reference)
        munit += "\n\n" + footnote(results, ["munit"])
        report.fill("docs/munit.md", "quality", munit)
        sections.append("MUNIT:\n\n" + munit)
    report.fill("docs/results.md", "unit_munit", "\n\n".join(sections))
    report.write_variants_table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated runs, e.g. unit")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every budget (a smoke run: 0.01)")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from the saved JSON")
    parser.add_argument("--backend", help="Keras backend (default tensorflow)")
    args = parser.parse_args()
    path = report.RESULTS / "shared_latent.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    names = args.only.split(",") if args.only else [n for n in BUDGETS if n in odog.available()]
    unknown = set(names) - set(BUDGETS)
    if unknown:
        parser.error(f"unknown runs {sorted(unknown)}; choose from {sorted(BUDGETS)}")
    smoke = args.scale != 1.0
    results = json.loads(path.read_text()) if path.exists() and not smoke else {}
    results.update(machine=report.machine(), batch_size=BATCH)
    if "munit" in names:
        results["real_diversity"] = real_diversity()
        print("real diversity", results["real_diversity"], flush=True)
    for name in names:
        iterations = max(1, round(BUDGETS[name] * args.scale))
        if name in results and results[name]["iterations"] != iterations:  # a run at another budget: kept
            results.setdefault("earlier", {})[f"{name}-{results[name]['iterations']}"] = results[name]
        results[name] = train(name, iterations, grid=not smoke)
        results["readme"] = readme(results)
        if not smoke:
            report.save_json("shared_latent", results)
    if smoke:
        print("Smoke run: nothing written to the docs.")
        print(unpaired_table(results, json.loads((report.RESULTS / "translation.json").read_text()), names[0]))
        return
    write_docs(results)


if __name__ == "__main__":
    main()
