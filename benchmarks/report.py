"""Writes benchmark results into the docs, between marker comments.

A page (docs/*.md or README.md) holds `<!-- odog:NAME:start -->` and
`<!-- odog:NAME:end -->`; `fill(page, NAME, markdown)` replaces what lies
between them, so every number in the docs comes from a benchmark run.
"""

import json
import os
import platform
import re
import sys
from pathlib import Path

from odog import catalog

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def use_backend_from_argv() -> str:
    """Sets KERAS_BACKEND from a `--backend NAME` argument, before Keras is imported; returns it."""
    for i, arg in enumerate(sys.argv):
        if arg == "--backend" and i + 1 < len(sys.argv):
            os.environ["KERAS_BACKEND"] = sys.argv[i + 1]
        elif arg.startswith("--backend="):
            os.environ["KERAS_BACKEND"] = arg.split("=", 1)[1]
    return os.environ.get("KERAS_BACKEND", "tensorflow")


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


# The family rows of a variant in other settings that its README row quotes too (benchmarks/family.py);
# {iterations} is the row's budget.
OTHER_SETTINGS = {
    "rgan": ("rgan_average", "RaSGAN"),
    "dragan": ("dragan_longer", "at {iterations:,} iterations:"),
    "wgan_gp": ("wgan_gp_paper", "the paper's Adam(1e-4, 0.5, 0.9):"),
    "wgan": ("wgan_fast_long", "RMSprop(2e-4), {iterations:,} iterations:"),
    "began": ("began_long", "at {iterations:,} iterations:"),
    "bgan": ("bgan_long", "at {iterations:,} iterations:"),
    "softmax_gan": ("softmax_gan_long", "at {iterations:,} iterations:"),
}


# benchmarks/inpainting.py's runs that train a variant under another name (at a longer budget): run -> variant.
INPAINTING_RUNS = {"ccgan_long": "ccgan"}


def clustergan_settings(settings: dict) -> str:
    """A ClusterGAN run's settings in words (benchmarks/clustering.py): its D and what E reads z_c from."""
    read = "distorted copies" if settings.get("code_augment") else "the samples"
    return f"{settings['adversarial']} D, the encoder's z_c read from {read}"


def write_variants_table() -> None:
    """Fills the README's variant table from the JSON results of every benchmark."""
    quality = {r["name"]: r for r in json.loads((RESULTS / "quality.json").read_text())["results"]}
    family_path = RESULTS / "family.json"
    family = json.loads(family_path.read_text())["results"] if family_path.exists() else {}
    conditional_path = RESULTS / "conditional.json"
    conditional = json.loads(conditional_path.read_text())["results"] if conditional_path.exists() else {}
    architectures = {p.stem: json.loads(p.read_text()) for p in (RESULTS / "architectures").glob("*.json")}
    translation_path = RESULTS / "translation.json"
    translation = json.loads(translation_path.read_text()) if translation_path.exists() else {}
    encoders_path = RESULTS / "encoders.json"
    encoders = json.loads(encoders_path.read_text()) if encoders_path.exists() else {"results": {}}
    clustergan_path = RESULTS / "clustergan.json"
    clustergan = json.loads(clustergan_path.read_text())["results"] if clustergan_path.exists() else {}
    inpainting_path = RESULTS / "inpainting.json"
    inpainting = json.loads(inpainting_path.read_text()) if inpainting_path.exists() else {}
    # Newer benchmarks say what the README quotes themselves: {"readme": {variant: {"measures", "iterations",
    # "batch_size"}}} in their JSON.
    quoted = {}
    for path in sorted(RESULTS.glob("*.json")):
        quoted.update(json.loads(path.read_text()).get("readme", {}))
    floor = quality["real data (train vs test)"]["fd"]
    rows = []
    for entry in catalog.VARIANTS:
        page, cls, day = entry.name, entry.cls, str(entry.day or "-")
        if page in ("gan", "dcgan"):
            r = quality[page]
            fd = f"{r['fd']:.1f} (plain loop: {quality[page + '-reference']['fd']:.1f}; real data: {floor:.1f})"
        elif page in family:
            r = family[page]
            other = ""
            if page in OTHER_SETTINGS and OTHER_SETTINGS[page][0] in family:
                row, label = OTHER_SETTINGS[page]
                other = f"; {label.format(iterations=family[row]['iterations'])} {family[row]['fd']:.1f}"
            fd = f"{r['fd']:.1f}{other} (DCGAN at this budget: {family['dcgan']['fd']:.1f})"
        elif page in ("cgan", "acgan") and page in conditional:
            r = conditional[page]
            fd = f"{r['fd']:.1f}; label accuracy {r['label_accuracy']:.1%}"
        elif page == "infogan" and page in conditional:
            r = conditional[page]
            fd = f"{r['fd']:.1f}; code clustering {r['cluster_accuracy_test']:.1%} (test images)"
        elif page == "taggan" and page in conditional:
            r = conditional[page]
            fd = f"- (shapes data: {r['match']['all']:.1%} of samples show all requested tags)"
        elif page in ("lapgan", "sagan") and page in architectures:
            r = architectures[page]
            fd = f"{r['fd']:.1f} (coverage {r['coverage']:.3f})"
        elif page in ("srgan", "esrgan") and page in architectures:
            r = architectures[page]
            fd = f"- (7x7 -> 28x28: PSNR {r['psnr']:.2f} dB, SSIM {r['ssim']:.3f}; bicubic {r['bicubic_psnr']:.2f} dB, "
            fd += f"{r['bicubic_ssim']:.3f})"
        elif page == "sgan" and "sgan-100" in conditional:
            r = conditional["sgan-100"]
            fd = f"- (classifier: {r['test_accuracy']:.1%} test accuracy from 100 labels"
            runs = [k for k in conditional if k.startswith("sgan-fm-100-")]
            longest = max(runs, default=None, key=lambda k: conditional[k]["iterations"])
            if longest:
                fm = conditional[longest]
                fd += f"; feature matching {fm['test_accuracy']:.1%} at {fm['iterations']:,} iterations"
            fd += ")"
        elif page == "pix2pix" and page in translation:
            r, l1_only = translation[page], translation["pix2pix-l1"]
            fd = f"- (edges2digits: right digit {r['digit_a2b']:.1%}, FD {r['fd_a2b']:.1f}, SSIM {r['ssim']:.3f}; "
            fd += f"L1 only: {l1_only['digit_a2b']:.1%}, FD {l1_only['fd_a2b']:.1f})"
        elif page in ("cyclegan", "discogan", "dualgan") and page in translation:
            r = translation[page]
            fd = f"- (digits2textured: digit kept a2b {r['digit_a2b']:.1%}, b2a {r['digit_b2a']:.1%}; "
            fd += f"FD {r['fd_a2b']:.1f}, {r['fd_b2a']:.1f})"
        elif page == "bicyclegan" and page in translation:
            r = translation[page]
            fd = f"- (right digit {r['digit_a2b']:.1%}, diversity {r['diversity']:.3f}; the task's "
            fd += f"{translation['baselines']['task_diversity']:.3f})"
        elif page == "aae" and page in encoders["results"]:
            r = encoders["results"][page]
            fd = f"{r['fd']:.1f} (decoded prior draws); test reconstruction MSE {r['reconstruction_mse']:.3f} "
            fd += f"(PCA, 10 components: {encoders['baselines']['pca_mse']['10']:.3f})"
        elif page == "bigan" and page in encoders["results"]:
            r = encoders["results"][page]
            fd = f"{r['fd']:.1f}; linear probe on E's codes {r['probe']:.1%} (untrained E {r['probe_untrained']:.1%})"
        elif page == "clustergan" and clustergan:
            r = max(clustergan.values(), key=lambda run: run["cluster_accuracy_test"])
            fd = f"{r['fd']:.1f}; encoder's clusters {r['cluster_accuracy_test']:.1%} of test digits "
            info = conditional["infogan"]["cluster_accuracy_test"]
            fd += f"({clustergan_settings(r['settings'])}; InfoGAN's code {info:.1%})"
        elif page in ("context_encoder", "ccgan") and page in inpainting:
            r = inpainting[page]
            mean, blur = r["baselines"]["mean"], r["baselines"]["blur"]
            # The FD of the inpainted test digits, where measured (runs before it have none).
            fd = f"{r['fd']:.1f} (inpainted test digits; " if "fd" in r else "- ("
            fd += f"14x14 centre hole: PSNR {r['psnr_hole']:.2f} dB, right digit {r['digit_accuracy']:.1%}; "
            fills = [
                f"{name} {base['psnr_hole']:.2f} dB / {base['digit_accuracy']:.1%}"
                + (f" / FD {base['fd']:.1f}" if "fd" in base else "")
                for name, base in (("mean fill", mean), ("blur", blur))
            ]
            fd += ", ".join(fills) + ")"
            runs = [run for run, variant in INPAINTING_RUNS.items() if variant == page and run in inpainting]
            for longer in (inpainting[run] for run in runs if "fd" in inpainting[run]):
                fd += f"; at {longer['iterations']:,} iterations: FD {longer['fd']:.1f}, PSNR "
                fd += f"{longer['psnr_hole']:.2f} dB, right digit {longer['digit_accuracy']:.1%}"
        elif page in quoted:
            r = quoted[page]
            fd = r["measures"]
        else:
            continue
        budget = f"{r['iterations']:,} x {r['batch_size']}" + (
            f", {r['d_steps']} D steps" if r.get("d_steps", 1) > 1 else ""
        )
        rows.append([f"`{page}`", f"`odog.{cls}`", day, fd, budget, f"[docs/{page}.md](docs/{page}.md)"])
    headers = ["variant", "class", "ODOG day", "classifier FD on MNIST (lower is better), measures", "budget", "docs"]
    fill("README.md", "variants", table(headers, rows))


def write_catalog_table() -> None:
    """Fills the docs index's list of variants from `odog.catalog`."""
    rows = [
        [f"`{e.name}`", f"`odog.{e.cls}`", str(e.day or "-"), e.source, f"[{e.cls}]({e.name}.md)"]
        for e in catalog.VARIANTS
    ]
    fill("docs/index.md", "catalog", table(["name", "class", "ODOG day", "source", "page"], rows))


if __name__ == "__main__":
    write_catalog_table()
    write_variants_table()
