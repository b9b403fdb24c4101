"""The IDX file format (LeCun's MNIST format) and the data errors shared by the loaders.

An IDX file is: two zero bytes, one dtype code byte, one byte `ndim`, then `ndim`
big-endian uint32 dimension sizes, then the values in C order (big-endian for
multi-byte types). MNIST images are `idx3` (N, 28, 28) uint8, labels `idx1` (N,) uint8.
Files may be gzip-compressed; we detect that from the gzip magic bytes, not the name.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

__all__ = ["DataUnavailable", "IdxError", "read_idx", "write_idx"]

# IDX dtype code -> big-endian numpy dtype (from the format description on LeCun's MNIST page).
_CODE_TO_DTYPE: dict[int, np.dtype] = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


class IdxError(ValueError):
    """A corrupt, truncated or inconsistent IDX file; the message names the file."""


class DataUnavailable(RuntimeError):
    """A data set is not on this machine (or cannot be fetched); the message says how to get it."""


MAX_IDX_BYTES = 1 << 30  # 1 GiB of values: full MNIST's training images are 47 MB


def _open(path: Path) -> BinaryIO:
    """The file as a binary stream, gunzipped on the fly when it starts with the gzip magic bytes."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def read_idx(path: str | Path, *, max_bytes: int = MAX_IDX_BYTES) -> np.ndarray:
    """Read an IDX file (plain or .gz) into a native-byte-order numpy array.

    The header is read first: a shape announcing more than ``max_bytes`` is refused before anything
    else is read, and never more than the announced bytes (+1) are decompressed, so a small gzip
    "bomb" cannot fill the memory. Raises `IdxError` naming the file when the header is invalid or
    the data is shorter/longer than the header announces (e.g. an interrupted download).
    """
    path = Path(path)
    try:
        with _open(path) as f:
            head = f.read(4)
            if len(head) < 4:
                raise IdxError(f"{path}: not an IDX file (only {len(head)} bytes, the header alone needs 4)")
            zero0, zero1, code, ndim = head
            if zero0 != 0 or zero1 != 0 or code not in _CODE_TO_DTYPE:
                raise IdxError(f"{path}: not an IDX file (bad magic number {head.hex()})")
            dims = f.read(4 * ndim)
            if len(dims) < 4 * ndim:
                raise IdxError(f"{path}: truncated IDX header ({4 + len(dims)} of {4 + 4 * ndim} bytes)")
            shape = struct.unpack(f">{ndim}I", dims)
            dtype = _CODE_TO_DTYPE[code]
            expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            if expected > max_bytes:
                raise IdxError(f"{path}: the header announces shape {shape} ({expected:,} bytes), more than the "
                               f"{max_bytes:,} bytes this reader accepts; is it really an MNIST-like file?")
            data = f.read(expected)
            if len(data) < expected:
                raise IdxError(
                    f"{path}: truncated IDX file: header announces shape {shape} ({expected:,} data bytes) "
                    f"but only {len(data):,} bytes follow; delete it and download it again")
            if f.read(1):
                raise IdxError(f"{path}: corrupt IDX file: unexpected bytes after shape {shape}")
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise IdxError(f"{path}: corrupt or truncated gzip data ({exc}); delete it and download it again") from exc
    array = np.frombuffer(data, dtype=dtype)
    # astype to native order copies, so the result is writeable and independent of `data`.
    return array.reshape(shape).astype(dtype.newbyteorder("="))


def write_idx(path: str | Path, array: np.ndarray) -> Path:
    """Write `array` as an IDX file; gzip-compressed when the name ends with `.gz`."""
    path = Path(path)
    array = np.asarray(array)
    for code, dtype in _CODE_TO_DTYPE.items():
        if array.dtype.kind == dtype.kind and array.dtype.itemsize == dtype.itemsize:
            break
    else:
        raise ValueError(f"IDX cannot store dtype {array.dtype}; use uint8, int8, int16, int32, float32 or float64")
    header = struct.pack(f">BBBB{array.ndim}I", 0, 0, code, array.ndim, *array.shape)
    payload = header + np.ascontiguousarray(array, dtype=dtype).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(payload, compresslevel=6) if path.name.endswith(".gz") else payload)
    return path
