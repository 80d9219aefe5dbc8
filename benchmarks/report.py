"""Writes benchmark results into the docs, between marker comments.

A page (docs/*.md or README.md) holds `<!-- odog:NAME:start -->` and
`<!-- odog:NAME:end -->`; `fill(page, NAME, markdown)` replaces what lies
between them, so every number in the docs comes from a benchmark run.
"""

import json
import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def machine() -> str:
    import os

    import keras

    return f"{platform.machine()}, {os.cpu_count()} CPU cores, Keras {keras.__version__} ({keras.backend.backend()})"


def save_json(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def fill(page: str, name: str, markdown: str) -> None:
    """Replaces the marked section `name` of `page` (relative to the repo root)."""
    path = ROOT / page
    text = path.read_text()
    start, end = f"<!-- odog:{name}:start -->", f"<!-- odog:{name}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"{path} has no {start} ... {end} markers.")
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    path.write_text(pattern.sub(lambda _: f"{start}\n{markdown.strip()}\n{end}", text))


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
