"""BEDLAM's file formats: the scene and camera csv files, the sequence csv (be_seq.csv), motion files, image headers.

Every reader raises BedlamLayoutError (or InputError for a motion file) with one line naming the file, the field
and what was expected.
"""
import csv
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...pose_files import InputError, PoseFile, amass_rotations, read_betas
from ..base import RecordError

SEQUENCE_COLUMNS = ("Body", "X", "Y", "Z", "Yaw", "Comment")
CAMERA_COLUMNS = ("x", "y", "z", "yaw", "pitch", "roll", "focal_length")
SENSOR_COLUMNS = ("sensor_width", "sensor_height")
GENDERS = ("neutral", "male", "female")


class BedlamLayoutError(InputError):
    """A BEDLAM file does not have the expected layout (one line: file, field, expectation)."""


def read_csv(path, required, what):
    """Rows of a csv as dicts keyed by the lower-cased, stripped header; checks the required columns."""
    path = Path(path)
    if not path.is_file():
        raise BedlamLayoutError(f"{path}: {what} not found")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise BedlamLayoutError(f"{path}: {what} could not be read ({type(err).__name__}: {err})")
    if not rows:
        raise BedlamLayoutError(f"{path}: {what} is empty; expected a header with {', '.join(required)}")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in required if c.lower() not in header]
    if missing:
        raise BedlamLayoutError(f"{path}: column '{missing[0]}' missing (found {', '.join(header) or 'none'}); "
                                f"expected {', '.join(required)}")
    return [dict(zip(header, row + [""] * (len(header) - len(row)))) for row in rows[1:] if any(c.strip() for c in row)]


def number(path, row_index, column, value):
    """A finite float of a csv field, or BedlamLayoutError naming the row (1-based, header included)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        out = math.nan
    if not math.isfinite(out):
        raise BedlamLayoutError(f"{path}: field '{column}' of row {row_index + 2} is {value!r}; expected a number")
    return out


def comment_fields(comment):
    """'a=1;b=x' -> {'a': '1', 'b': 'x'}."""
    out = {}
    for part in str(comment).split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = value.strip()
    return out


@dataclass(frozen=True)
class Placement:
    """One body of a sequence in be_seq.csv: "<subject>_<motion id>", Unreal cm (z up), yaw in degrees."""
    body: str
    x: float
    y: float
    z: float
    yaw: float
    start_frame: int

    @property
    def subject(self):
        return self.body.rsplit("_", 1)[0]

    @property
    def motion(self):
        return self.body.rsplit("_", 1)[1]


def read_sequences(path):
    """[(sequence name, [Placement...])] of a be_seq.csv, in file order, or BedlamLayoutError."""
    rows = read_csv(path, SEQUENCE_COLUMNS, "sequence csv")
    sequences = []
    for i, row in enumerate(rows):
        comment = comment_fields(row["comment"])
        if "sequence_name" in comment:
            sequences.append((comment["sequence_name"], []))
        elif "start_frame" in comment:
            if not sequences:
                raise BedlamLayoutError(f"{path}: row {i + 2} has a body before any 'sequence_name=' row")
            body = row["body"].strip()
            if "_" not in body:
                raise BedlamLayoutError(f"{path}: field 'Body' of row {i + 2} is {body!r}; "
                                        "expected <subject>_<motion id>")
            start = number(path, i, "Comment start_frame", comment["start_frame"])
            x, y, z, yaw = (number(path, i, c, row[c.lower()]) for c in ("X", "Y", "Z", "Yaw"))
            sequences[-1][1].append(Placement(body, x, y, z, yaw, int(start)))
    return sequences


def read_camera(path):
    """{column: (T,) float64} of a camera csv (CAMERA_COLUMNS and, when present, SENSOR_COLUMNS)."""
    rows = read_csv(path, CAMERA_COLUMNS, "camera csv")
    if not rows:
        raise BedlamLayoutError(f"{path}: camera csv has no rows; expected one per frame")
    columns = CAMERA_COLUMNS + tuple(c for c in SENSOR_COLUMNS if c in rows[0])
    return {c: np.array([number(path, i, c, r[c]) for i, r in enumerate(rows)]) for c in columns}


class _MotionFile(PoseFile):
    """A BEDLAM motion_seq.npz read lazily: only the arrays used (other keys may be pickled objects)."""
    KEYS = ("poses", "trans", "betas")

    def _read(self, path):
        if not path.is_file():
            raise InputError(f"{self.path}: file not found")
        try:
            with np.load(path, allow_pickle=False) as data:
                fields = {key: data[key] for key in self.KEYS if key in data.files}
                if "gender" in data.files and data["gender"].dtype.kind in "US":  # a header read: not pickled
                    fields["gender"] = data["gender"]
                return fields
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
            raise InputError(f"{self.path}: could not be read ({type(err).__name__}: {err})".splitlines()[0])


def read_motion(path):
    """(rotations (T, 52, 3) float64 raw, trans (T, 3), betas (B,), gender) of a BEDLAM motion file, or InputError.

    gender: the file's "gender" field (one of GENDERS), "neutral" when it has none (or a pickled one)."""
    file = _MotionFile(path)
    for key in _MotionFile.KEYS:
        if key not in file.fields:
            found = ", ".join(sorted(file.fields)) or "none"
            raise InputError(f"{file.path}: field '{key}' missing (found {found}); expected poses, trans, betas")
    rotations = amass_rotations(file)
    trans = file.array("trans")
    if trans.shape != (len(rotations), 3):
        file.fail("trans", f"has shape {trans.shape}; expected ({len(rotations)}, 3) like 'poses'")
    file.check_finite("trans", trans)
    betas = read_betas(file)
    betas = betas if betas.ndim == 1 else betas[0]
    gender = str(file.fields.get("gender", np.array("neutral")).reshape(-1)[0]).lower()
    if gender not in GENDERS:
        file.fail("gender", f"is {gender!r}; expected {', '.join(GENDERS)}")
    return rotations, trans, betas.astype(np.float32), gender


def image_size(path):
    """(width, height) of an image file from its header, or RecordError."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            return im.size
    except (OSError, ValueError) as err:
        raise RecordError(f"{path}: image could not be read ({type(err).__name__}: {err})".splitlines()[0])
