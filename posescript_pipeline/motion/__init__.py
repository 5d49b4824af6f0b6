"""Motion over time (MotionScript's job): per-frame series -> motion intervals -> moments -> sentences.

    from posescript_pipeline.motion import describe_motion
    result = describe_motion(world_joints, fps=30)   # (T, 52, 3) y-up joints of one sequence
    result.captions[0]; result.codes                 # "Both knees bend slowly while ..."; graded motion codes

Pure arrays, no files. Modules, one job each: `catalogue` (the motion-code tables), `series` (per-frame series),
`intervals` (the interval finder), `codes` (graded codes with their subjects), `relations` (time relations),
`templates` and `realisation` (aggregation and words), `describe` (the entry point), `steady` (temporally
consistent pose captions of a sequence).
"""
from .catalogue import CHANNELS, INTENSITIES, KINDS, VELOCITIES
from .codes import MotionCode
from .describe import MotionDescription, MotionError, describe_motion
from .realisation import MOTION_VARIANTS, MotionOptions

__all__ = ["CHANNELS", "INTENSITIES", "KINDS", "VELOCITIES", "MotionCode", "MotionDescription", "MotionError",
           "MotionOptions", "MOTION_VARIANTS", "describe_motion"]
