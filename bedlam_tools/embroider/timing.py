"""Wall-clock and process CPU seconds of named stages (CPU time shows how much a busy machine slowed a run)."""
import time
from contextlib import contextmanager


class Stopwatch:
    def __init__(self):
        self.wall, self.cpu = {}, {}

    @contextmanager
    def stage(self, name: str):
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
        self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu

    def record(self) -> dict:
        return {"seconds": self.wall, "cpu_seconds": self.cpu}
