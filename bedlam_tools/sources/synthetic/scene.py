"""A person's picture in the synthetic world: a random camera around the posed body in a virtual 1280x720
frame, random lights, a floor and a procedural backdrop; the person box is cut and rendered at the crop size."""
import math

import numpy as np

from ...render import load_pyrender, offscreen, vertex_normals

FRAME = (1280, 720)                      # virtual source image (width, height), pixels
FOCAL = (900.0, 1600.0)                  # pixels
PERSON_SHARE = (0.40, 0.85)              # person's largest extent / frame height
PITCH = (-10.0, 30.0)                    # degrees, positive looks down
BOX_SCALE = 1.1
MIN_CAMERA_HEIGHT = 0.25                 # metres above the floor
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


def person_box(uv, aspect):
    """Integer box (x0, y0, x1, y1) around projected points, scaled by BOX_SCALE, padded to height/width=aspect."""
    low, high = uv.min(0), uv.max(0)
    centre, (w, h) = (low + high) / 2, (high - low) * BOX_SCALE
    w, h = max(w, h / aspect), max(h, w * aspect)
    x0, y0 = np.floor(centre - [w / 2, h / 2]).astype(int)
    return int(x0), int(y0), int(x0 + math.ceil(w)), int(y0 + math.ceil(h))


def background(rng, xs, ys):
    """Procedural backdrop (H, W, 3) at full-frame pixel coordinates: a vertical gradient, blobs and grain."""
    top, bottom = _muted(rng, 2)
    t = np.clip(ys[:, None] / FRAME[1], 0, 1)[..., None]
    image = top * (1 - t) + bottom * t + np.zeros((1, len(xs), 1))
    for _ in range(rng.integers(2, 6)):
        cx, cy = rng.uniform(0, FRAME[0]), rng.uniform(0, FRAME[1])
        radius = rng.uniform(80, 500)
        d2 = ((xs[None] - cx) ** 2 + (ys[:, None] - cy) ** 2) / radius**2
        image += np.exp(-d2)[..., None] * rng.uniform(-0.3, 0.3, 3)
    image += rng.normal(0, 0.02, image.shape)
    return np.clip(image, 0, 1)


class SceneRenderer:
    """One Anny body model, reused for every crop of a process (with the process's one offscreen context)."""

    def __init__(self):
        from posescript_pipeline.body import create

        self.pr = load_pyrender()
        self.body = create("anny")
        self.faces = self.body.faces
        self.garment = self._garments()

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
        low, high = vertices.min(0), vertices.max(0)
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
    def project(points, pose, focal, principal):
        local = (points - pose[:3, 3]) @ pose[:3, :3]
        depth = -local[:, 2]
        return np.stack([focal * local[:, 0] / depth, -focal * local[:, 1] / depth], 1) + principal

    def render(self, vertices, rng, size, colours):
        """(PIL image of `size` (height, width), box) of one posed body seen by a random camera."""
        from PIL import Image

        pr = self.pr
        pose, focal, principal = self.camera(vertices, rng)
        uv = self.project(vertices, pose, focal, principal)
        shift = (np.array(FRAME) - (uv.max(0) - uv.min(0))) / 2 * 0.8
        principal = principal + rng.uniform(-1, 1, 2) * np.maximum(shift, 0)  # the person off centre
        uv = self.project(vertices, pose, focal, principal)
        x0, y0, x1, y1 = person_box(uv, size[0] / size[1])
        scale = size[1] / (x1 - x0)
        camera = pr.IntrinsicsCamera(focal * scale, focal * scale, (principal[0] - x0) * scale,
                                     (principal[1] - y0) * scale, znear=0.05, zfar=200.0)
        scene = pr.Scene(bg_color=[0.0, 0.0, 0.0, 0.0], ambient_light=[rng.uniform(0.15, 0.45)] * 3)
        body_colours = colours[self.garment] * rng.uniform(0.9, 1.1)
        scene.add(pr.Mesh([pr.Primitive(positions=vertices, normals=vertex_normals(vertices, self.faces),
                                        indices=self.faces.astype(np.uint32),
                                        color_0=np.concatenate([np.clip(body_colours, 0, 1),
                                                                np.ones((len(vertices), 1), np.float32)], 1),
                                        material=_matte())]))
        scene.add(self._floor(rng, vertices))
        scene.add(camera, pose=pose)
        key = _look_at(np.array([math.cos(a := rng.uniform(0, 2 * np.pi)), rng.uniform(0.6, 2.5), math.sin(a)]),
                       np.zeros(3))
        scene.add(pr.DirectionalLight(color=rng.uniform(0.85, 1.0, 3), intensity=rng.uniform(2.0, 4.5)), pose=key)
        scene.add(pr.DirectionalLight(color=np.ones(3), intensity=rng.uniform(0.5, 1.5)), pose=pose)
        rgba, _ = offscreen(size[1], size[0]).render(scene, flags=pr.RenderFlags.RGBA)
        ys = y0 + (np.arange(size[0]) + 0.5) / scale
        xs = x0 + (np.arange(size[1]) + 0.5) / scale
        alpha = rgba[..., 3:] / 255.0
        image = rgba[..., :3] / 255.0 * alpha + background(rng, xs, ys) * (1 - alpha)
        return Image.fromarray((image * 255).astype(np.uint8)), (x0, y0, x1, y1)

    def _floor(self, rng, vertices, half=15.0, n=48):
        """A large floor square under the person, its colour mottled by smooth noise and optional tiles."""
        pr = self.pr
        g = np.linspace(-half, half, n)
        gx, gz = np.meshgrid(g, g)
        positions = np.stack([gx, np.zeros_like(gx), gz], -1).reshape(-1, 3) + [vertices[:, 0].mean(), 0,
                                                                             vertices[:, 2].mean()]
        base = _muted(rng, 1)[0]
        tiles = rng.uniform(0, 0.25) * ((np.floor(gx / 1.0) + np.floor(gz / 1.0)) % 2 - 0.5).reshape(-1, 1)
        colours = np.clip(base * (1 + rng.normal(0, 0.12, (len(positions), 1))) + tiles, 0, 1)
        quads = (np.arange(n - 1)[:, None] * n + np.arange(n - 1)[None]).reshape(-1)
        faces = np.concatenate([np.stack([quads, quads + n, quads + 1], 1),
                                np.stack([quads + 1, quads + n, quads + n + 1], 1)])
        return pr.Mesh([pr.Primitive(positions=positions.astype(np.float32),
                                     normals=np.tile([0.0, 1.0, 0.0], (len(positions), 1)).astype(np.float32),
                                     indices=faces.astype(np.uint32),
                                     color_0=np.hstack([colours, np.ones((len(colours), 1))]).astype(np.float32),
                                     material=_matte())])


def _muted(rng, n):
    """n random colours (n, 3) of moderate saturation, as walls and floors tend to be."""
    grey = rng.uniform(0.15, 0.85, (n, 1))
    return np.clip(grey + rng.uniform(-0.25, 0.25, (n, 3)), 0, 1)


def _matte():
    return load_pyrender().MetallicRoughnessMaterial(baseColorFactor=(1.0, 1.0, 1.0, 1.0), metallicFactor=0.0,
                                                     roughnessFactor=0.9)
