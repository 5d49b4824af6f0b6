"""Counter-based randomness: every random draw is a pure function of (run seed, pose key,
caption index, stream, position), so results never depend on batch layout or worker count."""
import hashlib
import random

import numpy as np

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 arrays (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def pose_key(pose_id) -> int:
    """A stable 63-bit key for a pose id (int or str)."""
    if isinstance(pose_id, (int, np.integer)):
        return int(pose_id) & 0x7FFFFFFFFFFFFFFF
    digest = hashlib.blake2b(str(pose_id).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def uniform(seed: int, keys: np.ndarray, caption: int, stream: int, width: int) -> np.ndarray:
    """(N, width) floats in [0, 1), one row per pose key."""
    with np.errstate(over="ignore"):
        base = _mix(np.asarray(keys, np.uint64) ^ _mix(np.uint64(seed) * _GOLDEN + np.uint64(caption * 1013 + stream)))
        x = _mix(base[:, None] + np.arange(1, width + 1, dtype=np.uint64)[None] * _GOLDEN)
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def caption_rng(seed: int, key: int, caption: int) -> random.Random:
    """The generator for the text choices of one caption."""
    return random.Random((int(seed) << 72) ^ (int(key) << 8) ^ int(caption))
