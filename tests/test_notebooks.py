"""Every notebook runs top to bottom (with a short training run) in a Jupyter kernel.

Each notebook gets a kernel of its own, as `notebooks/execute.py` runs them:
a notebook builds full-size models, and run one after another in one process
their memory added up past the machine's (a CI worker was lost so), while a
kernel costs a few seconds of start-up and imports.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
EPOCHS = 20


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, mnist, monkeypatch, tmp_path):
    # The kernel inherits this environment: a short run, read by each notebook, and (conftest.py) models
    # built without XLA, whose compile time would be most of 20 iterations.
    monkeypatch.setenv("ODOG_NOTEBOOK_EPOCHS", str(EPOCHS))
    notebook = nbformat.read(path, as_version=4)
    # The notebooks write runs/notebook_<name>/ where they run.
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert f"{EPOCHS} iterations" in text
    assert any(m in text for m in ("classifier FD", "all tags match", "PSNR")), "the notebook measured nothing"
    assert any("image/png" in o.get("data", {}) for o in outputs), "no sample grid was shown"
