"""Runs the notebooks top to bottom and saves them with their outputs, as they are committed.

Each notebook trains for ODOG_NOTEBOOK_EPOCHS iterations (here --epochs, 100 by default: a short run whose
grids already show the model's shape of things; a notebook's own default is its variant's full budget).
`pytest tests/test_notebooks.py` runs them too, shorter, and keeps nothing.

    python notebooks/execute.py                    # every notebook, 100 iterations each
    python notebooks/execute.py day2_dcgan --epochs 4000
"""

import argparse
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def execute(path: Path, epochs: int) -> float:
    """Executes `path` in place (from the repository root, as a user opens it there); returns its seconds."""
    notebook = nbformat.read(path, as_version=4)
    os.environ["ODOG_NOTEBOOK_EPOCHS"] = str(epochs)
    start = time.perf_counter()
    NotebookClient(
        notebook, timeout=3600, kernel_name="python3", resources={"metadata": {"path": str(HERE.parent)}}
    ).execute()
    for cell in notebook.cells:  # timings and ids of this machine's kernel are noise in a diff
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook names without .ipynb (default: all)")
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args()
    paths = [HERE / f"{n}.ipynb" for n in args.names] or sorted(HERE.glob("*.ipynb"))
    for path in paths:
        print(f"{path.stem}: {execute(path, args.epochs):.0f} s", flush=True)


if __name__ == "__main__":
    main()
