"""Body pose (and shape) regression from PoseEmbroider representations (issue 16; spec sections 10.3, 11.2):
the representation of an image, a caption or both (`features`), an HMR-style iterative head (`head`), its
training (`train`), the metrics (`metrics`), the evaluation with its baselines (`evaluate`), one image (+ text)
to a pose file (`estimate`) and side-by-side pictures (`pictures`)."""
