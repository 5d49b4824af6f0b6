"""Compact PoseEmbroider (image, pose, text): frozen encoders, the model and its Aligner baseline,
the trainer and the any-to-any retrieval evaluator. torch is imported only inside this package."""
from posescript_pipeline.errors import UserError


class EmbroiderError(UserError):
    """A user error (missing data or run folder, bad option): one line, exit code 2."""
