"""Pictures of posed body meshes from fixed views, the camera framed on each mesh (pyrender, offscreen)."""
import math

import numpy as np

from .gl import gl_platform, load_pyrender, offscreen

VIEWS = {
    # view -> (direction from the body to the camera, image up), SMPL axes: y up, the body faces +z, +x its left
    "front": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),   # the body's left on the image's right
    "side": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),    # seen from its left, facing the image's left
    "back": ((0.0, 0.0, -1.0), (0.0, 1.0, 0.0)),   # the body's left on the image's left
    "top": ((0.0, 1.0, 0.0), (0.0, 0.0, -1.0)),    # from above, front towards the bottom, left on the right
}
YFOV = math.radians(30.0)
MARGIN = 1.06
"""The body's extent is fitted into the field of view shrunk by this factor."""
BODY_COLOUR = (0.60, 0.65, 0.76, 1.0)
LIGHTS = (
    # (direction the light comes from, in camera axes: x right, y up, z towards the viewer; intensity)
    ((-0.5, 0.6, 1.0), 2.2),   # key, upper left
    ((0.7, 0.1, 0.8), 0.8),    # fill, right
    ((0.0, 0.8, -1.0), 0.8),   # rim, from behind
)
AMBIENT = 0.25


class VertexNormals:
    """Area-weighted unit vertex normals (V, 3) float32 of meshes of one topology (faces (F, 3)); the sums of
    face normals at the vertices are one product with a sparse vertex-face matrix built once."""

    def __init__(self, faces, n_vertices=None):
        from scipy.sparse import csr_matrix

        faces = np.asarray(faces)
        n_vertices = int(faces.max()) + 1 if n_vertices is None else int(n_vertices)
        self.corners = [np.ascontiguousarray(faces[:, k]) for k in range(3)]
        self.incidence = csr_matrix((np.ones(faces.size, np.float32),
                                     (faces.reshape(-1), np.repeat(np.arange(len(faces)), 3))),
                                    shape=(n_vertices, len(faces)))

    def __call__(self, vertices):
        v = np.asarray(vertices, dtype=np.float32)
        a, b, c = (v.take(corner, axis=0) for corner in self.corners)  # take: much faster than v[faces]
        normals = self.incidence @ np.cross(b - a, c - a)
        lengths = np.sqrt(np.einsum("ij,ij->i", normals, normals))[:, None]
        return (normals / np.maximum(lengths, 1e-12)).astype(np.float32)


def vertex_normals(vertices, faces):
    """Area-weighted unit vertex normals (V, 3) float32 of one mesh."""
    return VertexNormals(faces, len(vertices))(vertices)


def _look_rotation(direction, up):
    """Camera-to-world rotation (3, 3): columns x right, y up, z towards the viewer (`direction`)."""
    z = np.asarray(direction, dtype=np.float64)
    z = z / np.linalg.norm(z)
    x = np.cross(up, z)
    x = x / np.linalg.norm(x)
    return np.stack([x, np.cross(z, x), z], axis=1)


def frame_camera(vertices, view, aspect=1.0, yfov=YFOV):
    """(camera-to-world pose (4, 4), znear, zfar) of a perspective camera that fits all the vertices in view."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose from {', '.join(VIEWS)}")
    rotation = _look_rotation(*VIEWS[view])
    local = np.asarray(vertices, dtype=np.float64) @ rotation  # camera axes, origin at the world origin
    low, high = local.min(axis=0), local.max(axis=0)
    centre = (low + high) / 2
    x, y, z = (local - centre).T
    tan_y = math.tan(yfov / 2) / MARGIN
    # a vertex at depth (d - z) is inside the frustum when |x| <= tan_x (d - z) and |y| <= tan_y (d - z)
    distance = max(float(np.max(np.abs(x) / (tan_y * aspect) + z)), float(np.max(np.abs(y) / tan_y + z)))
    pose = np.eye(4)
    pose[:3, :3] = rotation
    pose[:3, 3] = rotation @ (centre + [0.0, 0.0, distance])
    depth = high[2] - low[2]
    return pose, max(distance - depth / 2 - 0.1, 0.01), distance + depth / 2 + 0.1


def _rgba(colours, n_vertices):
    """Per-vertex colours (V, 3|4), floats in [0, 1] or uint8 -> (V, 4) float32."""
    c = np.asarray(colours)
    if c.ndim != 2 or c.shape[0] != n_vertices or c.shape[1] not in (3, 4):
        raise ValueError(f"vertex colours have shape {c.shape}; expected ({n_vertices}, 3|4)")
    c = c.astype(np.float32) / (255.0 if c.dtype == np.uint8 else 1.0)
    return np.concatenate([c, np.ones((n_vertices, 1), np.float32)], axis=1) if c.shape[1] == 3 else c


class BodyRenderer:
    """Pictures of body meshes from fixed views; one scene reused for every pose, the mesh swapped per pose.

    vertices are in SMPL axes (y up, the body faces +z, +x is its left); the camera is framed on each mesh
    so the whole body fills the picture, whatever the pose. background: RGB floats in [0, 1].
    """

    def __init__(self, width=224, height=224, background=(1.0, 1.0, 1.0)):
        self.width, self.height = int(width), int(height)
        self.platform = gl_platform()
        pr = self._pr = load_pyrender()
        self._scene = pr.Scene(bg_color=[float(c) for c in background[:3]] + [1.0], ambient_light=[AMBIENT] * 3)
        self._camera = pr.PerspectiveCamera(yfov=YFOV, aspectRatio=self.width / self.height)
        self._camera_node = self._scene.add(self._camera)
        self._lights = [(self._scene.add(pr.DirectionalLight(color=np.ones(3), intensity=intensity)),
                         _look_rotation(direction, (0.0, 1.0, 0.0) if abs(direction[1]) < 0.9 else (0.0, 0.0, 1.0)))
                        for direction, intensity in LIGHTS]
        self._plain = pr.MetallicRoughnessMaterial(baseColorFactor=BODY_COLOUR, metallicFactor=0.0,
                                                   roughnessFactor=0.9)
        self._tinted = pr.MetallicRoughnessMaterial(baseColorFactor=(1.0, 1.0, 1.0, 1.0), metallicFactor=0.0,
                                                    roughnessFactor=0.9)
        self._mesh_node = None

    def set_mesh(self, vertices, faces, colours=None):
        """Replace the body in the scene. colours: optional per-vertex (V, 3|4) floats in [0, 1] or uint8."""
        vertices = np.asarray(vertices, dtype=np.float32)
        faces = np.asarray(faces)
        if vertices.ndim != 2 or vertices.shape[1] != 3:
            raise ValueError(f"vertices have shape {vertices.shape}; expected (V, 3)")
        primitive = self._pr.Primitive(
            positions=vertices, normals=vertex_normals(vertices, faces), indices=faces.astype(np.uint32),
            color_0=None if colours is None else _rgba(colours, len(vertices)),
            material=self._plain if colours is None else self._tinted)
        if self._mesh_node is not None:
            self._scene.remove_node(self._mesh_node)
        self._mesh_node = self._scene.add(self._pr.Mesh([primitive]))
        self._vertices = vertices

    def render_current(self, view="front"):
        """(H, W, 3) uint8 picture of the current mesh from `view`."""
        if self._mesh_node is None:
            raise RuntimeError("no body to render yet: call set_mesh first")
        pose, znear, zfar = frame_camera(self._vertices, view, self.width / self.height)
        self._camera.znear, self._camera.zfar = znear, zfar
        self._scene.set_pose(self._camera_node, pose)
        for node, light_rotation in self._lights:
            light_pose = np.eye(4)
            light_pose[:3, :3] = pose[:3, :3] @ light_rotation  # lights are fixed relative to the camera
            self._scene.set_pose(node, light_pose)
        colour, _ = offscreen(self.width, self.height).render(self._scene)
        return np.ascontiguousarray(colour[..., :3])

    def render(self, vertices, faces, view="front", colours=None):
        """(H, W, 3) uint8 picture of one mesh (V, 3) from `view` (front, side, back or top)."""
        self.set_mesh(vertices, faces, colours)
        return self.render_current(view)

    def render_views(self, vertices, faces, views=("front",), colours=None):
        """(H, W * len(views), 3) uint8: the views of one mesh side by side."""
        self.set_mesh(vertices, faces, colours)
        return np.concatenate([self.render_current(view) for view in views], axis=1)
