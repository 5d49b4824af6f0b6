"""The engine's thread settings: a pool's workers start with them, before any library reads them."""
import os
from pathlib import Path

import pytest

from bedlam_tools.engine import THREAD_VARIABLES, run_tasks


def starting_environment(_):
    """The environment this process was started with (/proc keeps it; later os.environ changes do not show)."""
    entries = Path("/proc/self/environ").read_bytes().split(b"\0")
    return dict(e.decode().split("=", 1) for e in entries if b"=" in e)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_pool_workers_start_with_one_thread_per_library(monkeypatch):
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    found = [env for _, env in run_tasks(starting_environment, [(0,), (1,)], workers=2)]
    assert len(found) == 2
    for env in found:
        assert {name: env.get(name) for name in THREAD_VARIABLES} == THREAD_VARIABLES
    assert os.environ["LP_NUM_THREADS"] == "0"  # llvmpipe draws in the task's thread, no rasteriser threads
