"""Instruction generation from pose pairs (the first PoseEmbroider downstream task, spec sections 10.2, 11.1):
BEDLAM-Fix pairs with the frozen representations of their poses/images, the TIRG + transformer-decoder
generator, the PairText pair<->text retrieval model that scores generated texts, and the metrics."""
