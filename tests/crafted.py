"""Crafted SMPL-H poses with known geometry for the tests (defined in posescript_pipeline.crafted_poses)."""
from posescript_pipeline.crafted_poses import CRAFTED_POSES, crafted_joints, crafted_rotvecs
from posescript_pipeline.skeleton import mirror_rotations as mirror

__all__ = ["CRAFTED_POSES", "crafted_joints", "crafted_rotvecs", "mirror"]
