"""Run independent shard tasks: in this process, on a local process pool, or on a Ray cluster.

Every engine runs the same task function on the same arguments, so outputs are identical; results
are yielded as (task index, result) in completion order.
"""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed

ENGINES = ("local", "ray")


def _one_thread_per_worker():
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass


def run_tasks(fn, tasks: list[tuple], *, workers: int = 0, engine: str = "local", ray_address: str | None = None):
    """Yield (index, fn(*tasks[index])) for every task. workers=0: one per core."""
    workers = workers or os.cpu_count() or 1
    if engine == "ray":
        yield from _run_ray(fn, tasks, workers, ray_address)
    elif workers == 1 or len(tasks) <= 1:
        for i, args in enumerate(tasks):
            yield i, fn(*args)
    else:
        context = multiprocessing.get_context("spawn")  # no fork after torch/OpenMP threads exist
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context,
                                 initializer=_one_thread_per_worker) as pool:
            futures = {pool.submit(fn, *args): i for i, args in enumerate(tasks)}
            for future in as_completed(futures):
                yield futures[future], future.result()


def _run_ray(fn, tasks, workers, address):
    import ray

    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    remote = ray.remote(num_cpus=1)(fn)
    pending = {remote.remote(*args): i for i, args in enumerate(tasks)}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            yield pending.pop(ref), ray.get(ref)
