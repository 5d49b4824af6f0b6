"""Native libraries that print straight to the process's stderr (file descriptor 2) while they start (warp's
"no CUDA driver", LiteRT's "Created TensorFlow Lite XNNPACK delegate"): silenced there, so a command's
stderr holds only its own lines. Python errors are raised as usual."""
import os
import sys
from contextlib import contextmanager


@contextmanager
def silenced_stderr():
    """File descriptor 2 points to /dev/null inside the block."""
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
