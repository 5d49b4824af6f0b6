"""The picture of one dataset row: its image crop beside its pose on its own body, its captions under them."""
import numpy as np

from ..images import decode
from .bodies import BodyRenderer
from .sheets import contact_sheet


def row_picture(row: dict, shape_space: str, model_dir=None):
    """A PIL image of a BEDLAM-Script row: the crop, the row's pose on its body (the row's body model and betas
    when this machine has that body; the default Anny body otherwise), then the captions one per line."""
    from posescript_pipeline.body import create

    crop = decode(row["image"]["bytes"])
    body = create(model_dir=model_dir) if row["body_model"] == "smplx" and model_dir else create()
    betas = body.betas_for(np.asarray(row["betas"], np.float32), shape_space)
    mesh = body.mesh(np.asarray(row["pose"], np.float32)[None], betas)
    picture = BodyRenderer(crop.shape[1], crop.shape[0]).render(mesh.vertices[0], mesh.faces)
    shape = "its own shape" if betas is not None else "the default shape"
    lines = [f"{row['id']}: image crop, and the pose on the {body.name} body ({shape})"]
    lines += [f"{k + 1}. {caption}" for k, caption in enumerate(row["captions"])]
    return contact_sheet([np.concatenate([crop, picture], axis=1)], ["\n".join(lines)])
