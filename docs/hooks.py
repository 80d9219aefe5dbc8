"""mkdocs hook: the navigation from `odog.catalog`, and the notebooks of `notebooks/` as pages.

The notebooks live outside `docs/` (they are run by the tests and committed with the code). Rather than a
symlink, which Windows checkouts and source archives do not keep, this hook adds each `notebooks/*.ipynb`
to the site's files as `notebooks/<name>.ipynb`; mkdocs-jupyter renders them (without executing them, see
mkdocs.yml) and a generated `notebooks/index.md` lists them in the catalog's order.

Pages link to a notebook as `../notebooks/<name>.ipynb`, the path that is right in the repository (on
GitHub, in an editor); the hook points those links at the rendered page.
"""

import posixpath
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
if str(ROOT) not in sys.path:  # `mkdocs` run from a checkout where odog is not installed
    sys.path.insert(0, str(ROOT))

from odog import catalog  # noqa: E402

GUIDES = [
    {"Quick start": "index.md"},
    {"快速入门 (中文)": "zh/quickstart.md"},
    {"How training works": "training.md"},
    {"Backends and devices": "backends.md"},
    {"Scaling up": "scaling.md"},
    {"Data": "data.md"},
    {"Metrics": "metrics.md"},
    {"Command line": "cli.md"},
    {"Pretrained generators": "pretrained.md"},
    {"The demo page": "demo.md"},
]
NOTEBOOK_INDEX = "notebooks/index.md"
# ](../notebooks/day2_dcgan.ipynb) or ](../../notebooks/x.ipynb#a-heading): a link to a notebook of the repository.
NOTEBOOK_LINK = re.compile(r"\]\(((?:\.\./)+notebooks/[^)\s#]+\.ipynb)((?:#[^)\s]*)?)\)")


def _variants():
    return sorted(catalog.VARIANTS, key=lambda e: (e.day is None, e.day or 0))


def notebook_of(name: str) -> Path | None:
    """The notebook of variant `name`: notebooks/<name>.ipynb or notebooks/day<N>_<name>.ipynb."""
    found = [p for p in sorted(NOTEBOOKS.glob("*.ipynb")) if re.fullmatch(rf"(day\d+_)?{name}", p.stem)]
    return found[0] if found else None


def on_config(config):
    variants = _variants()
    config["nav"] = [
        *GUIDES,
        *({e.title: f"{e.name}.md"} for e in variants),
        {"Results": "results.md"},
        {"Notebooks": NOTEBOOK_INDEX},
    ]
    if "watch" in config:  # `mkdocs serve` rebuilds when a notebook changes
        config["watch"].append(str(NOTEBOOKS))
    return config


def _index_page() -> str:
    lines = [
        "# Notebooks",
        "",
        "One notebook per variant, in `notebooks/` of the repository, shown here as committed: executed by",
        "`python notebooks/execute.py` with a short run of 100 iterations each (the site does not run them;",
        "`pytest tests/test_notebooks.py` runs each top to bottom again). A notebook's own default is its variant's",
        "full budget; each variant's page shows the numbers measured at that budget and its sample grid.",
        "",
        "| variant | notebook | page |",
        "|---|---|---|",
    ]
    listed = set()
    for entry in _variants():
        path = notebook_of(entry.name)
        if path is None:
            continue
        listed.add(path.name)
        lines.append(f"| {entry.title} | [`{path.name}`]({path.name}) | [{entry.cls}](../{entry.name}.md) |")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if path.name not in listed:
            lines.append(f"| - | [`{path.name}`]({path.name}) | - |")
    return "\n".join(lines) + "\n"


def on_files(files, config):
    # mkdocs is imported here: tests/test_variants.py reads on_config's navigation without mkdocs installed.
    from mkdocs.structure.files import File

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        # src_dir is the repository, so that the file is notebooks/<name>.ipynb both in the checkout and in
        # the site (mkdocs-jupyter's wrapper reads abs_src_path from src_dir, which File.generated leaves unset).
        files.append(File(f"notebooks/{path.name}", str(ROOT), config["site_dir"], config["use_directory_urls"]))
    files.append(File.generated(config, NOTEBOOK_INDEX, content=_index_page()))
    return files


# Before mkdocs-jupyter's on_files (priority 0), which turns the .ipynb files into pages; this is what
# mkdocs.plugins.event_priority(50) sets.
on_files.mkdocs_priority = 50


def on_page_markdown(markdown, page, config, files):
    """`](../notebooks/x.ipynb)` from docs/<page>.md -> the rendered `notebooks/x.ipynb` of the site."""
    here = posixpath.dirname(page.file.src_uri)

    def to_site(match):
        in_repo = posixpath.normpath(posixpath.join("docs", here, match.group(1)))
        if not in_repo.startswith("notebooks/"):
            return match.group(0)
        return f"]({posixpath.relpath(in_repo, here or '.')}{match.group(2)})"

    return NOTEBOOK_LINK.sub(to_site, markdown)
