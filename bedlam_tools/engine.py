"""Run independent tasks: in this process, on a local process pool, or on a Ray cluster.

Every engine runs the same task function on the same arguments under the same numeric setup (`numeric_setup`:
one thread for torch and the OpenMP/BLAS pools while the task runs, and Mesa's llvmpipe rasterising in the
task's own thread), so a task's output does not depend on where it ran, and a pool of one worker per core
runs one thread per core; results are yielded as (task index, result) in completion order.
"""
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager

ENGINES = ("local", "ray")
THREAD_VARIABLES = {
    # variable -> value for every task (read by a library when it starts in the process)
    "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
    "LP_NUM_THREADS": "0",  # llvmpipe (software OpenGL): no rasteriser threads, the drawing thread rasterises
}


@contextmanager
def numeric_setup():
    """One thread for every numeric library while a task runs (float sums then have one order everywhere);
    torch's setting is restored afterwards."""
    os.environ.update(THREAD_VARIABLES)  # for the libraries a task loads
    torch = sys.modules.get("torch")
    if torch is None:
        try:
            import torch
        except ImportError:
            torch = None
    before = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if torch is not None:
            torch.set_num_threads(before)


def run_task(fn, args):
    """fn(*args) under the numeric setup (the unit every engine runs)."""
    with numeric_setup():
        return fn(*args)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A local pool of `workers` fresh processes (spawned: no fork after torch/OpenMP threads exist).

    The thread variables are put in this process's environment, which the workers inherit: a spawned worker
    imports the main module (and with it numpy, OpenBLAS, torch) before an initializer could set them."""
    os.environ.update(THREAD_VARIABLES)
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def run_tasks(fn, tasks: list[tuple], *, workers: int = 0, engine: str = "local", ray_address: str | None = None):
    """Yield (index, fn(*tasks[index])) for every task. workers=0: one per core."""
    workers = workers or os.cpu_count() or 1
    if engine == "ray":
        yield from _run_ray(fn, tasks, workers, ray_address)
    elif workers == 1 or len(tasks) <= 1:
        for i, args in enumerate(tasks):
            yield i, run_task(fn, args)
    else:
        with process_pool(min(workers, len(tasks))) as pool:
            futures = {pool.submit(run_task, fn, args): i for i, args in enumerate(tasks)}
            for future in as_completed(futures):
                yield futures[future], future.result()


def _run_ray(fn, tasks, workers, address):
    import ray

    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False, runtime_env={"env_vars": THREAD_VARIABLES})
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                     runtime_env={"env_vars": THREAD_VARIABLES})
    remote = ray.remote(num_cpus=1)(run_task)
    pending = {remote.remote(fn, args): i for i, args in enumerate(tasks)}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            yield pending.pop(ref), ray.get(ref)
