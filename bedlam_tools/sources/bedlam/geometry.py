"""BEDLAM's camera model: Unreal -> OpenCV axes, body placement, camera rotations and pinhole projection.

A motion-frame point Q (SMPL-X output plus its `trans`, y up) is placed in the world as
Ry(yaw - 90) diag(1, -1, -1) Q + placement and seen from the camera as Rz(-roll [+90 closeup]) Rx(-pitch)
Ry(-camera yaw) (world - camera position); f_px = f_mm / sensor_mm x image side per axis, principal point at the
image centre, sensor swapped for closeup (portrait) scenes.
"""
from dataclasses import dataclass

import numpy as np

from posescript_pipeline.rotations import axis_angle_to_matrix, rotation_about_x, rotation_about_y

SENSOR_MM = (36.0, 20.25)
"""Sensor (long side, short side) in mm when the camera csv gives none."""
FLIP_Y_UP_TO_DOWN = np.diag([1.0, -1.0, -1.0])


def unreal_to_opencv(points_cm):
    """(..., 3) Unreal cm (x forward, y right, z up) -> OpenCV-like metres (x right, y down, z forward)."""
    p = np.asarray(points_cm, dtype=np.float64)
    return np.stack([p[..., 1], -p[..., 2], p[..., 0]], axis=-1) / 100.0


def rotation_about_z(angle):
    a = np.asarray(angle, dtype=np.float64)
    v = np.zeros(a.shape + (3,))
    v[..., 2] = a
    return axis_angle_to_matrix(v)


def camera_rotation(yaw, pitch, roll, closeup):
    """World -> camera rotations (T, 3, 3) from the camera csv angles (degrees), BEDLAM's convention."""
    r = np.radians(-np.asarray(roll, dtype=np.float64) + (90.0 if closeup else 0.0))
    return (rotation_about_z(r) @ rotation_about_x(np.radians(-np.asarray(pitch, dtype=np.float64)))
            @ rotation_about_y(np.radians(-np.asarray(yaw, dtype=np.float64))))


def body_to_world(body_yaw):
    """Motion frame (y up) -> world (OpenCV axes, y down) rotation of a body placed with `body_yaw` degrees."""
    return rotation_about_y(np.radians(body_yaw - 90.0)) @ FLIP_Y_UP_TO_DOWN


@dataclass
class View:
    """The camera of T image frames: world -> camera rotations, positions (OpenCV axes, m), focal lengths (px)."""
    rotation: np.ndarray  # (T, 3, 3)
    position: np.ndarray  # (T, 3)
    fx: np.ndarray        # (T,)
    fy: np.ndarray        # (T,)
    width: int
    height: int


def camera_view(cam, frames, width, height, closeup):
    """The View of the camera csv columns `cam` at the rows `frames`, for images of (width, height) px."""
    position = unreal_to_opencv(np.stack([cam["x"], cam["y"], cam["z"]], axis=1)[frames])
    rotation = camera_rotation(cam["yaw"][frames], cam["pitch"][frames], cam["roll"][frames], closeup)
    sensor_long = cam.get("sensor_width", np.full(len(cam["x"]), SENSOR_MM[0]))[frames]
    sensor_short = cam.get("sensor_height", np.full(len(cam["x"]), SENSOR_MM[1]))[frames]
    sensor_w, sensor_h = (sensor_short, sensor_long) if closeup else (sensor_long, sensor_short)
    focal = cam["focal_length"][frames]
    return View(rotation, position, focal / sensor_w * width, focal / sensor_h * height, width, height)


def project(view, world):
    """Pixels of world points (T, P, 3): (u, v, camera-frame points (T, P, 3), inside (T, P) bool).

    inside: in front of the camera and strictly inside (0, W) x (0, H)."""
    p = np.einsum("tij,tpj->tpi", view.rotation, world - view.position[:, None])
    z = p[..., 2]
    front = z > 1e-6
    safe = np.where(front, z, 1.0)
    u = view.fx[:, None] * p[..., 0] / safe + view.width / 2.0
    v = view.fy[:, None] * p[..., 1] / safe + view.height / 2.0
    inside = front & (u > 0) & (u < view.width) & (v > 0) & (v < view.height)
    return u, v, p, inside
