"""Image -> 3D joints with BlazePose GHUM 3D (Apache-2.0), the model files of the mediapipe==0.10.21 wheel run
by LiteRT, fully offline.

    from bedlam_tools.vision import read_photos
    batch = read_photos(["photo.jpg"])          # or detect=False for person-centred crops
    describe(batch.joints, batch.available)     # posescript_pipeline.describe; batch.errors: "no person found"
    features, found = trunk_features(crops)     # (N, 1152) frozen image features, zeros for a missed person

Modules: models (files, interpreters, the trunk output), detector (anchors, decoding, NMS), geometry (rotated
square regions, crops), landmarks (the landmark network's outputs), estimator (the pipeline, batched),
images (reading), photos (to the description engine's batch).
"""
from .estimator import (ENCODER_WIDTH, PoseEstimate, PoseEstimator, encoder_features, estimate,
                        trunk_features)
from .landmarks import LANDMARK_NAMES
from .models import ModelFilesError
from .photos import MIN_VISIBILITY, NoPersonError, PhotoBatch, landmarks_to_joints, read_photos

__all__ = ["ENCODER_WIDTH", "PoseEstimate", "PoseEstimator", "encoder_features", "estimate", "trunk_features",
           "LANDMARK_NAMES", "ModelFilesError", "MIN_VISIBILITY", "NoPersonError", "PhotoBatch", "landmarks_to_joints",
           "read_photos"]
