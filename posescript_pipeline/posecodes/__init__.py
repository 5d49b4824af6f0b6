"""Posecodes: categorised measurements of a pose (PoseScript), as declarative tables + vectorised operators."""
