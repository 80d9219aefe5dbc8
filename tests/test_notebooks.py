"""Every notebook runs top to bottom (with a short training run)."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, mnist, tmp_path, monkeypatch):
    monkeypatch.setenv("ODOG_NOTEBOOK_EPOCHS", "20")
    # 20 iterations are mostly XLA's compile time; the examples' test and CI's DCGAN run compile with it.
    monkeypatch.setenv("ODOG_JIT_COMPILE", "0")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "20 iterations" in text
    assert any(m in text for m in ("classifier FD", "all tags match", "PSNR")), "the notebook measured nothing"
    assert any("image/png" in o.get("data", {}) for o in outputs), "no sample grid was shown"
