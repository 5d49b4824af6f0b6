"""A lean OpenGL rasteriser for lit, vertex-coloured triangle meshes of fixed topology (the synthetic crops).

Faces are uploaded once per mesh; each frame uploads only positions, normals and colours into the same
buffers, draws into a framebuffer of the frame's size on the process's one context (`gl.current_context`)
and reads RGBA back, the alpha saying which mesh covers each pixel. The shading is pyrender's
metallic-roughness model for directional lights with its constants (`SHADING`: metallic 0, roughness 0.9,
vertex colour times the light, ambient added, gamma 2.2), so pictures look like the pyrender ones. What it
leaves out is what costs on a software rasteriser (`FRAME`): multisampling, depth readback, a new scene and
new buffers per frame, back faces, and shading per pixel: it shades per vertex, since at crop size a body
triangle covers about one pixel while llvmpipe shades at least a 4x4 block for each.
"""
import ctypes

import numpy as np

from .gl import current_context

FRAME = {
    "samples": 0,             # multisampling: 2x or 4x made the whole frame 3x slower on llvmpipe
    "cull_back_faces": True,  # meshes seen from outside (a closed body, a floor from above): same pixels,
                              # half the triangles
    "max_lights": 4,
}
SHADING = {"roughness": 0.9, "min_roughness": 0.04, "gamma": 2.2}

VERTEX_SHADER = """#version 410 core
const float PI = 3.141592653589793;
const float ROUGHNESS = {roughness};
const float F0 = {min_roughness};
layout(location = 0) in vec3 position;
layout(location = 1) in vec3 normal;
layout(location = 2) in vec3 colour;
uniform mat4 view_projection;
uniform vec3 eye;
uniform vec3 ambient;
uniform int n_lights;
uniform vec3 light_direction[{max_lights}];  // towards the light
uniform vec3 light_radiance[{max_lights}];
out vec3 v_colour;
void main() {{
    gl_Position = view_projection * vec4(position, 1.0);
    vec3 n = normalize(normal);
    vec3 v = normalize(eye - position);
    float nv = clamp(abs(dot(n, v)), 0.001, 1.0);
    float a2 = ROUGHNESS * ROUGHNESS * ROUGHNESS * ROUGHNESS;
    float k = (ROUGHNESS + 1.0) * (ROUGHNESS + 1.0) / 8.0;
    vec3 light = ambient;
    for (int i = 0; i < n_lights; i++) {{
        vec3 l = light_direction[i];
        vec3 h = normalize(l + v);
        float nl = clamp(dot(n, l), 0.001, 1.0);
        float nh = clamp(dot(n, h), 0.0, 1.0);
        float vh = clamp(dot(v, h), 0.0, 1.0);
        float fresnel = F0 + (1.0 - F0) * pow(1.0 - vh, 5.0);
        float occlusion = nv / (nv * (1.0 - k) + k) * nl / (nl * (1.0 - k) + k);
        float d = nh * nh * (a2 - 1.0) + 1.0;
        float specular = fresnel * occlusion * a2 / (PI * d * d) / (4.0 * nl * nv + 0.001);
        light += nl * light_radiance[i] * ((1.0 - fresnel) * (1.0 - F0) / PI + specular);
    }}
    v_colour = clamp(pow(light * colour, vec3(1.0 / {gamma})), 0.0, 1.0);
}}
"""
FRAGMENT_SHADER = """#version 410 core
in vec3 v_colour;
uniform float label;  // alpha: which mesh covers the pixel
out vec4 frag_colour;
void main() {
    frag_colour = vec4(v_colour, label);
}
"""
ATTRIBUTES = ("positions", "normals", "colours")
UNIFORMS = ("view_projection", "eye", "ambient", "n_lights", "light_direction", "light_radiance", "label")


def intrinsics_projection(fx, fy, cx, cy, width, height, znear, zfar):
    """OpenGL projection (4, 4) of a pinhole camera in pixels (principal point from the image's top left)."""
    return np.array([[2 * fx / width, 0, 1 - 2 * cx / width, 0],
                     [0, 2 * fy / height, 2 * cy / height - 1, 0],
                     [0, 0, (zfar + znear) / (znear - zfar), 2 * zfar * znear / (znear - zfar)],
                     [0, 0, -1, 0]])


class MeshRaster:
    """Meshes of fixed topology (name -> faces (F, 3)), drawn together into RGBA frames whose alpha says which
    mesh covers a pixel: 1 + its index in `topologies`, 0 where none does."""

    def __init__(self, topologies: dict):
        from OpenGL import GL

        self.gl = GL
        current_context()
        self.program = self._program()
        self.uniforms = {name: GL.glGetUniformLocation(self.program, name) for name in UNIFORMS}
        self.meshes = {name: self._mesh(faces) for name, faces in topologies.items()}
        self.framebuffers = {}

    def _program(self):
        from OpenGL.GL import shaders

        gl = self.gl
        vertex = VERTEX_SHADER.format(**SHADING, max_lights=FRAME["max_lights"])
        return shaders.compileProgram(shaders.compileShader(vertex, gl.GL_VERTEX_SHADER),
                                      shaders.compileShader(FRAGMENT_SHADER, gl.GL_FRAGMENT_SHADER))

    def _mesh(self, faces):
        """(vertex array, {attribute: buffer}, index count) with the faces uploaded."""
        gl = self.gl
        vao = gl.glGenVertexArrays(1)
        gl.glBindVertexArray(vao)
        buffers = dict(zip(ATTRIBUTES, gl.glGenBuffers(len(ATTRIBUTES))))
        for location, name in enumerate(ATTRIBUTES):
            gl.glBindBuffer(gl.GL_ARRAY_BUFFER, buffers[name])
            gl.glEnableVertexAttribArray(location)
            gl.glVertexAttribPointer(location, 3, gl.GL_FLOAT, False, 0, ctypes.c_void_p(0))
        indices = np.ascontiguousarray(faces, np.uint32)
        gl.glBindBuffer(gl.GL_ELEMENT_ARRAY_BUFFER, gl.glGenBuffers(1))
        gl.glBufferData(gl.GL_ELEMENT_ARRAY_BUFFER, indices.nbytes, indices, gl.GL_STATIC_DRAW)
        gl.glBindVertexArray(0)
        return vao, buffers, indices.size

    def _framebuffer(self, width, height):
        """(framebuffer drawn into, framebuffer read from) of a frame size, made once."""
        gl = self.gl
        if (width, height) not in self.framebuffers:
            def make(samples):
                framebuffer = gl.glGenFramebuffers(1)
                gl.glBindFramebuffer(gl.GL_FRAMEBUFFER, framebuffer)
                for attachment, fmt in ((gl.GL_COLOR_ATTACHMENT0, gl.GL_RGBA8),
                                        (gl.GL_DEPTH_ATTACHMENT, gl.GL_DEPTH_COMPONENT24)):
                    buffer = gl.glGenRenderbuffers(1)
                    gl.glBindRenderbuffer(gl.GL_RENDERBUFFER, buffer)
                    gl.glRenderbufferStorageMultisample(gl.GL_RENDERBUFFER, samples, fmt, width, height)
                    gl.glFramebufferRenderbuffer(gl.GL_FRAMEBUFFER, attachment, gl.GL_RENDERBUFFER, buffer)
                return framebuffer

            resolved = make(0)
            self.framebuffers[width, height] = (make(FRAME["samples"]) if FRAME["samples"] else resolved, resolved)
        return self.framebuffers[width, height]

    def render(self, size, view_projection, eye, ambient, lights, meshes: dict) -> np.ndarray:
        """(H, W, 4) uint8 frame of `size` (height, width), top row first; alpha: the mesh of each pixel.

        view_projection (4, 4) world -> clip; eye (3,) the camera centre; ambient (3,) linear RGB;
        lights [(direction towards the light (3,), radiance (3,))]; meshes {name: (positions, normals,
        colours)}, each (V, 3) float, colours linear RGB in [0, 1]; meshes not named are not drawn.
        """
        gl = self.gl
        height, width = size
        current_context()
        draw, read = self._framebuffer(width, height)
        gl.glBindFramebuffer(gl.GL_FRAMEBUFFER, draw)
        gl.glViewport(0, 0, width, height)
        gl.glClearColor(0.0, 0.0, 0.0, 0.0)
        gl.glClear(gl.GL_COLOR_BUFFER_BIT | gl.GL_DEPTH_BUFFER_BIT)
        gl.glEnable(gl.GL_DEPTH_TEST)
        gl.glDepthFunc(gl.GL_LESS)
        gl.glDisable(gl.GL_BLEND)
        (gl.glEnable if FRAME["cull_back_faces"] else gl.glDisable)(gl.GL_CULL_FACE)
        gl.glUseProgram(self.program)
        u = self.uniforms
        gl.glUniformMatrix4fv(u["view_projection"], 1, gl.GL_TRUE, np.asarray(view_projection, np.float32))
        gl.glUniform3fv(u["eye"], 1, np.asarray(eye, np.float32))
        gl.glUniform3fv(u["ambient"], 1, np.asarray(ambient, np.float32))
        lights = lights[:FRAME["max_lights"]]
        gl.glUniform1i(u["n_lights"], len(lights))
        if lights:
            directions = np.array([d for d, _ in lights], np.float32)
            directions /= np.linalg.norm(directions, axis=1, keepdims=True)
            gl.glUniform3fv(u["light_direction"], len(lights), directions)
            gl.glUniform3fv(u["light_radiance"], len(lights), np.array([r for _, r in lights], np.float32))
        for name, arrays in meshes.items():
            vao, buffers, n_indices = self.meshes[name]
            gl.glUniform1f(u["label"], (list(self.meshes).index(name) + 1) / 255)
            for attribute, values in zip(ATTRIBUTES, arrays):
                data = np.ascontiguousarray(values, np.float32)
                gl.glBindBuffer(gl.GL_ARRAY_BUFFER, buffers[attribute])
                gl.glBufferData(gl.GL_ARRAY_BUFFER, data.nbytes, data, gl.GL_STREAM_DRAW)
            gl.glBindVertexArray(vao)
            gl.glDrawElements(gl.GL_TRIANGLES, n_indices, gl.GL_UNSIGNED_INT, ctypes.c_void_p(0))
        gl.glBindVertexArray(0)
        gl.glDisable(gl.GL_CULL_FACE)
        if read != draw:
            gl.glBindFramebuffer(gl.GL_READ_FRAMEBUFFER, draw)
            gl.glBindFramebuffer(gl.GL_DRAW_FRAMEBUFFER, read)
            gl.glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, gl.GL_COLOR_BUFFER_BIT, gl.GL_LINEAR)
        gl.glBindFramebuffer(gl.GL_READ_FRAMEBUFFER, read)
        pixels = gl.glReadPixels(0, 0, width, height, gl.GL_RGBA, gl.GL_UNSIGNED_BYTE)
        gl.glBindFramebuffer(gl.GL_FRAMEBUFFER, 0)
        return np.frombuffer(pixels, np.uint8).reshape(height, width, 4)[::-1]
