"""Milliseconds per pose of self-contact detection on the Anny mesh.

~200 poses: seeded random SMPL-H rotations (sigma 0.4 rad) around a standing pose, plus the crafted contact
poses. Reports detection alone (the meshes posed beforehand) and detection with Anny mesh posing in batches
of 64 (`detect_contacts`), the number of poses with a contact, and peak memory (tracemalloc peak of a
detection run, process max RSS).

    python benchmarks/bench_contact.py [--n 200]
"""
import argparse
import resource
import time
import tracemalloc

import numpy as np

from posescript_pipeline.body import create
from posescript_pipeline.contact import detect_contacts, detector
from posescript_pipeline.crafted_poses import CRAFTED_POSES, crafted_rotvecs

CONTACT_POSES = ("right_hand_on_left_shoulder", "palms_together", "right_hand_on_head", "sitting_hands_on_thighs",
                 "hands_together_front", "squat")


def poses(n, seed=0):
    rng = np.random.default_rng(seed)
    crafted = np.concatenate([crafted_rotvecs(name) for name in CONTACT_POSES])
    rot = rng.normal(0, 0.4, (n - len(crafted), 52, 3)).astype(np.float32)
    rot[:, 0] = 0
    rot += crafted_rotvecs("standing")
    return np.concatenate([rot, crafted])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    assert set(CONTACT_POSES) <= set(CRAFTED_POSES)
    rot = poses(args.n)

    start = time.perf_counter()
    body = create("anny")
    found_by = detector(body)
    print(f"body model + detector setup: {time.perf_counter() - start:.1f} s "
          f"({len(found_by.sample_labels)} surface samples, {len(found_by.parts)} parts)")
    detect_contacts(rot[:64], body)  # warm-up: skinning kernel, first allocations

    start = time.perf_counter()
    vertices = np.concatenate([body.mesh(rot[i:i + 64]).vertices for i in range(0, len(rot), 64)])
    posing = time.perf_counter() - start
    start = time.perf_counter()
    found = found_by.detect(vertices)
    detecting = time.perf_counter() - start
    start = time.perf_counter()
    detect_contacts(rot, body, batch_size=64)
    total = time.perf_counter() - start

    tracemalloc.start()
    found_by.detect(vertices[:64])
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    n = len(rot)
    print(f"{n} poses, {sum(map(bool, found))} with a contact")
    print(f"detection only (meshes posed beforehand)   {1000 * detecting / n:7.2f} ms/pose")
    print(f"Anny posing only (batch 64)                {1000 * posing / n:7.2f} ms/pose")
    print(f"detect_contacts (posing + detection)    {1000 * total / n:7.2f} ms/pose")
    print(f"tracemalloc peak, detection of 64 poses: {peak:.0f} MiB; "
          f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
