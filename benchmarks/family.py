"""Trains the loss family (WGAN ... BGAN) next to GAN and DCGAN at one budget and scores them, and some longer.

Every model trains for the same number of generator iterations at batch 32
(the LONGER rows: their own budget)
on real MNIST (WGAN and WGAN-GP take 5 critic steps per iteration, as their
papers do) and is scored like benchmarks/quality.py: classifier Frechet
distance and class coverage of 10,000 samples against the MNIST test set.
The wall time and each variant's own training measure (the critic's
Wasserstein estimate, BEGAN's convergence M) are recorded too.

Writes benchmarks/results/family.json, docs/images/<variant>.png and
<variant>_history.png, the family table of docs/results.md, the quality
section of each variant's page and the README's variant table.

    python benchmarks/family.py               # every row (hours on 2 cores; --only picks rows)
    python benchmarks/family.py --scale 0.01  # a smoke run, writes nothing
    python benchmarks/family.py --docs-only   # rewrite the docs from family.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import report  # noqa: E402
from quality import BATCH, SAMPLES, score  # noqa: E402

import odog  # noqa: E402
from odog import data, metrics, viz  # noqa: E402

ITERATIONS = 2000
# The new variants first, so that a cut-short run still measures them.
FAMILY = ["dragan", "dragan_light", "dragan_long", "dragan_longer", "rgan", "rgan_average", "softmax_gan"]
FAMILY += ["softmax_gan_long", "wgan_div", "ssgan", "wgan_gp_paper", "wgan", "wgan_fast", "wgan_adam", "wgan_fast_long"]
FAMILY += ["wgan_gp", "lsgan", "ebgan", "began", "began_long", "bgan", "bgan_long", "dcgan", "gan"]
NEW = [name for name in FAMILY if name not in ("dcgan", "gan")]
# Rows that train a variant in other settings: row -> (variant, its arguments).
SETTINGS = {
    "rgan_average": ("rgan", {"average": True}),
    # What the short budget asks of the paper's settings (docs/results.md, "the loss family").
    "wgan_gp_paper": ("wgan_gp", {"learning_rate": 1e-4, "beta_2": 0.9}),
    "dragan_light": ("dragan", {"gp_weight": 1.0}),
    "wgan_fast": ("wgan", {"learning_rate": 2e-4}),
    # WGAN-GP's optimizer with the clip kept: which of the two makes weight-clipped WGAN lag WGAN-GP.
    "wgan_adam": ("wgan", {"optimizer": "adam", "learning_rate": 2e-4}),
}
# Rows that train another row longer than ITERATIONS: row -> (that row, its budget). They show how many
# iterations an objective needs to come near DCGAN's FD at ITERATIONS.
LONGER = {
    "began_long": ("began", 6000),
    "bgan_long": ("bgan", 6000),
    "dragan_long": ("dragan", 4000),
    "dragan_longer": ("dragan", 6000),
    "softmax_gan_long": ("softmax_gan", 4000),
    "wgan_fast_long": ("wgan_fast", 6000),
}
MEASURES = {"wgan": "wasserstein", "wgan_gp": "wasserstein", "wgan_div": "wasserstein", "began": "convergence"}
LOSSES = {
    "dragan": "cross-entropy, gradient penalty near the data",
    "rgan": "relativistic standard (RSGAN)",
    "rgan_average": "relativistic average (RaSGAN)",
    "wgan_gp_paper": "Wasserstein, gradient penalty, the paper's Adam(1e-4, 0.5, 0.9)",
    "dragan_light": "cross-entropy, gradient penalty near the data, lambda 1",
    "wgan_fast": "Wasserstein, weight clipping, RMSprop(2e-4)",
    "wgan_adam": "Wasserstein, weight clipping, Adam(2e-4, 0.5, 0.999)",
    "softmax_gan": "softmax over the batch",
    "wgan_div": "Wasserstein divergence (gradient power 6)",
    "ssgan": "cross-entropy + rotation prediction (self-supervised D)",
    "gan": "cross-entropy (MLP)",
    "dcgan": "cross-entropy",
    "wgan": "Wasserstein, weight clipping, RMSprop",
    "wgan_gp": "Wasserstein, gradient penalty, Adam(2e-4, 0.5, 0.999)",
    "lsgan": "least squares",
    "ebgan": "energy (autoencoder), margin, pulling-away",
    "began": "autoencoder, equilibrium k_t",
    "bgan": "cross-entropy D, boundary-seeking G",
}
for _row, (_base, _budget) in LONGER.items():
    SETTINGS[_row] = SETTINGS.get(_base, (_base, {}))
    LOSSES[_row] = f"{LOSSES[_base]}, {_budget:,} iterations"


def train_and_score(name: str, iterations: int, seed: int) -> tuple[dict, np.ndarray, dict]:
    variant, settings = SETTINGS.get(name, (name, {}))
    gan = odog.get(variant)(seed=seed, **settings)
    start = time.perf_counter()
    result = {"name": name, "iterations": iterations, "batch_size": BATCH, "d_steps": gan.d_steps}
    try:
        gan.train(epochs=iterations, batch_size=BATCH, verbose=0)
    except odog.TrainingDivergedError as error:
        result["diverged"] = str(error)
    seconds = time.perf_counter() - start
    result.update(seconds=round(seconds, 1), ms_per_iteration=round(1000 * seconds / max(1, gan.iteration), 1))
    images = gan.generate(SAMPLES, seed=1)
    result.update(score(images))
    raw = score(gan.generate(SAMPLES, seed=1, ema=False))
    result.update(fd_raw_generator=raw["fd"], coverage_raw_generator=raw["coverage"])
    if name == "ssgan":  # D's self-supervised task, on test digits it never saw, each rotated four ways
        result["rotation_accuracy_test"] = gan.rotation_accuracy(data.load_named("mnist", "test").images[:2000])
    if variant in MEASURES:
        values = gan.history[MEASURES[variant]]
        result["measure"] = MEASURES[variant]
        result["measure_start"] = float(np.mean(values[:100]))
        result["measure_end"] = float(np.mean(values[-200:]))
    result["history"] = {
        k: [float(np.mean(v[i : i + 20])) for i in range(0, len(v), 20)] for k, v in gan.history.items()
    }
    print({k: v for k, v in result.items() if k != "history"}, flush=True)
    return result, images[:64], gan.history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=FAMILY, help="variants to (re)run; the others keep their result")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from results/family.json")
    args = parser.parse_args()
    full = args.scale == 1.0
    path = report.RESULTS / "family.json"
    if args.docs_only:
        write_docs(json.loads(path.read_text()))
        return
    iterations = max(1, int(ITERATIONS * args.scale))
    _, accuracy = metrics.classifier("mnist")
    payload = {
        "machine": report.machine(),
        "classifier_test_accuracy": accuracy,
        "seed": args.seed,
        "floor_fd": score(data.load_named("mnist").images[:SAMPLES])["fd"],
        "results": {},
    }
    if full and path.exists():  # re-running some variants keeps the others
        payload["results"] = json.loads(path.read_text())["results"]
    for name in args.only:
        budget = max(1, int(LONGER[name][1] * args.scale)) if name in LONGER else iterations
        result, grid, history = train_and_score(name, budget, args.seed)
        if full:
            payload["results"][name] = result
            report.save_json("family", payload)  # after each variant: a crash loses nothing
            if name in NEW:
                viz.save_grid(grid, report.ROOT / "docs" / "images" / f"{name}.png", rows=8)
                viz.plot_history(history, report.ROOT / "docs" / "images" / f"{name}_history.png")
    if full:
        write_docs(payload)


def write_docs(payload: dict) -> None:
    results = payload["results"]
    rows = []
    for name in FAMILY:
        if name not in results:
            continue
        r = results[name]
        measure = f"{r['measure']} {r['measure_start']:.3g} -> {r['measure_end']:.3g}" if "measure" in r else "-"
        rows.append(
            [
                f"[`{name}`]({SETTINGS.get(name, (name,))[0]}.md)",
                LOSSES[name],
                r["d_steps"],
                f"{r['fd']:.2f}" + (" (diverged)" if "diverged" in r else ""),
                f"{r['fd_raw_generator']:.2f}",
                f"{r['coverage']:.3f}",
                r["classes_covered"],
                f"{r['seconds'] / 60:.1f} min ({r['ms_per_iteration']:.0f} ms/it)",
                measure,
            ]
        )
    any_result = next(iter(results.values()))
    text = report.table(
        ["variant", "loss", "D steps per G step", "classifier FD", "FD, trained G without EMA", "coverage", "classes"]
        + ["wall time", "training measure (first 100 -> last 200 iterations)"],
        rows,
    )
    text += (
        f"\n\nAll at {ITERATIONS:,} generator iterations (a row that names another budget: that one), batch "
        f"{any_result['batch_size']}, seed {payload['seed']}, one run each, on {payload['machine']}. Scored on "
        f"{SAMPLES:,} samples of `generator_ema` against the 10,000 MNIST test images (real-data floor: FD "
        f"{payload['floor_fd']:.2f}). Produced by `python benchmarks/family.py`. The wall times were taken while "
        "other benchmark processes shared the two cores, so they overstate the cost of a run alone."
    )
    report.fill("docs/results.md", "family", text)
    report.fill("docs/results.md", "family-settings", settings_findings(results))
    dcgan = results.get("dcgan")
    for name in NEW:
        if name not in results or name in SETTINGS:
            continue
        r = results[name]
        compare = []
        for row in [name, *(row for row, (variant, _) in SETTINGS.items() if variant == name and row in results)]:
            label = f"odog `{name}`" + (f", {LOSSES[row]}" if row != name else "")
            compare.append([label, f"{results[row]['fd']:.2f}", f"{results[row]['fd_raw_generator']:.2f}"])
            compare[-1].append(f"{results[row]['coverage']:.3f}")
        if dcgan:
            compare.append(["odog `dcgan`, same budget", f"{dcgan['fd']:.2f}", f"{dcgan['fd_raw_generator']:.2f}"])
            compare[-1].append(f"{dcgan['coverage']:.3f}")
        compare.append(["real data floor", f"{payload['floor_fd']:.2f}", "-", "-"])
        text = report.table(["", "classifier FD", "without EMA", "coverage"], compare)
        text += (
            f"\n\n{r['iterations']:,} generator iterations at batch {r['batch_size']} "
            f"({r['d_steps']} D step{'s' if r['d_steps'] > 1 else ''} each), seed {payload['seed']}: "
            f"{r['seconds'] / 60:.1f} min on {payload['machine']}, with other runs sharing the cores."
        )
        if "measure" in r:
            start, end = r["measure_start"], r["measure_end"]
            text += f" {r['measure']} went from {start:.3g} (first 100 iterations) to {end:.3g} (last 200)."
        if "rotation_accuracy_test" in r:
            text += f" D reads the rotation of {r['rotation_accuracy_test']:.1%} of 2,000 rotated test digits (x4)."
        if dcgan:
            text += "".join(
                f"\n\n{longer_finding(row, results)}" for row in LONGER if SETTINGS[row][0] == name and row in results
            )
        text += "\n\nFamily table: [results](results.md#the-loss-family)."
        report.fill(f"docs/{name}.md", "quality", text)
    report.write_variants_table()


def settings_findings(results: dict) -> str:
    """Each variant's default next to its other settings' rows, as ratios to DCGAN's FD at ITERATIONS."""
    dcgan = results["dcgan"]["fd"]
    lines = []
    for variant in dict.fromkeys(variant for variant, _ in SETTINGS.values()):
        rows = [row for row, (of, _) in SETTINGS.items() if of == variant and row in results]
        if not rows or variant not in results:
            continue
        default = results[variant]["fd"]
        parts = [f"FD {default:.1f} ({default / dcgan:.2f}x DCGAN's {dcgan:.1f}) with its defaults ({LOSSES[variant]})"]
        parts += [f"{results[row]['fd']:.1f} ({results[row]['fd'] / dcgan:.2f}x) with {LOSSES[row]}" for row in rows]
        lines.append(f"- `{variant}`: " + "; ".join(parts) + ".")
        lines += [f"  {longer_finding(row, results)}" for row in rows if row in LONGER]
    return "\n".join(lines)


def longer_finding(row: str, results: dict) -> str:
    """What a LONGER row shows: its FD, digits and coverage next to DCGAN's at ITERATIONS, and the verdict."""
    r, dcgan = results[row], results["dcgan"]
    ratio = r["fd"] / dcgan["fd"]
    times = LONGER[row][1] / ITERATIONS
    verdict = "within 1.3x of" if ratio <= 1.3 else "still not within 1.3x of"
    return (
        f"`{row}`: trained {times:g} times as long ({r['iterations']:,} iterations), its FD is {verdict} DCGAN's at "
        f"{ITERATIONS:,} ({r['fd']:.1f} against {dcgan['fd']:.1f}, {ratio:.2f}x), with "
        + ("all ten digits" if r["classes_covered"] == 10 else f"{r['classes_covered']} of the ten digits")
        + f" drawn and coverage {r['coverage']:.3f} against DCGAN's {dcgan['coverage']:.3f}."
    )


if __name__ == "__main__":
    main()
