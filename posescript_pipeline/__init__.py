"""PoseScript pipeline: 3D poses to words (pure computation on arrays)."""
