"""`bedlam-script`: not built yet; its issue is open."""
from .common import not_built_yet

main = not_built_yet("bedlam-script")
