"""What the benchmarks share: seeded standing-like poses, and timing a call with its traced peak memory."""
import time
import tracemalloc

import numpy as np


def standing_rotations(n: int, seed: int = 0) -> np.ndarray:
    """(n, 52, 3) seeded random SMPL-H rotations around a standing pose (arms down from the T-pose)."""
    rng = np.random.default_rng(seed)
    rot = rng.normal(0, 0.35, (n, 52, 3)).astype(np.float32)
    rot[:, 0] = 0
    rot[:, 16, 2] -= 1.2
    rot[:, 17, 2] += 1.2
    return rot


def timed(call, warm_up):
    """(result, seconds, traced peak MiB): warm_up() once, call() timed, then call() again traced (tracing
    slows it, so that run is not timed)."""
    warm_up()
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


__all__ = ["standing_rotations", "timed"]
