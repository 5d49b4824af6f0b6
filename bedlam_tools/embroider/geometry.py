"""Rotations and forward kinematics in torch, for the pose autoencoder's losses and the image encoder's targets."""
import torch

from posescript_pipeline.body.backends.anny import rest_skeleton
from posescript_pipeline.skeleton import BODY_PARENTS, NUM_BODY_JOINTS


def axis_angle_to_matrix(rotvec: torch.Tensor) -> torch.Tensor:
    """(..., 3) -> (..., 3, 3) by Rodrigues' formula (exact at zero)."""
    angle = rotvec.norm(dim=-1, keepdim=True).clamp_min(1e-8)
    x, y, z = (rotvec / angle).unbind(-1)
    zero = torch.zeros_like(x)
    cross = torch.stack([zero, -z, y, z, zero, -x, -y, x, zero], -1).reshape(rotvec.shape[:-1] + (3, 3))
    sin, cos = angle.sin()[..., None], angle.cos()[..., None]
    eye = torch.eye(3, dtype=rotvec.dtype, device=rotvec.device)
    return eye + sin * cross + (1 - cos) * cross @ cross


def matrix_from_6d(six: torch.Tensor) -> torch.Tensor:
    """(..., 6) -> (..., 3, 3) by Gram-Schmidt on the first two columns."""
    a, b = six[..., :3], six[..., 3:]
    c1 = torch.nn.functional.normalize(a, dim=-1)
    c2 = torch.nn.functional.normalize(b - (c1 * b).sum(-1, keepdim=True) * c1, dim=-1)
    return torch.stack([c1, c2, torch.cross(c1, c2, dim=-1)], dim=-1)


class Skeleton(torch.nn.Module):
    """Forward kinematics of the 22 body joints on the default Anny T-pose skeleton (root fixed at its rest)."""

    def __init__(self):
        super().__init__()
        rest = torch.tensor(rest_skeleton()[:NUM_BODY_JOINTS], dtype=torch.float32)
        parents = torch.tensor(BODY_PARENTS)
        self.register_buffer("offsets", rest - rest[parents.clamp_min(0)] * (parents >= 0)[:, None], persistent=False)

    def forward(self, rotations: torch.Tensor) -> torch.Tensor:
        """(B, 22, 3, 3) local rotations -> (B, 22, 3) joint positions."""
        world, joints = [rotations[:, 0]], [self.offsets[0].expand(len(rotations), 3)]
        for j in range(1, NUM_BODY_JOINTS):
            p = BODY_PARENTS[j]
            joints.append(joints[p] + world[p] @ self.offsets[j])
            world.append(world[p] @ rotations[:, j])
        return torch.stack(joints, 1)
