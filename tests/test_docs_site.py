"""The docs site builds with `mkdocs build --strict` and shows every variant, its grid and the notebooks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import odog

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("mkdocs", reason='the docs tools are not installed (pip install -e ".[docs]")')
pytest.importorskip("material", reason='mkdocs-material is not installed (pip install -e ".[docs]")')
pytest.importorskip("mkdocs_jupyter", reason='mkdocs-jupyter is not installed (pip install -e ".[docs]")')


def _build(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stdout}\n{build.stderr}"
    assert "WARNING" not in build.stderr, build.stderr


def _grid_problem(site: Path, name: str) -> str | None:
    page = site / name / "index.html"
    if not page.is_file():
        return f"{name}: no page in the site"
    images = re.findall(r'<img[^>]*\bsrc="([^"]+)"', page.read_text(encoding="utf-8"))
    grid = [src for src in images if src.endswith(f"images/{name}.png")]
    if not grid:
        return f"{name}: docs/{name}.md shows no images/{name}.png (it shows {images})"
    if not (page.parent / grid[0]).resolve().is_file():
        return f"{name}: {grid[0]} is not in the built site"
    return None


# One test, one build: under pytest-xdist separate tests would each build the site on their own worker.
def test_docs_site(tmp_path):
    site = tmp_path / "site"
    _build(site)

    # Every variant's page, showing its sample grid, which the site holds.
    problems = [p for p in (_grid_problem(site, name) for name in odog.available()) if p]
    assert not problems, "\n".join(problems)

    # The notebooks, rendered (not executed) from notebooks/, and listed on the Notebooks page.
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    missing = [n.name for n in notebooks if not (site / "notebooks" / n.stem / "index.html").is_file()]
    assert notebooks and not missing, f"notebooks without a page: {missing}"
    html = (site / "notebooks" / "day2_dcgan" / "index.html").read_text(encoding="utf-8")
    assert "jupyter-wrapper" in html and "DCGAN(" in html, "the DCGAN notebook's cells are not on its page"
    index = (site / "notebooks" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{n.stem}/"' in index for n in notebooks), "the Notebooks page does not list them all"
    dcgan = (site / "dcgan" / "index.html").read_text(encoding="utf-8")
    assert 'href="../notebooks/day2_dcgan/"' in dcgan, "docs/dcgan.md's notebook link does not reach its page"

    # The Chinese quick start, linked from the English one and back.
    zh = (site / "zh" / "quickstart" / "index.html").read_text(encoding="utf-8")
    assert "快速入门" in zh and "One Day One GAN" in zh and "ODOG_DATA_DIR" in zh
    assert 'href="../../"' in zh, "the Chinese quick start does not link the English one"
    assert 'href="zh/quickstart/"' in (site / "index.html").read_text(encoding="utf-8")
