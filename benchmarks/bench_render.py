"""Offscreen body renders per second at 224x224 (`bedlam_tools.render.BodyRenderer`), single process.

Every frame is a new pose, so the mesh swap (normals, upload) is included. The Anny posing cost per pose
(batch 64) is reported separately, then the two together. Also: the OpenGL platform used and the time to the
first picture (renderer start-up + first render). Target: >= 12 renders/s.

    python benchmarks/bench_render.py [--n 128] [--size 224]
"""
import argparse
import time

import numpy as np

from workload import standing_rotations

from bedlam_tools.render import BodyRenderer
from posescript_pipeline.body import create

TARGET = 12.0
BATCH = 64


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=128, help="poses (a multiple of 64)")
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()
    body = create("anny")
    rot = standing_rotations(args.n)
    body.mesh(rot[:BATCH])  # warm-up
    start = time.perf_counter()
    meshes = [body.mesh(rot[i:i + BATCH]) for i in range(0, args.n, BATCH)]
    posing = (time.perf_counter() - start) / args.n
    vertices = np.concatenate([m.vertices for m in meshes])
    faces = meshes[0].faces

    start = time.perf_counter()
    renderer = BodyRenderer(args.size, args.size)
    renderer.render(vertices[0], faces)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for v in vertices:
        renderer.render(v, faces)
    rendering = (time.perf_counter() - start) / args.n

    print(f"platform {renderer.platform}, {args.size}x{args.size}, {args.n} poses, {len(faces):,} triangles")
    print(f"first picture (start-up + render)  {first:6.2f} s")
    print(f"render, new pose each frame        {1 / rendering:6.1f} renders/s  {1000 * rendering:6.1f} ms/render"
          f"  (target >= {TARGET:.0f}/s: {'met' if 1 / rendering >= TARGET else 'NOT met'})")
    print(f"Anny posing, batch {BATCH}              {1 / posing:6.1f} poses/s    {1000 * posing:6.1f} ms/pose")
    print(f"posing + rendering                 {1 / (posing + rendering):6.1f} poses/s")


if __name__ == "__main__":
    main()
