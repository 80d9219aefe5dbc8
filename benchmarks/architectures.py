"""Trains LAPGAN, SAGAN, SRGAN and ESRGAN on real MNIST and measures them.

LAPGAN and SAGAN are scored like benchmarks/quality.py: classifier Frechet
distance and class coverage of 10,000 samples against the MNIST test set.
SRGAN and ESRGAN are scored on the 10,000 MNIST test images, which they never
saw: each is shrunk 4 times (7x7), enlarged back by G and by bicubic
interpolation, and both are compared with the original (PSNR, SSIM).

Each variant's result goes to benchmarks/results/architectures/<variant>.json
(so variants can run in parallel processes); the docs are then written from
all of them: the quality section of each page, docs/images/<variant>*.png and
the README's variant table.

    python benchmarks/architectures.py --only sagan srgan   # measure (one process per group)
    python benchmarks/architectures.py --scale 0.01          # a smoke run, writes nothing
    python benchmarks/architectures.py --docs-only           # rewrite the docs from the JSON
"""

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import report  # noqa: E402
from quality import BATCH, SAMPLES, score  # noqa: E402

import odog  # noqa: E402
from odog import data, viz  # noqa: E402

# (iterations, constructor arguments): each trains in at most 15 minutes on 2 cores.
BUDGETS = {
    "lapgan": (4000, {}),
    "sagan": (2500, {}),
    "srgan": (1500, {}),
    "esrgan": (1500, {"pretrain_iterations": 600}),
}
GENERATIVE, SUPER_RESOLUTION = ("lapgan", "sagan"), ("srgan", "esrgan")
OUT = report.RESULTS / "architectures"


def train_and_measure(name: str, iterations: int, options: dict, seed: int) -> dict:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gan = odog.get(name)(seed=seed, **options)
    result = {"name": name, "iterations": iterations, "batch_size": BATCH, "options": options}
    result["warnings"] = [str(w.message) for w in caught]
    start = time.perf_counter()
    gan.train(epochs=iterations, batch_size=BATCH, verbose=0)
    seconds = time.perf_counter() - start
    result.update(seconds=round(seconds, 1), ms_per_iteration=round(1000 * seconds / iterations, 1))
    if name in GENERATIVE:
        samples = gan.generate(SAMPLES, seed=1)
        result.update(score(samples))
        raw = score(gan.generate(SAMPLES, seed=1, ema=False))
        result.update(fd_raw_generator=raw["fd"], coverage_raw_generator=raw["coverage"])
        grid = samples[:64]
        if name == "lapgan":  # which level costs what: the real images' coarse levels, G's finer ones
            train = data.load_named("mnist").images[:SAMPLES]
            bands, _ = gan.decompose(train)
            result["refined"] = [
                {"kept": gan.sides[start - 1], "generated": gan.sides[start:]}
                | score(gan.refine(train, start=start, seed=1))
                # The same coarse levels with no finer detail at all: what G's residuals should beat.
                | {"upsampled": score(gan.reconstruct(bands[:start] + [0 * b for b in bands[start:]]))}
                for start in range(1, len(gan.sides))
            ]
    else:
        test = data.load_named("mnist", "test").images
        result["content_loss"] = gan.content_loss
        result.update(gan.evaluate(test))
        raw = gan.evaluate(test, ema=False)
        result.update(psnr_raw_generator=raw["psnr"], ssim_raw_generator=raw["ssim"])
        crops = test[:8]
        low = gan.downscale(crops)
        nearest = np.repeat(np.repeat(low, gan.scale, axis=1), gan.scale, axis=2)
        grid = np.concatenate([nearest, gan.bicubic(low), gan.upscale(low), crops])
    result["grid"] = grid.tolist()
    result["raw_history"] = {k: [float(x) for x in v] for k, v in gan.history.items()}
    print({k: v for k, v in result.items() if k not in ("history", "grid", "raw_history")}, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=list(BUDGETS), help="variants to (re)run")
    parser.add_argument("--docs-only", action="store_true", help="rewrite the docs from the JSON results")
    parser.add_argument(
        "--shared-cores", action="store_true", help="other processes share the cores: the docs flag the wall times"
    )
    args = parser.parse_args()
    full = args.scale == 1.0
    if not args.docs_only:
        for name in args.only:
            iterations, options = BUDGETS[name]
            options = dict(options)
            if not full and "pretrain_iterations" in options:
                options["pretrain_iterations"] = max(1, int(options["pretrain_iterations"] * args.scale))
            result = train_and_measure(name, max(2, int(iterations * args.scale)), options, args.seed)
            if full:
                result.update(machine=report.machine(), seed=args.seed, shared_cores=args.shared_cores)
                OUT.mkdir(parents=True, exist_ok=True)
                (OUT / f"{name}.json").write_text(json.dumps(result))
    if full:
        write_docs()


def write_docs() -> None:
    results = {p.stem: json.loads(p.read_text()) for p in sorted(OUT.glob("*.json"))}
    images = report.ROOT / "docs" / "images"
    floor = score(data.load_named("mnist").images[:SAMPLES])["fd"] if set(GENERATIVE) & set(results) else None
    for name, r in results.items():
        grid = np.asarray(r["grid"], "float32")
        viz.save_grid(grid, images / f"{name}.png", rows=8 if name in GENERATIVE else 4)
        viz.plot_history(r["raw_history"], images / f"{name}_history.png")
        budget = f"{r['iterations']:,} iterations at batch {r['batch_size']}"
        if "pretrain_iterations" in r["options"]:
            pre = r["options"]["pretrain_iterations"]
            budget += f" ({pre:,} PSNR-oriented, then {r['iterations'] - pre:,} GAN)"
        budget += f", seed {r['seed']}: {r['seconds'] / 60:.1f} min on {r['machine']}"
        if name in GENERATIVE:
            rows = [
                [f"odog `{name}`", f"{r['fd']:.2f}", f"{r['fd_raw_generator']:.2f}", f"{r['coverage']:.3f}"]
                + [str(r["classes_covered"])],
                ["real data floor", f"{floor:.2f}", "-", "-", "-"],
            ]
            for refined in r.get("refined", []):  # LAPGAN: G's finer levels on real coarse images
                kept, generated = refined["kept"], " and ".join(f"{side}x{side}" for side in refined["generated"])
                plural = "s" if len(refined["generated"]) > 1 else ""
                for label, x in (
                    (f"real {kept}x{kept} training images, level{plural} {generated} generated", refined),
                    (f"real {kept}x{kept} training images, upsampled with no finer level", refined["upsampled"]),
                ):
                    rows.insert(-1, [label, f"{x['fd']:.2f}", "-", f"{x['coverage']:.3f}", str(x["classes_covered"])])
            text = report.table(["", "classifier FD", "without EMA", "coverage", "classes"], rows)
            text += f"\n\n{budget}. Scored on {SAMPLES:,} samples against the MNIST test set."
        else:
            rows = [
                [f"odog `{name}`", f"{r['psnr']:.2f} dB", f"{r['ssim']:.4f}"],
                [f"odog `{name}`, trained G without EMA", f"{r['psnr_raw_generator']:.2f} dB"]
                + [f"{r['ssim_raw_generator']:.4f}"],
                ["bicubic upsampling", f"{r['bicubic_psnr']:.2f} dB", f"{r['bicubic_ssim']:.4f}"],
            ]
            text = report.table(["7x7 -> 28x28, 10,000 MNIST test images", "PSNR", "SSIM"], rows)
            text += f"\n\n{budget}. Content loss: {r['content_loss']}"
            if r["warnings"]:
                text += f" (odog warned: {r['warnings'][0]})"
            text += "."
        # Runs recorded before the flag existed shared the cores.
        if r.get("shared_cores", True):
            text += "\n\nThe wall time was taken while other benchmark processes shared the two cores."
        else:
            text += "\n\nTrained alone on the cores."
        report.fill(f"docs/{name}.md", "quality", text)
    rows = []
    for name, r in results.items():
        if name in GENERATIVE:
            measured = f"classifier FD {r['fd']:.2f}, coverage {r['coverage']:.3f} (real data floor: FD {floor:.2f})"
        else:
            measured = (
                f"PSNR {r['psnr']:.2f} dB, SSIM {r['ssim']:.4f} "
                f"(bicubic: {r['bicubic_psnr']:.2f} dB, {r['bicubic_ssim']:.4f})"
            )
        iterations = f"{r['iterations']:,}"
        if "pretrain_iterations" in r["options"]:
            iterations += f" ({r['options']['pretrain_iterations']:,} PSNR-oriented)"
        rows.append([f"[`{name}`]({name}.md)", measured, iterations, f"{r['seconds'] / 60:.1f} min"])
    text = report.table(["variant", "measured on MNIST", "iterations (batch 32)", "wall time"], rows)
    text += f"\n\nSeed {r['seed']}, one run each, on {r['machine']}. "
    shared = [f"`{name}`" for name, r in results.items() if r.get("shared_cores", True)]
    if shared:
        text += f"{', '.join(shared)}: another benchmark process shared the cores (the wall time overstates a run). "
    else:
        text += "Each trained alone on the cores. "
    text += "Produced by `python benchmarks/architectures.py`."
    report.fill("docs/results.md", "architectures", text)
    report.write_variants_table()


if __name__ == "__main__":
    main()
