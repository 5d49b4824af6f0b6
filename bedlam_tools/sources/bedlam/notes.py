"""The dataset card's sentences on a BEDLAM split: how it was split, what the human selection kept, which body made
the boxes and which motions gave the poses."""
from . import box_points
from .layout import VALIDATION_SCENES
from .points import MESH_STRIDE
from .selection import REASONS

OTHER_SPLIT = {"train": "val", "val": "train"}


def split_notes(source, split):
    """Sentences on `split` of a BedlamSource after its `candidates(split)` ([] before)."""
    stats = source.stats.get(split)
    if stats is None:
        return []
    listing = source.layout.scene_list
    rule = (f"Split by scene, as the split column of {listing.name} says" if source.layout.split_column else
            f"Split by scene: BEDLAM's validation scenes as PoseEmbroider uses them ({', '.join(VALIDATION_SCENES)}) "
            "are val, every other scene is train")
    shared = (f"{stats['subjects_in_other_split']} of {stats['subjects']} subjects of this split also appear in "
              f"{OTHER_SPLIT[split]} scenes: BEDLAM draws every scene's bodies from the same subject pools.")
    if stats["shared_subject"]:
        selected = stats["kept"] + stats["shared_subject"]
        shared += (f" Subject-disjoint val (split_by='subject'): {stats['shared_subject']} of {selected} selected "
                   f"person-frames ({100 * stats['shared_subject'] / selected:.0f} %) dropped for that.")
    elif split == "val":
        shared += " They are kept, as in PoseEmbroider (split_by='subject' drops them)."
    rejected = ", ".join(f"{stats[r]} {r.replace('_', ' ')}" for r in REASONS)
    selection = (f"Human selection (overlap with a closer person <= {source.overlap:g}, >= "
                 f"{source.min_visible_joints} of 22 joints in the image, scaled box side > {source.min_resolution:g} "
                 f"px): {stats['kept']} of {stats['person_frames']} person-frames kept; rejected: {rejected}.")
    boxes = (f"Boxes: the posed SMPL-X mesh with each person's betas and gender (every {MESH_STRIDE}th vertex), "
             f"model files {source.model_dir}." if source.model_dir else
             f"Boxes: the posed default Anny mesh ({box_points.n_vertices()} extremity vertices: fingertips, toes, "
             "heels, head top...) at each person's SMPL-X pelvis, not the person's own shape (no SMPL-X model files "
             "given).")
    motions, kind = source.motions
    notes = [f"{rule} ({stats['scenes']} {split} scene(s) found).", shared, selection, boxes,
             f"Motions and betas: {motions.name} ({kind.betas} betas of the {kind.model})."]
    if source.missing_scenes:
        notes.append(f"Listed but not in the download: {', '.join(source.missing_scenes)}.")
    return notes
