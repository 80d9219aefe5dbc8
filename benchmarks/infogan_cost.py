"""What InfoGAN's distorted code reading costs per iteration, side by side in one run.

Times `InfoGAN()` (Q reads the categorical code from a distorted copy of each
sample: one more pass of D over the generated batch in each step) against
`InfoGAN(code_augment=None)` (the paper's objective), on MNIST at InfoGAN's
default batch, after warm-up iterations that absorb compilation.

Writes benchmarks/results/infogan_cost.json and the cost table of docs/infogan.md.

    python benchmarks/infogan_cost.py
    python benchmarks/infogan_cost.py --iterations 5   # a smoke run, writes nothing
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402
from speed import WARMUP, rate  # noqa: E402

from odog import InfoGAN  # noqa: E402


def ms_per_iteration(gan: InfoGAN, iterations: int) -> float:
    return 1000 / rate(lambda n: gan.train(epochs=n, verbose=0), iterations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    paper = ms_per_iteration(InfoGAN(seed=0, code_augment=None), args.iterations)
    distorted = ms_per_iteration(InfoGAN(seed=0), args.iterations)
    result = {"paper_ms": round(paper, 1), "distorted_ms": round(distorted, 1), "ratio": round(distorted / paper, 2)}
    print(result, flush=True)
    if args.iterations < 100:  # a smoke run only prints
        return
    payload = {"machine": report.machine(), "iterations": args.iterations, "batch_size": 64, "results": result}
    report.save_json("infogan_cost", payload)
    text = report.table(
        ["Q reads the code from", "ms per iteration"],
        [
            ["the sample (`code_augment=None`, the paper)", f"{paper:.1f}"],
            ["a distorted copy (the default)", f"{distorted:.1f} ({distorted / paper:.2f}x)"],
        ],
    )
    text += (
        f"\n\n{args.iterations} iterations each after {WARMUP} of warm-up, batch 64, MNIST, on {payload['machine']}. "
        "Produced by `python benchmarks/infogan_cost.py`."
    )
    report.fill("docs/infogan.md", "cost", text)


if __name__ == "__main__":
    main()
