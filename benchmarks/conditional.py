"""Trains CGAN, ACGAN, InfoGAN, SGAN and TagGAN and measures what each promises.

- CGAN, ACGAN: accuracy of odog's MNIST classifier on 10,000 samples (1,000
  per requested class) against the requested labels; classifier FD and
  coverage as in benchmarks/quality.py.
- InfoGAN: how well the categorical code clusters digits, as accuracy under
  the best one-to-one mapping of codes to classes, (a) of Q's code for the
  10,000 MNIST test images and (b) of the classifier's class for 1,000
  samples per code; classifier FD of its samples.
- SGAN: test accuracy of D's classifier with 100 and with 1,000 labelled
  images, next to the same network trained on those labels alone for the same
  number of steps; and with feature matching (Salimans et al., 2016), 100
  labels, at the same budget and at about 15 minutes (`--only sgan-fm`).
- TagGAN: on a generated tagged dataset of coloured shapes (odog.tags), how
  often samples show all their requested tags (colour, shape, background),
  read back by `odog.tags.read_shapes`.

Writes benchmarks/results/conditional.json, docs/images/*.png, the quality
sections of docs/{cgan,acgan,infogan,sgan,taggan}.md, a table in docs/results.md and
the README's variant table.

    python benchmarks/conditional.py               # the full budgets (~35 min on 2 cores)
    python benchmarks/conditional.py --scale 0.01  # a smoke run, writes nothing
    python benchmarks/conditional.py --docs-only   # rewrite the docs from conditional.json
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import report  # noqa: E402
from quality import BATCH, SAMPLES, score  # noqa: E402

from odog import ACGAN, CGAN, SGAN, InfoGAN, TagGAN, data, metrics, tags, viz  # noqa: E402

# TagGAN's shapes are drawn at 32x32, where DCGAN's paper layout applies (measured better than 28x28).
SHAPES_SIDE = 32
BUDGETS = {"cgan": 4000, "acgan": 4000, "infogan": 3000, "sgan": 2000, "taggan": 8000}
# Feature matching at SGAN's budget and at about 15 minutes on 2 cores.
FEATURE_MATCHING_BUDGETS = (2000, 8000)
IMAGES = report.ROOT / "docs" / "images"


def _train(gan, iterations: int) -> float:
    start = time.perf_counter()
    gan.train(epochs=iterations, verbose=0)  # at the variant's default_batch_size
    return round(time.perf_counter() - start, 1)


def conditional_run(cls, iterations: int, seed: int, full: bool) -> dict:
    gan = cls(seed=seed)
    seconds = _train(gan, iterations)
    labels = np.arange(SAMPLES) % 10
    images = gan.generate(SAMPLES, labels=labels, seed=1)
    result = {"name": gan.name, "iterations": iterations, "batch_size": gan.default_batch_size, "seconds": seconds}
    result["label_accuracy"] = metrics.label_accuracy(images, labels)
    raw = gan.generate(SAMPLES, labels=labels, seed=1, ema=False)
    result["label_accuracy_raw_generator"] = metrics.label_accuracy(raw, labels)
    result.update(score(images))
    if full:
        grid = gan.generate(100, labels=np.repeat(np.arange(10), 10), seed=0)
        viz.save_grid(grid, IMAGES / f"{gan.name}.png", rows=10)
    return result


def infogan_run(iterations: int, seed: int, full: bool) -> dict:
    gan = InfoGAN(seed=seed)
    seconds = _train(gan, iterations)
    test = data.load_named("mnist", "test")
    on_test = metrics.cluster_accuracy(gan.predict_code(test.images), test.labels)
    codes = np.arange(SAMPLES) % gan.categories
    images = gan.generate(SAMPLES, code=codes, seed=1)
    model, _ = metrics.classifier("mnist")
    predicted = model.predict(images, batch_size=500, verbose=0).argmax(axis=1)
    on_samples = metrics.cluster_accuracy(codes, predicted)
    result = {"name": "infogan", "iterations": iterations, "batch_size": gan.default_batch_size, "seconds": seconds}
    result.update(
        cluster_accuracy_test=on_test["accuracy"],
        code_to_digit=on_test["mapping"],
        cluster_accuracy_samples=on_samples["accuracy"],
        **score(images),
    )
    if full:
        viz.save_grid(gan.code_grid(), IMAGES / "infogan.png", rows=gan.categories)
        for i in range(gan.continuous):
            viz.save_grid(gan.code_grid(varying=i), IMAGES / f"infogan_c{i + 1}.png", rows=gan.categories)
    return result


def sgan_run(labelled: int, iterations: int, seed: int, full: bool, feature_matching: bool = False) -> dict:
    gan = SGAN(labelled=labelled, feature_matching=feature_matching, seed=seed)
    seconds = _train(gan, iterations)
    test = data.load_named("mnist", "test")
    accuracy = float((gan.classify(test.images) == test.labels).mean())
    if full and labelled == 100 and not feature_matching:
        # G's samples sorted by D's own class: the first ten of 2,000 in each row (black where D gave fewer).
        samples = gan.generate(2000, seed=0)
        given = gan.classify(samples)
        grid = np.full((100, *samples.shape[1:]), -1.0, "float32")
        for c in range(10):
            first = samples[given == c][:10]
            grid[10 * c : 10 * c + len(first)] = first
        viz.save_grid(grid, IMAGES / "sgan.png", rows=10)
    # The same network, from the same initial weights, trained on the labels alone.
    keras.utils.set_random_seed(seed)
    baseline = SGAN(labelled=labelled, seed=seed).discriminator
    baseline.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=gan.loss, metrics=["accuracy"])
    images, labels = gan.labelled_set
    rng = np.random.default_rng(seed)
    for _ in range(iterations):
        index = rng.integers(0, len(images), BATCH)
        baseline.train_on_batch(images[index], labels[index])
    baseline_accuracy = float((baseline.predict(test.images, verbose=0).argmax(1) == test.labels).mean())
    return {
        "name": f"sgan-fm-{labelled}-{iterations}" if feature_matching else f"sgan-{labelled}",
        "labelled": labelled,
        "feature_matching": feature_matching,
        "iterations": iterations,
        "batch_size": BATCH,
        "seconds": seconds,
        "test_accuracy": accuracy,
        "supervised_only_test_accuracy": baseline_accuracy,
    }


def _feature_matching_runs(results: dict) -> list[str]:
    return sorted((k for k in results if k.startswith("sgan-fm-")), key=lambda k: results[k]["iterations"])


def taggan_run(iterations: int, seed: int, full: bool) -> dict:
    folder = tags.make_shapes(Path(tempfile.mkdtemp()) / "shapes", n=6000, size=SHAPES_SIDE, seed=seed)
    gan = TagGAN(dataset=str(folder), image_size=SHAPES_SIDE, seed=seed)
    seconds = _train(gan, iterations)
    combos = [f"{c} {s} {b} background" for c in tags.COLOURS for s in tags.SHAPES for b in tags.BACKGROUNDS]
    texts = [t for t in combos for _ in range(100)]
    match = tags.shape_match(gan.generate(len(texts), tags=texts, seed=1), texts)
    raw = tags.shape_match(gan.generate(len(texts), tags=texts, seed=1, ema=False), texts)
    written = tags.read_tags_file(folder)
    checker = tags.shape_match(gan.data.images[:2000], [written[str(i)] for i in range(2000)])
    if full:
        gan.sample_images(IMAGES / "taggan.png")
    return {
        "name": "taggan",
        "iterations": iterations,
        "batch_size": gan.default_batch_size,
        "seconds": seconds,
        "match": match,
        "match_raw_generator": raw,
        "checker_on_real": checker["all"],
        "chance": 1 / len(combos),
        "sample_tags": gan.sample_tags(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budgets")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=list(BUDGETS), choices=[*BUDGETS, "sgan-fm"])
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from results/conditional.json")
    args = parser.parse_args()
    path = report.RESULTS / "conditional.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    full = args.scale == 1.0
    budget = {k: max(2, int(v * args.scale)) for k, v in BUDGETS.items()}
    payload = {"machine": report.machine(), "seed": args.seed, "results": {}}
    if full and path.exists():
        payload["results"] = json.loads(path.read_text())["results"]
    runs = {
        "cgan": lambda: [conditional_run(CGAN, budget["cgan"], args.seed, full)],
        "acgan": lambda: [conditional_run(ACGAN, budget["acgan"], args.seed, full)],
        "infogan": lambda: [infogan_run(budget["infogan"], args.seed, full)],
        "sgan": lambda: [sgan_run(n, budget["sgan"], args.seed, full) for n in (100, 1000)],
        "sgan-fm": lambda: [
            sgan_run(100, max(2, int(n * args.scale)), args.seed, full, feature_matching=True)
            for n in FEATURE_MATCHING_BUDGETS
        ],
        "taggan": lambda: [taggan_run(budget["taggan"], args.seed, full)],
    }
    for name in args.only:
        for result in runs[name]():
            print(result, flush=True)
            payload["results"][result["name"]] = result
            if full:
                report.save_json("conditional", payload)
    if full:
        write_docs(payload)


def write_docs(payload: dict) -> None:
    r = payload["results"]
    where = f"seed {payload['seed']}, one run each, on {payload['machine']}"
    rows = []
    for name in ("cgan", "acgan"):
        if name in r:
            x = r[name]
            rows.append(
                [
                    f"[`{name}`]({name}.md)",
                    f"{x['iterations']:,} x {x['batch_size']}",
                    f"{x['seconds'] / 60:.1f} min",
                    f"{x['label_accuracy']:.2%}",
                    f"{x['label_accuracy_raw_generator']:.2%}",
                    f"{x['fd']:.2f}",
                    f"{x['coverage']:.3f}",
                ]
            )
    text = report.table(
        ["variant", "budget", "wall time", "label accuracy", "label accuracy, G without EMA", "classifier FD"]
        + ["coverage"],
        rows,
    )
    text += (
        f"\n\nLabel accuracy: odog's MNIST classifier on {SAMPLES:,} samples, 1,000 per requested class, against "
        f"the requested labels (target >= 97%). {where}. Produced by `python benchmarks/conditional.py`. "
        "Wall times were taken while other benchmark processes shared the two cores."
    )
    if "infogan" in r:
        x = r["infogan"]
        text += "\n\n" + report.table(
            ["variant", "budget", "wall time", "code clustering, MNIST test", "code clustering, samples"]
            + ["classifier FD", "coverage"],
            [
                [
                    "[`infogan`](infogan.md)",
                    f"{x['iterations']:,} x {x['batch_size']}",
                    f"{x['seconds'] / 60:.1f} min",
                    f"{x['cluster_accuracy_test']:.2%}",
                    f"{x['cluster_accuracy_samples']:.2%}",
                    f"{x['fd']:.2f}",
                    f"{x['coverage']:.3f}",
                ]
            ],
        )
        text += (
            "\n\nCode clustering: accuracy under the best one-to-one mapping of the categorical code's 10 values "
            "to digits (Hungarian algorithm); on the test images the code is Q's prediction, on samples the "
            "digit is the classifier's (target >= 90%; the paper reports about 5% error)."
        )
    sgan = [r[k] for k in ("sgan-100", "sgan-1000", *_feature_matching_runs(r)) if k in r]
    if sgan:
        text += "\n\n" + report.table(
            ["variant", "G's loss", "labelled images", "budget", "wall time", "D's test accuracy"]
            + ["same network, labels only"],
            [
                [
                    "[`sgan`](sgan.md)",
                    "feature matching" if x.get("feature_matching") else "D(G(z)) high",
                    f"{x['labelled']:,}",
                    f"{x['iterations']:,} x {x['batch_size']}",
                    f"{x['seconds'] / 60:.1f} min",
                    f"{x['test_accuracy']:.2%}",
                    f"{x['supervised_only_test_accuracy']:.2%}",
                ]
                for x in sgan
            ],
        )
        text += "\n\nAccuracy on the 10,000 MNIST test images; the baseline trains the same network from the same "
        text += "initial weights on the labelled images alone, for the same number of batches."
    if "taggan" in r:
        x = r["taggan"]
        text += "\n\n" + report.table(
            ["variant", "budget", "wall time", "all tags match", "colour", "shape", "background", "G without EMA"],
            [
                [
                    "[`taggan`](taggan.md)",
                    f"{x['iterations']:,} x {x['batch_size']}",
                    f"{x['seconds'] / 60:.1f} min",
                    f"{x['match']['all']:.2%}",
                    f"{x['match']['colour']:.2%}",
                    f"{x['match']['shape']:.2%}",
                    f"{x['match']['background']:.2%}",
                    f"{x['match_raw_generator']['all']:.2%}",
                ]
            ],
        )
        text += (
            f"\n\nTagGAN on 6,000 generated {SHAPES_SIDE}x{SHAPES_SIDE} images of coloured shapes "
            "(`odog.tags.make_shapes`): 100 samples "
            f"for each of the 36 tag texts such as 'red circle white background', read back by "
            f"`odog.tags.read_shapes` (which reads {x['checker_on_real']:.2%} of real images right). "
            f"Chance for all three: {x['chance']:.1%}."
        )
    report.fill("docs/results.md", "conditional", text)
    for name in ("cgan", "acgan", "infogan", "sgan", "taggan"):
        page = report.ROOT / "docs" / f"{name}.md"
        if page.exists():
            report.fill(f"docs/{name}.md", "quality", _page_summary(name, r, where))
    report.write_variants_table()


def _page_summary(name: str, r: dict, where: str) -> str:
    if name in ("cgan", "acgan") and name in r:
        x = r[name]
        rows = [
            ["label accuracy (classifier)", f"{x['label_accuracy']:.2%}"],
            ["label accuracy, trained G without EMA", f"{x['label_accuracy_raw_generator']:.2%}"],
            ["classifier FD", f"{x['fd']:.2f}"],
            ["coverage", f"{x['coverage']:.3f}"],
        ]
    elif name == "infogan" and name in r:
        x = r[name]
        rows = [
            ["code clustering accuracy, MNIST test images (Q)", f"{x['cluster_accuracy_test']:.2%}"],
            ["code clustering accuracy, samples (classifier)", f"{x['cluster_accuracy_samples']:.2%}"],
            ["classifier FD", f"{x['fd']:.2f}"],
            ["coverage", f"{x['coverage']:.3f}"],
        ]
    elif name == "sgan" and "sgan-100" in r:
        rows = [
            [f"D's test accuracy, {x['labelled']:,} labels", f"{x['test_accuracy']:.2%}"]
            for x in (r["sgan-100"], r.get("sgan-1000"))
            if x
        ] + [
            [f"same network on the {x['labelled']:,} labels alone", f"{x['supervised_only_test_accuracy']:.2%}"]
            for x in (r["sgan-100"], r.get("sgan-1000"))
            if x
        ]
        rows += [
            [
                f"D's test accuracy, {x['labelled']:,} labels, feature matching, {x['iterations']:,} iterations "
                f"({x['seconds'] / 60:.1f} min)",
                f"{x['test_accuracy']:.2%}",
            ]
            for x in (r[k] for k in _feature_matching_runs(r))
        ]
        x = r["sgan-100"]
    elif name == "taggan" and name in r:
        x = r[name]
        rows = [
            ["samples showing all requested tags", f"{x['match']['all']:.2%} (chance {x['chance']:.1%})"],
            ["... the requested colour", f"{x['match']['colour']:.2%}"],
            ["... the requested shape", f"{x['match']['shape']:.2%}"],
            ["... the requested background", f"{x['match']['background']:.2%}"],
            ["all tags, trained G without EMA", f"{x['match_raw_generator']['all']:.2%}"],
            ["the checker on real images", f"{x['checker_on_real']:.2%}"],
        ]
    else:
        return "Not measured yet: run `python benchmarks/conditional.py`."
    text = report.table(["measure", "value"], rows)
    return text + (
        f"\n\n{x['iterations']:,} iterations at batch {x['batch_size']} ({x['seconds'] / 60:.1f} min), {where}. "
        "All variants: [results](results.md#conditional-and-information-coded-gans)."
    )


if __name__ == "__main__":
    main()
