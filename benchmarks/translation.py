"""Trains the image-to-image models on odog's MNIST tasks and measures what they translate.

- Pix2Pix on `edges2digits` (outlines -> digits, paired): L1, PSNR, SSIM to
  the targets and the share of outputs odog's MNIST classifier reads as the
  right digit, with their classifier FD, on the 10,000 test pairs; next to the
  input itself and the same G trained with L1 alone (`adversarial_weight=0`).
- CycleGAN, DiscoGAN, DualGAN on `digits2textured` (digits <-> textured
  digits, unpaired): the digit kept through a2b and b2a (read by each target
  domain's classifier), the classifier FD of the outputs to the target domain,
  and the cycle L1, on the 5,000 + 5,000 test images; next to untranslated
  images and real images of the target domain.
- BicycleGAN on `digits2textured_pairs`: the same with random codes, plus the
  diversity of outputs for one input (mean pairwise L1 over 10 codes, 1,000
  test inputs), next to the task's own diversity (two textures of one digit).

Writes benchmarks/results/translation.json, docs/images/<variant>.png, the
measured sections of docs/<variant>.md and docs/results.md, and the README's
variant table.

    python benchmarks/translation.py               # the full budgets (~40 min on 2 cores)
    python benchmarks/translation.py --scale 0.01  # a smoke run (writes nothing to the docs)
    python benchmarks/translation.py --only cyclegan --docs-only   # rewrite docs from the JSON
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
from odog import data, imaging, metrics  # noqa: E402
from odog.data import translation  # noqa: E402

# Iterations at batch 16, each run under about 10 minutes on 2 CPU cores.
BUDGETS = {"pix2pix": 3000, "pix2pix-l1": 3000, "cyclegan": 2500, "discogan": 2000, "discogan-2x2": 2000,
           "dualgan": 2000, "bicyclegan": 2500, "bicyclegan-2x2": 2500}  # fmt: skip
BATCH = 16
SEED = 0
# Runs of a variant in other settings: (variant, constructor arguments).
SETTINGS = {
    "pix2pix-l1": ("pix2pix", {"adversarial_weight": 0.0}),
    "discogan-2x2": ("discogan", {"bottleneck": 2}),
    "bicyclegan-2x2": ("bicyclegan", {"bottleneck": 2}),
}
TITLES = {
    "pix2pix-l1": "the same G trained with L1 only",
    "discogan-2x2": "the same, generators down to 2x2 (bottleneck=2)",
    "bicyclegan-2x2": "the same, G down to 2x2 (bottleneck=2)",
}
BICYCLE_RUNS = ["bicyclegan", "bicyclegan-2x2"]


def train(name: str, iterations: int, grid: bool) -> dict:
    variant, options = SETTINGS.get(name, (name, {}))
    gan = odog.get(variant)(seed=SEED, **options)
    start = time.perf_counter()
    gan.train(epochs=iterations, batch_size=BATCH, verbose=0)
    seconds = time.perf_counter() - start
    scores = gan.measure()
    if grid and name in odog.available():
        gan.sample_images(report.ROOT / "docs" / "images" / f"{name}.png")
    result = {"name": name, "iterations": iterations, "batch_size": BATCH, "seconds": round(seconds, 1)}
    result["d_steps"] = gan.d_steps
    result.update({k: float(v) for k, v in scores.items()})
    print(result, flush=True)
    return result


def _gray(images: np.ndarray) -> np.ndarray:
    return images.mean(axis=-1, keepdims=True)


def _read(images, labels, dataset: str) -> dict:
    return {"digit": metrics.label_accuracy(images, labels, dataset), "fd": metrics.evaluate(images, dataset)["fd"]}


def baselines() -> dict:
    """The trivial scores each table compares with, on the same test images."""
    paired = translation.task("edges2digits", "test")
    unpaired = translation.task("digits2textured", "test")
    colour = data.load_named("textured_mnist", "train")
    digits = data.load_named("mnist", "train")
    outline = _read(paired.a, paired.labels_a, "mnist")
    outline.update(
        l1=float(np.abs(paired.a - paired.b).mean()),
        psnr=metrics.psnr(paired.a, paired.b),
        ssim=metrics.ssim(paired.a, paired.b),
    )
    pairs = translation.task("digits2textured_pairs", "test")
    # The task's own diversity: the test digits' textures against a second texture of the same digits.
    test_digits = np.round((data.load_named("mnist", "test").images[:1000, ..., 0] + 1) * 127.5).astype("uint8")
    second = translation.textured(test_digits, seed=2).astype("float32") / 127.5 - 1.0
    return {
        "outlines": outline,
        "digits_untranslated": _read(imaging.to_rgb(unpaired.a), unpaired.labels_a, "textured_mnist"),
        "textured_untranslated": _read(_gray(unpaired.b), unpaired.labels_b, "mnist"),
        "textured_real": _read(colour.images[:5000], colour.labels[:5000], "textured_mnist"),
        "digits_real": _read(digits.images[:5000], digits.labels[:5000], "mnist"),
        "task_diversity": float(np.abs(pairs.b[:1000] - second).mean()),
    }


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def paired_rows(results: dict, base: dict) -> list[list]:
    rows = []
    for name, label in (("pix2pix", "odog `pix2pix` (GAN + 100 x L1)"), ("pix2pix-l1", "the same G, L1 only")):
        if name in results:
            r = results[name]
            rows.append([label, f"{r['l1']:.4f}", f"{r['psnr']:.2f}", f"{r['ssim']:.4f}", pct(r["digit_a2b"]),
                         f"{r['fd_a2b']:.2f}"])  # fmt: skip
    o = base["outlines"]
    rows.append(["the input itself (outlines)", f"{o['l1']:.4f}", f"{o['psnr']:.2f}", f"{o['ssim']:.4f}",
                 pct(o["digit"]), f"{o['fd']:.2f}"])  # fmt: skip
    return rows


PAIRED_HEADERS = ["edges2digits, 10,000 test pairs", "L1", "PSNR (dB)", "SSIM", "right digit", "classifier FD"]
UNPAIRED_HEADERS = ["digits2textured, 5,000 + 5,000 test images", "digit kept a2b", "relation a2b", "FD a2b",
                    "digit kept b2a", "relation b2a", "FD b2a", "cycle L1 a", "cycle L1 b"]  # fmt: skip


def _relation(r: dict, direction: str) -> str:
    """The share of outputs following the best one-to-one map of digits (`TranslationGAN.measure`); runs
    measured before it was added show '-'."""
    return pct(r[f"relation_{direction}"]) if f"relation_{direction}" in r else "-"


def unpaired_rows(results: dict, base: dict, names) -> list[list]:
    rows = []
    for name in names:
        if name in results:
            r = results[name]
            rows.append([TITLES.get(name, f"odog `{name}`"), pct(r["digit_a2b"]), _relation(r, "a2b"),
                         f"{r['fd_a2b']:.2f}", pct(r["digit_b2a"]), _relation(r, "b2a"), f"{r['fd_b2a']:.2f}",
                         f"{r['cycle_l1_a']:.4f}", f"{r['cycle_l1_b']:.4f}"])  # fmt: skip
    du, tu = base["digits_untranslated"], base["textured_untranslated"]
    rows.append(["untranslated (digits as grey RGB; textures as grey)", pct(du["digit"]), "-", f"{du['fd']:.2f}",
                 pct(tu["digit"]), "-", f"{tu['fd']:.2f}", "-", "-"])  # fmt: skip
    tr, dr = base["textured_real"], base["digits_real"]
    rows.append(["real images of the target domain (5,000 training images)", pct(tr["digit"]), "-",
                 f"{tr['fd']:.2f}", pct(dr["digit"]), "-", f"{dr['fd']:.2f}", "-", "-"])  # fmt: skip
    return rows


def bicycle_rows(results: dict, base: dict) -> list[list]:
    rows = []
    for name in BICYCLE_RUNS:
        if name in results:
            r = results[name]
            title = "odog `bicyclegan` (random codes)" if name == "bicyclegan" else TITLES[name]
            rows.append([title, pct(r["digit_a2b"]), f"{r['fd_a2b']:.2f}", f"{r['diversity']:.4f}",
                         f"{r['l1']:.4f}"])  # fmt: skip
    rows.append(["two textures of the same digit (the task itself)", "-", "-", f"{base['task_diversity']:.4f}", "-"])
    return rows


BICYCLE_HEADERS = ["digits2textured_pairs, 10,000 test digits", "right digit", "FD to textured", "diversity", "L1"]


def footnote(results: dict, names) -> str:
    runs = [results[n] for n in names if n in results]
    parts = [f"{TITLES.get(r['name'], r['name'])}: {r['iterations']:,} iterations in {r['seconds'] / 60:.1f} min"
             for r in runs]  # fmt: skip
    return (
        f"Batch {BATCH}, seed {SEED}; {'; '.join(parts)}; on {results['machine']}. Digits are read by odog's "
        f"classifiers (MNIST: {results['classifiers']['mnist']:.2%} test accuracy; textured_mnist: "
        f"{results['classifiers']['textured_mnist']:.2%})."
    )


def write_docs(results: dict) -> None:
    base = results["baselines"]
    paired = (
        report.table(PAIRED_HEADERS, paired_rows(results, base)) + "\n\n" + footnote(results, ["pix2pix", "pix2pix-l1"])
    )
    two_way = ["cyclegan", "discogan", "dualgan"]
    runs = {name: [name, *(run for run, (variant, _) in SETTINGS.items() if variant == name)] for name in two_way}
    every_run = [run for name in two_way for run in runs[name]]
    unpaired = report.table(UNPAIRED_HEADERS, unpaired_rows(results, base, every_run))
    bicycle = report.table(BICYCLE_HEADERS, bicycle_rows(results, base)) + "\n\n" + footnote(results, BICYCLE_RUNS)
    if "pix2pix" in results:
        report.fill("docs/pix2pix.md", "quality", paired)
    for name in two_way:
        if name in results:
            own = report.table(UNPAIRED_HEADERS, unpaired_rows(results, base, runs[name]))
            report.fill(f"docs/{name}.md", "quality", own + "\n\n" + footnote(results, runs[name]))
    if "bicyclegan" in results:
        report.fill("docs/bicyclegan.md", "quality", bicycle)
    everything = "\n\n".join([paired, unpaired + "\n\n" + footnote(results, every_run), bicycle])
    report.fill("docs/results.md", "translation", everything)
    report.write_variants_table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated runs, e.g. pix2pix,cyclegan")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every budget (a smoke run: 0.01)")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from the saved JSON")
    parser.add_argument("--backend", help="Keras backend (default tensorflow)")
    args = parser.parse_args()
    path = report.RESULTS / "translation.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    names = args.only.split(",") if args.only else list(BUDGETS)
    unknown = set(names) - set(BUDGETS)
    if unknown:
        parser.error(f"unknown runs {sorted(unknown)}; choose from {sorted(BUDGETS)}")
    smoke = args.scale != 1.0
    results = json.loads(path.read_text()) if path.exists() and not smoke else {}
    results.update(machine=report.machine(), batch_size=BATCH)
    results["classifiers"] = {d: metrics.classifier(d)[1] for d in ("mnist", "textured_mnist")}
    results["baselines"] = baselines()
    print(results["baselines"], flush=True)
    for name in names:
        results[name] = train(name, max(1, round(BUDGETS[name] * args.scale)), grid=not smoke)
        if not smoke:
            report.save_json("translation", results)
    if smoke:
        print("Smoke run: nothing written to the docs.")
        return
    write_docs(results)


if __name__ == "__main__":
    main()
