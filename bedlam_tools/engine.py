"""Run independent tasks: in this process, on a local process pool, or on a Ray cluster.

Every engine runs the same task function on the same arguments under the same numeric setup (`numeric_setup`:
one thread for torch and the OpenMP/BLAS pools while the task runs), so a task's output does not depend on
where it ran; results are yielded as (task index, result) in completion order.
"""
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager

ENGINES = ("local", "ray")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@contextmanager
def numeric_setup():
    """One thread for every numeric library while a task runs (float sums then have one order everywhere);
    torch's setting is restored afterwards."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"  # for the libraries a task loads
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


def _worker_start():
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"


def run_tasks(fn, tasks: list[tuple], *, workers: int = 0, engine: str = "local", ray_address: str | None = None):
    """Yield (index, fn(*tasks[index])) for every task. workers=0: one per core."""
    workers = workers or os.cpu_count() or 1
    if engine == "ray":
        yield from _run_ray(fn, tasks, workers, ray_address)
    elif workers == 1 or len(tasks) <= 1:
        for i, args in enumerate(tasks):
            yield i, run_task(fn, args)
    else:
        context = multiprocessing.get_context("spawn")  # no fork after torch/OpenMP threads exist
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context,
                                 initializer=_worker_start) as pool:
            futures = {pool.submit(run_task, fn, args): i for i, args in enumerate(tasks)}
            for future in as_completed(futures):
                yield futures[future], future.result()


def _run_ray(fn, tasks, workers, address):
    import ray

    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    remote = ray.remote(num_cpus=1)(run_task)
    pending = {remote.remote(fn, args): i for i, args in enumerate(tasks)}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            yield pending.pop(ref), ray.get(ref)
