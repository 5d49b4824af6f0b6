"""Offscreen body pictures, contact sheets and `posescript render`, checked on what the pictures show."""
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from bedlam_tools.render import VIEWS, contact_sheet, frame_camera, wrap_text
from bedlam_tools.render.sheets import caption_font
from cli.render_command import render
from posescript_pipeline.crafted_poses import crafted_rotvecs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
POSES = ("standing", "t_pose", "left_arm_overhead", "kneeling")


def silhouette(image):
    """Mask of the pixels that are not the white background."""
    return (np.asarray(image) < 250).any(axis=-1)


def box(mask):
    """(top, bottom, left, right) of a mask's pixels."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return rows[0], rows[-1], cols[0], cols[-1]


@pytest.fixture(scope="module")
def meshes():
    from posescript_pipeline.body import create

    out = create().mesh(np.concatenate([crafted_rotvecs(name) for name in POSES]))
    return dict(zip(POSES, out.vertices)), out.faces


@pytest.fixture(scope="module")
def renderer():
    from bedlam_tools.render import BodyRenderer

    return BodyRenderer(224, 224)


def test_camera_frames_every_vertex():
    rng = np.random.default_rng(0)
    points = rng.normal(0, 1, (500, 3)) * [0.3, 0.9, 0.2]
    for view in VIEWS:
        pose, znear, zfar = frame_camera(points, view, yfov=np.radians(30))
        local = (points - pose[:3, 3]) @ pose[:3, :3]  # camera axes: looks along -z
        depth = -local[:, 2]
        assert (depth > znear).all() and (depth < zfar).all()
        assert (np.abs(local[:, :2]) / depth[:, None] <= np.tan(np.radians(15)) + 1e-9).all()


def test_contact_sheet_writes_captions_under_the_pictures():
    pictures = [np.full((100, 80, 3), v, np.uint8) for v in (0, 128, 200)]
    plain = contact_sheet(pictures, columns=3)
    captioned = contact_sheet(pictures, ["a long caption " * 6, "short", "x"], columns=3)
    assert captioned.width == plain.width and captioned.height > plain.height + 50
    text_band = np.asarray(captioned)[110:, :90]
    assert (text_band < 100).any()  # dark text under the first picture
    font = caption_font(12)
    assert all(font.getlength(line) <= 70 for line in wrap_text("a long caption " * 6, font, 70))


@pytest.mark.slow
def test_standing_body_is_tall_and_t_pose_wide(meshes, renderer):
    vertices, faces = meshes
    standing = silhouette(renderer.render(vertices["standing"], faces))
    top, bottom, left, right = box(standing)
    assert 0.05 < standing.mean() < 0.5
    assert bottom - top > 2 * (right - left) and bottom - top > 0.8 * 224  # fills the frame's height
    t_top, t_bottom, t_left, t_right = box(silhouette(renderer.render(vertices["t_pose"], faces)))
    # Anny's arm span is about its height: the T-pose fills the frame both ways
    assert t_right - t_left > 0.9 * (t_bottom - t_top) and t_right - t_left > 2 * (right - left)


@pytest.mark.slow
def test_different_poses_give_different_pictures(meshes, renderer):
    vertices, faces = meshes
    kneeling = renderer.render(vertices["kneeling"], faces, "side")
    standing = renderer.render(vertices["standing"], faces, "side")
    assert np.abs(kneeling.astype(int) - standing).mean() > 5


@pytest.mark.slow
def test_front_view_shows_the_left_arm_on_the_right(meshes, renderer):
    vertices, faces = meshes
    for view, on_right in (("front", True), ("back", False)):
        mask = silhouette(renderer.render(vertices["left_arm_overhead"], faces, view))
        top, bottom, left, right = box(mask)
        hand_columns = np.flatnonzero(mask[top])
        assert (hand_columns.mean() > (left + right) / 2) == on_right, view


@pytest.mark.slow
def test_vertex_colours_and_views_side_by_side(meshes, renderer):
    vertices, faces = meshes
    colours = np.where(vertices["standing"][:, :1] > 0, [[1.0, 0.0, 0.0]], [[0.0, 0.0, 1.0]])  # left red
    image = renderer.render_views(vertices["standing"], faces, ["front", "side"], colours=colours)
    assert image.shape == (224, 448, 3)
    red, blue = image[..., 0].astype(int) - image[..., 2] > 40, image[..., 2].astype(int) - image[..., 0] > 40
    front_red, front_blue = red[:, :224], blue[:, :224]
    assert np.flatnonzero(front_red.any(0)).mean() > 112 > np.flatnonzero(front_blue.any(0)).mean()
    assert red[:, 224:].sum() > 5 * blue[:, 224:].sum()  # the side view sees the body's left


@pytest.mark.slow
def test_lying_body_fills_the_frame(meshes, renderer):
    vertices, faces = meshes
    lying = vertices["standing"] @ np.array([[1.0, 0, 0], [0, 0, 1], [0, -1, 0]])  # y up -> along z: on its back
    top, bottom, left, right = box(silhouette(renderer.render(lying, faces, "side")))
    assert right - left > 0.8 * 224 and right - left > 3 * (bottom - top)


def run(*args):
    return CliRunner().invoke(render, [str(a) for a in args])


@pytest.mark.slow
def test_cli_single_frame_caption_and_grid(tmp_path):
    plain, captioned, grid = tmp_path / "plain.png", tmp_path / "captioned.png", tmp_path / "grid.png"
    source = EXAMPLES / "smplx_params.npz"
    assert run(source, "-o", plain, "--frame", 2).exit_code == 0
    result = run(source, "-o", captioned, "--frame", 2, "--caption", "--no-contacts", "--views", "front,side")
    assert result.exit_code == 0, result.output
    assert Image.open(plain).size == (224, 224)
    width, height = Image.open(captioned).size
    assert width >= 448 and height > 224 + 30
    result = run(source, "-o", grid, "--every", 2, "--caption", "--no-contacts", "--size", 128)
    assert result.exit_code == 0, result.output
    sheet = Image.open(grid)
    assert sheet.width >= 2 * 128 and sheet.height > 2 * 128  # frames 0, 2, 4 in a 2-column sheet


def test_cli_writes_the_format_its_file_name_asks_for(tmp_path):
    jpeg = tmp_path / "pose.jpg"
    assert run(EXAMPLES / "smplx_params.npz", "-o", jpeg).exit_code == 0
    assert Image.open(jpeg).format == "JPEG"
    result = run(EXAMPLES / "smplx_params.npz", "-o", tmp_path / "pose.gif")
    assert result.exit_code == 2 and "unknown picture extension" in result.output


def test_cli_joint_file_is_refused_in_one_line(tmp_path):
    result = run(EXAMPLES / "joints_smpl24.npy", "-o", tmp_path / "x.png")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "parameter file" in lines[0] and not (tmp_path / "x.png").exists()


def test_cli_rejects_unknown_views(tmp_path):
    result = run(EXAMPLES / "smplx_params.npz", "-o", tmp_path / "x.png", "--views", "front,diagonal")
    assert result.exit_code == 2 and "diagonal" in result.output


def test_vertex_normals_point_out_of_a_closed_mesh():
    from bedlam_tools.render import VertexNormals, vertex_normals

    t = (1 + 5 ** 0.5) / 2  # icosahedron, faces wound counter-clockwise seen from outside
    vertices = np.array([[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t], [0, -1, -t],
                         [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]], float)
    faces = np.array([[0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4], [11, 10, 2],
                      [10, 7, 6], [7, 1, 8], [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9], [4, 9, 5],
                      [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1]])
    normals = VertexNormals(faces)(vertices * 2.0 + 0.0)
    assert normals.dtype == np.float32 and normals.shape == (12, 3)
    np.testing.assert_allclose(normals, vertices / np.linalg.norm(vertices, axis=1, keepdims=True), atol=1e-6)
    np.testing.assert_array_equal(vertex_normals(vertices, faces), VertexNormals(faces)(vertices))


def test_a_gpu_is_preferred_to_the_software_rasteriser():
    from bedlam_tools.render.gl import device_order

    software = "EGL_MESA_device_software EGL_EXT_device_drm_render_node"
    assert device_order([software, "EGL_EXT_device_drm EGL_NV_device_cuda", software]) == [1, 0, 2]
    assert device_order([software]) == [0]
    assert device_order(["EGL_EXT_device_drm", "EGL_EXT_device_drm"]) == [0, 1]


def sphere(n=48):
    """(vertices, faces) of a closed UV sphere of radius 1, faces wound counter-clockwise seen from outside."""
    theta, phi = np.meshgrid(np.linspace(0, np.pi, n), np.linspace(0, 2 * np.pi, 2 * n, endpoint=False), indexing="ij")
    vertices = np.stack([np.sin(theta) * np.cos(phi), np.cos(theta), -np.sin(theta) * np.sin(phi)], -1).reshape(-1, 3)
    ring = 2 * n
    faces = []
    for i in range(n - 1):
        for j in range(ring):
            a, b, c, d = i * ring + j, i * ring + (j + 1) % ring, (i + 1) * ring + j, (i + 1) * ring + (j + 1) % ring
            faces += [[a, c, b], [b, c, d]]
    return vertices, np.array(faces)


@pytest.mark.slow
def test_the_crop_rasteriser_shades_as_pyrender_does():
    """MeshRaster's shading is pyrender's metallic-roughness model: the same lit sphere, within JPEG-like noise,
    and its alpha says which mesh covers each pixel."""
    from bedlam_tools.render import VertexNormals, load_pyrender, offscreen
    from bedlam_tools.render.raster import MeshRaster, intrinsics_projection

    pr = load_pyrender()
    vertices, faces = sphere()
    normals = VertexNormals(faces)(vertices)
    colours = np.tile([0.8, 0.5, 0.3], (len(vertices), 1))
    size, focal, eye = (96, 128), 150.0, np.array([0.0, 0.5, 4.0])
    pose = np.eye(4)
    pose[:3, 3] = eye
    pose[:3, :3] = _look(eye)
    key = np.array([0.5, 1.0, 0.8])
    lights = [(key, np.array([2.5, 2.4, 2.2])), (pose[:3, 2], np.ones(3))]

    scene = pr.Scene(bg_color=[0.0, 0.0, 0.0, 0.0], ambient_light=[0.3] * 3)
    scene.add(pr.Mesh([pr.Primitive(positions=vertices, normals=normals, indices=faces.astype(np.uint32),
                                    color_0=np.hstack([colours, np.ones((len(colours), 1))]),
                                    material=pr.MetallicRoughnessMaterial(metallicFactor=0.0, roughnessFactor=0.9))]))
    scene.add(pr.IntrinsicsCamera(focal, focal, size[1] / 2, size[0] / 2, znear=0.05, zfar=100.0), pose=pose)
    for direction, radiance in lights:
        light = np.eye(4)
        light[:3, :3] = _look(direction)
        scene.add(pr.DirectionalLight(color=radiance / radiance.max(), intensity=radiance.max()), pose=light)
    reference, _ = offscreen(size[1], size[0]).render(scene, flags=pr.RenderFlags.RGBA)

    raster = MeshRaster({"sphere": faces, "other": faces})
    projection = intrinsics_projection(focal, focal, size[1] / 2, size[0] / 2, size[1], size[0], 0.05, 100.0)
    frame = raster.render(size, projection @ np.linalg.inv(pose), eye, [0.3] * 3, lights,
                          {"sphere": (vertices, normals, colours)})
    inside = (reference[..., 3] == 255) & (frame[..., 3] > 0)
    assert inside.mean() > 0.2 and ((reference[..., 3] > 0) != (frame[..., 3] > 0)).mean() < 0.02
    assert np.abs(frame[..., :3][inside].astype(int) - reference[..., :3][inside]).mean() < 3
    assert set(np.unique(frame[..., 3])) == {0, 1}  # "sphere" is the first topology
    moved = raster.render(size, projection @ np.linalg.inv(pose), eye, [0.3] * 3, lights,
                          {"other": (vertices + [0.0, 0.0, -0.5], normals, colours)})
    assert set(np.unique(moved[..., 3])) == {0, 2}


def _look(direction):
    """Rotation whose z axis is `direction` (a camera or light there looks along -z, towards the origin)."""
    z = np.asarray(direction, float) / np.linalg.norm(direction)
    x = np.cross([0.0, 1.0, 0.0], z)
    x /= np.linalg.norm(x)
    return np.stack([x, np.cross(z, x), z], 1)
