"""docs/scaling.md's CelebA-style walkthrough, run as written on a generated folder of face-sized JPEGs."""

import re
from pathlib import Path

import numpy as np
from PIL import Image

import odog

PAGE = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"


def test_the_celeba_walkthrough_runs_on_a_folder_of_jpegs(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    (tmp_path / "faces").mkdir()
    for i in range(24):  # CelebA's aligned crops are 178x218: not square
        pixels = rng.integers(0, 256, (109, 89, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(tmp_path / "faces" / f"{i:06d}.jpg", quality=90)
    block = re.search(r"<!-- walkthrough:start -->\n```python\n(.*?)```", PAGE.read_text(), re.S).group(1)
    assert "EPOCHS = 20000" in block
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(block.replace("EPOCHS = 20000", "EPOCHS = 2"), namespace)
    gan, images = namespace["gan"], namespace["images"]
    assert images.shape == (16, 64, 64, 3) and images.dtype == np.float32
    assert gan.iteration == 2 and gan.stream_state["position"] == 2 * 64
    resumed = odog.load(tmp_path / "runs" / "faces")
    assert resumed.iteration == 2 and resumed.stream_state == gan.stream_state
