"""The BlazePose GHUM 3D network files inside the mediapipe==0.10.21 wheel, and LiteRT interpreters for them.

Only the two .tflite files of the wheel are used (mediapipe itself is never imported: it needs OpenCV and old
numpy/protobuf). Later mediapipe versions ship no model file and download one at run time; they are refused.
The landmark network's trunk (the last tensor before its output heads) is made a real model output by adding
it to the flatbuffer's output list; the edited copy is written once to a cache folder.
"""
import hashlib
import importlib.metadata
import os
from functools import cache
from pathlib import Path

from posescript_pipeline.quiet import silenced_stderr

MEDIAPIPE_VERSION = "0.10.21"
DETECTOR_FILE = "mediapipe/modules/pose_detection/pose_detection.tflite"
LANDMARKER_FILE = "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"
TRUNK_TENSOR = "model_1/model/re_lu_63/Relu6;model_1/model/add_22/add"
"""(1, 2, 2, 288): the output of the last trunk block, read by the landmark, world and pose-flag heads."""
INSTALL_HINT = f"pip install --no-deps mediapipe=={MEDIAPIPE_VERSION} ai-edge-litert (or: bash scripts/setup.sh)"


class ModelFilesError(Exception):
    """The estimator's files or runtime are missing; the message is one line saying how to install them."""


def cache_dir() -> Path:
    """Where derived model files go: $POSESCRIPT_CACHE, else $XDG_CACHE_HOME or ~/.cache, /posescript-toolkit."""
    root = os.environ.get("POSESCRIPT_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Path(root) / "posescript-toolkit"


@cache
def shipped_file(relative: str) -> Path:
    """Path of a file of the installed mediapipe==0.10.21 distribution (located without importing mediapipe)."""
    try:
        dist = importlib.metadata.distribution("mediapipe")
    except importlib.metadata.PackageNotFoundError:
        raise ModelFilesError(f"the pose estimator needs mediapipe {MEDIAPIPE_VERSION}: {INSTALL_HINT}") from None
    if dist.version != MEDIAPIPE_VERSION:
        raise ModelFilesError(f"mediapipe {dist.version} is installed; the pose estimator needs exactly "
                              f"{MEDIAPIPE_VERSION}, the last version that ships its model files: {INSTALL_HINT}")
    path = Path(dist.locate_file(relative))
    if not path.is_file():
        raise ModelFilesError(f"{path} is missing from the mediapipe {MEDIAPIPE_VERSION} install: {INSTALL_HINT}")
    return path


def with_extra_output(model_bytes: bytes, tensor_name: str) -> bytes:
    """The flatbuffer with the named tensor of subgraph 0 appended to its outputs."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(bytearray(model_bytes), 0)
    graph = model.subgraphs[0]
    names = [t.name.decode() for t in graph.tensors]
    if tensor_name not in names:
        raise ValueError(f"tensor {tensor_name!r} not in the model")
    graph.outputs = [*graph.outputs, names.index(tensor_name)]
    builder = flatbuffers.Builder(len(model_bytes) + 4096)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def landmarker_with_trunk() -> Path:
    """The landmark network with its trunk tensor as a sixth output, built at first use into `cache_dir()`."""
    source = shipped_file(LANDMARKER_FILE)
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    path = cache_dir() / f"pose_landmark_full_trunk_{digest}.tflite"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(with_extra_output(data, TRUNK_TENSOR))
        partial.replace(path)
    return path


def interpreter(path: Path, batch: int, threads: int, preserve_all_tensors: bool = False):
    """A LiteRT interpreter (XNNPACK on CPU) for `path`, its input resized to `batch` images."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        raise ModelFilesError(f"the pose estimator needs the LiteRT runtime: {INSTALL_HINT}") from None
    with silenced_stderr():  # LiteRT announces its XNNPACK delegate on stderr
        model = Interpreter(model_path=str(path), num_threads=threads,
                            experimental_preserve_all_tensors=preserve_all_tensors)
        shape = list(model.get_input_details()[0]["shape"])
        if shape[0] != batch:
            model.resize_tensor_input(0, [batch, *shape[1:]])
        model.allocate_tensors()
    return model
