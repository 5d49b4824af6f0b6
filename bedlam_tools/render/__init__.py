"""Pictures: the OpenGL context (`gl`), posed bodies from fixed views (`bodies`), a lean rasteriser for the
synthetic crops (`raster`), captioned contact sheets (`sheets`, which need no OpenGL) and pictures of pose files
(`poses`). Importing this package needs neither OpenGL nor pyrender."""
from .bodies import VIEWS, BodyRenderer, VertexNormals, frame_camera, vertex_normals
from .gl import GL_PACKAGES, RenderError, current_context, gl_platform, load_pyrender, offscreen
from .sheets import contact_sheet, save_picture, save_sheet, wrap_text

__all__ = ["VIEWS", "BodyRenderer", "VertexNormals", "frame_camera", "vertex_normals", "GL_PACKAGES", "RenderError",
           "current_context", "gl_platform", "load_pyrender", "offscreen", "contact_sheet", "save_picture", "save_sheet",
           "wrap_text"]
