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


def _read_bytes(path: Path) -> bytes:
    """Whole file content, gunzipped when it starts with the gzip magic bytes."""
    raw = path.read_bytes()
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise IdxError(f"{path}: corrupt or truncated gzip data ({exc}); delete it and download it again") from exc


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (plain or .gz) into a native-byte-order numpy array.

    Raises `IdxError` naming the file when the header is invalid or the data is
    shorter/longer than the header announces (e.g. an interrupted download).
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise IdxError(f"{path}: not an IDX file (only {len(data)} bytes, the header alone needs 4)")
    zero0, zero1, code, ndim = data[0], data[1], data[2], data[3]
    if zero0 != 0 or zero1 != 0 or code not in _CODE_TO_DTYPE:
        raise IdxError(f"{path}: not an IDX file (bad magic number {data[:4].hex()})")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IdxError(f"{path}: truncated IDX header ({len(data)} of {header_len} bytes)")
    shape = struct.unpack(f">{ndim}I", data[4:header_len])
    dtype = _CODE_TO_DTYPE[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(data) - header_len
    if found < expected:
        raise IdxError(
            f"{path}: truncated IDX file: header announces shape {shape} ({expected:,} data bytes) "
            f"but only {found:,} bytes follow; delete it and download it again"
        )
    if found > expected:
        raise IdxError(f"{path}: corrupt IDX file: {found - expected:,} unexpected bytes after shape {shape}")
    array = np.frombuffer(data, dtype=dtype, count=expected // dtype.itemsize, offset=header_len)
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
