"""Atomic checkpoints: one `.npz` file of arrays plus a JSON header.

A checkpoint is written to a temporary file in the same folder, flushed to
disk, then renamed over the previous one, so an interrupted save leaves the
previous checkpoint intact. The next save removes the temporary files that
killed saves left behind. A file that is not a complete odog checkpoint is
refused on loading with a `CheckpointError` that names it and says what is
wrong with it.
"""

import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

# 1: variables by position within their group; 2: by structural path.
FORMAT = 2

FILENAME = "checkpoint.npz"
_META_KEY = "__meta__"
# Temporary files are named `.checkpoint-<pid>-<random>.tmp`: the pid tells
# which were left by a process that is gone.
_TMP_PREFIX, _TMP_SUFFIX = ".checkpoint-", ".tmp"
# The header keys `load` requires, with the JSON type each must have.
_HEADER = {"variant": str, "config": dict, "img_shape": list, "iteration": int}


# Groups of a checkpoint that are not model or optimizer state: the loss history
# and the backend's own random state (`odog.backend.global_rng_state`).
HISTORY_GROUP, RNG_GROUP = "history", "backend_rng"


def state_arrays(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The arrays of a checkpoint that hold model and optimizer state (what must be finite).

    Example:
    >>> sorted(state_arrays({"generator/0": 1, "history/g_loss": 2, "backend_rng/torch": 3}))
    ['generator/0']
    """
    return {k: v for k, v in arrays.items() if not k.startswith((f"{HISTORY_GROUP}/", f"{RNG_GROUP}/"))}


class CheckpointError(ValueError):
    """A file that is not a complete, readable odog checkpoint."""


def checkpoint_file(path: str | os.PathLike) -> Path:
    """The checkpoint file inside a run folder (or the file itself)."""
    path = Path(path)
    return path if path.suffix == ".npz" else path / FILENAME


def nonfinite(arrays: dict[str, np.ndarray]) -> dict[str, int]:
    """The float arrays holding NaN or infinite values, with how many each holds.

    Example:
    >>> nonfinite({"w": np.array([1.0, np.nan, np.inf]), "step": np.array(3)})
    {'w': 2}
    """
    counts = {}
    for name, array in arrays.items():
        if np.issubdtype(array.dtype, np.floating):
            bad = int(array.size - np.count_nonzero(np.isfinite(array)))
            if bad:
                counts[name] = bad
    return counts


def save(path: str | os.PathLike, arrays: dict[str, np.ndarray], meta: dict) -> Path:
    """Writes `arrays` and the JSON-serializable `meta` atomically.

    The file gets the mode a new file gets under the user's umask, and the
    temporary files of earlier saves that were killed are removed.

    Args:
        path: a run folder (created if needed) or a `.npz` file path.
        arrays: named numpy arrays.
        meta: a JSON-serializable dict.

    Returns:
        The path of the checkpoint file.

    Raises:
        OSError: of the same kind as the one the system raised (a full disk,
            a read-only folder), naming the file that could not be written.
            The previous checkpoint is then intact.

    Example:
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> meta = {"variant": "gan", "config": {}, "img_shape": [28, 28, 1], "iteration": 7}
    >>> _ = save(d, {"w": np.ones(3)}, meta)
    >>> load(d)[1]["iteration"]
    7
    """
    target = checkpoint_file(path)
    payload = dict(arrays)
    payload[_META_KEY] = np.array(json.dumps(meta))
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", suffix=_TMP_SUFFIX, dir=target.parent)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as error:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise type(error)(
            error.errno,
            f"Could not write the checkpoint {target}: {error.strerror or error}. The previous checkpoint there "
            "(if any) is intact; free space or choose another folder (out_dir=) and save again",
        ) from error
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    remove_stale_temporaries(target.parent)
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_stale_temporaries(folder: str | os.PathLike) -> list[Path]:
    """Deletes the temporary files that interrupted saves left in `folder`.

    Only odog's own (`.checkpoint-<pid>-*.tmp`) and only those whose
    process is no longer running, so a save in progress in another process
    is left alone.

    Returns:
        The files removed.
    """
    removed = []
    for file in Path(folder).glob(f"{_TMP_PREFIX}*{_TMP_SUFFIX}"):
        pid = file.name[len(_TMP_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _running(int(pid)):
            continue
        file.unlink(missing_ok=True)
        removed.append(file)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # another user's process, or no way to tell: keep its file
        return True
    return True


def load(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """Reads a checkpoint written by `save`.

    Returns:
        A tuple `(arrays, meta)`; `meta` has at least the keys `variant`,
        `config`, `img_shape` and `iteration`.

    Raises:
        FileNotFoundError: no checkpoint at `path`.
        CheckpointError: the file is empty, truncated, not an odog checkpoint,
            or its header is damaged.

    Example:
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / FILENAME).write_bytes(b"")
    >>> load(d)
    Traceback (most recent call last):
    ...
    odog.checkpoint.CheckpointError: The checkpoint ... is empty (0 bytes): its save never wrote it. ...
    """
    target = checkpoint_file(path)
    if not target.is_file():
        raise FileNotFoundError(
            f"No odog checkpoint at {target}. Pass the folder given to `gan.save(...)` or to `train(..., out_dir=...)`."
        )
    size = target.stat().st_size
    if size == 0:
        raise CheckpointError(
            f"The checkpoint {target} is empty (0 bytes): its save never wrote it. "
            "Load an earlier copy of the run folder, or retrain."
        )
    with open(target, "rb") as f:
        magic = f.read(4)
    if magic != b"PK\x03\x04":  # every .npz is a zip archive
        raise CheckpointError(
            f"{target} is not an odog checkpoint: it is not an .npz (zip) archive (it starts with {magic!r}). "
            "Pass the checkpoint.npz that `gan.save()` wrote."
        )
    try:
        with np.load(target, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise CheckpointError(
            f"The checkpoint {target} is truncated or corrupt ({size} bytes; {type(error).__name__}: {error}). "
            "It was probably cut short by a full disk or an incomplete copy: load an earlier copy, or retrain."
        ) from error
    if _META_KEY not in arrays:
        raise CheckpointError(f"{target} is not an odog checkpoint: it has no odog header (`{_META_KEY}`).")
    return arrays, _read_header(arrays.pop(_META_KEY), target)


def _read_header(stored: np.ndarray, target: Path) -> dict:
    damaged = f"The checkpoint {target} has a damaged header"
    advice = "Load an earlier copy of the run folder, or retrain."
    if stored.dtype.kind != "U" or stored.shape != ():
        raise CheckpointError(f"{damaged}: expected a JSON string, found a {stored.dtype} array. {advice}")
    try:
        meta = json.loads(str(stored))
    except json.JSONDecodeError as error:
        raise CheckpointError(f"{damaged}: it is not valid JSON ({error}). {advice}") from error
    if not isinstance(meta, dict):
        raise CheckpointError(f"{damaged}: expected a JSON object, found {type(meta).__name__}. {advice}")
    for key, kind in _HEADER.items():
        if key not in meta:
            raise CheckpointError(f"{damaged}: it lacks `{key}`. {advice}")
        if not isinstance(meta[key], kind) or isinstance(meta[key], bool):
            raise CheckpointError(
                f"{damaged}: `{key}` should be a {kind.__name__}, found {type(meta[key]).__name__} "
                f"{meta[key]!r:.60}. {advice}"
            )
    shape = meta["img_shape"]
    if len(shape) != 3 or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in shape):
        raise CheckpointError(f"{damaged}: `img_shape` should be 3 positive integers, found {shape!r:.60}. {advice}")
    if meta["iteration"] < 0:
        raise CheckpointError(f"{damaged}: `iteration` is negative ({meta['iteration']}). {advice}")
    return meta


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
