"""A person's picture in the synthetic world: a random camera around the posed body in a virtual 1280x720
frame, random lights, a floor and a procedural backdrop; the person box is cut and rendered at the crop size.

Only what the crop shows is computed: the body and the floor are rasterised at the crop size by one
`render.raster.MeshRaster` per process (buffers reused from crop to crop), the backdrop is made for the crop's
pixels only, and the outlines are softened instead of multisampled (`soften_edges`)."""
import math

import numpy as np

from ...render import VertexNormals
from ...render.raster import MeshRaster, intrinsics_projection

FRAME = (1280, 720)                      # virtual source image (width, height), pixels
FOCAL = (900.0, 1600.0)                  # pixels
PERSON_SHARE = (0.40, 0.85)              # person's largest extent / frame height
PITCH = (-10.0, 30.0)                    # degrees, positive looks down
BOX_SCALE = 1.1
MIN_CAMERA_HEIGHT = 0.25                 # metres above the floor
DEPTH_RANGE = (0.05, 200.0)              # metres
FLOOR = {"half_size": 15.0, "vertices_per_side": 48}   # metres; colours are drawn per vertex
GRAIN = 0.02                             # backdrop noise, standard deviation (colours in [0, 1])
EDGE_TENT = [(dy, dx, (2 - abs(dy)) * (2 - abs(dx))) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]  # weights sum to 16
GARMENTS = {
    # Anny bone-name prefix -> garment of the vertices it moves most (others are skin)
    "top": ("spine", "clavicle", "shoulder", "upperarm", "neck03", "breast", "pectoral"),
    "bottom": ("root", "pelvis", "upperleg", "lowerleg"),
    "shoes": ("foot", "toe"),
}


def _look_at(eye, target):
    """Camera-to-world (4, 4) of a camera at eye looking at target, y up (OpenGL: looks along -z)."""
    z = eye - target
    z = z / np.linalg.norm(z)
    x = np.cross([0.0, 1.0, 0.0], z)
    x = x / np.linalg.norm(x)
    pose = np.eye(4)
    pose[:3, :3] = np.stack([x, np.cross(z, x), z], 1)
    pose[:3, 3] = eye
    return pose


def bounds(points):
    """(minimum, maximum) over the rows of points (N, D): the same values as points.min(0), points.max(0), many
    times faster on a contiguous copy of the columns."""
    columns = np.ascontiguousarray(points.T)
    return columns.min(1), columns.max(1)


def person_box(uv, aspect):
    """Integer box (x0, y0, x1, y1) around projected points, scaled by BOX_SCALE, padded to height/width=aspect."""
    low, high = bounds(uv)
    centre, (w, h) = (low + high) / 2, (high - low) * BOX_SCALE
    w, h = max(w, h / aspect), max(h, w * aspect)
    x0, y0 = np.floor(centre - [w / 2, h / 2]).astype(int)
    return int(x0), int(y0), int(x0 + math.ceil(w)), int(y0 + math.ceil(h))


def background(rng, xs, ys):
    """Procedural backdrop (H, W, 3) uint8 at full-frame pixel coordinates: a vertical gradient, blobs and grain.
    Gradient and Gaussian blobs are separable: the smooth part is one product of column and row profiles."""
    top, bottom = _muted(rng, 2)
    t = np.clip(ys / FRAME[1], 0, 1)
    columns, rows = [1 - t, t], [np.broadcast_to(top, (len(xs), 3)), np.broadcast_to(bottom, (len(xs), 3))]
    for _ in range(rng.integers(2, 6)):
        cx, cy = rng.uniform(0, FRAME[0]), rng.uniform(0, FRAME[1])
        radius = rng.uniform(80, 500)
        columns.append(np.exp(-((ys - cy) / radius) ** 2))
        rows.append(np.exp(-((xs - cx) / radius) ** 2)[:, None] * rng.uniform(-0.3, 0.3, 3))
    smooth = np.einsum("hk,kw->hw", np.stack(columns, 1).astype(np.float32),  # no BLAS: one sum order anywhere
                       np.stack(rows).reshape(len(rows), -1).astype(np.float32))
    grain = rng.random(smooth.shape, dtype=np.float32) - np.float32(0.5)  # uniform, standard deviation GRAIN
    image = smooth + grain * np.float32(GRAIN * 12 ** 0.5)
    return (np.clip(image, 0, 1) * 255).astype(np.uint8).reshape(len(ys), len(xs), 3)


def soften_edges(image, labels):
    """The pixels where `labels` (H, W) changes (outlines of the body and the floor) replaced by a 3x3 tent
    average of their neighbourhood: the staircase of outlines drawn without multisampling, softened at a
    fraction of its cost."""
    inner = labels[1:-1, 1:-1]
    border = np.zeros(labels.shape, bool)
    border[1:-1, 1:-1] = ((inner != labels[:-2, 1:-1]) | (inner != labels[2:, 1:-1]) | (inner != labels[1:-1, :-2])
                          | (inner != labels[1:-1, 2:]))
    ys, xs = np.nonzero(border)
    total = np.zeros((len(ys), 3), np.uint16)
    for dy, dx, weight in EDGE_TENT:
        total += image[ys + dy, xs + dx].astype(np.uint16) * weight
    out = image.copy()
    out[ys, xs] = ((total + 8) >> 4).astype(np.uint8)
    return out


class SceneRenderer:
    """One Anny body model and one rasteriser (body and floor), reused for every crop of a process."""

    def __init__(self):
        from posescript_pipeline.body import create

        self.body = create("anny")
        self.faces = self.body.faces
        self.garment = self._garments()
        self.normals = VertexNormals(self.faces, len(self.garment))
        self.raster = MeshRaster({"body": self.faces, "floor": FLOOR_FACES})

    def _garments(self):
        """Per-vertex garment index: 0 skin, then GARMENTS in order."""
        labels = self.body.model.bone_labels
        weights = self.body.model.vertex_bone_weights.cpu().numpy()
        indices = self.body.model.vertex_bone_indices.cpu().numpy()
        bone = indices[np.arange(len(indices)), weights.argmax(1)]
        of_bone = np.array([next((k + 1 for k, prefixes in enumerate(GARMENTS.values())
                                  if name.startswith(prefixes)), 0) for name in labels])
        return of_bone[bone]

    def pose(self, rotvecs, betas):
        """Vertices (N, V, 3) of one subject (Anny phenotypes `betas`) on the floor (lowest vertex at y = 0)."""
        vertices = self.body.mesh(rotvecs, betas).vertices
        return vertices - [0.0, 1.0, 0.0] * vertices[..., 1:2].min(axis=1, keepdims=True)

    def camera(self, vertices, rng):
        """(camera-to-world (4, 4), focal, principal point) of a random camera that sees the whole person."""
        low, high = bounds(vertices)
        centre = (low + high) / 2
        focal = rng.uniform(*FOCAL)
        extent = float(np.max(high - low))
        distance = focal * extent / (rng.uniform(*PERSON_SHARE) * FRAME[1]) + extent / 2
        yaw = rng.uniform(0, 2 * np.pi)
        pitch = np.radians(rng.uniform(*PITCH))
        pitch = max(pitch, math.asin(np.clip((MIN_CAMERA_HEIGHT - centre[1]) / distance, -1, 1)))
        eye = centre + distance * np.array([math.sin(yaw) * math.cos(pitch), math.sin(pitch),
                                            math.cos(yaw) * math.cos(pitch)])
        pose = _look_at(eye, centre)
        principal = np.array(FRAME, float) / 2
        return pose, focal, principal

    @staticmethod
    def image_plane(points, pose, focal):
        """Projections (N, 2) of points, in pixels from the principal point (add it for image coordinates)."""
        local = (points - pose[:3, 3]) @ pose[:3, :3]
        depth = -local[:, 2]
        return np.stack([focal * local[:, 0] / depth, -focal * local[:, 1] / depth], 1)

    def render(self, vertices, rng, size, colours):
        """((H, W, 3) uint8 crop of `size` (height, width), box) of one posed body seen by a random camera.

        The body and the floor are rasterised at the crop size; the backdrop fills what neither covers (the
        camera is above the floor and the body on it, so the floor never hides the body)."""
        pose, focal, principal = self.camera(vertices, rng)
        low, high = bounds(self.image_plane(vertices, pose, focal))
        shift = (np.array(FRAME) - ((high + principal) - (low + principal))) / 2 * 0.8
        principal = principal + rng.uniform(-1, 1, 2) * np.maximum(shift, 0)  # the person off centre
        x0, y0, x1, y1 = person_box(np.stack([low, high]) + principal, size[0] / size[1])
        scale = size[1] / (x1 - x0)
        projection = intrinsics_projection(focal * scale, focal * scale, (principal[0] - x0) * scale,
                                           (principal[1] - y0) * scale, size[1], size[0], *DEPTH_RANGE)
        ambient = [rng.uniform(0.15, 0.45)] * 3
        body_colours = np.clip(colours * rng.uniform(0.9, 1.1), 0, 1)[self.garment]
        floor = self._floor(rng, vertices)
        key = np.array([math.cos(a := rng.uniform(0, 2 * np.pi)), rng.uniform(0.6, 2.5), math.sin(a)])
        key_radiance = rng.uniform(0.85, 1.0, 3) * rng.uniform(2.0, 4.5)
        lights = [(key, key_radiance), (pose[:3, 2], np.ones(3) * rng.uniform(0.5, 1.5))]  # key, fill from the camera
        rgba = self.raster.render(size, projection @ np.linalg.inv(pose), pose[:3, 3], ambient, lights,
                                  {"body": (vertices, self.normals(vertices), body_colours), "floor": floor})
        ys = y0 + (np.arange(size[0]) + 0.5) / scale
        xs = x0 + (np.arange(size[1]) + 0.5) / scale
        image = background(rng, xs, ys)
        np.copyto(image, rgba[..., :3], where=rgba[..., 3:] > 0)
        return soften_edges(image, rgba[..., 3]), (x0, y0, x1, y1)

    @staticmethod
    def _floor(rng, vertices):
        """(positions, normals, colours) of the floor square under the person, its colour mottled by smooth
        noise and optional tiles."""
        centre = np.array([vertices[:, 0].mean(), 0.0, vertices[:, 2].mean()])
        base = _muted(rng, 1)[0]
        tiles = rng.uniform(0, 0.25) * FLOOR_CHECKER
        colours = np.clip(base * (1 + rng.normal(0, 0.12, (len(FLOOR_GRID), 1))) + tiles, 0, 1)
        return FLOOR_GRID + centre, FLOOR_NORMALS, colours


def _floor_grid(half, n):
    """(vertices (n*n, 3), faces, checker (n*n, 1) of +-0.5 in 1 m squares) of a square grid at y = 0."""
    g = np.linspace(-half, half, n)
    gx, gz = np.meshgrid(g, g)
    vertices = np.stack([gx, np.zeros_like(gx), gz], -1).reshape(-1, 3)
    checker = ((np.floor(gx) + np.floor(gz)) % 2 - 0.5).reshape(-1, 1)
    quads = (np.arange(n - 1)[:, None] * n + np.arange(n - 1)[None]).reshape(-1)
    faces = np.concatenate([np.stack([quads, quads + n, quads + 1], 1),
                            np.stack([quads + 1, quads + n, quads + n + 1], 1)])
    return vertices, faces, checker


FLOOR_GRID, FLOOR_FACES, FLOOR_CHECKER = _floor_grid(FLOOR["half_size"], FLOOR["vertices_per_side"])
FLOOR_NORMALS = np.tile([0.0, 1.0, 0.0], (len(FLOOR_GRID), 1))


def _muted(rng, n):
    """n random colours (n, 3) of moderate saturation, as walls and floors tend to be."""
    grey = rng.uniform(0.15, 0.85, (n, 1))
    return np.clip(grey + rng.uniform(-0.25, 0.25, (n, 3)), 0, 1)
