"""Offscreen pictures of posed bodies (pyrender) and captioned contact sheets (Pillow).

OpenGL platform: chosen once per process, before PyOpenGL is imported, by `gl_platform()`. A
`PYOPENGL_PLATFORM` already set is honoured as is. Otherwise EGL is used if a ctypes probe of libEGL can
initialise a display and create the OpenGL 4.1 core context pyrender asks for (Mesa's llvmpipe needs no
GPU); if not, OSMesa is used when libOSMesa loads and PyOpenGL is >= 3.1.4 (older PyOpenGL lacks
`OSMesaCreateContextAttribs`). The choice is written to `PYOPENGL_PLATFORM`.
Importing this module needs neither OpenGL nor pyrender: `contact_sheet` works without them.
"""
import ctypes
import ctypes.util
import math
import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from posescript_pipeline.errors import UserError

GL_PACKAGES = "libegl1 libegl-mesa0 libgl1-mesa-dri libgl1"
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


class RenderError(UserError):
    """No working OpenGL platform, or the renderer could not start."""


# ---------------------------------------------------------------- OpenGL platform

EGL_ATTRIBUTES = {  # EGL constants of the probe (Khronos egl.h / eglext.h)
    "SURFACE_TYPE": 0x3033, "PBUFFER_BIT": 0x0001, "RENDERABLE_TYPE": 0x3040, "OPENGL_BIT": 0x0008,
    "DEPTH_SIZE": 0x3025, "NONE": 0x3038, "OPENGL_API": 0x30A2, "PLATFORM_DEVICE": 0x313F,
    "CONTEXT_MAJOR_VERSION": 0x3098, "CONTEXT_MINOR_VERSION": 0x30FB, "CONTEXT_PROFILE_MASK": 0x30FD,
    "CORE_PROFILE_BIT": 0x0001,
}


def _egl_problem():
    """None if EGL can create the context pyrender needs (same display choice as pyrender), else why not."""
    try:
        egl = ctypes.CDLL(ctypes.util.find_library("EGL") or "libEGL.so.1")
    except OSError as err:
        return f"libEGL not found ({err})"
    k = EGL_ATTRIBUTES
    vp = ctypes.c_void_p
    egl.eglGetProcAddress.restype = vp
    egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]
    egl.eglGetDisplay.restype = vp
    egl.eglGetDisplay.argtypes = [vp]
    egl.eglInitialize.argtypes = [vp, vp, vp]
    egl.eglChooseConfig.argtypes = [vp, vp, vp, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    egl.eglCreateContext.restype = vp
    egl.eglCreateContext.argtypes = [vp, vp, vp, vp]
    egl.eglDestroyContext.argtypes = [vp, vp]
    egl.eglTerminate.argtypes = [vp]
    query = egl.eglGetProcAddress(b"eglQueryDevicesEXT")
    if query:  # pyrender renders on the first EGL device when devices can be listed
        devices, count = (vp * 1)(), ctypes.c_int(0)
        ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.c_int, vp, ctypes.POINTER(ctypes.c_int))(query)(
            1, ctypes.cast(devices, vp), ctypes.byref(count))
        if count.value < 1:
            return "no EGL device"
        get_display = ctypes.CFUNCTYPE(vp, ctypes.c_uint, vp, vp)(egl.eglGetProcAddress(b"eglGetPlatformDisplayEXT"))
        display = get_display(k["PLATFORM_DEVICE"], devices[0], None)
    else:
        display = egl.eglGetDisplay(None)
    if not display or not egl.eglInitialize(display, None, None):
        return "no EGL display could be initialised"
    try:
        config_attributes = (ctypes.c_int * 7)(k["SURFACE_TYPE"], k["PBUFFER_BIT"], k["RENDERABLE_TYPE"],
                                               k["OPENGL_BIT"], k["DEPTH_SIZE"], 24, k["NONE"])
        config, n_configs = vp(), ctypes.c_int(0)
        if not egl.eglChooseConfig(display, config_attributes, ctypes.byref(config), 1, ctypes.byref(n_configs)) \
                or n_configs.value < 1:
            return "no EGL configuration with OpenGL and a depth buffer"
        if not egl.eglBindAPI(k["OPENGL_API"]):
            return "EGL cannot bind the OpenGL API"
        context_attributes = (ctypes.c_int * 7)(k["CONTEXT_MAJOR_VERSION"], 4, k["CONTEXT_MINOR_VERSION"], 1,
                                                k["CONTEXT_PROFILE_MASK"], k["CORE_PROFILE_BIT"], k["NONE"])
        context = egl.eglCreateContext(display, config, None, context_attributes)
        if not context:
            return "EGL cannot create an OpenGL 4.1 core context"
        egl.eglDestroyContext(display, context)
        return None
    finally:
        egl.eglTerminate(display)


def _osmesa_problem():
    """None if OSMesa can be used by pyrender, else why not."""
    try:
        ctypes.CDLL(ctypes.util.find_library("OSMesa") or "libOSMesa.so.8")
    except OSError:
        return "libOSMesa not found"
    try:
        pyopengl = version("PyOpenGL")
    except PackageNotFoundError:
        return "PyOpenGL is not installed"
    if tuple(int(p) for p in pyopengl.split(".")[:3] if p.isdigit()) < (3, 1, 4):
        return f"OSMesa needs PyOpenGL >= 3.1.4, found {pyopengl}"
    return None


@cache
def gl_platform():
    """The OpenGL platform for pyrender ("egl", "osmesa" or the user's PYOPENGL_PLATFORM), set in the environment."""
    if os.environ.get("PYOPENGL_PLATFORM"):
        return os.environ["PYOPENGL_PLATFORM"]
    problems = {}
    for name, problem in (("egl", _egl_problem), ("osmesa", _osmesa_problem)):
        problems[name] = problem()
        if problems[name] is None:
            os.environ["PYOPENGL_PLATFORM"] = name
            return name
    raise RenderError(
        f"no OpenGL platform for offscreen rendering (EGL: {problems['egl']}; OSMesa: {problems['osmesa']}); "
        f"install Mesa's EGL: apt-get install -y --no-install-recommends {GL_PACKAGES}")


@cache
def load_pyrender():
    """pyrender, imported after the platform choice, with numpy 2's removed `np.infty` restored for 0.1.45."""
    gl_platform()
    if not hasattr(np, "infty"):
        np.infty = np.inf  # pyrender 0.1.45 uses it in Mesh.bounds, Scene.scale and the shadow flags
    import pyrender

    return pyrender


@cache
def _offscreen():
    try:
        return load_pyrender().OffscreenRenderer(224, 224)
    except Exception as err:
        raise RenderError(f"could not start offscreen rendering with PYOPENGL_PLATFORM={gl_platform()} "
                          f"({type(err).__name__}: {err}); for EGL install {GL_PACKAGES}".splitlines()[0])


def offscreen(width: int, height: int):
    """The process's one OpenGL context (pyrender's OffscreenRenderer), sized for the next render.

    Every renderer of the process must use it: with EGL, deleting one of several renderers terminates
    the display under all of them.
    """
    renderer = _offscreen()
    renderer.viewport_width, renderer.viewport_height = int(width), int(height)
    return renderer


# ---------------------------------------------------------------- bodies

def vertex_normals(vertices, faces):
    """Area-weighted unit vertex normals (V, 3) float32."""
    v = np.asarray(vertices, dtype=np.float64)
    face_normals = np.cross(v[faces[:, 1]] - v[faces[:, 0]], v[faces[:, 2]] - v[faces[:, 0]])
    normals = np.stack([sum(np.bincount(faces[:, k], face_normals[:, c], len(v)) for k in range(3))
                        for c in range(3)], axis=1)
    return (normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)).astype(np.float32)


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


# ---------------------------------------------------------------- contact sheets

def caption_font(size):
    """Pillow's built-in scalable font at `size` pixels (needs Pillow >= 10.1)."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _pieces(word, font, width):
    """An over-long word (an id, a path) cut into pieces that each fit in `width` pixels."""
    pieces = [""]
    for char in word:
        if pieces[-1] and font.getlength(pieces[-1] + char) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def wrap_text(text, font, width):
    """Lines of `text` that each fit in `width` pixels (an over-long word is cut where it must be)."""
    lines, line = [], ""
    for word in (piece for w in text.split() for piece in _pieces(w, font, width)):
        candidate = f"{line} {word}" if line else word
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + [line] if line else lines


def contact_sheet(images, captions=None, columns=None, font_size=None, padding=6):
    """A white PIL image of the pictures (H, W, 3 uint8 arrays) in a grid, each caption wrapped under its picture.

    columns: default ceil(sqrt(n)). font_size: default from the picture height (13 px for 224 px).
    """
    from PIL import Image, ImageDraw

    images = [np.asarray(image, dtype=np.uint8) for image in images]
    if not images:
        raise ValueError("contact_sheet needs at least one image")
    if captions is not None and len(captions) != len(images):
        raise ValueError(f"{len(captions)} captions for {len(images)} images")
    columns = max(1, min(columns or math.ceil(math.sqrt(len(images))), len(images)))
    cell_w = max(image.shape[1] for image in images)
    cell_h = max(image.shape[0] for image in images)
    font = caption_font(font_size or max(11, round(cell_h / 17)))
    line_h = round(font.size * 1.25)
    wrapped = [wrap_text(c, font, cell_w - 2 * padding) for c in captions] if captions else [[] for _ in images]
    rows = [range(start, min(start + columns, len(images))) for start in range(0, len(images), columns)]
    text_h = [max(len(wrapped[i]) for i in row) * line_h + (2 * padding if captions else 0) for row in rows]
    sheet = Image.new("RGB", (columns * (cell_w + padding) + padding, sum(cell_h + h + padding for h in text_h)
                              + padding), "white")
    draw = ImageDraw.Draw(sheet)
    top = padding
    for row, height in zip(rows, text_h):
        for column, i in enumerate(row):
            left = padding + column * (cell_w + padding)
            sheet.paste(Image.fromarray(images[i]), (left, top))
            for k, line in enumerate(wrapped[i]):
                draw.text((left + padding, top + cell_h + padding + k * line_h), line, fill="black", font=font)
        top += cell_h + height + padding
    return sheet


def save_sheet(path, images, captions=None, columns=None):
    """Write the contact sheet of `images` (with their captions) as a PNG at `path`."""
    contact_sheet(images, captions, columns).save(path, format="PNG")
