"""mkdocs hook: the variant pages of the navigation come from `odog.catalog`."""

from odog import catalog

GUIDES = [
    {"Quick start": "index.md"},
    {"How training works": "training.md"},
    {"Backends and devices": "backends.md"},
    {"Scaling up": "scaling.md"},
    {"Data": "data.md"},
    {"Metrics": "metrics.md"},
    {"Command line": "cli.md"},
]


def on_config(config):
    variants = sorted(catalog.VARIANTS, key=lambda e: (e.day is None, e.day or 0))
    config["nav"] = [*GUIDES, *({e.title: f"{e.name}.md"} for e in variants), {"Results": "results.md"}]
    return config
