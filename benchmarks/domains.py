"""Trains CoGAN and PixelDA on odog's MNIST domains (digits, textured digits) and measures what they learn.

- CoGAN on `digits2textured` (two unpaired halves of MNIST: digits, and digits
  through colour textures): the share of 10,000 generated pairs (seed 0) in
  which odog's MNIST classifier (on a) and textured_mnist classifier (on b)
  read the same digit, and each domain's classifier FD to its real test
  images; next to pairs of two independent z (chance), real pairs of the
  same digit (`digits2textured_pairs` test: the classifiers' ceiling) and
  real images of each domain (5,000 training images against the test split).
- PixelDA on `digits2textured`: a digit classifier (`odog.metrics.build_classifier`)
  trained with G on adapted MNIST digits and the digits themselves (their
  MNIST labels; the textured labels never enter training) scores on the
  10,000 textured_mnist test images; next to the same architecture trained on
  the MNIST digits alone as grey RGB (source only) and on textured_mnist's
  training images with their labels (target supervised: the ceiling).

Writes benchmarks/results/domains.json, docs/images/cogan.png and
docs/images/pixelda.png, the measured sections of docs/cogan.md,
docs/pixelda.md and docs/results.md, and the README's variant table.

    python benchmarks/domains.py               # the full budgets (about 8 minutes per variant on 2 cores)
    python benchmarks/domains.py --scale 0.01  # a smoke run (writes nothing)
    python benchmarks/domains.py --only cogan --docs-only   # rewrite docs from the JSON
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

# Iterations, each run (training and measures) within about 8 minutes of 2 CPU cores.
BUDGETS = {"cogan": 5000, "pixelda": 1500}
BATCH = {"cogan": 32, "pixelda": 32}
SEED = 0
PAIRS = 10000


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# ----------------------------------------------------------------------
# CoGAN
# ----------------------------------------------------------------------
def cogan(iterations: int, grid: bool) -> dict:
    gan = odog.CoGAN(seed=SEED)
    start = time.perf_counter()
    gan.train(epochs=iterations, batch_size=BATCH["cogan"], verbose=0)
    seconds = time.perf_counter() - start
    scores = gan.measure(n=PAIRS)
    if grid:
        gan.sample_images(report.ROOT / "docs" / "images" / "cogan.png")
    result = {"iterations": iterations, "batch_size": BATCH["cogan"], "seconds": round(seconds, 1)}
    result.update({k: float(v) for k, v in scores.items()})
    history = gan.history
    result["d_acc_last_100"] = float(np.mean(history["d_acc"][-100:]))
    return result


def cogan_baselines(scale: float = 1.0) -> dict:
    """Real pairs (one digit in both domains) and real images of each domain, read as CoGAN's pairs are."""
    pairs = translation.task("digits2textured_pairs", "test")
    read_a = metrics.predicted_labels(pairs.a, "mnist")
    read_b = metrics.predicted_labels(pairs.b, "textured_mnist")
    digits, textured = data.load_named("mnist", "train"), data.load_named("textured_mnist", "train")
    return {
        "real_pairs_same_digit": float((read_a == read_b).mean()),
        "real_digits": metrics.evaluate(digits.images[:5000], "mnist"),
        "real_textured": metrics.evaluate(textured.images[:5000], "textured_mnist"),
    }


COGAN_HEADERS = ["digits2textured, 10,000 pairs", "same digit in a and b", "FD a (digits)", "FD b (textured)",
                 "coverage a", "coverage b"]  # fmt: skip


def cogan_table(r: dict, base: dict) -> str:
    rd, rt = base["real_digits"], base["real_textured"]
    rows = [
        ["odog `cogan` (one z per pair)", pct(r["same_digit"]), f"{r['fd_a']:.2f}", f"{r['fd_b']:.2f}",
         f"{r['coverage_a']:.3f}", f"{r['coverage_b']:.3f}"],
        ["the same CoGAN, a and b from two independent z (chance)", pct(r["same_digit_independent"]), "-", "-",
         "-", "-"],
        ["real pairs: each test digit and its textured version (the classifiers' ceiling)",
         pct(base["real_pairs_same_digit"]), "-", "-", "-", "-"],
        ["real images (5,000 training images of each domain)", "-", f"{rd['fd']:.2f}", f"{rt['fd']:.2f}",
         f"{rd['coverage']:.3f}", f"{rt['coverage']:.3f}"],
    ]  # fmt: skip
    return report.table(COGAN_HEADERS, rows)


def cogan_reading(results: dict) -> str:
    r, base = results["cogan"], results["baselines"]["cogan"]
    text = (
        f"Coupling works in part. Of the pairs drawn from one z, {pct(r['same_digit'])} show one digit in both "
        f"domains, against {pct(r['same_digit_independent'])} for a and b from two independent z (chance, for a "
        f"model that draws all ten digits) and {pct(base['real_pairs_same_digit'])} for real pairs, the most the "
        "two classifiers agree on: the shared layers carry the digit most of the time, and nothing but the "
        "sharing asks them to. Neither domain is drawn well yet: each classifier FD "
        f"({r['fd_a']:.1f} for the digits, {r['fd_b']:.1f} for the textured digits) is far above real images' "
        f"({base['real_digits']['fd']:.1f}, {base['real_textured']['fd']:.1f}), the textured domain the harder "
        "one (the grid shows pale strokes over blotchy colour textures where the real domain has regular colour "
        "gratings), and the "
        f"ten digits are drawn less evenly than they occur (coverage {r['coverage_a']:.2f} and "
        f"{r['coverage_b']:.2f}; 1 is the test set's balance). D is not winning "
        f"(its accuracy over the last 100 iterations: {pct(r['d_acc_last_100'])})."
    )
    short = results.get("cogan_short")
    if short and short["iterations"] != r["iterations"]:
        text += (
            f" A first run of {short['iterations']:,} iterations measured {pct(short['same_digit'])} of pairs with "
            f"one digit (independent z {pct(short['same_digit_independent'])}) and FDs of {short['fd_a']:.1f} "
            f"and {short['fd_b']:.1f}"
        )
        longer = r["iterations"] > short["iterations"]
        better = r["same_digit"] > short["same_digit"] and max(r["fd_a"] - short["fd_a"], r["fd_b"] - short["fd_b"]) < 0
        text += (
            ": the longer run is better on both, so these are the numbers of a budget, not the model's best."
            if longer and better
            else "."
        )
    return text


def pixelda_reading(results: dict) -> str:
    r, base = results["pixelda"], results["baselines"]["pixelda"]
    gap = base["target_supervised"] - base["source_only"]
    closed = (r["target_accuracy"] - base["source_only"]) / gap if gap > 0 else float("nan")
    return (
        f"Adapting the pixels helps, a little, on this task: T reads {pct(r['target_accuracy'])} of the textured "
        f"test digits, against {pct(base['source_only'])} for the same classifier trained on the grey source "
        f"digits alone and {pct(base['target_supervised'])} for one trained on labelled target images: it "
        f"closes {closed:.0%} of that gap without a target label. The gap is small to begin with: "
        "textured_mnist keeps MNIST's strokes (the texture inverted inside them), so a classifier of grey "
        "digits already reads most of them; MNIST-M's photo backgrounds, the paper's target, leave a source-only "
        "classifier much further behind. G keeps the digits (odog's textured_mnist classifier reads the "
        f"source's digit in {pct(r['digit_a2b'])} of the adaptations) and moves them close to the target "
        f"domain's statistics (classifier FD {r['fd_a2b']:.2f}), but the grid shows grey textures behind white "
        "strokes rather than the target's colour gratings, and its four noise seeds give images that look "
        "alike: at this budget G makes little use of z. Each row is one run of one seed, so a difference of a "
        "point between rows may be partly the seed's."
    )


def footnote(results: dict, name: str) -> str:
    r = results[name]
    return (
        f"Batch {r['batch_size']}, seed {SEED}; {r['iterations']:,} iterations in {r['seconds'] / 60:.1f} min on "
        f"{results['machine']}. Digits are read by odog's classifiers (MNIST: {results['classifiers']['mnist']:.2%} "
        f"test accuracy; textured_mnist: {results['classifiers']['textured_mnist']:.2%})."
    )


# ----------------------------------------------------------------------
# PixelDA
# ----------------------------------------------------------------------
CLASSIFIER_EPOCHS = 2  # the baselines' classifiers: passes over their 30,000 training images, batch 128


def target_test():
    return data.load_named("textured_mnist", "test")


def pixelda(iterations: int, grid: bool) -> dict:
    gan = odog.PixelDA(seed=SEED)
    start = time.perf_counter()
    gan.train(epochs=iterations, batch_size=BATCH["pixelda"], verbose=0)
    seconds = time.perf_counter() - start
    test = target_test()
    result = {"iterations": iterations, "batch_size": BATCH["pixelda"], "seconds": round(seconds, 1)}
    result["target_accuracy"] = float((gan.classify(test.images) == test.labels).mean())
    scores = gan.measure()  # digits2textured test: 5,000 digits adapted, read by odog's textured classifier
    result.update({k: float(v) for k, v in scores.items() if k in ("digit_a2b", "fd_a2b", "source_accuracy")})
    if grid:
        gan.sample_images(report.ROOT / "docs" / "images" / "pixelda.png")
    return result


def _classifier_accuracy(images: np.ndarray, labels: np.ndarray, seed: int = SEED) -> float:
    """`odog.metrics.build_classifier` (PixelDA's T) trained on `images`, scored on the textured test split."""
    import keras

    keras.utils.set_random_seed(seed)
    model = metrics.build_classifier(images.shape[1:], 10)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(images, labels, batch_size=128, epochs=CLASSIFIER_EPOCHS, verbose=0)
    test = target_test()
    return float((model.predict(test.images, batch_size=500, verbose=0).argmax(1) == test.labels).mean())


def pixelda_baselines(scale: float = 1.0) -> dict:
    """The same classifier trained on the source digits alone (grey RGB) and on the target images with labels
    (a smoke run: on a `scale` share of them)."""
    task = translation.task("digits2textured", "train")  # PixelDA's training data: its a's and b's
    n = len(task.a) if scale == 1.0 else max(500, round(len(task.a) * scale))
    start = time.perf_counter()
    source_only = _classifier_accuracy(imaging.to_rgb(task.a[:n]), task.labels_a[:n])
    supervised = _classifier_accuracy(task.b[:n], task.labels_b[:n])
    return {
        "source_only": source_only,
        "target_supervised": supervised,
        "seconds": round(time.perf_counter() - start, 1),
    }


PIXELDA_HEADERS = ["classifier, scored on the 10,000 textured_mnist test images", "accuracy",
                   "labels used in training"]  # fmt: skip


def pixelda_table(r: dict, base: dict) -> str:
    rows = [
        ["odog `pixelda`: T, trained with G on adapted MNIST digits and the digits", pct(r["target_accuracy"]),
         "MNIST's (source)"],
        ["source only: the same classifier on the MNIST digits as grey RGB", pct(base["source_only"]),
         "MNIST's (source)"],
        ["target supervised: the same classifier on the textured training images (the ceiling)",
         pct(base["target_supervised"]), "textured_mnist's (target)"],
    ]  # fmt: skip
    extra = (
        f"On the task's 5,000 test digits, odog's textured_mnist classifier reads the input's digit in "
        f"{pct(r['digit_a2b'])} of PixelDA's adaptations (classifier FD to the textured test images "
        f"{r['fd_a2b']:.2f}); T reads {pct(r['source_accuracy'])} of the source test digits themselves. The "
        f"baselines' classifiers: {CLASSIFIER_EPOCHS} passes over the same 30,000 images PixelDA trains on "
        "(batch 128, seed 0)."
    )
    return report.table(PIXELDA_HEADERS, rows) + "\n\n" + extra


# ----------------------------------------------------------------------
# The docs
# ----------------------------------------------------------------------
def readme(results: dict) -> dict:
    rows = {}
    if "cogan" in results:
        r = results["cogan"]
        rows["cogan"] = {
            "measures": f"- (digits2textured: same digit in {pct(r['same_digit'])} of pairs, independent z "
            f"{pct(r['same_digit_independent'])}; FD {r['fd_a']:.1f}, {r['fd_b']:.1f})",
            "iterations": r["iterations"],
            "batch_size": r["batch_size"],
        }
    if "pixelda" in results:
        r, base = results["pixelda"], results["baselines"]["pixelda"]
        rows["pixelda"] = {
            "measures": f"- (MNIST -> textured digits: target test accuracy {pct(r['target_accuracy'])}; source only "
            f"{pct(base['source_only'])}, target supervised {pct(base['target_supervised'])})",
            "iterations": r["iterations"],
            "batch_size": r["batch_size"],
        }
    return rows


def write_docs(results: dict) -> None:
    if "cogan" in results:
        text = cogan_table(results["cogan"], results["baselines"]["cogan"]) + "\n\n" + footnote(results, "cogan")
        report.fill("docs/cogan.md", "quality", text)
        report.fill("docs/cogan.md", "reading", cogan_reading(results))
        report.fill("docs/results.md", "cogan", "CoGAN, from `python benchmarks/domains.py`:\n\n" + text)
    if "pixelda" in results:
        text = (
            pixelda_table(results["pixelda"], results["baselines"]["pixelda"]) + "\n\n" + footnote(results, "pixelda")
        )
        report.fill("docs/pixelda.md", "quality", text)
        report.fill("docs/pixelda.md", "reading", pixelda_reading(results))
        report.fill("docs/results.md", "pixelda", "PixelDA, from `python benchmarks/domains.py`:\n\n" + text)
    report.write_variants_table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated runs: cogan, pixelda")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every budget (a smoke run: 0.01)")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from the saved JSON")
    parser.add_argument("--backend", help="Keras backend (default tensorflow)")
    args = parser.parse_args()
    path = report.RESULTS / "domains.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    names = args.only.split(",") if args.only else list(BUDGETS)
    unknown = set(names) - set(BUDGETS)
    if unknown:
        parser.error(f"unknown runs {sorted(unknown)}; choose from {sorted(BUDGETS)}")
    smoke = args.scale != 1.0
    results = json.loads(path.read_text()) if path.exists() and not smoke else {}
    results["machine"] = report.machine()
    results["classifiers"] = {d: metrics.classifier(d)[1] for d in ("mnist", "textured_mnist")}
    results.setdefault("baselines", {})
    runs = {"cogan": (cogan, cogan_baselines), "pixelda": (pixelda, pixelda_baselines)}
    for name in names:
        run, baselines = runs[name]
        results["baselines"][name] = baselines(args.scale)
        results[name] = run(max(1, round(BUDGETS[name] * args.scale)), grid=not smoke)
        print(name, results[name], flush=True)
        results["readme"] = readme(results)
        if not smoke:
            report.save_json("domains", results)
    if smoke:
        print("Smoke run: nothing written to the docs.")
        return
    write_docs(results)


if __name__ == "__main__":
    main()
