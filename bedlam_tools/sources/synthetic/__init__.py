"""The embedded default source: a procedural BEDLAM-like world of Anny bodies performing activities (`source`)."""
from .source import SyntheticSource

__all__ = ["SyntheticSource"]
