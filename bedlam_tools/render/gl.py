"""The process's one OpenGL context for offscreen rendering (pyrender), on EGL or OSMesa.

The platform is chosen once per process, before PyOpenGL is imported, by `gl_platform()`. A `PYOPENGL_PLATFORM`
already set is honoured as is. Otherwise EGL is used if a ctypes probe of libEGL can initialise a display and
create the OpenGL 4.1 core context pyrender asks for, on a GPU when one is there (the first EGL device that is
not a software rasteriser; `EGL_DEVICE_ID` when set) and otherwise on Mesa's llvmpipe, which needs no GPU; if
not, OSMesa is used when libOSMesa loads and PyOpenGL is >= 3.1.4 (older PyOpenGL lacks
`OSMesaCreateContextAttribs`). The choices are written to `PYOPENGL_PLATFORM` and `EGL_DEVICE_ID`;
`renderer_name()` says what renders (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)").
"""
import ctypes
import ctypes.util
import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from posescript_pipeline.errors import UserError

GL_PACKAGES = "libegl1 libegl-mesa0 libgl1-mesa-dri libgl1"


class RenderError(UserError):
    """No working OpenGL platform, or the renderer could not start."""


EGL_ATTRIBUTES = {  # EGL constants of the probe (Khronos egl.h / eglext.h)
    "SURFACE_TYPE": 0x3033, "PBUFFER_BIT": 0x0001, "RENDERABLE_TYPE": 0x3040, "OPENGL_BIT": 0x0008,
    "DEPTH_SIZE": 0x3025, "NONE": 0x3038, "OPENGL_API": 0x30A2, "PLATFORM_DEVICE": 0x313F,
    "CONTEXT_MAJOR_VERSION": 0x3098, "CONTEXT_MINOR_VERSION": 0x30FB, "CONTEXT_PROFILE_MASK": 0x30FD,
    "CORE_PROFILE_BIT": 0x0001, "EXTENSIONS": 0x3055,
}
SOFTWARE_DEVICE = "EGL_MESA_device_software"
"""Extension of an EGL device that is a software rasteriser (Mesa's llvmpipe)."""


def device_order(extensions: list[str]) -> list[int]:
    """Indices of EGL devices (their extension strings) in the order to try: hardware first, software last."""
    return sorted(range(len(extensions)), key=lambda i: SOFTWARE_DEVICE in extensions[i].split())


def _egl_probe():
    """(device index or None, problem or None): the EGL device pyrender should render on (EGL_DEVICE_ID if set,
    else the first hardware device that can create the context pyrender needs, else the software one), or why
    none can."""
    try:
        egl = ctypes.CDLL(ctypes.util.find_library("EGL") or "libEGL.so.1")
    except OSError as err:
        return None, f"libEGL not found ({err})"
    vp = ctypes.c_void_p
    egl.eglGetProcAddress.restype = vp
    egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]
    egl.eglGetDisplay.restype = vp
    egl.eglGetDisplay.argtypes = [vp]
    query = egl.eglGetProcAddress(b"eglQueryDevicesEXT")
    if not query:  # pyrender then takes the default display
        return None, _context_problem(egl, egl.eglGetDisplay(None))
    query = ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.c_int, vp, ctypes.POINTER(ctypes.c_int))(query)
    count = ctypes.c_int(0)
    query(0, None, ctypes.byref(count))
    devices = (vp * max(count.value, 1))()
    query(count.value, ctypes.cast(devices, vp), ctypes.byref(count))
    if count.value < 1:
        return None, "no EGL device"
    describe = ctypes.CFUNCTYPE(ctypes.c_char_p, vp, ctypes.c_int)(egl.eglGetProcAddress(b"eglQueryDeviceStringEXT"))
    extensions = [(describe(devices[i], EGL_ATTRIBUTES["EXTENSIONS"]) or b"").decode() for i in range(count.value)]
    get_display = ctypes.CFUNCTYPE(vp, ctypes.c_uint, vp, vp)(egl.eglGetProcAddress(b"eglGetPlatformDisplayEXT"))
    chosen = os.environ.get("EGL_DEVICE_ID")
    order = [int(chosen)] if chosen else device_order(extensions)
    problems = []
    for i in order:
        if not 0 <= i < count.value:
            return None, f"EGL_DEVICE_ID={i} but there are {count.value} EGL devices"
        problem = _context_problem(egl, get_display(EGL_ATTRIBUTES["PLATFORM_DEVICE"], devices[i], None))
        if problem is None:
            return i, None
        problems.append(f"device {i}: {problem}")
    return None, "; ".join(problems)


def _context_problem(egl, display):
    """None if EGL can create the OpenGL 4.1 core context pyrender asks for on `display`, else why not."""
    k = EGL_ATTRIBUTES
    vp = ctypes.c_void_p
    egl.eglInitialize.argtypes = [vp, vp, vp]
    egl.eglChooseConfig.argtypes = [vp, vp, vp, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    egl.eglCreateContext.restype = vp
    egl.eglCreateContext.argtypes = [vp, vp, vp, vp]
    egl.eglDestroyContext.argtypes = [vp, vp]
    egl.eglTerminate.argtypes = [vp]
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


def _egl_problem():
    """None if EGL can be used (EGL_DEVICE_ID then names the device pyrender renders on), else why not."""
    device, problem = _egl_probe()
    if problem is None and device is not None:
        os.environ.setdefault("EGL_DEVICE_ID", str(device))
    return problem


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


@cache
def renderer_name() -> str:
    """The OpenGL renderer of the process's context (GL_RENDERER: a GPU's name, or "llvmpipe ..." in software)."""
    current_context()
    from OpenGL import GL

    return GL.glGetString(GL.GL_RENDERER).decode()


def current_context():
    """Make the process's one OpenGL context current in this thread (for direct OpenGL calls, as `raster` makes)."""
    _offscreen()._platform.make_current()


def offscreen(width: int, height: int):
    """The process's one OpenGL context (pyrender's OffscreenRenderer), sized for the next render.

    Every renderer of the process must use it: with EGL, deleting one of several renderers terminates
    the display under all of them.
    """
    renderer = _offscreen()
    renderer.viewport_width, renderer.viewport_height = int(width), int(height)
    return renderer
