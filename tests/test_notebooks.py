"""Every notebook runs top to bottom (with a short training run).

Each notebook's cells run in this process, in an IPython shell, with their
outputs (prints, grids, plots) captured as a kernel would show them: a
Jupyter kernel per notebook would spend most of the test starting Python and
importing TensorFlow again. One notebook also runs through a real Jupyter
kernel (nbclient), as `notebooks/execute.py` runs them all.
"""

from pathlib import Path

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
EPOCHS = 20


@pytest.fixture
def short_run(monkeypatch, tmp_path):
    """A short run, as the notebooks read it from the environment, in a folder of its own."""
    monkeypatch.setenv("ODOG_NOTEBOOK_EPOCHS", str(EPOCHS))
    # 20 iterations are mostly XLA's compile time; CI's DCGAN run and tests/test_backends.py compile with it.
    monkeypatch.setenv("ODOG_JIT_COMPILE", "0")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    monkeypatch.chdir(tmp_path)  # the notebooks write runs/notebook_<name>/ where they run


def _check(texts: list[str], formats: list[set]) -> None:
    text = "".join(texts)
    assert f"{EPOCHS} iterations" in text
    assert any(m in text for m in ("classifier FD", "all tags match", "PSNR")), "the notebook measured nothing"
    assert any("image/png" in f for f in formats), "no sample grid was shown"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, mnist, short_run):
    shell = InteractiveShell.instance()
    shell.reset(new_session=True)  # a fresh namespace, as a new kernel has
    texts, formats = [], []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "code":
            continue
        with capture_output() as captured:
            result = shell.run_cell(cell.source, store_history=False)
        where = f"{path.name}, cell {number}"
        assert result.success, f"{where}:\n{captured.stdout}{captured.stderr}{result.error_in_exec!r}"
        texts.append(captured.stdout)
        formats += [set(output.data) for output in captured.outputs]
        if result.result is not None:  # a cell's last expression, shown as its output
            formats.append(set(shell.display_formatter.format(result.result)[0]))
    _check(texts, formats)


def test_a_notebook_executes_in_a_jupyter_kernel(mnist, short_run, tmp_path):
    notebook = nbformat.read(next(p for p in NOTEBOOKS if p.stem == "day2_dcgan"), as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    _check([o.get("text", "") for o in outputs if o.output_type == "stream"], [set(o.get("data", {})) for o in outputs])
