"""Atomic checkpoints: one `.npz` file of arrays plus a JSON header.

A checkpoint is written to a temporary file in the same folder, flushed to
disk, then renamed over the previous one, so an interrupted save leaves the
previous checkpoint intact.
"""

import json
import os
import tempfile
from pathlib import Path

import numpy as np

# 1: variables by position within their group; 2: by structural path.
FORMAT = 2

FILENAME = "checkpoint.npz"
_META_KEY = "__meta__"


def checkpoint_file(path: str | os.PathLike) -> Path:
    """The checkpoint file inside a run folder (or the file itself)."""
    path = Path(path)
    return path if path.suffix == ".npz" else path / FILENAME


def save(path: str | os.PathLike, arrays: dict[str, np.ndarray], meta: dict) -> Path:
    """Writes `arrays` and the JSON-serializable `meta` atomically.

    Args:
        path: a run folder (created if needed) or a `.npz` file path.
        arrays: named numpy arrays.
        meta: a JSON-serializable dict.

    Returns:
        The path of the checkpoint file.

    Example:
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = save(d, {"w": np.ones(3)}, {"iteration": 7})
    >>> load(d)[1]["iteration"]
    7
    """
    target = checkpoint_file(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = dict(arrays)
    payload[_META_KEY] = np.array(json.dumps(meta))
    fd, tmp = tempfile.mkstemp(prefix=".checkpoint-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """Reads a checkpoint written by `save`.

    Returns:
        A tuple `(arrays, meta)`.
    """
    target = checkpoint_file(path)
    if not target.is_file():
        raise FileNotFoundError(
            f"No odog checkpoint at {target}. Pass the folder given to `gan.save(...)` or to `train(..., out_dir=...)`."
        )
    try:
        with np.load(target, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (ValueError, OSError) as error:
        raise ValueError(f"The checkpoint {target} is unreadable: {error}") from error
    if _META_KEY not in arrays:
        raise ValueError(f"{target} is not an odog checkpoint (no header).")
    return arrays, json.loads(str(arrays.pop(_META_KEY)))


def variable_paths(model) -> list[tuple[str, object]]:
    """`(path, variable)` for every variable of a Keras model, named by structure.

    A path is the layer's position and class within its model (recursing
    into nested models), then the variable's position and name within the
    layer: `03-Dense/0-kernel`. Unlike `variable.path`, it does not contain
    the layer names Keras numbers per process (`dense_17`), so it is the same
    in every process and on every backend, and a mismatch names the variable.

    Example:
    >>> import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    >>> [path for path, _ in variable_paths(model)]
    ['00-Dense/0-kernel', '00-Dense/1-bias']
    """
    import keras

    found: list[tuple[str, object]] = []
    seen: set[int] = set()

    def walk(layer, prefix: str) -> None:
        if isinstance(layer, keras.Model) and layer.layers:
            for i, sublayer in enumerate(layer.layers):
                walk(sublayer, f"{prefix}{i:02d}-{type(sublayer).__name__}/")
        for j, variable in enumerate(layer.variables):
            if id(variable) not in seen:  # a nested model's variables were named by its layers
                seen.add(id(variable))
                found.append((f"{prefix}{j}-{variable.name}", variable))

    walk(model, "")
    return found
